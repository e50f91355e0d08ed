//! Administration: reviewing applications and the audit log.

pub mod api;
pub mod dto;
pub mod forms;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::forms::{ErrorSummary, Form, FormFields, SuccessBanner, TextInput, form_state};
use crate::layout::{Breadcrumbs, ErrorPage, FilterSelect};
use dto::MemberRow;
use forms::{
    AllowDomain, ApproveMember, ChangeGroups, ChangeRole, DeclineMember, DisallowDomain,
    ReinstateMember, SuspendMember,
};

const STATUS_FILTERS: [(&str, &str); 7] = [
    ("pending", "Waiting for a decision"),
    ("active", "Approved"),
    ("unverified", "Email not confirmed"),
    ("declined", "Declined"),
    ("suspended", "Suspended"),
    ("closed", "Closed by the member"),
    ("all", "Everyone"),
];

/// Shows an error in place of the page (a 401 becomes a redirect to sign in, by the server).
fn admin_error(error: AppError) -> AnyView {
    view! { <ErrorPage error /> }.into_any()
}

/// `/admin/members?status=…&group=…&organisation=…&q=…`: applications and members.
#[component]
pub fn AdminMembersPage() -> impl IntoView {
    let query = use_query_map();
    let read = |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let status = query
        .read_untracked()
        .get("status")
        .unwrap_or_else(|| "pending".to_owned());
    let (group, organisation, text) = (read("group"), read("organisation"), read("q"));
    let banner = match read("done").as_str() {
        "approved" => Some("Application approved. The member has been emailed."),
        "declined" => Some("Application declined. The applicant has been emailed the reason."),
        "suspended" => Some("Member suspended and signed out everywhere."),
        "reinstated" => Some("Member reinstated."),
        "role-changed" => Some("Role changed."),
        "groups-changed" => Some("Groups changed."),
        _ => None,
    };
    let filters = (
        status.clone(),
        group.clone(),
        organisation.clone(),
        text.clone(),
    );
    let list = list_query(&read("status"), &group, &organisation, &text);
    let data = Resource::new(
        move || filters.clone(),
        |(status, group, organisation, text)| async move {
            let members =
                api::list_members(Some(status), Some(group), Some(organisation), Some(text))
                    .await?;
            let choices = crate::accounts::api::registration_options().await?;
            Ok::<_, AppError>((members, choices))
        },
    );
    view! {
        <Title text="Members" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned()), ("Your account".to_owned(), "/account".to_owned())] current="Members" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Members"</h1>
        <Suspense fallback=|| ()>
            {move || {
                let (status, group, organisation, text) = (status.clone(), group.clone(), organisation.clone(), text.clone());
                let list = list.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((rows, choices)) => {
                            let count = rows.len();
                            let groups = choices.groups.clone();
                            view! {
                                <form method="get" action="/admin/members" class="filter-form filter-form--wrap" role="search" aria-label="Filter members">
                                    <div class="form-group">
                                        <label class="label" for="filter-q">"Name or email"</label>
                                        <input class="input" id="filter-q" name="q" type="search" value=text />
                                    </div>
                                    <FilterSelect id="status-filter" name="status" label="Status" current=status.clone()
                                        options=STATUS_FILTERS.iter().map(|(value, label)| ((*value).to_owned(), (*label).to_owned())).collect() />
                                    <FilterSelect id="group-filter" name="group" label="Group" current=group.clone()
                                        options=std::iter::once((String::new(), "Any group".to_owned())).chain(choices.groups.clone()).collect() />
                                    <FilterSelect id="organisation-filter" name="organisation" label="Organisation" current=organisation.clone()
                                        options=std::iter::once((String::new(), "Any organisation".to_owned())).chain(choices.organisations.clone()).collect() />
                                    <button type="submit" class="button button--secondary">"Filter"</button>
                                </form>
                                <p role="status">{match count { 1 => "1 person".to_owned(), n => format!("{n} people") }}</p>
                                {if rows.is_empty() {
                                    view! { <p>"No one matches these filters."</p> }.into_any()
                                } else {
                                    rows.into_iter().map(|row| view! { <MemberCard row groups=groups.clone() list=list.clone() /> }).collect_view().into_any()
                                }}
                            }
                            .into_any()
                        }
                        Err(error) => admin_error(error),
                    }
                })
            }}
        </Suspense>
    }
}

/// The member list's filters as a query string, carried by each member form so that a
/// decision returns to the same list.
pub fn list_query(status: &str, group: &str, organisation: &str, text: &str) -> String {
    [
        ("status", status),
        ("group", group),
        ("organisation", organisation),
        ("q", text),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(name, value)| format!("{name}={}", crate::query_string::encode_value(value)))
    .collect::<Vec<_>>()
    .join("&")
}

/// The hidden field carrying the member list's filters.
#[component]
fn ListField(list: String) -> impl IntoView {
    view! { <input type="hidden" name="list" value=list /> }
}

#[component]
fn MemberCard(row: MemberRow, groups: Vec<(String, String)>, list: String) -> impl IntoView {
    let form_id = DeclineMember::SPEC.instance(row.id);
    let state = form_state(&form_id);
    let approve_state = form_state(&ApproveMember::SPEC.instance(row.id));
    let reason_id = format!("field-reason-{}", row.id);
    let reason_error = state.error("reason");
    let pending = row.status == "pending";
    let active = row.status == "active";
    let suspended = row.status == "suspended";
    let manage_id = ChangeRole::SPEC.instance(row.id);
    let manage_state = form_state(&manage_id);
    let id = row.id.to_string();
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
                        row.groups.iter().map(|group| if group.joined { group.name.clone() } else { format!("{} (requested)", group.name) }).collect::<Vec<_>>().join(", ")
                    }
                }</dd></div>
                <div class="summary-list__row"><dt>"Status"</dt><dd>{row.status.clone()}</dd></div>
                <div class="summary-list__row"><dt>"Applied"</dt><dd>{row.applied.clone()}</dd></div>
            </dl>
            {pending.then(|| {
                let approve_action = ApproveMember::SPEC.action_with(&[&id]);
                let decline_action = DeclineMember::SPEC.action_with(&[&id]);
                view! {
                    <ErrorSummary state=approve_state.clone() id_suffix=format!("-{}", row.id) />
                    <ErrorSummary state=state.clone() id_suffix=format!("-{}", row.id) />
                    <form method="post" action=approve_action class="inline-form">
                        <FormFields form_id=ApproveMember::SPEC.instance(row.id) />
                        <ListField list=list.clone() />
                        <button type="submit" class="button">"Approve " <span class="visually-hidden">{row.name.clone()}</span></button>
                    </form>
                    <form method="post" action=decline_action>
                        <FormFields form_id=form_id.clone() />
                        <ListField list=list.clone() />
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
                let role_action = ChangeRole::SPEC.action_with(&[&id]);
                let suspend_action = SuspendMember::SPEC.action_with(&[&id]);
                let role_id = format!("field-role-{}", row.id);
                let current_role = row.role.clone();
                let scope_id = format!("field-moderates-{}", row.id);
                let groups_action = ChangeGroups::SPEC.action_with(&[&id]);
                let current_scope = row.moderates.clone();
                view! {
                    <form method="post" action=role_action class="filter-form filter-form--wrap">
                        <FormFields form_id=manage_id.clone() />
                        <ListField list=list.clone() />
                        <div class="form-group">
                            <label class="label" for=role_id.clone()>"Role for " {row.name.clone()}</label>
                            <select class="select" id=role_id name="role">
                                {ROLES.iter().map(|(value, label)| view! {
                                    <option value=*value selected=*value == current_role>{*label}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="form-group">
                            <label class="label" for=scope_id.clone()>"Moderates (for moderators)"</label>
                            <select class="select" id=scope_id name="moderates">
                                <option value="" selected=current_scope.is_empty()>"Every forum"</option>
                                {groups.iter().map(|(slug, name)| view! {
                                    <option value=slug.clone() selected=*slug == current_scope>{format!("{name} forum only")}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button button--secondary">"Change role"</button>
                    </form>
                    <form method="post" action=groups_action>
                        <FormFields form_id=manage_id.clone() />
                        <ListField list=list.clone() />
                        <fieldset class="fieldset" id=format!("field-groups-{}", row.id)>
                            <legend class="fieldset__legend">"Groups for " {row.name.clone()}</legend>
                            <div class="checkboxes">
                                {groups.iter().map(|(slug, name)| {
                                    let id = format!("groups-{}-{slug}", row.id);
                                    let membership = row.groups.iter().find(|group| &group.slug == slug);
                                    let label = match membership {
                                        Some(group) if !group.joined => format!("{name} (requested)"),
                                        _ => name.clone(),
                                    };
                                    let checked = membership.is_some_and(|group| group.joined);
                                    view! {
                                        <div class="checkboxes__item">
                                            <input class="checkboxes__input" type="checkbox" id=id.clone() name="groups" value=slug.clone() checked=checked />
                                            <label class="checkboxes__label" for=id>{label}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                        <button type="submit" class="button button--secondary">"Save groups"</button>
                    </form>
                    <form method="post" action=suspend_action class="inline-form">
                        <FormFields form_id=manage_id.clone() />
                        <ListField list=list.clone() />
                        <button type="submit" class="button button--warning">"Suspend " <span class="visually-hidden">{row.name.clone()}</span></button>
                    </form>
                }
            })}
            {suspended.then(|| {
                let reinstate_action = ReinstateMember::SPEC.action_with(&[&id]);
                view! {
                    <form method="post" action=reinstate_action class="inline-form">
                        <FormFields form_id=manage_id.clone() />
                        <ListField list=list.clone() />
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

/// `/admin/allow-list`: email domains whose applicants are approved once they confirm
/// their address.
#[component]
pub fn AdminAllowListPage() -> impl IntoView {
    let query = use_query_map();
    let banner = match query
        .read_untracked()
        .get("done")
        .unwrap_or_default()
        .as_str()
    {
        "added" => Some(
            "Domain added. New applicants from it are approved once they confirm their address.",
        ),
        "removed" => Some("Domain removed."),
        _ => None,
    };
    let domains = Resource::new(|| (), |_| api::allow_list());
    let state = form_state(AllowDomain::SPEC.id);
    let remove_state = form_state(DisallowDomain::SPEC.id);
    view! {
        <Title text="Email domains approved automatically" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned()), ("Your account".to_owned(), "/account".to_owned())] current="Allow-list" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Email domains approved automatically"</h1>
        <p class="lead">"Applicants whose email address is at one of these domains are approved as soon as they confirm it. Everyone else waits for an administrator."</p>
        <ErrorSummary state=remove_state />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match domains.await {
                    Ok(rows) if rows.is_empty() => view! { <p>"No domains yet: every application waits for an administrator."</p> }.into_any(),
                    Ok(rows) => view! {
                        <table class="table">
                            <caption class="visually-hidden">"Domains approved automatically"</caption>
                            <thead><tr><th scope="col">"Domain"</th><th scope="col">"Source"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| {
                                    let action = DisallowDomain::SPEC.action;
                                    view! {
                                        <tr>
                                            <td>{row.domain.clone()}</td>
                                            <td>{row.added}</td>
                                            <td>{row.removable.then(|| view! {
                                                <form method="post" action=action class="inline-form">
                                                    <FormFields form_id=DisallowDomain::SPEC.id />
                                                    <input type="hidden" name="domain" value=row.domain.clone() />
                                                    <button type="submit" class="button button--secondary">"Remove " <span class="visually-hidden">{row.domain.clone()}</span></button>
                                                </form>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any(),
                    Err(error) => admin_error(error),
                }
            })}
        </Suspense>
        <h2>"Add a domain"</h2>
        <ErrorSummary state=state.clone() />
        <form method="post" action=AllowDomain::SPEC.action novalidate>
            <FormFields form_id=AllowDomain::SPEC.id />
            <TextInput name="domain" label="Email domain" hint="For example kent.police.uk: the part after the @" autocomplete="off" state=state.clone() />
            <button type="submit" class="button">"Add domain"</button>
        </form>
    }
}

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
