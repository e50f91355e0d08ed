//! ohnet's business logic: one module per area, sea-orm entities, content import and the one
//! Markdown pipeline. It knows nothing of HTTP or Leptos; the `app` and `server` crates call it.

pub mod content;
pub mod db;
pub mod error;
pub mod markdown;
pub mod pages;
pub mod time;

pub use error::{Error, Result};

use sea_orm::DatabaseConnection;

/// The domain services, built once at start and shared by every request.
#[derive(Clone, Debug)]
pub struct Services {
    db: DatabaseConnection,
    /// Content pages (home, about, …).
    pub pages: pages::PageService,
}

impl Services {
    /// Builds every service over one database connection pool.
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            pages: pages::PageService::new(db.clone()),
            db,
        }
    }

    /// The shared connection pool (for health checks and orderly shutdown).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }
}
