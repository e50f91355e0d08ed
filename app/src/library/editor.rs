//! Editors publish in the library: `/library/new` and `/library/<slug>/edit` (every field,
//! the Markdown text with a preview, save as a draft or publish as the next version with its
//! change note), and `/library/drafts` (drafts, withdrawn documents and overdue reviews).
//! Plain forms: everything works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api;
use super::dto::{DocumentEditorView, EditorsDeskView};
use super::forms::{AttachFile, DiscardDraft, EditDocument, NewDocument, RemoveAttachment};
use crate::files::{FileList, FileRow, FileUpload};
use crate::forms::{
    ErrorSummary, Form, FormFields, FormState, GroupChoice, RadioGroup, SelectInput, SuccessBanner,
    TextInput, form_state,
};
use crate::layout::{Breadcrumbs, ErrorPage};

fn home_library_and_desk() -> Vec<(String, String)> {
    vec![
        ("Home".to_owned(), "/".to_owned()),
        ("Guidance library".to_owned(), "/library".to_owned()),
        (
            "Drafts and reviews".to_owned(),
            "/library/drafts".to_owned(),
        ),
    ]
}

/// `/library/new`: write a new document.
#[component]
pub fn NewDocumentPage() -> impl IntoView {
    let editor = Resource::new(|| (), |_| api::document_editor(String::new()));
    view! {
        <Title text="New library document" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(editor) => view! { <DocumentForm editor slug=None /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/library/<slug>/edit`: change a document, or go on with its draft.
#[component]
pub fn EditDocumentPage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let key = slug.clone();
    let editor = Resource::new(move || key.clone(), api::document_editor);
    view! {
        <Title text="Edit library document" />
        <Suspense fallback=|| ()>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match editor.await {
                        Ok(editor) => view! { <DocumentForm editor slug=Some(slug) /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The banner after saving a draft or changing the attachments.
fn draft_banner() -> Option<impl IntoView> {
    let message = match use_query_map().read_untracked().get("done")?.as_str() {
        "draft-saved" => "Draft saved. Readers still see the published version.",
        "attached" => "File attached. Readers of the document can download it now.",
        "removed" => "Attachment removed.",
        _ => return None,
    };
    Some(view! { <SuccessBanner message=message.to_owned() /> })
}

/// Every field of a document, the preview, and the buttons: preview, save draft, publish.
#[component]
fn DocumentForm(editor: DocumentEditorView, slug: Option<String>) -> impl IntoView {
    let (form_id, action) = match &slug {
        Some(slug) => (
            EditDocument::SPEC.id,
            EditDocument::SPEC.action_with(&[slug]),
        ),
        None => (NewDocument::SPEC.id, NewDocument::SPEC.action.to_owned()),
    };
    let state = form_state(form_id);
    let fields = editor.fields.clone();
    let heading = if slug.is_none() {
        "New library document".to_owned()
    } else if editor.is_new {
        format!("Draft: {}", fields.title)
    } else {
        format!("Edit: {}", fields.title)
    };
    let mut trail = home_library_and_desk();
    if let (Some(slug), false) = (&slug, editor.is_new) {
        trail.push((fields.title.clone(), format!("/library/{slug}")));
    }
    let status = match (editor.live_version, editor.withdrawn) {
        (Some(version), false) => format!(
            "Version {version} is published. Publishing makes version {}.",
            version + 1
        ),
        (Some(version), true) => format!(
            "Version {version} is withdrawn: readers cannot see it. Publishing makes version {} (still withdrawn until you republish it).",
            version + 1
        ),
        (None, _) => "Not yet published: only editors can see this draft.".to_owned(),
    };
    let preview = state.preview.clone();
    let body = state.value_or("body", &fields.body);
    let body_error = state.error("body");
    let body_class = if body_error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    let audience_options = vec![
        ("members", "All approved members"),
        ("groups", "Only the groups ticked below"),
        (
            "public",
            "Everyone, including visitors who are not signed in",
        ),
    ];
    let discard = slug
        .clone()
        .filter(|_| editor.draft_saved.is_some())
        .map(|slug| view! { <DiscardForm slug /> });
    let attachments = slug
        .clone()
        .filter(|_| !editor.is_new)
        .map(|slug| view! { <AttachmentsEditor slug attachments=editor.attachments.clone() /> });
    view! {
        <Breadcrumbs trail current=if slug.is_none() { "New document".to_owned() } else { "Edit".to_owned() } />
        {draft_banner()}
        <h1>{heading}</h1>
        <p class="lead">{status}</p>
        {editor.draft_saved.clone().map(|saved| view! {
            <p class="inset-text">{format!("Working from the draft saved {saved}.")}</p>
        })}
        <ErrorSummary state=state.clone() />
        <form method="post" action=action novalidate>
            <FormFields form_id=form_id />
            {slug.is_none().then(|| view! {
                <TextInput name="slug" label="Web address name" hint="Lowercase words joined by hyphens: the document will be at /library/<name>. It cannot be changed later." state=state.clone() initial=fields.slug.clone() />
            })}
            <TextInput name="title" label="Title" state=state.clone() initial=fields.title.clone() />
            <SelectInput name="kind" label="Kind of document" options=editor.kinds.clone() state=state.clone() initial=fields.kind.clone() />
            <TextInput name="summary" label="Summary" hint="One or two sentences for lists and search results, at most 300 characters" state=state.clone() initial=fields.summary.clone() />
            <TextInput name="tags" label="Topics" hint="One to eight, separated by commas, like: referrals, managers" state=state.clone() initial=fields.tags.clone() />
            <RadioGroup name="audience" legend="Who may read it" options=audience_options state=state.clone() initial=fields.audience.clone() />
            <GroupChoice name="groups" legend="Groups" hint="Only when the document is for chosen groups: nobody else will know it exists" key=String::new() groups=editor.groups.clone() chosen=fields.groups.clone() state=state.clone() />
            <TextInput name="owner" label="Owner" hint="The role or team that keeps it up to date" state=state.clone() initial=fields.owner.clone() />
            <TextInput name="review_by" label="Next review" hint="Year-month-day, like 2027-12-31" state=state.clone() initial=fields.review_by.clone() />
            <div class=body_class>
                <label class="label" for="field-body">"Text (Markdown)"</label>
                <div class="hint" id="body-hint">"Use ## for sections and ### below them. Link to another document with /library/its-name."</div>
                {body_error.map(|message| view! {
                    <p class="error-message" id="body-error"><span class="visually-hidden">"Error: "</span>{message}</p>
                })}
                <textarea class="textarea textarea--code" id="field-body" name="body" rows="25" aria-describedby="body-hint">{body}</textarea>
            </div>
            <TextInput name="change_note" label="What this version changes" hint="Shown in the version history, like: Updated the referral form after the 2027 review" state=state.clone() initial=fields.change_note.clone() />
            <div class="button-group">
                <button type="submit" class="button button--secondary" name="intent" value="preview">"Preview"</button>
                <button type="submit" class="button button--secondary" name="intent" value="save">"Save draft"</button>
                <button type="submit" class="button" name="intent" value="publish">"Publish"</button>
            </div>
        </form>
        {preview.map(|html| view! {
            <section class="preview" aria-labelledby="preview-heading">
                <h2 id="preview-heading">"Preview"</h2>
                <div class="prose" inner_html=html></div>
            </section>
        })}
        {attachments}
        {discard}
    }
}

/// The document's attachments with a Remove button each, and the upload form.
#[component]
fn AttachmentsEditor(slug: String, attachments: Vec<FileRow>) -> impl IntoView {
    view! {
        <section id="attachments" aria-labelledby="attachments-edit-heading">
            <h2 id="attachments-edit-heading">"Attachments"</h2>
            <p>"Files attached here can be downloaded by everyone who may read the document, as soon as they are attached."</p>
            <FileList files=attachments download_base=format!("/library/{slug}/files") remove=Some((RemoveAttachment::SPEC, vec![slug.clone()])) empty="No files attached." />
            <FileUpload form=AttachFile::SPEC action=AttachFile::SPEC.action_with(&[&slug]) label="File to attach" button="Attach file" />
        </section>
    }
}

/// Throws the saved draft away.
#[component]
fn DiscardForm(slug: String) -> impl IntoView {
    view! {
        <h2>"Discard the draft"</h2>
        <p>"The published version, if any, stays as it is."</p>
        <form method="post" action=DiscardDraft::SPEC.action_with(&[&slug])>
            <FormFields form_id=DiscardDraft::SPEC.id />
            <button type="submit" class="button button--warning">"Discard draft"</button>
        </form>
    }
}

/// `/library/drafts`: what editors look after.
#[component]
pub fn EditorsDeskPage() -> impl IntoView {
    let desk = Resource::new(|| (), |_| api::editors_desk());
    let discarded = use_query_map().read_untracked().get("done").as_deref() == Some("discarded");
    view! {
        <Title text="Drafts and reviews" />
        <Breadcrumbs trail=home_library_and_desk()[..2].to_vec() current="Drafts and reviews" />
        {discarded.then(|| view! { <SuccessBanner message="Draft discarded.".to_owned() /> })}
        <h1>"Drafts and reviews"</h1>
        <p><a class="button" href="/library/new">"New document"</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => view! { <Desk desk /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Desk(desk: EditorsDeskView) -> impl IntoView {
    let cards = |documents: Vec<super::dto::DocumentCard>, empty: &'static str| {
        if documents.is_empty() {
            view! { <p>{empty}</p> }.into_any()
        } else {
            view! {
                <ul class="list">
                    {documents.into_iter().map(|document| view! {
                        <li>
                            <a href=format!("/library/{}", document.slug)>{document.title}</a>
                            {format!(" (review due {})", document.review_by)}
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <h2>"Drafts"</h2>
        {if desk.drafts.is_empty() {
            view! { <p>"No unpublished drafts."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <caption class="visually-hidden">"Unpublished drafts, newest first"</caption>
                    <thead><tr><th scope="col">"Document"</th><th scope="col">"Last saved"</th></tr></thead>
                    <tbody>
                        {desk.drafts.into_iter().map(|draft| view! {
                            <tr>
                                <td>
                                    <a href=format!("/library/{}/edit", draft.slug)>{if draft.title.is_empty() { draft.slug.clone() } else { draft.title.clone() }}</a>
                                    {draft.is_new.then(|| view! { " "<strong class="tag">"New"</strong> })}
                                </td>
                                <td>{draft.saved}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }}
        <h2>"Past their review date"</h2>
        {cards(desk.overdue, "Every published document is within its review date.")}
        <h2>"Withdrawn"</h2>
        {cards(desk.withdrawn, "No withdrawn documents.")}
    }
}

/// The editor's tools on a document's page: edit, and withdraw or republish.
#[component]
pub fn EditorTools(slug: String, withdrawn: bool, has_draft: bool) -> impl IntoView {
    use super::forms::{RepublishDocument, WithdrawDocument};
    let (spec, label, class) = if withdrawn {
        (
            RepublishDocument::SPEC,
            "Republish",
            "button button--secondary",
        )
    } else {
        (
            WithdrawDocument::SPEC,
            "Withdraw from the library",
            "button button--warning",
        )
    };
    let state: FormState = form_state(spec.id);
    view! {
        <section class="editor-tools" aria-labelledby="editor-tools-heading">
            <h2 id="editor-tools-heading" class="visually-hidden">"Editor's tools"</h2>
            <ErrorSummary state />
            <div class="button-group">
                <a class="button button--secondary" href=format!("/library/{slug}/edit")>
                    {if has_draft { "Edit (continue the draft)" } else { "Edit" }}
                </a>
                <form method="post" action=spec.action_with(&[&slug])>
                    <FormFields form_id=spec.id />
                    <button type="submit" class=class>{label}</button>
                </form>
            </div>
        </section>
    }
}
