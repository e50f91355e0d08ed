//! The `ohnet` command line: serve the site (default), migrate the database, check or import
//! the authored content, back the database up and restore it.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use domain::content::{self, ImportError};
use server::config::{Config, ConfigArgs};
use server::startup::{self, SearchIndexUse};

/// mimalloc rather than glibc's malloc: rendering a page allocates many small strings across
/// threads, where glibc's arenas spent a fifth of the serving path (see the README's speed
/// section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// ohnet: the online home of the police Occupational Health practitioner network.
#[derive(Debug, Parser)]
#[command(name = "ohnet", version, about)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (the default): migrates the database and imports content first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Validate the content folder and import what changed; pages import only if every page
    /// is valid, and each module only if it is valid (a broken one keeps its last revision).
    ImportContent,
    /// Write the live modules and library documents (including edits made in the app) back
    /// out as Markdown files under `<dir>/modules/` and `<dir>/library/`, so they can be
    /// reviewed and committed.
    ExportContent {
        /// Folder to write to [default: the content folder]
        #[arg(long)]
        to: Option<std::path::PathBuf>,
    },
    /// Validate the content folder without touching the database; prints `path:line: message`
    /// for every problem.
    CheckContent,
    /// Write a consistent copy of the SQLite database to a new file while the site keeps
    /// serving (files kept in the database are in it; an object store is backed up by its own
    /// versioning).
    Backup {
        /// The backup file to create (an existing file is never overwritten).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Replace the SQLite database with a backup, after checking it. Stop every server on the
    /// database first; the replaced database is kept beside it with a timestamp.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Rebuild this node's search index from the database, showing progress. Stop the node
    /// first (it holds the index while it serves); it is rebuilt by itself when missing or
    /// from an older version, so this is for an index suspected of being wrong.
    Reindex,
    /// Move every stored file (lesson media, library attachments, CPD evidence) into the
    /// object store OHNET_FILE_STORE names, or with --into-database back out of it. The site
    /// keeps serving; an interrupted move can be run again.
    MoveFiles {
        /// Move the files out of the object store into the database instead.
        #[arg(long)]
        into_database: bool,
    },
    /// Create the first administrator (or make an existing account one). The password comes
    /// from OHNET_ADMIN_PASSWORD, or is asked for without echo.
    CreateAdmin {
        /// The administrator's email address.
        #[arg(long)]
        email: String,
        /// The administrator's name.
        #[arg(long)]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_args(cli.config) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("ohnet: configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    // Held until `main` returns, so the log lines still queued are written out.
    let _log_writer = server::telemetry::init(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("ohnet: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli.command.unwrap_or(Command::Serve), config))
}

async fn run(command: Command, config: Config) -> ExitCode {
    match command {
        Command::Serve => report(startup::serve(config).await),
        Command::Migrate => report(
            startup::open_services(&config, SearchIndexUse::InMemory)
                .await
                .map(|_| {
                    println!("database is up to date");
                }),
        ),
        Command::CheckContent => match content::load(&config.content_dir) {
            Ok(set) => {
                println!(
                    "content is valid: {} pages, {} modules",
                    set.pages.len(),
                    set.modules.len()
                );
                ExitCode::SUCCESS
            }
            Err(errors) => {
                eprintln!("{errors}");
                eprintln!("ohnet: {} problem(s) in the content", errors.0.len());
                ExitCode::FAILURE
            }
        },
        Command::Backup { to } => {
            let db = match domain::db::connect(&config.database_url).await {
                Ok(db) => db,
                Err(err) => return report::<()>(Err(err.into())),
            };
            match domain::backup::backup(&db, &to).await {
                Ok(summary) => {
                    println!(
                        "backup written to {} ({} bytes, {} tables, schema {})",
                        summary.path.display(),
                        summary.bytes,
                        summary.tables,
                        summary.migration
                    );
                    if let domain::files::FileStore::Objects(_) = config.files {
                        println!(
                            "files stored in {} are not in this backup: keep that bucket's \
                             versioning on (see the README)",
                            config.files.describe()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => report::<()>(Err(err.into())),
            }
        }
        Command::Restore { from } => {
            match domain::backup::restore(&config.database_url, &from).await {
                Ok(summary) => {
                    println!(
                        "restored {} (schema {}); start ohnet to serve it",
                        summary.restored.path.display(),
                        summary.restored.migration
                    );
                    if let Some(previous) = summary.previous {
                        println!("the replaced database is kept at {}", previous.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => report::<()>(Err(err.into())),
            }
        }
        Command::MoveFiles { into_database } => {
            if let domain::files::FileStore::Database = config.files {
                eprintln!(
                    "ohnet: OHNET_FILE_STORE names no object store (s3://bucket/prefix) to move \
                     files into or out of"
                );
                return ExitCode::from(2);
            }
            let db = match domain::db::connect(&config.database_url).await {
                Ok(db) => db,
                Err(err) => return report::<()>(Err(err.into())),
            };
            if let Err(err) = domain::db::migrate(&db).await {
                return report::<()>(Err(err.into()));
            }
            let to = if into_database {
                domain::files::MoveTo::Database
            } else {
                domain::files::MoveTo::ObjectStore
            };
            match domain::files::move_files(&db, &config.files, to).await {
                Ok(moved) => {
                    println!(
                        "{} files ({} bytes) moved {} {}",
                        moved.moved,
                        moved.bytes,
                        if into_database { "out of" } else { "into" },
                        config.files.describe()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => report::<()>(Err(err.into())),
            }
        }
        Command::CreateAdmin { email, name } => {
            let password = match std::env::var("OHNET_ADMIN_PASSWORD") {
                Ok(password) if !password.is_empty() => password,
                _ => match rpassword::prompt_password("Password for the administrator: ") {
                    Ok(password) => password,
                    Err(err) => {
                        eprintln!("ohnet: cannot read the password: {err}");
                        return ExitCode::FAILURE;
                    }
                },
            };
            let services = match startup::open_services(&config, SearchIndexUse::InMemory).await {
                Ok(services) => services,
                Err(err) => return report::<()>(Err(err)),
            };
            match services
                .accounts
                .create_admin(&email, &name, &password)
                .await
            {
                Ok(id) => {
                    println!(
                        "administrator {email} is ready (user {id}); sign in at {}/sign-in",
                        config.base_url
                    );
                    ExitCode::SUCCESS
                }
                Err(domain::Error::InvalidFields(problems)) => {
                    for problem in problems {
                        eprintln!("ohnet: {}: {}", problem.field, problem.message);
                    }
                    ExitCode::from(2)
                }
                Err(err) => report::<()>(Err(err.into())),
            }
        }
        Command::ExportContent { to } => {
            let services = match startup::open_services(&config, SearchIndexUse::InMemory).await {
                Ok(services) => services,
                Err(err) => return report::<()>(Err(err)),
            };
            let dir = to.unwrap_or_else(|| config.content_dir.clone());
            let exported = match services.learning.export(&dir).await {
                Ok(modules) => services
                    .library
                    .export(&dir)
                    .await
                    .map(|documents| (modules, documents)),
                Err(err) => Err(err),
            };
            match exported {
                Ok((modules, documents)) => {
                    println!(
                        "{modules} modules written to {} and {documents} documents to {}",
                        dir.join("modules").display(),
                        dir.join("library").display()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => report::<()>(Err(err.into())),
            }
        }
        Command::Reindex => {
            let services = match startup::open_services(&config, SearchIndexUse::OnDisk).await {
                Ok(services) => services,
                Err(err) => return report::<()>(Err(err)),
            };
            let bar = indicatif::ProgressBar::new(0).with_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} {wide_bar} {pos}/{len} items ({eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message("indexing");
            let result = services
                .search
                .rebuild(&mut |progress| {
                    bar.set_length(progress.total);
                    bar.set_position(progress.done);
                })
                .await;
            bar.finish_and_clear();
            match result {
                Ok(items) => {
                    println!(
                        "search index rebuilt: {items} items in {}",
                        config.data_dir.join("search-index").display()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => report::<()>(Err(err.into())),
            }
        }
        Command::ImportContent => {
            let services = match startup::open_services(&config, SearchIndexUse::InMemory).await {
                Ok(services) => services,
                Err(err) => return report::<()>(Err(err)),
            };
            match startup::import_content(&services, &config.content_dir).await {
                Ok(summary) => {
                    println!(
                        "content imported: {} created, {} updated, {} unchanged",
                        summary.created, summary.updated, summary.unchanged
                    );
                    ExitCode::SUCCESS
                }
                Err(ImportError::Invalid(errors)) => {
                    eprintln!("{errors}");
                    eprintln!(
                        "ohnet: {} problem(s) in the content; nothing was imported",
                        errors.0.len()
                    );
                    ExitCode::FAILURE
                }
                Err(err) => report::<()>(Err(err.into())),
            }
        }
    }
}

fn report<T>(result: Result<T, startup::StartupError>) -> ExitCode {
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ohnet: {err}");
            ExitCode::FAILURE
        }
    }
}
