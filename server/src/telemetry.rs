//! Structured logging with `tracing`: text or JSON lines on stderr, one line per completed
//! request (from the router's trace layer) plus whatever else is logged. Lines are formatted on
//! the request's thread and written by a background thread (`tracing-appender`'s non-blocking
//! writer), through a buffer that is flushed whenever the queue runs dry, so a busy server
//! writes many lines per system call and a request never waits for the terminal or the log
//! collector.

use std::io::BufWriter;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

use crate::config::{Config, LogFormat};

/// Installs the global log subscriber. Keep the returned guard until the process ends:
/// dropping it writes out the lines still queued.
pub fn init(config: &Config) -> WorkerGuard {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    // Not lossy: when the queue is full, logging waits rather than dropping lines.
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("ohnet-log")
        .finish(BufWriter::new(std::io::stderr()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let installed = match config.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    if let Err(err) = installed {
        eprintln!("logging was already set up: {err}");
    }
    guard
}
