//! Server functions for search.

use leptos::prelude::*;

use super::dto::{SearchResults, Suggestion};
use crate::error::AppError;

/// Most suggestions shown under the header search box.
pub const MAX_SUGGESTIONS: usize = 6;

/// Titles matching what has been typed so far.
#[server(prefix = "/api", endpoint = "search/suggest", input = server_fn::codec::GetUrl)]
pub async fn suggest(query: String) -> Result<Vec<Suggestion>, AppError> {
    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let suggestions = cx
        .services
        .search
        .suggest(&actor, &query, MAX_SUGGESTIONS)
        .await?;
    Ok(suggestions.into_iter().map(Suggestion::from).collect())
}

/// One page of everything matching `query` that the visitor may see, optionally only of one
/// type (`kind`) and newest first (`sort=newest`).
#[server(prefix = "/api", endpoint = "search/site", input = server_fn::codec::GetUrl)]
pub async fn search_site(
    query: String,
    kind: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
) -> Result<SearchResults, AppError> {
    use domain::search::{ResultKind, SearchOrder, SearchRequest};

    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let kind = kind.as_deref().and_then(ResultKind::parse);
    let order = SearchOrder::parse(sort.as_deref().unwrap_or_default());
    let request = SearchRequest {
        text: query,
        kind,
        order,
        page: page.unwrap_or(1),
    };
    let results = cx.services.search.search(&actor, &request).await?;
    Ok(SearchResults {
        kind: kind.map(|kind| kind.as_str().to_owned()),
        order: order.as_str().to_owned(),
        ..SearchResults::from(results)
    })
}
