//! Joining and signing in: the application form, email confirmation, sign-in, and the
//! member's own account page (which is all a pending applicant can see).

pub mod api;
pub mod dto;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::forms::{ErrorSummary, FormFields, SelectInput, SuccessBanner, TextInput, form_state};
use crate::layout::ErrorPage;

/// `/register`: apply to join the network.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| api::registration_options());
    let state = form_state("register");
    view! {
        <Title text="Apply to join" />
        <h1>"Apply to join the network"</h1>
        <p class="lead">
            "Membership is for people who work in or for police Occupational Health services. "
            "An administrator checks each application."
        </p>
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match options.await {
                        Ok(options) => view! { <RegisterForm options state /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
        <p>"Already a member? "<a href="/sign-in">"Sign in"</a></p>
    }
}

#[component]
fn RegisterForm(options: dto::ApplicationChoices, state: crate::forms::FormState) -> impl IntoView {
    let groups_error = state.error("groups");
    let groups_class = if groups_error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    view! {
        <ErrorSummary state=state.clone() />
        <form method="post" action="/register" novalidate>
            <FormFields form_id="register" />
            <TextInput name="name" label="Full name" autocomplete="name" state=state.clone() />
            <TextInput
                name="email"
                label="Email address"
                input_type="email"
                autocomplete="email"
                hint="Use your work email address. We will send a link to confirm it."
                state=state.clone()
            />
            <TextInput
                name="password"
                label="Password"
                input_type="password"
                autocomplete="new-password"
                hint="At least 10 characters. A few unrelated words make a strong password."
                state=state.clone()
            />
            <SelectInput name="profession" label="Profession" options=options.professions state=state.clone() />
            <SelectInput
                name="organisation"
                label="Organisation"
                hint="The police force you work in or for"
                options=options.organisations
                state=state.clone()
            />
            <SelectInput name="regulator" label="Regulator" options=options.regulators state=state.clone() />
            <TextInput
                name="registration_number"
                label="Registration number (optional)"
                autocomplete="off"
                state=state.clone()
            />
            <div class=groups_class>
                <fieldset class="fieldset" id="field-groups" aria-describedby="groups-hint">
                    <legend class="fieldset__legend">"Groups you would like to join (optional)"</legend>
                    <div class="hint" id="groups-hint">
                        "Every member can use the general network forum. An administrator approves group membership."
                    </div>
                    {groups_error.map(|message| view! {
                        <p class="error-message"><span class="visually-hidden">"Error: "</span>{message}</p>
                    })}
                    <div class="checkboxes">
                        {options
                            .groups
                            .into_iter()
                            .map(|(slug, name)| {
                                let id = format!("group-{slug}");
                                let checked = state.has_value("groups", &slug);
                                view! {
                                    <div class="checkboxes__item">
                                        <input class="checkboxes__input" type="checkbox" id=id.clone() name="groups" value=slug checked=checked />
                                        <label class="checkboxes__label" for=id>{name}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            </div>
            <button type="submit" class="button">"Apply to join"</button>
        </form>
    }
}

/// `/register/check-email`: what happens next after applying.
#[component]
pub fn CheckEmailPage() -> impl IntoView {
    view! {
        <Title text="Check your email" />
        <h1>"Check your email"</h1>
        <p class="lead">"We have sent you a link to confirm your email address."</p>
        <p>"The link works once and expires in 24 hours. After you confirm, an administrator will review your application and email you."</p>
        <p>"If the email has not arrived after a few minutes, check your spam folder."</p>
    }
}

/// `/verify-email?token=…`: confirm the address with one button press (a link alone does not
/// confirm, so mail scanners that open links cannot use it up).
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let state = form_state("verify-email");
    view! {
        <Title text="Confirm your email address" />
        <h1>"Confirm your email address"</h1>
        <ErrorSummary state=state.clone() />
        <form method="post" action="/verify-email">
            <FormFields form_id="verify-email" />
            <input type="hidden" name="token" value=token id="field-token" />
            <p>"Confirm this is your email address to continue your application."</p>
            <button type="submit" class="button">"Confirm email address"</button>
        </form>
    }
}

/// `/sign-in`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let done = query.read_untracked().get("done").unwrap_or_default();
    let banner = match done.as_str() {
        "verified" => Some(
            "Email address confirmed. An administrator will review your application; you can sign in to see its progress.",
        ),
        "approved" => {
            Some("Email address confirmed and your membership is approved. You can now sign in.")
        }
        "signed-out" => Some("You have signed out."),
        "password-reset" => Some("Your password has been changed. Sign in with your new password."),
        _ => None,
    };
    let state = form_state("sign-in");
    let next = query
        .read_untracked()
        .get("next")
        .or_else(|| state.value("next").map(ToOwned::to_owned))
        .unwrap_or_default();
    view! {
        <Title text="Sign in" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Sign in"</h1>
        <ErrorSummary state=state.clone() />
        <form method="post" action="/sign-in" novalidate>
            <FormFields form_id="sign-in" />
            <input type="hidden" name="next" value=next />
            <TextInput name="email" label="Email address" input_type="email" autocomplete="email" state=state.clone() />
            <TextInput name="password" label="Password" input_type="password" autocomplete="current-password" state=state.clone() />
            <button type="submit" class="button">"Sign in"</button>
        </form>
        <p><a href="/reset-password">"Forgotten your password?"</a></p>
        <p>"Not a member yet? "<a href="/register">"Apply to join"</a></p>
    }
}

/// `/reset-password`: ask for a reset link.
#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let state = form_state("reset-request");
    view! {
        <Title text="Reset your password" />
        <h1>"Reset your password"</h1>
        <p>"Enter the email address you use for ohnet. If it belongs to an account, we will email a link to choose a new password."</p>
        <ErrorSummary state=state.clone() />
        <form method="post" action="/reset-password" novalidate>
            <FormFields form_id="reset-request" />
            <TextInput name="email" label="Email address" input_type="email" autocomplete="email" state=state.clone() />
            <button type="submit" class="button">"Send reset link"</button>
        </form>
    }
}

/// `/reset-password/sent`.
#[component]
pub fn ResetSentPage() -> impl IntoView {
    view! {
        <Title text="Check your email" />
        <h1>"Check your email"</h1>
        <p class="lead">"If the address belongs to an ohnet account, we have sent it a link to choose a new password."</p>
        <p>"The link works once and expires in 60 minutes."</p>
    }
}

/// `/reset-password/new?token=…`: choose a new password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let state = form_state("reset-password");
    view! {
        <Title text="Choose a new password" />
        <h1>"Choose a new password"</h1>
        <ErrorSummary state=state.clone() />
        <form method="post" action="/reset-password/new" novalidate>
            <FormFields form_id="reset-password" />
            <input type="hidden" name="token" value=token />
            <TextInput
                name="password"
                label="New password"
                input_type="password"
                autocomplete="new-password"
                hint="At least 10 characters. You will be signed out everywhere else."
                state=state.clone()
            />
            <button type="submit" class="button">"Change password"</button>
        </form>
    }
}

/// `/account`: the member's own account; for a pending applicant, the status of their
/// application (the only page they can see).
#[component]
pub fn AccountPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| api::current_account());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(Some(account)) if !account.approved => view! {
                        <Title text="Your application" />
                        <h1>"Your application is being reviewed"</h1>
                        <p class="lead">"Thank you, " {account.name.clone()} ". Your email address is confirmed."</p>
                        <p>"An administrator will review your application and email you at " <strong>{account.email.clone()}</strong> " when it has been decided."</p>
                        <p>"Until then you can only see this page."</p>
                    }
                    .into_any(),
                    Ok(Some(account)) => view! {
                        <Title text="Your account" />
                        {account_banner()}
                        <h1>"Your account"</h1>
                        <dl class="summary-list">
                            <div class="summary-list__row"><dt>"Name"</dt><dd>{account.name.clone()}</dd></div>
                            <div class="summary-list__row"><dt>"Email address"</dt><dd>{account.email.clone()}</dd></div>
                            <div class="summary-list__row"><dt>"Role"</dt><dd>{account.role.clone()}</dd></div>
                        </dl>
                        {account.administrator.then(|| view! {
                            <h2>"Administration"</h2>
                            <ul>
                                <li><a href="/admin/members">"Review applications and members"</a></li>
                                <li><a href="/admin/audit">"Audit log"</a></li>
                            </ul>
                        })}
                        <ChangePassword />
                        <Devices />
                        <h2>"Your data"</h2>
                        <p>
                            <a href="/account/data" download="ohnet-my-data.json">"Download your data"</a>
                            " (a JSON file with your profile, groups and signed-in devices)."
                        </p>
                    }
                    .into_any(),
                    Ok(None) => {
                        // The server turns a page's 401 into a redirect to the sign-in form.
                        #[cfg(feature = "ssr")]
                        crate::error::set_status(401);
                        ().into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn account_banner() -> Option<impl IntoView> {
    let query = use_query_map();
    let done = query.read_untracked().get("done").unwrap_or_default();
    let message = match done.as_str() {
        "password-changed" => "Your password has been changed. Other devices have been signed out.",
        "signed-out-others" => "You have been signed out of all other devices.",
        _ => return None,
    };
    Some(view! { <SuccessBanner message=message.to_owned() /> })
}

#[component]
fn ChangePassword() -> impl IntoView {
    let state = form_state("change-password");
    view! {
        <h2>"Change your password"</h2>
        <ErrorSummary state=state.clone() />
        <form method="post" action="/account/password" novalidate>
            <FormFields form_id="change-password" />
            <TextInput
                name="current_password"
                label="Current password"
                input_type="password"
                autocomplete="current-password"
                state=state.clone()
            />
            <TextInput
                name="new_password"
                label="New password"
                input_type="password"
                autocomplete="new-password"
                hint="At least 10 characters. Other devices will be signed out."
                state=state.clone()
            />
            <button type="submit" class="button">"Change password"</button>
        </form>
    }
}

#[component]
fn Devices() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| api::my_sessions());
    view! {
        <h2>"Signed-in devices"</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match sessions.await {
                    Ok(sessions) => {
                        let others = sessions.iter().filter(|session| !session.current).count();
                        view! {
                            <table class="table">
                                <caption class="visually-hidden">"Browsers signed in to your account"</caption>
                                <thead><tr><th scope="col">"Browser"</th><th scope="col">"Signed in"</th><th scope="col">"Last used"</th></tr></thead>
                                <tbody>
                                    {sessions.into_iter().map(|session| view! {
                                        <tr>
                                            <td>{session.browser}{session.current.then_some(" (this device)")}</td>
                                            <td>{session.signed_in}</td>
                                            <td>{session.last_seen}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(others > 0).then(|| view! {
                                <form method="post" action="/account/sign-out-others">
                                    <FormFields form_id="sign-out-others" />
                                    <button type="submit" class="button button--secondary">"Sign out of all other devices"</button>
                                </form>
                            })}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
