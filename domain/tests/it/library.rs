//! The guidance library against a real database: the seed documents in `content/library/`
//! import cleanly and idempotently, a changed file becomes a new version with its change note,
//! versions compare line by line, invalid files and broken links are reported by line, and a
//! group's document is invisible to everyone else: in the list, its counts, the document
//! itself and search.

use std::path::{Path, PathBuf};

use domain::accounts::Actor;
use domain::content::{self, ImportError};
use domain::library::{DocumentKind, LibraryOrder, LibraryQuery};
use domain::search::ResultKind;
use domain::{DomainSettings, Services};

use crate::content_import::words;

fn seed_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

async fn services(dir: &Path) -> Services {
    let url = crate::database_url(dir).await;
    let db = domain::db::connect(&url).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    Services::new(db, DomainSettings::default()).unwrap()
}

pub(crate) fn member(groups: &[&str]) -> Actor {
    Actor::Member(domain::accounts::Member {
        id: 1,
        name: "A".into(),
        email: "a@example.org".into(),
        role: domain::accounts::Role::Member,
        status: domain::accounts::MemberStatus::Active,
        groups: groups.iter().map(|group| (*group).to_owned()).collect(),
        moderates: None,
        organisation: None,
        grants: Vec::new(),
    })
}

fn document(title: &str, extra: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nkind = \"clinical-guidance\"\nsummary = \"About {title}.\"\n\
         tags = [\"night-work\"]\n{extra}owner = \"OH team\"\npublished = 2026-01-05\n\
         review_by = 2027-01-05\nchange_note = \"First published.\"\n+++\n{body}\n"
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[tokio::test]
async fn the_seed_library_is_valid_and_imports_once() {
    let set = content::load(&seed_content()).unwrap_or_else(|errors| panic!("{errors}"));
    assert!(set.library.len() >= 12, "at least twelve seed documents");
    for kind in [
        DocumentKind::Standard,
        DocumentKind::ClinicalGuidance,
        DocumentKind::GoodPractice,
        DocumentKind::PolicyTemplate,
        DocumentKind::TargetOperatingModel,
        DocumentKind::Briefing,
    ] {
        assert!(
            set.library.iter().any(|document| document.kind == kind),
            "a {kind:?} is seeded"
        );
    }
    let temp = tempfile::tempdir().unwrap();
    let services = services(temp.path()).await;
    let report = services.library.import(&set.library).await.unwrap();
    assert_eq!(report.created, set.library.len());
    let again = services.library.import(&set.library).await.unwrap();
    assert_eq!((again.created, again.updated), (0, 0), "idempotent");

    let listed = services
        .library
        .list(&member(&[]), &LibraryQuery::default())
        .await
        .unwrap();
    assert!(
        listed
            .documents
            .iter()
            .all(|document| document.slug != "cmo-group-working-arrangements"),
        "the CMO group's briefing is not listed for other members"
    );
    let cmo = services
        .library
        .list(&member(&["cmo"]), &LibraryQuery::default())
        .await
        .unwrap();
    assert_eq!(cmo.total, listed.total + 1);
}

#[tokio::test]
async fn a_changed_file_is_a_new_version_that_compares_line_by_line() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    std::fs::create_dir_all(content.join("pages")).unwrap();
    let path = content.join("library/night-work.md");
    write(
        &path,
        &document(
            "Night work",
            "",
            "## Assessments\n\nOffer one before starting.\n\nThen yearly.",
        ),
    );
    let services = services(temp.path()).await;
    content::import(&services, &content).await.unwrap();
    write(
        &path,
        &document(
            "Night work",
            "",
            "## Assessments\n\nOffer one before starting.\n\nThen at regular intervals.",
        )
        .replace("First published.", "Intervals follow the regulations."),
    );
    content::import(&services, &content).await.unwrap();

    let anyone = Actor::Anonymous;
    let view = services.library.get(&anyone, "night-work").await.unwrap();
    assert_eq!(view.version, 2);
    let notes: Vec<&str> = view
        .versions
        .iter()
        .map(|version| version.change_note.as_str())
        .collect();
    assert_eq!(
        notes,
        ["Intervals follow the regulations.", "First published."]
    );
    let comparison = services
        .library
        .compare(&anyone, "night-work", 1, 2)
        .await
        .unwrap();
    use domain::library::DiffLine;
    assert!(
        comparison
            .lines
            .contains(&DiffLine::Removed("Then yearly.".into()))
    );
    assert!(
        comparison
            .lines
            .contains(&DiffLine::Added("Then at regular intervals.".into()))
    );
    assert!(matches!(
        services.library.compare(&anyone, "night-work", 1, 9).await,
        Err(domain::Error::NotFound)
    ));
    let found = services
        .search
        .search(&anyone, &words("regular intervals"))
        .await
        .unwrap();
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].kind, ResultKind::Document);
    assert_eq!(found.hits[0].url, "/library/night-work");
}

#[tokio::test]
async fn problems_and_broken_links_are_reported_by_line() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    write(
        &content.join("library/odd.md"),
        "+++\ntitle = \"Odd\"\nkind = \"guidance\"\nsummary = \"Odd.\"\ntags = [\"Bad Tag\"]\n\
         owner = \"OH team\"\npublished = 2026-01-05\nreview_by = 2025-01-05\n\
         change_note = \"First.\"\n+++\nSee [the other](/library/missing).\n",
    );
    write(
        &content.join("pages/about.md"),
        "+++\ntitle = \"About\"\nsummary = \"About.\"\n+++\nRead\n[the guide](/library/odd#part) and [nothing](/library/nowhere).\n",
    );
    let services = services(temp.path()).await;
    let Err(ImportError::Invalid(errors)) = content::import(&services, &content).await else {
        panic!("invalid content must be reported");
    };
    let messages: Vec<String> = errors
        .0
        .iter()
        .map(|error| {
            let name = error
                .path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            format!("{name}:{}: {}", error.line, error.message)
        })
        .collect();
    assert_eq!(
        messages,
        [
            "odd.md:3: unknown kind `guidance`: use one of standard, clinical-guidance, good-practice, policy-template, target-operating-model, briefing",
            "odd.md:5: tag `Bad Tag` must be lowercase letters, digits and single hyphens",
            "odd.md:8: `review_by` (2025-01-05) must be after `published` (2026-01-05)",
            "odd.md:11: link to `/library/missing`: there is no library document `missing`",
            "about.md:6: link to `/library/nowhere`: there is no library document `nowhere`",
        ]
    );
}

#[tokio::test]
async fn a_groups_document_exists_only_for_that_group() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    std::fs::create_dir_all(content.join("pages")).unwrap();
    write(
        &content.join("library/cmo-notes.md"),
        &document(
            "Group notes",
            "audience = [\"cmo\"]\n",
            "Private sphagnum words.",
        ),
    );
    write(
        &content.join("library/open-notes.md"),
        &document("Open notes", "", "Open words."),
    );
    let services = services(temp.path()).await;
    content::import(&services, &content).await.unwrap();
    let (outsider, insider) = (member(&["oh-managers"]), member(&["cmo"]));
    let library = &services.library;
    assert!(matches!(
        library.get(&outsider, "cmo-notes").await,
        Err(domain::Error::NotFound)
    ));
    assert!(library.get(&insider, "cmo-notes").await.is_ok());
    let listed = library
        .list(
            &outsider,
            &LibraryQuery {
                order: LibraryOrder::Title,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(
        listed.kinds,
        [(DocumentKind::ClinicalGuidance, 1)],
        "counts leave it out"
    );
    for (actor, expected) in [(&outsider, 0), (&insider, 1), (&Actor::Anonymous, 0)] {
        assert_eq!(
            services
                .search
                .search(actor, &words("sphagnum"))
                .await
                .unwrap()
                .total,
            expected
        );
    }
}

#[tokio::test]
async fn the_right_item_comes_first_for_its_key_queries() {
    let temp = tempfile::tempdir().unwrap();
    let services = services(temp.path()).await;
    content::import(&services, &seed_content()).await.unwrap();
    let reader = member(&[]);
    for (query, first) in [
        (
            "injury on duty referrals",
            "/library/ill-health-retirement-and-injury-on-duty-referrals",
        ),
        (
            "psychological risk assessment high risk roles",
            "/library/psychological-risk-assessment-high-risk-roles",
        ),
        (
            "SEQOHS accreditation",
            "/library/seqohs-accreditation-briefing",
        ),
        // Stemmed: "workers" finds the lesson titled "Night work health assessments".
        (
            "night workers health assessments",
            "/learning/assessing-fitness-for-duty/night-work-health-assessments",
        ),
        // Misspelt: one typo in a long word.
        (
            "managment referal template",
            "/library/management-referral-template",
        ),
    ] {
        let found = services
            .search
            .search(&reader, &words(query))
            .await
            .unwrap();
        assert_eq!(
            found.hits.first().map(|hit| hit.url.as_str()),
            Some(first),
            "{query}: {:?}",
            found.hits.iter().map(|hit| &hit.url).collect::<Vec<_>>()
        );
    }
}

fn new_document_draft(slug: &str, title: &str, body: &str) -> domain::library::DocumentDraft {
    domain::library::DocumentDraft {
        slug: slug.into(),
        title: title.into(),
        kind: "clinical-guidance".into(),
        summary: format!("About {title}."),
        tags: "Night work, shifts".into(),
        audience: "members".into(),
        groups: Vec::new(),
        owner: "OH nursing lead".into(),
        review_by: "2099-01-31".into(),
        body: body.into(),
        change_note: String::new(),
    }
}

fn fields_of(error: domain::Error) -> Vec<String> {
    match error {
        domain::Error::InvalidFields(problems) => {
            problems.into_iter().map(|problem| problem.field).collect()
        }
        other => panic!("expected field problems, got {other:?}"),
    }
}

#[tokio::test]
async fn editors_draft_publish_version_withdraw_and_export_documents_and_each_step_is_audited() {
    use domain::accounts::RequestOrigin;
    use domain::library::DocumentStatus;

    let fx = crate::learning::fixture().await;
    let library = &fx.services.library;
    let origin = RequestOrigin::default();
    let editor = crate::learning::editor(&fx, "eddie@force.test").await;
    let reader = member(&[]);
    let found = |actor: Actor, text: &'static str| {
        let search = fx.services.search.clone();
        async move {
            search
                .search(&actor, &words(text))
                .await
                .unwrap()
                .hits
                .into_iter()
                .map(|hit| hit.url)
                .collect::<Vec<_>>()
        }
    };

    // Members who are not editors may do none of it.
    assert!(matches!(
        library.editor(&reader, None).await,
        Err(domain::Error::Forbidden)
    ));
    let draft = new_document_draft(
        "night-shift-guide",
        "Night shift guide",
        "## Rotas\n\nThe kestrelwatch rota rotates forward, which is kinder to sleep.\n",
    );
    assert!(matches!(
        library.publish(&reader, None, &draft, &origin).await,
        Err(domain::Error::Forbidden)
    ));

    // Every broken rule is reported by field, and nothing is written.
    let broken = domain::library::DocumentDraft {
        slug: "new".into(),
        title: " ".into(),
        kind: "leaflet".into(),
        tags: "a b c, !!".into(),
        audience: "groups".into(),
        review_by: "2020-01-01".into(),
        body: "See [the missing one](/library/no-such-document).".into(),
        ..draft.clone()
    };
    let problems = fields_of(
        library
            .publish(&editor, None, &broken, &origin)
            .await
            .unwrap_err(),
    );
    for field in [
        "slug",
        "title",
        "kind",
        "tags",
        "groups",
        "review_by",
        "body",
    ] {
        assert!(
            problems.contains(&field.to_owned()),
            "{field} in {problems:?}"
        );
    }
    assert!(library.desk(&editor).await.unwrap().drafts.is_empty());

    // A new document saved as a draft is the editors' alone.
    let slug = library
        .save_draft(&editor, None, &draft, &origin)
        .await
        .unwrap();
    assert_eq!(slug, "night-shift-guide");
    let desk = library.desk(&editor).await.unwrap();
    assert_eq!(desk.drafts.len(), 1);
    assert!(desk.drafts[0].is_new);
    assert!(matches!(
        library.get(&reader, &slug).await,
        Err(domain::Error::NotFound)
    ));
    assert!(found(reader.clone(), "kestrelwatch").await.is_empty());
    let taken = library.save_draft(&editor, None, &draft, &origin).await;
    assert_eq!(
        fields_of(taken.unwrap_err()),
        ["slug"],
        "the name is taken by the draft"
    );

    // Published, it is version 1 for members and in search; the draft is gone.
    library
        .publish(&editor, Some(&slug), &draft, &origin)
        .await
        .unwrap();
    let view = library.get(&reader, &slug).await.unwrap();
    assert_eq!(view.version, 1);
    assert_eq!(view.versions[0].change_note, "First published.");
    assert_eq!(view.summary.tags, ["night-work", "shifts"]);
    assert!(!view.may_edit);
    assert!(library.desk(&editor).await.unwrap().drafts.is_empty());
    assert_eq!(
        found(reader.clone(), "kestrelwatch").await,
        ["/library/night-shift-guide"]
    );
    assert!(
        found(Actor::Anonymous, "kestrelwatch").await.is_empty(),
        "members only"
    );

    // A change needs a change note; saved as a draft, readers keep the published text.
    let editing = library.editor(&editor, Some(&slug)).await.unwrap();
    assert_eq!(editing.live_version, Some(1));
    assert_eq!(editing.draft.change_note, "");
    let changed = domain::library::DocumentDraft {
        body: "## Rotas\n\nThe kestrelwatch rota rotates forward, which is kinder to sleep.\n\nPlan quokkaday recovery after nights.\n".into(),
        ..editing.draft.clone()
    };
    let problems = fields_of(
        library
            .publish(&editor, Some(&slug), &changed, &origin)
            .await
            .unwrap_err(),
    );
    assert_eq!(problems, ["change_note"]);
    library
        .save_draft(&editor, Some(&slug), &changed, &origin)
        .await
        .unwrap();
    assert!(library.get(&editor, &slug).await.unwrap().has_draft);
    assert!(
        !library
            .get(&reader, &slug)
            .await
            .unwrap()
            .body_html
            .contains("quokkaday")
    );
    let resumed = library.editor(&editor, Some(&slug)).await.unwrap();
    assert!(
        resumed.draft.body.contains("quokkaday"),
        "the draft is what the form shows"
    );
    assert!(resumed.draft_saved.is_some());

    let noted = domain::library::DocumentDraft {
        change_note: "Added recovery days.".into(),
        ..changed
    };
    library
        .publish(&editor, Some(&slug), &noted, &origin)
        .await
        .unwrap();
    let view = library.get(&reader, &slug).await.unwrap();
    assert_eq!(view.version, 2);
    assert!(view.body_html.contains("quokkaday"));
    let comparison = library.compare(&reader, &slug, 1, 2).await.unwrap();
    assert!(comparison.lines.contains(&domain::library::DiffLine::Added(
        "Plan quokkaday recovery after nights.".into()
    )));

    // Withdrawn, it leaves the library and search for readers; editors still see it.
    library
        .set_status(&editor, &slug, DocumentStatus::Withdrawn, &origin)
        .await
        .unwrap();
    assert!(matches!(
        library.get(&reader, &slug).await,
        Err(domain::Error::NotFound)
    ));
    let listing = library
        .list(&reader, &LibraryQuery::default())
        .await
        .unwrap();
    assert!(
        listing
            .documents
            .iter()
            .all(|document| document.slug != slug)
    );
    assert!(found(reader.clone(), "quokkaday").await.is_empty());
    assert_eq!(
        library.get(&editor, &slug).await.unwrap().status,
        DocumentStatus::Withdrawn
    );
    assert_eq!(library.desk(&editor).await.unwrap().withdrawn[0].slug, slug);
    library
        .set_status(&editor, &slug, DocumentStatus::Published, &origin)
        .await
        .unwrap();
    assert_eq!(
        found(reader.clone(), "quokkaday").await,
        ["/library/night-shift-guide"]
    );

    // A draft for a group is unknown to editors outside it.
    let Actor::Member(mut cmo_member) = editor.clone() else {
        panic!("a member");
    };
    cmo_member.groups.push("cmo".into());
    let cmo_editor = Actor::Member(cmo_member);
    let private = domain::library::DocumentDraft {
        audience: "groups".into(),
        groups: vec!["cmo".into()],
        ..new_document_draft("cmo-only-note", "Chief officers' note", "Private words.\n")
    };
    library
        .save_draft(&cmo_editor, None, &private, &origin)
        .await
        .unwrap();
    assert!(matches!(
        library.editor(&editor, Some("cmo-only-note")).await,
        Err(domain::Error::NotFound)
    ));
    assert!(library.desk(&editor).await.unwrap().drafts.is_empty());
    assert_eq!(library.desk(&cmo_editor).await.unwrap().drafts.len(), 1);
    library
        .discard_draft(&cmo_editor, "cmo-only-note", &origin)
        .await
        .unwrap();
    assert!(library.desk(&cmo_editor).await.unwrap().drafts.is_empty());

    // Every step is in the audit log.
    use sea_orm::{ConnectionTrait, Statement};
    let db = fx.services.db();
    let actions: Vec<String> = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT action FROM audit_log WHERE action LIKE 'library.%' ORDER BY id",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("", "action").unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "library.save-draft",
            "library.publish",
            "library.save-draft",
            "library.publish",
            "library.withdraw",
            "library.republish",
            "library.save-draft",
            "library.discard-draft",
        ]
    );

    // Exported to Markdown, the edits are files that validate and import as no change.
    let out = tempfile::tempdir().unwrap();
    assert_eq!(library.export(out.path()).await.unwrap(), 1);
    let mut errors = Vec::new();
    let sources = domain::library::load_library(out.path(), &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    let report = library.import(&sources).await.unwrap();
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 0, 1)
    );
    assert_eq!(library.get(&reader, &slug).await.unwrap().version, 2);
}

#[tokio::test]
async fn attachments_are_typed_from_their_bytes_and_reach_only_the_documents_readers() {
    use domain::accounts::RequestOrigin;

    let fx = crate::learning::fixture().await;
    let library = &fx.services.library;
    let origin = RequestOrigin::default();
    let (editor, cmo_editor) = two_packs(&fx).await;

    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n".to_vec();
    let png = vec![
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
    ];
    let refused = |result: domain::Result<String>| fields_of(result.unwrap_err());

    // Only editors attach, and only what the bytes say it is.
    assert!(matches!(
        library
            .attach(
                &member(&[]),
                "referral-pack",
                "form.pdf",
                pdf.clone(),
                &origin
            )
            .await,
        Err(domain::Error::Forbidden)
    ));
    assert_eq!(
        refused(
            library
                .attach(&editor, "referral-pack", "form.pdf", png.clone(), &origin)
                .await
        ),
        ["file"],
        "a PNG named .pdf"
    );
    assert_eq!(
        refused(
            library
                .attach(
                    &editor,
                    "referral-pack",
                    "page.pdf",
                    b"<html><script></script>".to_vec(),
                    &origin
                )
                .await
        ),
        ["file"],
        "a web page"
    );
    assert_eq!(
        refused(
            library
                .attach(&editor, "referral-pack", "", pdf.clone(), &origin)
                .await
        ),
        ["file"],
        "no file chosen"
    );
    let small = Services::new(
        fx.services.db().clone(),
        DomainSettings {
            uploads: domain::uploads::UploadSettings { max_bytes: 16 },
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        refused(
            small
                .library
                .attach(&editor, "referral-pack", "form.pdf", pdf.clone(), &origin)
                .await
        ),
        ["file"],
        "over the size limit"
    );
    assert_eq!(
        library
            .attach(
                &editor,
                "referral-pack",
                "Referral form.pdf",
                pdf.clone(),
                &origin
            )
            .await
            .unwrap(),
        "Referral-form.pdf"
    );
    library
        .attach(&editor, "referral-pack", "chart.png", png.clone(), &origin)
        .await
        .unwrap();
    library
        .attach(&cmo_editor, "cmo-pack", "group.pdf", pdf.clone(), &origin)
        .await
        .unwrap();
    // An editor outside the group cannot attach to (or learn of) the group's document.
    assert!(matches!(
        library
            .attach(&editor, "cmo-pack", "x.pdf", pdf.clone(), &origin)
            .await,
        Err(domain::Error::NotFound)
    ));

    // Readers of the document download them; nobody else learns they exist.
    let reader = member(&[]);
    let view = library.get(&reader, "referral-pack").await.unwrap();
    let names: Vec<(&str, &str)> = view
        .attachments
        .iter()
        .map(|attachment| (attachment.file_name.as_str(), attachment.kind.as_str()))
        .collect();
    assert_eq!(
        names,
        [("Referral-form.pdf", "PDF"), ("chart.png", "PNG image")]
    );
    let file = library
        .attachment(&reader, "referral-pack", "Referral-form.pdf")
        .await
        .unwrap();
    assert_eq!(
        (file.content_type.as_str(), file.bytes),
        ("application/pdf", pdf.clone())
    );
    assert!(matches!(
        library
            .attachment(&Actor::Anonymous, "referral-pack", "Referral-form.pdf")
            .await,
        Err(domain::Error::NotFound)
    ));
    assert!(matches!(
        library.attachment(&reader, "cmo-pack", "group.pdf").await,
        Err(domain::Error::NotFound)
    ));
    assert!(
        library
            .attachment(&member(&["cmo"]), "cmo-pack", "group.pdf")
            .await
            .is_ok()
    );

    // Removed, it is gone; withdrawn, its document's files go with it for readers.
    library
        .remove_attachment(&editor, "referral-pack", "chart.png", &origin)
        .await
        .unwrap();
    assert!(matches!(
        library
            .attachment(&reader, "referral-pack", "chart.png")
            .await,
        Err(domain::Error::NotFound)
    ));
    library
        .set_status(
            &editor,
            "referral-pack",
            domain::library::DocumentStatus::Withdrawn,
            &origin,
        )
        .await
        .unwrap();
    assert!(matches!(
        library
            .attachment(&reader, "referral-pack", "Referral-form.pdf")
            .await,
        Err(domain::Error::NotFound)
    ));
    assert!(
        library
            .attachment(&editor, "referral-pack", "Referral-form.pdf")
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn attachments_go_out_with_export_content_and_come_back_in() {
    use domain::accounts::RequestOrigin;

    let fx = crate::learning::fixture().await;
    let library = &fx.services.library;
    let origin = RequestOrigin::default();
    let editor = crate::learning::editor(&fx, "eddie@force.test").await;
    let reader = member(&[]);
    let draft = new_document_draft("referral-pack", "Referral pack", "Forms.\n");
    library
        .publish(&editor, None, &draft, &origin)
        .await
        .unwrap();
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n".to_vec();
    library
        .attach(&editor, "referral-pack", "form.pdf", pdf.clone(), &origin)
        .await
        .unwrap();

    // Exported beside the document, and imported again as no change.
    let out = tempfile::tempdir().unwrap();
    library.export(out.path()).await.unwrap();
    let folder = out.path().join("library/referral-pack");
    assert_eq!(std::fs::read(folder.join("form.pdf")).unwrap(), pdf);
    let mut errors = Vec::new();
    let sources = domain::library::load_library(out.path(), &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    let report = library.import(&sources).await.unwrap();
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 0, 1)
    );
    let version = library.get(&reader, "referral-pack").await.unwrap().version;

    // A changed file, a new one and a removed one: the folder wins, with no new version.
    let new_pdf = b"%PDF-1.7\n2 0 obj\n<<>>\nendobj\ntrailer\n".to_vec();
    std::fs::write(folder.join("form.pdf"), &new_pdf).unwrap();
    std::fs::write(folder.join("notes.pdf"), &pdf).unwrap();
    let sources = domain::library::load_library(out.path(), &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    library.import(&sources).await.unwrap();
    assert_eq!(
        library
            .attachment(&reader, "referral-pack", "form.pdf")
            .await
            .unwrap()
            .bytes,
        new_pdf
    );
    assert!(
        library
            .attachment(&reader, "referral-pack", "notes.pdf")
            .await
            .is_ok()
    );
    assert_eq!(
        library.get(&reader, "referral-pack").await.unwrap().version,
        version
    );
    std::fs::remove_file(folder.join("notes.pdf")).unwrap();
    let sources = domain::library::load_library(out.path(), &mut errors);
    library.import(&sources).await.unwrap();
    assert!(matches!(
        library
            .attachment(&reader, "referral-pack", "notes.pdf")
            .await,
        Err(domain::Error::NotFound)
    ));

    // A web page named .pdf, or a name the site would change, is reported against the file.
    std::fs::write(
        folder.join("evil.pdf"),
        b"<html><script>alert(1)</script></html>",
    )
    .unwrap();
    std::fs::write(folder.join("Two words.pdf"), &pdf).unwrap();
    let mut errors = Vec::new();
    let sources = domain::library::load_library(out.path(), &mut errors);
    assert!(sources.iter().all(|source| source.slug != "referral-pack"));
    let reported: Vec<String> = errors
        .iter()
        .map(|error| {
            format!(
                "{}: {}",
                error.path.file_name().unwrap().to_string_lossy(),
                error.message
            )
        })
        .collect();
    assert_eq!(reported.len(), 2, "{reported:?}");
    assert!(
        reported[0].starts_with("Two words.pdf: rename this attachment `Two-words.pdf`"),
        "{reported:?}"
    );
    assert!(reported[1].starts_with("evil.pdf: "), "{reported:?}");

    // Removed in the app and exported again, the folder goes.
    std::fs::remove_file(folder.join("evil.pdf")).unwrap();
    std::fs::remove_file(folder.join("Two words.pdf")).unwrap();
    library
        .remove_attachment(&editor, "referral-pack", "form.pdf", &origin)
        .await
        .unwrap();
    library.export(out.path()).await.unwrap();
    assert!(!folder.exists());
}

/// An editor and the same editor in the CMO group, with a document for members
/// (`referral-pack`) and one for the CMO group (`cmo-pack`) published.
pub(crate) async fn two_packs(fx: &crate::learning::Fixture) -> (Actor, Actor) {
    let library = &fx.services.library;
    let origin = domain::accounts::RequestOrigin::default();
    let editor = crate::learning::editor(fx, "eddie@force.test").await;
    let Actor::Member(mut cmo_member) = editor.clone() else {
        panic!("a member");
    };
    cmo_member.groups.push("cmo".into());
    let cmo_editor = Actor::Member(cmo_member);
    let members_doc = new_document_draft("referral-pack", "Referral pack", "Forms.\n");
    library
        .publish(&editor, None, &members_doc, &origin)
        .await
        .unwrap();
    let cmo_doc = domain::library::DocumentDraft {
        audience: "groups".into(),
        groups: vec!["cmo".into()],
        ..new_document_draft("cmo-pack", "CMO pack", "Group forms.\n")
    };
    library
        .publish(&cmo_editor, None, &cmo_doc, &origin)
        .await
        .unwrap();
    (editor, cmo_editor)
}
