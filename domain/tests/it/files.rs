//! Stored files in an S3-compatible object store (moto, a real S3 server on loopback): lesson
//! media, CPD evidence and library attachments are kept there when one is named, move there and
//! back with every byte intact, and objects no row names are swept once past the grace period.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use chrono::{Duration, Utc};
use domain::accounts::{Actor, RequestOrigin};
use domain::content::modules::MediaSource;
use domain::files::{self, FileStore, MoveTo, SWEEP_GRACE};
use domain::jobs::{JobContext, JobRunner, RunnerSettings};
use domain::mail::Mailer;
use domain::{DomainSettings, Services};
use sea_orm::{ConnectionTrait, Statement};

use crate::attachment_text::pdf;
use crate::content_import::words;
use crate::cpd::entry;
use crate::learning::{fixture, fixture_with, member};
use crate::library::two_packs;

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13, b'I', b'H', b'D', b'R',
];
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";

/// moto's S3 server on 127.0.0.1 with one bucket, started from the Python that `./x test`
/// names in `OHNET_TEST_PYTHON`; it stops when this is dropped (or the test process ends).
pub(crate) struct S3Server {
    child: Child,
    bucket: String,
    port: u16,
}

impl S3Server {
    pub(crate) fn start(bucket: &str) -> Self {
        let python = std::env::var("OHNET_TEST_PYTHON").expect(
            "OHNET_TEST_PYTHON names a Python with moto installed: run the tests with ./x test",
        );
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/s3-test-server.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(bucket)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the S3 test server printed {line:?}"));
        Self {
            child,
            bucket: bucket.to_owned(),
            port,
        }
    }

    /// The store for `prefix` in this server's bucket.
    pub(crate) fn store(&self, prefix: &str) -> FileStore {
        let endpoint = format!("http://127.0.0.1:{}", self.port);
        FileStore::from_setting(
            &format!("s3://{}/{prefix}", self.bucket),
            [
                ("aws_endpoint", endpoint.as_str()),
                ("aws_allow_http", "true"),
                ("aws_access_key_id", "test"),
                ("aws_secret_access_key", "test"),
                ("aws_region", "eu-west-2"),
            ],
        )
        .unwrap()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How many rows of the three file tables keep their bytes in the database, and how many in
/// the object store.
async fn where_files_are(services: &Services) -> (i64, i64) {
    let db = services.db();
    let mut counts = (0, 0);
    for table in ["module_media", "library_attachments", "cpd_evidence"] {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!(
                    "SELECT \
                     SUM(CASE WHEN object_key IS NULL AND length(bytes) > 0 THEN 1 ELSE 0 END), \
                     SUM(CASE WHEN object_key IS NOT NULL AND length(bytes) = 0 THEN 1 ELSE 0 END) \
                     FROM {table}"
                ),
            ))
            .await
            .unwrap()
            .unwrap();
        let in_rows: Option<i64> = row.try_get_by_index(0).unwrap();
        let in_objects: Option<i64> = row.try_get_by_index(1).unwrap();
        counts.0 += in_rows.unwrap_or(0);
        counts.1 += in_objects.unwrap_or(0);
    }
    counts
}

/// Runs every job due, reading stored files from `files`.
async fn run_jobs(services: &Services, files: &FileStore) {
    let db = services.db().clone();
    let context = JobContext::new(db.clone(), Mailer::Memory(Default::default()), "http://t")
        .with_files(files.clone());
    let report = JobRunner::new(db, context, RunnerSettings::default())
        .run_due(Utc::now() + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!((report.retrying, report.gave_up), (0, 0), "{report:?}");
}

async fn found(services: &Services, actor: &Actor, text: &str) -> Vec<String> {
    let results = services.search.search(actor, &words(text)).await.unwrap();
    results.hits.iter().map(|hit| hit.url.clone()).collect()
}

/// A CPD entry of `learner`'s with the PDF evidence files `names`; its id.
async fn entry_with_evidence(services: &Services, learner: &Actor, names: &[&str]) -> i32 {
    let today = domain::time::london_today(Utc::now());
    let id = services
        .cpd
        .add(learner, &entry(today, "Course", true, "2"))
        .await
        .unwrap();
    for name in names {
        services
            .cpd
            .attach_evidence(learner, id, name, PDF.to_vec())
            .await
            .unwrap();
    }
    id
}

#[tokio::test]
async fn files_are_kept_in_the_object_store_when_one_is_named() {
    let s3 = S3Server::start("ohnet-files");
    let store = s3.store("site/one");
    let fx = fixture_with(store.clone()).await;
    let services = &fx.services;
    let origin = RequestOrigin::default();

    // Lesson media, imported with a module.
    let mut module = fx.modules[0].clone();
    module.media.push(MediaSource {
        file_name: "referral-flow.png".into(),
        content_type: "image/png".into(),
        bytes: PNG.to_vec(),
    });
    module.content_hash = "with a picture".into();
    services.learning.import(&[module.clone()]).await.unwrap();
    let learner = member(&fx, "lee@force.test").await;
    let image = services
        .learning
        .media(&learner, &module.slug, "referral-flow.png")
        .await
        .unwrap();
    assert_eq!(image.bytes, PNG);

    // CPD evidence, uploaded by its owner.
    let id = entry_with_evidence(services, &learner, &["certificate.pdf"]).await;
    let evidence = services
        .cpd
        .evidence(&learner, id, "certificate.pdf", &origin)
        .await
        .unwrap();
    assert_eq!(evidence.bytes, PDF);

    // A library attachment, whose words the job reads back from the object store.
    let (editor, _) = two_packs(&fx).await;
    let form = pdf("Tachycardia escalation form");
    services
        .library
        .attach(&editor, "referral-pack", "form.pdf", form.clone(), &origin)
        .await
        .unwrap();
    run_jobs(services, &store).await;
    services.search.catch_up().await.unwrap();
    assert_eq!(
        found(services, &learner, "tachycardia").await,
        ["/library/referral-pack"]
    );
    let attached = services
        .library
        .attachment(&learner, "referral-pack", "form.pdf")
        .await
        .unwrap();
    assert_eq!(attached.bytes, form);

    // None of the three is in the database; all three are objects in the bucket.
    assert_eq!(where_files_are(services).await, (0, 3));
    let swept = files::sweep_objects(services.db(), &store, Utc::now() + SWEEP_GRACE * 2)
        .await
        .unwrap();
    assert_eq!((swept.seen, swept.deleted), (3, 0), "every object is named");

    // Exporting the content writes the real bytes.
    let out = tempfile::tempdir().unwrap();
    services.library.export(out.path()).await.unwrap();
    assert_eq!(
        std::fs::read(out.path().join("library/referral-pack/form.pdf")).unwrap(),
        form
    );
}

#[tokio::test]
async fn files_move_into_the_object_store_and_back_intact() {
    let s3 = S3Server::start("ohnet-moves");
    let objects = s3.store("moved");
    let fx = fixture().await;
    let services = &fx.services;
    let origin = RequestOrigin::default();
    let learner = member(&fx, "mo@force.test").await;
    let id = entry_with_evidence(services, &learner, &["certificate.pdf"]).await;
    let (editor, _) = two_packs(&fx).await;
    let form = pdf("Moved form");
    services
        .library
        .attach(&editor, "referral-pack", "form.pdf", form.clone(), &origin)
        .await
        .unwrap();
    assert_eq!(where_files_are(services).await, (2, 0));

    let db = services.db();
    let moved = files::move_files(db, &objects, MoveTo::ObjectStore)
        .await
        .unwrap();
    assert_eq!(moved.moved, 2);
    assert_eq!(moved.bytes, (PDF.len() + form.len()) as u64);
    assert_eq!(where_files_are(services).await, (0, 2));
    let again = files::move_files(db, &objects, MoveTo::ObjectStore)
        .await
        .unwrap();
    assert_eq!(again.moved, 0, "a second run has nothing to move");

    // A node configured with the object store serves the moved files.
    let node = Services::new(
        db.clone(),
        DomainSettings {
            files: objects.clone(),
            ..Default::default()
        },
    )
    .unwrap();
    let evidence = node
        .cpd
        .evidence(&learner, id, "certificate.pdf", &origin)
        .await
        .unwrap();
    assert_eq!(evidence.bytes, PDF);
    let attached = node
        .library
        .attachment(&learner, "referral-pack", "form.pdf")
        .await
        .unwrap();
    assert_eq!(attached.bytes, form);
    // One still configured with the database cannot, and says why rather than serving nothing.
    let stale = services
        .cpd
        .evidence(&learner, id, "certificate.pdf", &origin)
        .await;
    assert!(
        matches!(&stale, Err(domain::Error::Internal(message)) if message.contains("OHNET_FILE_STORE")),
        "{stale:?}"
    );

    // And back: the rows hold the bytes again and the objects are gone.
    let back = files::move_files(db, &objects, MoveTo::Database)
        .await
        .unwrap();
    assert_eq!(back.moved, 2);
    assert_eq!(where_files_are(services).await, (2, 0));
    let evidence = services
        .cpd
        .evidence(&learner, id, "certificate.pdf", &origin)
        .await
        .unwrap();
    assert_eq!(evidence.bytes, PDF);
    let left = files::sweep_objects(db, &objects, Utc::now() + SWEEP_GRACE * 2)
        .await
        .unwrap();
    assert_eq!(left.seen, 0, "moving out deletes each object");

    // Without an object store there is nowhere to move to.
    assert!(matches!(
        files::move_files(db, &FileStore::Database, MoveTo::ObjectStore).await,
        Err(domain::Error::Conflict(_))
    ));
}

#[tokio::test]
async fn objects_no_row_names_are_swept_once_past_the_grace_period() {
    let s3 = S3Server::start("ohnet-sweep");
    let store = s3.store("swept");
    let fx = fixture_with(store.clone()).await;
    let services = &fx.services;
    let origin = RequestOrigin::default();
    let learner = member(&fx, "sam@force.test").await;
    let id = entry_with_evidence(services, &learner, &["a.pdf", "b.pdf"]).await;
    services
        .cpd
        .remove_evidence(&learner, id, "a.pdf")
        .await
        .unwrap();
    // An object written for a transaction that then failed: no row names it.
    store.place(b"never committed".to_vec()).await.unwrap();

    let db = services.db();
    let now = files::sweep_objects(db, &store, Utc::now()).await.unwrap();
    assert_eq!((now.seen, now.deleted), (3, 0), "nothing new is swept");
    let later = files::sweep_objects(db, &store, Utc::now() + SWEEP_GRACE + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!((later.seen, later.deleted), (3, 2));
    let kept = services
        .cpd
        .evidence(&learner, id, "b.pdf", &origin)
        .await
        .unwrap();
    assert_eq!(kept.bytes, PDF);
    let after = files::sweep_objects(db, &store, Utc::now() + SWEEP_GRACE * 2)
        .await
        .unwrap();
    assert_eq!((after.seen, after.deleted), (1, 0));
}
