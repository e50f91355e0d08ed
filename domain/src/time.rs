//! Time is stored in UTC and shown in Europe/London.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;

/// A date as people in the UK write it: `25 November 2026`.
pub fn london_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&London).format("%-d %B %Y").to_string()
}

/// A calendar date as people in the UK write it: `1 December 2026`.
pub fn uk_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The calendar date in the UK at `at` (for records dated by day, like CPD entries).
pub fn london_today(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&London).date_naive()
}

/// A day written year-month-day, as date inputs send it (`2026-04-01`).
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A day as year-month-day, as date inputs take it.
pub fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A date and time in UK local time: `25 November 2026, 3:07pm`.
pub fn london_date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&London)
        .format("%-d %B %Y, %-I:%M%P")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn summer_time_is_applied() {
        let at = Utc.with_ymd_and_hms(2026, 7, 1, 23, 30, 0).unwrap();
        assert_eq!(london_date(at), "2 July 2026");
        assert_eq!(london_date_time(at), "2 July 2026, 12:30am");
    }

    #[test]
    fn winter_is_gmt() {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 15, 7, 0).unwrap();
        assert_eq!(london_date_time(at), "25 November 2026, 3:07pm");
    }
}
