//! The route registry: every route the site answers — Leptos page, server function, form,
//! download, feed, health — is declared here by its area together with its access rule. The
//! router is built from it, the sign-in redirect reads it, and the authorization matrix and the
//! canary sweep test every entry for every kind of visitor, so a route without a rule cannot
//! be added unnoticed.

use app::forms::Form;
use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, get};
use domain::access::Access;

use super::{accounts, admin, cpd, forums, learning, library, pages, search};
use crate::router::AppState;

/// What a route answers with, which decides how a refused visitor is answered: a page
/// redirects to sign in, a form returns to it, everything else answers 401.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// A Leptos page (HTML).
    Page,
    /// A Leptos server function (JSON under `/api/`).
    ServerFunction,
    /// A form post (redirects or re-renders its page).
    Form,
    /// A file download.
    Download,
    /// A machine-readable feed.
    Feed,
    /// The health check.
    Health,
    /// A redirect a browser follows (a permalink, a step of single sign-on).
    Redirect,
    /// A built browser asset (served from memory, outside the session and CSRF layers).
    Asset,
    /// The one-click unsubscribe address in emails (GET shows the page, POST acts; outside
    /// the session and CSRF layers, authorised by the signed token it carries).
    Unsubscribe,
}

/// One route and its rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteRule {
    /// GET for pages, server functions, downloads and feeds; POST for forms.
    pub method: Method,
    /// The route pattern, `{name}` for a path segment.
    pub path: &'static str,
    /// What it answers with.
    pub kind: RouteKind,
    /// Who may use it.
    pub access: Access,
}

impl RouteRule {
    /// True for routes a browser navigates to (a page, or a redirect to one): a visitor who
    /// must sign in is sent to the sign-in page rather than shown a bare 401.
    pub fn is_navigation(&self) -> bool {
        matches!(self.kind, RouteKind::Page | RouteKind::Redirect)
    }

    /// True when a request for `path` is served by this route (`{name}` matches one
    /// non-empty segment, `{*name}` the rest of the path).
    pub fn matches(&self, path: &str) -> bool {
        let (mut route, mut path) = (self.path.split('/'), path.split('/'));
        loop {
            match (route.next(), path.next()) {
                (None, None) => return true,
                (Some(rest), Some(actual)) if rest.starts_with("{*") => return !actual.is_empty(),
                (Some(expected), Some(actual)) => {
                    let wildcard = expected.starts_with('{') && expected.ends_with('}');
                    if !(wildcard && !actual.is_empty() || expected == actual) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }
}

/// Collects routes with their rules while building the router.
pub struct Registry {
    router: Router<AppState>,
    outside_layers: Router<AppState>,
    rules: Vec<RouteRule>,
}

/// The registered routes: those behind the session and CSRF layers, those outside them
/// (health checks, which must stay cheap), and every rule.
pub struct Registered {
    /// Routes that see the session and the CSRF check.
    pub layered: Router<AppState>,
    /// Routes that never look up a session or set a cookie.
    pub outside_layers: Router<AppState>,
    /// Every route's rule, including the Leptos pages, server functions and static files
    /// that are added to the router elsewhere.
    pub rules: Vec<RouteRule>,
}

impl Registry {
    fn new() -> Self {
        Self {
            router: Router::new(),
            outside_layers: Router::new(),
            rules: Vec::new(),
        }
    }

    fn record(&mut self, method: Method, path: &'static str, kind: RouteKind, access: Access) {
        self.rules.push(RouteRule {
            method,
            path,
            kind,
            access,
        });
    }

    /// A form `F`, posted to its action and handled by `handler`.
    pub fn form<F: Form>(mut self, handler: MethodRouter<AppState>, access: Access) -> Self {
        self.record(Method::POST, F::SPEC.action, RouteKind::Form, access);
        self.router = self.router.route(F::SPEC.action, handler);
        self
    }

    /// A GET route served by an axum `handler`.
    pub fn get(
        mut self,
        path: &'static str,
        kind: RouteKind,
        handler: MethodRouter<AppState>,
        access: Access,
    ) -> Self {
        self.record(Method::GET, path, kind, access);
        self.router = self.router.route(path, handler);
        self
    }

    /// A GET route outside the session and CSRF layers (it sees no actor and sets no cookie).
    pub fn get_outside_layers(
        mut self,
        path: &'static str,
        kind: RouteKind,
        handler: MethodRouter<AppState>,
    ) -> Self {
        self.record(Method::GET, path, kind, Access::Public);
        self.outside_layers = self.outside_layers.route(path, handler);
        self
    }

    /// A GET and POST route outside the session and CSRF layers, open to anyone: it must carry
    /// its own authority (a signed token).
    pub fn outside_layers(
        mut self,
        path: &'static str,
        kind: RouteKind,
        handler: MethodRouter<AppState>,
    ) -> Self {
        self.record(Method::GET, path, kind, Access::Public);
        self.record(Method::POST, path, kind, Access::Public);
        self.outside_layers = self.outside_layers.route(path, handler);
        self
    }

    /// A built browser asset path (served by [`crate::assets::routes`]), with its rule.
    pub fn static_file(mut self, path: &'static str) -> Self {
        self.record(Method::GET, path, RouteKind::Asset, Access::Public);
        self
    }

    /// A Leptos page (rendered by the app's router), with its rule.
    pub fn page(mut self, path: &'static str, access: Access) -> Self {
        self.record(Method::GET, path, RouteKind::Page, access);
        self
    }

    /// A Leptos server function read with GET (registered by leptos_axum), with its rule.
    pub fn server_fn(mut self, path: &'static str, access: Access) -> Self {
        self.record(Method::GET, path, RouteKind::ServerFunction, access);
        self
    }

    /// A Leptos server function called with POST (its URL-encoded body carries the CSRF
    /// token, like a form), with its rule.
    pub fn posted_server_fn(mut self, path: &'static str, access: Access) -> Self {
        self.record(Method::POST, path, RouteKind::ServerFunction, access);
        self
    }
}

/// Every area's routes.
pub fn registry() -> Registered {
    let registry = Registry::new()
        .get_outside_layers("/health", RouteKind::Health, get(crate::health::health))
        .static_file("/pkg/{*file}")
        .static_file("/favicon.svg");
    let registry = accounts::routes(registry);
    let registry = admin::routes(registry);
    let registry = learning::routes(registry);
    let registry = library::routes(registry);
    let registry = cpd::routes(registry);
    let registry = forums::routes(registry);
    let registry = pages::routes(registry);
    let registry = search::routes(registry);
    Registered {
        layered: registry.router,
        outside_layers: registry.outside_layers,
        rules: registry.rules,
    }
}

/// The rules alone (for the sign-in redirect and the tests).
pub fn rules() -> Vec<RouteRule> {
    registry().rules
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: &'static str) -> RouteRule {
        RouteRule {
            method: Method::GET,
            path,
            kind: RouteKind::Download,
            access: Access::Member,
        }
    }

    #[test]
    fn patterns_match_one_segment_per_parameter() {
        let media = rule("/learning/{module}/media/{file}");
        assert!(media.matches("/learning/m/media/a.png"));
        assert!(!media.matches("/learning/m/media/"));
        assert!(!media.matches("/learning/m/lesson"));
        assert!(rule("/account/data").matches("/account/data"));
        let files = rule("/pkg/{*file}");
        assert!(files.matches("/pkg/ohnet.abc.css") && files.matches("/pkg/a/b.js"));
        assert!(!files.matches("/pkg/"));
    }

    #[test]
    fn every_route_is_declared_once() {
        let rules = rules();
        for (index, rule) in rules.iter().enumerate() {
            assert!(
                !rules[index + 1..]
                    .iter()
                    .any(|other| other.method == rule.method && other.path == rule.path),
                "{} {} is declared twice",
                rule.method,
                rule.path
            );
        }
    }
}
