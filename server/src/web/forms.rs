//! The plain form posts that change things. Each one checks nothing itself beyond parsing:
//! the domain decides. Success redirects (303) to the next page; a mistake renders the form's
//! page again with the values typed and every problem listed (422), so nothing is lost and no
//! JavaScript is needed.

use std::collections::HashMap;

use app::forms::FormState;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::post;
use cookie::SameSite;
use cookie::time::Duration;
use domain::accounts::{Actor, Registration, RequestOrigin, SESSION_DAYS};
use leptos::prelude::provide_context;

use super::cookies;
use crate::router::{AppState, internal_error_html, leptos_context};

/// Every path a form posts to (the authorization matrix test checks each one).
pub const FORM_PATHS: [&str; 26] = [
    "/register",
    "/register/sso",
    "/verify-email",
    "/sign-in",
    "/sign-out",
    "/reset-password",
    "/reset-password/new",
    "/admin/members/{id}/approve",
    "/admin/members/{id}/decline",
    "/admin/members/{id}/suspend",
    "/admin/members/{id}/reinstate",
    "/admin/members/{id}/role",
    "/admin/members/{id}/groups",
    "/admin/allow-list",
    "/admin/allow-list/remove",
    "/account/profile",
    "/account/email-preferences",
    "/account/password",
    "/account/sign-out-others",
    "/account/close",
    "/learning/{module}/{lesson}/complete",
    "/learning/{module}/check",
    "/learning/{module}/edit",
    "/learning/{module}/{lesson}/edit",
    "/learning/new",
    "/learning/{module}/lessons",
];

/// The form routes, merged into the main router.
pub fn routes() -> Router<AppState> {
    let [
        register_path,
        register_sso_path,
        verify_path,
        sign_in_path,
        sign_out_path,
        reset_request_path,
        reset_path,
        approve_path,
        decline_path,
        suspend_path,
        reinstate_path,
        role_path,
        groups_path,
        allow_path,
        disallow_path,
        profile_path,
        preferences_path,
        password_path,
        sign_out_others_path,
        close_path,
        complete_lesson_path,
        check_path,
        module_edit_path,
        lesson_edit_path,
        module_new_path,
        lesson_add_path,
    ] = FORM_PATHS;
    Router::new()
        .route(register_path, post(register))
        .route(register_sso_path, post(register_with_sso))
        .route(verify_path, post(verify_email))
        .route(sign_in_path, post(sign_in))
        .route(sign_out_path, post(sign_out))
        .route(reset_request_path, post(request_password_reset))
        .route(reset_path, post(reset_password))
        .route(approve_path, post(approve_member))
        .route(decline_path, post(decline_member))
        .route(suspend_path, post(suspend_member))
        .route(reinstate_path, post(reinstate_member))
        .route(role_path, post(change_role))
        .route(groups_path, post(change_groups))
        .route(allow_path, post(allow_domain))
        .route(disallow_path, post(disallow_domain))
        .route(profile_path, post(update_profile))
        .route(preferences_path, post(email_preferences))
        .route(password_path, post(change_password))
        .route(sign_out_others_path, post(sign_out_others))
        .route(close_path, post(close_account))
        .route(complete_lesson_path, post(complete_lesson))
        .route(check_path, post(submit_knowledge_check))
        .route(module_edit_path, post(edit_module))
        .route(lesson_edit_path, post(edit_lesson))
        .route(module_new_path, post(create_module))
        .route(lesson_add_path, post(add_lesson))
}

/// Paths that download a file rather than show a page.
pub const DOWNLOAD_PATHS: [&str; 2] = ["/account/data", "/learning/{module}/media/{file}"];

/// The download routes.
pub fn downloads() -> Router<AppState> {
    let [data_path, media_path] = DOWNLOAD_PATHS;
    Router::new()
        .route(data_path, axum::routing::get(download_my_data))
        .route(media_path, axum::routing::get(module_media))
}

async fn module_media(
    State(state): State<AppState>,
    Path((module, file)): Path<(String, String)>,
    request: Request,
) -> Response {
    let actor = request
        .extensions()
        .get::<Actor>()
        .cloned()
        .unwrap_or_default();
    match state.services.learning.media(&actor, &module, &file).await {
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
        Err(domain::Error::Unauthenticated) => StatusCode::UNAUTHORIZED.into_response(),
        Err(domain::Error::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(domain::Error::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(%err, "module media failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn complete_lesson(
    State(state): State<AppState>,
    Path((module, lesson)): Path<(String, String)>,
    form: Submitted,
) -> Response {
    match state
        .services
        .learning
        .complete_lesson(&form.actor(), &module, &lesson)
        .await
    {
        Ok(Some(next)) => see_other(&format!("/learning/{module}/{next}")),
        Ok(None) => see_other(&format!("/learning/{module}")),
        Err(error) => {
            let page = format!("/learning/{module}/{lesson}");
            form.failed(&state, &page, "complete-lesson", "lesson", error)
                .await
        }
    }
}

async fn edit_module(
    State(state): State<AppState>,
    Path(module): Path<String>,
    form: Submitted,
) -> Response {
    match state
        .services
        .learning
        .save_manifest(
            &form.actor(),
            &module,
            &form.text("manifest"),
            &form.origin(),
        )
        .await
    {
        Ok(()) => see_other(&format!("/learning/{module}?done=saved")),
        Err(error) => {
            let page = format!("/learning/{module}/edit");
            form.failed(&state, &page, "module-edit", "content", error)
                .await
        }
    }
}

async fn create_module(State(state): State<AppState>, form: Submitted) -> Response {
    let slug = form.text("slug").trim().to_owned();
    match state
        .services
        .learning
        .create_module(
            &form.actor(),
            &slug,
            &form.text("manifest"),
            &form.text("first_lesson"),
            &form.origin(),
        )
        .await
    {
        Ok(()) => see_other(&format!("/learning/{slug}?done=created")),
        Err(error) => {
            form.failed(&state, "/learning/new", "module-new", "content", error)
                .await
        }
    }
}

async fn add_lesson(
    State(state): State<AppState>,
    Path(module): Path<String>,
    form: Submitted,
) -> Response {
    match state
        .services
        .learning
        .add_lesson(
            &form.actor(),
            &module,
            &form.text("file_name"),
            &form.text("text"),
            &form.origin(),
        )
        .await
    {
        Ok(()) => see_other(&format!("/learning/{module}?done=saved")),
        Err(error) => {
            let page = format!("/learning/{module}/edit");
            form.failed(&state, &page, "lesson-add", "content", error)
                .await
        }
    }
}

async fn edit_lesson(
    State(state): State<AppState>,
    Path((module, lesson)): Path<(String, String)>,
    form: Submitted,
) -> Response {
    let actor = form.actor();
    let page = format!("/learning/{module}/{lesson}/edit");
    if form.text("intent") == "preview" {
        return match state.services.learning.preview(&actor, &form.text("body")) {
            Ok(html) => {
                let values = form.values.clone();
                let preview = FormState {
                    form_id: "lesson-edit".to_owned(),
                    values,
                    errors: Vec::new(),
                    preview: Some(html),
                };
                render_page(&state, form.parts, &page, preview, StatusCode::OK).await
            }
            Err(error) => {
                form.failed(&state, &page, "lesson-edit", "content", error)
                    .await
            }
        };
    }
    let draft = domain::learning::LessonDraft {
        title: form.text("title"),
        summary: form.text("summary"),
        minutes: form.text("minutes"),
        body: form.text("body"),
    };
    match state
        .services
        .learning
        .save_lesson(&actor, &module, &lesson, &draft, &form.origin())
        .await
    {
        Ok(()) => see_other(&format!("/learning/{module}/{lesson}?done=saved")),
        Err(error) => {
            form.failed(&state, &page, "lesson-edit", "content", error)
                .await
        }
    }
}

async fn submit_knowledge_check(
    State(state): State<AppState>,
    Path(module): Path<String>,
    form: Submitted,
) -> Response {
    let mut answers: HashMap<String, Vec<usize>> = HashMap::new();
    for (name, values) in &form.values {
        if let Some(key) = name.strip_prefix("answer-") {
            answers.insert(
                key.to_owned(),
                values
                    .iter()
                    .filter_map(|value| value.parse().ok())
                    .collect(),
            );
        }
    }
    match state
        .services
        .learning
        .submit(&form.actor(), &module, &answers)
        .await
    {
        Ok(attempt) => see_other(&format!("/learning/{module}/check/{attempt}")),
        Err(error) => {
            let page = format!("/learning/{module}/check");
            form.failed(&state, &page, "knowledge-check", "answers", error)
                .await
        }
    }
}

async fn download_my_data(State(state): State<AppState>, request: Request) -> Response {
    let actor = request
        .extensions()
        .get::<Actor>()
        .cloned()
        .unwrap_or_default();
    match state.services.accounts.export_data(&actor).await {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"ohnet-my-data.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(domain::Error::Unauthenticated) => StatusCode::UNAUTHORIZED.into_response(),
        Err(err) => {
            tracing::error!(%err, "data export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn change_password(State(state): State<AppState>, form: Submitted) -> Response {
    let token = cookies::read(&form.parts.headers, cookies::SESSION).unwrap_or_default();
    let outcome = state
        .services
        .accounts
        .change_password(
            &form.actor(),
            &token,
            &form.text("current_password"),
            &form.text("new_password"),
            &form.origin(),
        )
        .await;
    match outcome {
        Ok(()) => see_other("/account?done=password-changed"),
        Err(error) => {
            form.failed(
                &state,
                "/account",
                "change-password",
                "current_password",
                error,
            )
            .await
        }
    }
}

async fn sign_out_others(State(state): State<AppState>, form: Submitted) -> Response {
    let token = cookies::read(&form.parts.headers, cookies::SESSION).unwrap_or_default();
    match state
        .services
        .accounts
        .sign_out_other_sessions(&form.actor(), &token)
        .await
    {
        Ok(_) => see_other("/account?done=signed-out-others"),
        Err(error) => {
            form.failed(
                &state,
                "/account",
                "sign-out-others",
                "current_password",
                error,
            )
            .await
        }
    }
}

/// A submitted form: field name → values (checkboxes repeat). As an extractor it reads the
/// whole body (within the size limit) and answers 400 if it is not a form.
pub(crate) struct Submitted {
    parts: Parts,
    values: HashMap<String, Vec<String>>,
}

impl FromRequest<AppState> for Submitted {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        Submitted::read(state, request).await
    }
}

impl Submitted {
    /// A request without a form (a GET whose failure re-renders a page with a message).
    pub(crate) fn without_form(parts: Parts) -> Self {
        Self {
            parts,
            values: HashMap::new(),
        }
    }

    async fn read(state: &AppState, request: Request) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let bytes = to_bytes(body, state.config.max_body_bytes)
            .await
            .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| (StatusCode::BAD_REQUEST, "The form could not be read").into_response())?;
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in pairs {
            if name == super::csrf::TOKEN_FIELD {
                continue;
            }
            values.entry(name).or_default().push(value);
        }
        Ok(Self { parts, values })
    }

    fn text(&self, field: &str) -> String {
        self.values
            .get(field)
            .and_then(|values| values.first())
            .cloned()
            .unwrap_or_default()
    }

    /// The member's own details, as typed into an application or profile form.
    fn details(&self) -> domain::accounts::MemberDetails {
        domain::accounts::MemberDetails {
            name: self.text("name"),
            profession: self.text("profession"),
            organisation: self.text("organisation"),
            regulator: self.text("regulator"),
            registration_number: self.text("registration_number"),
        }
    }

    fn actor(&self) -> Actor {
        self.parts
            .extensions
            .get::<Actor>()
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn origin(&self) -> RequestOrigin {
        self.parts
            .extensions
            .get::<RequestOrigin>()
            .cloned()
            .unwrap_or_default()
    }

    /// Renders `page` again with this submission's values (passwords dropped) and `error`'s
    /// problems, or redirects/answers as the error's kind requires.
    pub(crate) async fn failed(
        self,
        state: &AppState,
        page: &str,
        form_id: &str,
        default_field: &str,
        error: domain::Error,
    ) -> Response {
        let (status, errors) = match error {
            domain::Error::InvalidFields(problems) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                problems
                    .into_iter()
                    .map(|problem| (problem.field, problem.message))
                    .collect(),
            ),
            domain::Error::Invalid { field, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![(field.to_owned(), message)],
            ),
            domain::Error::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                vec![(
                    default_field.to_owned(),
                    "Too many attempts. Wait a few minutes and try again.".to_owned(),
                )],
            ),
            domain::Error::Conflict(message) => (
                StatusCode::CONFLICT,
                vec![(default_field.to_owned(), message)],
            ),
            domain::Error::Unavailable(message) => (
                StatusCode::SERVICE_UNAVAILABLE,
                vec![(default_field.to_owned(), message)],
            ),
            domain::Error::Unauthenticated => return Redirect::to("/sign-in").into_response(),
            domain::Error::Forbidden => (
                StatusCode::FORBIDDEN,
                vec![(
                    default_field.to_owned(),
                    "You do not have permission to do that".to_owned(),
                )],
            ),
            domain::Error::NotFound => (
                StatusCode::NOT_FOUND,
                vec![(
                    default_field.to_owned(),
                    "That no longer exists; the page has been refreshed".to_owned(),
                )],
            ),
            domain::Error::Internal(detail) => {
                let request_id = self
                    .parts
                    .headers
                    .get(crate::router::REQUEST_ID)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("unknown")
                    .to_owned();
                tracing::error!(%detail, "form submission failed");
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Html(internal_error_html(&request_id)),
                )
                    .into_response();
            }
        };
        let mut values = self.values;
        values.retain(|name, _| !name.contains("password"));
        let form = FormState {
            form_id: form_id.to_owned(),
            values,
            errors,
            preview: None,
        };
        render_page(state, self.parts, page, form, status).await
    }
}

/// Renders the Leptos page at `page` for this request (as a GET), with `form` in context.
pub(crate) async fn render_page(
    state: &AppState,
    mut parts: Parts,
    page: &str,
    form: FormState,
    status: StatusCode,
) -> Response {
    parts.method = Method::GET;
    parts.uri = page
        .parse::<Uri>()
        .unwrap_or_else(|_| Uri::from_static("/"));
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let context = leptos_context(state);
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            context();
            provide_context(form.clone());
        },
        move || app::shell::shell(options.clone()),
    );
    let mut response = handler(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

pub(crate) fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// Redirects to `destination` with a fresh session cookie, ending any earlier session of this
/// browser (so a session is never carried across a sign-in).
pub(crate) async fn signed_in(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    token: &str,
    destination: &str,
) -> Response {
    if let Some(previous) = cookies::read(headers, cookies::SESSION)
        && let Err(err) = state.services.accounts.sign_out(&previous).await
    {
        tracing::warn!(%err, "could not end the previous session");
    }
    let mut response = see_other(destination);
    if let Some(cookie) = cookies::set(
        cookies::SESSION,
        token,
        SameSite::Lax,
        state.config.base_url.starts_with("https://"),
        Some(Duration::days(SESSION_DAYS)),
    ) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// Deletes cookie `name` on `response`.
pub(crate) fn clear_cookie(state: &AppState, response: &mut Response, name: &str) {
    if let Some(cookie) = cookies::set(
        name,
        "",
        SameSite::Lax,
        state.config.base_url.starts_with("https://"),
        None,
    ) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
}

async fn register(State(state): State<AppState>, form: Submitted) -> Response {
    let registration = Registration {
        name: form.text("name"),
        email: form.text("email"),
        password: form.text("password"),
        profession: form.text("profession"),
        organisation: form.text("organisation"),
        regulator: form.text("regulator"),
        registration_number: form.text("registration_number"),
        groups: form.values.get("groups").cloned().unwrap_or_default(),
    };
    match state
        .services
        .accounts
        .register(registration, &form.origin())
        .await
    {
        Ok(()) => see_other("/register/check-email"),
        Err(error) => {
            form.failed(&state, "/register", "register", "name", error)
                .await
        }
    }
}

async fn verify_email(State(state): State<AppState>, form: Submitted) -> Response {
    let token = form.text("token");
    match state.services.accounts.verify_email(&token).await {
        Ok(domain::accounts::MemberStatus::Active) => see_other("/sign-in?done=approved"),
        Ok(_) => see_other("/sign-in?done=verified"),
        Err(error) => {
            let page = format!("/verify-email?token={}", urlencode(&token));
            form.failed(&state, &page, "verify-email", "token", error)
                .await
        }
    }
}

async fn sign_in(State(state): State<AppState>, form: Submitted) -> Response {
    let outcome = state
        .services
        .accounts
        .sign_in(&form.text("email"), &form.text("password"), &form.origin())
        .await;
    match outcome {
        Ok(session) => {
            let next = form.text("next");
            let destination = super::session::safe_return_path(&next).unwrap_or("/account");
            signed_in(&state, &form.parts.headers, &session.token, destination).await
        }
        Err(error) => {
            form.failed(&state, "/sign-in", "sign-in", "email", error)
                .await
        }
    }
}

async fn register_with_sso(State(state): State<AppState>, form: Submitted) -> Response {
    let token =
        cookies::read(&form.parts.headers, app::accounts::api::SSO_COOKIE).unwrap_or_default();
    let outcome = state
        .services
        .accounts
        .sso_apply(
            &token,
            &form.details(),
            form.values.get("groups").cloned().unwrap_or_default(),
            &form.origin(),
        )
        .await;
    match outcome {
        Ok(session) => {
            let mut response =
                signed_in(&state, &form.parts.headers, &session.token, "/account").await;
            clear_cookie(&state, &mut response, app::accounts::api::SSO_COOKIE);
            response
        }
        Err(error) => {
            form.failed(&state, "/register/sso", "register-sso", "name", error)
                .await
        }
    }
}

async fn update_profile(State(state): State<AppState>, form: Submitted) -> Response {
    match state
        .services
        .accounts
        .update_profile(&form.actor(), &form.details())
        .await
    {
        Ok(()) => see_other("/account?done=profile-saved"),
        Err(error) => {
            form.failed(&state, "/account/profile", "profile", "name", error)
                .await
        }
    }
}

async fn email_preferences(State(state): State<AppState>, form: Submitted) -> Response {
    let ticked = |name: &str| form.text(name) == "yes";
    let preferences = domain::accounts::EmailPreferences {
        newsletters: ticked("newsletters"),
        forum_replies: ticked("forum_replies"),
        events: ticked("events"),
    };
    match state
        .services
        .accounts
        .set_email_preferences(&form.actor(), preferences)
        .await
    {
        Ok(()) => see_other("/account?done=preferences-saved"),
        Err(error) => {
            form.failed(
                &state,
                "/account",
                "email-preferences",
                "newsletters",
                error,
            )
            .await
        }
    }
}

async fn close_account(State(state): State<AppState>, form: Submitted) -> Response {
    match state
        .services
        .accounts
        .close_account(
            &form.actor(),
            form.text("confirm") == "yes",
            &form.text("password"),
        )
        .await
    {
        Ok(()) => {
            let mut response = see_other("/sign-in?done=closed");
            clear_cookie(&state, &mut response, cookies::SESSION);
            response
        }
        Err(error) => {
            form.failed(&state, "/account/close", "close-account", "confirm", error)
                .await
        }
    }
}

async fn allow_domain(State(state): State<AppState>, form: Submitted) -> Response {
    match state
        .services
        .accounts
        .add_allowed_domain(&form.actor(), &form.text("domain"), &form.origin())
        .await
    {
        Ok(()) => see_other("/admin/allow-list?done=added"),
        Err(error) => {
            form.failed(
                &state,
                "/admin/allow-list",
                "allow-list-add",
                "domain",
                error,
            )
            .await
        }
    }
}

async fn disallow_domain(State(state): State<AppState>, form: Submitted) -> Response {
    match state
        .services
        .accounts
        .remove_allowed_domain(&form.actor(), &form.text("domain"), &form.origin())
        .await
    {
        Ok(()) => see_other("/admin/allow-list?done=removed"),
        Err(error) => {
            form.failed(
                &state,
                "/admin/allow-list",
                "allow-list-remove",
                "domain",
                error,
            )
            .await
        }
    }
}

async fn sign_out(State(state): State<AppState>, request: Request) -> Response {
    if let Some(token) = cookies::read(request.headers(), cookies::SESSION)
        && let Err(err) = state.services.accounts.sign_out(&token).await
    {
        tracing::error!(%err, "sign-out failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = see_other("/sign-in?done=signed-out");
    if let Some(cookie) = cookies::set(
        cookies::SESSION,
        "",
        SameSite::Lax,
        state.config.base_url.starts_with("https://"),
        None,
    ) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

async fn request_password_reset(State(state): State<AppState>, form: Submitted) -> Response {
    match state
        .services
        .accounts
        .request_password_reset(&form.text("email"), &form.origin())
        .await
    {
        Ok(()) => see_other("/reset-password/sent"),
        Err(error) => {
            form.failed(&state, "/reset-password", "reset-request", "email", error)
                .await
        }
    }
}

async fn reset_password(State(state): State<AppState>, form: Submitted) -> Response {
    let token = form.text("token");
    match state
        .services
        .accounts
        .reset_password(&token, &form.text("password"))
        .await
    {
        Ok(()) => see_other("/sign-in?done=password-reset"),
        Err(error) => {
            let page = format!("/reset-password/new?token={}", urlencode(&token));
            form.failed(&state, &page, "reset-password", "password", error)
                .await
        }
    }
}

async fn approve_member(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted,
) -> Response {
    match state
        .services
        .accounts
        .approve(&form.actor(), id, &form.origin())
        .await
    {
        Ok(()) => see_other("/admin/members?done=approved"),
        Err(error) => {
            let form_id = format!("decline-{id}");
            form.failed(&state, "/admin/members", &form_id, "reason", error)
                .await
        }
    }
}

async fn decline_member(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted,
) -> Response {
    match state
        .services
        .accounts
        .decline(&form.actor(), id, &form.text("reason"), &form.origin())
        .await
    {
        Ok(()) => see_other("/admin/members?done=declined"),
        Err(error) => {
            let form_id = format!("decline-{id}");
            form.failed(&state, "/admin/members", &form_id, "reason", error)
                .await
        }
    }
}

/// Which member-administration action a form asks for.
#[derive(Clone, Copy)]
enum MemberAction {
    Suspend,
    Reinstate,
    Role,
    Groups,
}

async fn administer_member(
    state: AppState,
    id: i32,
    form: Submitted,
    action: MemberAction,
) -> Response {
    let (actor, origin) = (form.actor(), form.origin());
    let accounts = &state.services.accounts;
    let (outcome, done) = match action {
        MemberAction::Suspend => (accounts.suspend(&actor, id, &origin).await, "suspended"),
        MemberAction::Reinstate => (accounts.reinstate(&actor, id, &origin).await, "reinstated"),
        MemberAction::Role => (
            accounts
                .set_role(
                    &actor,
                    id,
                    &form.text("role"),
                    &form.text("moderates"),
                    &origin,
                )
                .await,
            "role-changed",
        ),
        MemberAction::Groups => (
            accounts
                .set_groups(
                    &actor,
                    id,
                    form.values
                        .get("groups")
                        .map(Vec::as_slice)
                        .unwrap_or_default(),
                    &origin,
                )
                .await,
            "groups-changed",
        ),
    };
    match outcome {
        Ok(()) => see_other(&format!("/admin/members?status=all&done={done}")),
        Err(error) => {
            let form_id = format!("manage-{id}");
            form.failed(&state, "/admin/members?status=all", &form_id, "role", error)
                .await
        }
    }
}

async fn suspend_member(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted,
) -> Response {
    administer_member(state, id, form, MemberAction::Suspend).await
}

async fn reinstate_member(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted,
) -> Response {
    administer_member(state, id, form, MemberAction::Reinstate).await
}

async fn change_role(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted,
) -> Response {
    administer_member(state, id, form, MemberAction::Role).await
}

async fn change_groups(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: Submitted,
) -> Response {
    administer_member(state, id, form, MemberAction::Groups).await
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|encoded| encoded.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}
