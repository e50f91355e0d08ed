//! Resolves the session cookie into the request's [`Actor`], and records the request's origin
//! (client IP, User-Agent) for rate limits and the audit log.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::accounts::{Actor, RequestOrigin};

use super::cookies;
use crate::router::AppState;

/// Puts `Actor` and `RequestOrigin` into the request's extensions.
pub async fn resolve_actor(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let origin = RequestOrigin {
        ip: super::client_ip::client_ip(peer, request.headers(), &state.config.trusted_proxies),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(ToOwned::to_owned),
    };
    let actor = match cookies::read(request.headers(), cookies::SESSION) {
        Some(token) => match state.services.accounts.actor_for_session(&token).await {
            Ok(actor) => actor,
            Err(err) => {
                tracing::error!(%err, "session lookup failed; treating the request as anonymous");
                Actor::Anonymous
            }
        },
        None => Actor::Anonymous,
    };
    if let Some(member) = actor.member() {
        tracing::Span::current().record("member", member.id);
    }
    request.extensions_mut().insert(actor);
    request.extensions_mut().insert(origin);
    next.run(request).await
}

/// After a request that may have written (any but GET and HEAD, and any redirect: a link that
/// signs in, verifies or marks something read answers with one), brings this node's member
/// cache up to date before answering, so the member's next request sees what this one did.
pub async fn apply_own_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    let response = next.run(request).await;
    if !safe || response.status().is_redirection() {
        let services = &state.services;
        if let Err(err) = services.node_cache.catch_up(services.db()).await {
            tracing::warn!(%err, "the node cache could not catch up after a write");
        }
    }
    response
}

/// A page that needs a signed-in member answers 401; for a browser asking for a page that
/// becomes a redirect to the sign-in form, which returns the member to the page afterwards.
/// Which routes a browser navigates to comes from the route registry.
pub async fn redirect_to_sign_in(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_page = request.method() == Method::GET
        && state
            .routes
            .iter()
            .any(|rule| rule.is_navigation() && rule.matches(request.uri().path()));
    let target = request
        .uri()
        .path_and_query()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let response = next.run(request).await;
    if is_page && response.status() == StatusCode::UNAUTHORIZED {
        let next = serde_urlencoded::to_string([("next", target.as_str())]).unwrap_or_default();
        return Redirect::to(&format!("/sign-in?{next}")).into_response();
    }
    response
}

/// A path to return to after signing in: only this site's own pages.
pub fn safe_return_path(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\')).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return_path("/admin/members"), Some("/admin/members"));
        assert_eq!(safe_return_path("//evil.example/x"), None);
        assert_eq!(safe_return_path("https://evil.example"), None);
        assert_eq!(safe_return_path("/\\evil.example"), None);
    }
}
