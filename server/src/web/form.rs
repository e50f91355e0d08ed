//! The form mechanics every area's handlers share. A form is a plain HTML post to its page's
//! own URL, read into its typed struct ([`app::forms::Form`]). On success the handler
//! redirects (303); on a mistake the same page is rendered again with the values typed and
//! every problem listed (422, 409, 429 …), so nothing is lost and no JavaScript is needed.

use std::collections::HashMap;

use app::error::AppError;
use app::forms::{Form, FormState};
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cookie::SameSite;
use cookie::time::Duration;
use domain::accounts::{Actor, RequestOrigin, SESSION_DAYS};
use leptos::prelude::provide_context;

use super::cookies;
use crate::router::{AppState, REQUEST_ID, internal_error_html, leptos_context};

/// The hidden field naming which form on a page was sent.
const FORM_ID_FIELD: &str = "form_id";

/// A submitted form: its typed fields, plus what was typed (for showing the page again) and
/// the request it came with. As an extractor it reads the body within the form size limit
/// and answers 400 when the body is not this form.
pub struct Submitted<F> {
    /// The typed fields.
    pub form: F,
    /// The request, without its body.
    pub parts: Parts,
    values: HashMap<String, Vec<String>>,
    form_id: String,
}

impl<F: Form + Send> FromRequest<AppState> for Submitted<F> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let bytes = to_bytes(body, state.config.max_form_bytes)
            .await
            .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| unreadable())?;
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        let mut form_id = String::new();
        for (name, value) in pairs {
            match name.as_str() {
                super::csrf::TOKEN_FIELD => {}
                FORM_ID_FIELD => form_id = value,
                _ => values.entry(name).or_default().push(value),
            }
        }
        let object = values
            .iter()
            .map(|(name, list)| {
                let value = match list.as_slice() {
                    [one] => serde_json::Value::String(one.clone()),
                    many => serde_json::Value::from(many.to_vec()),
                };
                (name.clone(), value)
            })
            .collect();
        let form = serde_json::from_value(serde_json::Value::Object(object)).map_err(|err| {
            tracing::warn!(form = F::SPEC.id, %err, "a form post did not match its form");
            unreadable()
        })?;
        let form_id = if F::SPEC.matches(&form_id) {
            form_id
        } else {
            F::SPEC.id.to_owned()
        };
        Ok(Self {
            form,
            parts,
            values,
            form_id,
        })
    }
}

fn unreadable() -> Response {
    (StatusCode::BAD_REQUEST, "The form could not be read").into_response()
}

impl<F: Form + Default> Submitted<F> {
    /// A request that carried no form (a GET whose failure shows form `F`'s page with a
    /// message).
    pub fn without_body(parts: Parts) -> Self {
        Self {
            form: F::default(),
            parts,
            values: HashMap::new(),
            form_id: F::SPEC.id.to_owned(),
        }
    }
}

impl<F: Form> Submitted<F> {
    /// Who sent it.
    pub fn actor(&self) -> Actor {
        actor_of(&self.parts)
    }

    /// Where it came from (IP and browser).
    pub fn origin(&self) -> RequestOrigin {
        origin_of(&self.parts)
    }

    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// Redirects to `done(value)` on success; otherwise shows `page` again with the problems.
    pub async fn finish<T>(
        self,
        state: &AppState,
        page: &str,
        outcome: domain::Result<T>,
        done: impl FnOnce(T) -> String,
    ) -> Response {
        match outcome {
            Ok(value) => see_other(&done(value)),
            Err(error) => self.failed(state, page, error).await,
        }
    }

    /// Renders `page` again with this submission's values (passwords dropped) and `error`'s
    /// problems, or redirects/answers as the error's kind requires.
    pub async fn failed(self, state: &AppState, page: &str, error: domain::Error) -> Response {
        let request_id = self
            .parts
            .headers
            .get(REQUEST_ID)
            .and_then(|value| value.to_str().ok())
            .map(ToOwned::to_owned);
        let problem = AppError::from_domain(error, request_id);
        let status =
            StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let errors = match problem {
            AppError::Unauthenticated => return Redirect::to("/sign-in").into_response(),
            AppError::Internal { request_id } => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Html(internal_error_html(
                        request_id.as_deref().unwrap_or("unknown"),
                    )),
                )
                    .into_response();
            }
            AppError::Invalid { problems } => problems
                .into_iter()
                .map(|problem| (problem.field, problem.message))
                .collect(),
            AppError::Forbidden => vec![(
                F::FIRST_FIELD.to_owned(),
                "You do not have permission to do that".to_owned(),
            )],
            AppError::NotFound => vec![(
                F::FIRST_FIELD.to_owned(),
                "That no longer exists; the page has been refreshed".to_owned(),
            )],
            other => vec![(F::FIRST_FIELD.to_owned(), other.to_string())],
        };
        let mut values = self.values;
        values.retain(|name, _| !name.contains("password"));
        let form = FormState {
            form_id: self.form_id,
            values,
            errors,
            preview: None,
        };
        render_page(state, self.parts, page, form, status).await
    }

    /// Shows `page` again with what was typed and `preview_html` (a Markdown preview).
    pub async fn preview(self, state: &AppState, page: &str, preview_html: String) -> Response {
        let form = FormState {
            form_id: self.form_id,
            values: self.values,
            errors: Vec::new(),
            preview: Some(preview_html),
        };
        render_page(state, self.parts, page, form, StatusCode::OK).await
    }
}

/// Where the request came from (IP and browser), as the session layer recorded it.
pub fn origin_of(parts: &Parts) -> RequestOrigin {
    parts
        .extensions
        .get::<RequestOrigin>()
        .cloned()
        .unwrap_or_default()
}

/// The request's actor (anonymous when the session layer found none).
pub fn actor_of(parts: &Parts) -> Actor {
    parts.extensions.get::<Actor>().cloned().unwrap_or_default()
}

/// Renders the Leptos page at `page` for this request (as a GET), with `form` in context.
pub(crate) async fn render_page(
    state: &AppState,
    mut parts: Parts,
    page: &str,
    form: FormState,
    status: StatusCode,
) -> Response {
    parts.method = Method::GET;
    parts.uri = page
        .parse::<Uri>()
        .unwrap_or_else(|_| Uri::from_static("/"));
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let context = leptos_context(state);
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            context();
            provide_context(form.clone());
        },
        move || app::shell::shell(options.clone()),
    );
    let mut response = handler(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

/// 303 See Other to `path`.
pub(crate) fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// Redirects to `destination` with a fresh session cookie, ending any earlier session of this
/// browser (so a session is never carried across a sign-in).
pub(crate) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    destination: &str,
) -> Response {
    if let Some(previous) = cookies::read(headers, cookies::SESSION)
        && let Err(err) = state.services.accounts.sign_out(&previous).await
    {
        tracing::warn!(%err, "could not end the previous session");
    }
    let mut response = see_other(destination);
    if let Some(cookie) = cookies::set(
        cookies::SESSION,
        token,
        SameSite::Lax,
        state.config.base_url.starts_with("https://"),
        Some(Duration::days(SESSION_DAYS)),
    ) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// Deletes cookie `name` on `response`.
pub(crate) fn clear_cookie(state: &AppState, response: &mut Response, name: &str) {
    if let Some(cookie) = cookies::set(
        name,
        "",
        SameSite::Lax,
        state.config.base_url.starts_with("https://"),
        None,
    ) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
}

/// Percent-encodes `text` for a query string value.
pub(crate) fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|encoded| encoded.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// An error answered to a download or feed request: the status by kind, and nothing else.
pub(crate) fn error_status(parts: &Parts, error: domain::Error) -> Response {
    let request_id = parts
        .headers
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .map(ToOwned::to_owned);
    let problem = AppError::from_domain(error, request_id);
    StatusCode::from_u16(problem.status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        .into_response()
}
