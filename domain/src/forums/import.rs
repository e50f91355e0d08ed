//! Seeding the forums from `content/forums/<slug>.md`: each file names a forum (its name,
//! description, order and audience) and holds its pinned welcome topic. A forum is created
//! once; after that administrators own it in the app, so re-importing changes nothing.

use std::path::Path;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use serde::Deserialize;

use super::entities::forum;
use super::posting::{count_in_forum, insert_site_post, new_topic};
use super::{ForumService, POSTERS, READERS, RESERVED_FORUM_SLUGS};
use crate::Result;
use crate::access::{self, Audience};
use crate::content::front_matter::{Document, parse_document};
use crate::content::{ContentError, ImportReport, is_slug, parse_audience, sorted_markdown_files};

/// Front matter of `content/forums/<slug>.md`, between `+++` lines; the body is the welcome
/// post.
///
/// ```toml
/// +++
/// name = "OH managers"
/// description = "Running and developing OH services."
/// position = 2
/// audience = ["members"]
/// welcome_title = "Welcome to the OH managers forum"
/// +++
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForumFrontMatter {
    /// The forum's name. Required.
    pub name: toml::Spanned<String>,
    /// One sentence shown under the name in the list of forums. Required.
    pub description: toml::Spanned<String>,
    /// Its place in the list (smaller first). Required.
    pub position: i32,
    /// Who may read and post: `["members"]` (every approved member) or groups (`["cmo"]`).
    /// Required: a forum is never public.
    pub audience: toml::Spanned<Vec<toml::Spanned<String>>>,
    /// The pinned welcome topic's title. Required.
    pub welcome_title: toml::Spanned<String>,
}

/// A validated forum ready to seed.
#[derive(Clone, Debug)]
pub struct ForumSource {
    /// From the file name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Order.
    pub position: i32,
    /// Who reads and posts.
    pub audience: Audience,
    /// The welcome topic's title.
    pub welcome_title: String,
    /// The welcome post, in Markdown.
    pub welcome_body: String,
}

/// Reads and validates every forum under `dir/forums` (a missing folder is no forums).
pub fn load_forums(dir: &Path, errors: &mut Vec<ContentError>) -> Vec<ForumSource> {
    if !dir.join("forums").is_dir() {
        return Vec::new();
    }
    sorted_markdown_files(dir, "forums", errors)
        .iter()
        .filter_map(|path| load_forum(path, errors))
        .collect()
}

fn load_forum(path: &Path, errors: &mut Vec<ContentError>) -> Option<ForumSource> {
    let at = |line: usize, message: String| ContentError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let (text, slug) = crate::content::read_content_file(path, errors)?;
    let before = errors.len();
    if !is_slug(&slug) || RESERVED_FORUM_SLUGS.contains(&slug.as_str()) {
        errors.push(at(
            1,
            format!(
                "file name `{slug}` must be lowercase letters, digits and hyphens, and not one of {}",
                RESERVED_FORUM_SLUGS.join(", ")
            ),
        ));
    }
    let document: Document<ForumFrontMatter> = match parse_document(path, &text) {
        Ok(document) => document,
        Err(error) => {
            errors.push(error);
            return None;
        }
    };
    let front = &document.front;
    for (field, value) in [
        ("name", &front.name),
        ("description", &front.description),
        ("welcome_title", &front.welcome_title),
    ] {
        if value.get_ref().trim().is_empty() {
            errors.push(at(
                document.line_of(value.span().start),
                format!("`{field}` must not be blank"),
            ));
        }
    }
    if document.body.trim().is_empty() {
        errors.push(at(
            document.body_start_line(),
            "the welcome post (after the front matter) must not be empty".to_owned(),
        ));
    }
    let audience = parse_audience(
        Some(&front.audience),
        &|offset| document.line_of(offset),
        errors,
        &at,
    );
    if errors.len() > before {
        return None;
    }
    Some(ForumSource {
        slug,
        name: front.name.get_ref().trim().to_owned(),
        description: front.description.get_ref().trim().to_owned(),
        position: front.position,
        audience,
        welcome_title: front.welcome_title.get_ref().trim().to_owned(),
        welcome_body: document.body.trim().to_owned(),
    })
}

impl ForumService {
    /// Creates each forum in `sources` that does not exist yet, with its pinned welcome
    /// topic, in one transaction. Existing forums are left as administrators have them.
    pub async fn import(&self, sources: &[ForumSource]) -> Result<ImportReport> {
        let txn = self.db.begin().await?;
        let mut report = ImportReport::default();
        let now = Utc::now();
        for source in sources {
            let exists = forum::Entity::find()
                .filter(forum::Column::Slug.eq(&source.slug))
                .one(&txn)
                .await?
                .is_some();
            if exists {
                report.unchanged += 1;
                continue;
            }
            report.created += 1;
            let moderator_group = match &source.audience {
                Audience::Groups(groups) => groups.first().cloned(),
                _ => crate::content::GROUPS
                    .contains(&source.slug.as_str())
                    .then(|| source.slug.clone()),
            };
            let created = forum::ActiveModel {
                slug: Set(source.slug.clone()),
                name: Set(source.name.clone()),
                description: Set(source.description.clone()),
                position: Set(source.position),
                audience: Set(source.audience.kind().to_owned()),
                post_audience: Set(source.audience.kind().to_owned()),
                moderator_group: Set(moderator_group),
                archived_at: Set(None),
                topic_count: Set(0),
                post_count: Set(0),
                last_post_at: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            access::store_groups(&txn, READERS, created.id, &source.audience).await?;
            access::store_groups(&txn, POSTERS, created.id, &source.audience).await?;
            let mut welcome = new_topic(created.id, &source.welcome_title, "welcome", None, now);
            welcome.pinned = Set(true);
            let welcome = welcome.insert(&txn).await?;
            insert_site_post(&txn, welcome.id, &source.welcome_body, now).await?;
            count_in_forum(&txn, created.id, 1, 1, now).await?;
        }
        txn.commit().await?;
        Ok(report)
    }
}
