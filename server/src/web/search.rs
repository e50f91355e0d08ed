//! Search on the web: the results page and the suggestions behind the header search box.
//! Anyone may search; what matches is what the visitor may read (decided in the domain).

use domain::access::Access;

use super::routes::Registry;

/// The search routes with their access rules.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/search", Access::Public)
        .server_fn("/api/search/suggest", Access::Public)
        .server_fn("/api/search/site", Access::Public)
}
