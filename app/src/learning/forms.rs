//! The learning area's forms: completing lessons, the knowledge check, and the editors' forms.

use std::collections::BTreeMap;

use crate::forms::typed_form;

typed_form! {
    /// Mark a lesson complete and go on.
    CompleteLesson { id: "complete-lesson", action: "/learning/{module}/{lesson}/complete", first: "lesson" } {}
}

/// The knowledge check: one `answer-<question>` field per question, repeated for "select all
/// that apply".
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct KnowledgeCheck {
    /// Submitted fields by name (`answer-<question key>` → chosen option numbers).
    #[serde(flatten)]
    pub fields: BTreeMap<String, AnswerValues>,
}

/// One question's submitted values.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct AnswerValues(#[serde(deserialize_with = "crate::forms::one_or_many")] pub Vec<String>);

impl KnowledgeCheck {
    /// Chosen option numbers by question key; values that are not numbers are dropped (the
    /// question then counts as unanswered).
    pub fn answers(&self) -> std::collections::HashMap<String, Vec<usize>> {
        self.fields
            .iter()
            .filter_map(|(name, values)| {
                let key = name.strip_prefix("answer-")?;
                let chosen = values.0.iter().filter_map(|value| value.parse().ok());
                Some((key.to_owned(), chosen.collect()))
            })
            .collect()
    }
}

impl crate::forms::Form for KnowledgeCheck {
    const SPEC: crate::forms::FormSpec = crate::forms::FormSpec {
        id: "knowledge-check",
        action: "/learning/{module}/check",
    };
    const FIRST_FIELD: &'static str = "answers";
}

typed_form! {
    /// Edit a module's `module.toml`.
    EditModule { id: "module-edit", action: "/learning/{module}/edit", first: "content" } {
        /// The whole manifest.
        manifest: String,
    }
}

typed_form! {
    /// Edit a lesson, or preview the edit.
    EditLesson { id: "lesson-edit", action: "/learning/{module}/{lesson}/edit", first: "content" } {
        /// `preview` to show the rendered body without saving; anything else saves.
        intent: String,
        /// Title.
        title: String,
        /// Summary.
        summary: String,
        /// Minutes to read.
        minutes: String,
        /// Markdown body.
        body: String,
    }
}

typed_form! {
    /// Create a module.
    CreateModule { id: "module-new", action: "/learning/new", first: "content" } {
        /// The module's slug (its folder name).
        slug: String,
        /// The `module.toml`.
        manifest: String,
        /// The first lesson's Markdown file.
        first_lesson: String,
    }
}

typed_form! {
    /// Add a lesson to a module.
    AddLesson { id: "lesson-add", action: "/learning/{module}/lessons", first: "content" } {
        /// The lesson's file name (`NN-name.md`).
        file_name: String,
        /// The lesson's Markdown file.
        text: String,
    }
}

typed_form! {
    /// Record a clinical review of a module.
    RecordReview { id: "module-review", action: "/learning/{module}/review", first: "reviewers" } {
        /// Who reviewed, one per line, with their roles.
        reviewers: String,
        /// The review's date, `YYYY-MM-DD`.
        reviewed_on: String,
        /// When the next review is due, `YYYY-MM-DD`.
        next_review: String,
        /// What the review covered (optional).
        note: String,
    }
}
