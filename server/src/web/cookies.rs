//! Reading and writing the site's cookies (with the `cookie` crate), always HttpOnly, with
//! SameSite set, and Secure when the site is served over https.

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::time::Duration;
use cookie::{Cookie, SameSite};

/// The session cookie: an opaque token whose hash is stored in `sessions`.
pub const SESSION: &str = "ohnet_session";
/// The CSRF cookie: the token every form must echo.
pub const CSRF: &str = "ohnet_csrf";

/// The value of cookie `name` in the request, if present.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
}

/// A `Set-Cookie` value; `max_age` of `None` deletes the cookie.
pub fn set(
    name: &str,
    value: &str,
    same_site: SameSite,
    secure: bool,
    max_age: Option<Duration>,
) -> Option<HeaderValue> {
    let mut cookie = Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(same_site)
        .secure(secure)
        .build();
    match max_age {
        Some(age) => cookie.set_max_age(age),
        None => cookie.make_removal(),
    }
    HeaderValue::from_str(&cookie.to_string()).ok()
}
