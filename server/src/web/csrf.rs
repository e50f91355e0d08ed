//! CSRF protection for every state-changing request: the request must come from this site
//! (its `Origin`, or failing that its `Referer`, matches the site) and must carry the token
//! from the `ohnet_csrf` cookie, in the form field `csrf_token` or the `x-csrf-token` header
//! (the double-submit pattern). The cookie is HttpOnly and SameSite=Strict.

use app::context::CsrfToken;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use cookie::SameSite;
use cookie::time::Duration;

use super::cookies;
use crate::router::AppState;

/// Header a script may use instead of the form field.
pub const TOKEN_HEADER: &str = "x-csrf-token";
/// Form field carrying the token.
pub const TOKEN_FIELD: &str = "csrf_token";

/// Issues the CSRF cookie when missing and rejects unsafe requests that fail the checks.
pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let existing = cookies::read(request.headers(), cookies::CSRF)
        .filter(|token| token.len() >= 32 && token.len() <= 64);
    let token = existing
        .clone()
        .unwrap_or_else(|| domain::accounts::tokens::random_token(32));
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(CsrfToken(token.clone()));
    let body = if parts.method.is_safe() {
        body
    } else {
        if !same_site(&parts.headers, &state.config.base_url) {
            tracing::warn!(path = %parts.uri.path(), "cross-site request refused");
            return refused();
        }
        let bytes = match to_bytes(body, state.config.max_body_bytes).await {
            Ok(bytes) => bytes,
            Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        };
        let submitted = parts
            .headers
            .get(TOKEN_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(ToOwned::to_owned)
            .or_else(|| form_token(&parts.headers, &bytes));
        let valid = matches!((&existing, &submitted), (Some(cookie), Some(sent)) if constant_time_eq(cookie.as_bytes(), sent.as_bytes()));
        if !valid {
            tracing::warn!(path = %parts.uri.path(), "request without a valid CSRF token refused");
            return refused();
        }
        Body::from(bytes)
    };
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if existing.is_none()
        && let Some(cookie) = cookies::set(
            cookies::CSRF,
            &token,
            SameSite::Strict,
            state.config.base_url.starts_with("https://"),
            Some(Duration::days(365)),
        )
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// True when the request's Origin (or Referer) is this site: the configured base URL, or the
/// scheme and Host the request was sent to.
fn same_site(headers: &HeaderMap, base_url: &str) -> bool {
    let host_origins: Vec<String> = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(|host| vec![format!("http://{host}"), format!("https://{host}")])
        .unwrap_or_default();
    let allowed = |origin: &str| origin == base_url || host_origins.iter().any(|own| own == origin);
    if let Some(origin) = headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
    {
        return allowed(origin);
    }
    headers
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| {
            let rest = referer.split_once("://")?;
            let host = rest.1.split('/').next()?;
            Some(format!("{}://{host}", rest.0))
        })
        .is_some_and(|origin| allowed(&origin))
}

fn form_token(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return None;
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(name, _)| name == TOKEN_FIELD)
        .map(|(_, value)| value)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refused() -> Response {
    (
        StatusCode::FORBIDDEN,
        Html(
            "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>The form could not be sent – ohnet</title></head><body><main>\
             <h1>The form could not be sent</h1>\
             <p>The form has expired or did not come from ohnet. Go back, refresh the page \
             and try again.</p><p><a href=\"/\">Go to the ohnet home page</a></p>\
             </main></body></html>",
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origin_must_be_this_site() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:3000"),
        );
        assert!(same_site(&headers, "https://ohnet.example"));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_site(&headers, "https://ohnet.example"));
        headers.remove(header::ORIGIN);
        assert!(
            !same_site(&headers, "https://ohnet.example"),
            "no origin, no referer"
        );
        headers.insert(
            header::REFERER,
            HeaderValue::from_static("https://ohnet.example/sign-in"),
        );
        assert!(same_site(&headers, "https://ohnet.example"));
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
