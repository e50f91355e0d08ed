//! What the browser receives from search.

use serde::{Deserialize, Serialize};

/// One match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Title of the matching item.
    pub title: String,
    /// One or two sentences about it.
    pub summary: String,
    /// Where it lives on the site.
    pub path: String,
}

/// The answer to one search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as searched (trimmed).
    pub query: String,
    /// Matches, best first.
    pub hits: Vec<SearchHit>,
}

#[cfg(feature = "ssr")]
impl From<domain::pages::PageSummary> for SearchHit {
    fn from(page: domain::pages::PageSummary) -> Self {
        SearchHit {
            path: page.path(),
            title: page.title,
            summary: page.summary,
        }
    }
}
