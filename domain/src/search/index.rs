//! The tantivy index each node keeps under its data folder: its schema, opening it (rebuilding
//! when it is missing or from an older schema), and keeping it in step with the change log.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption,
    STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use tokio::sync::Mutex;

use super::ResultKind;
use super::sources::{self, IndexEntry};
use crate::change_log::{self, ChangeCursor};
use crate::{Error, Result};

/// Bumped whenever the schema or what is indexed changes; an index of another version is
/// deleted and rebuilt at start.
pub const SCHEMA_VERSION: u32 = 2;

/// Memory the writer may use before it flushes a segment (tantivy's minimum for one thread).
const WRITER_MEMORY: usize = 15_000_000;

/// How long the writer stays open after its last write. An open writer keeps an indexing
/// thread and the memory it last used, so an idle node closes it; the next change opens it
/// again (a few milliseconds).
pub const WRITER_IDLE: Duration = Duration::from_secs(30);

/// The file each node holds locked while it has the index open, so that two processes never
/// share one index folder (tantivy's own lock is held only while a writer is open).
const NODE_LOCK: &str = "ohnet-node.lock";

/// The index's fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    /// Unique per indexed item: `page:3`, `lesson:17`, `post:2041`.
    pub key: Field,
    /// The change log subject whose change replaces this item (`topic:12` for its posts).
    pub subject: Field,
    /// [`ResultKind`] as text.
    pub kind: Field,
    /// [`ResultKind`] as a facet, for counts by type.
    pub kind_facet: Field,
    /// Who may see it: `public`, `members`, `group:<slug>`.
    pub audience: Field,
    /// The searchable title (stemmed; boosted).
    pub title: Field,
    /// The title's words unstemmed, for suggestions and typo tolerance.
    pub title_words: Field,
    /// Tags and topics (stemmed; boosted).
    pub tags: Field,
    /// The text (stemmed, stored for snippets).
    pub body: Field,
    /// The title shown in results.
    pub heading: Field,
    /// One or two sentences shown when the text has no matching passage.
    pub summary: Field,
    /// Where the item lives.
    pub url: Field,
    /// The area it lives in, shown under the title ("Forums › CMO forum").
    pub location: Field,
    /// When it last changed, for "newest first".
    pub updated: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let stemmed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let words = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("default")
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Fields {
            key: builder.add_text_field("key", STRING | STORED),
            subject: builder.add_text_field("subject", STRING),
            kind: builder.add_text_field("kind", STRING | STORED),
            kind_facet: builder.add_facet_field("kind_facet", FacetOptions::default()),
            audience: builder.add_text_field("audience", STRING),
            title: builder.add_text_field("title", stemmed.clone()),
            title_words: builder.add_text_field("title_words", words),
            tags: builder.add_text_field("tags", stemmed.clone()),
            body: builder.add_text_field("body", stemmed | STORED),
            heading: builder.add_text_field("heading", STORED),
            summary: builder.add_text_field("summary", STORED),
            url: builder.add_text_field("url", STORED),
            location: builder.add_text_field("location", STORED),
            updated: builder.add_date_field(
                "updated",
                DateOptions::from(INDEXED | FAST).set_precision(DateTimePrecision::Microseconds),
            ),
        };
        (builder.build(), fields)
    }
}

/// The facet path of a kind.
pub(crate) fn kind_facet(kind: ResultKind) -> Facet {
    Facet::from_path([kind.as_str()])
}

/// What a [`SearchIndex::catch_up`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaughtUp {
    /// The index was new (or behind what the change log keeps) and was built from the
    /// database; the changes logged meanwhile were then applied.
    Rebuilt {
        /// Items indexed.
        items: u64,
    },
    /// Only the changes logged since the last catch-up were applied.
    Applied {
        /// Change log rows applied.
        changes: usize,
    },
}

/// How far a full rebuild has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RebuildProgress {
    /// Items indexed so far.
    pub done: u64,
    /// Items to index in all.
    pub total: u64,
}

/// What the writer side knows: the writer while one is open, when it last wrote, and how
/// far along the change log the index is (`None` until the index has been built).
struct Follower {
    writer: Option<IndexWriter>,
    last_write: Instant,
    cursor: Option<ChangeCursor>,
    resume_checked: bool,
}

/// One node's search index.
pub struct SearchIndex {
    /// The highest change applied, or -1 until the index has been built and checked; read
    /// without the lock, so that searches run side by side while nothing is new.
    applied_through: AtomicI32,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    follower: Mutex<Follower>,
    location: Option<PathBuf>,
    /// Held locked for as long as the index is open ([`NODE_LOCK`]); `None` in memory.
    _node_lock: Option<File>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index under `dir` (in a `v<SCHEMA_VERSION>` folder, deleting other versions),
    /// creating it empty when missing; `None` keeps it in memory. An empty index is built from
    /// the database by the first [`SearchIndex::catch_up`].
    pub fn open(dir: Option<&Path>) -> Result<SearchIndex> {
        let (schema, fields) = Fields::schema();
        let (index, cursor, location, node_lock) = match dir {
            None => (Index::create_in_ram(schema), None, None, None),
            Some(dir) => {
                let node_lock = lock_for_this_node(dir)?;
                let (index, cursor) = open_on_disk(dir, schema)?;
                (index, cursor, Some(dir.to_owned()), Some(node_lock))
            }
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|err| index_error(location.as_deref(), err))?;
        Ok(SearchIndex {
            applied_through: AtomicI32::new(-1),
            index,
            reader,
            fields,
            follower: Mutex::new(Follower {
                writer: None,
                last_write: Instant::now(),
                cursor,
                resume_checked: false,
            }),
            location,
            _node_lock: node_lock,
        })
    }

    /// The open writer, opening one when none is.
    fn writer<'a>(&self, slot: &'a mut Option<IndexWriter>) -> Result<&'a mut IndexWriter> {
        let writer = match slot.take() {
            Some(writer) => writer,
            None => self
                .index
                .writer_with_num_threads(1, WRITER_MEMORY)
                .map_err(|err| self.error(err))?,
        };
        Ok(slot.insert(writer))
    }

    /// Closes the writer once nothing has been written for `idle`, after letting its merges
    /// finish. Does nothing while another task holds the writer side.
    pub async fn close_idle_writer(&self, idle: Duration) -> Result<()> {
        let Ok(mut follower) = self.follower.try_lock() else {
            return Ok(());
        };
        if follower.last_write.elapsed() < idle {
            return Ok(());
        }
        self.close_writer(&mut follower).await
    }

    async fn close_writer(&self, follower: &mut Follower) -> Result<()> {
        let Some(writer) = follower.writer.take() else {
            return Ok(());
        };
        tokio::task::spawn_blocking(move || writer.wait_merging_threads())
            .await
            .map_err(|err| Error::Internal(format!("closing the search index writer: {err}")))?
            .map_err(|err| self.error(err))
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }

    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Applies every change logged since the last call (building the whole index first when
    /// it is new, or when it fell behind what the log keeps). Searches call it first, so a
    /// node always answers with every change committed before the search.
    pub async fn catch_up(&self, db: &DatabaseConnection) -> Result<CaughtUp> {
        let applied_through = self.applied_through.load(Ordering::Acquire);
        let newest = change_log::newest_id(db).await?;
        if applied_through >= 0 && newest <= applied_through {
            return Ok(CaughtUp::Applied { changes: 0 });
        }
        let mut follower = self.follower.lock().await;
        if !follower.resume_checked {
            if let Some(cursor) = &follower.cursor
                && !change_log::can_resume_after(db, cursor.done_through()).await?
            {
                tracing::info!("the search index is older than the change log; rebuilding");
                follower.cursor = None;
            }
            follower.resume_checked = true;
        }
        if let Some(cursor) = &follower.cursor {
            let backlog = i64::from(newest) - i64::from(cursor.done_through());
            if rebuilding_is_cheaper(backlog, self.searcher().num_docs()) {
                tracing::info!(
                    backlog,
                    "more changes to apply than a rebuild reads; rebuilding"
                );
                follower.cursor = None;
            }
        }
        let rebuilt = match follower.cursor {
            None => Some(self.rebuild_locked(db, &mut follower, &mut |_| {}).await?),
            Some(_) => None,
        };
        let mut applied = 0;
        let Follower {
            writer: open_writer,
            last_write,
            cursor,
            ..
        } = &mut *follower;
        while let Some(cursor) = cursor.as_mut() {
            let rows = cursor.unseen(db).await?;
            if rows.is_empty() {
                break;
            }
            let mut subjects: Vec<&str> = rows.iter().map(|row| row.subject.as_str()).collect();
            subjects.sort_unstable();
            subjects.dedup();
            // Most changes to members and notifications (logged for the node cache) name
            // nothing indexed: the writer opens, and the index commits, only for those that do.
            let mut wrote = false;
            for subject in subjects {
                for (replaced, entries) in sources::entries_for(db, subject).await? {
                    let writer = self.writer(open_writer)?;
                    writer.delete_term(Term::from_field_text(self.fields.subject, &replaced));
                    for entry in entries {
                        self.add(writer, entry)?;
                    }
                    wrote = true;
                }
            }
            cursor.applied(rows.iter().map(|row| row.id), Utc::now());
            applied += rows.len();
            if wrote {
                let writer = self.writer(open_writer)?;
                self.commit(writer, cursor.done_through())?;
                *last_write = Instant::now();
            }
            if rows.len() < change_log::BATCH as usize {
                break;
            }
        }
        let settled = cursor
            .as_ref()
            .filter(|cursor| !cursor.has_gaps())
            .map_or(-1, ChangeCursor::highest_seen);
        self.applied_through.store(settled, Ordering::Release);
        Ok(match rebuilt {
            Some(items) => CaughtUp::Rebuilt { items },
            None => CaughtUp::Applied { changes: applied },
        })
    }

    /// Throws the index away and builds it again from the database, reporting progress.
    pub async fn rebuild(
        &self,
        db: &DatabaseConnection,
        progress: &mut (dyn FnMut(RebuildProgress) + Send),
    ) -> Result<u64> {
        let mut follower = self.follower.lock().await;
        self.rebuild_locked(db, &mut follower, progress).await
    }

    async fn rebuild_locked(
        &self,
        db: &DatabaseConnection,
        follower: &mut Follower,
        progress: &mut (dyn FnMut(RebuildProgress) + Send),
    ) -> Result<u64> {
        // Taken before reading, so a change made while reading is applied afterwards.
        let cursor = change_log::cursor_for_fresh_build(db, Utc::now()).await?;
        let writer = self.writer(&mut follower.writer)?;
        writer
            .delete_all_documents()
            .map_err(|err| self.error(err))?;
        let total = sources::count_all(db).await?;
        let mut done = 0;
        progress(RebuildProgress { done, total });
        let writer = &*writer;
        sources::each_entry(db, &mut |entries| {
            for entry in entries {
                self.add(writer, entry)?;
                done += 1;
            }
            progress(RebuildProgress {
                done,
                total: total.max(done),
            });
            Ok(())
        })
        .await?;
        self.commit(self.writer(&mut follower.writer)?, cursor.done_through())?;
        follower.cursor = Some(cursor);
        follower.resume_checked = true;
        // A rebuild is a one-off: its writer (and the memory it filled) goes with it.
        self.close_writer(follower).await?;
        tracing::info!(items = done, "search index built");
        Ok(done)
    }

    fn add(&self, writer: &IndexWriter, entry: IndexEntry) -> Result<()> {
        let fields = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.key, &entry.key);
        doc.add_text(fields.subject, &entry.subject);
        doc.add_text(fields.kind, entry.kind.as_str());
        doc.add_facet(fields.kind_facet, kind_facet(entry.kind));
        for token in &entry.audience {
            doc.add_text(fields.audience, token);
        }
        if entry.title_indexed {
            doc.add_text(fields.title, &entry.title);
            doc.add_text(fields.title_words, &entry.title);
        }
        for tag in &entry.tags {
            doc.add_text(fields.tags, tag);
        }
        doc.add_text(fields.body, &entry.body);
        doc.add_text(fields.heading, &entry.title);
        doc.add_text(fields.summary, &entry.summary);
        doc.add_text(fields.url, &entry.url);
        doc.add_text(fields.location, &entry.location);
        doc.add_date(fields.updated, date_of(entry.updated));
        writer.add_document(doc).map_err(|err| self.error(err))?;
        Ok(())
    }

    /// Commits with `done_through` as the payload (where a restart resumes) and shows the
    /// result to searches.
    fn commit(&self, writer: &mut IndexWriter, done_through: i32) -> Result<()> {
        let mut commit = writer.prepare_commit().map_err(|err| self.error(err))?;
        commit.set_payload(&done_through.to_string());
        commit.commit().map_err(|err| self.error(err))?;
        self.reader.reload().map_err(|err| self.error(err))
    }

    fn error(&self, err: tantivy::TantivyError) -> Error {
        index_error(self.location.as_deref(), err)
    }
}

/// Backlogs of at least this many changes are weighed against a rebuild.
const REBUILD_BACKLOG_FLOOR: i64 = 500;

/// Whether building the index afresh reads less than applying `backlog` changes one subject at
/// a time to an index of `indexed` entries: a rebuild reads every item in a few large queries,
/// while catching up reads each changed item with its own, several times slower per item. A
/// node stopped during a bulk import (or under a restored database) rebuilds; a node that
/// follows a busy day applies.
fn rebuilding_is_cheaper(backlog: i64, indexed: u64) -> bool {
    backlog >= REBUILD_BACKLOG_FLOOR && backlog.unsigned_abs() > indexed / 2
}

/// Locks [`NODE_LOCK`] under `dir`, refusing when another process holds it.
fn lock_for_this_node(dir: &Path) -> Result<File> {
    std::fs::create_dir_all(dir).map_err(|err| io_error(dir, &err))?;
    let path = dir.join(NODE_LOCK);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|err| io_error(&path, &err))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Internal(format!(
            "{}: the search index is in use by another ohnet process; give each node its own \
             OHNET_DATA_DIR",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(err)) => Err(io_error(&path, &err)),
    }
}

/// Opens the current version's index under `dir`, with the cursor stored in its last commit,
/// or creates it (deleting folders of other versions).
fn open_on_disk(dir: &Path, schema: Schema) -> Result<(Index, Option<ChangeCursor>)> {
    let current = dir.join(format!("v{SCHEMA_VERSION}"));
    forget_other_versions(dir, &current)?;
    if current.join("meta.json").exists()
        && let Ok(index) = Index::open_in_dir(&current)
        && index.schema() == schema
    {
        let cursor = index
            .load_metas()
            .ok()
            .and_then(|metas| metas.payload)
            .and_then(|payload| payload.parse().ok())
            .map(ChangeCursor::after);
        return Ok((index, cursor));
    }
    if current.exists() {
        tracing::warn!(path = %current.display(), "the search index is unreadable; rebuilding");
        std::fs::remove_dir_all(&current).map_err(|err| io_error(&current, &err))?;
    }
    std::fs::create_dir_all(&current).map_err(|err| io_error(&current, &err))?;
    let index =
        Index::create_in_dir(&current, schema).map_err(|err| index_error(Some(dir), err))?;
    Ok((index, None))
}

/// Deletes `v<N>` folders under `dir` other than `current`: indexes of another schema.
fn forget_other_versions(dir: &Path, current: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_version = entry
            .file_name()
            .to_str()
            .and_then(|name| name.strip_prefix('v'))
            .is_some_and(|number| number.parse::<u32>().is_ok());
        if is_version && path != current {
            tracing::info!(path = %path.display(), "deleting a search index of another version");
            std::fs::remove_dir_all(&path).map_err(|err| io_error(&path, &err))?;
        }
    }
    Ok(())
}

fn date_of(at: DateTime<Utc>) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_micros(at.timestamp_micros())
}

fn location_text(location: Option<&Path>) -> String {
    location.map_or_else(|| "memory".to_owned(), |path| path.display().to_string())
}

fn index_error(location: Option<&Path>, err: tantivy::TantivyError) -> Error {
    Error::Internal(format!("search index {}: {err}", location_text(location)))
}

fn io_error(path: &Path, err: &std::io::Error) -> Error {
    Error::Internal(format!("{}: {err}", path.display()))
}
