//! Server functions for the CPD pages. Every one reads only the signed-in member's own record:
//! the domain decides, from the actor.

use leptos::prelude::*;

use super::dto::{
    DiscussionView, EntryView, FeedbackView, LogView, PracticeView, ProfileView, ProgressView,
    RecordChoices, ReflectionView, RevalidationView,
};
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
    let cx = crate::context::server_context()?;
    let progress = cx.services.cpd.progress(&crate::context::actor()).await?;
    Ok(progress_view(progress))
}

#[cfg(feature = "ssr")]
fn progress_view(progress: domain::cpd::Progress) -> ProgressView {
    use domain::accounts::directory::REGULATORS;
    use domain::cpd::hours_text;

    use super::dto::ProgressBar;

    let bar =
        |label: &str, unit: &str, text: fn(i64) -> String, done: i64, required: Option<i64>| {
            ProgressBar {
                label: label.to_owned(),
                unit: unit.to_owned(),
                done: text(done),
                required: required.map(text),
                needed: required.map(|required| text((required - done).max(0))),
                percent: match required {
                    Some(required) if required > 0 => {
                        u32::try_from((done.max(0) * 100 / required).min(100)).unwrap_or(100)
                    }
                    _ => 0,
                },
            }
        };
    let count = |number: i64| number.to_string();
    let rules = progress.rules;
    let mut bars = vec![
        bar(
            "All CPD",
            "hours",
            hours_text,
            progress.done_minutes,
            progress.required_minutes,
        ),
        bar(
            "Participatory",
            "hours",
            hours_text,
            progress.participatory_minutes,
            progress.required_participatory_minutes,
        ),
        bar(
            "Self-directed",
            "hours",
            hours_text,
            progress.done_minutes - progress.participatory_minutes,
            None,
        ),
    ];
    for (label, unit, text, done, required) in [
        (
            "Practice hours",
            "hours",
            hours_text as fn(i64) -> String,
            progress.practice_minutes,
            progress.required_practice_minutes,
        ),
        (
            "Feedback",
            "pieces",
            count,
            progress.feedback,
            rules.feedback_pieces,
        ),
        (
            "Reflective accounts",
            "accounts",
            count,
            progress.reflections,
            rules.reflective_accounts,
        ),
    ] {
        if required.is_some() || done > 0 {
            bars.push(bar(label, unit, text, done, required));
        }
    }
    ProgressView {
        rules: rules.name.to_owned(),
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
        also_needed: rules
            .also_needed
            .iter()
            .map(|text| (*text).to_owned())
            .collect(),
        date_label: rules.date_label.to_owned(),
        member_target: rules.member_target,
        audit_profile: rules.audit_profile,
        fields: (
            progress.fields.regulator,
            progress.fields.ends_on,
            progress.fields.target_hours,
        ),
        regulators: REGULATORS
            .iter()
            .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
            .collect(),
    }
}

/// The member's revalidation records (every date, oldest first) and their progress.
#[server(prefix = "/api", endpoint = "cpd/revalidation", input = server_fn::codec::GetUrl)]
pub async fn cpd_revalidation() -> Result<(RevalidationView, ProgressView), AppError> {
    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let record = cx
        .services
        .cpd
        .revalidation_record(&actor, None, None)
        .await?;
    let progress = cx.services.cpd.progress(&actor).await?;
    Ok((revalidation_view(record), progress_view(progress)))
}

/// The choices the revalidation forms offer.
#[server(prefix = "/api", endpoint = "cpd/choices", input = server_fn::codec::GetUrl)]
pub async fn cpd_record_choices() -> Result<RecordChoices, AppError> {
    use domain::cpd::{CODE_THEMES, FEEDBACK_SOURCES, PRACTICE_SETTINGS, SCOPES_OF_PRACTICE};

    crate::context::actor().require_active()?;
    let owned = |options: &[(&str, &str)]| {
        options
            .iter()
            .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
            .collect()
    };
    Ok(RecordChoices {
        settings: owned(&PRACTICE_SETTINGS),
        scopes: owned(&SCOPES_OF_PRACTICE),
        sources: owned(&FEEDBACK_SOURCES),
        themes: owned(&CODE_THEMES),
    })
}

/// One period of practice of the member's own record.
#[server(prefix = "/api", endpoint = "cpd/practice", input = server_fn::codec::GetUrl)]
pub async fn cpd_practice(id: i32) -> Result<PracticeView, AppError> {
    let cx = crate::context::server_context()?;
    let period = cx
        .services
        .cpd
        .practice_period(&crate::context::actor(), id)
        .await?;
    Ok(practice_view(period))
}

/// One piece of feedback of the member's own record.
#[server(prefix = "/api", endpoint = "cpd/feedback", input = server_fn::codec::GetUrl)]
pub async fn cpd_feedback(id: i32) -> Result<FeedbackView, AppError> {
    let cx = crate::context::server_context()?;
    let piece = cx
        .services
        .cpd
        .feedback(&crate::context::actor(), id)
        .await?;
    Ok(feedback_view(piece))
}

/// One reflective account of the member's own record.
#[server(prefix = "/api", endpoint = "cpd/reflection", input = server_fn::codec::GetUrl)]
pub async fn cpd_reflection(id: i32) -> Result<ReflectionView, AppError> {
    let cx = crate::context::server_context()?;
    let account = cx
        .services
        .cpd
        .reflective_account(&crate::context::actor(), id)
        .await?;
    Ok(reflection_view(account))
}

/// The member's reflective discussion, confirmation and dual registration.
#[server(prefix = "/api", endpoint = "cpd/discussion", input = server_fn::codec::GetUrl)]
pub async fn cpd_discussion() -> Result<DiscussionView, AppError> {
    let cx = crate::context::server_context()?;
    let details = cx
        .services
        .cpd
        .cycle_details(&crate::context::actor())
        .await?;
    Ok(discussion_view(details.discussion))
}

/// The member's CPD profile: their statements and the evidence of their current cycle.
#[server(prefix = "/api", endpoint = "cpd/profile", input = server_fn::codec::GetUrl)]
pub async fn cpd_profile() -> Result<ProfileView, AppError> {
    use domain::time::uk_date;

    let cx = crate::context::server_context()?;
    let portfolio = cx
        .services
        .cpd
        .portfolio(&crate::context::actor(), None, None)
        .await?;
    let profile = portfolio.revalidation.details.profile;
    Ok(ProfileView {
        period: period_text(portfolio.from.map(uk_date), portfolio.to.map(uk_date)),
        member: portfolio.member,
        regulator: portfolio.regulator,
        produced_on: uk_date(portfolio.produced_on),
        practice_summary: profile.practice_summary,
        standards_statement: profile.standards_statement,
        standards: domain::cpd::rule_set_for("hcpc")
            .also_needed
            .iter()
            .map(|text| (*text).to_owned())
            .collect(),
        evidence: portfolio
            .entries
            .into_iter()
            .map(|entry| {
                (
                    uk_date(entry.date),
                    entry.title,
                    entry.hours,
                    entry.evidence_files,
                )
            })
            .collect(),
    })
}

#[cfg(feature = "ssr")]
fn period_text(from: Option<String>, to: Option<String>) -> String {
    match (from, to) {
        (Some(from), Some(to)) => format!("{from} to {to}"),
        (Some(from), None) => format!("From {from}"),
        (None, Some(to)) => format!("Up to {to}"),
        (None, None) => "All entries".to_owned(),
    }
}

#[cfg(feature = "ssr")]
fn practice_view(period: domain::cpd::PracticePeriod) -> PracticeView {
    use domain::time::uk_date;
    PracticeView {
        id: period.id,
        period: format!(
            "{} to {}",
            uk_date(period.started_on),
            uk_date(period.ended_on)
        ),
        started_on: period.fields.started_on,
        ended_on: period.fields.ended_on,
        organisation: period.organisation,
        setting: period.fields.setting,
        setting_label: period.setting,
        scope: period.fields.scope,
        scope_label: period.scope,
        hours: period.fields.hours,
        description: period.description,
    }
}

#[cfg(feature = "ssr")]
fn feedback_view(piece: domain::cpd::Feedback) -> FeedbackView {
    FeedbackView {
        id: piece.id,
        received_on: piece.fields.received_on,
        received_text: domain::time::uk_date(piece.received_on),
        source: piece.fields.source,
        source_label: piece.source,
        summary: piece.summary,
        practice_change: piece.practice_change,
    }
}

#[cfg(feature = "ssr")]
fn reflection_view(account: domain::cpd::ReflectiveAccount) -> ReflectionView {
    ReflectionView {
        id: account.id,
        written_on: account.fields.written_on,
        written_text: domain::time::uk_date(account.written_on),
        experience: account.experience,
        learning: account.learning,
        practice_change: account.practice_change,
        code_themes: account.fields.code_themes,
        theme_labels: account.code_themes,
    }
}

#[cfg(feature = "ssr")]
fn discussion_view(fields: domain::cpd::DiscussionFields) -> DiscussionView {
    let text = |date: &str| {
        domain::time::parse_iso_date(date)
            .map(domain::time::uk_date)
            .unwrap_or_default()
    };
    DiscussionView {
        discussed_text: text(&fields.discussed_on),
        confirmed_text: text(&fields.confirmed_on),
        dual_registrant: fields.dual_registrant,
        partner_name: fields.partner_name,
        partner_pin: fields.partner_pin,
        discussed_on: fields.discussed_on,
        confirmer_name: fields.confirmer_name,
        confirmer_role: fields.confirmer_role,
        confirmed_on: fields.confirmed_on,
    }
}

#[cfg(feature = "ssr")]
fn revalidation_view(record: domain::cpd::RevalidationRecord) -> RevalidationView {
    RevalidationView {
        practice_hours: domain::cpd::hours_text(record.practice_minutes),
        practice: record.practice.into_iter().map(practice_view).collect(),
        feedback: record.feedback.into_iter().map(feedback_view).collect(),
        reflections: record
            .reflections
            .into_iter()
            .map(reflection_view)
            .collect(),
        discussion: discussion_view(record.details.discussion),
    }
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
    let period = period_text(portfolio.from.map(uk_date), portfolio.to.map(uk_date));
    Ok(PortfolioView {
        revalidation: revalidation_view(portfolio.revalidation),
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
