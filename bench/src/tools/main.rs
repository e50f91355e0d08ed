//! `bench-tools`: the `./x bench` steps that link ohnet's domain, one binary so that the build
//! links the domain once.
//!
//! - `bench-tools generate` fills a migrated database with the serving rows' data set
//!   (see `data.rs`);
//! - `bench-tools search` measures ohnet's search beside SQLite FTS5 (see `search.rs`).

mod data;
mod search;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "generate" => data::run().await,
        "search" => search::run().await,
        _ => {
            eprintln!("usage: bench-tools generate | bench-tools search");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench-tools {command}: {err}");
            ExitCode::FAILURE
        }
    }
}
