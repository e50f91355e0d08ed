//! The authorization matrix: every server function, page and form route, requested as every
//! kind of visitor, gets exactly the expected status. A route added without an entry here
//! fails `every_route_has_an_entry`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use domain::accounts::{Actor, MemberFilter, MemberStatus, Registration, RequestOrigin};
use domain::jobs::{JobContext, JobRunner, RunnerSettings};
use domain::mail::Mailer;
use sea_orm::ConnectionTrait;
use server::assets::AssetManifest;
use server::config::{Config, ConfigArgs};
use server::router::{self, AppState};
use server::startup;
use server::web::forms::{DOWNLOAD_PATHS, FORM_PATHS};
use server::web::sso::SSO_PATHS;
use tower::ServiceExt;

/// The kinds of visitor, in the order of each expectation row. Administrators come last
/// because their requests change state (an approval) that others' must not.
const ROLES: [&str; 8] = [
    "anonymous",
    "pending",
    "member",
    "group member",
    "moderator",
    "editor",
    "suspended",
    "administrator",
];

const ALL_OK: [u16; 8] = [200; 8];
const ADMIN_ONLY_API: [u16; 8] = [401, 403, 403, 403, 403, 403, 401, 200];
const SIGNED_IN_API: [u16; 8] = [401, 200, 200, 200, 200, 200, 401, 200];
const MEMBERS_PAGE: [u16; 8] = [303, 200, 200, 200, 200, 200, 303, 200];
const ADMIN_ONLY_PAGE: [u16; 8] = [303, 403, 403, 403, 403, 403, 303, 200];
const ACTIVE_API: [u16; 8] = [401, 403, 200, 200, 200, 200, 401, 200];
const ACTIVE_PAGE: [u16; 8] = [303, 403, 200, 200, 200, 200, 303, 200];
const EDITOR_API: [u16; 8] = [401, 403, 403, 403, 403, 200, 401, 200];
const EDITOR_PAGE: [u16; 8] = [303, 403, 403, 403, 403, 200, 303, 200];
const MODULE: &str = "assessing-fitness-for-duty";

/// (route as registered, request path, expected status per role).
fn server_functions() -> Vec<(&'static str, &'static str, [u16; 8])> {
    vec![
        ("/api/pages/get", "/api/pages/get?slug=about", ALL_OK),
        (
            "/api/search/suggest",
            "/api/search/suggest?query=ab",
            ALL_OK,
        ),
        ("/api/search/site", "/api/search/site?query=ab", ALL_OK),
        (
            "/api/accounts/registration-options",
            "/api/accounts/registration-options",
            ALL_OK,
        ),
        ("/api/accounts/current", "/api/accounts/current", ALL_OK),
        (
            "/api/accounts/sessions",
            "/api/accounts/sessions",
            SIGNED_IN_API,
        ),
        (
            "/api/admin/members",
            "/api/admin/members?status=pending",
            ADMIN_ONLY_API,
        ),
        (
            "/api/admin/audit",
            "/api/admin/audit?page=0",
            ADMIN_ONLY_API,
        ),
        (
            "/api/admin/allow-list",
            "/api/admin/allow-list",
            ADMIN_ONLY_API,
        ),
        ("/api/accounts/profile", "/api/accounts/profile", ACTIVE_API),
        (
            "/api/accounts/sso-available",
            "/api/accounts/sso-available",
            ALL_OK,
        ),
        (
            "/api/accounts/sso-applicant",
            "/api/accounts/sso-applicant",
            [404; 8],
        ),
        (
            "/api/learning/catalogue",
            "/api/learning/catalogue?topic=night-work",
            ALL_OK,
        ),
        (
            "/api/learning/module",
            "/api/learning/module?slug=assessing-fitness-for-duty",
            ALL_OK,
        ),
        (
            "/api/learning/lesson",
            "/api/learning/lesson?module=assessing-fitness-for-duty&lesson=fitness-for-duty-in-policing",
            ACTIVE_API,
        ),
        (
            "/api/learning/check",
            "/api/learning/check?module=assessing-fitness-for-duty",
            ACTIVE_API,
        ),
        (
            "/api/learning/attempt",
            "/api/learning/attempt?module=assessing-fitness-for-duty&id=999",
            [401, 403, 404, 404, 404, 404, 401, 404],
        ),
        (
            "/api/learning/certificate",
            "/api/learning/certificate?code=NOPE-NOPE-NOPE",
            [404; 8],
        ),
        ("/api/cpd/entries", "/api/cpd/entries", ACTIVE_API),
        (
            "/api/learning/manifest",
            "/api/learning/manifest?module=assessing-fitness-for-duty",
            EDITOR_API,
        ),
        (
            "/api/learning/may-edit",
            "/api/learning/may-edit",
            EDITOR_API,
        ),
        (
            "/api/learning/lesson-draft",
            "/api/learning/lesson-draft?module=assessing-fitness-for-duty&lesson=fitness-for-duty-in-policing",
            EDITOR_API,
        ),
    ]
}

fn pages() -> Vec<(&'static str, &'static str, [u16; 8])> {
    vec![
        ("/", "/", ALL_OK),
        ("/search", "/search?q=network", ALL_OK),
        ("/register", "/register", ALL_OK),
        ("/register/check-email", "/register/check-email", ALL_OK),
        ("/register/sso", "/register/sso", [404; 8]),
        ("/verify-email", "/verify-email?token=x", ALL_OK),
        ("/sign-in", "/sign-in", ALL_OK),
        ("/reset-password", "/reset-password", ALL_OK),
        ("/reset-password/sent", "/reset-password/sent", ALL_OK),
        ("/reset-password/new", "/reset-password/new?token=x", ALL_OK),
        ("/account", "/account", MEMBERS_PAGE),
        ("/account/profile", "/account/profile", ACTIVE_PAGE),
        ("/account/close", "/account/close", ACTIVE_PAGE),
        ("/admin/allow-list", "/admin/allow-list", ADMIN_ONLY_PAGE),
        ("/admin/members", "/admin/members", ADMIN_ONLY_PAGE),
        ("/admin/audit", "/admin/audit", ADMIN_ONLY_PAGE),
        ("/learning", "/learning", ALL_OK),
        (
            "/learning/{module}",
            "/learning/assessing-fitness-for-duty",
            ALL_OK,
        ),
        ("/learning/new", "/learning/new", EDITOR_PAGE),
        (
            "/learning/{module}/check",
            "/learning/assessing-fitness-for-duty/check",
            ACTIVE_PAGE,
        ),
        (
            "/learning/{module}/check/{attempt}",
            "/learning/assessing-fitness-for-duty/check/999",
            [303, 403, 404, 404, 404, 404, 303, 404],
        ),
        (
            "/learning/{module}/edit",
            "/learning/assessing-fitness-for-duty/edit",
            EDITOR_PAGE,
        ),
        (
            "/learning/{module}/{lesson}",
            "/learning/assessing-fitness-for-duty/fitness-for-duty-in-policing",
            ACTIVE_PAGE,
        ),
        (
            "/learning/{module}/{lesson}/edit",
            "/learning/assessing-fitness-for-duty/fitness-for-duty-in-policing/edit",
            EDITOR_PAGE,
        ),
        (
            "/certificates/{code}",
            "/certificates/NOPE-NOPE-NOPE",
            [404; 8],
        ),
        ("/cpd", "/cpd", ACTIVE_PAGE),
        ("/forums", "/forums", ALL_OK),
        ("/library", "/library", ALL_OK),
        ("/events", "/events", ALL_OK),
        ("/newsletters", "/newsletters", ALL_OK),
        ("/standards", "/standards", ALL_OK),
        ("/{slug}", "/about", ALL_OK),
    ]
}

struct World {
    router: Router,
    sessions: Vec<Option<String>>,
    decline_id: i32,
    approve_id: i32,
    _temp: tempfile::TempDir,
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CSRF: &str = "matrix-test-csrf-token-0123456789abcdef";
const PASSWORD: &str = "a long enough password";

async fn world() -> World {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    write(
        &root.join("content/pages/home.md"),
        "+++\ntitle = \"Home\"\nsummary = \"Hi.\"\n+++\nHello\n",
    );
    write(
        &root.join("content/pages/about.md"),
        "+++\ntitle = \"About\"\nsummary = \"Us.\"\n+++\nText\n",
    );
    let module = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../content/modules")
        .join(MODULE);
    std::fs::create_dir_all(root.join("content/modules").join(MODULE)).unwrap();
    for entry in std::fs::read_dir(&module).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            root.join("content/modules")
                .join(MODULE)
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    write(
        &root.join("site/manifest.json"),
        r#"{"bundle":"ohnet.0123456789abcdef","stylesheet":"ohnet.fedcba9876543210.css"}"#,
    );
    let config = Config::from_args(ConfigArgs {
        data_dir: Some(root.join("data")),
        content_dir: Some(root.join("content")),
        site_dir: Some(root.join("site")),
        ..Default::default()
    })
    .unwrap();
    let services = startup::open_services(&config).await.unwrap();
    startup::import_content(&services, &config.content_dir)
        .await
        .unwrap();
    let accounts = &services.accounts;
    let origin = RequestOrigin::default();
    let mailbox = Arc::new(Mutex::new(Vec::new()));
    let mailer = Mailer::Memory(mailbox.clone());

    accounts
        .create_admin("admin@ohnet.test", "Admin", PASSWORD)
        .await
        .unwrap();
    let admin = Actor::Member(
        accounts
            .sign_in("admin@ohnet.test", PASSWORD, &origin)
            .await
            .unwrap()
            .member,
    );
    let mut ids = Vec::new();
    for (index, email) in [
        "pending",
        "member",
        "group",
        "moderator",
        "editor",
        "suspended",
        "decline",
        "approve",
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("{email}@force.test");
        let groups = if index == 2 {
            vec!["oh-managers".to_owned()]
        } else {
            Vec::new()
        };
        let registration = Registration {
            name: format!("Person {index}"),
            email: email.clone(),
            password: PASSWORD.into(),
            profession: "oh-nurse".into(),
            organisation: "kent".into(),
            regulator: "nmc".into(),
            registration_number: String::new(),
            groups,
        };
        accounts.register(registration, &origin).await.unwrap();
        JobRunner::new(
            services.db().clone(),
            JobContext::new(services.db().clone(), mailer.clone()),
            RunnerSettings::default(),
        )
        .run_due(chrono::Utc::now())
        .await
        .unwrap();
        let body = mailbox
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|m| m.to == email)
            .unwrap()
            .body
            .clone();
        let token = body
            .split("token=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned();
        assert_eq!(
            accounts.verify_email(&token).await.unwrap(),
            MemberStatus::Pending
        );
        let id = accounts
            .members(
                &admin,
                &MemberFilter {
                    status: Some(MemberStatus::Pending),
                    ..MemberFilter::default()
                },
            )
            .await
            .unwrap()[0]
            .id;
        ids.push(id);
        if (1..=5).contains(&index) {
            accounts.approve(&admin, id, &origin).await.unwrap();
        }
    }
    let db = services.db();
    db.execute_unprepared(
        "UPDATE users SET role = 'moderator' WHERE email = 'moderator@force.test'",
    )
    .await
    .unwrap();
    db.execute_unprepared("UPDATE users SET role = 'editor' WHERE email = 'editor@force.test'")
        .await
        .unwrap();
    let mut sessions = vec![None];
    for email in [
        "pending",
        "member",
        "group",
        "moderator",
        "editor",
        "suspended",
        "admin",
    ] {
        let email = if email == "admin" {
            "admin@ohnet.test".to_owned()
        } else {
            format!("{email}@force.test")
        };
        sessions.push(Some(
            accounts
                .sign_in(&email, PASSWORD, &origin)
                .await
                .unwrap()
                .token,
        ));
    }
    db.execute_unprepared(
        "UPDATE users SET status = 'suspended' WHERE email = 'suspended@force.test'",
    )
    .await
    .unwrap();
    let manifest = AssetManifest::load(&config.site_dir).unwrap();
    World {
        router: router::build(AppState::new(config, services, manifest)),
        sessions,
        decline_id: ids[6],
        approve_id: ids[7],
        _temp: temp,
    }
}

async fn status_of(world: &World, role: usize, method: &str, path: &str, form: &str) -> u16 {
    let mut cookies = format!("ohnet_csrf={CSRF}");
    if let Some(session) = &world.sessions[role] {
        cookies.push_str(&format!("; ohnet_session={session}"));
    }
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookies);
    let body = if method == "POST" {
        request = request
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        Body::from(format!("csrf_token={CSRF}&{form}"))
    } else {
        Body::empty()
    };
    let response = world
        .router
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    response.status().as_u16()
}

#[test]
fn every_route_has_an_entry() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let listed: BTreeSet<String> = server_functions()
        .iter()
        .map(|(route, _, _)| (*route).to_owned())
        .collect();
    assert_eq!(
        registered, listed,
        "server functions and their matrix entries differ"
    );

    let page_routes: BTreeSet<String> = leptos_axum::generate_route_list(app::shell::App)
        .iter()
        .map(|listing| listing.path().to_owned())
        .collect();
    let listed: BTreeSet<String> = pages()
        .iter()
        .map(|(route, _, _)| (*route).to_owned())
        .collect();
    assert_eq!(
        page_routes, listed,
        "page routes and their matrix entries differ"
    );

    let downloads: BTreeSet<&str> = DOWNLOAD_PATHS.into_iter().collect();
    let listed: BTreeSet<&str> = download_cases()
        .iter()
        .map(|(route, _, _)| *route)
        .collect();
    assert_eq!(
        downloads, listed,
        "download routes and their matrix entries differ"
    );

    let sso: BTreeSet<&str> = SSO_PATHS.into_iter().collect();
    let listed: BTreeSet<&str> = sso_cases().iter().map(|(route, _, _)| *route).collect();
    assert_eq!(
        sso, listed,
        "single sign-on routes and their matrix entries differ"
    );

    let forms: BTreeSet<&str> = FORM_PATHS.into_iter().collect();
    let listed: BTreeSet<&str> = form_cases(0, 0)
        .iter()
        .map(|(route, _, _, _)| *route)
        .collect();
    assert_eq!(forms, listed, "form routes and their matrix entries differ");
}

fn download_cases() -> Vec<(&'static str, &'static str, [u16; 8])> {
    vec![
        (
            "/account/data",
            "/account/data",
            [401, 200, 200, 200, 200, 200, 401, 200],
        ),
        (
            "/learning/{module}/media/{file}",
            "/learning/assessing-fitness-for-duty/media/none.png",
            [401, 403, 404, 404, 404, 404, 401, 404],
        ),
    ]
}

/// Single sign-on is not configured here, so its routes do not exist for anyone.
fn sso_cases() -> Vec<(&'static str, &'static str, [u16; 8])> {
    vec![
        ("/sign-in/sso", "/sign-in/sso", [404; 8]),
        (
            "/sign-in/sso/callback",
            "/sign-in/sso/callback?code=x&state=y",
            [404; 8],
        ),
    ]
}

/// (route, request path, form body, expected per role). Sign-out comes last: it ends sessions.
fn form_cases(
    decline_id: i32,
    approve_id: i32,
) -> Vec<(&'static str, String, &'static str, [u16; 8])> {
    vec![
        ("/register", "/register".into(), "name=", [422; 8]),
        ("/register/sso", "/register/sso".into(), "name=", [422; 8]),
        (
            "/verify-email",
            "/verify-email".into(),
            "token=not-a-token",
            [422; 8],
        ),
        ("/sign-in", "/sign-in".into(), "email=", [422; 8]),
        (
            "/reset-password",
            "/reset-password".into(),
            "email=not-an-address",
            [422; 8],
        ),
        (
            "/reset-password/new",
            "/reset-password/new".into(),
            "token=x&password=long+enough+pw",
            [422; 8],
        ),
        (
            "/admin/members/{id}/decline",
            format!("/admin/members/{decline_id}/decline"),
            "reason=",
            [303, 403, 403, 403, 403, 403, 303, 422],
        ),
        (
            "/admin/members/{id}/approve",
            format!("/admin/members/{approve_id}/approve"),
            "",
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "/admin/members/{id}/role",
            format!("/admin/members/{approve_id}/role"),
            "role=editor",
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "/admin/members/{id}/suspend",
            format!("/admin/members/{approve_id}/suspend"),
            "",
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "/admin/members/{id}/reinstate",
            format!("/admin/members/{approve_id}/reinstate"),
            "",
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "/admin/members/{id}/groups",
            format!("/admin/members/{approve_id}/groups"),
            "groups=cmo",
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "/admin/allow-list",
            "/admin/allow-list".into(),
            "domain=",
            [303, 403, 403, 403, 403, 403, 303, 422],
        ),
        (
            "/admin/allow-list/remove",
            "/admin/allow-list/remove".into(),
            "domain=never-added.example",
            [303, 403, 403, 403, 403, 403, 303, 404],
        ),
        (
            "/account/profile",
            "/account/profile".into(),
            "name=",
            [303, 403, 422, 422, 422, 422, 303, 422],
        ),
        (
            "/account/email-preferences",
            "/account/email-preferences".into(),
            "newsletters=yes",
            [303, 403, 303, 303, 303, 303, 303, 303],
        ),
        (
            "/account/close",
            "/account/close".into(),
            "password=",
            [303, 422, 422, 422, 422, 422, 303, 409],
        ),
        (
            "/learning/{module}/{lesson}/complete",
            format!("/learning/{MODULE}/fitness-for-duty-in-policing/complete"),
            "",
            [303, 403, 303, 303, 303, 303, 303, 303],
        ),
        (
            "/learning/{module}/check",
            format!("/learning/{MODULE}/check"),
            "answer-nothing=0",
            [303, 403, 422, 422, 422, 422, 303, 422],
        ),
        (
            "/learning/{module}/edit",
            format!("/learning/{MODULE}/edit"),
            "manifest=",
            [303, 403, 403, 403, 403, 422, 303, 422],
        ),
        (
            "/learning/{module}/{lesson}/edit",
            format!("/learning/{MODULE}/fitness-for-duty-in-policing/edit"),
            "intent=save&title=",
            [303, 403, 403, 403, 403, 422, 303, 422],
        ),
        (
            "/learning/new",
            "/learning/new".into(),
            "slug=Not+A+Slug",
            [303, 403, 403, 403, 403, 422, 303, 422],
        ),
        (
            "/learning/{module}/lessons",
            format!("/learning/{MODULE}/lessons"),
            "file_name=notes.txt",
            [303, 403, 403, 403, 403, 422, 303, 422],
        ),
        (
            "/account/password",
            "/account/password".into(),
            "current_password=wrong&new_password=x",
            [303, 422, 422, 422, 422, 422, 303, 422],
        ),
        (
            "/account/sign-out-others",
            "/account/sign-out-others".into(),
            "",
            [303, 303, 303, 303, 303, 303, 303, 303],
        ),
        ("/sign-out", "/sign-out".into(), "", [303; 8]),
    ]
}

#[tokio::test]
async fn each_role_gets_exactly_the_expected_outcome() {
    let world = world().await;
    let mut mismatches = Vec::new();
    for (_, path, expected) in server_functions()
        .into_iter()
        .chain(pages())
        .chain(download_cases())
        .chain(sso_cases())
    {
        for (role, want) in expected.iter().enumerate() {
            let got = status_of(&world, role, "GET", path, "").await;
            if got != *want {
                mismatches.push(format!(
                    "GET {path} as {}: got {got}, want {want}",
                    ROLES[role]
                ));
            }
        }
    }
    for (_, path, form, expected) in form_cases(world.decline_id, world.approve_id) {
        for (role, want) in expected.iter().enumerate() {
            let got = status_of(&world, role, "POST", &path, form).await;
            if got != *want {
                mismatches.push(format!(
                    "POST {path} as {}: got {got}, want {want}",
                    ROLES[role]
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "authorization matrix mismatches:\n{}",
        mismatches.join("\n")
    );
}
