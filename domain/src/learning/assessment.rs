//! The knowledge check: the questions without their answers, marking an attempt with
//! per-question feedback, and on passing the certificate and the automatic CPD entry.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::entities::{attempt, certificate, module, record};
use super::{
    AttemptResult, CertificateView, CheckQuestion, KnowledgeCheck, LearningService, OptionResult,
    QuestionResult, to_i32,
};
use crate::accounts::{Actor, MemberStatus};
use crate::content::modules::QuestionKind;
use crate::{Error, FieldError, Result, cpd};

impl LearningService {
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
                        kind: cpd::E_LEARNING,
                        participatory: false,
                        minutes: row.cpd_minutes,
                        occurred_on: crate::time::london_today(now),
                        learning: row.summary.clone(),
                        source: format!("learning-module:{}", row.slug),
                    },
                )
                .await?;
            }
        }
        txn.commit().await?;
        self.cache.forget_learner(member.id);
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
