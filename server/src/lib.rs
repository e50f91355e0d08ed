//! The ohnet server: configuration, the HTTP router with its security and operational layers,
//! and start-up (database, migrations, content import). `main.rs` is only the command line.

pub mod assets;
pub mod config;
pub mod health;
pub mod router;
pub mod startup;
pub mod telemetry;
pub mod web;
