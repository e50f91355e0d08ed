//! eLearning: modules imported from `content/modules/`, the catalogue, lessons with progress
//! and "resume", the knowledge check with per-question feedback, certificates checkable by
//! code, and the automatic CPD entry on passing.
//!
//! Who sees what: anyone may browse the catalogue and read a module's overview (so people
//! thinking of joining can see what the network offers); lessons, the knowledge check and
//! progress are for approved members; a certificate's verification page is public to whoever
//! has its code.

mod editor;
mod entities;
mod export;

pub use editor::LessonDraft;
pub use export::lesson_file_name;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::accounts::{Actor, MemberStatus};
use crate::content::ImportReport;
use crate::content::modules::{ModuleSource, QuestionKind};
use crate::markdown::Heading;
use crate::{Error, FieldError, Result, cpd};
use entities::{attempt, certificate, lesson, media, module, progress, question, record};

/// Where a learner is with a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LearnerStatus {
    /// Not opened yet (or not signed in).
    NotStarted,
    /// Opened, knowledge check not passed.
    InProgress,
    /// Knowledge check passed.
    Completed,
}

/// Narrows the catalogue; empty fields do not filter.
#[derive(Clone, Debug, Default)]
pub struct CatalogueFilter {
    /// Only modules for this profession (or for everyone).
    pub profession: Option<String>,
    /// Only modules with this topic.
    pub topic: Option<String>,
}

/// A module as listed in the catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleCard {
    /// URL slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Professions it is written for (empty: everyone).
    pub audience: Vec<String>,
    /// Topic slugs.
    pub topics: Vec<String>,
    /// Estimated time to complete.
    pub estimated_minutes: i32,
    /// CPD time recorded on passing.
    pub cpd_minutes: i32,
    /// Number of lessons.
    pub lessons: usize,
    /// The learner's status.
    pub status: LearnerStatus,
}

/// A lesson in a module's contents list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonSummary {
    /// URL slug.
    pub slug: String,
    /// 1-based position.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Reading time.
    pub minutes: i32,
    /// The learner finished it.
    pub done: bool,
    /// The learner finished it, but it has been revised since.
    pub changed_since_done: bool,
}

/// A module's overview page.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleOverview {
    /// Catalogue details.
    pub card: ModuleCard,
    /// Learning outcomes.
    pub outcomes: Vec<String>,
    /// Pass mark, percent.
    pub pass_mark: i32,
    /// Revision number (1 for the first import).
    pub revision: i32,
    /// When this revision was imported.
    pub updated_at: DateTime<Utc>,
    /// Lessons in order, with the learner's progress.
    pub lessons: Vec<LessonSummary>,
    /// The lesson to resume at, if the learner has started.
    pub resume: Option<String>,
    /// Number of knowledge-check questions.
    pub questions: usize,
    /// The learner's certificate code, once passed.
    pub certificate: Option<String>,
    /// The visitor may open lessons (an approved member).
    pub can_learn: bool,
    /// The visitor may edit the module (an editor).
    pub can_edit: bool,
}

/// A lesson to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonView {
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// Lesson slug.
    pub slug: String,
    /// 1-based position.
    pub position: i32,
    /// Number of lessons in the module.
    pub total: usize,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Reading time.
    pub minutes: i32,
    /// Sanitised HTML.
    pub html: String,
    /// Table of contents.
    pub headings: Vec<Heading>,
    /// Previous lesson (slug, title).
    pub previous: Option<(String, String)>,
    /// Next lesson (slug, title).
    pub next: Option<(String, String)>,
    /// The learner has finished it.
    pub done: bool,
    /// Finished, but revised since.
    pub changed_since_done: bool,
}

/// One knowledge-check question as the learner sees it (no answers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckQuestion {
    /// Stable key (form field `answer-<key>`).
    pub key: String,
    /// Choose one, or all that apply.
    pub kind: QuestionKind,
    /// The question.
    pub prompt: String,
    /// Option texts, in order.
    pub options: Vec<String>,
}

/// A module's knowledge check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnowledgeCheck {
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// Pass mark, percent.
    pub pass_mark: i32,
    /// Questions in order.
    pub questions: Vec<CheckQuestion>,
}

/// One option in a marked attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionResult {
    /// Option text.
    pub text: String,
    /// The learner chose it.
    pub chosen: bool,
    /// It is a correct option.
    pub correct: bool,
    /// Feedback for it.
    pub feedback: String,
}

/// One marked question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionResult {
    /// Question key.
    pub key: String,
    /// The question.
    pub prompt: String,
    /// Answered correctly (exactly the correct options chosen).
    pub correct: bool,
    /// Options with what was chosen and their feedback.
    pub options: Vec<OptionResult>,
    /// Why the answer is what it is.
    pub explanation: String,
}

/// A marked knowledge-check attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptResult {
    /// Attempt id.
    pub id: i32,
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// Score, percent (rounded down).
    pub score: i32,
    /// Pass mark, percent.
    pub pass_mark: i32,
    /// Passed.
    pub passed: bool,
    /// When.
    pub taken_at: DateTime<Utc>,
    /// Each question, marked. Empty when the module was revised after the attempt.
    pub questions: Vec<QuestionResult>,
    /// The learner's certificate code, if they have passed this module.
    pub certificate: Option<String>,
}

/// A certificate, for its printable and verification page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateView {
    /// Verification code.
    pub code: String,
    /// The member's name ("Former member" once they close their account).
    pub member_name: String,
    /// Module title when passed.
    pub module_title: String,
    /// Module slug.
    pub module_slug: String,
    /// CPD time recorded.
    pub cpd_minutes: i32,
    /// When passed.
    pub issued_at: DateTime<Utc>,
}

/// An image from a module.
#[derive(Clone, Debug)]
pub struct MediaFile {
    /// MIME type.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A stored option of a question.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredOption {
    text: String,
    correct: bool,
    feedback: String,
}

/// The learning service.
#[derive(Clone, Debug)]
pub struct LearningService {
    db: DatabaseConnection,
}

impl LearningService {
    pub(crate) fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Imports validated modules: new ones are created; one whose content changed becomes a
    /// new revision (learners keep completed lessons, which are flagged if the lesson itself
    /// changed, and keep their completion and certificate). One transaction per module.
    pub async fn import(&self, modules: &[ModuleSource]) -> Result<ImportReport> {
        let mut report = ImportReport::default();
        for source in modules {
            let txn = self.db.begin().await?;
            let existing = module::Entity::find()
                .filter(module::Column::Slug.eq(&source.slug))
                .one(&txn)
                .await?;
            let now = Utc::now();
            let json = |value: &Vec<String>| serde_json::to_string(value).unwrap_or_default();
            let stored = match existing {
                Some(row) if row.content_hash == source.content_hash => {
                    report.unchanged += 1;
                    continue;
                }
                Some(row) => {
                    report.updated += 1;
                    let revision = row.revision + 1;
                    let mut row = module::ActiveModel::from(row);
                    row.revision = Set(revision);
                    row.updated_at = Set(now);
                    row
                }
                None => {
                    report.created += 1;
                    module::ActiveModel {
                        slug: Set(source.slug.clone()),
                        revision: Set(1),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                }
            };
            let mut stored = stored;
            stored.title = Set(source.title.clone());
            stored.summary = Set(source.summary.clone());
            stored.audience = Set(json(&source.audience));
            stored.topics = Set(json(&source.topics));
            stored.estimated_minutes = Set(to_i32(source.estimated_minutes));
            stored.cpd_minutes = Set(to_i32(source.cpd_minutes));
            stored.pass_mark = Set(i32::from(source.pass_mark));
            stored.outcomes = Set(json(&source.outcomes));
            stored.content_hash = Set(source.content_hash.clone());
            stored.source_path = Set(source.source_dir.clone());
            let saved = stored.save(&txn).await?;
            let module_id = match saved.id {
                sea_orm::ActiveValue::Set(id) | sea_orm::ActiveValue::Unchanged(id) => id,
                sea_orm::ActiveValue::NotSet => {
                    return Err(Error::Internal("module saved without an id".to_owned()));
                }
            };
            let revision = match saved.revision {
                sea_orm::ActiveValue::Set(revision) | sea_orm::ActiveValue::Unchanged(revision) => {
                    revision
                }
                sea_orm::ActiveValue::NotSet => 1,
            };
            self.import_lessons(&txn, module_id, revision, source)
                .await?;
            question::Entity::delete_many()
                .filter(question::Column::ModuleId.eq(module_id))
                .exec(&txn)
                .await?;
            for (index, item) in source.questions.iter().enumerate() {
                let options: Vec<StoredOption> = item
                    .options
                    .iter()
                    .map(|option| StoredOption {
                        text: option.text.clone(),
                        correct: option.correct,
                        feedback: option.feedback.clone(),
                    })
                    .collect();
                question::ActiveModel {
                    module_id: Set(module_id),
                    position: Set(to_i32(index + 1)),
                    key: Set(item.id.clone()),
                    kind: Set(item.kind.as_str().to_owned()),
                    prompt: Set(item.prompt.clone()),
                    explanation: Set(item.explanation.clone()),
                    options: Set(serde_json::to_string(&options)
                        .map_err(|err| Error::Internal(err.to_string()))?),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
            media::Entity::delete_many()
                .filter(media::Column::ModuleId.eq(module_id))
                .exec(&txn)
                .await?;
            for file in &source.media {
                media::ActiveModel {
                    module_id: Set(module_id),
                    file_name: Set(file.file_name.clone()),
                    content_type: Set(file.content_type.clone()),
                    bytes: Set(file.bytes.clone()),
                }
                .insert(&txn)
                .await?;
            }
            txn.commit().await?;
        }
        Ok(report)
    }

    /// Lessons are matched by slug so progress survives a revision; a lesson whose content
    /// changed records the revision it changed in.
    async fn import_lessons(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        module_id: i32,
        revision: i32,
        source: &ModuleSource,
    ) -> Result<()> {
        let current = lesson::Entity::find()
            .filter(lesson::Column::ModuleId.eq(module_id))
            .all(txn)
            .await?;
        for old in &current {
            if !source.lessons.iter().any(|lesson| lesson.slug == old.slug) {
                lesson::Entity::delete_by_id(old.id).exec(txn).await?;
            }
        }
        for item in &source.lessons {
            let headings = serde_json::to_string(&item.headings)
                .map_err(|err| Error::Internal(err.to_string()))?;
            let existing = current.iter().find(|old| old.slug == item.slug);
            let mut row = match existing {
                Some(old) => {
                    let changed = old.content_hash != item.content_hash;
                    let mut row = lesson::ActiveModel::from(old.clone());
                    if changed {
                        row.changed_in_revision = Set(revision);
                    }
                    row
                }
                None => lesson::ActiveModel {
                    module_id: Set(module_id),
                    slug: Set(item.slug.clone()),
                    changed_in_revision: Set(revision),
                    ..Default::default()
                },
            };
            row.position = Set(to_i32(item.position));
            row.title = Set(item.title.clone());
            row.summary = Set(item.summary.clone());
            row.minutes = Set(to_i32(item.minutes));
            row.body_markdown = Set(item.body_markdown.clone());
            row.html = Set(item.html.clone());
            row.headings = Set(headings);
            row.content_hash = Set(item.content_hash.clone());
            row.save(txn).await?;
        }
        Ok(())
    }

    /// The catalogue, in title order, with the learner's status on each module.
    pub async fn catalogue(
        &self,
        actor: &Actor,
        filter: &CatalogueFilter,
    ) -> Result<Vec<ModuleCard>> {
        let modules = module::Entity::find()
            .order_by_asc(module::Column::Title)
            .all(&self.db)
            .await?;
        let lessons = lesson::Entity::find().all(&self.db).await?;
        let records = self.records_of(actor).await?;
        let mut cards = Vec::new();
        for row in modules {
            let count = lessons
                .iter()
                .filter(|lesson| lesson.module_id == row.id)
                .count();
            let status = status_of(records.get(&row.id));
            let card = card_of(&row, count, status);
            let profession_ok = filter
                .profession
                .as_deref()
                .filter(|profession| !profession.is_empty())
                .is_none_or(|profession| {
                    card.audience.is_empty() || card.audience.iter().any(|a| a == profession)
                });
            let topic_ok = filter
                .topic
                .as_deref()
                .filter(|topic| !topic.is_empty())
                .is_none_or(|topic| card.topics.iter().any(|t| t == topic));
            if profession_ok && topic_ok {
                cards.push(card);
            }
        }
        Ok(cards)
    }

    /// Every topic used by a module, sorted (for the catalogue's filter).
    pub async fn topics(&self) -> Result<Vec<String>> {
        let mut topics: Vec<String> = module::Entity::find()
            .all(&self.db)
            .await?
            .iter()
            .flat_map(|row| parse_list(&row.topics))
            .collect();
        topics.sort();
        topics.dedup();
        Ok(topics)
    }

    /// A module's overview with the learner's progress.
    pub async fn overview(&self, actor: &Actor, slug: &str) -> Result<ModuleOverview> {
        let (row, lessons) = self.module_with_lessons(slug).await?;
        let questions = question::Entity::find()
            .filter(question::Column::ModuleId.eq(row.id))
            .all(&self.db)
            .await?
            .len();
        let member = actor.require_active().ok();
        let record = match member {
            Some(member) => {
                record::Entity::find_by_id((member.id, row.id))
                    .one(&self.db)
                    .await?
            }
            None => None,
        };
        let done = self.done_lessons(actor, &lessons).await?;
        let summaries: Vec<LessonSummary> = lessons
            .iter()
            .map(|lesson| summary_of(lesson, done.get(&lesson.id)))
            .collect();
        let certificate = match member {
            Some(member) => certificate::Entity::find()
                .filter(certificate::Column::UserId.eq(member.id))
                .filter(certificate::Column::ModuleId.eq(row.id))
                .one(&self.db)
                .await?
                .map(|found| found.code),
            None => None,
        };
        let resume = record.as_ref().and_then(|record| {
            let next_unread = summaries.iter().find(|lesson| !lesson.done);
            next_unread
                .map(|lesson| lesson.slug.clone())
                .or_else(|| record.last_lesson.clone())
        });
        Ok(ModuleOverview {
            card: card_of(&row, lessons.len(), status_of(record.as_ref())),
            outcomes: parse_list(&row.outcomes),
            pass_mark: row.pass_mark,
            revision: row.revision,
            updated_at: row.updated_at,
            lessons: summaries,
            resume,
            questions,
            certificate,
            can_learn: member.is_some(),
            can_edit: actor.require_role(crate::accounts::Role::Editor).is_ok(),
        })
    }

    /// A lesson, for approved members; opening it records where the learner is.
    pub async fn lesson(
        &self,
        actor: &Actor,
        module_slug: &str,
        lesson_slug: &str,
    ) -> Result<LessonView> {
        let member = actor.require_active()?;
        let (row, lessons) = self.module_with_lessons(module_slug).await?;
        let index = lessons
            .iter()
            .position(|lesson| lesson.slug == lesson_slug)
            .ok_or(Error::NotFound)?;
        let current = &lessons[index];
        self.touch_record(member.id, row.id, Some(lesson_slug))
            .await?;
        let done = self.done_lessons(actor, &lessons).await?;
        let summary = summary_of(current, done.get(&current.id));
        let neighbour = |at: Option<usize>| {
            at.and_then(|at| lessons.get(at))
                .map(|lesson| (lesson.slug.clone(), lesson.title.clone()))
        };
        Ok(LessonView {
            module_slug: row.slug.clone(),
            module_title: row.title.clone(),
            slug: current.slug.clone(),
            position: current.position,
            total: lessons.len(),
            title: current.title.clone(),
            summary: current.summary.clone(),
            minutes: current.minutes,
            html: current.html.clone(),
            headings: serde_json::from_str(&current.headings).unwrap_or_default(),
            previous: neighbour(index.checked_sub(1)),
            next: neighbour(Some(index + 1)),
            done: summary.done,
            changed_since_done: summary.changed_since_done,
        })
    }

    /// Marks a lesson finished (again, after a revision); answers the next lesson's slug.
    pub async fn complete_lesson(
        &self,
        actor: &Actor,
        module_slug: &str,
        lesson_slug: &str,
    ) -> Result<Option<String>> {
        let member = actor.require_active()?;
        let (row, lessons) = self.module_with_lessons(module_slug).await?;
        let index = lessons
            .iter()
            .position(|lesson| lesson.slug == lesson_slug)
            .ok_or(Error::NotFound)?;
        let current = &lessons[index];
        self.touch_record(member.id, row.id, Some(lesson_slug))
            .await?;
        let existing = progress::Entity::find_by_id((member.id, current.id))
            .one(&self.db)
            .await?;
        match existing {
            Some(found) => {
                let mut found = progress::ActiveModel::from(found);
                found.content_hash = Set(current.content_hash.clone());
                found.completed_at = Set(Utc::now());
                found.update(&self.db).await?;
            }
            None => {
                progress::ActiveModel {
                    user_id: Set(member.id),
                    lesson_id: Set(current.id),
                    content_hash: Set(current.content_hash.clone()),
                    completed_at: Set(Utc::now()),
                }
                .insert(&self.db)
                .await?;
            }
        }
        Ok(lessons.get(index + 1).map(|next| next.slug.clone()))
    }

    /// The knowledge check (questions and options, never the answers).
    pub async fn knowledge_check(
        &self,
        actor: &Actor,
        module_slug: &str,
    ) -> Result<KnowledgeCheck> {
        actor.require_active()?;
        let row = self.module_by_slug(module_slug).await?;
        let questions = self.questions_of(row.id).await?;
        Ok(KnowledgeCheck {
            module_slug: row.slug.clone(),
            module_title: row.title.clone(),
            pass_mark: row.pass_mark,
            questions: questions
                .into_iter()
                .map(|(item, options)| CheckQuestion {
                    key: item.key,
                    kind: QuestionKind::parse(&item.kind).unwrap_or(QuestionKind::Single),
                    prompt: item.prompt,
                    options: options.into_iter().map(|option| option.text).collect(),
                })
                .collect(),
        })
    }

    /// Marks an attempt: `answers` maps question key → chosen option indexes. Every question
    /// must be answered (each unanswered one is reported). Passing issues the certificate and
    /// records the CPD entry in the same transaction as the attempt.
    pub async fn submit(
        &self,
        actor: &Actor,
        module_slug: &str,
        answers: &HashMap<String, Vec<usize>>,
    ) -> Result<i32> {
        let member = actor.require_active()?;
        let row = self.module_by_slug(module_slug).await?;
        let questions = self.questions_of(row.id).await?;
        let mut problems = Vec::new();
        let mut correct = 0_usize;
        let mut chosen_by_key = BTreeMap::new();
        for (index, (item, options)) in questions.iter().enumerate() {
            let chosen: Vec<usize> = answers
                .get(&item.key)
                .map(|chosen| {
                    let mut chosen: Vec<usize> = chosen
                        .iter()
                        .copied()
                        .filter(|&at| at < options.len())
                        .collect();
                    chosen.sort_unstable();
                    chosen.dedup();
                    chosen
                })
                .unwrap_or_default();
            let single = item.kind == QuestionKind::Single.as_str();
            if chosen.is_empty() || (single && chosen.len() > 1) {
                let message = if single {
                    format!("Choose an answer to question {}", index + 1)
                } else {
                    format!("Choose at least one answer to question {}", index + 1)
                };
                problems.push(FieldError::new(format!("answer-{}", item.key), message));
                continue;
            }
            let right: Vec<usize> = options
                .iter()
                .enumerate()
                .filter(|(_, option)| option.correct)
                .map(|(at, _)| at)
                .collect();
            if chosen == right {
                correct += 1;
            }
            chosen_by_key.insert(item.key.clone(), chosen);
        }
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        let score = if questions.is_empty() {
            0
        } else {
            to_i32(correct * 100 / questions.len())
        };
        let passed = score >= row.pass_mark;
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let saved = attempt::ActiveModel {
            user_id: Set(member.id),
            module_id: Set(row.id),
            revision: Set(row.revision),
            answers: Set(serde_json::to_string(&chosen_by_key)
                .map_err(|err| Error::Internal(err.to_string()))?),
            score: Set(score),
            passed: Set(passed),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let existing_record = record::Entity::find_by_id((member.id, row.id))
            .one(&txn)
            .await?;
        match existing_record {
            Some(found) => {
                if passed && found.passed_at.is_none() {
                    let mut found = record::ActiveModel::from(found);
                    found.passed_at = Set(Some(now));
                    found.update(&txn).await?;
                }
            }
            None => {
                record::ActiveModel {
                    user_id: Set(member.id),
                    module_id: Set(row.id),
                    started_at: Set(now),
                    last_lesson: Set(None),
                    passed_at: Set(passed.then_some(now)),
                }
                .insert(&txn)
                .await?;
            }
        }
        if passed {
            let has_certificate = certificate::Entity::find()
                .filter(certificate::Column::UserId.eq(member.id))
                .filter(certificate::Column::ModuleId.eq(row.id))
                .one(&txn)
                .await?
                .is_some();
            if !has_certificate {
                certificate::ActiveModel {
                    code: Set(certificate_code()),
                    user_id: Set(member.id),
                    module_id: Set(row.id),
                    module_title: Set(row.title.clone()),
                    cpd_minutes: Set(row.cpd_minutes),
                    revision: Set(row.revision),
                    issued_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                cpd::record_once(
                    &txn,
                    cpd::NewEntry {
                        user_id: member.id,
                        title: format!("eLearning: {}", row.title),
                        kind: cpd::SELF_DIRECTED,
                        participatory: false,
                        minutes: row.cpd_minutes,
                        occurred_on: crate::time::london_today(now),
                        reflection: String::new(),
                        source: Some(format!("learning-module:{}", row.slug)),
                    },
                )
                .await?;
            }
        }
        txn.commit().await?;
        Ok(saved.id)
    }

    /// A marked attempt of the signed-in member's, with per-question feedback.
    pub async fn attempt(
        &self,
        actor: &Actor,
        module_slug: &str,
        attempt_id: i32,
    ) -> Result<AttemptResult> {
        let member = actor.require_active()?;
        let row = self.module_by_slug(module_slug).await?;
        let found = attempt::Entity::find_by_id(attempt_id)
            .one(&self.db)
            .await?
            .filter(|found| found.user_id == member.id && found.module_id == row.id)
            .ok_or(Error::NotFound)?;
        let chosen: BTreeMap<String, Vec<usize>> =
            serde_json::from_str(&found.answers).unwrap_or_default();
        let questions = if found.revision == row.revision {
            self.questions_of(row.id)
                .await?
                .into_iter()
                .map(|(item, options)| {
                    let picked = chosen.get(&item.key).cloned().unwrap_or_default();
                    let results: Vec<OptionResult> = options
                        .into_iter()
                        .enumerate()
                        .map(|(at, option)| OptionResult {
                            chosen: picked.contains(&at),
                            correct: option.correct,
                            text: option.text,
                            feedback: option.feedback,
                        })
                        .collect();
                    QuestionResult {
                        correct: results.iter().all(|option| option.chosen == option.correct),
                        key: item.key,
                        prompt: item.prompt,
                        options: results,
                        explanation: item.explanation,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let certificate = certificate::Entity::find()
            .filter(certificate::Column::UserId.eq(member.id))
            .filter(certificate::Column::ModuleId.eq(row.id))
            .one(&self.db)
            .await?
            .map(|found| found.code);
        Ok(AttemptResult {
            id: found.id,
            module_slug: row.slug,
            module_title: row.title,
            score: found.score,
            pass_mark: row.pass_mark,
            passed: found.passed,
            taken_at: found.created_at,
            questions,
            certificate,
        })
    }

    /// A certificate by its code: anyone holding the code may check it.
    pub async fn certificate(&self, code: &str) -> Result<CertificateView> {
        let found = certificate::Entity::find()
            .filter(certificate::Column::Code.eq(code.trim().to_uppercase()))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let holder = crate::accounts::member_name(&self.db, found.user_id).await?;
        let slug = module::Entity::find_by_id(found.module_id)
            .one(&self.db)
            .await?
            .map(|row| row.slug)
            .unwrap_or_default();
        Ok(CertificateView {
            code: found.code,
            member_name: holder
                .filter(|(_, status)| *status != MemberStatus::Closed)
                .map(|(name, _)| name)
                .unwrap_or_else(|| crate::accounts::FORMER_MEMBER.to_owned()),
            module_title: found.module_title,
            module_slug: slug,
            cpd_minutes: found.cpd_minutes,
            issued_at: found.issued_at,
        })
    }

    /// An image from a module, for approved members (it belongs to the lessons).
    pub async fn media(
        &self,
        actor: &Actor,
        module_slug: &str,
        file_name: &str,
    ) -> Result<MediaFile> {
        actor.require_active()?;
        let row = self.module_by_slug(module_slug).await?;
        let found = media::Entity::find_by_id((row.id, file_name.to_owned()))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(MediaFile {
            content_type: found.content_type,
            bytes: found.bytes,
        })
    }

    async fn module_by_slug(&self, slug: &str) -> Result<module::Model> {
        module::Entity::find()
            .filter(module::Column::Slug.eq(slug))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The module `slug` and its lessons in order, in one statement (every lesson view asks).
    async fn module_with_lessons(&self, slug: &str) -> Result<(module::Model, Vec<lesson::Model>)> {
        let lesson_of_module: RelationDef = lesson::Entity::belongs_to(module::Entity)
            .from(lesson::Column::ModuleId)
            .to(module::Column::Id)
            .into();
        let mut rows = module::Entity::find()
            .join(JoinType::LeftJoin, lesson_of_module.rev())
            .select_also(lesson::Entity)
            .filter(module::Column::Slug.eq(slug))
            .order_by_asc(lesson::Column::Position)
            .all(&self.db)
            .await?
            .into_iter();
        let (row, first) = rows.next().ok_or(Error::NotFound)?;
        let lessons = first
            .into_iter()
            .chain(rows.filter_map(|(_, lesson)| lesson))
            .collect();
        Ok((row, lessons))
    }

    async fn questions_of(
        &self,
        module_id: i32,
    ) -> Result<Vec<(question::Model, Vec<StoredOption>)>> {
        let rows = question::Entity::find()
            .filter(question::Column::ModuleId.eq(module_id))
            .order_by_asc(question::Column::Position)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|row| {
                let options: Vec<StoredOption> = serde_json::from_str(&row.options)
                    .map_err(|err| Error::Internal(format!("stored options unreadable: {err}")))?;
                Ok((row, options))
            })
            .collect()
    }

    /// The actor's records, by module id (none for visitors who are not approved members).
    async fn records_of(&self, actor: &Actor) -> Result<HashMap<i32, record::Model>> {
        let Ok(member) = actor.require_active() else {
            return Ok(HashMap::new());
        };
        Ok(record::Entity::find()
            .filter(record::Column::UserId.eq(member.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.module_id, row))
            .collect())
    }

    /// Finished lessons among `lessons`: lesson id → hash when finished.
    async fn done_lessons(
        &self,
        actor: &Actor,
        lessons: &[lesson::Model],
    ) -> Result<HashMap<i32, String>> {
        let Ok(member) = actor.require_active() else {
            return Ok(HashMap::new());
        };
        let ids: Vec<i32> = lessons.iter().map(|lesson| lesson.id).collect();
        Ok(progress::Entity::find()
            .filter(progress::Column::UserId.eq(member.id))
            .filter(progress::Column::LessonId.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.lesson_id, row.content_hash))
            .collect())
    }

    /// Starts the learner's record for a module, or moves its "resume" point.
    async fn touch_record(&self, user_id: i32, module_id: i32, lesson: Option<&str>) -> Result<()> {
        let existing = record::Entity::find_by_id((user_id, module_id))
            .one(&self.db)
            .await?;
        match existing {
            // Already the resume point (a reload, or the same lesson again): nothing to write.
            Some(found) if found.last_lesson.as_deref() == lesson => {}
            Some(found) => {
                let mut found = record::ActiveModel::from(found);
                found.last_lesson = Set(lesson.map(ToOwned::to_owned));
                found.update(&self.db).await?;
            }
            None => {
                record::ActiveModel {
                    user_id: Set(user_id),
                    module_id: Set(module_id),
                    started_at: Set(Utc::now()),
                    last_lesson: Set(lesson.map(ToOwned::to_owned)),
                    passed_at: Set(None),
                }
                .insert(&self.db)
                .await?;
            }
        }
        Ok(())
    }
}

fn status_of(record: Option<&record::Model>) -> LearnerStatus {
    match record {
        None => LearnerStatus::NotStarted,
        Some(found) if found.passed_at.is_some() => LearnerStatus::Completed,
        Some(_) => LearnerStatus::InProgress,
    }
}

fn card_of(row: &module::Model, lessons: usize, status: LearnerStatus) -> ModuleCard {
    ModuleCard {
        slug: row.slug.clone(),
        title: row.title.clone(),
        summary: row.summary.clone(),
        audience: parse_list(&row.audience),
        topics: parse_list(&row.topics),
        estimated_minutes: row.estimated_minutes,
        cpd_minutes: row.cpd_minutes,
        lessons,
        status,
    }
}

fn summary_of(lesson: &lesson::Model, done_hash: Option<&String>) -> LessonSummary {
    LessonSummary {
        slug: lesson.slug.clone(),
        position: lesson.position,
        title: lesson.title.clone(),
        summary: lesson.summary.clone(),
        minutes: lesson.minutes,
        done: done_hash.is_some(),
        changed_since_done: done_hash.is_some_and(|hash| *hash != lesson.content_hash),
    }
}

fn parse_list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn to_i32(value: impl TryInto<i32>) -> i32 {
    value.try_into().unwrap_or(i32::MAX)
}

/// A certificate code: 12 characters from an alphabet without look-alikes, grouped for reading
/// aloud (`ABCD-EFGH-JKLM`).
fn certificate_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0_u8; 12];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let letters: String = bytes
        .iter()
        .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
        .collect();
    format!("{}-{}-{}", &letters[0..4], &letters[4..8], &letters[8..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_codes_are_grouped_and_unambiguous() {
        let code = certificate_code();
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        assert!(!code.contains(['O', '0', 'I', '1']));
        assert_ne!(code, certificate_code());
    }
}
