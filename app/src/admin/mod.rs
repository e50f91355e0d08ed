//! Administration: reviewing applications and the audit log.

pub mod api;
pub mod dto;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::forms::{ErrorSummary, FormFields, SuccessBanner, form_state};
use crate::layout::{Breadcrumbs, ErrorPage};
use dto::MemberRow;

const STATUS_FILTERS: [(&str, &str); 6] = [
    ("pending", "Waiting for a decision"),
    ("active", "Approved"),
    ("unverified", "Email not confirmed"),
    ("declined", "Declined"),
    ("suspended", "Suspended"),
    ("all", "Everyone"),
];

/// Shows an error in place of the page (a 401 becomes a redirect to sign in, by the server).
fn admin_error(error: AppError) -> AnyView {
    view! { <ErrorPage error /> }.into_any()
}

/// `/admin/members?status=…`: applications and members.
#[component]
pub fn AdminMembersPage() -> impl IntoView {
    let query = use_query_map();
    let status = query
        .read_untracked()
        .get("status")
        .unwrap_or_else(|| "pending".to_owned());
    let done = query.read_untracked().get("done").unwrap_or_default();
    let banner = match done.as_str() {
        "approved" => Some("Application approved. The member has been emailed."),
        "declined" => Some("Application declined. The applicant has been emailed the reason."),
        "suspended" => Some("Member suspended and signed out everywhere."),
        "reinstated" => Some("Member reinstated."),
        "role-changed" => Some("Role changed."),
        _ => None,
    };
    let members = Resource::new(
        move || status.clone(),
        |status| api::list_members(Some(status)),
    );
    let current = query
        .read_untracked()
        .get("status")
        .unwrap_or_else(|| "pending".to_owned());
    view! {
        <Title text="Members" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned()), ("Your account".to_owned(), "/account".to_owned())] current="Members" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Members"</h1>
        <form method="get" action="/admin/members" class="filter-form">
            <label class="label" for="status-filter">"Show"</label>
            <select class="select" id="status-filter" name="status">
                {STATUS_FILTERS.iter().map(|(value, label)| view! {
                    <option value=*value selected=*value == current>{*label}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button button--secondary">"Filter"</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match members.await {
                    Ok(rows) if rows.is_empty() => view! { <p>"No one to show."</p> }.into_any(),
                    Ok(rows) => rows.into_iter().map(|row| view! { <MemberCard row /> }).collect_view().into_any(),
                    Err(error) => admin_error(error),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MemberCard(row: MemberRow) -> impl IntoView {
    let form_id = format!("decline-{}", row.id);
    let state = form_state(&form_id);
    let reason_id = format!("field-reason-{}", row.id);
    let reason_error = state.error("reason");
    let pending = row.status == "pending";
    let active = row.status == "active";
    let suspended = row.status == "suspended";
    let manage_state = form_state(&format!("manage-{}", row.id));
    let manage_id = format!("manage-{}", row.id);
    let heading_id = format!("member-{}", row.id);
    view! {
        <div class="member-card">
            <h2 class="member-card__name" id=heading_id>{row.name.clone()}</h2>
            <dl class="summary-list">
                <div class="summary-list__row"><dt>"Email"</dt><dd>{row.email.clone()}</dd></div>
                <div class="summary-list__row"><dt>"Profession"</dt><dd>{row.profession.clone()}</dd></div>
                <div class="summary-list__row"><dt>"Organisation"</dt><dd>{row.organisation.clone()}</dd></div>
                <div class="summary-list__row"><dt>"Registration"</dt><dd>{row.registration.clone()}</dd></div>
                <div class="summary-list__row"><dt>"Groups"</dt><dd>{
                    if row.groups.is_empty() { "None requested".to_owned() } else {
                        row.groups.iter().map(|(name, joined)| if *joined { name.clone() } else { format!("{name} (requested)") }).collect::<Vec<_>>().join(", ")
                    }
                }</dd></div>
                <div class="summary-list__row"><dt>"Status"</dt><dd>{row.status.clone()}</dd></div>
                <div class="summary-list__row"><dt>"Applied"</dt><dd>{row.applied.clone()}</dd></div>
            </dl>
            {pending.then(|| {
                let approve_action = format!("/admin/members/{}/approve", row.id);
                let decline_action = format!("/admin/members/{}/decline", row.id);
                view! {
                    <ErrorSummary state=state.clone() id_suffix=format!("-{}", row.id) />
                    <form method="post" action=approve_action class="inline-form">
                        <FormFields form_id="approve" />
                        <button type="submit" class="button">"Approve " <span class="visually-hidden">{row.name.clone()}</span></button>
                    </form>
                    <form method="post" action=decline_action>
                        <FormFields form_id=form_id.clone() />
                        <div class=if reason_error.is_some() { "form-group form-group--error" } else { "form-group" }>
                            <label class="label" for=reason_id.clone()>"Reason for declining " <span class="visually-hidden">{row.name.clone()}</span></label>
                            <div class="hint" id=format!("reason-hint-{}", row.id)>"Sent to the applicant by email."</div>
                            {reason_error.clone().map(|message| view! {
                                <p class="error-message"><span class="visually-hidden">"Error: "</span>{message}</p>
                            })}
                            <textarea class="textarea" id=reason_id.clone() name="reason" rows="3" aria-describedby=format!("reason-hint-{}", row.id)>
                                {state.value("reason").unwrap_or_default().to_owned()}
                            </textarea>
                        </div>
                        <button type="submit" class="button button--warning">"Decline " <span class="visually-hidden">{row.name.clone()}</span></button>
                    </form>
                }
            })}
            <ErrorSummary state=manage_state id_suffix=format!("-{}", row.id) />
            {active.then(|| {
                let role_action = format!("/admin/members/{}/role", row.id);
                let suspend_action = format!("/admin/members/{}/suspend", row.id);
                let role_id = format!("field-role-{}", row.id);
                let current_role = row.role.clone();
                view! {
                    <form method="post" action=role_action class="filter-form">
                        <FormFields form_id=manage_id.clone() />
                        <label class="label" for=role_id.clone()>"Role for " {row.name.clone()}</label>
                        <select class="select" id=role_id name="role">
                            {ROLES.iter().map(|(value, label)| view! {
                                <option value=*value selected=*value == current_role>{*label}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit" class="button button--secondary">"Change role"</button>
                    </form>
                    <form method="post" action=suspend_action class="inline-form">
                        <FormFields form_id=manage_id.clone() />
                        <button type="submit" class="button button--warning">"Suspend " <span class="visually-hidden">{row.name.clone()}</span></button>
                    </form>
                }
            })}
            {suspended.then(|| {
                let reinstate_action = format!("/admin/members/{}/reinstate", row.id);
                view! {
                    <form method="post" action=reinstate_action class="inline-form">
                        <FormFields form_id=manage_id.clone() />
                        <button type="submit" class="button">"Reinstate " <span class="visually-hidden">{row.name.clone()}</span></button>
                    </form>
                }
            })}
        </div>
    }
}

const ROLES: [(&str, &str); 4] = [
    ("member", "Member"),
    ("moderator", "Moderator"),
    ("editor", "Editor"),
    ("administrator", "Administrator"),
];

/// `/admin/audit`: who did what, newest first.
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let query = use_query_map();
    let page: u64 = query
        .read_untracked()
        .get("page")
        .and_then(|page| page.parse().ok())
        .unwrap_or(0);
    let entries = Resource::new(move || page, api::audit_log);
    view! {
        <Title text="Audit log" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned()), ("Your account".to_owned(), "/account".to_owned())] current="Audit log" />
        <h1>"Audit log"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(rows) => {
                        let more = rows.len() as u64 == 50;
                        view! {
                            <table class="table">
                                <caption class="visually-hidden">"Administrative actions, newest first"</caption>
                                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Action"</th><th scope="col">"Target"</th><th scope="col">"Detail"</th><th scope="col">"From"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr><td>{row.at}</td><td>{row.actor}</td><td>{row.action}</td><td>{row.target}</td><td>{row.detail}</td><td>{row.source_ip}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <nav class="pagination" aria-label="Audit log pages">
                                {(page > 0).then(|| view! { <a href=format!("/admin/audit?page={}", page - 1)>"Newer entries"</a> })}
                                " "
                                {more.then(|| view! { <a href=format!("/admin/audit?page={}", page + 1)>"Older entries"</a> })}
                            </nav>
                        }
                        .into_any()
                    }
                    Err(error) => admin_error(error),
                }
            })}
        </Suspense>
    }
}
