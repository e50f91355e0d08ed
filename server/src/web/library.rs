//! The library on the web: the list, each document, comparisons between versions, and the
//! curated good practice hub and target operating model. Anyone may ask; what they get is what
//! they may read, decided in the domain (a group's document answers "Page not found" to
//! everyone else).

use domain::access::Access;

use super::routes::Registry;

/// The library's routes with their access rules.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/library", Access::Public)
        .page("/library/{slug}", Access::Public)
        .page("/library/{slug}/compare", Access::Public)
        .page("/good-practice", Access::Public)
        .page("/tom", Access::Public)
        .server_fn("/api/library/list", Access::Public)
        .server_fn("/api/library/document", Access::Public)
        .server_fn("/api/library/compare", Access::Public)
        .server_fn("/api/library/curated", Access::Public)
}
