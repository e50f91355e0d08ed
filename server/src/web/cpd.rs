//! The CPD area on the web: the member's log, entries, evidence files and cycle, the
//! revalidation records, the profile and the exports. Nobody but
//! its owner sees a CPD record: every handler passes the actor to the domain, which answers
//! "not found" for anyone else's entry; an administrator may download evidence, audited.

use app::cpd::forms::{
    AddEntry, AddFeedback, AddPractice, AddReflection, AttachEvidence, DeleteEntry, DeleteFeedback,
    DeletePractice, DeleteReflection, EditEntry, EditFeedback, EditPractice, EditReflection,
    RemoveEvidence, SetCycle, SetDiscussion, SetProfile,
};
use app::forms::Form;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::access::Access;
use domain::cpd::{
    CycleFields, DiscussionFields, EntryFields, ExportFile, FeedbackFields, PracticeFields,
    ProfileFields, ReflectionFields,
};

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
            "/cpd/export/{file}",
            RouteKind::Download,
            get(export),
            Access::Member,
        )
        .page("/cpd/revalidation", Access::Member)
        .page("/cpd/revalidation/discussion", Access::Member)
        .page("/cpd/profile", Access::Member)
        .page("/cpd/profile/edit", Access::Member)
        .page("/cpd/practice/new", Access::Member)
        .page("/cpd/practice/{id}/edit", Access::Member)
        .page("/cpd/practice/{id}/delete", Access::Member)
        .page("/cpd/feedback/new", Access::Member)
        .page("/cpd/feedback/{id}/edit", Access::Member)
        .page("/cpd/feedback/{id}/delete", Access::Member)
        .page("/cpd/reflections/new", Access::Member)
        .page("/cpd/reflections/{id}/edit", Access::Member)
        .page("/cpd/reflections/{id}/delete", Access::Member)
        .server_fn("/api/cpd/revalidation", Access::Member)
        .server_fn("/api/cpd/choices", Access::Member)
        .server_fn("/api/cpd/practice", Access::Member)
        .server_fn("/api/cpd/feedback", Access::Member)
        .server_fn("/api/cpd/reflection", Access::Member)
        .server_fn("/api/cpd/discussion", Access::Member)
        .server_fn("/api/cpd/profile", Access::Member)
        .form::<AddPractice>(post(add_practice), Access::Member)
        .form::<EditPractice>(post(edit_practice), Access::Member)
        .form::<DeletePractice>(post(delete_practice), Access::Member)
        .form::<AddFeedback>(post(add_feedback), Access::Member)
        .form::<EditFeedback>(post(edit_feedback), Access::Member)
        .form::<DeleteFeedback>(post(delete_feedback), Access::Member)
        .form::<AddReflection>(post(add_reflection), Access::Member)
        .form::<EditReflection>(post(edit_reflection), Access::Member)
        .form::<DeleteReflection>(post(delete_reflection), Access::Member)
        .form::<SetDiscussion>(post(set_discussion), Access::Member)
        .form::<SetProfile>(post(set_profile), Access::Member)
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

/// The member's whole record as one of the [`ExportFile`]s; any other name is not found.
async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let Some(file) = ExportFile::named(&file) else {
        return error_status(&parts, domain::Error::NotFound);
    };
    match state.services.cpd.export(&actor_of(&parts), file).await {
        Ok(exported) => download(exported),
        Err(error) => error_status(&parts, error),
    }
}

const REVALIDATION: &str = "/cpd/revalidation";

async fn add_practice(State(state): State<AppState>, form: Submitted<AddPractice>) -> Response {
    let fields = PracticeFields::from(form.form.clone());
    let outcome = state
        .services
        .cpd
        .add_practice(&form.actor(), &fields)
        .await;
    form.finish(&state, AddPractice::SPEC.action, outcome, |_| {
        format!("{REVALIDATION}?done=practice-added#practice-heading")
    })
    .await
}

async fn edit_practice(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<EditPractice>,
) -> Response {
    let fields = PracticeFields::from(form.form.clone());
    let outcome = state
        .services
        .cpd
        .update_practice(&form.actor(), id, &fields)
        .await;
    let page = EditPractice::SPEC.action_with(&[&id.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("{REVALIDATION}?done=saved#practice-heading")
    })
    .await
}

async fn delete_practice(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<DeletePractice>,
) -> Response {
    let outcome = state.services.cpd.delete_practice(&form.actor(), id).await;
    let page = DeletePractice::SPEC.action_with(&[&id.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("{REVALIDATION}?done=deleted#practice-heading")
    })
    .await
}

async fn add_feedback(State(state): State<AppState>, form: Submitted<AddFeedback>) -> Response {
    let fields = FeedbackFields::from(form.form.clone());
    let outcome = state
        .services
        .cpd
        .add_feedback(&form.actor(), &fields)
        .await;
    form.finish(&state, AddFeedback::SPEC.action, outcome, |_| {
        format!("{REVALIDATION}?done=feedback-added#feedback-heading")
    })
    .await
}

async fn edit_feedback(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<EditFeedback>,
) -> Response {
    let fields = FeedbackFields::from(form.form.clone());
    let outcome = state
        .services
        .cpd
        .update_feedback(&form.actor(), id, &fields)
        .await;
    let page = EditFeedback::SPEC.action_with(&[&id.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("{REVALIDATION}?done=saved#feedback-heading")
    })
    .await
}

async fn delete_feedback(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<DeleteFeedback>,
) -> Response {
    let outcome = state.services.cpd.delete_feedback(&form.actor(), id).await;
    let page = DeleteFeedback::SPEC.action_with(&[&id.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("{REVALIDATION}?done=deleted#feedback-heading")
    })
    .await
}

async fn add_reflection(State(state): State<AppState>, form: Submitted<AddReflection>) -> Response {
    let fields = ReflectionFields::from(form.form.clone());
    let outcome = state
        .services
        .cpd
        .add_reflection(&form.actor(), &fields)
        .await;
    form.finish(&state, AddReflection::SPEC.action, outcome, |_| {
        format!("{REVALIDATION}?done=reflection-added#reflections-heading")
    })
    .await
}

async fn edit_reflection(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<EditReflection>,
) -> Response {
    let fields = ReflectionFields::from(form.form.clone());
    let outcome = state
        .services
        .cpd
        .update_reflection(&form.actor(), id, &fields)
        .await;
    let page = EditReflection::SPEC.action_with(&[&id.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("{REVALIDATION}?done=saved#reflections-heading")
    })
    .await
}

async fn delete_reflection(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted<DeleteReflection>,
) -> Response {
    let outcome = state
        .services
        .cpd
        .delete_reflection(&form.actor(), id)
        .await;
    let page = DeleteReflection::SPEC.action_with(&[&id.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("{REVALIDATION}?done=deleted#reflections-heading")
    })
    .await
}

async fn set_discussion(State(state): State<AppState>, form: Submitted<SetDiscussion>) -> Response {
    let fields = DiscussionFields::from(form.form.clone());
    let outcome = state
        .services
        .cpd
        .set_discussion(&form.actor(), &fields)
        .await;
    form.finish(&state, SetDiscussion::SPEC.action, outcome, |()| {
        format!("{REVALIDATION}?done=discussion-saved#discussion-heading")
    })
    .await
}

async fn set_profile(State(state): State<AppState>, form: Submitted<SetProfile>) -> Response {
    let fields = ProfileFields::from(form.form.clone());
    let outcome = state.services.cpd.set_profile(&form.actor(), &fields).await;
    form.finish(&state, SetProfile::SPEC.action, outcome, |()| {
        "/cpd/profile?done=saved".to_owned()
    })
    .await
}
