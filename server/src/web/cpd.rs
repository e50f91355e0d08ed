//! The CPD area on the web: the member's record. Nobody but its owner sees a CPD record.

use domain::access::Access;

use super::routes::Registry;

/// The CPD routes with their access rules.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/cpd", Access::Member)
        .server_fn("/api/cpd/entries", Access::Member)
}
