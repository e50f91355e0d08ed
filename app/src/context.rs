//! What every server function and page needs on the server: the domain services and the
//! request's identity, read from Leptos context.

use leptos::prelude::*;

use crate::error::AppError;

/// Server-wide state handed to every page render and server function.
#[derive(Clone, Debug)]
pub struct ServerContext {
    /// The domain services (shared: a render or server function takes the context many times).
    pub services: std::sync::Arc<domain::Services>,
}

/// The server context, or an internal error if the router forgot to provide it.
pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing from the Leptos context");
        AppError::internal()
    })
}

/// Reads the request's head in place. `use_context` would clone all its headers and
/// extensions, and a page asks several times.
fn with_request<R>(read: impl FnOnce(&http::request::Parts) -> Option<R>) -> Option<R> {
    with_context::<http::request::Parts, _>(read).flatten()
}

/// The id the server gave this request (header `x-request-id`), for error pages and logs.
pub fn request_id() -> Option<String> {
    with_request(|parts| {
        parts
            .headers
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
            .map(ToOwned::to_owned)
    })
}

/// Who is making this request, as resolved from the session cookie by the server.
pub fn actor() -> domain::accounts::Actor {
    with_request(|parts| parts.extensions.get::<domain::accounts::Actor>().cloned())
        .unwrap_or_default()
}

/// Where this request came from (IP and browser), as recorded by the server.
pub fn origin() -> domain::accounts::RequestOrigin {
    with_request(|parts| {
        parts
            .extensions
            .get::<domain::accounts::RequestOrigin>()
            .cloned()
    })
    .unwrap_or_default()
}

/// The CSRF token every form on this page must send back (see the server's CSRF layer).
pub fn csrf_token() -> String {
    with_request(|parts| {
        parts
            .extensions
            .get::<CsrfToken>()
            .map(|token| token.0.clone())
    })
    .unwrap_or_default()
}

/// The request's CSRF token, placed in the request extensions by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrfToken(pub String);

/// The session cookie's value, if the request has one.
pub fn session_token() -> Option<String> {
    cookie("ohnet_session")
}

/// The value of the request's cookie `name`, if it has one.
pub fn cookie(name: &str) -> Option<String> {
    with_request(|parts| {
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(found, _)| *found == name)
            .map(|(_, value)| value.to_owned())
    })
}

/// Sends the browser to `path` instead of this page: a 302 for an ordinary request, and a
/// header the client router follows after a server function call.
pub fn redirect(path: &str) {
    leptos_axum::redirect(path);
}
