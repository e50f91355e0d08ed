//! The HTTP router: Leptos pages and server functions, `/health`, hashed static assets, and the
//! layers every response passes through (request id, tracing, security headers, body limit,
//! panic → 500 page).

use std::sync::Arc;

use app::context::ServerContext;
use app::shell::{App, AssetNames, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRef, Request};
use axum::http::{HeaderName, HeaderValue, Response, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::assets::{AssetManifest, StaticFiles};
use crate::config::Config;
use crate::web;
use crate::web::routes::RouteRule;

/// The header carrying each request's id, set on the way in and echoed on the way out.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Everything a request handler may need: a handle on one [`SharedState`], because axum clones
/// the state for every middleware and handler of every request (perf showed the copies of the
/// fields at about 2 % of a lesson page's time).
#[derive(Clone, Debug)]
pub struct AppState(Arc<SharedState>);

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// What [`AppState`] shares.
#[derive(Debug)]
pub struct SharedState {
    /// Domain services (also handed to every Leptos render).
    pub services: Arc<domain::Services>,
    /// Leptos' view of the site (bundle name, site root).
    pub leptos_options: LeptosOptions,
    /// Hashed asset names for the document head.
    pub assets: AssetNames,
    /// The built browser assets, held in memory.
    pub static_files: StaticFiles,
    /// The configuration the server started with.
    pub config: Arc<Config>,
    /// Every route with its access rule (from the route registry).
    pub routes: Arc<Vec<RouteRule>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Builds the state from configuration, open services and the asset manifest.
    pub fn new(config: Config, services: domain::Services, manifest: AssetManifest) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name(manifest.bundle)
            .site_root(config.site_dir.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.addr)
            .build();
        AppState(Arc::new(SharedState {
            services: Arc::new(services),
            leptos_options,
            assets: AssetNames {
                stylesheet: manifest.stylesheet,
            },
            static_files: manifest.files,
            config: Arc::new(config),
            routes: Arc::new(crate::web::routes::rules()),
        }))
    }
}

/// Marks a response produced from a caught panic, so the error page layer can render it.
#[derive(Clone, Copy, Debug)]
struct Panicked;

/// What every Leptos render gets in its context: the domain services and asset names.
pub fn leptos_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let server_context = ServerContext {
        services: state.services.clone(),
    };
    let assets = state.assets.clone();
    move || {
        provide_context(server_context.clone());
        provide_context(assets.clone());
    }
}

/// The complete application router with all layers applied.
pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = leptos_context(&state);
    let max_body_bytes = state
        .config
        .max_upload_bytes
        .max(state.config.max_form_bytes);
    let registered = web::routes::registry();
    let routes = registered
        .layered
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::session::apply_own_writes,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::session::resolve_actor,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::session::redirect_to_sign_in,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            web::csrf::protect,
        ))
        // Added after the session and CSRF layers, so these never look up a session or set
        // a cookie: health checks, and the static files (served from memory).
        .merge(registered.outside_layers)
        .merge(crate::assets::routes(state.static_files.clone()))
        .with_state(state);
    with_layers(routes, max_body_bytes)
}

/// Wraps `routes` in the layers every response passes through, outermost first.
pub fn with_layers(routes: Router, max_body_bytes: usize) -> Router {
    routes.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &Request<Body>| {
                        let request_id = request
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|value| value.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!(
                            "request",
                            method = %request.method(),
                            path = %request.uri().path(),
                            request_id,
                            member = tracing::field::Empty,
                        )
                    })
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            // Pages set their own nonce-based policy; everything else may run nothing.
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("DENY"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
            ))
            .layer(middleware::from_fn(render_internal_error_page))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(RequestBodyLimitLayer::new(max_body_bytes)),
    )
}

fn panic_response(payload: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let detail = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("non-string panic payload");
    tracing::error!(panic = detail, "request handler panicked");
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(Panicked);
    response
}

/// Replaces the bare 500 left by a caught panic with the service's error page, showing the
/// request id and nothing of the failure.
async fn render_internal_error_page(request: Request, next: Next) -> Response<Body> {
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("unknown")
        .to_owned();
    let response = next.run(request).await;
    if response.extensions().get::<Panicked>().is_none() {
        return response;
    }
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CACHE_CONTROL, "no-store")],
        Html(internal_error_html(&request_id)),
    )
        .into_response()
}

/// A self-contained error page (it must render even when the app cannot).
pub fn internal_error_html(request_id: &str) -> String {
    let request_id: String = request_id
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '-')
        .take(64)
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sorry, there is a problem with the service – ohnet</title></head>\
         <body><main id=\"main-content\"><h1>Sorry, there is a problem with the service</h1>\
         <p>Try again later.</p>\
         <p>If you contact support about this, quote reference <strong class=\"request-id\">{request_id}</strong>.</p>\
         <p><a href=\"/\">Go to the ohnet home page</a></p></main></body></html>"
    )
}
