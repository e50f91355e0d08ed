//! Server functions for the CPD record.

use leptos::prelude::*;

use super::dto::CpdEntryView;
use crate::error::AppError;

/// The member's CPD entries.
#[server(prefix = "/api", endpoint = "cpd/entries", input = server_fn::codec::GetUrl)]
pub async fn cpd_entries() -> Result<Vec<CpdEntryView>, AppError> {
    let cx = crate::context::server_context()?;
    let entries = cx.services.cpd.entries(&crate::context::actor()).await?;
    Ok(entries
        .into_iter()
        .map(|entry| CpdEntryView {
            title: entry.title,
            kind: if entry.kind == domain::cpd::SELF_DIRECTED {
                "Self-directed learning".to_owned()
            } else {
                entry.kind
            },
            participation: if entry.participatory {
                "Participatory"
            } else {
                "Individual"
            }
            .to_owned(),
            hours: crate::learning::api::hours(entry.minutes),
            date: entry.occurred_on.format("%-d %B %Y").to_string(),
            automatic: entry.automatic,
        })
        .collect())
}
