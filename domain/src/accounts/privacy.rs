//! The member's right of access and portability: everything held about them, as JSON
//! (closing the account, the right to erasure, is in `profile`).

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::entities::{group, session, user, user_group};
use super::{AccountService, Actor, directory};
use crate::{Error, Result};

impl AccountService {
    /// Everything held about the signed-in member, for "download my data" (UK GDPR right of
    /// access and portability).
    pub(crate) async fn export_data(&self, actor: &Actor) -> Result<serde_json::Value> {
        let member = actor.require_signed_in()?;
        let account = user::Entity::find_by_id(member.id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let groups = group::Entity::find().all(&self.db).await?;
        let memberships: Vec<serde_json::Value> = user_group::Entity::find()
            .filter(user_group::Column::UserId.eq(member.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                let name = groups
                    .iter()
                    .find(|group| group.id == row.group_id)
                    .map(|group| group.name.clone())
                    .unwrap_or_default();
                serde_json::json!({ "group": name, "status": row.status, "since": row.created_at })
            })
            .collect();
        let sessions: Vec<serde_json::Value> = session::Entity::find()
            .filter(session::Column::UserId.eq(member.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                serde_json::json!({
                    "signed_in_at": row.created_at,
                    "last_seen_at": row.last_seen_at,
                    "expires_at": row.expires_at,
                    "browser": row.user_agent,
                })
            })
            .collect();
        Ok(serde_json::json!({
            "exported_at": Utc::now(),
            "profile": {
                "name": account.name,
                "email": account.email,
                "profession": directory::label(&directory::PROFESSIONS, &account.profession),
                "organisation": directory::organisation_label(&account.organisation),
                "regulator": directory::label(&directory::REGULATORS, &account.regulator),
                "registration_number": account.registration_number,
                "status": account.status,
                "role": account.role,
                "applied_at": account.created_at,
                "email_confirmed_at": account.verified_at,
                "decided_at": account.decided_at,
            },
            "groups": memberships,
            "sessions": sessions,
        }))
    }
}
