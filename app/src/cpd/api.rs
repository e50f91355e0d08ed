//! Server functions for the CPD pages. Every one reads only the signed-in member's own record:
//! the domain decides, from the actor.

use leptos::prelude::*;

use super::dto::{EntryView, LogView, ProgressView};
use crate::error::AppError;

/// One page of the member's log, filtered by date range, type and kind, in the order asked.
#[server(prefix = "/api", endpoint = "cpd/log", input = server_fn::codec::GetUrl)]
pub async fn cpd_log(
    from: Option<String>,
    to: Option<String>,
    participation: Option<String>,
    kind: Option<String>,
    sort: Option<String>,
    page: Option<u64>,
) -> Result<LogView, AppError> {
    use domain::cpd::{ACTIVITY_KINDS, LogFilter, LogOrder, activity_label, hours_text};

    use super::dto::EntryRow;

    let cx = crate::context::server_context()?;
    let mut unreadable = Vec::new();
    let mut date = |text: &Option<String>, name: &str| {
        let text = text.as_deref().unwrap_or_default().trim();
        if text.is_empty() {
            return None;
        }
        let parsed = domain::time::parse_iso_date(text);
        if parsed.is_none() {
            unreadable.push(name.to_owned());
        }
        parsed
    };
    let filter = LogFilter {
        from: date(&from, "from"),
        to: date(&to, "to"),
        participatory: match participation.as_deref() {
            Some("participatory") => Some(true),
            Some("self-directed") => Some(false),
            _ => None,
        },
        kind: kind
            .clone()
            .filter(|kind| ACTIVITY_KINDS.iter().any(|(value, _)| value == kind)),
        order: LogOrder::parse(sort.as_deref().unwrap_or_default()),
        page: page.unwrap_or(1),
    };
    let log = cx
        .services
        .cpd
        .log(&crate::context::actor(), &filter)
        .await?;
    let format_date = |date: Option<_>| date.map(domain::time::iso_date).unwrap_or_default();
    Ok(LogView {
        entries: log
            .entries
            .into_iter()
            .map(|entry| EntryRow {
                id: entry.id,
                date: domain::time::uk_date(entry.occurred_on),
                title: entry.title,
                kind: activity_label(&entry.kind).to_owned(),
                participation: participation_label(entry.participatory).to_owned(),
                hours: hours_text(i64::from(entry.minutes)),
                automatic: entry.automatic,
            })
            .collect(),
        total: log.total,
        total_hours: hours_text(log.total_minutes),
        page: log.page,
        pages: log.pages,
        from: format_date(filter.from),
        to: format_date(filter.to),
        participation: match filter.participatory {
            Some(true) => "participatory",
            Some(false) => "self-directed",
            None => "",
        }
        .to_owned(),
        kind: filter.kind.unwrap_or_default(),
        order: filter.order.as_str().to_owned(),
        notice: (!unreadable.is_empty()).then(|| {
            format!(
                "The {} date was not a real date (use year-month-day, like 2026-04-01), so it was not used.",
                unreadable.join(" and ")
            )
        }),
        kinds: kind_options(),
        orders: LogOrder::ALL
            .into_iter()
            .map(|order| (order.as_str().to_owned(), order.label().to_owned()))
            .collect(),
    })
}

/// The activity kinds, for the filters and the entry form.
#[server(prefix = "/api", endpoint = "cpd/kinds", input = server_fn::codec::GetUrl)]
pub async fn activity_kinds() -> Result<Vec<(String, String)>, AppError> {
    crate::context::actor().require_active()?;
    Ok(kind_options())
}

/// One entry of the member's own log.
#[server(prefix = "/api", endpoint = "cpd/entry", input = server_fn::codec::GetUrl)]
pub async fn cpd_entry(id: i32) -> Result<EntryView, AppError> {
    let cx = crate::context::server_context()?;
    let entry = cx.services.cpd.entry(&crate::context::actor(), id).await?;
    let mut recorded = format!("Recorded {}", domain::time::london_date(entry.created_at));
    if let Some(updated) = entry.updated_at {
        recorded.push_str(&format!(
            ", last changed {}",
            domain::time::london_date(updated)
        ));
    }
    let fields = entry.fields;
    Ok(EntryView {
        id: entry.id,
        date_text: domain::time::parse_iso_date(&fields.date)
            .map_or_else(|| fields.date.clone(), domain::time::uk_date),
        date: fields.date,
        title: fields.title,
        kind_label: domain::cpd::activity_label(&fields.kind).to_owned(),
        kind: fields.kind,
        participation: fields.participation,
        hours: fields.hours,
        learning: fields.learning,
        reflection: fields.reflection,
        reflection_html: entry.reflection_html,
        practice_change: fields.practice_change,
        source: entry.source,
        recorded,
        evidence: entry
            .evidence
            .into_iter()
            .map(crate::files::FileRow::from)
            .collect(),
        kinds: kind_options(),
    })
}

/// The member's progress against their regulator's rules.
#[server(prefix = "/api", endpoint = "cpd/progress", input = server_fn::codec::GetUrl)]
pub async fn cpd_progress() -> Result<ProgressView, AppError> {
    use domain::accounts::directory::REGULATORS;
    use domain::cpd::hours_text;

    use super::dto::ProgressBar;

    let cx = crate::context::server_context()?;
    let progress = cx.services.cpd.progress(&crate::context::actor()).await?;
    let bar = |label: &str, done: i64, required: Option<i64>| ProgressBar {
        label: label.to_owned(),
        done: hours_text(done),
        required: required.map(hours_text),
        needed: required.map(|required| hours_text((required - done).max(0))),
        percent: match required {
            Some(required) if required > 0 => {
                u32::try_from((done.max(0) * 100 / required).min(100)).unwrap_or(100)
            }
            _ => 0,
        },
    };
    let mut bars = vec![bar(
        "All CPD",
        progress.done_minutes,
        progress.required_minutes,
    )];
    bars.push(bar(
        "Participatory",
        progress.participatory_minutes,
        progress.required_participatory_minutes,
    ));
    bars.push(bar(
        "Self-directed",
        progress.done_minutes - progress.participatory_minutes,
        None,
    ));
    Ok(ProgressView {
        rules: progress.rules.name.to_owned(),
        regulator: progress.regulator_label,
        cycle: progress.cycle.map(|cycle| {
            format!(
                "{} to {}",
                domain::time::uk_date(cycle.starts_on),
                domain::time::uk_date(cycle.ends_on)
            )
        }),
        days_left: progress.days_left,
        bars,
        entries: progress.entries,
        missing: progress.missing,
        also_needed: progress
            .rules
            .also_needed
            .iter()
            .map(|text| (*text).to_owned())
            .collect(),
        date_label: progress.rules.date_label.to_owned(),
        member_target: progress.rules.member_target,
        fields: (
            progress.fields.regulator,
            progress.fields.ends_on,
            progress.fields.target_hours,
        ),
        regulators: REGULATORS
            .iter()
            .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
            .collect(),
    })
}

/// The member's portfolio for a date range (by default their current cycle), for printing.
#[server(prefix = "/api", endpoint = "cpd/portfolio", input = server_fn::codec::GetUrl)]
pub async fn cpd_portfolio(
    from: Option<String>,
    to: Option<String>,
) -> Result<super::dto::PortfolioView, AppError> {
    use domain::time::{iso_date, parse_iso_date, uk_date};

    use super::dto::{PortfolioEntryView, PortfolioView};

    let cx = crate::context::server_context()?;
    let day = |text: &Option<String>| text.as_deref().and_then(parse_iso_date);
    let portfolio = cx
        .services
        .cpd
        .portfolio(&crate::context::actor(), day(&from), day(&to))
        .await?;
    let period = match (portfolio.from, portfolio.to) {
        (Some(from), Some(to)) => format!("{} to {}", uk_date(from), uk_date(to)),
        (Some(from), None) => format!("From {}", uk_date(from)),
        (None, Some(to)) => format!("Up to {}", uk_date(to)),
        (None, None) => "All entries".to_owned(),
    };
    Ok(PortfolioView {
        member: portfolio.member,
        regulator: portfolio.regulator,
        rules: portfolio.rules,
        period,
        from: portfolio.from.map(iso_date).unwrap_or_default(),
        to: portfolio.to.map(iso_date).unwrap_or_default(),
        produced_on: uk_date(portfolio.produced_on),
        total_hours: portfolio.total_hours,
        participatory_hours: portfolio.participatory_hours,
        entries: portfolio
            .entries
            .into_iter()
            .map(|entry| PortfolioEntryView {
                date: uk_date(entry.date),
                title: entry.title,
                kind: entry.kind,
                participation: entry.participation,
                hours: entry.hours,
                learning: entry.learning,
                reflection_html: entry.reflection_html,
                practice_change: entry.practice_change,
                automatic: entry.recorded_automatically_from.is_some(),
                evidence: entry.evidence_files,
            })
            .collect(),
    })
}

#[cfg(feature = "ssr")]
fn participation_label(participatory: bool) -> &'static str {
    if participatory {
        "Participatory"
    } else {
        "Self-directed"
    }
}

#[cfg(feature = "ssr")]
fn kind_options() -> Vec<(String, String)> {
    domain::cpd::ACTIVITY_KINDS
        .iter()
        .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
        .collect()
}
