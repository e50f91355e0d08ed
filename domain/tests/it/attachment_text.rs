//! The words inside library attachments, against a real migrated database: a Word document's
//! read when it is attached, a PDF's by a job afterwards, and either found by the document's
//! readers only.

use chrono::{Duration, Utc};
use domain::Services;
use domain::accounts::{Actor, RequestOrigin};
use domain::jobs::{self, JobContext, JobRunner, RunReport, RunnerSettings};
use domain::mail::Mailer;

use crate::content_import::words;
use crate::learning::fixture;
use crate::library::{member, two_packs};

/// The addresses of what `actor` finds for `text`.
async fn found(services: &Services, actor: Actor, text: &str) -> Vec<String> {
    let results = services.search.search(&actor, &words(text)).await.unwrap();
    results.hits.iter().map(|hit| hit.url.clone()).collect()
}

/// Runs every job that is due.
pub(crate) async fn run_jobs(services: &Services) -> RunReport {
    let db = services.db().clone();
    JobRunner::new(
        db.clone(),
        JobContext::new(db, Mailer::Memory(Default::default()), "http://ohnet.test"),
        RunnerSettings::default(),
    )
    .run_due(Utc::now() + Duration::minutes(1))
    .await
    .unwrap()
}

/// The jobs that read attachments' text: how many were queued, and how many of those finished
/// without an error.
async fn text_reads(services: &Services) -> (usize, usize) {
    let reads: Vec<_> = jobs::all_jobs(services.db())
        .await
        .unwrap()
        .into_iter()
        .filter(|job| job.kind == "read_attachment_text")
        .collect();
    let succeeded = reads
        .iter()
        .filter(|job| job.finished_at.is_some() && job.last_error.is_none())
        .count();
    (reads.len(), succeeded)
}

/// A Word document whose text is `words` (the least a DOCX needs to be read as one).
fn docx(words: &str) -> Vec<u8> {
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

/// A one-page PDF whose text is `words` in the standard Helvetica font (the least a PDF reader
/// needs to find words in one), with a correct cross-reference table.
pub(crate) fn pdf(words: &str) -> Vec<u8> {
    let stream = format!("BT /F1 12 Tf 72 720 Td ({words}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (number, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out += &format!("{} 0 obj\n{body}\nendobj\n", number + 1);
    }
    let xref = out.len();
    out += &format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        out += &format!("{offset:010} 00000 n \n");
    }
    out += &format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.into_bytes()
}

#[tokio::test]
async fn the_words_inside_an_attached_document_are_found_by_its_readers_only() {
    let fx = fixture().await;
    let services = &fx.services;
    let library = &services.library;
    let origin = RequestOrigin::default();
    let (editor, cmo_editor) = two_packs(&fx).await;

    library
        .attach(
            &editor,
            "referral-pack",
            "template.docx",
            docx("Quokka audiograms before deployment"),
            &origin,
        )
        .await
        .unwrap();
    // Four letters, so no near miss of another word can match it.
    library
        .attach(
            &cmo_editor,
            "cmo-pack",
            "minutes.docx",
            docx("Kudu briefing"),
            &origin,
        )
        .await
        .unwrap();
    assert_eq!(
        found(services, member(&[]), "quokka audiogram").await,
        ["/library/referral-pack"],
        "stemmed words inside the attachment find its document"
    );
    assert!(found(services, member(&[]), "kudu").await.is_empty());
    assert!(found(services, Actor::Anonymous, "quokka").await.is_empty());
    assert_eq!(
        found(services, member(&["cmo"]), "kudu").await,
        ["/library/cmo-pack"]
    );

    // Replaced, the old words go; removed, the new ones go too.
    library
        .attach(
            &editor,
            "referral-pack",
            "template.docx",
            docx("Platypus screening"),
            &origin,
        )
        .await
        .unwrap();
    assert!(found(services, member(&[]), "quokka").await.is_empty());
    assert_eq!(
        found(services, member(&[]), "platypus").await,
        ["/library/referral-pack"]
    );
    library
        .remove_attachment(&editor, "referral-pack", "template.docx", &origin)
        .await
        .unwrap();
    assert!(found(services, member(&[]), "platypus").await.is_empty());
}

#[tokio::test]
async fn a_pdfs_words_are_read_by_a_job_and_found_by_the_documents_readers_only() {
    let fx = fixture().await;
    let services = &fx.services;
    let library = &services.library;
    let origin = RequestOrigin::default();
    let (editor, cmo_editor) = two_packs(&fx).await;

    library
        .attach(
            &editor,
            "referral-pack",
            "form.pdf",
            pdf("Capybara hearing conservation"),
            &origin,
        )
        .await
        .unwrap();
    library
        .attach(
            &cmo_editor,
            "cmo-pack",
            "minutes.pdf",
            pdf("Gnu rota"),
            &origin,
        )
        .await
        .unwrap();
    // A PDF with no text in it (a scan, say) and a damaged one: their jobs succeed with no words.
    library
        .attach(&editor, "referral-pack", "scan.pdf", pdf(""), &origin)
        .await
        .unwrap();
    library
        .attach(
            &editor,
            "referral-pack",
            "damaged.pdf",
            b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec(),
            &origin,
        )
        .await
        .unwrap();
    assert!(
        found(services, member(&[]), "capybara").await.is_empty(),
        "the upload does not wait for the PDF to be read"
    );

    assert_eq!(text_reads(services).await, (4, 0), "a job per PDF");
    run_jobs(services).await;
    assert_eq!(text_reads(services).await, (4, 4));
    assert_eq!(
        found(services, member(&[]), "capybara hearing").await,
        ["/library/referral-pack"],
        "stemmed words inside the PDF find its document"
    );
    assert!(
        found(services, Actor::Anonymous, "capybara")
            .await
            .is_empty()
    );
    assert!(found(services, member(&[]), "gnu").await.is_empty());
    assert_eq!(
        found(services, member(&["cmo"]), "gnu").await,
        ["/library/cmo-pack"]
    );
    assert_eq!(
        (run_jobs(services).await, text_reads(services).await),
        (RunReport::default(), (4, 4)),
        "a file read once, words or none, is not read again"
    );

    // Replaced, the new file is read in its turn and the old words go.
    library
        .attach(&editor, "referral-pack", "form.pdf", pdf("Okapi"), &origin)
        .await
        .unwrap();
    run_jobs(services).await;
    assert_eq!(text_reads(services).await, (5, 5));
    assert!(found(services, member(&[]), "capybara").await.is_empty());
    assert_eq!(
        found(services, member(&[]), "okapi").await,
        ["/library/referral-pack"]
    );
}
