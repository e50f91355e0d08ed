//! The CPD area on the web: the member's log, entries, evidence files and cycle. Nobody but
//! its owner sees a CPD record: every handler passes the actor to the domain, which answers
//! "not found" for anyone else's entry; an administrator may download evidence, audited.

use app::cpd::forms::{AddEntry, AttachEvidence, DeleteEntry, EditEntry, RemoveEvidence, SetCycle};
use app::forms::Form;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::access::Access;
use domain::cpd::{CycleFields, EntryFields};
use domain::uploads::StoredFile;

use super::files::{download, uploaded_file};
use super::form::{Submitted, actor_of, error_status, origin_of};
use super::routes::{Registry, RouteKind};
use crate::router::AppState;

/// The CPD routes with their access rules.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/cpd", Access::Member)
        .page("/cpd/new", Access::Member)
        .page("/cpd/cycle", Access::Member)
        .page("/cpd/{id}", Access::Member)
        .page("/cpd/{id}/edit", Access::Member)
        .page("/cpd/{id}/delete", Access::Member)
        .server_fn("/api/cpd/log", Access::Member)
        .server_fn("/api/cpd/kinds", Access::Member)
        .server_fn("/api/cpd/entry", Access::Member)
        .server_fn("/api/cpd/progress", Access::Member)
        .page("/cpd/portfolio", Access::Member)
        .server_fn("/api/cpd/portfolio", Access::Member)
        .get(
            "/cpd/export/csv",
            RouteKind::Download,
            get(export_csv),
            Access::Member,
        )
        .get(
            "/cpd/export/json",
            RouteKind::Download,
            get(export_json),
            Access::Member,
        )
        .form::<AddEntry>(post(add_entry), Access::Member)
        .form::<EditEntry>(post(edit_entry), Access::Member)
        .form::<DeleteEntry>(post(delete_entry), Access::Member)
        .form::<AttachEvidence>(post(attach_evidence), Access::Member)
        .form::<RemoveEvidence>(post(remove_evidence), Access::Member)
        .form::<SetCycle>(post(set_cycle), Access::Member)
        .get(
            "/cpd/{id}/evidence/{file}",
            RouteKind::Download,
            get(download_evidence),
            Access::Member,
        )
}

async fn add_entry(State(state): State<AppState>, form: Submitted<AddEntry>) -> Response {
    let fields = EntryFields::from(form.form.clone());
    let outcome = state.services.cpd.add(&form.actor(), &fields).await;
    form.finish(&state, AddEntry::SPEC.action, outcome, |id| {
        format!("/cpd/{id}?done=added")
    })
    .await
}

async fn edit_entry(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<EditEntry>,
) -> Response {
    let fields = EntryFields::from(form.form.clone());
    let outcome = state.services.cpd.update(&form.actor(), id, &fields).await;
    let page = EditEntry::SPEC.action_with(&[&id.to_string()]);
    form.finish(&state, &page, outcome, |()| format!("/cpd/{id}?done=saved"))
        .await
}

async fn delete_entry(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<DeleteEntry>,
) -> Response {
    let outcome = state.services.cpd.delete(&form.actor(), id).await;
    let page = DeleteEntry::SPEC.action_with(&[&id.to_string()]);
    form.finish(&state, &page, outcome, |()| "/cpd?done=deleted".to_owned())
        .await
}

async fn attach_evidence(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let upload = uploaded_file(Request::from_parts(parts.clone(), body), &state).await;
    let form = Submitted::<AttachEvidence>::without_body(parts);
    let (file_name, bytes) = upload.unwrap_or_default();
    let outcome = state
        .services
        .cpd
        .attach_evidence(&form.actor(), id, &file_name, bytes)
        .await;
    let page = format!("/cpd/{id}");
    form.finish(&state, &page, outcome, |_| {
        format!("{page}?done=attached#evidence")
    })
    .await
}

async fn remove_evidence(
    State(state): State<AppState>,
    Path((id, file)): Path<(i32, String)>,
    form: Submitted<RemoveEvidence>,
) -> Response {
    let outcome = state
        .services
        .cpd
        .remove_evidence(&form.actor(), id, &file)
        .await;
    let page = format!("/cpd/{id}");
    form.finish(&state, &page, outcome, |()| {
        format!("{page}?done=removed#evidence")
    })
    .await
}

async fn set_cycle(State(state): State<AppState>, form: Submitted<SetCycle>) -> Response {
    let fields = CycleFields::from(form.form.clone());
    let outcome = state.services.cpd.set_cycle(&form.actor(), &fields).await;
    form.finish(&state, SetCycle::SPEC.action, outcome, |()| {
        "/cpd?done=cycle-saved".to_owned()
    })
    .await
}

/// An evidence file, for its owner (or an administrator, audited).
async fn download_evidence(
    State(state): State<AppState>,
    Path((id, file)): Path<(i32, String)>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let origin = origin_of(&parts);
    match state
        .services
        .cpd
        .evidence(&actor_of(&parts), id, &file, &origin)
        .await
    {
        Ok(found) => download(found),
        Err(error) => error_status(&parts, error),
    }
}

/// The member's whole portfolio as CSV, saved as `cpd-portfolio-<date>.csv`.
async fn export_csv(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let exported = state.services.cpd.portfolio_csv(&actor_of(&parts)).await;
    exported_file(&parts, exported, "csv", "text/csv; charset=utf-8")
}

/// The member's whole portfolio as JSON.
async fn export_json(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let exported = state.services.cpd.portfolio_json(&actor_of(&parts)).await;
    exported_file(&parts, exported, "json", "application/json")
}

fn exported_file(
    parts: &axum::http::request::Parts,
    exported: domain::Result<Vec<u8>>,
    extension: &str,
    content_type: &str,
) -> Response {
    let today = domain::time::iso_date(domain::time::london_today(chrono::Utc::now()));
    match exported {
        Ok(bytes) => download(StoredFile {
            file_name: format!("cpd-portfolio-{today}.{extension}"),
            content_type: content_type.to_owned(),
            bytes,
        }),
        Err(error) => error_status(parts, error),
    }
}
