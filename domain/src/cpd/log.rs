//! The member's own CPD log: add, edit and delete entries, and list them filtered by date
//! and type, sorted and a page at a time. Only the owner reads or changes an entry; to anyone
//! else an entry does not exist.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set, TransactionTrait,
};

use super::CpdService;
use super::entities::{entry, evidence};
use crate::accounts::Actor;
use crate::markdown::{self, Audience as Allowed};
use crate::{Error, FieldError, Result};

/// Longest entry title.
pub const MAX_TITLE_CHARS: usize = 150;
/// Longest text in each of "what you learned", the reflection and "how it changed your practice".
pub const MAX_TEXT_CHARS: usize = 5_000;
/// Most time one entry may record, in minutes (a day).
pub const MAX_ENTRY_MINUTES: i32 = 24 * 60;
/// Entries on one page of the log.
pub const ENTRIES_PER_PAGE: u64 = 20;

/// What kind of activity an entry was: (stored value, label).
pub const ACTIVITY_KINDS: [(&str, &str); 10] = [
    ("course", "Course"),
    ("workshop", "Workshop"),
    ("conference", "Conference"),
    ("reading", "Reading"),
    ("supervision", "Supervision"),
    ("peer-discussion", "Peer discussion"),
    ("e-learning", "eLearning"),
    ("teaching", "Teaching"),
    ("research", "Research"),
    ("other", "Other"),
];

/// The label of a stored activity kind.
pub fn activity_label(kind: &str) -> &'static str {
    ACTIVITY_KINDS
        .iter()
        .find(|(value, _)| *value == kind)
        .map_or("Other", |(_, label)| label)
}

/// Whether learning was with others: `participatory` (NMC: with one or more other
/// professionals, in person or online) or `self-directed`.
pub const PARTICIPATION: [(&str, &str); 2] = [
    ("participatory", "Participatory"),
    ("self-directed", "Self-directed"),
];

/// An entry as typed into the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryFields {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// What it was.
    pub title: String,
    /// One of [`ACTIVITY_KINDS`].
    pub kind: String,
    /// One of [`PARTICIPATION`].
    pub participation: String,
    /// Decimal hours, like `1.5`.
    pub hours: String,
    /// What was learned.
    pub learning: String,
    /// Reflection, Markdown.
    pub reflection: String,
    /// How it changed practice.
    pub practice_change: String,
}

/// An entry that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ValidEntry {
    occurred_on: NaiveDate,
    title: String,
    kind: &'static str,
    participatory: bool,
    minutes: i32,
    learning: String,
    reflection: String,
    practice_change: String,
}

/// Hours as typed (`1.5`, `0.25`, `2`) in whole minutes, rounded to the nearest minute: above 0
/// and at most 24, with at most two decimal places. Decimal arithmetic, so `0.1` and `0.2`
/// add up to exactly `0.3`.
pub fn parse_hours(text: &str) -> std::result::Result<i32, String> {
    hours_up_to(
        text,
        24,
        "One entry can be at most 24 hours: split longer activities",
    )
}

/// Decimal hours (at most two places) above 0 and at most `max_hours`, in whole minutes.
pub(super) fn hours_up_to(
    text: &str,
    max_hours: i64,
    too_many: &str,
) -> std::result::Result<i32, String> {
    let text = text.trim();
    let wrong = || "Enter the hours as a number, like 1.5 or 0.75".to_owned();
    if text.is_empty() {
        return Err("Enter a number of hours".to_owned());
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err(wrong());
    }
    if fraction.len() > 2 {
        return Err("Enter the hours with at most two decimal places, like 1.25".to_owned());
    }
    if whole.len() > 6 {
        return Err(too_many.to_owned());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| wrong())?
    };
    let hundredths = whole * 100
        + format!("{fraction:0<2}")
            .parse::<i64>()
            .map_err(|_| wrong())?;
    if hundredths == 0 {
        return Err("The hours must be more than 0".to_owned());
    }
    if hundredths > max_hours * 100 {
        return Err(too_many.to_owned());
    }
    // Rounded half up to the minute; at least one.
    let minutes = ((hundredths * 60 + 50) / 100).max(1);
    i32::try_from(minutes).map_err(|_| wrong())
}

/// Minutes as decimal hours for people: `90` → `1.5`, `80` → `1.33`, `120` → `2`.
pub fn hours_text(minutes: i64) -> String {
    let hundredths = (minutes * 100 + 30) / 60;
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    match fraction {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

fn validate(
    fields: &EntryFields,
    today: NaiveDate,
) -> std::result::Result<ValidEntry, Vec<FieldError>> {
    let mut errors = Vec::new();
    let occurred_on = match NaiveDate::parse_from_str(fields.date.trim(), "%Y-%m-%d") {
        Ok(date) if date > today => {
            errors.push(FieldError::new(
                "date",
                "The date must be today or in the past",
            ));
            None
        }
        Ok(date) if date.year() < 1990 => {
            errors.push(FieldError::new("date", "Enter a date from 1990 onwards"));
            None
        }
        Ok(date) => Some(date),
        Err(_) if fields.date.trim().is_empty() => {
            errors.push(FieldError::new("date", "Enter the date of the activity"));
            None
        }
        Err(_) => {
            errors.push(FieldError::new(
                "date",
                "Enter a real date, like 2026-11-27",
            ));
            None
        }
    };
    let title = fields.title.trim().to_owned();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Enter a title for the activity"));
    } else if title.chars().count() > MAX_TITLE_CHARS {
        errors.push(FieldError::new(
            "title",
            format!("The title must be {MAX_TITLE_CHARS} characters or fewer"),
        ));
    }
    let kind = ACTIVITY_KINDS
        .iter()
        .find(|(value, _)| *value == fields.kind.trim())
        .map(|(value, _)| *value);
    if kind.is_none() {
        errors.push(FieldError::new("kind", "Choose the kind of activity"));
    }
    let participatory = match fields.participation.trim() {
        "participatory" => Some(true),
        "self-directed" => Some(false),
        _ => {
            errors.push(FieldError::new(
                "participation",
                "Choose whether it was participatory or self-directed",
            ));
            None
        }
    };
    let minutes = parse_hours(&fields.hours)
        .map_err(|message| errors.push(FieldError::new("hours", message)))
        .ok();
    let learning = fields.learning.trim().to_owned();
    if learning.is_empty() {
        errors.push(FieldError::new("learning", "Say what you learned"));
    }
    for (field, text) in [
        ("learning", &learning),
        ("reflection", &fields.reflection),
        ("practice_change", &fields.practice_change),
    ] {
        if text.trim().chars().count() > MAX_TEXT_CHARS {
            errors.push(FieldError::new(
                field,
                format!("This must be {MAX_TEXT_CHARS} characters or fewer"),
            ));
        }
    }
    match (occurred_on, kind, participatory, minutes) {
        (Some(occurred_on), Some(kind), Some(participatory), Some(minutes))
            if errors.is_empty() =>
        {
            Ok(ValidEntry {
                occurred_on,
                title,
                kind,
                participatory,
                minutes,
                learning,
                reflection: normalised(&fields.reflection),
                practice_change: normalised(&fields.practice_change),
            })
        }
        _ => Err(errors),
    }
}

/// `text` trimmed, with line endings as LF (browsers send text areas with CR LF).
fn normalised(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

/// How the log is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogOrder {
    /// Most recent activity first.
    #[default]
    Newest,
    /// Oldest activity first.
    Oldest,
    /// Most hours first.
    Longest,
    /// By title, A to Z.
    Title,
}

impl LogOrder {
    /// Every order, as the sort control lists them.
    pub const ALL: [LogOrder; 4] = [
        LogOrder::Newest,
        LogOrder::Oldest,
        LogOrder::Longest,
        LogOrder::Title,
    ];

    /// The order in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            LogOrder::Newest => "newest",
            LogOrder::Oldest => "oldest",
            LogOrder::Longest => "hours",
            LogOrder::Title => "title",
        }
    }

    /// What the sort control says.
    pub fn label(self) -> &'static str {
        match self {
            LogOrder::Newest => "Most recent first",
            LogOrder::Oldest => "Oldest first",
            LogOrder::Longest => "Most hours first",
            LogOrder::Title => "Title, A to Z",
        }
    }

    /// Parses [`LogOrder::as_str`]; anything else is the default.
    pub fn parse(text: &str) -> LogOrder {
        LogOrder::ALL
            .into_iter()
            .find(|order| order.as_str() == text)
            .unwrap_or_default()
    }
}

/// Which entries to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// On or after this day.
    pub from: Option<NaiveDate>,
    /// On or before this day.
    pub to: Option<NaiveDate>,
    /// Participatory (`true`) or self-directed (`false`) only.
    pub participatory: Option<bool>,
    /// One activity kind only.
    pub kind: Option<String>,
    /// The order.
    pub order: LogOrder,
    /// The page, from 1.
    pub page: u64,
}

/// One entry in the log's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntrySummary {
    /// Its id, the last part of its address `/cpd/<id>`.
    pub id: i32,
    /// When.
    pub occurred_on: NaiveDate,
    /// What.
    pub title: String,
    /// Activity kind (stored value).
    pub kind: String,
    /// Participatory or self-directed.
    pub participatory: bool,
    /// Time, in minutes.
    pub minutes: i32,
    /// Recorded automatically (by eLearning), not typed.
    pub automatic: bool,
}

/// One page of the log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogPage {
    /// The entries on this page.
    pub entries: Vec<EntrySummary>,
    /// Entries matching the filter.
    pub total: u64,
    /// Their time in all, in minutes.
    pub total_minutes: i64,
    /// The page shown, from 1.
    pub page: u64,
    /// Pages there are (at least 1).
    pub pages: u64,
}

/// One entry, as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryDetail {
    /// Its id.
    pub id: i32,
    /// The fields, as they would fill the edit form.
    pub fields: EntryFields,
    /// Time, in minutes.
    pub minutes: i32,
    /// The reflection as sanitised HTML.
    pub reflection_html: String,
    /// Where an automatic entry came from: (label, address).
    pub source: Option<(String, String)>,
    /// When recorded.
    pub created_at: DateTime<Utc>,
    /// When last edited.
    pub updated_at: Option<DateTime<Utc>>,
    /// Its evidence files.
    pub evidence: Vec<crate::uploads::FileSummary>,
}

impl EntryDetail {
    /// Recorded automatically: the title, date, kind and time come from what recorded it.
    pub fn automatic(&self) -> bool {
        self.source.is_some()
    }
}

/// The label and address of an automatic entry's source.
fn source_link(source: &str) -> (String, String) {
    match source.split_once(':') {
        Some(("learning-module", slug)) => (
            "the eLearning module".to_owned(),
            format!("/learning/{slug}"),
        ),
        _ => ("ohnet".to_owned(), "/".to_owned()),
    }
}

fn fields_of(row: &entry::Model) -> EntryFields {
    EntryFields {
        date: crate::time::iso_date(row.occurred_on),
        title: row.title.clone(),
        kind: row.kind.clone(),
        participation: if row.participatory {
            "participatory"
        } else {
            "self-directed"
        }
        .to_owned(),
        hours: hours_text(i64::from(row.minutes)),
        learning: row.learning.clone(),
        reflection: row.reflection.clone(),
        practice_change: row.practice_change.clone(),
    }
}

impl CpdService {
    /// The entries of `actor`'s log that `filter` chooses, one page of them, with the count and
    /// the hours of all of them.
    pub async fn log(&self, actor: &Actor, filter: &LogFilter) -> Result<LogPage> {
        use sea_orm::sea_query::ExprTrait;

        let member = actor.require_active()?;
        let mut condition = Condition::all().add(entry::Column::UserId.eq(member.id));
        if let Some(from) = filter.from {
            condition = condition.add(entry::Column::OccurredOn.gte(from));
        }
        if let Some(to) = filter.to {
            condition = condition.add(entry::Column::OccurredOn.lte(to));
        }
        if let Some(participatory) = filter.participatory {
            condition = condition.add(entry::Column::Participatory.eq(participatory));
        }
        if let Some(kind) = &filter.kind {
            condition = condition.add(entry::Column::Kind.eq(kind.as_str()));
        }
        let (total, total_minutes): (i64, Option<i64>) = entry::Entity::find()
            .select_only()
            .expr(Expr::col(entry::Column::Id).count())
            .expr(Expr::col(entry::Column::Minutes).sum())
            .filter(condition.clone())
            .into_tuple()
            .one(&self.db)
            .await?
            .unwrap_or((0, None));
        let total = u64::try_from(total).unwrap_or_default();
        let pages = Ord::max(total.div_ceil(ENTRIES_PER_PAGE), 1);
        let page = filter.page.clamp(1, pages);
        let rows = ordered(entry::Entity::find().filter(condition), filter.order)
            .offset((page - 1) * ENTRIES_PER_PAGE)
            .limit(ENTRIES_PER_PAGE)
            .all(&self.db)
            .await?;
        Ok(LogPage {
            entries: rows
                .into_iter()
                .map(|row| EntrySummary {
                    id: row.id,
                    occurred_on: row.occurred_on,
                    automatic: row.source.is_some(),
                    title: row.title,
                    kind: row.kind,
                    participatory: row.participatory,
                    minutes: row.minutes,
                })
                .collect(),
            total,
            total_minutes: total_minutes.unwrap_or_default(),
            page,
            pages,
        })
    }

    /// The entry `id` of `actor`'s log with its evidence; "not found" for anyone else's.
    pub async fn entry(&self, actor: &Actor, id: i32) -> Result<EntryDetail> {
        let row = self.own_entry(actor, id).await?;
        let evidence = self.evidence_of(row.id).await?;
        Ok(EntryDetail {
            id: row.id,
            fields: fields_of(&row),
            minutes: row.minutes,
            reflection_html: markdown::render(&row.reflection, Allowed::Member).html,
            source: row.source.as_deref().map(source_link),
            created_at: row.created_at,
            updated_at: row.updated_at,
            evidence,
        })
    }

    /// Adds an entry to `actor`'s log; its id. Refuses a second entry with the same title on
    /// the same day (the same activity recorded twice, by hand or automatically).
    pub async fn add(&self, actor: &Actor, fields: &EntryFields) -> Result<i32> {
        let member = actor.require_active()?;
        let valid = validate(fields, crate::time::london_today(Utc::now()))
            .map_err(Error::InvalidFields)?;
        let txn = self.db.begin().await?;
        refuse_duplicate(&txn, member.id, None, &valid).await?;
        let row = entry::ActiveModel {
            user_id: Set(member.id),
            title: Set(valid.title),
            kind: Set(valid.kind.to_owned()),
            participatory: Set(valid.participatory),
            minutes: Set(valid.minutes),
            occurred_on: Set(valid.occurred_on),
            learning: Set(valid.learning),
            reflection: Set(valid.reflection),
            practice_change: Set(valid.practice_change),
            source: Set(None),
            created_at: Set(Utc::now()),
            updated_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(row.id)
    }

    /// Changes the entry `id` of `actor`'s log. An automatic entry keeps the title, date, kind,
    /// type and time that were recorded for it; its owner edits the rest.
    pub async fn update(&self, actor: &Actor, id: i32, fields: &EntryFields) -> Result<()> {
        let member = actor.require_active()?;
        let row = self.own_entry(actor, id).await?;
        let fields = if row.source.is_some() {
            EntryFields {
                learning: fields.learning.clone(),
                reflection: fields.reflection.clone(),
                practice_change: fields.practice_change.clone(),
                ..fields_of(&row)
            }
        } else {
            fields.clone()
        };
        let valid = validate(&fields, crate::time::london_today(Utc::now()))
            .map_err(Error::InvalidFields)?;
        let txn = self.db.begin().await?;
        refuse_duplicate(&txn, member.id, Some(row.id), &valid).await?;
        let mut active: entry::ActiveModel = row.into();
        active.title = Set(valid.title);
        active.kind = Set(valid.kind.to_owned());
        active.participatory = Set(valid.participatory);
        active.minutes = Set(valid.minutes);
        active.occurred_on = Set(valid.occurred_on);
        active.learning = Set(valid.learning);
        active.reflection = Set(valid.reflection);
        active.practice_change = Set(valid.practice_change);
        active.updated_at = Set(Some(Utc::now()));
        active.update(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Deletes the entry `id` of `actor`'s log and its evidence files.
    pub async fn delete(&self, actor: &Actor, id: i32) -> Result<()> {
        let row = self.own_entry(actor, id).await?;
        let txn = self.db.begin().await?;
        evidence::Entity::delete_many()
            .filter(evidence::Column::EntryId.eq(row.id))
            .exec(&txn)
            .await?;
        entry::Entity::delete_by_id(row.id).exec(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The entry `id` if it is in `actor`'s own log.
    pub(super) async fn own_entry(&self, actor: &Actor, id: i32) -> Result<entry::Model> {
        let member = actor.require_active()?;
        entry::Entity::find_by_id(id)
            .filter(entry::Column::UserId.eq(member.id))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)
    }
}

fn ordered(select: Select<entry::Entity>, order: LogOrder) -> Select<entry::Entity> {
    match order {
        LogOrder::Newest => select
            .order_by_desc(entry::Column::OccurredOn)
            .order_by_desc(entry::Column::Id),
        LogOrder::Oldest => select
            .order_by_asc(entry::Column::OccurredOn)
            .order_by_asc(entry::Column::Id),
        LogOrder::Longest => select
            .order_by_desc(entry::Column::Minutes)
            .order_by_desc(entry::Column::OccurredOn)
            .order_by_desc(entry::Column::Id),
        LogOrder::Title => select
            .order_by_asc(entry::Column::Title)
            .order_by_desc(entry::Column::OccurredOn)
            .order_by_asc(entry::Column::Id),
    }
}

/// Refuses `valid` when the member already has another entry with the same title on the same
/// day, so one activity is never counted twice.
async fn refuse_duplicate(
    conn: &impl sea_orm::ConnectionTrait,
    member_id: i32,
    except: Option<i32>,
    valid: &ValidEntry,
) -> Result<()> {
    let mut same = entry::Entity::find()
        .filter(entry::Column::UserId.eq(member_id))
        .filter(entry::Column::OccurredOn.eq(valid.occurred_on))
        .filter(entry::Column::Title.eq(valid.title.as_str()));
    if let Some(id) = except {
        same = same.filter(entry::Column::Id.ne(id));
    }
    if same.count(conn).await? > 0 {
        return Err(Error::InvalidFields(vec![FieldError::new(
            "title",
            "You already have an entry with this title on this date: edit that one instead",
        )]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_decimal_and_exact() {
        assert_eq!(parse_hours("1.5"), Ok(90));
        assert_eq!(parse_hours("0.25"), Ok(15));
        assert_eq!(parse_hours(" 2 "), Ok(120));
        assert_eq!(parse_hours(".75"), Ok(45));
        assert_eq!(parse_hours("24"), Ok(1440));
        assert_eq!(parse_hours("1.33"), Ok(80));
        assert_eq!(
            parse_hours("0.1").unwrap() + parse_hours("0.2").unwrap(),
            18
        );
        assert_eq!(hours_text(18), "0.3");
        for refused in [
            "", "0", "0.00", "24.01", "25", "-1", "1,5", "1.234", "one", "1e2", ".",
        ] {
            assert!(parse_hours(refused).is_err(), "{refused:?} was accepted");
        }
    }

    #[test]
    fn minutes_read_as_hours() {
        assert_eq!(hours_text(90), "1.5");
        assert_eq!(hours_text(80), "1.33");
        assert_eq!(hours_text(120), "2");
        assert_eq!(hours_text(2100), "35");
        assert_eq!(hours_text(105), "1.75");
    }

    #[test]
    fn every_field_is_checked_at_once() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let errors = validate(
            &EntryFields {
                date: "2026-12-05".to_owned(),
                hours: "30".to_owned(),
                ..EntryFields::default()
            },
            today,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "date",
                "title",
                "kind",
                "participation",
                "hours",
                "learning"
            ]
        );
        let valid = validate(
            &EntryFields {
                date: "2026-12-04".to_owned(),
                title: "Trauma-informed practice workshop".to_owned(),
                kind: "workshop".to_owned(),
                participation: "participatory".to_owned(),
                hours: "3.5".to_owned(),
                learning: "Grounding techniques".to_owned(),
                reflection: "Line one\r\nLine two".to_owned(),
                practice_change: String::new(),
            },
            today,
        )
        .unwrap();
        assert_eq!(valid.minutes, 210);
        assert_eq!(valid.reflection, "Line one\nLine two");
    }
}
