//! The router in-process: real SQLite file, real content import, real layer stack.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use server::config::ConfigArgs;
use server::router;

use crate::support::{send, site};

struct TestApp {
    router: Router,
    _site: crate::support::Held,
}

async fn test_app() -> TestApp {
    let (router, _, temp) = site(ConfigArgs::default()).await;
    TestApp {
        router,
        _site: temp,
    }
}

fn get_request(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn home_page_renders_with_nonce_policy_and_hashed_assets() {
    let app = test_app().await;
    let (status, headers, body) = send(&app.router, get_request("/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<h1>The network</h1>"), "{body}");
    assert!(!body.contains("<script>alert(1)"), "content is sanitised");
    assert!(body.contains("/pkg/ohnet.fedcba9876543210.css"));
    assert!(body.contains("/pkg/ohnet.0123456789abcdef.wasm"));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("policy has a nonce");
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "inline script carries the nonce"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn content_page_has_contents_and_unknown_paths_are_404() {
    let app = test_app().await;
    let (status, _, body) = send(&app.router, get_request("/about")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#"<h2 id="aims">"#), "{body}");
    for path in ["/nothing-here", "/a/b/c"] {
        let (status, _, body) = send(&app.router, get_request(path)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(body.contains("Page not found"), "{path}");
    }
}

#[tokio::test]
async fn health_reports_database_status() {
    let app = test_app().await;
    let (status, headers, body) = send(&app.router, get_request("/health")).await;
    assert_eq!(status, StatusCode::OK);
    let report: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["database"], "ok");
    assert_eq!(report["status"], "ok");
    assert_eq!(
        headers[header::CONTENT_SECURITY_POLICY],
        "default-src 'none'; frame-ancestors 'none'"
    );
}

#[tokio::test]
async fn hashed_assets_are_cached_forever_and_served_precompressed() {
    let app = test_app().await;
    let request = Request::get("/pkg/ohnet.fedcba9876543210.css")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(&app.router, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(body, "gzipped");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (status, headers, _) = send(&app.router, get_request("/pkg/ohnet.missing.css")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!headers.contains_key(header::CACHE_CONTROL));
}

#[tokio::test]
async fn suggestions_server_function_answers_json() {
    let app = test_app().await;
    let request = Request::get("/api/search/suggest?query=abo")
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = send(&app.router, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hits: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(hits[0]["title"], "About");
    assert_eq!(hits[0]["path"], "/about");
}

async fn panicking_handler() -> String {
    panic!("secret database password in panic message")
}

#[tokio::test]
async fn a_panic_becomes_the_error_page_with_a_request_id_and_no_internals() {
    let router = router::with_layers(Router::new().route("/boom", get(panicking_handler)), 4096);
    let (status, headers, body) = send(&router, get_request("/boom")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let request_id = headers["x-request-id"].to_str().unwrap();
    assert!(body.contains("Sorry, there is a problem with the service"));
    assert!(body.contains(request_id), "page shows the request id");
    assert!(!body.contains("secret"), "no internals on the page");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let router = router::with_layers(
        Router::new().route("/echo", post(|body: String| async move { body })),
        4096,
    );
    let request = Request::post("/echo")
        .body(Body::from(vec![b'x'; 5000]))
        .unwrap();
    let (status, _, _) = send(&router, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}
