//! Request plumbing: the CSRF check on multipart uploads (token as the first field, body passed
//! on whole), the client address behind trusted and untrusted proxies, and the node cache
//! brought up to date by the request that wrote.

use std::net::SocketAddr;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::middleware;
use axum::routing::post;
use server::config::ConfigArgs;
use server::router::AppState;

use crate::support::{CSRF, lay_out_site, send};

const BOUNDARY: &str = "----ohnetTestBoundary7MA4YWxkTrZu0gW";

fn multipart(token_first: bool, file: &[u8]) -> Vec<u8> {
    let token = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{CSRF}\r\n"
    );
    let upload = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"notes.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    );
    let mut body = Vec::new();
    if token_first {
        body.extend_from_slice(token.as_bytes());
    }
    body.extend_from_slice(upload.as_bytes());
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A router with the real CSRF layer in front of an upload route that reports what it got.
async fn upload_router() -> (Router, (tempfile::TempDir, impl Sized)) {
    let turn = crate::support::take_turn().await;
    let temp = tempfile::tempdir().unwrap();
    lay_out_site(temp.path());
    let config = crate::support::config(temp.path(), ConfigArgs::default());
    let services =
        server::startup::open_services(&config, server::startup::SearchIndexUse::InMemory)
            .await
            .unwrap();
    let manifest = server::assets::AssetManifest::load(&config.site_dir).unwrap();
    let state = AppState::new(config, services, manifest);
    let router = Router::new()
        .route(
            "/upload",
            post(|body: Bytes| async move { body.len().to_string() }),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            server::web::csrf::protect,
        ))
        .with_state(state);
    (router, (temp, turn))
}

fn upload_request(body: Vec<u8>) -> Request<Body> {
    Request::post("/upload")
        .header("origin", "http://127.0.0.1:3000")
        .header("cookie", format!("ohnet_csrf={CSRF}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn a_multipart_upload_with_its_token_first_is_accepted_whole() {
    let (router, _temp) = upload_router().await;
    let file: Vec<u8> = (0..200_000_u32).map(|n| (n % 251) as u8).collect();
    let body = multipart(true, &file);
    let sent = body.len();
    let (status, _, answer) = send(&router, upload_request(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer, sent.to_string(), "the handler got every byte");
}

#[tokio::test]
async fn a_multipart_upload_without_its_token_is_refused() {
    let (router, _temp) = upload_router().await;
    let (status, _, _) = send(&router, upload_request(multipart(false, b"%PDF-1.7"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Adds an allow-list domain as an administrator connecting from `peer` and claiming
/// `forwarded` as the client, and returns the address the audit log recorded.
async fn audited_address(trusted_proxies: &str, peer: &str, forwarded: &str) -> Option<String> {
    let (router, services, _temp) = crate::support::site(ConfigArgs {
        trusted_proxies: Some(trusted_proxies.to_owned()),
        ..Default::default()
    })
    .await;
    crate::support::create_member(
        &services,
        "admin@force.test",
        "administrator",
        "active",
        &[],
    )
    .await;
    let session = services
        .accounts
        .sign_in(
            "admin@force.test",
            "a long enough password",
            &Default::default(),
        )
        .await
        .unwrap()
        .token;
    let mut request = Request::post("/admin/allow-list")
        .header("origin", "http://127.0.0.1:3000")
        .header(
            "cookie",
            format!("ohnet_csrf={CSRF}; ohnet_session={session}"),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", forwarded)
        .body(Body::from(format!(
            "csrf_token={CSRF}&domain=kent.police.uk"
        )))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    let (status, _, _) = send(&router, request).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let admin = services.accounts.actor_for_session(&session).await.unwrap();
    let entries = services.audit.entries(&admin, 0).await.unwrap();
    entries.first().and_then(|entry| entry.source_ip.clone())
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() {
    assert_eq!(
        audited_address("10.0.0.0/8", "203.0.113.9:5000", "198.51.100.7").await,
        Some("203.0.113.9".to_owned())
    );
}

#[tokio::test]
async fn a_trusted_proxy_names_the_client() {
    assert_eq!(
        audited_address("10.0.0.0/8", "10.1.2.3:5000", "198.51.100.7").await,
        Some("198.51.100.7".to_owned())
    );
}

/// On a serving node the node cache answers signed-in requests, and no follower runs here:
/// a change made through a form reaches the member's very next request only because the
/// request that wrote brings this node's cache up to date before it answers.
#[tokio::test]
async fn a_change_made_through_a_form_reaches_the_members_next_request() {
    use crate::support::{create_member, request_as, signed_in, site};
    let (router, services, _held) = site(ConfigArgs::default()).await;
    let admin_id = create_member(
        &services,
        "admin@force.test",
        "administrator",
        "active",
        &[],
    )
    .await;
    let member_id = create_member(&services, "member@force.test", "member", "active", &[]).await;
    let admin = &signed_in(&services, "admin@force.test", "cached").await;
    let member = &signed_in(&services, "member@force.test", "cached").await;
    assert!(admin_id != member_id);
    services
        .node_cache
        .catch_up_and_trust(services.db())
        .await
        .unwrap();
    let (status, _) = request_as(&router, member, "GET", "/forums/cmo", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not yet in the CMO group");
    assert!(!services.node_cache.is_empty(), "the session is kept");

    let groups = format!("/admin/members/{member_id}/groups");
    let (status, _) = request_as(&router, admin, "POST", &groups, "groups=cmo").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = request_as(&router, member, "GET", "/forums/cmo", "").await;
    assert_eq!(status, StatusCode::OK, "the new group applies at once");

    let suspend = format!("/admin/members/{member_id}/suspend");
    let (status, _) = request_as(&router, admin, "POST", &suspend, "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = request_as(&router, member, "GET", "/forums/cmo", "").await;
    assert_ne!(
        status,
        StatusCode::OK,
        "a suspended member is signed out at once"
    );
}

/// The CPD dashboard has two `Suspense` blocks, each awaiting its own fetch. Asked for by more
/// members at once than the pool has connections, every request is still answered. A fetch
/// that sat on its connection until the page came back to it deadlocked here: the bench's
/// `/cpd` row fell to 0 req/s. The timeout only stops a deadlock from hanging the suite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_waiting_on_two_fetches_answers_more_requests_than_the_pool_has_connections() {
    use crate::support::{create_member, request_as, signed_in, site};
    let (router, services, _held) = site(ConfigArgs {
        db_pool_size: Some("2".into()),
        ..ConfigArgs::default()
    })
    .await;
    create_member(&services, "member@force.test", "member", "active", &[]).await;
    let member = signed_in(&services, "member@force.test", "member").await;
    let requests = (0..16).map(|_| request_as(&router, &member, "GET", "/cpd", ""));
    let answers = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        futures_util::future::join_all(requests),
    )
    .await
    .expect("every request is answered; none waits for a connection forever");
    for (status, body) in answers {
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains(r#"<h2 id="progress-heading">Progress</h2>"#),
            "the progress block: {body}"
        );
        assert!(
            body.contains(r#"<h2 id="log-heading">Your log</h2>"#),
            "the log block: {body}"
        );
    }
}
