//! Content pages on the web: the home page, the sections not open yet, and every page under
//! `content/pages/` (each page's own audience is decided in the domain: a page restricted to a
//! group answers "Page not found" to everyone else).

use domain::access::Access;

use super::routes::Registry;

/// The content pages' routes with their access rules.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/", Access::Public)
        .page("/events", Access::Public)
        .page("/newsletters", Access::Public)
        .page("/standards", Access::Public)
        .page("/{slug}", Access::Public)
        .server_fn("/api/pages/get", Access::Public)
}
