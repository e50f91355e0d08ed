//! The learning area on the web: completing lessons, the knowledge check, the editors' forms,
//! lesson media, and the pages and server functions with their access rules.

use app::forms::Form;
use app::learning::forms::{
    AddLesson, CompleteLesson, CreateModule, EditLesson, EditModule, KnowledgeCheck, RecordReview,
};
use axum::extract::{Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::access::Access;
use domain::learning::{LessonDraft, ReviewDraft};

use super::form::{Submitted, actor_of, error_status};
use super::routes::{Registry, RouteKind};
use crate::router::AppState;

/// The learning routes with their access rules. Anyone may read the catalogue and overviews;
/// lessons, checks and progress are for approved members; editing is for editors.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/learning", Access::Public)
        .page("/learning/{module}", Access::Public)
        .page("/learning/new", Access::Editor)
        .page("/learning/{module}/check", Access::Member)
        .page("/learning/{module}/check/{attempt}", Access::Member)
        .page("/learning/{module}/edit", Access::Editor)
        .page("/learning/{module}/review", Access::Editor)
        .page("/learning/{module}/{lesson}", Access::Member)
        .page("/learning/{module}/{lesson}/edit", Access::Editor)
        .page("/certificates/{code}", Access::Public)
        .server_fn("/api/learning/catalogue", Access::Public)
        .server_fn("/api/learning/module", Access::Public)
        .server_fn("/api/learning/certificate", Access::Public)
        .server_fn("/api/learning/lesson", Access::Member)
        .server_fn("/api/learning/check", Access::Member)
        .server_fn("/api/learning/attempt", Access::Member)
        .server_fn("/api/learning/manifest", Access::Editor)
        .server_fn("/api/learning/may-edit", Access::Editor)
        .server_fn("/api/learning/lesson-draft", Access::Editor)
        .server_fn("/api/learning/review-form", Access::Editor)
        .form::<CompleteLesson>(post(complete_lesson), Access::Member)
        .form::<KnowledgeCheck>(post(submit_knowledge_check), Access::Member)
        .form::<EditModule>(post(edit_module), Access::Editor)
        .form::<EditLesson>(post(edit_lesson), Access::Editor)
        .form::<CreateModule>(post(create_module), Access::Editor)
        .form::<AddLesson>(post(add_lesson), Access::Editor)
        .form::<RecordReview>(post(record_review), Access::Editor)
        .get(
            "/learning/{module}/media/{file}",
            RouteKind::Download,
            get(module_media),
            Access::Member,
        )
}

async fn complete_lesson(
    State(state): State<AppState>,
    Path((module, lesson)): Path<(String, String)>,
    form: Submitted<CompleteLesson>,
) -> Response {
    let outcome = state
        .services
        .learning
        .complete_lesson(&form.actor(), &module, &lesson)
        .await;
    let page = format!("/learning/{module}/{lesson}");
    form.finish(&state, &page, outcome, |next| match next {
        Some(next) => format!("/learning/{module}/{next}"),
        None => format!("/learning/{module}"),
    })
    .await
}

async fn submit_knowledge_check(
    State(state): State<AppState>,
    Path(module): Path<String>,
    form: Submitted<KnowledgeCheck>,
) -> Response {
    let outcome = state
        .services
        .learning
        .submit(&form.actor(), &module, &form.form.answers())
        .await;
    let page = format!("/learning/{module}/check");
    form.finish(&state, &page, outcome, |attempt| {
        format!("/learning/{module}/check/{attempt}")
    })
    .await
}

async fn edit_module(
    State(state): State<AppState>,
    Path(module): Path<String>,
    form: Submitted<EditModule>,
) -> Response {
    let outcome = state
        .services
        .learning
        .save_manifest(&form.actor(), &module, &form.form.manifest, &form.origin())
        .await;
    let page = format!("/learning/{module}/edit");
    form.finish(&state, &page, outcome, |()| {
        format!("/learning/{module}?done=saved")
    })
    .await
}

async fn edit_lesson(
    State(state): State<AppState>,
    Path((module, lesson)): Path<(String, String)>,
    form: Submitted<EditLesson>,
) -> Response {
    let actor = form.actor();
    let page = EditLesson::SPEC.action_with(&[&module, &lesson]);
    if form.form.intent == "preview" {
        return match state.services.learning.preview(&actor, &form.form.body) {
            Ok(html) => form.preview(&state, &page, html).await,
            Err(error) => form.failed(&state, &page, error).await,
        };
    }
    let fields = &form.form;
    let draft = LessonDraft {
        title: fields.title.clone(),
        summary: fields.summary.clone(),
        minutes: fields.minutes.clone(),
        body: fields.body.clone(),
    };
    let outcome = state
        .services
        .learning
        .save_lesson(&actor, &module, &lesson, &draft, &form.origin())
        .await;
    form.finish(&state, &page, outcome, |()| {
        format!("/learning/{module}/{lesson}?done=saved")
    })
    .await
}

async fn create_module(State(state): State<AppState>, form: Submitted<CreateModule>) -> Response {
    let fields = &form.form;
    let slug = fields.slug.trim().to_owned();
    let outcome = state
        .services
        .learning
        .create_module(
            &form.actor(),
            &slug,
            &fields.manifest,
            &fields.first_lesson,
            &form.origin(),
        )
        .await;
    form.finish(&state, CreateModule::SPEC.action, outcome, |()| {
        format!("/learning/{slug}?done=created")
    })
    .await
}

async fn add_lesson(
    State(state): State<AppState>,
    Path(module): Path<String>,
    form: Submitted<AddLesson>,
) -> Response {
    let outcome = state
        .services
        .learning
        .add_lesson(
            &form.actor(),
            &module,
            &form.form.file_name,
            &form.form.text,
            &form.origin(),
        )
        .await;
    let page = format!("/learning/{module}/edit");
    form.finish(&state, &page, outcome, |()| {
        format!("/learning/{module}?done=saved")
    })
    .await
}

async fn record_review(
    State(state): State<AppState>,
    Path(module): Path<String>,
    form: Submitted<RecordReview>,
) -> Response {
    let fields = &form.form;
    let draft = ReviewDraft {
        reviewers: fields.reviewers.clone(),
        reviewed_on: fields.reviewed_on.clone(),
        next_review: fields.next_review.clone(),
        note: fields.note.clone(),
    };
    let today = domain::time::london_today(chrono::Utc::now());
    let outcome = state
        .services
        .learning
        .record_review(&form.actor(), &module, &draft, today, &form.origin())
        .await;
    let page = RecordReview::SPEC.action_with(&[&module]);
    form.finish(&state, &page, outcome, |()| {
        format!("/learning/{module}?done=reviewed")
    })
    .await
}

async fn module_media(
    State(state): State<AppState>,
    Path((module, file)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    match state
        .services
        .learning
        .media(&actor_of(&parts), &module, &file)
        .await
    {
        Ok(media) => (
            [
                (header::CONTENT_TYPE, media.content_type),
                (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
                // An SVG opened on its own must not run script, even one an editor uploaded.
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; sandbox".to_owned(),
                ),
            ],
            media.bytes,
        )
            .into_response(),
        Err(error) => error_status(&parts, error),
    }
}
