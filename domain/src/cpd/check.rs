//! Checking a CPD form field by field: every problem is collected with the field it belongs
//! to, so the member sees them all at once, and nothing is written unless there are none.

use chrono::{Datelike, NaiveDate};

use super::log::hours_up_to;
use crate::{Error, FieldError, Result};

/// The problems found so far, and today's date for "not in the future".
pub(super) struct Check {
    errors: Vec<FieldError>,
    today: NaiveDate,
}

impl Check {
    pub(super) fn new(today: NaiveDate) -> Self {
        Self {
            errors: Vec::new(),
            today,
        }
    }

    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// A date (`YYYY-MM-DD`) from 1990 up to today; `missing` when empty.
    pub(super) fn past_date(
        &mut self,
        field: &str,
        text: &str,
        missing: &str,
    ) -> Option<NaiveDate> {
        let text = text.trim();
        if text.is_empty() {
            self.fail(field, missing);
            return None;
        }
        self.optional_past_date(field, text)
    }

    /// Like [`Check::past_date`], but empty is allowed (and gives `None`).
    pub(super) fn optional_past_date(&mut self, field: &str, text: &str) -> Option<NaiveDate> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) if date > self.today => {
                self.fail(field, "The date must be today or in the past");
                None
            }
            Ok(date) if date.year() < 1990 => {
                self.fail(field, "Enter a date from 1990 onwards");
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                self.fail(field, "Enter a real date, like 2026-11-27");
                None
            }
        }
    }

    /// Text trimmed, with Windows line ends made plain: at most `max` characters, and not
    /// empty when `missing` is given.
    pub(super) fn text(
        &mut self,
        field: &str,
        text: &str,
        missing: Option<&str>,
        max: usize,
    ) -> String {
        let text = text.trim().replace("\r\n", "\n");
        match missing {
            Some(message) if text.is_empty() => self.fail(field, message),
            _ if text.chars().count() > max => {
                self.fail(field, format!("This must be {max} characters or fewer"));
            }
            _ => {}
        }
        text
    }

    /// One of `options` (by value), or `missing`.
    pub(super) fn choice(
        &mut self,
        field: &str,
        text: &str,
        options: &[(&'static str, &'static str)],
        missing: &str,
    ) -> Option<&'static str> {
        let found = options
            .iter()
            .find(|(value, _)| *value == text.trim())
            .map(|(value, _)| *value);
        if found.is_none() {
            self.fail(field, missing);
        }
        found
    }

    /// Decimal hours above 0 and at most `max_hours`, in minutes.
    pub(super) fn hours(
        &mut self,
        field: &str,
        text: &str,
        max_hours: i64,
        too_many: &str,
    ) -> Option<i32> {
        hours_up_to(text, max_hours, too_many)
            .map_err(|message| self.fail(field, message))
            .ok()
    }

    /// `problem` against `field` when `wrong`.
    pub(super) fn require(&mut self, wrong: bool, field: &str, problem: &str) {
        if wrong {
            self.fail(field, problem);
        }
    }

    /// `value` when nothing was wrong; every problem otherwise.
    pub(super) fn finish<T>(self, value: Option<T>) -> Result<T> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(Error::InvalidFields(self.errors)),
        }
    }
}
