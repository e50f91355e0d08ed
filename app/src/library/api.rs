//! Server functions for the library and its curated pages.

use leptos::prelude::*;

use super::dto::{
    Comparison, CuratedPage, DocumentEditorView, DocumentPage, EditorsDeskView, LibraryListing,
};
use crate::error::AppError;

/// One page of the documents the visitor may read, filtered by kind, tag and audience, newest
/// first or by title.
#[server(prefix = "/api", endpoint = "library/list", input = server_fn::codec::GetUrl)]
pub async fn list_documents(
    kind: Option<String>,
    tag: Option<String>,
    audience: Option<String>,
    sort: Option<String>,
    page: Option<usize>,
) -> Result<LibraryListing, AppError> {
    use domain::access::Permission;
    use domain::library::{AudienceFilter, DocumentKind, LibraryOrder, LibraryQuery};

    use super::dto::{DocumentCard, FilterOption};

    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let query = LibraryQuery {
        kind: kind.as_deref().and_then(DocumentKind::parse),
        tag: tag.filter(|tag| !tag.is_empty()),
        audience: audience.as_deref().and_then(AudienceFilter::parse),
        order: LibraryOrder::parse(sort.as_deref().unwrap_or_default()),
        page: page.unwrap_or(1),
    };
    let found = cx.services.library.list(&actor, &query).await?;
    let may_edit = actor.allows(Permission::EditContent).is_ok();
    Ok(LibraryListing {
        documents: found
            .documents
            .into_iter()
            .map(DocumentCard::from)
            .collect(),
        total: found.total,
        page: found.page,
        pages: found.pages,
        kinds: found
            .kinds
            .into_iter()
            .map(|(kind, count)| FilterOption {
                value: kind.as_str().to_owned(),
                label: kind.plural().to_owned(),
                count,
            })
            .collect(),
        tags: found
            .tags
            .into_iter()
            .map(|(tag, count)| FilterOption {
                label: tag.replace('-', " "),
                value: tag,
                count,
            })
            .collect(),
        audiences: found
            .audiences
            .into_iter()
            .map(|(audience, count)| FilterOption {
                value: audience.as_str().to_owned(),
                label: audience.label().to_owned(),
                count,
            })
            .collect(),
        kind: query
            .kind
            .map(|kind| kind.as_str().to_owned())
            .unwrap_or_default(),
        tag: query.tag.unwrap_or_default(),
        audience: query
            .audience
            .map(|audience| audience.as_str().to_owned())
            .unwrap_or_default(),
        order: query.order.as_str().to_owned(),
        overdue: if may_edit {
            found.overdue.into_iter().map(DocumentCard::from).collect()
        } else {
            Vec::new()
        },
        may_edit,
    })
}

/// The document with `slug`, if the visitor may read it.
#[server(prefix = "/api", endpoint = "library/document", input = server_fn::codec::GetUrl)]
pub async fn get_document(slug: String) -> Result<DocumentPage, AppError> {
    let cx = crate::context::server_context()?;
    let document = cx
        .services
        .library
        .get(&crate::context::actor(), &slug)
        .await?;
    Ok(DocumentPage::from(document))
}

/// What changed between versions `from` and `to` of the document with `slug`.
#[server(prefix = "/api", endpoint = "library/compare", input = server_fn::codec::GetUrl)]
pub async fn compare_versions(slug: String, from: i32, to: i32) -> Result<Comparison, AppError> {
    let cx = crate::context::server_context()?;
    let comparison = cx
        .services
        .library
        .compare(&crate::context::actor(), &slug, from, to)
        .await?;
    Ok(Comparison::from(comparison))
}

/// A curated page: `good-practice` (good practice examples and templates) or `tom` (the
/// target operating model, with the standards and templates that support it).
#[server(prefix = "/api", endpoint = "library/curated", input = server_fn::codec::GetUrl)]
pub async fn load_curated_page(which: String) -> Result<CuratedPage, AppError> {
    use domain::library::DocumentKind;

    use super::dto::DocumentCard;

    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let (intro, main_kind, related) = match which.as_str() {
        "good-practice" => (
            "good-practice-hub",
            None,
            [DocumentKind::GoodPractice, DocumentKind::PolicyTemplate],
        ),
        "tom" => (
            "target-operating-model",
            Some(DocumentKind::TargetOperatingModel),
            [DocumentKind::Standard, DocumentKind::PolicyTemplate],
        ),
        _ => return Err(AppError::NotFound),
    };
    let page = cx.services.pages.get(&actor, intro).await?;
    let main = match main_kind {
        Some(kind) => {
            let found = cx.services.library.of_kinds(&actor, &[kind]).await?;
            match found.first() {
                Some(document) => Some(DocumentPage::from(
                    cx.services.library.get(&actor, &document.slug).await?,
                )),
                None => None,
            }
        }
        None => None,
    };
    let documents = cx.services.library.of_kinds(&actor, &related).await?;
    let groups = related
        .into_iter()
        .map(|kind| {
            (
                kind.plural().to_owned(),
                documents
                    .iter()
                    .filter(|document| document.kind == kind)
                    .cloned()
                    .map(DocumentCard::from)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, documents)| !documents.is_empty())
        .collect();
    Ok(CuratedPage {
        title: page.title,
        summary: page.summary,
        intro_html: page.body_html,
        main,
        groups,
    })
}

/// The edit page of the document `slug`, or of a new document when `slug` is empty. Editors
/// only.
#[server(prefix = "/api", endpoint = "library/editor", input = server_fn::codec::GetUrl)]
pub async fn document_editor(slug: String) -> Result<DocumentEditorView, AppError> {
    let cx = crate::context::server_context()?;
    let slug = (!slug.is_empty()).then_some(slug);
    let editor = cx
        .services
        .library
        .editor(&crate::context::actor(), slug.as_deref())
        .await?;
    Ok(DocumentEditorView::from(editor))
}

/// Drafts, withdrawn documents and overdue reviews. Editors only.
#[server(prefix = "/api", endpoint = "library/desk", input = server_fn::codec::GetUrl)]
pub async fn editors_desk() -> Result<EditorsDeskView, AppError> {
    let cx = crate::context::server_context()?;
    let desk = cx.services.library.desk(&crate::context::actor()).await?;
    Ok(EditorsDeskView::from(desk))
}
