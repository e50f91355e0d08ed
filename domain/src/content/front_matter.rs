//! Splitting a Markdown file into TOML front matter (between `+++` lines) and body, with errors
//! that point at the right line of the file.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::ContentError;

const FENCE: &str = "+++";

/// A Markdown file with typed front matter.
#[derive(Clone, Debug)]
pub struct Document<T> {
    /// The parsed front matter.
    pub front: T,
    /// The Markdown after the closing `+++`.
    pub body: String,
    /// The front matter's TOML text, for turning spans into line numbers.
    front_text: String,
}

impl<T> Document<T> {
    /// The file line (1-based) of a byte offset inside the front matter.
    pub fn line_of(&self, offset: usize) -> usize {
        front_line(&self.front_text, offset)
    }

    /// The file line (1-based) where the body starts, after the closing `+++`.
    pub fn body_start_line(&self) -> usize {
        front_line(&self.front_text, self.front_text.len()) + 1
    }
}

/// Parses `text` (the contents of `path`) as `+++`-fenced TOML front matter and a body.
pub fn parse_document<T: DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<Document<T>, ContentError> {
    let at = |line: usize, message: &str| ContentError {
        path: path.to_path_buf(),
        line,
        message: message.to_owned(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == FENCE => {}
        _ => {
            return Err(at(
                1,
                "the file must start with a `+++` line opening the TOML front matter",
            ));
        }
    }
    let mut front_text = String::new();
    let mut closed = false;
    for line in lines.by_ref() {
        if line.trim_end() == FENCE {
            closed = true;
            break;
        }
        front_text.push_str(line);
    }
    if !closed {
        return Err(at(
            1,
            "the front matter opened here is never closed by a `+++` line",
        ));
    }
    let body: String = lines.collect();
    match toml::from_str::<T>(&front_text) {
        Ok(front) => Ok(Document {
            front,
            body,
            front_text,
        }),
        Err(err) => {
            let line = err
                .span()
                .map(|span| front_line(&front_text, span.start))
                .unwrap_or(1);
            Err(at(line, err.message().trim()))
        }
    }
}

/// Front matter starts on file line 2 (after the opening fence).
fn front_line(front_text: &str, offset: usize) -> usize {
    let offset = offset.min(front_text.len());
    2 + front_text.as_bytes()[..offset]
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Front {
        title: String,
    }

    fn parse(text: &str) -> Result<Document<Front>, ContentError> {
        parse_document(Path::new("pages/x.md"), text)
    }

    #[test]
    fn splits_front_matter_from_body() {
        let document = parse("+++\ntitle = \"Hi\"\n+++\nBody\n").unwrap();
        assert_eq!(document.front.title, "Hi");
        assert_eq!(document.body, "Body\n");
    }

    #[test]
    fn unknown_key_is_reported_on_its_line() {
        let error = parse("+++\ntitle = \"Hi\"\ntitel = \"typo\"\n+++\n").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(
            error.message.contains("unknown field `titel`"),
            "{}",
            error.message
        );
        assert_eq!(error.to_string().split(':').next(), Some("pages/x.md"));
    }

    #[test]
    fn syntax_error_is_reported_on_its_line() {
        let error = parse("+++\n\ntitle = \"unterminated\n+++\n").unwrap_err();
        assert_eq!(error.line, 3);
    }

    #[test]
    fn missing_fences_are_reported() {
        assert_eq!(parse("title = \"x\"\n").unwrap_err().line, 1);
        let error = parse("+++\ntitle = \"x\"\n").unwrap_err();
        assert!(error.message.contains("never closed"));
    }
}
