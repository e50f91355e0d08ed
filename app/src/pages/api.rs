//! Server functions for content pages.

use leptos::prelude::*;

use super::dto::PageView;
use crate::error::AppError;

/// The published page with `slug`.
#[server(prefix = "/api", endpoint = "pages/get", input = server_fn::codec::GetUrl)]
pub async fn get_page(slug: String) -> Result<PageView, AppError> {
    let cx = crate::context::server_context()?;
    let page = cx
        .services
        .pages
        .get(&crate::context::actor(), &slug)
        .await?;
    Ok(PageView::from(page))
}
