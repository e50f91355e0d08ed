//! The administration area on the web: decisions on applications, roles, groups, suspension,
//! the allow-list, and the pages that show them. Member forms carry the list's filters, so a
//! decision (or its mistake) comes back to the same list.

use app::admin::forms::{
    AllowDomain, ApproveMember, ChangeGroups, ChangeRole, DeclineMember, DisallowDomain,
    ReinstateMember, SuspendMember,
};
use app::forms::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use domain::access::Access;

use super::form::Submitted;
use super::routes::Registry;
use crate::router::AppState;

/// The administration routes with their access rules.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/admin/members", Access::Administrator)
        .page("/admin/audit", Access::Administrator)
        .page("/admin/allow-list", Access::Administrator)
        .server_fn("/api/admin/members", Access::Administrator)
        .server_fn("/api/admin/audit", Access::Administrator)
        .server_fn("/api/admin/allow-list", Access::Administrator)
        .form::<ApproveMember>(post(approve_member), Access::Administrator)
        .form::<DeclineMember>(post(decline_member), Access::Administrator)
        .form::<ChangeRole>(post(change_role), Access::Administrator)
        .form::<ChangeGroups>(post(change_groups), Access::Administrator)
        .form::<SuspendMember>(post(suspend_member), Access::Administrator)
        .form::<ReinstateMember>(post(reinstate_member), Access::Administrator)
        .form::<AllowDomain>(post(allow_domain), Access::Administrator)
        .form::<DisallowDomain>(post(disallow_domain), Access::Administrator)
}

/// The member list with the filters a form carried (only the list's own filters, re-encoded).
fn member_list(list: &str) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(list).unwrap_or_default();
    let kept: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(name, _)| matches!(name.as_str(), "status" | "group" | "organisation" | "q"))
        .collect();
    match serde_urlencoded::to_string(&kept) {
        Ok(query) if !query.is_empty() => format!("/admin/members?{query}"),
        _ => "/admin/members".to_owned(),
    }
}

/// The member list after `done`, keeping its filters.
fn member_list_done(list: &str, done: &str) -> String {
    let page = member_list(list);
    let joiner = if page.contains('?') { '&' } else { '?' };
    format!("{page}{joiner}done={done}")
}

async fn approve_member(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<ApproveMember>,
) -> Response {
    let outcome = state
        .services
        .accounts
        .approve(&form.actor(), id, &form.origin())
        .await;
    let list = form.form.list.clone();
    form.finish(&state, &member_list(&list), outcome, |()| {
        member_list_done(&list, "approved")
    })
    .await
}

async fn decline_member(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<DeclineMember>,
) -> Response {
    let outcome = state
        .services
        .accounts
        .decline(&form.actor(), id, &form.form.reason, &form.origin())
        .await;
    let list = form.form.list.clone();
    form.finish(&state, &member_list(&list), outcome, |()| {
        member_list_done(&list, "declined")
    })
    .await
}

async fn change_role(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<ChangeRole>,
) -> Response {
    let fields = &form.form;
    let outcome = state
        .services
        .accounts
        .set_role(
            &form.actor(),
            id,
            &fields.role,
            &fields.moderates,
            &form.origin(),
        )
        .await;
    let list = fields.list.clone();
    form.finish(&state, &member_list(&list), outcome, |()| {
        member_list_done(&list, "role-changed")
    })
    .await
}

async fn change_groups(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<ChangeGroups>,
) -> Response {
    let outcome = state
        .services
        .accounts
        .set_groups(&form.actor(), id, &form.form.groups, &form.origin())
        .await;
    let list = form.form.list.clone();
    form.finish(&state, &member_list(&list), outcome, |()| {
        member_list_done(&list, "groups-changed")
    })
    .await
}

async fn suspend_member(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<SuspendMember>,
) -> Response {
    let outcome = state
        .services
        .accounts
        .suspend(&form.actor(), id, &form.origin())
        .await;
    let list = form.form.list.clone();
    form.finish(&state, &member_list(&list), outcome, |()| {
        member_list_done(&list, "suspended")
    })
    .await
}

async fn reinstate_member(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<ReinstateMember>,
) -> Response {
    let outcome = state
        .services
        .accounts
        .reinstate(&form.actor(), id, &form.origin())
        .await;
    let list = form.form.list.clone();
    form.finish(&state, &member_list(&list), outcome, |()| {
        member_list_done(&list, "reinstated")
    })
    .await
}

async fn allow_domain(State(state): State<AppState>, form: Submitted<AllowDomain>) -> Response {
    let outcome = state
        .services
        .accounts
        .add_allowed_domain(&form.actor(), &form.form.domain, &form.origin())
        .await;
    form.finish(&state, AllowDomain::SPEC.action, outcome, |()| {
        "/admin/allow-list?done=added".to_owned()
    })
    .await
}

async fn disallow_domain(
    State(state): State<AppState>,
    form: Submitted<DisallowDomain>,
) -> Response {
    let outcome = state
        .services
        .accounts
        .remove_allowed_domain(&form.actor(), &form.form.domain, &form.origin())
        .await;
    form.finish(&state, AllowDomain::SPEC.action, outcome, |()| {
        "/admin/allow-list?done=removed".to_owned()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_return_to_the_same_filtered_list() {
        assert_eq!(
            member_list("status=all&q=Ann+Lee&evil=x"),
            "/admin/members?status=all&q=Ann+Lee"
        );
        assert_eq!(member_list(""), "/admin/members");
        assert_eq!(
            member_list_done("group=cmo", "approved"),
            "/admin/members?group=cmo&done=approved"
        );
        assert_eq!(
            member_list_done("", "approved"),
            "/admin/members?done=approved"
        );
    }
}
