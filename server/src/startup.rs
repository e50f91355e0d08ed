//! Start-up and shutdown: open the database, apply migrations, import content, serve until
//! SIGTERM or Ctrl-C, let in-flight requests finish, close the database.

use std::path::Path;

use domain::content::{self, ImportError, ImportReport};
use tokio::net::TcpListener;

use domain::DomainSettings;
use domain::accounts::AccountSettings;
use domain::jobs::{self, JobContext, JobRunner, RunnerSettings};
use domain::mail::Mailer;

use crate::assets::{AssetError, AssetManifest};
use crate::config::Config;
use crate::router::{self, AppState};

/// Why the server could not start or finish cleanly.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The data folder could not be created.
    #[error("{path}: cannot create the data folder: {source}")]
    DataDir {
        /// The folder.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Database connection or migration failed.
    #[error(transparent)]
    Database(#[from] domain::Error),
    /// Content failed validation or could not be stored.
    #[error(transparent)]
    Content(#[from] ImportError),
    /// The mail settings are unusable.
    #[error("mail: {0}")]
    Mail(String),
    /// Built assets are missing or unreadable.
    #[error(transparent)]
    Assets(#[from] AssetError),
    /// The listening socket could not be opened or the server failed.
    #[error("{addr}: {source}")]
    Listen {
        /// The address.
        addr: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Which search index the services open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchIndexUse {
    /// This node's index under the data folder, which one process at a time may hold: for
    /// serving and `ohnet reindex`.
    OnDisk,
    /// A throwaway one in memory, built by the first search: for commands that never search
    /// (so that they run beside a serving node) and for tests.
    InMemory,
}

/// Opens (creating if needed) the data folder and the database, and brings its schema up to
/// date.
pub async fn open_services(
    config: &Config,
    search: SearchIndexUse,
) -> Result<domain::Services, StartupError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
        path: config.data_dir.display().to_string(),
        source,
    })?;
    let db = domain::db::connect_with(
        &config.database_url,
        domain::db::DbOptions {
            pool_size: config.db_pool_size,
            statement_timeout: config.db_statement_timeout,
        },
    )
    .await?;
    domain::db::migrate(&db).await?;
    let mut settings = domain_settings(config);
    if search == SearchIndexUse::InMemory {
        settings.search_index_dir = None;
    }
    Ok(domain::Services::new(db, settings)?)
}

/// The domain's settings from the server's configuration.
pub fn domain_settings(config: &Config) -> DomainSettings {
    DomainSettings {
        accounts: AccountSettings {
            base_url: config.base_url.clone(),
            auto_approve_domains: config.auto_approve_domains.clone(),
            sso: config.sso.clone(),
        },
        rate_limits: Default::default(),
        forums: domain::forums::ForumSettings {
            max_post_chars: config.max_post_chars,
            ..Default::default()
        },
        uploads: domain::uploads::UploadSettings {
            max_bytes: config.max_upload_bytes,
        },
        search_index_dir: Some(config.data_dir.join("search-index")),
        files: config.files.clone(),
    }
}

/// The mailer the configuration asks for: SMTP when `OHNET_SMTP_URL` is set, otherwise `.eml`
/// files in `<data dir>/mail-spool`.
pub fn mailer(config: &Config) -> Result<Mailer, StartupError> {
    match &config.smtp_url {
        Some(url) => Mailer::smtp(url, &config.mail_from),
        None => Mailer::spool(config.data_dir.join("mail-spool"), &config.mail_from),
    }
    .map_err(|err| StartupError::Mail(err.to_string()))
}

/// Runs background jobs (mail delivery, the hourly cleanup) until `shutdown` changes: the job
/// in progress finishes, the rest of its batch is given back for another process. A claim
/// lasts `lease`; a node that dies holding one has its jobs taken over when it runs out.
pub async fn run_job_runner(
    services: domain::Services,
    mailer: Mailer,
    base_url: String,
    lease: std::time::Duration,
    shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let db = services.db().clone();
    if let Err(err) = jobs::ensure_recurring(&db, chrono::Utc::now()).await {
        tracing::error!(%err, "cannot queue the recurring jobs");
    }
    let settings = RunnerSettings {
        lease: chrono::Duration::from_std(lease).unwrap_or_else(|_| chrono::Duration::minutes(5)),
        ..RunnerSettings::default()
    };
    tracing::info!(worker_id = %settings.worker_id, "job runner started");
    let context =
        JobContext::new(db.clone(), mailer, base_url).with_files(services.files().clone());
    JobRunner::new(db, context, settings).run(shutdown).await;
}

/// Every minute until `shutdown` changes, forgets rate-limit keys that have fully refilled, so
/// the in-memory limiters stay as small as the traffic of the last hour.
pub async fn prune_rate_limits(
    services: domain::Services,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let remembered = services.rate_limits.forget_idle_keys();
                tracing::debug!(remembered, "rate-limit keys pruned");
            }
            _ = shutdown.changed() => break,
        }
    }
}

/// Validates and imports the content folder, logging what changed.
pub async fn import_content(
    services: &domain::Services,
    dir: &Path,
) -> Result<ImportReport, ImportError> {
    let report = content::import(services, dir).await?;
    tracing::info!(
        created = report.created,
        updated = report.updated,
        unchanged = report.unchanged,
        "content imported"
    );
    Ok(report)
}

/// Runs the web server until a shutdown signal, then drains requests and closes the database.
pub async fn serve(config: Config) -> Result<(), StartupError> {
    let manifest = AssetManifest::load(&config.site_dir)?;
    let mailer = mailer(&config)?;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartupError::Listen {
            addr: config.addr.to_string(),
            source,
        })?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartupError::Listen {
            addr: config.addr.to_string(),
            source,
        })?;
    let config = config.with_bound_addr(addr);
    // Held while serving, so `ohnet restore` never replaces the database under this server.
    let _serving = domain::backup::hold_for_serving(&config.database_url)?;
    let services = open_services(&config, SearchIndexUse::OnDisk).await?;
    // Nodes starting together on one database import in turn: the second finds the content
    // already there instead of inserting it again.
    let turn = domain::db::StartTurn::take(services.db()).await?;
    let imported = import_content(&services, &config.content_dir).await;
    turn.end().await?;
    match imported {
        Ok(_) => {}
        Err(ImportError::Invalid(errors)) => {
            for error in &errors.0 {
                tracing::error!(%error, "content not imported; the previous revision stays live");
            }
        }
        Err(other) => return Err(other.into()),
    }
    // Builds the index when it is new, or brings it up to date with changes made while this
    // node was stopped.
    let caught_up = services.search.catch_up().await?;
    tracing::info!(?caught_up, "search index ready");
    let (stop_background, background_stopped) = tokio::sync::watch::channel(false);
    let runner = tokio::spawn(run_job_runner(
        services.clone(),
        mailer,
        config.base_url.clone(),
        config.job_lease,
        background_stopped.clone(),
    ));
    let pruner = tokio::spawn(prune_rate_limits(
        services.clone(),
        background_stopped.clone(),
    ));
    let cache_follower = tokio::spawn({
        let services = services.clone();
        let stopped = background_stopped.clone();
        async move {
            services
                .node_cache
                .follow_changes(services.db(), stopped)
                .await
        }
    });
    let follower = tokio::spawn({
        let services = services.clone();
        async move { services.search.follow_changes(background_stopped).await }
    });
    tracing::info!(%addr, base_url = %config.base_url, "ohnet is listening");
    let app = router::build(AppState::new(config, services.clone(), manifest));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|source| StartupError::Listen {
        addr: addr.to_string(),
        source,
    })?;
    tracing::info!("requests drained; stopping the job runner");
    let _ = stop_background.send(true);
    for (task, name) in [
        (runner, "job runner"),
        (pruner, "rate-limit pruner"),
        (follower, "search index follower"),
        (cache_follower, "node cache follower"),
    ] {
        if let Err(err) = task.await {
            tracing::warn!(%err, task = name, "background task ended abnormally");
        }
    }
    tracing::info!("closing the database");
    if let Err(err) = services.db().clone().close().await {
        tracing::warn!(%err, "closing the database failed");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received; shutting down"),
        () = terminate => tracing::info!("SIGTERM received; shutting down"),
    }
}
