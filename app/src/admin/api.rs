//! Server functions for administrators' pages (reads; decisions are form posts).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::dto::MemberGroupRow;
use super::dto::{AllowedDomainRow, AuditRow, MemberRow};
use crate::error::AppError;

/// Members matching the filters: `status` (`pending` by default, `all` for everyone), a group
/// slug, an organisation value and words in the name or email. Administrators only.
#[server(prefix = "/api", endpoint = "admin/members", input = server_fn::codec::GetUrl)]
pub async fn list_members(
    status: Option<String>,
    group: Option<String>,
    organisation: Option<String>,
    text: Option<String>,
) -> Result<Vec<MemberRow>, AppError> {
    use domain::accounts::{MemberFilter, MemberStatus};
    let cx = crate::context::server_context()?;
    let status = match status.as_deref() {
        None | Some("") | Some("pending") => Some(MemberStatus::Pending),
        Some("all") => None,
        Some(other) => Some(MemberStatus::parse(other).ok_or(AppError::NotFound)?),
    };
    let filter = MemberFilter {
        status,
        group,
        organisation,
        text,
    };
    let members = cx
        .services
        .accounts
        .members(&crate::context::actor(), &filter)
        .await?;
    Ok(members
        .into_iter()
        .map(|member| MemberRow {
            id: member.id,
            name: member.name,
            email: member.email,
            profession: member.profession,
            organisation: member.organisation,
            registration: member.registration,
            status: member.status.as_str().to_owned(),
            role: member.role.as_str().to_owned(),
            moderates: member.moderates.unwrap_or_default(),
            groups: member
                .groups
                .into_iter()
                .map(|group| MemberGroupRow {
                    slug: group.slug,
                    name: group.name,
                    joined: group.joined,
                })
                .collect(),
            applied: domain::time::london_date_time(member.applied_at),
        })
        .collect())
}

/// The auto-approve allow-list. Administrators only.
#[server(prefix = "/api", endpoint = "admin/allow-list", input = server_fn::codec::GetUrl)]
pub async fn allow_list() -> Result<Vec<AllowedDomainRow>, AppError> {
    let cx = crate::context::server_context()?;
    let domains = cx
        .services
        .accounts
        .allowed_domains(&crate::context::actor())
        .await?;
    Ok(domains
        .into_iter()
        .map(|domain| AllowedDomainRow {
            removable: domain.added_by.is_some(),
            added: match (domain.added_by, domain.added_at) {
                (Some(by), Some(at)) => {
                    format!("Added by {by}, {}", domain::time::london_date_time(at))
                }
                _ => "Server configuration".to_owned(),
            },
            domain: domain.domain,
        })
        .collect())
}

/// Page `page` of the audit log, newest first. Administrators only.
#[server(prefix = "/api", endpoint = "admin/audit", input = server_fn::codec::GetUrl)]
pub async fn audit_log(page: u64) -> Result<Vec<AuditRow>, AppError> {
    let cx = crate::context::server_context()?;
    let entries = cx
        .services
        .audit
        .entries(&crate::context::actor(), page)
        .await?;
    Ok(entries
        .into_iter()
        .map(|entry| AuditRow {
            at: domain::time::london_date_time(entry.at),
            actor: entry.actor_name,
            action: entry.action,
            target: entry.target,
            detail: entry.detail,
            source_ip: entry.source_ip.unwrap_or_default(),
        })
        .collect())
}
