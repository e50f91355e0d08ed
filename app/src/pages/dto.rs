//! What the browser receives about a content page.

use serde::{Deserialize, Serialize};

/// A content page ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageView {
    /// URL slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// Sanitised HTML body.
    pub html: String,
    /// On-page contents.
    pub contents: Vec<ContentsEntry>,
    /// Date of the current revision, in UK time.
    pub updated: String,
}

/// One heading in the on-page contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentsEntry {
    /// 2 or 3.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Heading text.
    pub text: String,
}

#[cfg(feature = "ssr")]
impl From<domain::pages::Page> for PageView {
    fn from(page: domain::pages::Page) -> Self {
        PageView {
            updated: domain::time::london_date(page.updated_at),
            slug: page.slug,
            title: page.title,
            summary: page.summary,
            html: page.body_html,
            contents: page
                .headings
                .into_iter()
                .map(|heading| ContentsEntry {
                    level: heading.level,
                    id: heading.id,
                    text: heading.text,
                })
                .collect(),
        }
    }
}
