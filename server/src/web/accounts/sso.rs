//! Single sign-on routes: `GET /sign-in/sso` sends the browser to the OpenID Connect provider
//! with a cookie binding the attempt to it; the provider sends it back to
//! `GET /sign-in/sso/callback`, which signs the member in or takes a newcomer to the
//! application form. Both answer 404 when single sign-on is not configured.

use std::collections::HashMap;

use app::accounts::api::SSO_COOKIE;
use app::accounts::forms::SignIn;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cookie::SameSite;
use cookie::time::Duration;
use domain::accounts::{RequestOrigin, SsoOutcome};
use domain::{Error, FieldError};

use crate::router::AppState;
use crate::web::cookies;
use crate::web::form::{Submitted, clear_cookie, see_other, signed_in};

/// How long the browser keeps the attempt's cookie: the sign-on plus the application form.
const ATTEMPT_COOKIE_MINUTES: i64 = 30;

pub(super) async fn start(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    if !state.services.accounts.sso_enabled() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let next = query.get("next").map(String::as_str).unwrap_or_default();
    let return_to = crate::web::session::safe_return_path(next).unwrap_or("/account");
    match state.services.accounts.sso_begin(return_to).await {
        Ok(start) => {
            let mut response = see_other(&start.url);
            if let Some(cookie) = cookies::set(
                SSO_COOKIE,
                &start.token,
                // Lax: the provider's redirect back is a top-level navigation from its site.
                SameSite::Lax,
                state.config.base_url.starts_with("https://"),
                Some(Duration::minutes(ATTEMPT_COOKIE_MINUTES)),
            ) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => sign_in_failed(&state, request, error).await,
    }
}

pub(super) async fn callback(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    if !state.services.accounts.sso_enabled() {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(code) = query.get("error") {
        tracing::info!(error = %code, "single sign-on refused or cancelled at the provider");
        let message = "Single sign-on was cancelled or refused by your organisation's sign-in \
                       service. Try again, or sign in with your email address and password.";
        return sign_in_failed(
            &state,
            request,
            Error::InvalidFields(vec![FieldError::new("sso", message)]),
        )
        .await;
    }
    let token = cookies::read(request.headers(), SSO_COOKIE).unwrap_or_default();
    let origin = request
        .extensions()
        .get::<RequestOrigin>()
        .cloned()
        .unwrap_or_default();
    let field = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
    let outcome = state
        .services
        .accounts
        .sso_complete(&token, field("state"), field("code"), &origin)
        .await;
    match outcome {
        Ok(SsoOutcome::SignedIn {
            signed_in: session,
            return_to,
        }) => {
            let mut response =
                signed_in(&state, request.headers(), &session.token, &return_to).await;
            clear_cookie(&state, &mut response, SSO_COOKIE);
            response
        }
        Ok(SsoOutcome::Apply) => see_other("/register/sso"),
        Err(error) => sign_in_failed(&state, request, error).await,
    }
}

/// Shows the sign-in page again with what went wrong.
async fn sign_in_failed(state: &AppState, request: Request, error: Error) -> Response {
    let (parts, _) = request.into_parts();
    Submitted::<SignIn>::without_body(parts)
        .failed(state, "/sign-in", error)
        .await
}
