//! Site search over everything a visitor may read: library documents, pages, eLearning
//! modules and lessons, and forum posts, in one tantivy index per node that follows the change log. Visibility is part
//! of every query (each item carries its audience, the actor's groups become a filter), so an
//! item the visitor may not read never matches: not as a result, a count or a suggestion.

mod index;
mod query;
mod sources;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, TantivyDocument};

use crate::access::{Audience, Permission};
use crate::accounts::Actor;
use crate::{Error, Result};

pub use index::{CaughtUp, RebuildProgress, SCHEMA_VERSION, SearchIndex, WRITER_IDLE};
pub use query::MAX_CLAUSES;

/// Longest query accepted; longer ones are cut.
pub const MAX_QUERY_CHARS: usize = 200;
/// Results on one page.
pub const RESULTS_PER_PAGE: u32 = 10;
/// The last page of results that can be asked for.
pub const MAX_RESULT_PAGE: u32 = 50;
/// Characters of text shown around the matching words.
const SNIPPET_CHARS: usize = 240;
/// Typos are forgiven only when the exact words match fewer items than this: finding near
/// misses costs far more than finding exact words, and a query whose exact words match a page
/// of results rarely has a typo in it.
const FORGIVE_TYPOS_BELOW: usize = RESULTS_PER_PAGE as usize;
/// How often a node looks for changes made on any node.
pub const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// The kinds of thing search finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResultKind {
    /// A library document.
    Document,
    /// A content page.
    Page,
    /// An eLearning module's overview.
    Module,
    /// An eLearning lesson.
    Lesson,
    /// A forum post (the first post of a topic carries its title).
    ForumPost,
}

impl ResultKind {
    /// Every kind, in the order the filters list them.
    pub const ALL: [ResultKind; 5] = [
        ResultKind::Document,
        ResultKind::Page,
        ResultKind::Module,
        ResultKind::Lesson,
        ResultKind::ForumPost,
    ];

    /// The kind in URLs and the index.
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Document => "document",
            ResultKind::Page => "page",
            ResultKind::Module => "module",
            ResultKind::Lesson => "lesson",
            ResultKind::ForumPost => "post",
        }
    }

    /// Parses [`ResultKind::as_str`].
    pub fn parse(text: &str) -> Option<ResultKind> {
        ResultKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    /// One of the kind, for a result's label.
    pub fn name(self) -> &'static str {
        match self {
            ResultKind::Document => "Library document",
            ResultKind::Page => "Page",
            ResultKind::Module => "eLearning module",
            ResultKind::Lesson => "Lesson",
            ResultKind::ForumPost => "Forum post",
        }
    }

    /// Several of the kind, for the filters.
    pub fn plural(self) -> &'static str {
        match self {
            ResultKind::Document => "Library documents",
            ResultKind::Page => "Pages",
            ResultKind::Module => "eLearning modules",
            ResultKind::Lesson => "Lessons",
            ResultKind::ForumPost => "Forum posts",
        }
    }
}

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchOrder {
    /// Best match first.
    #[default]
    Relevance,
    /// Most recently changed first.
    Newest,
}

impl SearchOrder {
    /// The order in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchOrder::Relevance => "relevance",
            SearchOrder::Newest => "newest",
        }
    }

    /// Parses [`SearchOrder::as_str`]; anything else is relevance.
    pub fn parse(text: &str) -> SearchOrder {
        if text == "newest" {
            SearchOrder::Newest
        } else {
            SearchOrder::Relevance
        }
    }
}

/// One search as asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchRequest {
    /// What was typed.
    pub text: String,
    /// Only this kind, or every kind.
    pub kind: Option<ResultKind>,
    /// The order.
    pub order: SearchOrder,
    /// The page of results, from 1.
    pub page: u32,
}

/// One match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    /// What it is.
    pub kind: ResultKind,
    /// Its title.
    pub title: String,
    /// Where it lives.
    pub url: String,
    /// The area it is in ("Forums › OH managers").
    pub location: String,
    /// A passage with the matching words in `<mark>`, as escaped HTML; the item's summary when
    /// no passage matches.
    pub snippet_html: String,
    /// When it last changed.
    pub updated: Option<DateTime<Utc>>,
}

/// How many matches there are of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FacetCount {
    /// The kind.
    pub kind: ResultKind,
    /// Matches of it the visitor may see.
    pub count: u64,
}

/// The answer to one search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchResults {
    /// The query as searched (trimmed and cut to [`MAX_QUERY_CHARS`]).
    pub query: String,
    /// Matches in all (of the chosen kind).
    pub total: u64,
    /// This page of matches.
    pub hits: Vec<SearchHit>,
    /// The page shown, from 1.
    pub page: u32,
    /// Pages there are.
    pub pages: u32,
    /// Matches by kind, whatever kind is chosen; kinds without matches are left out.
    pub facets: Vec<FacetCount>,
    /// Something the visitor should know about the query ("only the first 12 words…").
    pub notice: Option<String>,
}

/// A title suggested as the visitor types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// What it is.
    pub kind: ResultKind,
    /// Its title.
    pub title: String,
    /// Where it lives.
    pub url: String,
}

/// Searches everything a visitor may see.
#[derive(Clone, Debug)]
pub struct SearchService {
    db: DatabaseConnection,
    index: Arc<SearchIndex>,
}

impl SearchService {
    pub(crate) fn new(db: DatabaseConnection, index: SearchIndex) -> Self {
        Self {
            db,
            index: Arc::new(index),
        }
    }

    /// Items `actor` may read matching `request`, one page of them with counts by kind.
    pub async fn search(&self, actor: &Actor, request: &SearchRequest) -> Result<SearchResults> {
        let text = bounded(&request.text);
        let mut results = SearchResults {
            query: text.clone(),
            page: 1,
            ..SearchResults::default()
        };
        if text.is_empty() {
            return Ok(results);
        }
        if request.text.trim().chars().count() > MAX_QUERY_CHARS {
            results.notice = Some(format!(
                "Your search was long, so only its first {MAX_QUERY_CHARS} characters were used."
            ));
        }
        self.index.catch_up(&self.db).await?;
        let index = &self.index;
        let fields = index.fields();
        let Some(user_query) = query::user_query(index.index(), fields, &text)? else {
            results.notice = Some("Enter one or more words to search for.".to_owned());
            return Ok(results);
        };
        let searcher = index.searcher();
        let audience = audience_of(actor);
        let page = request.page.clamp(1, MAX_RESULT_PAGE);
        let mut found = matches(
            &searcher,
            fields,
            user_query.exact,
            &audience,
            request,
            page,
        )?;
        if found.total < FORGIVE_TYPOS_BELOW
            && let Some(forgiving) = user_query.forgiving
        {
            found = matches(&searcher, fields, forgiving, &audience, request, page)?;
        }
        let Matches {
            query: chosen,
            addresses,
            total,
            facets,
        } = found;
        results.facets = facets;
        let mut snippets =
            SnippetGenerator::create(&searcher, &*chosen, fields.body).map_err(search_error)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(search_error)?;
            let mut snippet = snippets.snippet_from_doc(&doc);
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let snippet_html = if snippet.highlighted().is_empty() {
                escape_html(&stored(&doc, fields.summary))
            } else {
                snippet.to_html()
            };
            results.hits.push(SearchHit {
                kind: ResultKind::parse(&stored(&doc, fields.kind)).unwrap_or(ResultKind::Page),
                title: stored(&doc, fields.heading),
                url: stored(&doc, fields.url),
                location: stored(&doc, fields.location),
                snippet_html,
                updated: doc
                    .get_first(fields.updated)
                    .and_then(|value| value.as_datetime())
                    .and_then(|at| DateTime::from_timestamp_micros(at.into_timestamp_micros())),
            });
        }
        results.total = total as u64;
        results.page = page;
        results.pages = (total as u64)
            .div_ceil(u64::from(RESULTS_PER_PAGE))
            .min(u64::from(MAX_RESULT_PAGE)) as u32;
        Ok(results)
    }

    /// Titles of items `actor` may read that start with what has been typed, at most `limit`.
    pub async fn suggest(
        &self,
        actor: &Actor,
        text: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>> {
        let text = bounded(text);
        if text.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        self.index.catch_up(&self.db).await?;
        let index = &self.index;
        let fields = index.fields();
        let Some(titles) = query::suggestion_query(index.index(), fields, &text)? else {
            return Ok(Vec::new());
        };
        let visible = BooleanQuery::new(vec![
            (Occur::Must, titles),
            (
                Occur::Must,
                query::audience_filter(fields, &audience_of(actor)),
            ),
        ]);
        let searcher = index.searcher();
        let top = searcher
            .search(&visible, &TopDocs::with_limit(limit).order_by_score())
            .map_err(search_error)?;
        top.into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address).map_err(search_error)?;
                Ok(Suggestion {
                    kind: ResultKind::parse(&stored(&doc, fields.kind)).unwrap_or(ResultKind::Page),
                    title: stored(&doc, fields.heading),
                    url: stored(&doc, fields.url),
                })
            })
            .collect()
    }

    /// Applies every change logged since the last call (building the index first if it is new).
    pub async fn catch_up(&self) -> Result<CaughtUp> {
        self.index.catch_up(&self.db).await
    }

    /// Rebuilds the whole index from the database, reporting progress; returns the items.
    pub async fn rebuild(&self, progress: &mut (dyn FnMut(RebuildProgress) + Send)) -> Result<u64> {
        self.index.rebuild(&self.db, progress).await
    }

    /// Closes the index writer when nothing has been written for `idle` (it opens again at
    /// the next change), so that an idle node keeps neither its thread nor its memory.
    pub async fn close_idle_writer(&self, idle: std::time::Duration) -> Result<()> {
        self.index.close_idle_writer(idle).await
    }

    /// Follows the change log every [`FOLLOW_EVERY`] until `shutdown` changes, so that a
    /// change made on any node reaches this node's index within a second even when nobody
    /// searches; closes the index writer when it has been idle for [`WRITER_IDLE`].
    pub async fn follow_changes(&self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        let mut tick = tokio::time::interval(FOLLOW_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    match self.catch_up().await {
                        Ok(CaughtUp::Applied { changes: 0 }) => {
                            if let Err(err) = self.close_idle_writer(WRITER_IDLE).await {
                                tracing::warn!(%err, "the search index writer could not close");
                            }
                        }
                        Ok(caught_up) => tracing::debug!(?caught_up, "search index caught up"),
                        Err(err) => tracing::warn!(%err, "the search index could not catch up"),
                    }
                }
                _ = shutdown.changed() => break,
            }
        }
    }
}

/// The matches of one query that the visitor may see.
struct Matches {
    /// The query with its visibility (and type) filters, for the snippets.
    query: Box<dyn Query>,
    /// The page of results.
    addresses: Vec<DocAddress>,
    /// Matches in all (of the chosen type).
    total: usize,
    /// Matches by type, whatever type is chosen.
    facets: Vec<FacetCount>,
}

/// Runs `user_query` for `audience`: the page `request` asks for, in its order, with the counts
/// by type. Without a type filter the counts and the page come from one pass over the matches;
/// with one, the counts are over every type and the page over one.
fn matches(
    searcher: &tantivy::Searcher,
    fields: &index::Fields,
    user_query: Box<dyn Query>,
    audience: &[String],
    request: &SearchRequest,
    page: u32,
) -> Result<Matches> {
    let visible = BooleanQuery::new(vec![
        (Occur::Must, user_query),
        (Occur::Must, query::audience_filter(fields, audience)),
    ]);
    let mut facets = FacetCollector::for_field("kind_facet");
    facets.add_facet("/");
    let offset = (page - 1) as usize * RESULTS_PER_PAGE as usize;
    let top = TopDocs::with_limit(RESULTS_PER_PAGE as usize).and_offset(offset);
    let mut counts = Vec::new();
    let (chosen, facets_now): (Box<dyn Query>, Option<FacetCollector>) = match request.kind {
        None => (Box::new(visible), Some(facets)),
        Some(kind) => {
            let facet_counts = searcher.search(&visible, &facets).map_err(search_error)?;
            counts = facet_counts_of(&facet_counts);
            let filtered = BooleanQuery::new(vec![
                (Occur::Must, Box::new(visible) as Box<dyn Query>),
                (Occur::Must, query::kind_filter(fields, kind.as_str())),
            ]);
            (Box::new(filtered), None)
        }
    };
    let (addresses, total, facet_counts) = match request.order {
        SearchOrder::Relevance => {
            collect_page(searcher, &*chosen, top.order_by_score(), facets_now)?
        }
        SearchOrder::Newest => collect_page(
            searcher,
            &*chosen,
            top.order_by_fast_field::<tantivy::DateTime>("updated", Order::Desc),
            facets_now,
        )?,
    };
    if let Some(facet_counts) = facet_counts {
        counts = facet_counts_of(&facet_counts);
    }
    Ok(Matches {
        query: chosen,
        addresses,
        total,
        facets: counts,
    })
}

/// The audience tokens `actor` may see: `public`, and for an approved member `members` and
/// `group:<slug>` for each of their groups.
fn audience_of(actor: &Actor) -> Vec<String> {
    let mut tokens = sources::audience_tokens(&Audience::Public);
    if let Ok(member) = actor.allows(Permission::TakePart) {
        tokens.extend(sources::audience_tokens(&Audience::Members));
        tokens.extend(sources::audience_tokens(&Audience::Groups(
            member.groups.clone(),
        )));
    }
    tokens
}

fn stored(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|value| value.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            _ => escaped.push(ch),
        }
    }
    escaped
}

fn search_error(err: tantivy::TantivyError) -> Error {
    Error::Internal(format!("search: {err}"))
}

/// `query` trimmed and cut to [`MAX_QUERY_CHARS`].
pub fn bounded(query: &str) -> String {
    query.trim().chars().take(MAX_QUERY_CHARS).collect()
}

/// The count of matches of each kind, from the facet collector's fruit.
fn facet_counts_of(facet_counts: &tantivy::collector::FacetCounts) -> Vec<FacetCount> {
    ResultKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let count = facet_counts
                .get("/")
                .find(|(facet, _)| *facet == &index::kind_facet(kind))
                .map_or(0, |(_, count)| count);
            (count > 0).then_some(FacetCount { kind, count })
        })
        .collect()
}

/// One pass over the matches of `query`: the page `top` chooses, the number of matches, and
/// (when `facets` is given) the counts by kind.
fn collect_page<C, S>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    top: C,
    facets: Option<FacetCollector>,
) -> Result<(
    Vec<DocAddress>,
    usize,
    Option<tantivy::collector::FacetCounts>,
)>
where
    C: tantivy::collector::Collector<Fruit = Vec<(S, DocAddress)>>,
    S: 'static,
{
    let addresses =
        |top: Vec<(S, DocAddress)>| top.into_iter().map(|(_, address)| address).collect();
    Ok(match facets {
        Some(facets) => {
            let (top, total, counts) = searcher
                .search(query, &(top, Count, facets))
                .map_err(search_error)?;
            (addresses(top), total, Some(counts))
        }
        None => {
            let (top, total) = searcher
                .search(query, &(top, Count))
                .map_err(search_error)?;
            (addresses(top), total, None)
        }
    })
}
