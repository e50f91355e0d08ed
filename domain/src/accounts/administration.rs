//! What administrators do to members beyond deciding applications: find them, change their
//! role (and a moderator's group), manage their groups, and keep the list of email domains
//! whose applicants are approved automatically. Every change is audited.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use super::entities::{auto_approve_domain, group, user, user_group};
use super::{
    AccountService, GROUP_MEMBER, MemberStatus, RequestOrigin, Role, account_in, directory,
    member_target,
};
use crate::accounts::Actor;
use crate::{Error, FieldError, Result, audit};

/// How administrators narrow the member list; empty fields do not filter.
#[derive(Clone, Debug, Default)]
pub struct MemberFilter {
    /// Only members with this status.
    pub status: Option<MemberStatus>,
    /// Only members of (or applicants to) the group with this slug.
    pub group: Option<String>,
    /// Only members of this organisation (a force value, or `other`).
    pub organisation: Option<String>,
    /// Words that must appear in the name or email address.
    pub text: Option<String>,
}

/// An email domain whose applicants are approved once they confirm their address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedDomain {
    /// The domain, lowercase.
    pub domain: String,
    /// Who added it in the app; `None` for domains from configuration (not removable here).
    pub added_by: Option<String>,
    /// When it was added in the app.
    pub added_at: Option<DateTime<Utc>>,
}

/// A member as listed for administrators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberSummary {
    /// User id.
    pub id: i32,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Profession label.
    pub profession: String,
    /// Organisation label.
    pub organisation: String,
    /// Regulator label and registration number.
    pub registration: String,
    /// Status.
    pub status: MemberStatus,
    /// Role.
    pub role: Role,
    /// Groups requested or joined.
    pub groups: Vec<GroupMembership>,
    /// For a moderator scoped to one forum, that group's slug.
    pub moderates: Option<String>,
    /// When they applied.
    pub applied_at: DateTime<Utc>,
}

/// A member's place in a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMembership {
    /// Group slug.
    pub slug: String,
    /// Group name.
    pub name: String,
    /// Approved (`false`: requested).
    pub joined: bool,
}

impl AccountService {
    /// Members matching `filter`, newest applications first. Administrators only.
    pub async fn members(
        &self,
        actor: &Actor,
        filter: &MemberFilter,
    ) -> Result<Vec<MemberSummary>> {
        actor.require_role(Role::Administrator)?;
        let groups = group::Entity::find().all(&self.db).await?;
        let mut query = user::Entity::find().order_by_desc(user::Column::Id);
        if let Some(status) = filter.status {
            query = query.filter(user::Column::Status.eq(status.as_str()));
        }
        if let Some(organisation) = filter
            .organisation
            .as_deref()
            .filter(|text| !text.is_empty())
        {
            query = query.filter(user::Column::Organisation.eq(organisation));
        }
        for word in filter
            .text
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
        {
            let word = word.to_lowercase();
            query = query.filter(
                Condition::any()
                    .add(user::Column::Name.contains(&word))
                    .add(user::Column::Email.contains(&word)),
            );
        }
        if let Some(slug) = filter.group.as_deref().filter(|slug| !slug.is_empty()) {
            let Some(wanted) = groups.iter().find(|group| group.slug == slug) else {
                return Ok(Vec::new());
            };
            let ids: Vec<i32> = user_group::Entity::find()
                .filter(user_group::Column::GroupId.eq(wanted.id))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|row| row.user_id)
                .collect();
            query = query.filter(user::Column::Id.is_in(ids));
        }
        let rows = query.all(&self.db).await?;
        let memberships = user_group::Entity::find().all(&self.db).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let member_groups = memberships
                    .iter()
                    .filter(|membership| membership.user_id == row.id)
                    .filter_map(|membership| {
                        groups
                            .iter()
                            .find(|group| group.id == membership.group_id)
                            .map(|group| GroupMembership {
                                slug: group.slug.clone(),
                                name: group.name.clone(),
                                joined: membership.status == GROUP_MEMBER,
                            })
                    })
                    .collect();
                summary_of(row, member_groups)
            })
            .collect())
    }

    /// Changes an approved member's role; a moderator may be scoped to one group's forum
    /// (`moderates`: a group slug, or empty for every forum). Audited. Administrators only,
    /// and not their own role (so the last administrator cannot lock everyone out by mistake).
    pub async fn set_role(
        &self,
        actor: &Actor,
        user_id: i32,
        role: &str,
        moderates: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        let admin = actor.require_role(Role::Administrator)?;
        let role = Role::parse(role).ok_or_else(|| {
            Error::InvalidFields(vec![FieldError::new("role", "Select a role from the list")])
        })?;
        let moderates = match (role, moderates.trim()) {
            (Role::Moderator, slug) if !slug.is_empty() => {
                let known = self
                    .groups()
                    .await?
                    .into_iter()
                    .any(|group| group.slug == slug);
                if !known {
                    return Err(Error::InvalidFields(vec![FieldError::new(
                        "moderates",
                        "Select a forum from the list",
                    )]));
                }
                Some(slug.to_owned())
            }
            _ => None,
        };
        if admin.id == user_id {
            return Err(Error::Conflict(
                "You cannot change your own role".to_owned(),
            ));
        }
        let txn = self.db.begin().await?;
        let account = account_in(&txn, user_id, &[MemberStatus::Active]).await?;
        let (email, before) = (account.email.clone(), account.role.clone());
        let mut row = user::ActiveModel::from(account);
        row.role = Set(role.as_str().to_owned());
        row.moderates_group = Set(moderates.clone());
        row.update(&txn).await?;
        let scope = moderates
            .map(|slug| format!(" (forum: {slug})"))
            .unwrap_or_default();
        audit::record(
            &txn,
            actor,
            "member.role",
            &member_target(user_id, &email),
            &format!("{before} → {}{scope}", role.as_str()),
            origin.ip_text().as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Makes `slugs` exactly the groups an approved member belongs to: requests for those
    /// groups are granted, other memberships and requests removed. Audited. Administrators only.
    pub async fn set_groups(
        &self,
        actor: &Actor,
        user_id: i32,
        slugs: &[String],
        origin: &RequestOrigin,
    ) -> Result<()> {
        actor.require_role(Role::Administrator)?;
        let groups = group::Entity::find().all(&self.db).await?;
        let mut wanted = Vec::new();
        for slug in slugs {
            let group = groups
                .iter()
                .find(|group| &group.slug == slug)
                .ok_or_else(|| {
                    Error::InvalidFields(vec![FieldError::new(
                        "groups",
                        "Select groups from the list",
                    )])
                })?;
            wanted.push(group);
        }
        let txn = self.db.begin().await?;
        let account = account_in(&txn, user_id, &[MemberStatus::Active]).await?;
        let existing = user_group::Entity::find()
            .filter(user_group::Column::UserId.eq(user_id))
            .all(&txn)
            .await?;
        let now = Utc::now();
        let mut joined = Vec::new();
        let mut left = Vec::new();
        for group in &groups {
            let current = existing.iter().find(|row| row.group_id == group.id);
            let want = wanted.iter().any(|wanted| wanted.id == group.id);
            match (current, want) {
                (Some(row), true) if row.status != GROUP_MEMBER => {
                    let mut row = user_group::ActiveModel::from(row.clone());
                    row.status = Set(GROUP_MEMBER.to_owned());
                    row.update(&txn).await?;
                    joined.push(group.name.clone());
                }
                (None, true) => {
                    user_group::ActiveModel {
                        user_id: Set(user_id),
                        group_id: Set(group.id),
                        status: Set(GROUP_MEMBER.to_owned()),
                        created_at: Set(now),
                    }
                    .insert(&txn)
                    .await?;
                    joined.push(group.name.clone());
                }
                (Some(row), false) => {
                    user_group::Entity::delete_many()
                        .filter(user_group::Column::UserId.eq(row.user_id))
                        .filter(user_group::Column::GroupId.eq(row.group_id))
                        .exec(&txn)
                        .await?;
                    if row.status == GROUP_MEMBER {
                        left.push(group.name.clone());
                    }
                }
                _ => {}
            }
        }
        let detail = [("added to", &joined), ("removed from", &left)]
            .iter()
            .filter(|(_, names)| !names.is_empty())
            .map(|(verb, names)| format!("{verb} {}", names.join(", ")))
            .collect::<Vec<_>>()
            .join("; ");
        audit::record(
            &txn,
            actor,
            "member.groups",
            &member_target(user_id, &account.email),
            if detail.is_empty() {
                "no change"
            } else {
                &detail
            },
            origin.ip_text().as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The auto-approve allow-list: domains from configuration, then those added in the app.
    /// Administrators only.
    pub async fn allowed_domains(&self, actor: &Actor) -> Result<Vec<AllowedDomain>> {
        actor.require_role(Role::Administrator)?;
        let mut domains: Vec<AllowedDomain> = self
            .settings
            .auto_approve_domains
            .iter()
            .map(|domain| AllowedDomain {
                domain: domain.to_lowercase(),
                added_by: None,
                added_at: None,
            })
            .collect();
        let stored = auto_approve_domain::Entity::find()
            .order_by_asc(auto_approve_domain::Column::Domain)
            .all(&self.db)
            .await?;
        domains.extend(stored.into_iter().map(|row| AllowedDomain {
            domain: row.domain,
            added_by: Some(row.added_by),
            added_at: Some(row.created_at),
        }));
        Ok(domains)
    }

    /// Adds an email domain to the allow-list. Audited. Administrators only.
    pub async fn add_allowed_domain(
        &self,
        actor: &Actor,
        domain: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        let admin = actor.require_role(Role::Administrator)?;
        let domain = domain.trim().trim_start_matches('@').to_lowercase();
        let shape_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain.len() <= 253
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !shape_ok {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "domain",
                "Enter a domain like force.police.uk, without the part before the @",
            )]));
        }
        let txn = self.db.begin().await?;
        let configured = self
            .settings
            .auto_approve_domains
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(&domain));
        let stored = auto_approve_domain::Entity::find_by_id(domain.clone())
            .one(&txn)
            .await?;
        if configured || stored.is_some() {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "domain",
                "That domain is already on the list",
            )]));
        }
        auto_approve_domain::ActiveModel {
            domain: Set(domain.clone()),
            added_by: Set(admin.name.clone()),
            created_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            actor,
            "allow-list.add",
            &format!("domain:{domain}"),
            "",
            origin.ip_text().as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Removes a domain added in the app from the allow-list. Audited. Administrators only.
    pub async fn remove_allowed_domain(
        &self,
        actor: &Actor,
        domain: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        actor.require_role(Role::Administrator)?;
        let domain = domain.trim().to_lowercase();
        let txn = self.db.begin().await?;
        let removed = auto_approve_domain::Entity::delete_by_id(domain.clone())
            .exec(&txn)
            .await?;
        if removed.rows_affected == 0 {
            return Err(Error::NotFound);
        }
        audit::record(
            &txn,
            actor,
            "allow-list.remove",
            &format!("domain:{domain}"),
            "",
            origin.ip_text().as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// True if `email`'s domain is on the allow-list (configuration or app).
    pub(super) async fn auto_approved(
        &self,
        conn: &impl sea_orm::ConnectionTrait,
        email: &str,
    ) -> Result<bool> {
        let Some((_, domain)) = email.rsplit_once('@') else {
            return Ok(false);
        };
        let domain = domain.to_lowercase();
        if self
            .settings
            .auto_approve_domains
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(&domain))
        {
            return Ok(true);
        }
        Ok(auto_approve_domain::Entity::find_by_id(domain)
            .one(conn)
            .await?
            .is_some())
    }
}

fn summary_of(row: user::Model, groups: Vec<GroupMembership>) -> MemberSummary {
    let regulator = directory::label(&directory::REGULATORS, &row.regulator).to_owned();
    let registration = match row.registration_number.as_deref() {
        Some(number) if !number.is_empty() => format!("{regulator}: {number}"),
        _ => regulator,
    };
    MemberSummary {
        id: row.id,
        profession: directory::label(&directory::PROFESSIONS, &row.profession).to_owned(),
        organisation: directory::organisation_label(&row.organisation).to_owned(),
        registration,
        status: MemberStatus::parse(&row.status).unwrap_or(MemberStatus::Pending),
        role: Role::parse(&row.role).unwrap_or(Role::Member),
        groups,
        moderates: row.moderates_group,
        applied_at: row.created_at,
        name: row.name,
        email: row.email,
    }
}
