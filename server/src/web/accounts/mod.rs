//! The accounts area on the web: applying, confirming, signing in and out, passwords, the
//! member's own account, their data download, and single sign-on.

mod sso;

use app::accounts::api::SSO_COOKIE;
use app::accounts::forms::{
    ChangePassword, CloseAccount, EmailPreferences, Register, RegisterWithSso,
    RequestPasswordReset, ResetPassword, SignIn, SignOut, SignOutOthers, UpdateProfile,
    VerifyEmail,
};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::access::Access;
use domain::accounts::{
    EmailPreferences as Choices, ForumEmail, MemberDetails, MemberStatus, Registration,
};
use domain::{Error, FieldError};

use super::cookies;
use super::form::{
    Submitted, actor_of, clear_cookie, error_status, see_other, signed_in, urlencode,
};
use super::routes::{Registry, RouteKind};
use crate::router::AppState;

/// The accounts routes with their access rules.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/register", Access::Public)
        .page("/register/check-email", Access::Public)
        .page("/register/sso", Access::Public)
        .page("/verify-email", Access::Public)
        .page("/sign-in", Access::Public)
        .page("/reset-password", Access::Public)
        .page("/reset-password/sent", Access::Public)
        .page("/reset-password/new", Access::Public)
        .page("/account", Access::SignedIn)
        .page("/account/profile", Access::Member)
        .page("/account/close", Access::Member)
        .server_fn("/api/accounts/registration-options", Access::Public)
        .server_fn("/api/accounts/current", Access::Public)
        .server_fn("/api/accounts/sso-available", Access::Public)
        .server_fn("/api/accounts/sso-applicant", Access::Public)
        .server_fn("/api/accounts/sessions", Access::SignedIn)
        .server_fn("/api/accounts/profile", Access::Member)
        .form::<Register>(post(register), Access::Public)
        .form::<RegisterWithSso>(post(register_with_sso), Access::Public)
        .form::<VerifyEmail>(post(verify_email), Access::Public)
        .form::<SignIn>(post(sign_in), Access::Public)
        .form::<SignOut>(post(sign_out), Access::Public)
        .form::<RequestPasswordReset>(post(request_password_reset), Access::Public)
        .form::<ResetPassword>(post(reset_password), Access::Public)
        .form::<UpdateProfile>(post(update_profile), Access::Member)
        .form::<EmailPreferences>(post(email_preferences), Access::Member)
        .form::<ChangePassword>(post(change_password), Access::SignedIn)
        .form::<SignOutOthers>(post(sign_out_others), Access::SignedIn)
        .form::<CloseAccount>(post(close_account), Access::SignedIn)
        .get(
            "/account/data",
            RouteKind::Download,
            get(download_my_data),
            Access::SignedIn,
        )
        .get(
            "/sign-in/sso",
            RouteKind::Redirect,
            get(sso::start),
            Access::Public,
        )
        .get(
            "/sign-in/sso/callback",
            RouteKind::Redirect,
            get(sso::callback),
            Access::Public,
        )
}

async fn register(State(state): State<AppState>, form: Submitted<Register>) -> Response {
    let fields = form.form.clone();
    let registration = Registration {
        name: fields.name,
        email: fields.email,
        password: fields.password,
        profession: fields.profession,
        organisation: fields.organisation,
        regulator: fields.regulator,
        registration_number: fields.registration_number,
        groups: fields.groups,
    };
    let outcome = state
        .services
        .accounts
        .register(registration, &form.origin())
        .await;
    form.finish(&state, "/register", outcome, |()| {
        "/register/check-email".to_owned()
    })
    .await
}

async fn register_with_sso(
    State(state): State<AppState>,
    form: Submitted<RegisterWithSso>,
) -> Response {
    let token = cookies::read(form.headers(), SSO_COOKIE).unwrap_or_default();
    let fields = &form.form;
    let details = MemberDetails {
        name: fields.name.clone(),
        profession: fields.profession.clone(),
        organisation: fields.organisation.clone(),
        regulator: fields.regulator.clone(),
        registration_number: fields.registration_number.clone(),
    };
    let outcome = state
        .services
        .accounts
        .sso_apply(&token, &details, fields.groups.clone(), &form.origin())
        .await;
    match outcome {
        Ok(session) => {
            let mut response = signed_in(&state, form.headers(), &session.token, "/account").await;
            clear_cookie(&state, &mut response, SSO_COOKIE);
            response
        }
        Err(error) => form.failed(&state, "/register/sso", error).await,
    }
}

async fn verify_email(State(state): State<AppState>, form: Submitted<VerifyEmail>) -> Response {
    let token = form.form.token.clone();
    let outcome = state.services.accounts.verify_email(&token).await;
    let page = format!("/verify-email?token={}", urlencode(&token));
    form.finish(&state, &page, outcome, |status| match status {
        MemberStatus::Active => "/sign-in?done=approved".to_owned(),
        _ => "/sign-in?done=verified".to_owned(),
    })
    .await
}

async fn sign_in(State(state): State<AppState>, form: Submitted<SignIn>) -> Response {
    let outcome = state
        .services
        .accounts
        .sign_in(&form.form.email, &form.form.password, &form.origin())
        .await;
    match outcome {
        Ok(session) => {
            let destination =
                super::session::safe_return_path(&form.form.next).unwrap_or("/account");
            signed_in(&state, form.headers(), &session.token, destination).await
        }
        Err(error) => form.failed(&state, "/sign-in", error).await,
    }
}

async fn sign_out(State(state): State<AppState>, request: Request) -> Response {
    if let Some(token) = cookies::read(request.headers(), cookies::SESSION)
        && let Err(err) = state.services.accounts.sign_out(&token).await
    {
        tracing::error!(%err, "sign-out failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = see_other("/sign-in?done=signed-out");
    clear_cookie(&state, &mut response, cookies::SESSION);
    response
}

async fn request_password_reset(
    State(state): State<AppState>,
    form: Submitted<RequestPasswordReset>,
) -> Response {
    let outcome = state
        .services
        .accounts
        .request_password_reset(&form.form.email, &form.origin())
        .await;
    form.finish(&state, "/reset-password", outcome, |()| {
        "/reset-password/sent".to_owned()
    })
    .await
}

async fn reset_password(State(state): State<AppState>, form: Submitted<ResetPassword>) -> Response {
    let outcome = state
        .services
        .accounts
        .reset_password(&form.form.token, &form.form.password)
        .await;
    let page = format!("/reset-password/new?token={}", urlencode(&form.form.token));
    form.finish(&state, &page, outcome, |()| {
        "/sign-in?done=password-reset".to_owned()
    })
    .await
}

async fn update_profile(State(state): State<AppState>, form: Submitted<UpdateProfile>) -> Response {
    let fields = &form.form;
    let details = MemberDetails {
        name: fields.name.clone(),
        profession: fields.profession.clone(),
        organisation: fields.organisation.clone(),
        regulator: fields.regulator.clone(),
        registration_number: fields.registration_number.clone(),
    };
    let outcome = state
        .services
        .accounts
        .update_profile(&form.actor(), &details)
        .await;
    form.finish(&state, "/account/profile", outcome, |()| {
        "/account?done=profile-saved".to_owned()
    })
    .await
}

async fn email_preferences(
    State(state): State<AppState>,
    form: Submitted<EmailPreferences>,
) -> Response {
    let outcome = match ForumEmail::parse(&form.form.forum_email) {
        Some(forum_email) => {
            let choices = Choices {
                newsletters: form.form.newsletters,
                forum_email,
                watch_own_topics: form.form.watch_own_topics,
                events: form.form.events,
            };
            state
                .services
                .accounts
                .set_email_preferences(&form.actor(), choices)
                .await
        }
        None => Err(Error::InvalidFields(vec![FieldError::new(
            "forum_email",
            "Choose how you want to hear about the forums",
        )])),
    };
    form.finish(&state, "/account", outcome, |()| {
        "/account?done=preferences-saved".to_owned()
    })
    .await
}

async fn change_password(
    State(state): State<AppState>,
    form: Submitted<ChangePassword>,
) -> Response {
    let token = cookies::read(form.headers(), cookies::SESSION).unwrap_or_default();
    let outcome = state
        .services
        .accounts
        .change_password(
            &form.actor(),
            &token,
            &form.form.current_password,
            &form.form.new_password,
            &form.origin(),
        )
        .await;
    form.finish(&state, "/account", outcome, |()| {
        "/account?done=password-changed".to_owned()
    })
    .await
}

async fn sign_out_others(
    State(state): State<AppState>,
    form: Submitted<SignOutOthers>,
) -> Response {
    let token = cookies::read(form.headers(), cookies::SESSION).unwrap_or_default();
    let outcome = state
        .services
        .accounts
        .sign_out_other_sessions(&form.actor(), &token)
        .await;
    form.finish(&state, "/account", outcome, |_| {
        "/account?done=signed-out-others".to_owned()
    })
    .await
}

async fn close_account(State(state): State<AppState>, form: Submitted<CloseAccount>) -> Response {
    let outcome = state
        .services
        .accounts
        .close_account(&form.actor(), form.form.confirm, &form.form.password)
        .await;
    match outcome {
        Ok(()) => {
            let mut response = see_other("/sign-in?done=closed");
            clear_cookie(&state, &mut response, cookies::SESSION);
            response
        }
        Err(error) => form.failed(&state, "/account/close", error).await,
    }
}

async fn download_my_data(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    match state.services.export_member_data(&actor_of(&parts)).await {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"ohnet-my-data.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(error) => error_status(&parts, error),
    }
}
