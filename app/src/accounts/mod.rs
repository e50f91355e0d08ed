//! Joining and signing in: the application form, email confirmation, sign-in, and the
//! member's own account page (which is all a pending applicant can see).

pub mod api;
pub mod dto;
pub mod forms;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::forms::{
    CheckboxInput, ErrorSummary, Form, FormFields, RadioGroup, SelectInput, SuccessBanner,
    TextInput, form_state,
};
use crate::layout::{Breadcrumbs, ErrorPage};
use forms::{
    ChangePassword, CloseAccount, EmailPreferences, Register, RegisterWithSso,
    RequestPasswordReset, ResetPassword, SignIn, SignOutOthers, UpdateProfile, VerifyEmail,
};

/// `/register`: apply to join the network.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let options = Resource::new(|| (), |_| api::registration_options());
    let state = form_state(Register::SPEC.id);
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
    view! {
        <ErrorSummary state=state.clone() />
        <form method="post" action=Register::SPEC.action novalidate>
            <FormFields form_id=Register::SPEC.id />
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
            <DetailsFields options=options.clone() state=state.clone() />
            <GroupChoices groups=options.groups state=state.clone() />
            <button type="submit" class="button">"Apply to join"</button>
        </form>
    }
}

/// Profession, organisation, regulator and registration number: shared by the application
/// forms and the profile page. `saved` fills them until the form is submitted.
#[component]
fn DetailsFields(
    options: dto::ApplicationChoices,
    state: crate::forms::FormState,
    #[prop(optional)] saved: Option<dto::ProfileView>,
) -> impl IntoView {
    let saved = saved.unwrap_or(dto::ProfileView {
        name: String::new(),
        email: String::new(),
        profession: String::new(),
        profession_label: String::new(),
        organisation: String::new(),
        organisation_label: String::new(),
        regulator: String::new(),
        regulator_label: String::new(),
        registration_number: String::new(),
        newsletters: true,
        forum_email: "each".to_owned(),
        watch_own_topics: true,
        events: true,
        has_password: true,
    });
    view! {
        <SelectInput name="profession" label="Profession" options=options.professions state=state.clone() initial=saved.profession />
        <SelectInput
            name="organisation"
            label="Organisation"
            hint="The police force you work in or for"
            options=options.organisations
            state=state.clone()
            initial=saved.organisation
        />
        <SelectInput name="regulator" label="Regulator" options=options.regulators state=state.clone() initial=saved.regulator />
        <TextInput
            name="registration_number"
            label="Registration number (optional)"
            autocomplete="off"
            state=state.clone()
            initial=saved.registration_number
        />
    }
}

/// The groups an applicant may ask to join, as checkboxes.
#[component]
fn GroupChoices(groups: Vec<(String, String)>, state: crate::forms::FormState) -> impl IntoView {
    let groups_error = state.error("groups");
    let groups_class = if groups_error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    view! {
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
                    {groups
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
    }
}

/// `/register/sso`: a newcomer back from their organisation's single sign-on completes the
/// application (name and verified email come from the provider; no password needed).
#[component]
pub fn RegisterSsoPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async {
            Ok::<_, crate::error::AppError>((
                api::sso_applicant().await?,
                api::registration_options().await?,
            ))
        },
    );
    let state = form_state(RegisterWithSso::SPEC.id);
    view! {
        <Title text="Apply to join" />
        <h1>"Apply to join the network"</h1>
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((applicant, options)) => view! {
                            <p class="lead">
                                "Your organisation has confirmed your email address, "
                                <strong>{applicant.email.clone()}</strong>
                                ". Tell us about your role to finish your application; an administrator checks each one."
                            </p>
                            <ErrorSummary state=state.clone() />
                            <form method="post" action=RegisterWithSso::SPEC.action novalidate>
                                <FormFields form_id=RegisterWithSso::SPEC.id />
                                <TextInput name="name" label="Full name" autocomplete="name" state=state.clone() initial=applicant.name />
                                <DetailsFields options=options.clone() state=state.clone() />
                                <GroupChoices groups=options.groups state=state.clone() />
                                <button type="submit" class="button">"Apply to join"</button>
                            </form>
                        }
                        .into_any(),
                        Err(crate::error::AppError::NotFound) => view! {
                            <p>"Your single sign-on has expired or was started in another browser. "
                            <a href="/sign-in">"Sign in again"</a>" to continue."</p>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
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
    let state = form_state(VerifyEmail::SPEC.id);
    view! {
        <Title text="Confirm your email address" />
        <h1>"Confirm your email address"</h1>
        <ErrorSummary state=state.clone() />
        <form method="post" action=VerifyEmail::SPEC.action>
            <FormFields form_id=VerifyEmail::SPEC.id />
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
        "closed" => Some("Your account has been closed and your personal details erased."),
        _ => None,
    };
    let sso = Resource::new(|| (), |_| api::sso_available());
    let state = form_state(SignIn::SPEC.id);
    let next = query
        .read_untracked()
        .get("next")
        .or_else(|| state.value("next").map(ToOwned::to_owned))
        .unwrap_or_default();
    let next_for_sso = next.clone();
    view! {
        <Title text="Sign in" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Sign in"</h1>
        <ErrorSummary state=state.clone() />
        <form method="post" action=SignIn::SPEC.action novalidate>
            <FormFields form_id=SignIn::SPEC.id />
            <input type="hidden" name="next" value=next />
            <TextInput name="email" label="Email address" input_type="email" autocomplete="email" state=state.clone() />
            <TextInput name="password" label="Password" input_type="password" autocomplete="current-password" state=state.clone() />
            <button type="submit" class="button">"Sign in"</button>
        </form>
        <p><a href="/reset-password">"Forgotten your password?"</a></p>
        <Suspense fallback=|| ()>
            {move || {
                let next = next_for_sso.clone();
                Suspend::new(async move {
                    matches!(sso.await, Ok(true)).then(|| {
                        let href = if next.is_empty() {
                            "/sign-in/sso".to_owned()
                        } else {
                            format!("/sign-in/sso?next={}", crate::query_string::encode_value(&next))
                        };
                        view! {
                            <div class="sso" id="field-sso">
                                <h2>"Sign in with your organisation"</h2>
                                <p>"If your force or organisation gives you a work account for single sign-on, use it instead of a password."</p>
                                <a class="button button--secondary" href=href>"Sign in with your organisation's account"</a>
                            </div>
                        }
                    })
                })
            }}
        </Suspense>
        <p>"Not a member yet? "<a href="/register">"Apply to join"</a></p>
    }
}

/// `/reset-password`: ask for a reset link.
#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let state = form_state(RequestPasswordReset::SPEC.id);
    view! {
        <Title text="Reset your password" />
        <h1>"Reset your password"</h1>
        <p>"Enter the email address you use for ohnet. If it belongs to an account, we will email a link to choose a new password."</p>
        <ErrorSummary state=state.clone() />
        <form method="post" action=RequestPasswordReset::SPEC.action novalidate>
            <FormFields form_id=RequestPasswordReset::SPEC.id />
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
    let state = form_state(ResetPassword::SPEC.id);
    view! {
        <Title text="Choose a new password" />
        <h1>"Choose a new password"</h1>
        <ErrorSummary state=state.clone() />
        <form method="post" action=ResetPassword::SPEC.action novalidate>
            <FormFields form_id=ResetPassword::SPEC.id />
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
                    Ok(Some(account)) => view! { <MemberAccount account /> }.into_any(),
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

/// The approved member's account page: profile, email choices, password, devices, data and
/// closing the account.
#[component]
fn MemberAccount(account: dto::AccountView) -> impl IntoView {
    let profile = Resource::new(|| (), |_| api::my_profile());
    view! {
        <Title text="Your account" />
        {account_banner()}
        <h1>"Your account"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! {
                        <h2>"Your profile"</h2>
                        <dl class="summary-list">
                            <div class="summary-list__row"><dt>"Name"</dt><dd>{profile.name.clone()}</dd></div>
                            <div class="summary-list__row"><dt>"Email address"</dt><dd>{profile.email.clone()}</dd></div>
                            <div class="summary-list__row"><dt>"Profession"</dt><dd>{profile.profession_label.clone()}</dd></div>
                            <div class="summary-list__row"><dt>"Organisation"</dt><dd>{profile.organisation_label.clone()}</dd></div>
                            <div class="summary-list__row"><dt>"Registration"</dt><dd>{
                                if profile.registration_number.is_empty() { profile.regulator_label.clone() } else { format!("{}: {}", profile.regulator_label, profile.registration_number) }
                            }</dd></div>
                        </dl>
                        <p><a href="/account/profile">"Change your profile"</a></p>
                        <p><a href="/cpd/cycle">"Your regulator and CPD cycle (revalidation, renewal or appraisal date)"</a></p>
                        <EmailPreferencesForm profile=profile.clone() />
                        <ChangePassword has_password=profile.has_password />
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Role"</dt><dd>{account.role.clone()}</dd></div>
        </dl>
        {account.administrator.then(|| view! {
            <h2>"Administration"</h2>
            <ul>
                <li><a href="/admin/members">"Review applications and members"</a></li>
                <li><a href="/admin/allow-list">"Email domains approved automatically"</a></li>
                <li><a href="/admin/audit">"Audit log"</a></li>
            </ul>
        })}
        <crate::forums::FeedSettingsSection />
        <Devices />
        <h2>"Your data"</h2>
        <p>
            <a href="/account/data" download="ohnet-my-data.json">"Download your data"</a>
            " (a JSON file with your profile, groups and signed-in devices)."
        </p>
        <h2>"Close your account"</h2>
        <p>"Closing your account erases your personal details. What you have written stays, attributed to “Former member”."</p>
        <p><a href="/account/close">"Close your account"</a></p>
    }
}

/// The forum email choices (stored value, label).
const FORUM_EMAIL_CHOICES: [(&str, &str); 3] = [
    ("each", "An email for each new post"),
    ("daily", "One email a day with what I have not read"),
    (
        "off",
        "No forum emails (notifications still appear on the site)",
    ),
];

#[component]
fn EmailPreferencesForm(profile: dto::ProfileView) -> impl IntoView {
    let state = form_state(EmailPreferences::SPEC.id);
    view! {
        <h2 id="email-preferences">"Emails you receive"</h2>
        <ErrorSummary state=state.clone() />
        <form method="post" action=EmailPreferences::SPEC.action>
            <FormFields form_id=EmailPreferences::SPEC.id />
            <fieldset class="fieldset">
                <legend class="fieldset__legend">"Send me"</legend>
                <p class="hint">"Emails about your account itself, such as password resets, are always sent."</p>
                <CheckboxInput name="newsletters" label="The network newsletter" state=state.clone() initial=profile.newsletters />
                <CheckboxInput name="events" label="Reminders of workshops and events I have registered for" state=state.clone() initial=profile.events />
            </fieldset>
            <RadioGroup
                name="forum_email"
                legend="Forum emails about topics and forums you watch"
                options=FORUM_EMAIL_CHOICES.to_vec()
                state=state.clone()
                initial=profile.forum_email
            />
            <CheckboxInput
                name="watch_own_topics"
                label="Watch topics I start or reply to"
                hint="You can stop watching any topic from its page."
                state=state.clone()
                initial=profile.watch_own_topics
            />
            <button type="submit" class="button button--secondary">"Save email choices"</button>
        </form>
    }
}

/// `/account/profile`: change name and professional details.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async {
            Ok::<_, crate::error::AppError>((
                api::my_profile().await?,
                api::registration_options().await?,
            ))
        },
    );
    let state = form_state(UpdateProfile::SPEC.id);
    view! {
        <Title text="Change your profile" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned()), ("Your account".to_owned(), "/account".to_owned())] current="Change your profile" />
        <h1>"Change your profile"</h1>
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((profile, options)) => view! {
                            <ErrorSummary state=state.clone() />
                            <form method="post" action=UpdateProfile::SPEC.action novalidate>
                                <FormFields form_id=UpdateProfile::SPEC.id />
                                <TextInput name="name" label="Full name" autocomplete="name" state=state.clone() initial=profile.name.clone() />
                                <DetailsFields options state=state.clone() saved=profile.clone() />
                                <p>"To change your email address, contact the network administrators."</p>
                                <p>"The date your CPD cycle ends (your NMC revalidation, HCPC renewal or appraisal date) is set with your regulator at "<a href="/cpd/cycle">"your CPD cycle"</a>"."</p>
                                <button type="submit" class="button">"Save profile"</button>
                            </form>
                        }
                        .into_any(),
                        Err(error) => signed_in_error(error),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/account/close`: close the account for good, after confirming.
#[component]
pub fn CloseAccountPage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| api::my_profile());
    let state = form_state(CloseAccount::SPEC.id);
    view! {
        <Title text="Close your account" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned()), ("Your account".to_owned(), "/account".to_owned())] current="Close your account" />
        <h1>"Close your account"</h1>
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match profile.await {
                        Ok(profile) => view! {
                            <div class="warning-text">
                                <p><strong>"This cannot be undone."</strong></p>
                            </div>
                            <p>"When you close your account:"</p>
                            <ul>
                                <li>"your name, email address, professional details and password are erased"</li>
                                <li>"you leave all groups and are signed out everywhere"</li>
                                <li>"forum posts you wrote stay, attributed to “Former member”"</li>
                            </ul>
                            <p>"You may want to " <a href="/account/data" download="ohnet-my-data.json">"download your data"</a> " first."</p>
                            <ErrorSummary state=state.clone() />
                            <form method="post" action=CloseAccount::SPEC.action novalidate>
                                <FormFields form_id=CloseAccount::SPEC.id />
                                {profile.has_password.then(|| view! {
                                    <TextInput name="password" label="Your password" input_type="password" autocomplete="current-password" state=state.clone() />
                                })}
                                <CheckboxInput name="confirm" label="I understand that closing my account cannot be undone" state=state.clone() />
                                <button type="submit" class="button button--warning">"Close my account"</button>
                            </form>
                        }
                        .into_any(),
                        Err(error) => signed_in_error(error),
                    }
                })
            }}
        </Suspense>
    }
}

/// A members' page's error: a 401 becomes a redirect to sign in (done by the server).
fn signed_in_error(error: crate::error::AppError) -> AnyView {
    view! { <ErrorPage error /> }.into_any()
}

fn account_banner() -> Option<impl IntoView> {
    let query = use_query_map();
    let done = query.read_untracked().get("done").unwrap_or_default();
    let message = match done.as_str() {
        "password-changed" => "Your password has been changed. Other devices have been signed out.",
        "signed-out-others" => "You have been signed out of all other devices.",
        "profile-saved" => "Your profile has been saved.",
        "preferences-saved" => "Your email choices have been saved.",
        "password-set" => "Your password has been set. You can now also sign in with it.",
        "feeds-on" => "Your forum feeds are on.",
        "feeds-renewed" => "Your feed addresses have been replaced. The old ones no longer work.",
        "feeds-off" => "Your forum feeds are off. Every feed address you had no longer works.",
        _ => return None,
    };
    Some(view! { <SuccessBanner message=message.to_owned() /> })
}

#[component]
fn ChangePassword(has_password: bool) -> impl IntoView {
    let state = form_state(ChangePassword::SPEC.id);
    view! {
        <h2>{if has_password { "Change your password" } else { "Set a password" }}</h2>
        {(!has_password).then(|| view! {
            <p>"You sign in through your organisation. A password lets you sign in without it too."</p>
        })}
        <ErrorSummary state=state.clone() />
        <form method="post" action=ChangePassword::SPEC.action novalidate>
            <FormFields form_id=ChangePassword::SPEC.id />
            {has_password.then(|| view! {
                <TextInput
                    name="current_password"
                    label="Current password"
                    input_type="password"
                    autocomplete="current-password"
                    state=state.clone()
                />
            })}
            <TextInput
                name="new_password"
                label="New password"
                input_type="password"
                autocomplete="new-password"
                hint="At least 10 characters. Other devices will be signed out."
                state=state.clone()
            />
            <button type="submit" class="button">{if has_password { "Change password" } else { "Set password" }}</button>
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
                                <form method="post" action=SignOutOthers::SPEC.action>
                                    <FormFields form_id=SignOutOthers::SPEC.id />
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
