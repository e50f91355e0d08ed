//! ohnet's business logic: one module per area, sea-orm entities, content import and the one
//! Markdown pipeline. It knows nothing of HTTP or Leptos; the `app` and `server` crates call it.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod backup;
pub mod change_log;
pub mod content;
pub mod cpd;
pub mod db;
pub mod error;
pub mod files;
pub mod forums;
pub mod jobs;
pub mod learning;
pub mod library;
pub mod mail;
pub mod markdown;
pub mod node_cache;
pub mod pages;
pub mod rate_limit;
pub mod search;
mod site_settings;
pub mod time;
pub mod uploads;

pub use error::{Error, FieldError, Result};

use std::sync::Arc;

use sea_orm::DatabaseConnection;

/// Settings the services take from configuration.
#[derive(Clone, Debug, Default)]
pub struct DomainSettings {
    /// Membership settings.
    pub accounts: accounts::AccountSettings,
    /// Rate limits.
    pub rate_limits: rate_limit::RateLimitSettings,
    /// Forum limits.
    pub forums: forums::ForumSettings,
    /// Uploaded files (library attachments, CPD evidence).
    pub uploads: uploads::UploadSettings,
    /// Where the bytes of stored files go (the database unless an object store is named).
    pub files: files::FileStore,
    /// Where this node keeps its search index (`None`: in memory, rebuilt at every start).
    pub search_index_dir: Option<std::path::PathBuf>,
}

/// The domain services, built once at start and shared by every request.
#[derive(Clone, Debug)]
pub struct Services {
    db: DatabaseConnection,
    files: files::FileStore,
    /// Membership, sessions and member administration.
    pub accounts: accounts::AccountService,
    /// The audit log.
    pub audit: audit::AuditService,
    /// Content pages (home, about, …).
    pub pages: pages::PageService,
    /// eLearning modules, progress, knowledge checks and certificates.
    pub learning: learning::LearningService,
    /// CPD records.
    pub cpd: cpd::CpdService,
    /// The guidance library.
    pub library: library::LibraryService,
    /// The forums.
    pub forums: forums::ForumService,
    /// Site search over everything a visitor may read.
    pub search: search::SearchService,
    /// The in-memory rate limiters (shared with the services that check them), for pruning.
    pub rate_limits: rate_limit::RateLimits,
    /// This node's cache of signed-in members, unread counts, modules and learners' progress,
    /// which its follower keeps true.
    pub node_cache: Arc<node_cache::NodeCache>,
}

impl Services {
    /// Builds every service over one database connection pool, opening this node's search
    /// index (fails when another process holds it).
    pub fn new(db: DatabaseConnection, settings: DomainSettings) -> Result<Self> {
        let rate_limits = rate_limit::RateLimits::new(settings.rate_limits);
        let search_index = search::SearchIndex::open(settings.search_index_dir.as_deref())?;
        let node_cache = Arc::new(node_cache::NodeCache::new());
        Ok(Self {
            accounts: accounts::AccountService::new(
                db.clone(),
                settings.accounts,
                rate_limits.clone(),
                node_cache.clone(),
            ),
            audit: audit::AuditService::new(db.clone()),
            pages: pages::PageService::new(db.clone()),
            learning: learning::LearningService::new(
                db.clone(),
                settings.files.clone(),
                node_cache.clone(),
            ),
            cpd: cpd::CpdService::new(db.clone(), &settings.uploads, settings.files.clone()),
            library: library::LibraryService::new(
                db.clone(),
                &settings.uploads,
                settings.files.clone(),
            ),
            files: settings.files,
            forums: forums::ForumService::new(
                db.clone(),
                settings.forums,
                rate_limits.clone(),
                node_cache.clone(),
            ),
            search: search::SearchService::new(db.clone(), search_index),
            rate_limits,
            node_cache,
            db,
        })
    }

    /// Where stored files are kept (for the jobs that read and sweep them).
    pub fn files(&self) -> &files::FileStore {
        &self.files
    }

    /// The shared connection pool (for health checks and orderly shutdown).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Everything held about the signed-in member, from every area, for "download my data"
    /// (UK GDPR right of access and portability): their account, groups and sessions, their
    /// eLearning records and certificates, their CPD record and the forum posts they wrote.
    pub async fn export_member_data(&self, actor: &accounts::Actor) -> Result<serde_json::Value> {
        let mut data = self.accounts.export_data(actor).await?;
        let member_id = actor.require_signed_in()?.id;
        if let Some(fields) = data.as_object_mut() {
            fields.insert(
                "learning".to_owned(),
                self.learning.member_data(member_id).await?,
            );
            fields.insert("cpd".to_owned(), self.cpd.member_data(member_id).await?);
            fields.insert(
                "cpd_revalidation".to_owned(),
                self.cpd.revalidation_data(member_id).await?,
            );
            fields.insert(
                "forum_posts".to_owned(),
                self.forums.member_data(member_id).await?,
            );
        }
        Ok(data)
    }
}
