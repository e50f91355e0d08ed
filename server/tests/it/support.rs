//! Test fixtures shared by the server tests: a site over a fresh SQLite file with real
//! content, and one signed-in visitor of every kind, created quickly (a cheap argon2id hash is
//! stored before signing in, so verifying it costs almost nothing; tests only).

use std::path::Path;

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use domain::accounts::{Actor, RequestOrigin};
use domain::forums::{NewTopic, PostDraft};
use http_body_util::BodyExt;
use sea_orm::ConnectionTrait;
use server::assets::AssetManifest;
use server::config::{Config, ConfigArgs};
use server::router::{self, AppState};
use server::startup;
use tower::ServiceExt;

/// The module copied into every test site.
pub const MODULE: &str = "assessing-fitness-for-duty";
/// A lesson of [`MODULE`].
pub const LESSON: &str = "fitness-for-duty-in-policing";
/// The canary token: it stands in every private item, and no outsider may ever see it.
pub const CANARY: &str = "canary7f3a9c2e";
/// The slug of the CMO group's private page, which carries the canary.
pub const CANARY_PAGE: &str = "cmo-canary";
/// A library document only the CMO group may read.
pub const CANARY_DOCUMENT: &str = "cmo-canary-briefing";
/// A CMO editor's unpublished draft of a CMO-only document.
pub const CANARY_DRAFT: &str = "cmo-canary-draft";
/// A public library document.
pub const OPEN_DOCUMENT: &str = "open-guide";
/// The CSRF token every test request sends in its cookie and form.
pub const CSRF: &str = "matrix-test-csrf-token-0123456789abcdef";
pub const PASSWORD: &str = "a long enough password";

/// One kind of visitor: a name, their session (none for anonymous) and how the domain sees
/// them. Adding a kind of visitor is one line in [`VISITORS`].
pub struct Visitor {
    /// Kind, e.g. `cmo member`.
    pub name: &'static str,
    /// Session cookie value.
    pub session: Option<String>,
    /// The actor their session resolves to.
    pub actor: Actor,
}

/// (name, role, status, groups). Administrators come last because their requests change
/// state (an approval) that others' must not.
const VISITORS: [(&str, &str, &str, &[&str]); 9] = [
    ("anonymous", "", "", &[]),
    ("pending", "member", "pending", &["cmo"]),
    ("member", "member", "active", &[]),
    ("group member", "member", "active", &["oh-managers"]),
    ("cmo member", "member", "active", &["cmo"]),
    ("moderator", "moderator", "active", &[]),
    ("editor", "editor", "active", &[]),
    ("suspended", "member", "suspended", &["cmo"]),
    ("administrator", "administrator", "active", &[]),
];

/// A test site.
pub struct World {
    /// The full router, as served.
    pub router: Router,
    /// The domain services behind it.
    pub services: domain::Services,
    /// Every kind of visitor, anonymous first.
    pub visitors: Vec<Visitor>,
    /// Applicants waiting for a decision (for the approve and decline forms).
    pub applicants: (i32, i32),
    /// A topic in the general forum started by the `member` visitor, and its reply.
    pub general_topic: (i32, i32),
    /// An open report on that reply.
    pub report: i32,
    /// A topic in the CMO forum carrying the canary, and its reply.
    pub cmo_topic: (i32, i32),
    /// A CMO topic carrying the canary that was merged into that one (its address redirects).
    pub cmo_merged: i32,
    /// A reply by the `member` visitor in the general forum waiting for approval (a CMO topic
    /// carrying the canary waits too).
    pub held: i32,
    /// The `cmo member` visitor's CPD entry carrying the canary, with an evidence file
    /// `supervision.pdf` (whose bytes do not: administrators may download evidence).
    pub cpd_entry: i32,
    /// The `cmo member` visitor's period of practice, feedback and reflective account (ids),
    /// each carrying the canary, as do their discussion and profile statements.
    pub cpd_records: (i32, i32, i32),
    _site: Held,
}

pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A content folder and built-site folder under `root`.
pub fn lay_out_site(root: &Path) {
    write(
        &root.join("content/pages/home.md"),
        "+++\ntitle = \"The network\"\nsummary = \"Welcome.\"\n+++\nHello <script>alert(1)</script>\n",
    );
    write(
        &root.join("content/pages/about.md"),
        "+++\ntitle = \"About\"\nsummary = \"Who we are.\"\n+++\n## Aims\n\nText.\n",
    );
    write(
        &root.join(format!("content/pages/{CANARY_PAGE}.md")),
        &format!(
            "+++\ntitle = \"Group guidance {CANARY}\"\nsummary = \"For the group {CANARY}.\"\n\
             audience = [\"cmo\"]\n+++\nPrivate text {CANARY}.\n"
        ),
    );
    for (slug, title, intro) in [
        ("good-practice-hub", "Good practice hub", "What works."),
        (
            "target-operating-model",
            "Target operating model",
            "How a service runs.",
        ),
    ] {
        write(
            &root.join(format!("content/pages/{slug}.md")),
            &format!("+++\ntitle = \"{title}\"\nsummary = \"{intro}\"\n+++\n{intro}\n"),
        );
    }
    let document = |title: &str, kind: &str, audience: &str, body: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nkind = \"{kind}\"\nsummary = \"About {title}.\"\n\
             tags = [\"referrals\"]\n{audience}owner = \"OH team\"\npublished = 2026-01-05\n\
             review_by = 2027-01-05\nchange_note = \"First published.\"\n+++\n{body}\n"
        )
    };
    write(
        &root.join(format!("content/library/{OPEN_DOCUMENT}.md")),
        &document(
            "Open referral guide",
            "good-practice",
            "",
            "## Referrals\n\nOpen words.",
        ),
    );
    write(
        &root.join(format!("content/library/{CANARY_DOCUMENT}.md")),
        &document(
            &format!("Group briefing {CANARY}"),
            "good-practice",
            "audience = [\"cmo\"]\n",
            &format!("Sphagnum briefing words {CANARY}."),
        )
        .replace("review_by = 2027-01-05", "review_by = 2026-06-01"),
    );
    let forums = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/forums");
    std::fs::create_dir_all(root.join("content/forums")).unwrap();
    for entry in std::fs::read_dir(&forums).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            root.join("content/forums").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    // Every module: they link to each other, and a link to a missing module is an error.
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/modules");
    for module in std::fs::read_dir(&modules).unwrap() {
        let module = module.unwrap().path();
        let copy = root
            .join("content/modules")
            .join(module.file_name().unwrap());
        std::fs::create_dir_all(&copy).unwrap();
        for entry in std::fs::read_dir(&module).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
        }
    }
    write(
        &root.join("site/manifest.json"),
        r#"{"bundle":"ohnet.0123456789abcdef","stylesheet":"ohnet.fedcba9876543210.css"}"#,
    );
    write(&root.join("site/pkg/ohnet.fedcba9876543210.css"), "body{}");
    write(
        &root.join("site/pkg/ohnet.fedcba9876543210.css.gz"),
        "gzipped",
    );
}

/// Settings for a site laid out under `root`.
pub fn config(root: &Path, args: ConfigArgs) -> Config {
    Config::from_args(ConfigArgs {
        data_dir: Some(root.join("data")),
        content_dir: Some(root.join("content")),
        site_dir: Some(root.join("site")),
        ..args
    })
    .unwrap()
}

/// A site with content imported and no members.
/// What a test site keeps alive: its folder, and its turn to render pages.
pub struct Held {
    _temp: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// When `OHNET_TEST_POSTGRES` names a PostgreSQL server (`postgres://user@127.0.0.1:5432`, as
/// `./x test` sets for its second pass), a fresh database on it for one site; otherwise `None`,
/// and the site uses its own SQLite file. Databases are not dropped: the test command throws
/// the whole cluster away at the end.
pub async fn postgres_database() -> Option<String> {
    use sea_orm::ConnectionTrait;
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let server = std::env::var("OHNET_TEST_POSTGRES")
        .ok()
        .filter(|server| !server.is_empty())?;
    let name = format!(
        "server_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let admin = sea_orm::Database::connect(format!("{server}/postgres"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
        .await
        .unwrap();
    admin.close().await.unwrap();
    Some(format!("{server}/{name}"))
}

/// Tests that render Leptos pages take turns. Run in parallel, each on its own tokio runtime
/// in one process, such renders sometimes never finish (seen in release builds as a hung
/// test, never in the server, which has one runtime); in turn they always do.
pub async fn take_turn() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

pub async fn site(args: ConfigArgs) -> (Router, domain::Services, Held) {
    let turn = take_turn().await;
    let temp = tempfile::tempdir().unwrap();
    lay_out_site(temp.path());
    let args = ConfigArgs {
        database_url: match args.database_url {
            Some(url) => Some(url),
            None => postgres_database().await,
        },
        ..args
    };
    let config = config(temp.path(), args);
    let services = startup::open_services(&config, startup::SearchIndexUse::InMemory)
        .await
        .unwrap();
    startup::import_content(&services, &config.content_dir)
        .await
        .unwrap();
    let manifest = AssetManifest::load(&config.site_dir).unwrap();
    let router = router::build(AppState::new(config, services.clone(), manifest));
    let held = Held {
        _temp: temp,
        _turn: turn,
    };
    (router, services, held)
}

fn cheap_hash() -> String {
    let params = Params::new(8, 1, 1, None).unwrap();
    let salt = SaltString::encode_b64(b"fixed-test-salt!").unwrap();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(PASSWORD.as_bytes(), &salt)
        .unwrap()
        .to_string()
}

/// Creates a member directly (no application journey) and returns their id.
pub async fn create_member(
    services: &domain::Services,
    email: &str,
    role: &str,
    status: &str,
    groups: &[&str],
) -> i32 {
    let db = services.db();
    let id = services
        .accounts
        .create_admin(email, &format!("Person {email}"), PASSWORD)
        .await
        .unwrap();
    db.execute_unprepared(&format!(
        "UPDATE users SET role = '{role}', status = '{status}', organisation = 'kent', \
         password_hash = '{}' WHERE id = {id}",
        cheap_hash()
    ))
    .await
    .unwrap();
    for group in groups {
        db.execute_unprepared(&format!(
            "INSERT INTO user_groups (user_id, group_id, status, created_at) \
             SELECT {id}, id, 'member', (SELECT created_at FROM users WHERE id = {id}) \
             FROM groups WHERE slug = '{group}'"
        ))
        .await
        .unwrap();
    }
    id
}

/// Signs `email` (made with [`create_member`]) in, as a visitor called `name`.
pub async fn signed_in(services: &domain::Services, email: &str, name: &'static str) -> Visitor {
    let session = services
        .accounts
        .sign_in(email, PASSWORD, &RequestOrigin::default())
        .await
        .unwrap()
        .token;
    Visitor {
        name,
        actor: services.accounts.actor_for_session(&session).await.unwrap(),
        session: Some(session),
    }
}

/// The test site with one visitor of every kind signed in.
pub async fn world() -> World {
    let (router, services, temp) = site(ConfigArgs::default()).await;
    let origin = RequestOrigin::default();
    let mut visitors = Vec::new();
    for (name, role, status, groups) in VISITORS {
        if role.is_empty() {
            visitors.push(Visitor {
                name,
                session: None,
                actor: Actor::Anonymous,
            });
            continue;
        }
        let email = format!("{}@force.test", name.replace(' ', "-"));
        let signs_in_as = if status == "suspended" {
            "active"
        } else {
            status
        };
        let id = create_member(&services, &email, role, signs_in_as, groups).await;
        let session = services
            .accounts
            .sign_in(&email, PASSWORD, &origin)
            .await
            .unwrap()
            .token;
        if status == "suspended" {
            services
                .db()
                .execute_unprepared(&format!(
                    "UPDATE users SET status = 'suspended' WHERE id = {id}"
                ))
                .await
                .unwrap();
        }
        let actor = services.accounts.actor_for_session(&session).await.unwrap();
        visitors.push(Visitor {
            name,
            session: Some(session),
            actor,
        });
    }
    let decline = create_member(&services, "decline@force.test", "member", "pending", &[]).await;
    let approve = create_member(&services, "approve@force.test", "member", "pending", &[]).await;
    let by = |name: &str| {
        &visitors
            .iter()
            .find(|visitor| visitor.name == name)
            .unwrap()
            .actor
    };
    let forums = &services.forums;
    // Everyone who may watches the general forum and tries to watch the CMO forum, so the
    // sweep has notifications and emails to look through.
    for visitor in &visitors {
        let _general = forums.watch_forum(&visitor.actor, "general", true).await;
        let _cmo = forums.watch_forum(&visitor.actor, "cmo", true).await;
    }
    let general = forums
        .start_topic(
            by("member"),
            "general",
            &NewTopic {
                title: "Shift work and sleep".into(),
                tags: "night-work".into(),
                body: "How do your forces assess night workers?".into(),
            },
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    let general_post = forums
        .reply(
            by("member"),
            general,
            &PostDraft {
                body: "Adding a detail.".into(),
                quote_of: None,
            },
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    forums
        .report_post(
            by("group member"),
            general_post,
            "Reads like an identifiable case.",
        )
        .await
        .unwrap();
    let report = forums.moderation_queue(by("administrator")).await.unwrap()[0].id;
    let cmo = forums
        .start_topic(
            by("cmo member"),
            "cmo",
            &NewTopic {
                title: format!("Draft position {CANARY}"),
                tags: CANARY.into(),
                body: format!("Confidential draft {CANARY}."),
            },
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    // A CMO editor's draft: editors outside the group never see it, nor that it exists.
    let Actor::Member(mut cmo_editor) = by("editor").clone() else {
        panic!("the editor is a member");
    };
    cmo_editor.groups.push("cmo".into());
    let cmo_editor = Actor::Member(cmo_editor);
    let origin = domain::accounts::RequestOrigin::default();
    // An attachment on each document: the CMO one's bytes carry the canary.
    services
        .library
        .attach(
            by("editor"),
            OPEN_DOCUMENT,
            "open-form.pdf",
            b"%PDF-1.7\nOpen form.\n".to_vec(),
            &origin,
        )
        .await
        .unwrap();
    services
        .library
        .attach(
            &cmo_editor,
            CANARY_DOCUMENT,
            "briefing.pdf",
            format!("%PDF-1.7\nGroup form {CANARY}.\n").into_bytes(),
            &origin,
        )
        .await
        .unwrap();
    // and a Word document whose words (indexed for search) carry it.
    services
        .library
        .attach(
            &cmo_editor,
            CANARY_DOCUMENT,
            "minutes.docx",
            docx(&format!("Group minutes {CANARY}")),
            &origin,
        )
        .await
        .unwrap();
    services
        .library
        .save_draft(
            &cmo_editor,
            None,
            &domain::library::DocumentDraft {
                slug: CANARY_DRAFT.into(),
                title: format!("Draft note {CANARY}"),
                audience: "groups".into(),
                groups: vec!["cmo".into()],
                body: format!("Unpublished words {CANARY}."),
                ..Default::default()
            },
            &origin,
        )
        .await
        .unwrap();
    // A CPD entry: only its owner may ever see it.
    let cpd_entry = services
        .cpd
        .add(
            by("cmo member"),
            &domain::cpd::EntryFields {
                date: "2026-06-01".into(),
                title: format!("Supervision notes {CANARY}"),
                kind: "supervision".into(),
                participation: "participatory".into(),
                hours: "1.5".into(),
                learning: format!("Private learning {CANARY}."),
                reflection: format!("Private reflection {CANARY}."),
                practice_change: String::new(),
            },
        )
        .await
        .unwrap();
    services
        .cpd
        .attach_evidence(
            by("cmo member"),
            cpd_entry,
            "supervision.pdf",
            b"%PDF-1.7\nSupervision record.\n".to_vec(),
        )
        .await
        .unwrap();
    let cpd_records = cpd_records(&services, by("cmo member")).await;
    // The reply mentions every account, so the sweep also sees that a mention never reaches
    // anyone outside the group.
    let everyone: Vec<String> = services
        .db()
        .query_all_raw(sea_orm::Statement::from_string(
            services.db().get_database_backend(),
            "SELECT handle FROM users WHERE handle IS NOT NULL",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| format!("@{}", row.try_get::<String>("", "handle").unwrap()))
        .collect();
    let cmo_reply = forums
        .reply(
            by("cmo member"),
            cmo,
            &PostDraft {
                body: format!(
                    "A reply with the draft words {CANARY}. {}",
                    everyone.join(" ")
                ),
                quote_of: None,
            },
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    // A second CMO topic merged into the first by a moderator inside the group.
    let merged = forums
        .start_topic(
            by("cmo member"),
            "cmo",
            &NewTopic {
                title: format!("Earlier draft {CANARY}"),
                tags: String::new(),
                body: format!("Earlier words {CANARY}."),
            },
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    create_member(
        &services,
        "cmo-mod@force.test",
        "moderator",
        "active",
        &["cmo"],
    )
    .await;
    let cmo_moderator = services
        .accounts
        .sign_in("cmo-mod@force.test", PASSWORD, &origin)
        .await
        .unwrap()
        .member;
    forums
        .merge_topic(
            &Actor::Member(cmo_moderator),
            merged,
            &cmo.to_string(),
            true,
            &origin,
        )
        .await
        .unwrap();
    // Posts held for approval: a CMO topic carrying the canary, and a general reply.
    forums
        .set_held_first_posts(by("administrator"), "20", &origin)
        .await
        .unwrap();
    let held_topic = forums
        .start_topic(
            by("cmo member"),
            "cmo",
            &NewTopic {
                title: format!("Held draft {CANARY}"),
                tags: CANARY.into(),
                body: format!("Held words {CANARY}."),
            },
        )
        .await
        .unwrap();
    assert_eq!(held_topic, domain::forums::Posted::Held);
    forums
        .reply(
            by("member"),
            general,
            &PostDraft {
                body: "A reply waiting for approval.".into(),
                quote_of: None,
            },
        )
        .await
        .unwrap();
    let held = forums.held_posts(by("administrator")).await.unwrap();
    assert_eq!(
        held.len(),
        1,
        "the CMO topic's held post is not the administrator's to see"
    );
    forums
        .set_held_first_posts(by("administrator"), "0", &origin)
        .await
        .unwrap();
    let db = services.db().clone();
    domain::jobs::JobRunner::new(
        db.clone(),
        domain::jobs::JobContext::new(
            db,
            domain::mail::Mailer::Memory(Default::default()),
            "http://ohnet.test",
        ),
        domain::jobs::RunnerSettings::default(),
    )
    .run_due(chrono::Utc::now() + chrono::Duration::minutes(1))
    .await
    .unwrap();
    World {
        router,
        services,
        visitors,
        applicants: (decline, approve),
        general_topic: (general, general_post),
        report,
        cmo_topic: (cmo, cmo_reply),
        cmo_merged: merged,
        held: held[0].id,
        cpd_entry,
        cpd_records,
        _site: temp,
    }
}

/// Sends `method path` as `visitor` (with a form body for POST) and returns the status and
/// body.
pub async fn request_as(
    router: &Router,
    visitor: &Visitor,
    method: &str,
    path: &str,
    form: &str,
) -> (StatusCode, String) {
    let mut cookies = format!("ohnet_csrf={CSRF}");
    if let Some(session) = &visitor.session {
        cookies.push_str(&format!("; ohnet_session={session}"));
    }
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("cookie", cookies);
    let body = if method == "POST" {
        request = request
            .header("origin", "http://127.0.0.1:3000")
            .header("content-type", "application/x-www-form-urlencoded");
        Body::from(format!("csrf_token={CSRF}&{form}"))
    } else {
        Body::empty()
    };
    let (status, _, body) = send(router, request.body(body).unwrap()).await;
    (status, body)
}

/// Sends a request through the router and reads the whole response.
pub async fn send(router: &Router, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// A period of practice, a piece of feedback and a reflective account of `owner`, and their
/// discussion and profile, all carrying the canary.
async fn cpd_records(
    services: &domain::Services,
    owner: &domain::accounts::Actor,
) -> (i32, i32, i32) {
    use domain::cpd::{
        DiscussionFields, FeedbackFields, PracticeFields, ProfileFields, ReflectionFields,
    };
    let cpd = &services.cpd;
    let practice = cpd
        .add_practice(
            owner,
            &PracticeFields {
                started_on: "2026-01-01".into(),
                ended_on: "2026-06-30".into(),
                organisation: format!("Private practice {CANARY}"),
                setting: "occupational-health".into(),
                scope: "direct-care".into(),
                hours: "450".into(),
                description: String::new(),
            },
        )
        .await
        .unwrap();
    let feedback = cpd
        .add_feedback(
            owner,
            &FeedbackFields {
                received_on: "2026-05-01".into(),
                source: "colleague".into(),
                summary: format!("Private feedback {CANARY}"),
                practice_change: String::new(),
            },
        )
        .await
        .unwrap();
    let reflection = cpd
        .add_reflection(
            owner,
            &ReflectionFields {
                written_on: "2026-05-02".into(),
                experience: format!("Private experience {CANARY}"),
                learning: "Learning.".into(),
                practice_change: "Change.".into(),
                code_themes: vec!["preserve-safety".into()],
            },
        )
        .await
        .unwrap();
    cpd.set_discussion(
        owner,
        &DiscussionFields {
            partner_name: format!("Partner {CANARY}"),
            partner_pin: "12A3456E".into(),
            discussed_on: "2026-06-01".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    cpd.set_profile(
        owner,
        &ProfileFields {
            practice_summary: format!("Private summary {CANARY}"),
            standards_statement: String::new(),
        },
    )
    .await
    .unwrap();
    (practice, feedback, reflection)
}

/// A Word document whose text is `words` (the least a DOCX needs to be read as one).
pub fn docx(words: &str) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("word/document.xml", options).unwrap();
    write!(
        writer,
        r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>{words}</w:t></w:r></w:p></w:body></w:document>"#
    )
    .unwrap();
    writer.start_file("[Content_Types].xml", options).unwrap();
    writer.write_all(b"<Types/>").unwrap();
    writer.finish().unwrap().into_inner()
}
