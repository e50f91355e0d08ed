//! The knowledge check in `module.toml`: each `[[questions]]` table checked (a slug id used
//! once, a known kind, no blank text, at least two options, the right number correct).

use std::collections::HashSet;

use super::{OptionSource, QuestionKind, QuestionManifest, QuestionSource};
use crate::content::is_slug;

/// Validates the questions in order, reporting each problem at its span; answers them as
/// sources (meaningful only when nothing was reported).
pub(super) fn validate(
    questions: &[QuestionManifest],
    problem: &mut impl FnMut(std::ops::Range<usize>, String),
) -> Vec<QuestionSource> {
    let mut ids = HashSet::new();
    let mut valid = Vec::new();
    for question in questions {
        let id = question.id.get_ref();
        if !is_slug(id) {
            problem(
                question.id.span(),
                format!("question id `{id}` must be lowercase letters, digits and hyphens"),
            );
        } else if !ids.insert(id.clone()) {
            problem(
                question.id.span(),
                format!("question id `{id}` is used twice"),
            );
        }
        let kind = QuestionKind::parse(question.kind.get_ref());
        if kind.is_none() {
            problem(
                question.kind.span(),
                format!(
                    "question kind `{}` must be `single` or `multiple`",
                    question.kind.get_ref()
                ),
            );
        }
        for (field, value) in [
            ("prompt", &question.prompt),
            ("explanation", &question.explanation),
        ] {
            if value.get_ref().trim().is_empty() {
                problem(value.span(), format!("`{field}` must not be blank"));
            }
        }
        if question.options.len() < 2 {
            problem(
                question.id.span(),
                format!("question `{id}` needs at least two options"),
            );
        }
        for option in &question.options {
            for (field, value) in [("text", &option.text), ("feedback", &option.feedback)] {
                if value.get_ref().trim().is_empty() {
                    problem(value.span(), format!("option `{field}` must not be blank"));
                }
            }
        }
        let correct = question
            .options
            .iter()
            .filter(|option| option.correct)
            .count();
        if correct == 0 {
            problem(
                question.id.span(),
                format!("question `{id}` has no correct option"),
            );
        } else if kind == Some(QuestionKind::Single) && correct > 1 {
            problem(
                question.id.span(),
                format!(
                    "question `{id}` is `single` but has {correct} correct options; make it `multiple` or mark one"
                ),
            );
        }
        valid.push(QuestionSource {
            id: id.clone(),
            kind: kind.unwrap_or(QuestionKind::Single),
            prompt: question.prompt.get_ref().trim().to_owned(),
            explanation: question.explanation.get_ref().trim().to_owned(),
            options: question
                .options
                .iter()
                .map(|option| OptionSource {
                    text: option.text.get_ref().trim().to_owned(),
                    correct: option.correct,
                    feedback: option.feedback.get_ref().trim().to_owned(),
                })
                .collect(),
        });
    }
    valid
}
