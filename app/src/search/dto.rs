//! What the browser receives from search.

use serde::{Deserialize, Serialize};

/// A title suggested under the header search box.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// What it is ("Lesson", "Forum post").
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Where it lives on the site.
    pub path: String,
}

/// One match on the results page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    /// What it is ("Page", "Lesson", "Forum post").
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Where it lives on the site.
    pub path: String,
    /// The area it is in ("Forums › OH managers").
    pub location: String,
    /// A passage with the matching words marked, as sanitised HTML (escaped text and
    /// `<mark>` only, made by the domain).
    pub snippet_html: String,
    /// When it last changed, as a UK date.
    pub updated: Option<String>,
}

/// One type filter with its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeFilter {
    /// The value in the URL (`lesson`).
    pub kind: String,
    /// Its label ("Lessons").
    pub label: String,
    /// Matches of this type.
    pub count: u64,
}

/// The answer to one search.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as searched (trimmed and cut to length).
    pub query: String,
    /// The chosen type, if any.
    pub kind: Option<String>,
    /// `relevance` or `newest`.
    pub order: String,
    /// Matches in all (of the chosen type).
    pub total: u64,
    /// Every match of every type the visitor may see.
    pub total_all_types: u64,
    /// The page shown, from 1.
    pub page: u32,
    /// Pages there are.
    pub pages: u32,
    /// Matches, best first (or newest first).
    pub hits: Vec<SearchHit>,
    /// Counts by type; types without matches are left out.
    pub filters: Vec<TypeFilter>,
    /// Something to tell the visitor about their query.
    pub notice: Option<String>,
}

#[cfg(feature = "ssr")]
impl From<domain::search::Suggestion> for Suggestion {
    fn from(suggestion: domain::search::Suggestion) -> Self {
        Suggestion {
            kind: suggestion.kind.name().to_owned(),
            title: suggestion.title,
            path: suggestion.url,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::search::SearchResults> for SearchResults {
    fn from(results: domain::search::SearchResults) -> Self {
        SearchResults {
            query: results.query,
            kind: None,
            order: String::new(),
            total: results.total,
            total_all_types: results.facets.iter().map(|facet| facet.count).sum(),
            page: results.page,
            pages: results.pages,
            hits: results
                .hits
                .into_iter()
                .map(|hit| SearchHit {
                    kind: hit.kind.name().to_owned(),
                    title: hit.title,
                    path: hit.url,
                    location: hit.location,
                    snippet_html: hit.snippet_html,
                    updated: hit.updated.map(domain::time::london_date),
                })
                .collect(),
            filters: results
                .facets
                .into_iter()
                .map(|facet| TypeFilter {
                    kind: facet.kind.as_str().to_owned(),
                    label: facet.kind.plural().to_owned(),
                    count: facet.count,
                })
                .collect(),
            notice: results.notice,
        }
    }
}
