//! The signed-in session behind a token in one SQL statement: the session, its account and the
//! account's approved groups are read together (one row per group), because every signed-in
//! request asks. [`crate::node_cache`] keeps what this finds; its follower forgets an entry
//! when the change log says the account, its groups or its sessions changed.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Order, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter};

use super::entities::{group, session, user, user_group};
use super::{Actor, GROUP_MEMBER, Member, MemberStatus, Role};
use crate::node_cache::CachedSession;
use crate::{Error, Result};

/// How stale `sessions.last_seen_at` may get before a request refreshes it.
pub(super) const LAST_SEEN_RESOLUTION: Duration = Duration::minutes(10);

/// The account's columns and one approved group (if any).
#[derive(Debug, FromQueryResult)]
struct AccountRow {
    user_id: i32,
    name: String,
    email: String,
    role: String,
    status: String,
    moderates_group: Option<String>,
    organisation: String,
    grants: String,
    group_slug: Option<String>,
}

/// One row of the session lookup: the session, and the account with one group.
#[derive(Debug, FromQueryResult)]
struct SessionMemberRow {
    session_id: i32,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    #[sea_orm(nested)]
    account: AccountRow,
}

/// One row of the recipients lookup: the account with one group, and its email choice.
#[derive(Debug, FromQueryResult)]
struct RecipientRow {
    forum_email: String,
    #[sea_orm(nested)]
    account: AccountRow,
}

/// The session whose token hashes to `token_hash`, with its member, or `None` when the session
/// is unknown or expired at `now`, or the account may not be signed in.
pub(super) async fn signed_in_session(
    db: &DatabaseConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<CachedSession>> {
    let mut query = with_account_and_groups(
        Query::select()
            .expr_as(
                Expr::col((session::Entity, session::Column::Id)),
                Alias::new("session_id"),
            )
            .column((session::Entity, session::Column::LastSeenAt))
            .column((session::Entity, session::Column::ExpiresAt))
            .from(session::Entity)
            .inner_join(
                user::Entity,
                Expr::col((user::Entity, user::Column::Id))
                    .equals((session::Entity, session::Column::UserId)),
            )
            .to_owned(),
    );
    query
        .and_where(Expr::col((session::Entity, session::Column::TokenHash)).eq(token_hash))
        .and_where(Expr::col((session::Entity, session::Column::ExpiresAt)).gt(now))
        .order_by((group::Entity, group::Column::Id), Order::Asc);
    let rows = SessionMemberRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let member = member_of(&first.account, rows.iter().map(|row| &row.account))?;
    Ok(member.map(|member| CachedSession {
        session_id: first.session_id,
        member,
        last_seen_at: first.last_seen_at,
        expires_at: first.expires_at,
    }))
}

/// Records that session `session_id` was seen at `now`.
pub(super) async fn refresh_last_seen(
    db: &DatabaseConnection,
    session_id: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .filter(session::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A member found by id, with what their email choices need.
#[derive(Clone, Debug)]
pub(crate) struct Recipient {
    /// The member, with their role and groups, as a request of theirs would see them.
    pub actor: Actor,
    /// Their forum email choice (stored form).
    pub forum_email: String,
}

/// The approved, open accounts among `ids`, each with their groups, in one statement: for
/// deciding what each may read when something is sent to them rather than asked for.
pub(crate) async fn approved_members(
    db: &impl sea_orm::ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<Recipient>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = with_account_and_groups(
        Query::select()
            .column((user::Entity, user::Column::ForumEmail))
            .from(user::Entity)
            .to_owned(),
    );
    query
        .and_where(Expr::col((user::Entity, user::Column::Id)).is_in(ids.iter().copied()))
        .and_where(
            Expr::col((user::Entity, user::Column::Status)).eq(MemberStatus::Active.as_str()),
        )
        .and_where(Expr::col((user::Entity, user::Column::ClosedAt)).is_null())
        .order_by((user::Entity, user::Column::Id), Order::Asc)
        .order_by((group::Entity, group::Column::Id), Order::Asc);
    let rows = RecipientRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    let mut recipients = Vec::new();
    for chunk in rows.chunk_by(|a, b| a.account.user_id == b.account.user_id) {
        let Some(first) = chunk.first() else { continue };
        if let Some(member) = member_of(&first.account, chunk.iter().map(|row| &row.account))? {
            recipients.push(Recipient {
                actor: Actor::Member(member),
                forum_email: first.forum_email.clone(),
            });
        }
    }
    Ok(recipients)
}

/// Adds the account's columns and its approved groups (one row per group) to `query`, which
/// selects from or joins `users`.
fn with_account_and_groups(
    mut query: sea_orm::sea_query::SelectStatement,
) -> sea_orm::sea_query::SelectStatement {
    query
        .expr_as(
            Expr::col((user::Entity, user::Column::Id)),
            Alias::new("user_id"),
        )
        .columns([
            (user::Entity, user::Column::Name),
            (user::Entity, user::Column::Email),
            (user::Entity, user::Column::Role),
            (user::Entity, user::Column::Status),
            (user::Entity, user::Column::ModeratesGroup),
            (user::Entity, user::Column::Organisation),
            (user::Entity, user::Column::Grants),
        ])
        .expr_as(
            Expr::col((group::Entity, group::Column::Slug)),
            Alias::new("group_slug"),
        )
        .left_join(
            user_group::Entity,
            Condition::all()
                .add(
                    Expr::col((user_group::Entity, user_group::Column::UserId))
                        .equals((user::Entity, user::Column::Id)),
                )
                .add(Expr::col((user_group::Entity, user_group::Column::Status)).eq(GROUP_MEMBER)),
        )
        .left_join(
            group::Entity,
            Expr::col((group::Entity, group::Column::Id))
                .equals((user_group::Entity, user_group::Column::GroupId)),
        );
    query
}

/// The member in `first`, with the groups of every row, if the account may act (an applicant
/// or an approved member).
fn member_of<'a>(
    first: &AccountRow,
    rows: impl Iterator<Item = &'a AccountRow>,
) -> Result<Option<Member>> {
    let Some(status) = MemberStatus::parse(&first.status)
        .filter(|status| matches!(status, MemberStatus::Pending | MemberStatus::Active))
    else {
        return Ok(None);
    };
    let role =
        Role::parse(&first.role).ok_or_else(|| Error::Internal("unknown role".to_owned()))?;
    Ok(Some(Member {
        id: first.user_id,
        name: first.name.clone(),
        email: first.email.clone(),
        role,
        status,
        groups: rows.filter_map(|row| row.group_slug.clone()).collect(),
        moderates: first.moderates_group.clone(),
        organisation: Some(first.organisation.clone()).filter(|org| !org.is_empty()),
        grants: first
            .grants
            .split(',')
            .filter_map(crate::access::Grant::parse)
            .collect(),
    }))
}
