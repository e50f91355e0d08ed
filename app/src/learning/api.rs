//! Server functions for eLearning pages (reads; finishing a lesson and answering the knowledge
//! check are form posts handled by the server's form routes).

use leptos::prelude::*;

use super::dto::{
    AttemptView, CatalogueView, CertificatePageView, CheckView, LessonDraftView, LessonPageView,
    ModuleView, ReviewFormView,
};
#[cfg(feature = "ssr")]
use super::dto::{
    GovernanceView, LessonItemView, ModuleCardView, OptionResultView, QuestionResultView,
    QuestionView, ReviewView,
};
use crate::error::AppError;

/// The catalogue, filtered by profession and topic.
#[server(prefix = "/api", endpoint = "learning/catalogue", input = server_fn::codec::GetUrl)]
pub async fn catalogue(
    profession: Option<String>,
    topic: Option<String>,
) -> Result<CatalogueView, AppError> {
    use domain::accounts::directory::PROFESSIONS;
    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let filter = domain::learning::CatalogueFilter { profession, topic };
    let catalogue = cx.services.learning.catalogue(&actor, &filter).await?;
    let topics = cx.services.learning.topics().await?;
    Ok(CatalogueView {
        modules: catalogue
            .modules
            .into_iter()
            .map(|card| card_view(card, catalogue.can_learn))
            .collect(),
        professions: PROFESSIONS
            .iter()
            .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
            .collect(),
        topics: topics
            .into_iter()
            .map(|topic| (topic.clone(), topic_label(&topic)))
            .collect(),
        can_create: catalogue.can_create,
    })
}

/// A module's overview, with the visitor's progress.
#[server(prefix = "/api", endpoint = "learning/module", input = server_fn::codec::GetUrl)]
pub async fn module(slug: String) -> Result<ModuleView, AppError> {
    let cx = crate::context::server_context()?;
    let overview = cx
        .services
        .learning
        .overview(&crate::context::actor(), &slug)
        .await?;
    Ok(ModuleView {
        revision: format!(
            "Revision {}, updated {}",
            overview.revision,
            domain::time::london_date(overview.updated_at)
        ),
        card: card_view(overview.card, overview.can_learn),
        outcomes: overview.outcomes,
        governance: governance_view(overview.governance),
        pass_mark: overview.pass_mark,
        lessons: overview
            .lessons
            .into_iter()
            .map(|lesson| LessonItemView {
                slug: lesson.slug,
                position: lesson.position,
                title: lesson.title,
                summary: lesson.summary,
                minutes: lesson.minutes,
                done: lesson.done,
                changed: lesson.changed_since_done,
            })
            .collect(),
        resume: overview.resume,
        questions: overview.questions,
        certificate: overview.certificate,
        can_learn: overview.can_learn,
        can_edit: overview.can_edit,
    })
}

/// What the page for recording a clinical review shows (editors).
#[server(prefix = "/api", endpoint = "learning/review-form", input = server_fn::codec::GetUrl)]
pub async fn review_form(module: String) -> Result<ReviewFormView, AppError> {
    let cx = crate::context::server_context()?;
    let form = cx
        .services
        .learning
        .review_form(&crate::context::actor(), &module)
        .await?;
    Ok(ReviewFormView {
        module_slug: module,
        module_title: form.module_title,
        review_status: form.governance.status.label().to_owned(),
        last_review: form.governance.last_review().map(|review| {
            format!(
                "{} by {}",
                domain::time::uk_date(review.date),
                review.reviewers.join("; ")
            )
        }),
        today: form.today.to_string(),
        a_year_on: form.suggested_next_review.to_string(),
    })
}

#[cfg(feature = "ssr")]
fn governance_view(governance: domain::content::modules::Governance) -> GovernanceView {
    GovernanceView {
        authors: governance.authors,
        reviews: governance
            .reviews
            .into_iter()
            .rev()
            .map(|review| ReviewView {
                date: domain::time::uk_date(review.date),
                reviewers: review.reviewers,
                note: review.note,
            })
            .collect(),
        next_review: governance.next_review.map(domain::time::uk_date),
    }
}

/// A lesson (approved members).
#[server(prefix = "/api", endpoint = "learning/lesson", input = server_fn::codec::GetUrl)]
pub async fn lesson(module: String, lesson: String) -> Result<LessonPageView, AppError> {
    let cx = crate::context::server_context()?;
    let view = cx
        .services
        .learning
        .lesson(&crate::context::actor(), &module, &lesson)
        .await?;
    Ok(LessonPageView {
        module_slug: view.module_slug,
        module_title: view.module_title,
        slug: view.slug,
        position: view.position,
        total: view.total,
        title: view.title,
        summary: view.summary,
        minutes: view.minutes,
        html: view.html,
        headings: view
            .headings
            .into_iter()
            .map(|heading| (heading.level, heading.id, heading.text))
            .collect(),
        previous: view.previous,
        next: view.next,
        done: view.done,
        changed: view.changed_since_done,
    })
}

/// A module's knowledge check (approved members).
#[server(prefix = "/api", endpoint = "learning/check", input = server_fn::codec::GetUrl)]
pub async fn knowledge_check(module: String) -> Result<CheckView, AppError> {
    let cx = crate::context::server_context()?;
    let check = cx
        .services
        .learning
        .knowledge_check(&crate::context::actor(), &module)
        .await?;
    Ok(CheckView {
        module_slug: check.module_slug,
        module_title: check.module_title,
        pass_mark: check.pass_mark,
        questions: check
            .questions
            .into_iter()
            .map(|question| QuestionView {
                multiple: question.kind == domain::content::modules::QuestionKind::Multiple,
                key: question.key,
                prompt: question.prompt,
                options: question.options,
            })
            .collect(),
    })
}

/// One of the member's marked attempts.
#[server(prefix = "/api", endpoint = "learning/attempt", input = server_fn::codec::GetUrl)]
pub async fn attempt(module: String, id: i32) -> Result<AttemptView, AppError> {
    let cx = crate::context::server_context()?;
    let result = cx
        .services
        .learning
        .attempt(&crate::context::actor(), &module, id)
        .await?;
    Ok(AttemptView {
        module_slug: result.module_slug,
        module_title: result.module_title,
        score: result.score,
        pass_mark: result.pass_mark,
        passed: result.passed,
        taken: domain::time::london_date_time(result.taken_at),
        questions: result
            .questions
            .into_iter()
            .map(|question| QuestionResultView {
                prompt: question.prompt,
                correct: question.correct,
                options: question
                    .options
                    .into_iter()
                    .map(|option| OptionResultView {
                        text: option.text,
                        chosen: option.chosen,
                        correct: option.correct,
                        feedback: option.feedback,
                    })
                    .collect(),
                explanation: question.explanation,
            })
            .collect(),
        certificate: result.certificate,
    })
}

/// A certificate by its verification code (public to whoever holds the code).
#[server(prefix = "/api", endpoint = "learning/certificate", input = server_fn::codec::GetUrl)]
pub async fn certificate(code: String) -> Result<CertificatePageView, AppError> {
    let cx = crate::context::server_context()?;
    let found = cx.services.learning.certificate(&code).await?;
    Ok(CertificatePageView {
        code: found.code,
        member_name: found.member_name,
        module_title: found.module_title,
        module_slug: found.module_slug,
        cpd: hours(found.cpd_minutes),
        issued: domain::time::london_date(found.issued_at),
    })
}

#[cfg(feature = "ssr")]
fn card_view(card: domain::learning::ModuleCard, can_learn: bool) -> ModuleCardView {
    use domain::accounts::directory::{PROFESSIONS, label};
    use domain::learning::LearnerStatus;
    ModuleCardView {
        audience: card
            .audience
            .iter()
            .map(|value| label(&PROFESSIONS, value).to_owned())
            .collect(),
        topics: card.topics.iter().map(|topic| topic_label(topic)).collect(),
        estimated: duration(card.estimated_minutes),
        cpd: hours(card.cpd_minutes),
        lessons: card.lessons,
        status: if can_learn {
            match card.status {
                LearnerStatus::NotStarted => "Not started",
                LearnerStatus::InProgress => "In progress",
                LearnerStatus::Completed => "Completed",
            }
            .to_owned()
        } else {
            String::new()
        },
        review_status: card.review_status.label().to_owned(),
        review_overdue: card.review_overdue,
        slug: card.slug,
        title: card.title,
        summary: card.summary,
    }
}

/// `night-work` → `Night work`.
#[cfg(feature = "ssr")]
fn topic_label(topic: &str) -> String {
    let words = topic.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `100` → `1 hour 40 minutes`.
#[cfg(feature = "ssr")]
fn duration(minutes: i32) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    let plural = |n: i32, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (hours, rest) {
        (0, rest) => plural(rest, "minute"),
        (hours, 0) => plural(hours, "hour"),
        (hours, rest) => format!("{} {}", plural(hours, "hour"), plural(rest, "minute")),
    }
}

/// `105` → `1.75 hours`.
#[cfg(feature = "ssr")]
pub(crate) fn hours(minutes: i32) -> String {
    let value = f64::from(minutes) / 60.0;
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {}", if text == "1" { "hour" } else { "hours" })
}

/// A module's `module.toml` text, for editors.
#[server(prefix = "/api", endpoint = "learning/manifest", input = server_fn::codec::GetUrl)]
pub async fn manifest(module: String) -> Result<String, AppError> {
    let cx = crate::context::server_context()?;
    Ok(cx
        .services
        .learning
        .manifest_text(&crate::context::actor(), &module)
        .await?)
}

/// A lesson's title, summary, reading time and Markdown, for editors.
#[server(prefix = "/api", endpoint = "learning/lesson-draft", input = server_fn::codec::GetUrl)]
pub async fn lesson_draft(module: String, lesson: String) -> Result<LessonDraftView, AppError> {
    let cx = crate::context::server_context()?;
    let draft = cx
        .services
        .learning
        .lesson_draft(&crate::context::actor(), &module, &lesson)
        .await?;
    Ok(LessonDraftView {
        title: draft.title,
        summary: draft.summary,
        minutes: draft.minutes,
        body: draft.body,
    })
}

/// Succeeds for editors (the pages that create modules check it first).
#[server(prefix = "/api", endpoint = "learning/may-edit", input = server_fn::codec::GetUrl)]
pub async fn may_edit() -> Result<(), AppError> {
    let cx = crate::context::server_context()?;
    Ok(cx.services.learning.may_edit(&crate::context::actor())?)
}
