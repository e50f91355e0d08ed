//! The router in-process: real SQLite file, real content import, real layer stack.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::routing::{get, post};
use http_body_util::BodyExt;
use server::assets::AssetManifest;
use server::config::{Config, ConfigArgs};
use server::router::{self, AppState};
use server::startup;
use tower::ServiceExt;

struct TestApp {
    router: Router,
    _temp: tempfile::TempDir,
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

async fn test_app() -> TestApp {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    write(
        &root.join("content/pages/home.md"),
        "+++\ntitle = \"The network\"\nsummary = \"Welcome.\"\n+++\nHello <script>alert(1)</script>\n",
    );
    write(
        &root.join("content/pages/about.md"),
        "+++\ntitle = \"About\"\nsummary = \"Who we are.\"\n+++\n## Aims\n\nText.\n",
    );
    write(
        &root.join("site/manifest.json"),
        r#"{"bundle":"ohnet.0123456789abcdef","stylesheet":"ohnet.fedcba9876543210.css"}"#,
    );
    write(&root.join("site/pkg/ohnet.fedcba9876543210.css"), "body{}");
    write(
        &root.join("site/pkg/ohnet.fedcba9876543210.css.gz"),
        "gzipped",
    );
    let config = Config::from_args(ConfigArgs {
        data_dir: Some(root.join("data")),
        content_dir: Some(root.join("content")),
        site_dir: Some(root.join("site")),
        max_body_bytes: Some("4096".into()),
        ..Default::default()
    })
    .unwrap();
    let services = startup::open_services(&config).await.unwrap();
    startup::import_content(&services, &config.content_dir)
        .await
        .unwrap();
    let manifest = AssetManifest::load(&config.site_dir).unwrap();
    TestApp {
        router: router::build(AppState::new(config, services, manifest)),
        _temp: temp,
    }
}

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
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
