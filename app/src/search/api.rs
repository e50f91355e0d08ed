//! Server functions for search.

use leptos::prelude::*;

use super::dto::{SearchHit, SearchResults};
use crate::error::AppError;

/// Most suggestions shown under the header search box.
pub const MAX_SUGGESTIONS: u64 = 6;
/// Most results on the search page.
pub const MAX_RESULTS: u64 = 50;

/// Pages whose titles match what has been typed so far.
#[server(prefix = "/api", endpoint = "search/suggest", input = server_fn::codec::GetUrl)]
pub async fn suggest_pages(query: String) -> Result<Vec<SearchHit>, AppError> {
    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let pages = cx
        .services
        .search
        .suggest(&actor, &query, MAX_SUGGESTIONS)
        .await?;
    Ok(pages.into_iter().map(SearchHit::from).collect())
}

/// Everything matching `query` that the visitor may see.
#[server(prefix = "/api", endpoint = "search/site", input = server_fn::codec::GetUrl)]
pub async fn search_site(query: String) -> Result<SearchResults, AppError> {
    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let pages = cx
        .services
        .search
        .search(&actor, &query, MAX_RESULTS)
        .await?;
    Ok(SearchResults {
        query: domain::search::bounded(&query),
        hits: pages.into_iter().map(SearchHit::from).collect(),
    })
}
