//! The CPD portfolio against a real database: the log (add, edit, delete, filters, order,
//! pages, exact sums), owner-only access to entries and evidence (administrators' downloads
//! audited), evidence type checks, each rule set's cycle at its edges, the revalidation
//! records counted against the NMC's, exports read back, and erasure when an account closes.

use chrono::{Duration, NaiveDate, Utc};
use domain::Error;
use domain::accounts::{Actor, RequestOrigin};
use domain::cpd::{
    CycleFields, DiscussionFields, EntryFields, ExportFile, FeedbackFields, LogFilter, LogOrder,
    PracticeFields, ReflectionFields,
};

use crate::forums::{fixture, member};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
];

pub(crate) fn entry(date: NaiveDate, title: &str, participatory: bool, hours: &str) -> EntryFields {
    EntryFields {
        date: date.format("%Y-%m-%d").to_string(),
        title: title.to_owned(),
        kind: if participatory { "workshop" } else { "reading" }.to_owned(),
        participation: if participatory {
            "participatory"
        } else {
            "self-directed"
        }
        .to_owned(),
        hours: hours.to_owned(),
        learning: format!("What {title} taught me"),
        reflection: "It went **well**.\r\n\r\n<script>alert(1)</script>".to_owned(),
        practice_change: String::new(),
    }
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn practice(from: NaiveDate, to: NaiveDate, hours: &str) -> PracticeFields {
    PracticeFields {
        started_on: iso(from),
        ended_on: iso(to),
        organisation: "Northshire Police OH".to_owned(),
        setting: "occupational-health".to_owned(),
        scope: "direct-care".to_owned(),
        hours: hours.to_owned(),
        description: String::new(),
    }
}

fn feedback(received: NaiveDate, source: &str) -> FeedbackFields {
    FeedbackFields {
        received_on: iso(received),
        source: source.to_owned(),
        summary: "Clear, kind and quick, said the referring manager.".to_owned(),
        practice_change: String::new(),
    }
}

fn reflection(written: NaiveDate, themes: &[&str]) -> ReflectionFields {
    ReflectionFields {
        written_on: iso(written),
        experience: "A case conference on a return to full duties.".to_owned(),
        learning: "Ask the officer first.".to_owned(),
        practice_change: "I now draft the plan with the officer.".to_owned(),
        code_themes: themes.iter().map(|theme| (*theme).to_owned()).collect(),
    }
}

fn discussion(discussed: NaiveDate, confirmed: NaiveDate) -> DiscussionFields {
    DiscussionFields {
        dual_registrant: false,
        partner_name: "A. Registrant".to_owned(),
        partner_pin: "12a3456e".to_owned(),
        discussed_on: iso(discussed),
        confirmer_name: "B. Manager".to_owned(),
        confirmer_role: "Head of OH".to_owned(),
        confirmed_on: iso(confirmed),
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn fields_with_errors(result: Result<impl std::fmt::Debug, Error>) -> Vec<String> {
    match result {
        Err(Error::InvalidFields(errors)) => errors.into_iter().map(|error| error.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

async fn cycle(
    fx: &crate::forums::Fixture,
    actor: &Actor,
    regulator: &str,
    ends_on: &str,
    target: &str,
) {
    fx.services
        .cpd
        .set_cycle(
            actor,
            &CycleFields {
                regulator: regulator.to_owned(),
                ends_on: ends_on.to_owned(),
                target_hours: target.to_owned(),
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn members_keep_their_own_log_and_nobody_else_sees_it() {
    let fx = fixture().await;
    let cpd = &fx.services.cpd;
    let nurse = member(&fx, "nurse@force.test", &[]).await;
    let other = member(&fx, "other@force.test", &[]).await;
    let today = domain::time::london_today(Utc::now());

    // Every problem at once; nothing written.
    let refused = cpd
        .add(
            &nurse,
            &EntryFields {
                date: (today + Duration::days(1)).format("%Y-%m-%d").to_string(),
                hours: "25".to_owned(),
                ..EntryFields::default()
            },
        )
        .await;
    assert_eq!(
        fields_with_errors(refused),
        [
            "date",
            "title",
            "kind",
            "participation",
            "hours",
            "learning"
        ]
    );
    assert_eq!(
        cpd.log(&nurse, &LogFilter::default()).await.unwrap().total,
        0
    );

    let workshop = cpd
        .add(&nurse, &entry(today, "Trauma workshop", true, "3.5"))
        .await
        .unwrap();
    let reading = cpd
        .add(
            &nurse,
            &entry(today - Duration::days(40), "NICE guidance", false, "0.1"),
        )
        .await
        .unwrap();
    cpd.add(
        &nurse,
        &entry(today - Duration::days(400), "Old course", true, "0.2"),
    )
    .await
    .unwrap();

    // The same activity twice on one day is refused.
    assert_eq!(
        fields_with_errors(
            cpd.add(&nurse, &entry(today, "Trauma workshop", false, "1"))
                .await
        ),
        ["title"]
    );

    // Sums are exact: 3.5 + 0.1 + 0.2 hours.
    let all = cpd.log(&nurse, &LogFilter::default()).await.unwrap();
    assert_eq!((all.total, all.total_minutes), (3, 210 + 6 + 12));
    assert_eq!(domain::cpd::hours_text(all.total_minutes), "3.8");
    assert_eq!(all.entries[0].id, workshop, "most recent first");

    // Filters and order.
    let recent = cpd
        .log(
            &nurse,
            &LogFilter {
                from: Some(today - Duration::days(40)),
                to: Some(today),
                ..LogFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(recent.total, 2, "both ends of the range are included");
    let participatory = cpd
        .log(
            &nurse,
            &LogFilter {
                participatory: Some(true),
                order: LogOrder::Oldest,
                ..LogFilter::default()
            },
        )
        .await
        .unwrap();
    let titles: Vec<&str> = participatory
        .entries
        .iter()
        .map(|e| e.title.as_str())
        .collect();
    assert_eq!(titles, ["Old course", "Trauma workshop"]);
    let reading_only = cpd
        .log(
            &nurse,
            &LogFilter {
                kind: Some("reading".to_owned()),
                ..LogFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(reading_only.entries[0].id, reading);

    // Pages of twenty; a page past the end shows the last.
    for n in 0..20 {
        cpd.add(
            &nurse,
            &entry(
                today - Duration::days(n),
                &format!("Article {n}"),
                false,
                "0.25",
            ),
        )
        .await
        .unwrap();
    }
    let second = cpd
        .log(
            &nurse,
            &LogFilter {
                page: 9,
                ..LogFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((second.page, second.pages, second.entries.len()), (2, 2, 3));

    // The reflection is sanitised Markdown with LF line endings.
    let detail = cpd.entry(&nurse, workshop).await.unwrap();
    assert!(detail.reflection_html.contains("<strong>well</strong>"));
    assert!(!detail.reflection_html.contains("<script"));
    assert_eq!(
        detail.fields.reflection,
        "It went **well**.\n\n<script>alert(1)</script>"
    );

    // Nobody else reads, changes or deletes it, or learns that it exists.
    assert!(matches!(
        cpd.entry(&other, workshop).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        cpd.update(&other, workshop, &entry(today, "Mine now", true, "1"))
            .await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        cpd.delete(&other, workshop).await,
        Err(Error::NotFound)
    ));
    assert_eq!(
        cpd.log(&other, &LogFilter::default()).await.unwrap().total,
        0
    );
    assert!(matches!(
        cpd.log(&Actor::Anonymous, &LogFilter::default()).await,
        Err(Error::Unauthenticated)
    ));

    // Editing: a bad change keeps the saved entry; a good one replaces it.
    let mut changed = entry(today, "Trauma-informed practice workshop", true, "abc");
    assert_eq!(
        fields_with_errors(cpd.update(&nurse, workshop, &changed).await),
        ["hours"]
    );
    assert_eq!(
        cpd.entry(&nurse, workshop).await.unwrap().fields.title,
        "Trauma workshop"
    );
    changed.hours = "4".to_owned();
    cpd.update(&nurse, workshop, &changed).await.unwrap();
    let detail = cpd.entry(&nurse, workshop).await.unwrap();
    assert_eq!(
        (detail.fields.title.as_str(), detail.minutes),
        ("Trauma-informed practice workshop", 240)
    );
    assert!(detail.updated_at.is_some());

    cpd.delete(&nurse, workshop).await.unwrap();
    assert!(matches!(
        cpd.entry(&nurse, workshop).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn evidence_is_checked_and_only_its_owner_or_an_audited_administrator_downloads_it() {
    let fx = fixture().await;
    let cpd = &fx.services.cpd;
    let nurse = member(&fx, "nurse@force.test", &[]).await;
    let other = member(&fx, "other@force.test", &[]).await;
    let admin = {
        let id = fx
            .services
            .accounts
            .create_admin("admin@force.test", "Ada Admin", "a long enough password")
            .await
            .unwrap();
        assert!(id > 0);
        let session = fx
            .services
            .accounts
            .sign_in(
                "admin@force.test",
                "a long enough password",
                &RequestOrigin::default(),
            )
            .await
            .unwrap();
        Actor::Member(session.member)
    };
    let today = domain::time::london_today(Utc::now());
    let id = cpd
        .add(&nurse, &entry(today, "Conference", true, "6"))
        .await
        .unwrap();

    // Type from the bytes: a PNG named .pdf and a web page are refused on the `evidence` field.
    assert_eq!(
        fields_with_errors(
            cpd.attach_evidence(&nurse, id, "certificate.pdf", PNG.to_vec())
                .await
        ),
        ["evidence"]
    );
    assert_eq!(
        fields_with_errors(
            cpd.attach_evidence(&nurse, id, "notes.pdf", b"<html>".to_vec())
                .await
        ),
        ["evidence"]
    );
    let name = cpd
        .attach_evidence(&nurse, id, "My certificate.pdf", PDF.to_vec())
        .await
        .unwrap();
    assert_eq!(name, "My-certificate.pdf");
    assert!(matches!(
        cpd.attach_evidence(&other, id, "x.pdf", PDF.to_vec()).await,
        Err(Error::NotFound)
    ));
    let detail = cpd.entry(&nurse, id).await.unwrap();
    assert_eq!(detail.evidence.len(), 1);
    assert_eq!(detail.evidence[0].kind, "PDF");

    let origin = RequestOrigin::default();
    let own = cpd.evidence(&nurse, id, &name, &origin).await.unwrap();
    assert_eq!(
        (own.content_type.as_str(), own.bytes.as_slice()),
        ("application/pdf", PDF)
    );
    assert!(matches!(
        cpd.evidence(&other, id, &name, &origin).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        cpd.evidence(&Actor::Anonymous, id, &name, &origin).await,
        Err(Error::Unauthenticated)
    ));
    let audit_before = fx.services.audit.entries(&admin, 0).await.unwrap().len();
    assert_eq!(
        cpd.evidence(&admin, id, &name, &origin)
            .await
            .unwrap()
            .bytes,
        PDF
    );
    let audit = fx.services.audit.entries(&admin, 0).await.unwrap();
    assert_eq!(audit.len(), audit_before + 1);
    assert_eq!(audit[0].action, "cpd.evidence-download");
    assert!(
        !audit[0].detail.contains("certificate"),
        "the file name stays out of the audit log"
    );

    // Removing, then deleting the entry, leaves nothing behind.
    assert!(matches!(
        cpd.remove_evidence(&other, id, &name).await,
        Err(Error::NotFound)
    ));
    cpd.remove_evidence(&nurse, id, &name).await.unwrap();
    assert!(cpd.entry(&nurse, id).await.unwrap().evidence.is_empty());
    cpd.attach_evidence(&nurse, id, "again.png", PNG.to_vec())
        .await
        .unwrap();
    cpd.delete(&nurse, id).await.unwrap();
    assert!(matches!(
        cpd.evidence(&nurse, id, "again.png", &origin).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn each_rule_set_counts_its_cycle_to_the_day() {
    let fx = fixture().await;
    let cpd = &fx.services.cpd;
    let nurse = member(&fx, "nurse@force.test", &[]).await;

    // NMC: three years ending on the revalidation date, both ends counted.
    cycle(&fx, &nurse, "nmc", "2027-03-31", "").await;
    for (date, title, participatory, hours) in [
        (day(2024, 3, 31), "The day before", true, "10"),
        (day(2024, 4, 1), "The first day", true, "10"),
        (day(2025, 6, 1), "Reading", false, "0.1"),
        (day(2025, 6, 2), "More reading", false, "0.2"),
    ] {
        cpd.add(&nurse, &entry(date, title, participatory, hours))
            .await
            .unwrap();
    }
    let progress = cpd.progress(&nurse).await.unwrap();
    let cycle_of = progress.cycle.unwrap();
    assert_eq!(
        (cycle_of.starts_on, cycle_of.ends_on),
        (day(2024, 4, 1), day(2027, 3, 31))
    );
    assert_eq!(
        progress.done_minutes,
        600 + 6 + 12,
        "the day before the cycle is not counted"
    );
    assert_eq!(progress.participatory_minutes, 600);
    assert_eq!(progress.required_minutes, Some(35 * 60));
    assert_eq!(progress.required_participatory_minutes, Some(20 * 60));
    assert!(
        progress
            .missing
            .contains(&"24.7 more hours of CPD".to_owned()),
        "{:?}",
        progress.missing
    );
    assert!(
        progress
            .missing
            .contains(&"10 more hours of participatory learning".to_owned())
    );

    // Moving the date moves the cycle; nothing is lost.
    cycle(&fx, &nurse, "nmc", "2027-03-30", "").await;
    let moved = cpd.progress(&nurse).await.unwrap();
    assert_eq!(moved.cycle.unwrap().starts_on, day(2024, 3, 31));
    assert_eq!(moved.done_minutes, 1200 + 18);
    assert_eq!(
        cpd.log(&nurse, &LogFilter::default()).await.unwrap().total,
        4
    );

    // A cycle ending on a leap day starts the day after the same date three years before.
    assert_eq!(
        domain::cpd::Cycle::ending_on(day(2028, 2, 29), 36)
            .unwrap()
            .starts_on,
        day(2025, 3, 1)
    );
    cycle(&fx, &nurse, "nmc", "2028-02-29", "").await;
    cpd.add(&nurse, &entry(day(2025, 3, 1), "Leap start", true, "1"))
        .await
        .unwrap();
    cpd.add(
        &nurse,
        &entry(day(2025, 2, 28), "Before leap start", true, "1"),
    )
    .await
    .unwrap();
    assert_eq!(
        cpd.progress(&nurse).await.unwrap().participatory_minutes,
        60
    );

    // HCPC: two years, a mixture of kinds asked for.
    cycle(&fx, &nurse, "hcpc", "2026-06-30", "").await;
    let hcpc = cpd.progress(&nurse).await.unwrap();
    assert_eq!(hcpc.cycle.unwrap().starts_on, day(2024, 7, 1));
    assert_eq!(hcpc.required_minutes, None);
    assert!(
        hcpc.ended,
        "a renewal date in the past asks for the next one"
    );
    assert_eq!(hcpc.activity_kinds, 2);

    // Appraisal: a target the member sets, over a year.
    cycle(&fx, &nurse, "gmc", "2026-12-31", "").await;
    assert!(
        cpd.progress(&nurse)
            .await
            .unwrap()
            .missing
            .iter()
            .any(|m| m.contains("target"))
    );
    cycle(&fx, &nurse, "gmc", "2026-12-31", "50").await;
    let gmc = cpd.progress(&nurse).await.unwrap();
    assert_eq!(gmc.required_minutes, Some(3000));
    assert_eq!(gmc.cycle.unwrap().starts_on, day(2026, 1, 1));

    // No regulator: everything counts, nothing is asked for.
    cycle(&fx, &nurse, "none", "", "").await;
    let none = cpd.progress(&nurse).await.unwrap();
    assert_eq!((none.cycle, none.required_minutes), (None, None));
    assert_eq!(none.entries, 6);
    assert!(none.missing.is_empty());

    // Bad choices are refused by field, and change nothing.
    let refused = cpd
        .set_cycle(
            &nurse,
            &CycleFields {
                regulator: "fca".to_owned(),
                ends_on: "31/03/2027".to_owned(),
                target_hours: "900".to_owned(),
            },
        )
        .await;
    assert_eq!(
        fields_with_errors(refused),
        ["regulator", "ends_on", "target_hours"]
    );
    assert_eq!(cpd.progress(&nurse).await.unwrap().rules.regulator, "none");
}

#[tokio::test]
async fn closing_an_account_erases_the_portfolio() {
    let fx = fixture().await;
    let cpd = &fx.services.cpd;
    let nurse = member(&fx, "nurse@force.test", &[]).await;
    let today = domain::time::london_today(Utc::now());
    let id = cpd
        .add(&nurse, &entry(today, "Supervision", true, "1"))
        .await
        .unwrap();
    cpd.attach_evidence(&nurse, id, "notes.pdf", PDF.to_vec())
        .await
        .unwrap();
    cpd.add_feedback(&nurse, &feedback(today, "colleague"))
        .await
        .unwrap();
    cpd.add_practice(&nurse, &practice(today, today, "7.5"))
        .await
        .unwrap();
    cpd.add_reflection(&nurse, &reflection(today, &["prioritise-people"]))
        .await
        .unwrap();
    cpd.set_discussion(&nurse, &discussion(today, today))
        .await
        .unwrap();
    let data = fx.services.export_member_data(&nurse).await.unwrap();
    assert_eq!(data["cpd"][0]["evidence_files"][0], "notes.pdf");
    assert_eq!(
        data["cpd_revalidation"]["feedback"][0]["source"],
        "A colleague"
    );
    assert_eq!(data["cpd_revalidation"]["practice"][0]["minutes"], 450);

    fx.services
        .accounts
        .close_account(&nurse, true, "a long enough password")
        .await
        .unwrap();
    use sea_orm::{ConnectionTrait, Statement};
    let db = fx.services.db();
    for table in [
        "cpd_entries",
        "cpd_evidence",
        "cpd_practice_hours",
        "cpd_feedback",
        "cpd_reflections",
        "cpd_profiles",
    ] {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), 0, "{table} is empty");
    }
}

#[tokio::test]
async fn the_portfolio_exports_as_csv_and_json_and_reads_back_the_same() {
    let fx = fixture().await;
    let cpd = &fx.services.cpd;
    let nurse = member(&fx, "nurse@force.test", &[]).await;
    let other = member(&fx, "other@force.test", &[]).await;
    cycle(&fx, &nurse, "nmc", "2027-03-31", "").await;
    let mut tricky = entry(day(2025, 1, 10), "Quotes \"and\", commas", true, "1.25");
    tricky.learning = "Line one\nLine two, with a comma".to_owned();
    let id = cpd.add(&nurse, &tricky).await.unwrap();
    cpd.attach_evidence(&nurse, id, "a.pdf", PDF.to_vec())
        .await
        .unwrap();
    cpd.attach_evidence(&nurse, id, "b.png", PNG.to_vec())
        .await
        .unwrap();
    cpd.add(
        &nurse,
        &entry(day(2023, 5, 1), "Before the cycle", false, "2"),
    )
    .await
    .unwrap();

    // The printable portfolio defaults to the current cycle, oldest first, with totals.
    let portfolio = cpd.portfolio(&nurse, None, None).await.unwrap();
    assert_eq!(
        (portfolio.from, portfolio.to),
        (Some(day(2024, 4, 1)), Some(day(2027, 3, 31)))
    );
    assert_eq!(portfolio.entries.len(), 1);
    assert_eq!(portfolio.entries[0].evidence_files, ["a.pdf", "b.png"]);
    assert_eq!(
        (
            portfolio.total_hours.as_str(),
            portfolio.participatory_hours.as_str()
        ),
        ("1.25", "1.25")
    );
    assert_eq!(portfolio.rules, "NMC revalidation");
    let everything = cpd
        .portfolio(&nurse, Some(day(2020, 1, 1)), None)
        .await
        .unwrap();
    assert_eq!(everything.entries[0].title, "Before the cycle");

    // CSV: every entry, every column, quoting intact.
    let exported = cpd.export(&nurse, ExportFile::Log).await.unwrap();
    assert!(
        exported.file_name.starts_with("cpd-log-"),
        "{}",
        exported.file_name
    );
    assert!(exported.file_name.ends_with(".csv"));
    let csv = exported.bytes;
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        domain::cpd::CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let row = &rows[1];
    assert_eq!(&row[0], "2025-01-10");
    assert_eq!(&row[1], "Quotes \"and\", commas");
    assert_eq!(&row[3], "Participatory");
    assert_eq!(&row[4], "1.25");
    assert_eq!(&row[5], "Line one\nLine two, with a comma");
    assert_eq!(&row[9], "a.pdf; b.png");

    // JSON: the same entries.
    let json: serde_json::Value = serde_json::from_slice(
        &cpd.export(&nurse, ExportFile::Everything)
            .await
            .unwrap()
            .bytes,
    )
    .unwrap();
    assert_eq!(json["entries"].as_array().unwrap().len(), 2);
    assert_eq!(json["entries"][1]["title"], "Quotes \"and\", commas");
    assert_eq!(json["entries"][1]["evidence_files"][1], "b.png");
    assert_eq!(json["total_hours"], "3.25");

    // Nobody else's record leaks into an export.
    let theirs = cpd.export(&other, ExportFile::Log).await.unwrap().bytes;
    assert_eq!(
        csv::Reader::from_reader(theirs.as_slice())
            .records()
            .count(),
        0
    );
    assert!(matches!(
        cpd.export(&Actor::Anonymous, ExportFile::Log).await,
        Err(Error::Unauthenticated)
    ));
}

#[tokio::test]
async fn the_revalidation_record_counts_towards_the_nmc_cycle_and_is_its_owners_alone() {
    let fx = fixture().await;
    let cpd = &fx.services.cpd;
    let nurse = member(&fx, "nurse@force.test", &[]).await;
    let other = member(&fx, "other@force.test", &[]).await;
    cycle(&fx, &nurse, "nmc", "2026-03-31", "").await;

    // Practice hours: a period counts in the cycle its last day falls in, both ends counted.
    let first = day(2023, 4, 1);
    let last = day(2026, 3, 31);
    cpd.add_practice(&nurse, &practice(day(2023, 1, 1), day(2023, 3, 31), "300"))
        .await
        .unwrap();
    cpd.add_practice(&nurse, &practice(day(2023, 3, 1), first, "200.5"))
        .await
        .unwrap();
    let period = cpd
        .add_practice(&nurse, &practice(day(2026, 1, 1), last, "249.25"))
        .await
        .unwrap();
    for (received, source) in [
        (first, "colleague"),
        (last, "manager"),
        (day(2023, 3, 31), "team"),
    ] {
        cpd.add_feedback(&nurse, &feedback(received, source))
            .await
            .unwrap();
    }
    let account = cpd
        .add_reflection(
            &nurse,
            &reflection(day(2025, 2, 1), &["preserve-safety", "prioritise-people"]),
        )
        .await
        .unwrap();
    let progress = cpd.progress(&nurse).await.unwrap();
    assert_eq!(progress.practice_minutes, (200 * 60 + 30) + (249 * 60 + 15));
    assert_eq!(progress.required_practice_minutes, Some(450 * 60));
    assert_eq!((progress.feedback, progress.reflections), (2, 1));
    assert!(!progress.discussed && !progress.confirmed);
    for expected in [
        "0.25 more practice hours (of 450)",
        "3 more pieces of practice-related feedback",
        "4 more written reflective accounts",
        "A reflective discussion with another registrant, in this cycle",
        "Your confirmation, in this cycle",
    ] {
        assert!(
            progress.missing.contains(&expected.to_owned()),
            "{expected}: {:?}",
            progress.missing
        );
    }

    // A dual registrant needs 900; the discussion and confirmation count once dated in the cycle.
    let mut both = discussion(day(2026, 3, 1), day(2026, 3, 31));
    both.dual_registrant = true;
    cpd.set_discussion(&nurse, &both).await.unwrap();
    let dual = cpd.progress(&nurse).await.unwrap();
    assert_eq!(dual.required_practice_minutes, Some(900 * 60));
    assert!(dual.discussed && dual.confirmed);
    assert_eq!(
        cpd.cycle_details(&nurse)
            .await
            .unwrap()
            .discussion
            .partner_pin,
        "12A3456E",
        "the PIN is kept in capitals"
    );

    // Moving the date moves what counts; nothing is lost.
    cycle(&fx, &nurse, "nmc", "2026-03-30", "").await;
    let moved = cpd.progress(&nurse).await.unwrap();
    assert_eq!(
        moved.practice_minutes,
        300 * 60 + 200 * 60 + 30,
        "the cycle now starts on 31 March 2023 and ends a day earlier"
    );
    assert_eq!(moved.feedback, 2);
    assert!(moved.discussed && !moved.confirmed);
    let all = cpd.revalidation_record(&nurse, None, None).await.unwrap();
    assert_eq!(
        (
            all.practice.len(),
            all.feedback.len(),
            all.reflections.len()
        ),
        (3, 3, 1)
    );
    assert_eq!(
        all.practice_minutes,
        300 * 60 + 200 * 60 + 30 + 249 * 60 + 15
    );
    assert_eq!(
        all.reflections[0].code_themes,
        ["Prioritise people", "Preserve safety"],
        "themes in the Code's order"
    );

    // Bad input is refused field by field and writes nothing.
    let mut wrong = practice(day(2026, 2, 1), day(2026, 1, 1), "0");
    wrong.setting = "moon".to_owned();
    assert_eq!(
        fields_with_errors(cpd.add_practice(&nurse, &wrong).await),
        ["ended_on", "setting", "hours"]
    );
    assert_eq!(
        fields_with_errors(
            cpd.add_reflection(&nurse, &reflection(day(2099, 1, 1), &["be-nice"]))
                .await
        ),
        ["written_on", "code_themes"]
    );
    let half = DiscussionFields {
        partner_name: "C. Nurse".to_owned(),
        partner_pin: "1234".to_owned(),
        confirmed_on: "2026-01-01".to_owned(),
        ..Default::default()
    };
    assert_eq!(
        fields_with_errors(cpd.set_discussion(&nurse, &half).await),
        [
            "partner_pin",
            "discussed_on",
            "confirmer_name",
            "confirmer_role"
        ]
    );
    assert_eq!(
        cpd.cycle_details(&nurse)
            .await
            .unwrap()
            .discussion
            .partner_name,
        "A. Registrant"
    );
    assert_eq!(
        cpd.revalidation_record(&nurse, None, None)
            .await
            .unwrap()
            .practice
            .len(),
        3
    );

    // Changing a record keeps its id; the profile's statements leave the discussion alone.
    cpd.update_practice(&nurse, period, &practice(day(2026, 1, 1), last, "250"))
        .await
        .unwrap();
    assert_eq!(
        cpd.practice_period(&nurse, period).await.unwrap().minutes,
        250 * 60
    );
    cpd.set_profile(
        &nurse,
        &domain::cpd::ProfileFields {
            practice_summary: "OH nurse adviser.".to_owned(),
            standards_statement: String::new(),
        },
    )
    .await
    .unwrap();
    let details = cpd.cycle_details(&nurse).await.unwrap();
    assert_eq!(details.profile.practice_summary, "OH nurse adviser.");
    assert!(details.discussion.dual_registrant);

    // Nobody else reads, changes or deletes them: each is "not found".
    assert!(matches!(
        cpd.practice_period(&other, period).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        cpd.update_reflection(
            &other,
            account,
            &reflection(day(2025, 1, 1), &["preserve-safety"])
        )
        .await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        cpd.delete_practice(&other, period).await,
        Err(Error::NotFound)
    ));
    assert!(
        cpd.revalidation_record(&other, None, None)
            .await
            .unwrap()
            .practice
            .is_empty()
    );
    assert_eq!(cpd.progress(&other).await.unwrap().practice_minutes, 0);
    cpd.delete_reflection(&nurse, account).await.unwrap();
    assert!(matches!(
        cpd.reflective_account(&nurse, account).await,
        Err(Error::NotFound)
    ));

    // The exports read back: one CSV per kind of record, and everything in the JSON.
    cpd.add_reflection(
        &nurse,
        &reflection(day(2025, 3, 1), &["practise-effectively"]),
    )
    .await
    .unwrap();
    let csv = cpd.export(&nurse, ExportFile::Reflections).await.unwrap();
    assert!(csv.file_name.starts_with("cpd-reflections-"));
    let mut reader = csv::Reader::from_reader(csv.bytes.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        domain::cpd::REFLECTIONS_CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], "2025-03-01");
    assert_eq!(&rows[0][4], "Practise effectively");
    let hours = cpd.export(&nurse, ExportFile::PracticeHours).await.unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(hours.bytes.as_slice())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows.iter().map(|row| row[5].to_owned()).collect::<Vec<_>>(),
        ["300", "200.5", "250"]
    );
    let pieces = cpd.export(&nurse, ExportFile::Feedback).await.unwrap();
    assert_eq!(
        csv::Reader::from_reader(pieces.bytes.as_slice())
            .records()
            .count(),
        3
    );
    let json: serde_json::Value = serde_json::from_slice(
        &cpd.export(&nurse, ExportFile::Everything)
            .await
            .unwrap()
            .bytes,
    )
    .unwrap();
    assert_eq!(
        json["revalidation"]["practice"].as_array().unwrap().len(),
        3
    );
    assert_eq!(
        json["revalidation"]["details"]["discussion"]["partner_name"],
        "A. Registrant"
    );
    assert_eq!(
        ExportFile::named("practice-hours.csv"),
        Some(ExportFile::PracticeHours)
    );
    assert_eq!(ExportFile::named("../etc/passwd"), None);
}
