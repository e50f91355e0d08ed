//! The words inside attached documents, so that search finds a template by what it says: the
//! text of a PDF, a Word or OpenDocument text, the cells of an Excel or OpenDocument
//! spreadsheet. Unpacking is capped, so a crafted archive cannot exhaust memory, and a file
//! that cannot be read simply adds no words. Office files are read when they are attached; a
//! PDF can take seconds, so it is read afterwards by a job ([`read_later`]).

use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::Event;

/// The most of one archive entry that is unpacked (a 20 MB upload's text is far smaller).
const MAX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;

/// The most text kept from one attachment.
pub const MAX_TEXT_CHARS: usize = 200_000;

/// Where a format keeps its text: the archive entries, and the element whose text counts
/// (`None`: any text in the entries).
struct Format {
    entries: &'static [&'static str],
    text_in: Option<&'static [u8]>,
}

fn format_of(content_type: &str) -> Option<Format> {
    match content_type {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Some(Format {
            entries: &["word/document.xml"],
            text_in: Some(b"t"),
        }),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some(Format {
            entries: &["xl/sharedStrings.xml"],
            text_in: Some(b"t"),
        }),
        "application/vnd.oasis.opendocument.text"
        | "application/vnd.oasis.opendocument.spreadsheet" => Some(Format {
            entries: &["content.xml"],
            text_in: None,
        }),
        _ => None,
    }
}

const PDF: &str = "application/pdf";

/// Whether the text of a file of type `content_type` is read by the job
/// [`crate::jobs::Job::ReadAttachmentText`] after it is stored, rather than while the upload
/// waits: true for PDFs, whose reading can take seconds.
pub fn read_later(content_type: &str) -> bool {
    content_type == PDF
}

/// The text stored with an attachment when it is attached: its [`searchable_text`], or `None`
/// until the job reads it when that is [`read_later`], and for images.
pub fn text_on_attach(content_type: &str, bytes: &[u8]) -> Option<String> {
    if read_later(content_type) {
        None
    } else {
        searchable_text(content_type, bytes)
    }
}

/// The searchable text of an attachment of type `content_type` (as checked from its bytes),
/// or `None` for a type whose text is not read (images). An unreadable file gives empty text.
pub fn searchable_text(content_type: &str, bytes: &[u8]) -> Option<String> {
    if content_type == PDF {
        return Some(pdf_text(bytes));
    }
    let format = format_of(content_type)?;
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Some(String::new());
    };
    let mut text = String::new();
    for name in format.entries {
        let Ok(entry) = archive.by_name(name) else {
            continue;
        };
        let mut xml = Vec::new();
        if entry
            .take(MAX_UNPACKED_BYTES)
            .read_to_end(&mut xml)
            .is_err()
        {
            continue;
        }
        text_of_xml(&xml, format.text_in, &mut text);
    }
    Some(text)
}

/// Appends the text of `xml` to `out`: text inside elements named `text_in` (any text when
/// `None`), a line break after each paragraph, cell or row, and a space for tabs and spaces
/// written as elements. Runs inside a paragraph join without a space, as Word splits words
/// across runs.
fn text_of_xml(xml: &[u8], text_in: Option<&[u8]>, out: &mut String) {
    let mut reader = Reader::from_reader(xml);
    let mut inside = 0_usize;
    loop {
        if out.len() >= MAX_TEXT_CHARS {
            truncate_at_char(out, MAX_TEXT_CHARS);
            return;
        }
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                if text_in.is_none_or(|name| start.local_name().as_ref() == name) {
                    inside += 1;
                }
            }
            Ok(Event::End(end)) => {
                let name = end.local_name();
                if text_in.is_none_or(|wanted| name.as_ref() == wanted) {
                    inside = inside.saturating_sub(1);
                }
                if matches!(name.as_ref(), b"p" | b"h" | b"si" | b"tr" | b"table-row") {
                    out.push('\n');
                } else if matches!(name.as_ref(), b"tc" | b"table-cell") {
                    out.push(' ');
                }
            }
            Ok(Event::Empty(empty)) => {
                if matches!(
                    empty.local_name().as_ref(),
                    b"tab" | b"s" | b"br" | b"line-break"
                ) {
                    out.push(' ');
                }
            }
            Ok(Event::Text(text)) if inside > 0 => {
                if let Ok(words) = text.decode() {
                    out.push_str(&words);
                }
            }
            Ok(Event::GeneralRef(reference)) if inside > 0 => {
                if let Ok(Some(c)) = reference.resolve_char_ref() {
                    out.push(c);
                } else if let Ok(name) = reference.decode()
                    && let Some(resolved) = quick_xml::escape::resolve_predefined_entity(&name)
                {
                    out.push_str(resolved);
                }
            }
            Ok(Event::Eof) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// The words of a PDF (the `pdf-extract` crate), with runs of white space made one space. A file
/// that cannot be read (damaged, encrypted, or only scanned images) gives empty text. The
/// reader is not trusted never to panic on a crafted file: a panic counts as unreadable.
fn pdf_text(bytes: &[u8]) -> String {
    let text = match std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes)) {
        Ok(Ok(text)) => text,
        Ok(Err(err)) => {
            tracing::info!(%err, "a PDF attachment has no readable text");
            return String::new();
        }
        Err(_) => {
            tracing::warn!("the PDF reader panicked on an attachment; it adds no words");
            return String::new();
        }
    };
    let mut words = String::with_capacity(text.len().min(MAX_TEXT_CHARS));
    for word in text.split_whitespace() {
        if words.len() + word.len() >= MAX_TEXT_CHARS {
            break;
        }
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    words
}

fn truncate_at_char(text: &mut String, max: usize) {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const ODT: &str = "application/vnd.oasis.opendocument.text";

    /// A zip archive of `entries`, deflated.
    fn archive(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, text) in entries {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(text.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn word_runs_join_and_paragraphs_break() {
        let docx = archive(&[(
            "word/document.xml",
            r#"<w:document xmlns:w="w"><w:body>
                <w:p><w:r><w:t>Manag</w:t></w:r><w:r><w:t>ement referral</w:t></w:r></w:p>
                <w:p><w:r><w:instrText>HYPERLINK x</w:instrText><w:t>Fish &amp; chips&#33;</w:t></w:r></w:p>
            </w:body></w:document>"#,
        )]);
        assert_eq!(
            searchable_text(DOCX, &docx).unwrap(),
            "Management referral\nFish & chips!\n"
        );
    }

    #[test]
    fn spreadsheet_cells_and_opendocument_text_are_read() {
        let xlsx = archive(&[(
            "xl/sharedStrings.xml",
            "<sst><si><t>Noise exposure</t></si><si><r><t>Audio</t></r><r><t>metry</t></r></si></sst>",
        )]);
        assert_eq!(
            searchable_text(XLSX, &xlsx).unwrap(),
            "Noise exposure\nAudiometry\n"
        );
        let odt = archive(&[(
            "content.xml",
            "<office:document-content><office:body><text:h>Night work</text:h>\
             <text:p>Rota<text:s/>review</text:p></office:body></office:document-content>",
        )]);
        assert_eq!(
            searchable_text(ODT, &odt).unwrap(),
            "Night work\nRota review\n"
        );
    }

    #[test]
    fn images_broken_archives_and_unreadable_pdfs_add_no_words() {
        assert_eq!(searchable_text("application/pdf", b"%PDF-1.7").unwrap(), "");
        assert_eq!(text_on_attach("application/pdf", b"%PDF-1.7"), None);
        assert_eq!(searchable_text("image/png", b"\x89PNG"), None);
        assert_eq!(searchable_text(DOCX, b"PK\x03\x04 not really").unwrap(), "");
    }

    #[test]
    fn text_is_capped_on_a_character_boundary() {
        let long = format!("<t>{}</t>", "é".repeat(MAX_TEXT_CHARS));
        let docx = archive(&[("word/document.xml", &long)]);
        let text = searchable_text(DOCX, &docx).unwrap();
        assert!(text.len() <= MAX_TEXT_CHARS && text.starts_with('é'));
    }
}
