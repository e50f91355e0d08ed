//! CSRF protection for every state-changing request: the request must come from this site
//! (its `Origin`, or failing that its `Referer`, matches the site) and must carry the token
//! from the `ohnet_csrf` cookie, in the form field `csrf_token` or the `x-csrf-token` header
//! (the double-submit pattern). The cookie is HttpOnly and SameSite=Strict.
//!
//! URL-encoded forms are small and read whole (within the form size limit). A multipart form
//! (an upload) must send the token as its first field, which is what [`app::forms::FormFields`]
//! renders first: only that first part is read here, and the body is passed on as a stream,
//! so a large upload is never buffered twice.

use app::context::CsrfToken;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use cookie::SameSite;
use cookie::time::Duration;
use futures_util::StreamExt;

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
        let header_token = parts
            .headers
            .get(TOKEN_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(ToOwned::to_owned);
        let (submitted, body) = match (header_token, body_kind(&parts.headers)) {
            (Some(token), _) => (Some(token), body),
            (None, BodyKind::UrlEncoded) => match to_bytes(body, state.config.max_form_bytes).await
            {
                Ok(bytes) => (form_token(&bytes), Body::from(bytes)),
                Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
            },
            (None, BodyKind::Multipart(boundary)) => multipart_token(body, &boundary).await,
            (None, BodyKind::Other) => (None, body),
        };
        let valid = matches!((&existing, &submitted), (Some(cookie), Some(sent)) if constant_time_eq(cookie.as_bytes(), sent.as_bytes()));
        if !valid {
            tracing::warn!(path = %parts.uri.path(), "request without a valid CSRF token refused");
            return refused();
        }
        body
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

/// How a state-changing request's body is encoded.
enum BodyKind {
    /// `application/x-www-form-urlencoded`.
    UrlEncoded,
    /// `multipart/form-data` with its boundary.
    Multipart(String),
    /// Anything else (such a request must send the token as a header).
    Other,
}

fn body_kind(headers: &HeaderMap) -> BodyKind {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let essence = kind.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return BodyKind::UrlEncoded;
    }
    if essence.eq_ignore_ascii_case("multipart/form-data") {
        let boundary = kind.split(';').skip(1).find_map(|parameter| {
            let (name, value) = parameter.trim().split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("boundary")
                .then(|| value.trim().trim_matches('"').to_owned())
        });
        if let Some(boundary) = boundary.filter(|boundary| !boundary.is_empty()) {
            return BodyKind::Multipart(boundary);
        }
    }
    BodyKind::Other
}

fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(name, _)| name == TOKEN_FIELD)
        .map(|(_, value)| value)
}

/// Most bytes read looking for the token at the start of a multipart body.
const MULTIPART_PREFIX_LIMIT: usize = 16 * 1024;

/// Reads a multipart body only as far as its first part: the token if that part is
/// `csrf_token`, and the body again, whole, as a stream for the handler.
async fn multipart_token(body: Body, boundary: &str) -> (Option<String>, Body) {
    let mut stream = body.into_data_stream();
    let mut prefix: Vec<u8> = Vec::new();
    let token = loop {
        if let Some(decided) = first_part_token(&prefix, boundary) {
            break decided;
        }
        if prefix.len() > MULTIPART_PREFIX_LIMIT {
            break None;
        }
        match stream.next().await {
            Some(Ok(chunk)) => prefix.extend_from_slice(&chunk),
            Some(Err(_)) | None => break None,
        }
    };
    let head = futures_util::stream::once(async move { Ok(axum::body::Bytes::from(prefix)) });
    (token, Body::from_stream(head.chain(stream)))
}

/// `None` while more of the body is needed; otherwise the first part's value if it is the
/// token field (`Some(None)` when it is not).
fn first_part_token(prefix: &[u8], boundary: &str) -> Option<Option<String>> {
    let opening = format!("--{boundary}\r\n");
    if prefix.len() < opening.len() {
        return None;
    }
    if !prefix.starts_with(opening.as_bytes()) {
        return Some(None);
    }
    let rest = &prefix[opening.len()..];
    let headers_end = find(rest, b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&rest[..headers_end]);
    let names_token = headers.lines().any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("content-disposition")
                && value
                    .split(';')
                    .any(|parameter| parameter.trim() == format!("name=\"{TOKEN_FIELD}\""))
        })
    });
    if !names_token {
        return Some(None);
    }
    let value = &rest[headers_end + 4..];
    let end = find(value, format!("\r\n--{boundary}").as_bytes())?;
    Some(String::from_utf8(value[..end].to_vec()).ok())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
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
    fn the_token_is_read_from_the_first_multipart_part_only() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF";
        assert_eq!(
            first_part_token(body, "XyZ"),
            Some(Some("abc123".to_owned()))
        );
        assert_eq!(first_part_token(&body[..40], "XyZ"), None, "needs more");
        let file_first =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--XyZ";
        assert_eq!(first_part_token(file_first, "XyZ"), Some(None));
        assert_eq!(first_part_token(b"garbage-garbage", "XyZ"), Some(None));
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
