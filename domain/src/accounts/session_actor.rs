//! The [`Actor`] behind a session token in one SQL statement: the session, its account and the
//! account's approved groups are read together (one row per group), because every signed-in
//! request asks. Nothing is cached, so signing out, suspension and group changes apply to the
//! very next request.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Order, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter};

use super::entities::{group, session, user, user_group};
use super::{Actor, GROUP_MEMBER, Member, MemberStatus, Role, tokens};
use crate::{Error, Result};

/// How stale `sessions.last_seen_at` may get before a request refreshes it.
const LAST_SEEN_RESOLUTION_MINUTES: i64 = 10;

/// One row of the lookup: the session and account, and one approved group (if any).
#[derive(Debug, FromQueryResult)]
struct SessionMemberRow {
    session_id: i32,
    last_seen_at: DateTime<Utc>,
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

/// The member signed in with `token`, or [`Actor::Anonymous`] when the session is unknown or
/// expired, or the account may not be signed in. Refreshes the session's last-seen time at most
/// every ten minutes.
pub(super) async fn actor_for_session(db: &DatabaseConnection, token: &str) -> Result<Actor> {
    let now = Utc::now();
    let query = Query::select()
        .expr_as(
            Expr::col((session::Entity, session::Column::Id)),
            Alias::new("session_id"),
        )
        .column((session::Entity, session::Column::LastSeenAt))
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
        .from(session::Entity)
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((session::Entity, session::Column::UserId)),
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
        )
        .and_where(
            Expr::col((session::Entity, session::Column::TokenHash)).eq(tokens::token_hash(token)),
        )
        .and_where(Expr::col((session::Entity, session::Column::ExpiresAt)).gt(now))
        .order_by((group::Entity, group::Column::Id), Order::Asc)
        .to_owned();
    let rows = SessionMemberRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    let Some(first) = rows.first() else {
        return Ok(Actor::Anonymous);
    };
    let Some(status) = MemberStatus::parse(&first.status)
        .filter(|status| matches!(status, MemberStatus::Pending | MemberStatus::Active))
    else {
        return Ok(Actor::Anonymous);
    };
    let role =
        Role::parse(&first.role).ok_or_else(|| Error::Internal("unknown role".to_owned()))?;
    if now - first.last_seen_at > Duration::minutes(LAST_SEEN_RESOLUTION_MINUTES) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(first.session_id))
            .exec(db)
            .await?;
    }
    let groups = rows
        .iter()
        .filter_map(|row| row.group_slug.clone())
        .collect();
    Ok(Actor::Member(Member {
        id: first.user_id,
        name: first.name.clone(),
        email: first.email.clone(),
        role,
        status,
        groups,
        moderates: first.moderates_group.clone(),
        organisation: Some(first.organisation.clone()).filter(|org| !org.is_empty()),
        grants: first
            .grants
            .split(',')
            .filter_map(crate::access::Grant::parse)
            .collect(),
    }))
}
