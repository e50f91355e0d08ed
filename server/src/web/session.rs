//! Resolves the session cookie into the request's [`Actor`], and records the request's origin
//! (client IP, User-Agent) for rate limits and the audit log.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use domain::accounts::{Actor, RequestOrigin};

use super::cookies;
use crate::router::AppState;

/// Puts `Actor` and `RequestOrigin` into the request's extensions.
pub async fn resolve_actor(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let origin = RequestOrigin {
        ip: request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip()),
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
