//! The library on the web: the list, each document, comparisons between versions, the curated
//! good practice hub and target operating model, and the editors' forms. Anyone may ask; what
//! they get is what they may read, decided in the domain (a group's document answers "Page not
//! found" to everyone else).

use app::forms::Form;
use app::library::forms::{
    AttachFile, DiscardDraft, EditDocument, NewDocument, RemoveAttachment, RepublishDocument,
    WithdrawDocument,
};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::access::Access;
use domain::library::{DocumentDraft, DocumentStatus};

use super::files::{download, uploaded_file};
use super::form::{Submitted, actor_of, error_status};
use super::routes::{Registry, RouteKind};
use crate::router::AppState;

/// The library's routes with their access rules.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/library", Access::Public)
        .page("/library/new", Access::Editor)
        .page("/library/drafts", Access::Editor)
        .page("/library/{slug}", Access::Public)
        .page("/library/{slug}/compare", Access::Public)
        .page("/library/{slug}/edit", Access::Editor)
        .page("/good-practice", Access::Public)
        .page("/tom", Access::Public)
        .server_fn("/api/library/list", Access::Public)
        .server_fn("/api/library/document", Access::Public)
        .server_fn("/api/library/compare", Access::Public)
        .server_fn("/api/library/curated", Access::Public)
        .server_fn("/api/library/editor", Access::Editor)
        .server_fn("/api/library/desk", Access::Editor)
        .form::<NewDocument>(post(new_document), Access::Editor)
        .form::<EditDocument>(post(edit_document), Access::Editor)
        .form::<DiscardDraft>(post(discard_draft), Access::Editor)
        .form::<WithdrawDocument>(post(withdraw), Access::Editor)
        .form::<RepublishDocument>(post(republish), Access::Editor)
        .form::<AttachFile>(post(attach_file), Access::Editor)
        .form::<RemoveAttachment>(post(remove_attachment), Access::Editor)
        .get(
            "/library/{slug}/files/{file}",
            RouteKind::Download,
            get(download_attachment),
            Access::Public,
        )
}

/// What the editor asked for with the fields it sent.
enum Intent {
    Preview,
    SaveDraft,
    Publish,
}

fn intent_of(intent: &str) -> Intent {
    match intent {
        "preview" => Intent::Preview,
        "save" => Intent::SaveDraft,
        _ => Intent::Publish,
    }
}

/// Previews, saves or publishes `draft` for the document `slug` (`None`: a new one), then
/// shows the form again (preview, or problems on `page`) or goes to the result.
async fn preview_save_or_publish<F: Form>(
    state: &AppState,
    form: Submitted<F>,
    page: &str,
    slug: Option<&str>,
    intent: &str,
    draft: DocumentDraft,
) -> Response {
    let actor = form.actor();
    let library = &state.services.library;
    match intent_of(intent) {
        Intent::Preview => match library.preview(&actor, &draft.body) {
            Ok(html) => form.preview(state, page, html).await,
            Err(error) => form.failed(state, page, error).await,
        },
        Intent::SaveDraft => {
            let outcome = library
                .save_draft(&actor, slug, &draft, &form.origin())
                .await;
            form.finish(state, page, outcome, |slug| {
                format!("/library/{slug}/edit?done=draft-saved")
            })
            .await
        }
        Intent::Publish => {
            let outcome = library.publish(&actor, slug, &draft, &form.origin()).await;
            form.finish(state, page, outcome, |slug| {
                format!("/library/{slug}?done=published")
            })
            .await
        }
    }
}

async fn new_document(State(state): State<AppState>, form: Submitted<NewDocument>) -> Response {
    let fields = form.form.clone();
    let draft = DocumentDraft {
        slug: fields.slug,
        title: fields.title,
        kind: fields.kind,
        summary: fields.summary,
        tags: fields.tags,
        audience: fields.audience,
        groups: fields.groups,
        owner: fields.owner,
        review_by: fields.review_by,
        body: fields.body,
        change_note: fields.change_note,
    };
    let page = NewDocument::SPEC.action;
    preview_save_or_publish(&state, form, page, None, &fields.intent, draft).await
}

async fn edit_document(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: Submitted<EditDocument>,
) -> Response {
    let fields = form.form.clone();
    let draft = DocumentDraft {
        slug: slug.clone(),
        title: fields.title,
        kind: fields.kind,
        summary: fields.summary,
        tags: fields.tags,
        audience: fields.audience,
        groups: fields.groups,
        owner: fields.owner,
        review_by: fields.review_by,
        body: fields.body,
        change_note: fields.change_note,
    };
    let page = EditDocument::SPEC.action_with(&[&slug]);
    preview_save_or_publish(&state, form, &page, Some(&slug), &fields.intent, draft).await
}

async fn discard_draft(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: Submitted<DiscardDraft>,
) -> Response {
    let outcome = state
        .services
        .library
        .discard_draft(&form.actor(), &slug, &form.origin())
        .await;
    let page = EditDocument::SPEC.action_with(&[&slug]);
    form.finish(&state, &page, outcome, |()| {
        "/library/drafts?done=discarded".to_owned()
    })
    .await
}

async fn withdraw(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: Submitted<WithdrawDocument>,
) -> Response {
    set_status(state, slug, form, DocumentStatus::Withdrawn, "withdrawn").await
}

async fn republish(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: Submitted<RepublishDocument>,
) -> Response {
    set_status(state, slug, form, DocumentStatus::Published, "republished").await
}

async fn set_status<F: Form>(
    state: AppState,
    slug: String,
    form: Submitted<F>,
    status: DocumentStatus,
    done: &str,
) -> Response {
    let outcome = state
        .services
        .library
        .set_status(&form.actor(), &slug, status, &form.origin())
        .await;
    let page = format!("/library/{slug}");
    form.finish(&state, &page, outcome, |()| format!("{page}?done={done}"))
        .await
}

async fn attach_file(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let upload = uploaded_file(Request::from_parts(parts.clone(), body), &state).await;
    let form = Submitted::<AttachFile>::without_body(parts);
    let page = EditDocument::SPEC.action_with(&[&slug]);
    let (file_name, bytes) = upload.unwrap_or_default();
    let outcome = state
        .services
        .library
        .attach(&form.actor(), &slug, &file_name, bytes, &form.origin())
        .await;
    form.finish(&state, &page, outcome, |_| {
        format!("{page}?done=attached#attachments")
    })
    .await
}

async fn remove_attachment(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
    form: Submitted<RemoveAttachment>,
) -> Response {
    let outcome = state
        .services
        .library
        .remove_attachment(&form.actor(), &slug, &file, &form.origin())
        .await;
    let page = EditDocument::SPEC.action_with(&[&slug]);
    form.finish(&state, &page, outcome, |()| {
        format!("{page}?done=removed#attachments")
    })
    .await
}

/// An attachment, for whoever may read its document. Always downloaded, never shown in the
/// page's origin, and never sniffed into another type.
async fn download_attachment(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    match state
        .services
        .library
        .attachment(&actor_of(&parts), &slug, &file)
        .await
    {
        Ok(found) => download(found),
        Err(error) => error_status(&parts, error),
    }
}
