//! The member's CPD portfolio: `/cpd` (progress against their regulator's rules with a chart
//! and its table, and the log, filtered by date and type, sorted and paged, all by a plain GET
//! form), `/cpd/new`, `/cpd/<id>` (an entry with its reflection and evidence files),
//! `/cpd/<id>/edit`, `/cpd/<id>/delete`, `/cpd/cycle` and `/cpd/portfolio` (the record of a
//! date range laid out for printing, for an appraiser or confirmer). Plain forms: everything
//! works without JavaScript.

pub mod api;
pub mod dto;
pub mod forms;
pub mod revalidation;

pub use revalidation::{
    CpdProfilePage, DeleteFeedbackPage, DeletePracticePage, DeleteReflectionPage, DiscussionPage,
    EditCpdProfilePage, EditFeedbackPage, EditPracticePage, EditReflectionPage, NewFeedbackPage,
    NewPracticePage, NewReflectionPage, RevalidationPage,
};

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::files::{FileList, FileUpload};
use crate::forms::{
    ErrorSummary, Form, FormFields, FormState, RadioGroup, SelectInput, SuccessBanner, TextArea,
    TextInput, form_state,
};
use crate::layout::{Breadcrumbs, ErrorPage, FilterSelect, Pagination};
use crate::query_string::encode_value;
use dto::{EntryView, LogView, PortfolioView, ProgressBar, ProgressView};
use forms::{AddEntry, AttachEvidence, DeleteEntry, EditEntry, RemoveEvidence, SetCycle};

/// The files at `/cpd/export/<name>`: (name, what it holds).
pub const EXPORT_FILES: [(&str, &str); 5] = [
    ("log.csv", "Your CPD log (CSV)"),
    ("practice-hours.csv", "Practice hours (CSV)"),
    ("feedback.csv", "Feedback (CSV)"),
    ("reflections.csv", "Reflective accounts (CSV)"),
    ("portfolio.json", "Everything (JSON)"),
];

fn home_and_cpd() -> Vec<(String, String)> {
    vec![
        ("Home".to_owned(), "/".to_owned()),
        ("Your CPD".to_owned(), "/cpd".to_owned()),
    ]
}

fn done() -> Option<String> {
    use_query_map().read_untracked().get("done")
}

/// The id in the address (`/cpd/<id>`); 0, which no entry has, when it is not a number.
fn entry_id() -> i32 {
    use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse().ok())
        .unwrap_or_default()
}

/// `/cpd`: progress and the log.
#[component]
pub fn CpdPage() -> impl IntoView {
    let query_map = use_query_map();
    let log = Resource::new(
        move || {
            let query = query_map.read();
            let get = |name: &str| query.get(name).filter(|value| !value.is_empty());
            (
                get("from"),
                get("to"),
                get("participation"),
                get("kind"),
                get("sort"),
                get("page").and_then(|page| page.parse::<u64>().ok()),
            )
        },
        |(from, to, participation, kind, sort, page)| {
            api::cpd_log(from, to, participation, kind, sort, page)
        },
    );
    let progress = Resource::new(|| (), |_| api::cpd_progress());
    let banner = done().and_then(|done| match done.as_str() {
        "deleted" => Some("Entry deleted, with its evidence files."),
        "cycle-saved" => Some("Your CPD cycle is saved. Your progress is worked out from it."),
        _ => None,
    });
    view! {
        <Title text="Your CPD" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current="Your CPD" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Your CPD"</h1>
        <p class="lead">"Your continuing professional development: what you have done, your reflections and evidence, and how far you are through your regulator's requirements. Only you can see it."</p>
        <p class="button-group">
            <a class="button" href="/cpd/new">"Add an entry"</a>
            <a class="button button--secondary" href="/cpd/revalidation">"Revalidation record"</a>
            <a class="button button--secondary" href="/cpd/cycle">"Your regulator and cycle"</a>
            <a class="button button--secondary" href="/cpd/portfolio">"Print your portfolio"</a>
            <a class="button button--secondary" href="/cpd/profile">"CPD profile"</a>
        </p>
        <details class="details">
            <summary>"Download your record"</summary>
            <p>"Take your whole record elsewhere: CSV files open in a spreadsheet; JSON holds everything in one file."</p>
            <ul>
                {EXPORT_FILES.into_iter().map(|(name, label)| view! {
                    <li><a href=format!("/cpd/export/{name}") download="">{label}</a></li>
                }).collect_view()}
            </ul>
        </details>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match progress.await {
                    Ok(progress) => view! { <Progress progress /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(log) => view! { <Log log /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Progress against the rules: what is missing, a bar chart and the same figures as a table.
#[component]
fn Progress(progress: ProgressView) -> impl IntoView {
    let summary = match (&progress.cycle, progress.days_left) {
        (Some(cycle), Some(days)) => format!(
            "{} · {}: {cycle}, {days} {} left.",
            progress.rules,
            progress.regulator,
            if days == 1 { "day" } else { "days" }
        ),
        _ => format!("{} · {}", progress.rules, progress.regulator),
    };
    let missing = progress.missing.clone();
    let also_needed = progress.also_needed.clone();
    let measured: Vec<ProgressBar> = progress
        .bars
        .iter()
        .filter(|bar| bar.required.is_some())
        .cloned()
        .collect();
    view! {
        <section class="cpd-progress" aria-labelledby="progress-heading">
            <h2 id="progress-heading">"Progress"</h2>
            <p>{summary}</p>
            {if missing.is_empty() {
                view! { <p class="inset-text">"Nothing is missing from what ohnet can count for this cycle."</p> }.into_any()
            } else {
                view! {
                    <div class="inset-text">
                        <h3>"Still to do"</h3>
                        <ul>{missing.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
                    </div>
                }.into_any()
            }}
            {progress.audit_profile.then(|| view! {
                <p>"If you are selected for audit, "<a href="/cpd/profile">"your CPD profile"</a>" is ready to print, with your statements and the evidence of this cycle."</p>
            })}
            {(!measured.is_empty()).then(|| view! { <ProgressChart bars=measured /> })}
            <table class="table">
                <caption>{format!("This cycle ({} CPD entries)", progress.entries)}</caption>
                <thead><tr><th scope="col">"Measure"</th><th scope="col">"Done"</th><th scope="col">"Required"</th><th scope="col">"Still needed"</th></tr></thead>
                <tbody>
                    {progress.bars.into_iter().map(|bar| view! {
                        <tr>
                            <th scope="row">{bar.label}</th>
                            <td>{format!("{} {}", bar.done, bar.unit)}</td>
                            <td>{bar.required.map_or_else(|| "—".to_owned(), |amount| format!("{amount} {}", bar.unit))}</td>
                            <td>{bar.needed.map_or_else(|| "—".to_owned(), |amount| format!("{amount} {}", bar.unit))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!also_needed.is_empty()).then(|| view! {
                <details class="details">
                    <summary>"What else your regulator asks for"</summary>
                    <ul>{also_needed.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
                </details>
            })}
        </section>
    }
}

/// Horizontal bars drawn on the server: share of each requirement done. The table after it
/// carries the same figures for screen readers and anyone who prefers numbers.
#[component]
fn ProgressChart(bars: Vec<ProgressBar>) -> impl IntoView {
    const WIDTH: u32 = 300;
    const ROW: u32 = 36;
    let height = ROW * u32::try_from(bars.len()).unwrap_or(1);
    let label = bars
        .iter()
        .map(|bar| format!("{}: {}% done", bar.label, bar.percent))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <svg class="cpd-chart" role="img" aria-label=format!("Progress chart. {label}.") viewBox=format!("0 0 {} {height}", WIDTH + 140) width="100%" preserveAspectRatio="xMinYMin meet">
            {bars.into_iter().enumerate().map(|(row, bar)| {
                let y = u32::try_from(row).unwrap_or_default() * ROW;
                let done = WIDTH * bar.percent / 100;
                view! {
                    <g>
                        <text x="0" y={y + 22} class="cpd-chart__label">{bar.label.clone()}</text>
                        <rect x="120" y={y + 6} width=WIDTH height="22" class="cpd-chart__track" />
                        <rect x="120" y={y + 6} width=done height="22" class="cpd-chart__done" />
                        <text x={130 + WIDTH} y={y + 22} class="cpd-chart__label" text-anchor="end" dx="-14">{format!("{}%", bar.percent)}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

fn log_href(log: &LogView, page: u64) -> String {
    let mut parts = Vec::new();
    for (name, value) in [
        ("from", &log.from),
        ("to", &log.to),
        ("participation", &log.participation),
        ("kind", &log.kind),
    ] {
        if !value.is_empty() {
            parts.push(format!("{name}={}", encode_value(value)));
        }
    }
    if log.order != "newest" {
        parts.push(format!("sort={}", log.order));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/cpd".to_owned()
    } else {
        format!("/cpd?{}", parts.join("&"))
    }
}

/// The filter form, the entries and the pages.
#[component]
fn Log(log: LogView) -> impl IntoView {
    let any = |label: &str| (String::new(), label.to_owned());
    let kinds = std::iter::once(any("All kinds"))
        .chain(log.kinds.clone())
        .collect();
    let types = vec![
        any("Both"),
        ("participatory".to_owned(), "Participatory".to_owned()),
        ("self-directed".to_owned(), "Self-directed".to_owned()),
    ];
    let count = match log.total {
        1 => format!("1 entry, {} hours", log.total_hours),
        n => format!("{n} entries, {} hours", log.total_hours),
    };
    let (page, pages) = (log.page, log.pages);
    let previous = (page > 1).then(|| log_href(&log, page - 1));
    let next = (page < pages).then(|| log_href(&log, page + 1));
    let filtered = !(log.from.is_empty()
        && log.to.is_empty()
        && log.participation.is_empty()
        && log.kind.is_empty());
    view! {
        <section aria-labelledby="log-heading">
            <h2 id="log-heading">"Your log"</h2>
            <form class="filter-form filter-form--wrap" action="/cpd" method="get" aria-label="Filter your log">
                <div class="form-group">
                    <label class="label" for="log-from">"From"</label>
                    <input class="input input--date" id="log-from" name="from" type="date" value=log.from.clone() />
                </div>
                <div class="form-group">
                    <label class="label" for="log-to">"To"</label>
                    <input class="input input--date" id="log-to" name="to" type="date" value=log.to.clone() />
                </div>
                <FilterSelect id="log-participation" name="participation" label="Type" current=log.participation.clone() options=types />
                <FilterSelect id="log-kind" name="kind" label="Kind" current=log.kind.clone() options=kinds />
                <FilterSelect id="log-sort" name="sort" label="Order" current=log.order.clone() options=log.orders.clone() />
                <button type="submit" class="button button--secondary">"Apply filters"</button>
            </form>
            {log.notice.clone().map(|notice| view! { <p class="inset-text" role="status">{notice}</p> })}
            <p class="search-results__count" aria-live="polite">{count}</p>
            {if log.entries.is_empty() {
                if filtered {
                    view! { <p>"No entries match these filters. "<a href="/cpd">"Show every entry"</a></p> }.into_any()
                } else {
                    view! { <p>"Nothing recorded yet. "<a href="/cpd/new">"Add your first entry"</a>", or "<a href="/learning">"take an eLearning module"</a>": passing one adds it here."</p> }.into_any()
                }
            } else {
                view! {
                    <table class="table">
                        <caption class="visually-hidden">"Your CPD entries"</caption>
                        <thead><tr><th scope="col">"Date"</th><th scope="col">"Activity"</th><th scope="col">"Kind"</th><th scope="col">"Type"</th><th scope="col">"Hours"</th></tr></thead>
                        <tbody>
                            {log.entries.into_iter().map(|row| view! {
                                <tr>
                                    <td>{row.date}</td>
                                    <td>
                                        <a href=format!("/cpd/{}", row.id)>{row.title}</a>
                                        {row.automatic.then(|| view! { " "<span class="tag">"Recorded automatically"</span> })}
                                    </td>
                                    <td>{row.kind}</td>
                                    <td>{row.participation}</td>
                                    <td>{row.hours}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <Pagination label="Pages of your log" page pages previous next />
        </section>
    }
}

/// `/cpd/new`: add an entry.
#[component]
pub fn NewEntryPage() -> impl IntoView {
    let kinds = Resource::new(|| (), |_| api::activity_kinds());
    view! {
        <Title text="Add a CPD entry" />
        <Breadcrumbs trail=home_and_cpd() current="Add an entry" />
        <h1>"Add a CPD entry"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match kinds.await {
                    Ok(kinds) => view! { <EntryForm entry=None kinds /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/cpd/<id>/edit`: change an entry.
#[component]
pub fn EditEntryPage() -> impl IntoView {
    let entry = Resource::new(|| (), |_| api::cpd_entry(entry_id()));
    view! {
        <Title text="Change a CPD entry" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match entry.await {
                    Ok(entry) => {
                        let mut trail = home_and_cpd();
                        trail.push((entry.title.clone(), format!("/cpd/{}", entry.id)));
                        let kinds = entry.kinds.clone();
                        view! {
                            <Breadcrumbs trail current="Change" />
                            <h1>{format!("Change: {}", entry.title)}</h1>
                            <EntryForm entry=Some(entry) kinds />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Every field of an entry. An automatic entry shows what was recorded and asks only for the
/// member's own words.
#[component]
fn EntryForm(entry: Option<EntryView>, kinds: Vec<(String, String)>) -> impl IntoView {
    let (form_id, action) = match &entry {
        Some(entry) => (
            EditEntry::SPEC.id,
            EditEntry::SPEC.action_with(&[&entry.id.to_string()]),
        ),
        None => (AddEntry::SPEC.id, AddEntry::SPEC.action.to_owned()),
    };
    let state = form_state(form_id);
    let saved = entry.clone();
    let initial =
        |pick: fn(&EntryView) -> &String| saved.as_ref().map(pick).cloned().unwrap_or_default();
    let automatic = entry.as_ref().and_then(|entry| entry.source.clone());
    let participation = vec![
        (
            "participatory",
            "Participatory: learning with other professionals, in person or online",
        ),
        (
            "self-directed",
            "Self-directed: learning on your own, like reading or eLearning",
        ),
    ];
    let recorded_fields = match (&automatic, &entry) {
        (Some((label, href)), Some(entry)) => view! {
            <div class="inset-text">
                <p>"Recorded automatically when you passed "<a href=href.clone()>{label.clone()}</a>". Its date, title, kind and hours stay as recorded:"</p>
                <p>{format!("{} · {} · {} · {} hours", entry.date_text, entry.title, entry.kind_label, entry.hours)}</p>
            </div>
        }
        .into_any(),
        _ => view! {
            <TextInput name="date" label="Date" input_type="date" hint="The day of the activity (for a course over several days, the last day)" state=state.clone() initial=initial(|entry| &entry.date) />
            <TextInput name="title" label="Title" hint="What it was, like: Trauma-informed practice workshop" state=state.clone() initial=initial(|entry| &entry.title) />
            <SelectInput name="kind" label="Kind of activity" options=kinds state=state.clone() initial=initial(|entry| &entry.kind) />
            <RadioGroup name="participation" legend="Type of learning" options=participation state=state.clone() initial=initial(|entry| &entry.participation) />
            <TextInput name="hours" label="Hours" hint="A number, like 1.5 or 0.75 (at most 24 for one entry)" state=state.clone() initial=initial(|entry| &entry.hours) />
        }
        .into_any(),
    };
    let cancel = entry
        .as_ref()
        .map_or_else(|| "/cpd".to_owned(), |entry| format!("/cpd/{}", entry.id));
    view! {
        <p class="inset-text">"Do not include anything that could identify a patient, service user or colleague."</p>
        <ErrorSummary state=state.clone() />
        <form method="post" action=action novalidate>
            <FormFields form_id=form_id />
            {recorded_fields}
            <TextArea name="learning" label="What you learned" rows=4 state=state.clone() initial=initial(|entry| &entry.learning) />
            <TextArea name="reflection" label="Reflection (optional)" hint="What went well, what you would do differently, what you want to learn next. You can use Markdown." rows=6 state=state.clone() initial=initial(|entry| &entry.reflection) />
            <TextArea name="practice_change" label="How it changed your practice (optional)" rows=4 state=state.clone() initial=initial(|entry| &entry.practice_change) />
            <div class="button-group">
                <button type="submit" class="button">{if entry.is_some() { "Save changes" } else { "Add entry" }}</button>
                <a class="link-button" href=cancel>"Cancel"</a>
            </div>
        </form>
    }
}

/// `/cpd/<id>`: one entry with its evidence.
#[component]
pub fn EntryPage() -> impl IntoView {
    let entry = Resource::new(|| (), |_| api::cpd_entry(entry_id()));
    let banner = done().and_then(|done| match done.as_str() {
        "added" => Some("Entry added to your log."),
        "saved" => Some("Changes saved."),
        "attached" => Some("Evidence file uploaded."),
        "removed" => Some("Evidence file removed."),
        _ => None,
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match entry.await {
                    Ok(entry) => view! { <Entry entry banner /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Entry(entry: EntryView, banner: Option<&'static str>) -> impl IntoView {
    let id = entry.id.to_string();
    let participation = if entry.participation == "participatory" {
        "Participatory"
    } else {
        "Self-directed"
    };
    let text_or_none = |text: String| {
        if text.is_empty() {
            view! { <p class="hint">"Nothing written yet."</p> }.into_any()
        } else {
            view! { <p class="pre-line">{text}</p> }.into_any()
        }
    };
    let reflection = if entry.reflection.is_empty() {
        view! { <p class="hint">"Nothing written yet."</p> }.into_any()
    } else {
        view! { <div class="prose" inner_html=entry.reflection_html.clone()></div> }.into_any()
    };
    let remove = (RemoveEvidence::SPEC, vec![id.clone()]);
    view! {
        <Title text=entry.title.clone() />
        <Breadcrumbs trail=home_and_cpd() current=entry.title.clone() />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>{entry.title.clone()}</h1>
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Date"</dt><dd>{entry.date_text.clone()}</dd></div>
            <div class="summary-list__row"><dt>"Kind"</dt><dd>{entry.kind_label.clone()}</dd></div>
            <div class="summary-list__row"><dt>"Type"</dt><dd>{participation}</dd></div>
            <div class="summary-list__row"><dt>"Hours"</dt><dd>{entry.hours.clone()}</dd></div>
            {entry.source.clone().map(|(label, href)| view! {
                <div class="summary-list__row"><dt>"Recorded by"</dt><dd>"Passing "<a href=href>{label}</a></dd></div>
            })}
        </dl>
        <p class="hint">{entry.recorded.clone()}</p>
        <h2>"What you learned"</h2>
        {text_or_none(entry.learning.clone())}
        <h2>"Reflection"</h2>
        {reflection}
        <h2>"How it changed your practice"</h2>
        {text_or_none(entry.practice_change.clone())}
        <section id="evidence" aria-labelledby="evidence-heading">
            <h2 id="evidence-heading">"Evidence"</h2>
            <p>"Certificates, notes or programmes that show the activity happened. Only you can download them."</p>
            <FileList files=entry.evidence.clone() download_base=format!("/cpd/{id}/evidence") remove=Some(remove) empty="No evidence uploaded." />
            <FileUpload form=AttachEvidence::SPEC action=AttachEvidence::SPEC.action_with(&[&id]) label="Evidence file" button="Upload file" />
        </section>
        <p class="button-group">
            <a class="button button--secondary" href=format!("/cpd/{id}/edit")>"Change this entry"</a>
            <a class="button button--warning" href=format!("/cpd/{id}/delete")>"Delete this entry"</a>
        </p>
    }
}

/// `/cpd/<id>/delete`: are you sure?
#[component]
pub fn DeleteEntryPage() -> impl IntoView {
    let entry = Resource::new(|| (), |_| api::cpd_entry(entry_id()));
    view! {
        <Title text="Delete a CPD entry" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match entry.await {
                    Ok(entry) => {
                        let id = entry.id.to_string();
                        let mut trail = home_and_cpd();
                        trail.push((entry.title.clone(), format!("/cpd/{id}")));
                        let files = match entry.evidence.len() {
                            0 => String::new(),
                            1 => " and its evidence file".to_owned(),
                            n => format!(" and its {n} evidence files"),
                        };
                        let state = form_state(DeleteEntry::SPEC.id);
                        view! {
                            <Breadcrumbs trail current="Delete" />
                            <h1>{format!("Delete “{}”?", entry.title)}</h1>
                            <p>{format!("This removes the entry{files} from your log for good. It cannot be undone.")}</p>
                            <ErrorSummary state />
                            <form method="post" action=DeleteEntry::SPEC.action_with(&[&id])>
                                <FormFields form_id=DeleteEntry::SPEC.id />
                                <div class="button-group">
                                    <button type="submit" class="button button--warning">"Delete entry"</button>
                                    <a class="link-button" href=format!("/cpd/{id}")>"Keep it"</a>
                                </div>
                            </form>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/cpd/cycle`: the member's regulator, cycle date and target.
#[component]
pub fn CyclePage() -> impl IntoView {
    let progress = Resource::new(|| (), |_| api::cpd_progress());
    view! {
        <Title text="Your regulator and CPD cycle" />
        <Breadcrumbs trail=home_and_cpd() current="Your regulator and cycle" />
        <h1>"Your regulator and CPD cycle"</h1>
        <p class="lead">"Your progress is counted over your regulator's cycle, ending on the date you give. Changing it changes only what is counted: no entry is lost."</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match progress.await {
                    Ok(progress) => view! { <CycleForm progress /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CycleForm(progress: ProgressView) -> impl IntoView {
    let state: FormState = form_state(SetCycle::SPEC.id);
    let (regulator, ends_on, target) = progress.fields.clone();
    view! {
        <ErrorSummary state=state.clone() />
        <form method="post" action=SetCycle::SPEC.action novalidate>
            <FormFields form_id=SetCycle::SPEC.id />
            <SelectInput name="regulator" label="Your regulator" options=progress.regulators.clone() state=state.clone() initial=regulator />
            <TextInput name="ends_on" label="The date your cycle ends" input_type="date" hint="NMC: your revalidation date (every three years). HCPC: your registration renewal date (every two years). Doctors: your next appraisal date. Leave empty if you have none." state=state.clone() initial=ends_on />
            <TextInput name="target_hours" label="Your CPD hours target for the year (optional)" hint="For appraisal, the hours you aim for, like 50. Other regulators' requirements are built in." state=state.clone() initial=target />
            <button type="submit" class="button">"Save"</button>
        </form>
    }
}

/// `/cpd/portfolio`: every entry of a date range (the current cycle unless chosen) with its full
/// text, laid out to print: the site's header, footer and this page's form are left off paper.
#[component]
pub fn PortfolioPage() -> impl IntoView {
    let query_map = use_query_map();
    let portfolio = Resource::new(
        move || {
            let query = query_map.read();
            let get = |name: &str| query.get(name).filter(|value| !value.is_empty());
            (get("from"), get("to"))
        },
        |(from, to)| api::cpd_portfolio(from, to),
    );
    view! {
        <Title text="Your CPD portfolio" />
        <Breadcrumbs trail=home_and_cpd() current="Portfolio" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match portfolio.await {
                    Ok(portfolio) => view! { <Portfolio portfolio /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Portfolio(portfolio: PortfolioView) -> impl IntoView {
    let count = match portfolio.entries.len() {
        1 => "1 entry".to_owned(),
        n => format!("{n} entries"),
    };
    view! {
        <h1>{format!("CPD portfolio: {}", portfolio.member)}</h1>
        <form class="filter-form no-print" action="/cpd/portfolio" method="get" aria-label="Choose the dates">
            <div class="form-group">
                <label class="label" for="portfolio-from">"From"</label>
                <input class="input input--date" id="portfolio-from" name="from" type="date" value=portfolio.from.clone() />
            </div>
            <div class="form-group">
                <label class="label" for="portfolio-to">"To"</label>
                <input class="input input--date" id="portfolio-to" name="to" type="date" value=portfolio.to.clone() />
            </div>
            <button type="submit" class="button button--secondary">"Show these dates"</button>
        </form>
        <p class="hint no-print">"Use your browser's Print command to print this page or save it as a PDF: the site's menus are left off."</p>
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Regulator"</dt><dd>{portfolio.regulator.clone()}</dd></div>
            <div class="summary-list__row"><dt>"Kept under"</dt><dd>{portfolio.rules.clone()}</dd></div>
            <div class="summary-list__row"><dt>"Period"</dt><dd>{portfolio.period.clone()}</dd></div>
            <div class="summary-list__row"><dt>"CPD"</dt><dd>{format!("{count}, {} hours, of which {} participatory", portfolio.total_hours, portfolio.participatory_hours)}</dd></div>
            <div class="summary-list__row"><dt>"Produced"</dt><dd>{portfolio.produced_on.clone()}</dd></div>
        </dl>
        {portfolio.entries.is_empty().then(|| view! { <p>"No entries in this period."</p> })}
        {portfolio.entries.into_iter().map(|entry| view! {
            <article class="portfolio-entry">
                <h2>{entry.title.clone()}</h2>
                <p>{format!("{} · {} · {} · {} hours", entry.date, entry.kind, entry.participation, entry.hours)}{entry.automatic.then_some(" · recorded automatically by eLearning")}</p>
                <h3>"What I learned"</h3>
                <p class="pre-line">{entry.learning.clone()}</p>
                {(!entry.reflection_html.is_empty()).then(|| view! {
                    <h3>"Reflection"</h3>
                    <div class="prose" inner_html=entry.reflection_html.clone()></div>
                })}
                {(!entry.practice_change.is_empty()).then(|| view! {
                    <h3>"How it changed my practice"</h3>
                    <p class="pre-line">{entry.practice_change.clone()}</p>
                })}
                {(!entry.evidence.is_empty()).then(|| view! {
                    <p>{format!("Evidence: {}", entry.evidence.join(", "))}</p>
                })}
            </article>
        }).collect_view()}
        <PortfolioRevalidation record=portfolio.revalidation />
    }
}

/// The revalidation records of the portfolio's dates, for a confirmer.
#[component]
fn PortfolioRevalidation(record: dto::RevalidationView) -> impl IntoView {
    if record.practice.is_empty()
        && record.feedback.is_empty()
        && record.reflections.is_empty()
        && record.discussion.partner_name.is_empty()
        && record.discussion.confirmer_name.is_empty()
    {
        return ().into_any();
    }
    view! {
        <section class="portfolio-entry">
            <h2>"Practice hours"</h2>
            <p>{format!("{} hours in all.", record.practice_hours)}</p>
            <table class="table">
                <caption class="visually-hidden">"Periods of practice"</caption>
                <thead><tr><th scope="col">"Dates"</th><th scope="col">"Organisation"</th><th scope="col">"Setting"</th><th scope="col">"Scope"</th><th scope="col">"Hours"</th></tr></thead>
                <tbody>
                    {record.practice.into_iter().map(|period| view! {
                        <tr><td>{period.period}</td><td>{period.organisation}</td><td>{period.setting_label}</td><td>{period.scope_label}</td><td>{period.hours}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="portfolio-entry">
            <h2>"Practice-related feedback"</h2>
            {record.feedback.into_iter().map(|piece| view! {
                <h3>{format!("{}: {}", piece.received_text, piece.source_label)}</h3>
                <p class="pre-line">{piece.summary}</p>
                {(!piece.practice_change.is_empty()).then(|| view! { <p class="pre-line">{format!("What I did with it: {}", piece.practice_change)}</p> })}
            }).collect_view()}
        </section>
        <section class="portfolio-entry">
            <h2>"Written reflective accounts"</h2>
            {record.reflections.into_iter().map(|account| view! { <revalidation::ReflectionText account first_person=true /> }).collect_view()}
        </section>
        <section class="portfolio-entry">
            <h2>"Reflective discussion and confirmation"</h2>
            <revalidation::DiscussionSummary discussion=record.discussion />
        </section>
    }
    .into_any()
}
