//! The library editors' forms: writing a new document or changing one (each can preview,
//! save a draft or publish), discarding a draft, withdrawing or republishing a document, and
//! attaching files to it or removing them.

use crate::forms::typed_form;

typed_form! {
    /// Write a new document.
    NewDocument { id: "document-new", action: "/library/new", first: "slug" } {
        /// `preview`, `save` (as a draft) or `publish`.
        intent: String,
        /// The web address name.
        slug: String,
        /// Title.
        title: String,
        /// What kind of document it is.
        kind: String,
        /// One or two sentences.
        summary: String,
        /// Tags, separated by commas.
        tags: String,
        /// `public`, `members` or `groups`.
        audience: String,
        /// The groups, when the audience is `groups`.
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        groups: Vec<String>,
        /// Who keeps it up to date.
        owner: String,
        /// Next review, `YYYY-MM-DD`.
        review_by: String,
        /// Markdown.
        body: String,
        /// What this version changes.
        change_note: String,
    }
}

typed_form! {
    /// Change a document: the next version, or its working draft.
    EditDocument { id: "document-edit", action: "/library/{slug}/edit", first: "title" } {
        /// `preview`, `save` (as a draft) or `publish`.
        intent: String,
        /// Title.
        title: String,
        /// What kind of document it is.
        kind: String,
        /// One or two sentences.
        summary: String,
        /// Tags, separated by commas.
        tags: String,
        /// `public`, `members` or `groups`.
        audience: String,
        /// The groups, when the audience is `groups`.
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        groups: Vec<String>,
        /// Who keeps it up to date.
        owner: String,
        /// Next review, `YYYY-MM-DD`.
        review_by: String,
        /// Markdown.
        body: String,
        /// What this version changes.
        change_note: String,
    }
}

typed_form! {
    /// Throw away a document's unpublished draft.
    DiscardDraft { id: "document-discard", action: "/library/{slug}/discard", first: "confirm" } {}
}

typed_form! {
    /// Withdraw a document from readers (kept, with its history).
    WithdrawDocument { id: "document-withdraw", action: "/library/{slug}/withdraw", first: "confirm" } {}
}

typed_form! {
    /// Put a withdrawn document back in the library.
    RepublishDocument { id: "document-republish", action: "/library/{slug}/republish", first: "confirm" } {}
}

typed_form! {
    /// Attach a file to a document (a multipart form: the CSRF token first, then `file`).
    AttachFile { id: "document-attach", action: "/library/{slug}/attachments", first: "file" } {}
}

typed_form! {
    /// Remove an attachment from a document.
    RemoveAttachment { id: "attachment-remove", action: "/library/{slug}/attachments/{file}/remove", first: "file" } {}
}
