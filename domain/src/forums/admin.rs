//! Administering the forums: administrators create forums, rename and describe them, set their
//! order, choose who may read and who may post (every approved member, or chosen groups), and
//! archive them (an archived forum leaves the list and takes no posts; nothing is deleted).
//! The list shows settings only, never a private forum's topics or counts.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::entities::forum;
use super::{ForumService, POSTERS, READERS, RESERVED_FORUM_SLUGS, origin_ip};
use crate::access::{self, Audience, Permission};
use crate::accounts::{Actor, RequestOrigin};
use crate::content::{GROUPS, is_slug};
use crate::{Error, FieldError, Result, audit};

/// A forum's settings as typed by an administrator.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForumSettingsDraft {
    /// URL slug (only when creating).
    pub slug: String,
    /// Name.
    pub name: String,
    /// One sentence for the list of forums.
    pub description: String,
    /// Order in the list (a whole number).
    pub position: String,
    /// Groups that may read; empty for every approved member.
    pub readers: Vec<String>,
    /// Groups that may post; empty for everyone who may read.
    pub posters: Vec<String>,
}

/// A forum as an administrator sees it in the settings list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForumAdminView {
    /// Slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Order.
    pub position: i32,
    /// Groups that may read (empty: every approved member).
    pub readers: Vec<String>,
    /// Groups that may post (empty: every reader).
    pub posters: Vec<String>,
    /// Archived.
    pub archived: bool,
}

impl ForumService {
    /// Every forum's settings, archived ones included. Administrators only.
    pub async fn forum_settings(&self, actor: &Actor) -> Result<Vec<ForumAdminView>> {
        actor.allows(Permission::Administer)?;
        let rows = forum::Entity::find()
            .order_by_asc(forum::Column::Position)
            .order_by_asc(forum::Column::Id)
            .all(&self.db)
            .await?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            views.push(ForumAdminView {
                readers: access::stored_groups(&self.db, READERS, row.id).await?,
                posters: access::stored_groups(&self.db, POSTERS, row.id).await?,
                slug: row.slug,
                name: row.name,
                description: row.description,
                position: row.position,
                archived: row.archived_at.is_some(),
            });
        }
        Ok(views)
    }

    /// Creates a forum; answers its slug.
    pub async fn create_forum(
        &self,
        actor: &Actor,
        draft: &ForumSettingsDraft,
        origin: &RequestOrigin,
    ) -> Result<String> {
        actor.allows(Permission::Administer)?;
        let slug = draft.slug.trim().to_lowercase();
        let mut problems = Vec::new();
        if !is_slug(&slug) || RESERVED_FORUM_SLUGS.contains(&slug.as_str()) {
            problems.push(FieldError::new(
                "slug",
                "Use lowercase letters, digits and hyphens, like oh-nurses (not posts, new, moderation or approval)",
            ));
        } else if forum::Entity::find()
            .filter(forum::Column::Slug.eq(&slug))
            .one(&self.db)
            .await?
            .is_some()
        {
            problems.push(FieldError::new("slug", "A forum already has that address"));
        }
        let settings = checked(draft, problems)?;
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let created = forum::ActiveModel {
            slug: Set(slug.clone()),
            name: Set(settings.name.clone()),
            description: Set(settings.description.clone()),
            position: Set(settings.position),
            audience: Set(settings.readers.kind().to_owned()),
            post_audience: Set(settings.posters.kind().to_owned()),
            moderator_group: Set(settings.moderator_group()),
            archived_at: Set(None),
            topic_count: Set(0),
            post_count: Set(0),
            last_post_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        access::store_groups(&txn, READERS, created.id, &settings.readers).await?;
        access::store_groups(&txn, POSTERS, created.id, &settings.posters).await?;
        let target = format!("forum {slug}");
        audit::record(
            &txn,
            actor,
            "forum.create",
            &target,
            &settings.summary(),
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(slug)
    }

    /// Changes forum `slug`'s name, description, order and audiences.
    pub async fn update_forum(
        &self,
        actor: &Actor,
        slug: &str,
        draft: &ForumSettingsDraft,
        origin: &RequestOrigin,
    ) -> Result<()> {
        actor.allows(Permission::Administer)?;
        let found = self.forum_by_slug(slug).await?;
        let settings = checked(draft, Vec::new())?;
        let txn = self.db.begin().await?;
        let id = found.id;
        let mut row = forum::ActiveModel::from(found);
        row.name = Set(settings.name.clone());
        row.description = Set(settings.description.clone());
        row.position = Set(settings.position);
        row.audience = Set(settings.readers.kind().to_owned());
        row.post_audience = Set(settings.posters.kind().to_owned());
        row.moderator_group = Set(settings.moderator_group());
        row.update(&txn).await?;
        access::store_groups(&txn, READERS, id, &settings.readers).await?;
        access::store_groups(&txn, POSTERS, id, &settings.posters).await?;
        let target = format!("forum {slug}");
        audit::record(
            &txn,
            actor,
            "forum.settings",
            &target,
            &settings.summary(),
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Archives forum `slug` (or, with `archived = false`, brings it back).
    pub async fn set_forum_archived(
        &self,
        actor: &Actor,
        slug: &str,
        archived: bool,
        origin: &RequestOrigin,
    ) -> Result<()> {
        actor.allows(Permission::Administer)?;
        let found = self.forum_by_slug(slug).await?;
        let txn = self.db.begin().await?;
        let mut row = forum::ActiveModel::from(found);
        row.archived_at = Set(archived.then(Utc::now));
        row.update(&txn).await?;
        let action = if archived {
            "forum.archive"
        } else {
            "forum.unarchive"
        };
        audit::record(
            &txn,
            actor,
            action,
            &format!("forum {slug}"),
            "",
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    async fn forum_by_slug(&self, slug: &str) -> Result<forum::Model> {
        forum::Entity::find()
            .filter(forum::Column::Slug.eq(slug))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)
    }
}

/// Validated settings.
struct Checked {
    name: String,
    description: String,
    position: i32,
    readers: Audience,
    posters: Audience,
}

impl Checked {
    /// The group whose scoped moderators moderate the forum: its first reading group, if any.
    fn moderator_group(&self) -> Option<String> {
        match &self.readers {
            Audience::Groups(groups) => groups.first().cloned(),
            _ => None,
        }
    }

    /// Who reads and posts, for the audit log.
    fn summary(&self) -> String {
        let describe = |audience: &Audience| match audience {
            Audience::Groups(groups) => groups.join(", "),
            _ => "all members".to_owned(),
        };
        format!(
            "read: {}; post: {}",
            describe(&self.readers),
            describe(&self.posters)
        )
    }
}

/// Checks every field at once; `problems` already found are reported with the rest.
fn checked(draft: &ForumSettingsDraft, mut problems: Vec<FieldError>) -> Result<Checked> {
    let name = draft.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 80 {
        problems.push(FieldError::new(
            "name",
            "Enter a name of up to 80 characters",
        ));
    }
    let description = draft.description.trim().to_owned();
    if description.is_empty() || description.chars().count() > 300 {
        problems.push(FieldError::new(
            "description",
            "Enter a description of up to 300 characters",
        ));
    }
    let position = draft
        .position
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (0..=1000).contains(n));
    if position.is_none() {
        problems.push(FieldError::new(
            "position",
            "Enter a whole number from 0 to 1000",
        ));
    }
    let groups_of = |field: &str, groups: &[String], problems: &mut Vec<FieldError>| {
        if groups.iter().any(|group| !GROUPS.contains(&group.as_str())) {
            problems.push(FieldError::new(field, "Choose groups from the list"));
        }
        if groups.is_empty() {
            Audience::Members
        } else {
            Audience::Groups(groups.to_vec())
        }
    };
    let readers = groups_of("readers", &draft.readers, &mut problems);
    let posters = if draft.posters.is_empty() {
        readers.clone()
    } else {
        groups_of("posters", &draft.posters, &mut problems)
    };
    if let (Audience::Groups(read), Audience::Groups(post)) = (&readers, &posters)
        && post.iter().any(|group| !read.contains(group))
    {
        problems.push(FieldError::new(
            "posters",
            "Only groups that can read the forum can post in it",
        ));
    }
    match (position, problems.is_empty()) {
        (Some(position), true) => Ok(Checked {
            name,
            description,
            position,
            readers,
            posters,
        }),
        _ => Err(Error::InvalidFields(problems)),
    }
}
