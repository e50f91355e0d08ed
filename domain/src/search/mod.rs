//! Site search: what a visitor may find, by title as they type and by text on the results
//! page. Every query carries the actor, so an item the visitor may not read never matches, not
//! even as a suggestion.

use sea_orm::DatabaseConnection;

use crate::Result;
use crate::accounts::Actor;
use crate::pages::{PageService, PageSummary};

/// Longest query accepted; longer ones are cut.
pub const MAX_QUERY_CHARS: usize = 200;

/// Searches everything a visitor may see.
#[derive(Clone, Debug)]
pub struct SearchService {
    pages: PageService,
}

impl SearchService {
    pub(crate) fn new(db: DatabaseConnection) -> Self {
        Self {
            pages: PageService::new(db),
        }
    }

    /// Items `actor` may read whose titles match what has been typed so far, at most `limit`.
    pub async fn suggest(
        &self,
        actor: &Actor,
        query: &str,
        limit: u64,
    ) -> Result<Vec<PageSummary>> {
        self.pages.suggest(actor, &bounded(query), limit).await
    }

    /// Items `actor` may read matching `query` in title, summary or text, at most `limit`.
    pub async fn search(&self, actor: &Actor, query: &str, limit: u64) -> Result<Vec<PageSummary>> {
        self.pages.search(actor, &bounded(query), limit).await
    }
}

/// `query` trimmed and cut to [`MAX_QUERY_CHARS`].
pub fn bounded(query: &str) -> String {
    query.trim().chars().take(MAX_QUERY_CHARS).collect()
}
