//! Server functions for administrators' pages (reads; decisions are form posts).

use leptos::prelude::*;

use super::dto::{AuditRow, MemberRow};
use crate::error::AppError;

/// Members with `status` (`pending` by default, `all` for everyone). Administrators only.
#[server(prefix = "/api", endpoint = "admin/members", input = server_fn::codec::GetUrl)]
pub async fn list_members(status: Option<String>) -> Result<Vec<MemberRow>, AppError> {
    use domain::accounts::MemberStatus;
    let cx = crate::context::server_context()?;
    let filter = match status.as_deref() {
        None | Some("") | Some("pending") => Some(MemberStatus::Pending),
        Some("all") => None,
        Some(other) => Some(MemberStatus::parse(other).ok_or(AppError::NotFound)?),
    };
    let members = cx
        .services
        .accounts
        .members(&crate::context::actor(), filter)
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
            groups: member.groups,
            applied: domain::time::london_date_time(member.applied_at),
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
