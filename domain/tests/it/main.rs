//! The domain's integration tests, in one binary (one link of the dependency tree), each
//! against a real SQLite file with the migrations applied.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

mod accounts;
mod backup;
mod content_import;
mod content_modules;
mod forum_following;
mod forum_restructuring;
mod forums;
mod jobs;
mod learning;
mod module_review;
mod module_validation;
