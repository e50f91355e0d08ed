//! The ohnet database schema as an ordered list of sea-orm migrations; a landed migration is never edited.

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

mod m20261125_000001_create_pages;
mod m20261125_000002_create_accounts;
mod m20261125_000003_account_settings;
mod m20261125_000004_create_learning;
mod m20261203_000001_create_jobs;
mod m20261203_000002_audiences_and_grants;
mod m20261203_000003_create_forums;
mod m20261203_000004_forum_reports;
mod m20261203_000005_forum_following;
mod m20261203_000006_member_handles;
mod m20261203_000007_forum_feeds;
mod m20261204_000009_lesson_outline_index;
mod m20261204_000010_forum_restructuring;
mod m20261204_000011_account_attempts;
mod m20261204_000012_module_governance;
mod m20261204_000013_change_log;
mod m20261204_000014_library;
mod m20261204_000015_library_publishing;
mod m20261204_000016_library_attachments;
mod m20261205_000017_cpd_log;
mod m20261206_000018_revalidation;
mod m20261207_000019_attachment_text;
mod m20261208_000020_object_keys;
mod m20261209_000021_node_cache_changes;

/// Every schema change, in the order it is applied.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_pages::Migration),
            Box::new(m20261125_000002_create_accounts::Migration),
            Box::new(m20261125_000003_account_settings::Migration),
            Box::new(m20261125_000004_create_learning::Migration),
            Box::new(m20261203_000001_create_jobs::Migration),
            Box::new(m20261203_000002_audiences_and_grants::Migration),
            Box::new(m20261203_000003_create_forums::Migration),
            Box::new(m20261203_000004_forum_reports::Migration),
            Box::new(m20261203_000005_forum_following::Migration),
            Box::new(m20261203_000006_member_handles::Migration),
            Box::new(m20261203_000007_forum_feeds::Migration),
            Box::new(m20261204_000009_lesson_outline_index::Migration),
            Box::new(m20261204_000010_forum_restructuring::Migration),
            Box::new(m20261204_000011_account_attempts::Migration),
            Box::new(m20261204_000012_module_governance::Migration),
            Box::new(m20261204_000013_change_log::Migration),
            Box::new(m20261204_000014_library::Migration),
            Box::new(m20261204_000015_library_publishing::Migration),
            Box::new(m20261204_000016_library_attachments::Migration),
            Box::new(m20261205_000017_cpd_log::Migration),
            Box::new(m20261206_000018_revalidation::Migration),
            Box::new(m20261207_000019_attachment_text::Migration),
            Box::new(m20261208_000020_object_keys::Migration),
            Box::new(m20261209_000021_node_cache_changes::Migration),
        ]
    }
}
