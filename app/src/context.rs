//! What every server function and page needs on the server: the domain services and the
//! request's identity, read from Leptos context.

use leptos::prelude::*;

use crate::error::AppError;

/// Server-wide state handed to every page render and server function.
#[derive(Clone, Debug)]
pub struct ServerContext {
    /// The domain services.
    pub services: domain::Services,
}

/// The server context, or an internal error if the router forgot to provide it.
pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing from the Leptos context");
        AppError::internal()
    })
}

/// The id the server gave this request (header `x-request-id`), for error pages and logs.
pub fn request_id() -> Option<String> {
    use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
            .map(ToOwned::to_owned)
    })
}
