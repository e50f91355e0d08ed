//! Checking what a member typed for a revalidation record, and the columns a valid record
//! sets: every problem is collected against its field before anything is written.

use chrono::NaiveDate;
use sea_orm::Set;

use super::super::check::Check;
use super::super::entities::{feedback, practice, reflection};
use super::{
    CODE_THEMES, FEEDBACK_SOURCES, FeedbackFields, MAX_NAME, MAX_PRACTICE_HOURS, MAX_TEXT,
    PRACTICE_SETTINGS, PracticeFields, ReflectionFields, SCOPES_OF_PRACTICE,
};
use crate::Result;

pub(super) struct ValidPractice {
    started_on: NaiveDate,
    ended_on: NaiveDate,
    organisation: String,
    setting: &'static str,
    scope: &'static str,
    minutes: i32,
    description: String,
}

pub(super) fn valid_practice(fields: &PracticeFields, today: NaiveDate) -> Result<ValidPractice> {
    let mut check = Check::new(today);
    let started_on = check.past_date(
        "started_on",
        &fields.started_on,
        "Enter the first day of the period",
    );
    let ended_on = check.past_date(
        "ended_on",
        &fields.ended_on,
        "Enter the last day of the period",
    );
    if let (Some(first), Some(last)) = (started_on, ended_on) {
        check.require(
            last < first,
            "ended_on",
            "The last day must be on or after the first day",
        );
    }
    let organisation = check.text(
        "organisation",
        &fields.organisation,
        Some("Enter the organisation you worked for"),
        MAX_NAME,
    );
    let setting = check.choice(
        "setting",
        &fields.setting,
        &PRACTICE_SETTINGS,
        "Choose the setting",
    );
    let scope = check.choice(
        "scope",
        &fields.scope,
        &SCOPES_OF_PRACTICE,
        "Choose your scope of practice",
    );
    let minutes = check.hours(
        "hours",
        &fields.hours,
        MAX_PRACTICE_HOURS,
        "One period can hold at most 2,000 hours: split longer periods",
    );
    let description = check.text("description", &fields.description, None, MAX_TEXT);
    let valid = match (started_on, ended_on, setting, scope, minutes) {
        (Some(started_on), Some(ended_on), Some(setting), Some(scope), Some(minutes)) => {
            Some(ValidPractice {
                started_on,
                ended_on,
                organisation,
                setting,
                scope,
                minutes,
                description,
            })
        }
        _ => None,
    };
    check.finish(valid)
}

pub(super) struct ValidFeedback {
    received_on: NaiveDate,
    source: &'static str,
    summary: String,
    practice_change: String,
}

pub(super) fn valid_feedback(fields: &FeedbackFields, today: NaiveDate) -> Result<ValidFeedback> {
    let mut check = Check::new(today);
    let received_on = check.past_date(
        "received_on",
        &fields.received_on,
        "Enter the date you received the feedback",
    );
    let source = check.choice(
        "source",
        &fields.source,
        &FEEDBACK_SOURCES,
        "Choose who the feedback came from",
    );
    let summary = check.text(
        "summary",
        &fields.summary,
        Some("Say what the feedback was"),
        MAX_TEXT,
    );
    let practice_change = check.text("practice_change", &fields.practice_change, None, MAX_TEXT);
    let valid = received_on
        .zip(source)
        .map(|(received_on, source)| ValidFeedback {
            received_on,
            source,
            summary,
            practice_change,
        });
    check.finish(valid)
}

pub(super) struct ValidReflection {
    written_on: NaiveDate,
    experience: String,
    learning: String,
    practice_change: String,
    code_themes: String,
}

pub(super) fn valid_reflection(
    fields: &ReflectionFields,
    today: NaiveDate,
) -> Result<ValidReflection> {
    let mut check = Check::new(today);
    let written_on = check.past_date(
        "written_on",
        &fields.written_on,
        "Enter the date you wrote the account",
    );
    let experience = check.text(
        "experience",
        &fields.experience,
        Some("Describe the activity, feedback or experience"),
        MAX_TEXT,
    );
    let learning = check.text(
        "learning",
        &fields.learning,
        Some("Say what you learned from it"),
        MAX_TEXT,
    );
    let practice_change = check.text(
        "practice_change",
        &fields.practice_change,
        Some("Say how you changed or improved your practice"),
        MAX_TEXT,
    );
    let themes: Vec<&str> = CODE_THEMES
        .iter()
        .map(|(value, _)| *value)
        .filter(|value| fields.code_themes.iter().any(|chosen| chosen == value))
        .collect();
    check.require(
        themes.is_empty(),
        "code_themes",
        "Choose at least one theme of the Code",
    );
    let valid = written_on.map(|written_on| ValidReflection {
        written_on,
        experience,
        learning,
        practice_change,
        code_themes: themes.join(","),
    });
    check.finish(valid)
}

/// An NMC PIN: two digits, a letter, four digits and a letter (`12A3456E`).
pub(super) fn is_nmc_pin(pin: &str) -> bool {
    let bytes = pin.as_bytes();
    bytes.len() == 8
        && bytes.iter().enumerate().all(|(at, byte)| match at {
            2 | 7 => byte.is_ascii_uppercase(),
            _ => byte.is_ascii_digit(),
        })
}

pub(super) fn practice_values(valid: ValidPractice) -> practice::ActiveModel {
    practice::ActiveModel {
        started_on: Set(valid.started_on),
        ended_on: Set(valid.ended_on),
        organisation: Set(valid.organisation),
        setting: Set(valid.setting.to_owned()),
        scope: Set(valid.scope.to_owned()),
        minutes: Set(valid.minutes),
        description: Set(valid.description),
        ..Default::default()
    }
}

pub(super) fn feedback_values(valid: ValidFeedback) -> feedback::ActiveModel {
    feedback::ActiveModel {
        received_on: Set(valid.received_on),
        source: Set(valid.source.to_owned()),
        summary: Set(valid.summary),
        practice_change: Set(valid.practice_change),
        ..Default::default()
    }
}

pub(super) fn reflection_values(valid: ValidReflection) -> reflection::ActiveModel {
    reflection::ActiveModel {
        written_on: Set(valid.written_on),
        experience: Set(valid.experience),
        learning: Set(valid.learning),
        practice_change: Set(valid.practice_change),
        code_themes: Set(valid.code_themes),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn nmc_pins_have_their_shape() {
        assert!(is_nmc_pin("12A3456E"));
        for wrong in ["12a3456E", "1234567E", "12A3456", "12A34567", "AB12345C"] {
            assert!(!is_nmc_pin(wrong), "{wrong}");
        }
    }

    #[test]
    fn a_period_must_end_after_it_starts_and_hold_sane_hours() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default();
        let fields = PracticeFields {
            started_on: "2026-03-01".into(),
            ended_on: "2026-02-01".into(),
            organisation: "Force OH".into(),
            setting: "occupational-health".into(),
            scope: "direct-care".into(),
            hours: "2000.5".into(),
            description: String::new(),
        };
        let Err(Error::InvalidFields(errors)) = valid_practice(&fields, today) else {
            panic!("a period ending before it starts was accepted");
        };
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["ended_on", "hours"]);
    }
}
