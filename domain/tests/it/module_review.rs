//! Clinical governance of modules: the seed modules read as recorded (awaiting clinical
//! review, nothing claimed), an editor records a review (checked field by field, audited, a new
//! revision that a restart does not undo and `export-content` writes back), and an overdue
//! review is flagged to editors only.

use chrono::{Days, NaiveDate, Utc};
use domain::accounts::{Actor, RequestOrigin};
use domain::content::modules::{ClinicalReview, ReviewStatus, load_modules};
use domain::learning::{CatalogueFilter, ReviewDraft};
use domain::{Error, time::london_today};

use crate::learning::{MODULE, editor, fixture, member};

fn draft(reviewers: &str, reviewed_on: NaiveDate, next_review: NaiveDate) -> ReviewDraft {
    ReviewDraft {
        reviewers: reviewers.to_owned(),
        reviewed_on: reviewed_on.to_string(),
        next_review: next_review.to_string(),
        note: String::new(),
    }
}

fn invalid_fields(outcome: Result<(), Error>) -> Vec<String> {
    match outcome {
        Err(Error::InvalidFields(problems)) => problems
            .into_iter()
            .map(|problem| problem.field.to_string())
            .collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn the_seed_modules_claim_no_review_that_is_not_recorded() {
    let fx = fixture().await;
    let overview = fx
        .services
        .learning
        .overview(&Actor::Anonymous, MODULE)
        .await
        .unwrap();
    assert_eq!(overview.card.review_status, ReviewStatus::AwaitingReview);
    assert_eq!(overview.governance.status, ReviewStatus::AwaitingReview);
    assert!(overview.governance.reviews.is_empty());
    assert_eq!(overview.governance.next_review, None);
    assert_eq!(overview.governance.authors, ["ohnet editorial team"]);
    assert!(!overview.card.review_overdue);
}

#[tokio::test]
async fn an_editor_records_a_review_that_readers_see_as_recorded() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let origin = RequestOrigin::default();
    let today = london_today(Utc::now());
    let editor = editor(&fx, "eddie@force.test").await;
    let reader = member(&fx, "rita@force.test").await;
    let reviewed_on = today - Days::new(10);
    let next_review = today + Days::new(365);

    assert!(matches!(
        learning
            .record_review(
                &reader,
                MODULE,
                &draft("Someone", reviewed_on, next_review),
                today,
                &origin
            )
            .await,
        Err(Error::Forbidden)
    ));
    let mut bad = draft("  \n ", today + Days::new(1), today);
    assert_eq!(
        invalid_fields(
            learning
                .record_review(&editor, MODULE, &bad, today, &origin)
                .await
        ),
        ["reviewers", "reviewed_on", "next_review"]
    );
    bad.reviewed_on = "1 December".into();
    bad.next_review = String::new();
    bad.note = "x".repeat(2_001);
    assert_eq!(
        invalid_fields(
            learning
                .record_review(&editor, MODULE, &bad, today, &origin)
                .await
        ),
        ["reviewers", "reviewed_on", "next_review", "note"]
    );
    assert_eq!(
        learning.overview(&reader, MODULE).await.unwrap().revision,
        1,
        "a refused review changes nothing"
    );

    let mut good = draft(
        "Dr Example Reviewer, consultant occupational physician\n\n  A N Other, OH nurse  \n",
        reviewed_on,
        next_review,
    );
    good.note = "Checked the recruitment lessons against the 2025 guidance.".into();
    learning
        .record_review(&editor, MODULE, &good, today, &origin)
        .await
        .unwrap();
    let overview = learning.overview(&reader, MODULE).await.unwrap();
    assert_eq!(overview.revision, 2);
    assert_eq!(overview.card.review_status, ReviewStatus::Reviewed);
    assert_eq!(overview.governance.next_review, Some(next_review));
    let recorded = ClinicalReview {
        date: reviewed_on,
        reviewers: vec![
            "Dr Example Reviewer, consultant occupational physician".to_owned(),
            "A N Other, OH nurse".to_owned(),
        ],
        note: Some("Checked the recruitment lessons against the 2025 guidance.".to_owned()),
    };
    assert_eq!(overview.governance.reviews, std::slice::from_ref(&recorded));
    assert_eq!(overview.governance.authors, ["ohnet editorial team"]);

    let accounts = &fx.services.accounts;
    let admin = accounts
        .sign_in("admin@ohnet.test", "admin password 123", &origin)
        .await
        .map(|signed| Actor::Member(signed.member))
        .unwrap();
    let audit = fx.services.audit.entries(&admin, 0).await.unwrap();
    assert_eq!(audit[0].action, "module.review");
    assert_eq!(audit[0].target, format!("module:{MODULE}"));
    assert!(
        audit[0].detail.contains("A N Other, OH nurse"),
        "{}",
        audit[0].detail
    );

    // A restart imports `content/` again: the files have not changed, so the review stays.
    let report = learning.import(&fx.modules).await.unwrap();
    assert_eq!(report.unchanged, 4);
    let overview = learning.overview(&reader, MODULE).await.unwrap();
    assert_eq!(overview.card.review_status, ReviewStatus::Reviewed);

    // `export-content` writes the review into module.toml, which reads back the same.
    let out = tempfile::tempdir().unwrap();
    learning.export(out.path()).await.unwrap();
    let exported = load_modules(out.path()).unwrap();
    let module = exported.iter().find(|m| m.slug == MODULE).unwrap();
    assert_eq!(module.governance.status, ReviewStatus::Reviewed);
    assert_eq!(module.governance.reviews, [recorded]);
    assert_eq!(module.governance.next_review, Some(next_review));

    // Reviews are kept oldest first.
    let earlier = draft("Someone", reviewed_on - Days::new(1), next_review);
    assert_eq!(
        invalid_fields(
            learning
                .record_review(&editor, MODULE, &earlier, today, &origin)
                .await
        ),
        ["reviewed_on"]
    );
}

#[tokio::test]
async fn an_overdue_review_is_flagged_to_editors_only() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let origin = RequestOrigin::default();
    let today = london_today(Utc::now());
    let editor = editor(&fx, "eddie@force.test").await;
    let reader = member(&fx, "rita@force.test").await;
    learning
        .record_review(
            &editor,
            MODULE,
            &draft(
                "Dr Example Reviewer, consultant occupational physician",
                today - Days::new(400),
                today - Days::new(1),
            ),
            today,
            &origin,
        )
        .await
        .unwrap();

    let for_editor = learning.overview(&editor, MODULE).await.unwrap();
    assert!(for_editor.card.review_overdue);
    let catalogue = learning
        .catalogue(&editor, &CatalogueFilter::default())
        .await
        .unwrap();
    let overdue: Vec<&str> = catalogue
        .modules
        .iter()
        .filter(|card| card.review_overdue)
        .map(|card| card.slug.as_str())
        .collect();
    assert_eq!(overdue, [MODULE]);

    let for_reader = learning.overview(&reader, MODULE).await.unwrap();
    assert!(!for_reader.card.review_overdue);
    assert_eq!(for_reader.card.review_status, ReviewStatus::Reviewed);
    assert_eq!(
        for_reader.governance.next_review,
        Some(today - Days::new(1))
    );
}
