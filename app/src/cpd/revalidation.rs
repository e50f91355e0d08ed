//! The rest of a revalidation portfolio: `/cpd/revalidation` (periods of practice, feedback,
//! reflective accounts, the discussion and confirmation, with what is still missing), the add,
//! change and delete pages of each record, `/cpd/revalidation/discussion`, and `/cpd/profile`
//! (an HCPC-style CPD profile laid out for printing) with `/cpd/profile/edit`. Plain forms:
//! everything works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api;
use super::dto::{
    DiscussionView, FeedbackView, PracticeView, ProfileView, ProgressView, RecordChoices,
    ReflectionView, RevalidationView,
};
use super::forms::{
    AddFeedback, AddPractice, AddReflection, DeleteFeedback, DeletePractice, DeleteReflection,
    EditFeedback, EditPractice, EditReflection, SetDiscussion, SetProfile,
};
use super::{done, entry_id, home_and_cpd};
use crate::forms::{
    CheckboxInput, ErrorSummary, Form, FormFields, GroupChoice, SelectInput, SuccessBanner,
    TextArea, TextInput, form_state,
};
use crate::layout::{Breadcrumbs, ErrorPage};

const REVALIDATION: &str = "/cpd/revalidation";

fn trail() -> Vec<(String, String)> {
    let mut trail = home_and_cpd();
    trail.push(("Revalidation record".to_owned(), REVALIDATION.to_owned()));
    trail
}

/// Never ask for anything that identifies a person; say so on every form.
#[component]
fn NoIdentifiers() -> impl IntoView {
    view! {
        <p class="inset-text">"Do not include anything that could identify a patient, service user, officer or colleague: no names, collar numbers, dates of birth or details of a case."</p>
    }
}

/// `/cpd/revalidation`: every record, and what is still missing for the cycle.
#[component]
pub fn RevalidationPage() -> impl IntoView {
    let record = Resource::new(|| (), |_| api::cpd_revalidation());
    let banner = done().and_then(|done| match done.as_str() {
        "practice-added" => Some("Practice hours added."),
        "feedback-added" => Some("Feedback added."),
        "reflection-added" => Some("Reflective account added."),
        "saved" => Some("Changes saved."),
        "deleted" => Some("Deleted."),
        "discussion-saved" => Some("Your discussion and confirmation are saved."),
        _ => None,
    });
    view! {
        <Title text="Your revalidation record" />
        <Breadcrumbs trail=home_and_cpd() current="Revalidation record" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Your revalidation record"</h1>
        <p class="lead">"Besides your CPD hours, NMC revalidation asks for practice hours, five pieces of practice-related feedback, five written reflective accounts, a reflective discussion and a confirmation. Keep them here; only you can see them."</p>
        <NoIdentifiers />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match record.await {
                    Ok((record, progress)) => view! { <Records record progress /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn count_text(count: usize, one: &str, many: &str) -> String {
    match count {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

fn change_links(kind: &str, id: i32, what: String) -> impl IntoView {
    let hidden = format!(" {what}");
    view! {
        <p class="button-group">
            <a class="link-button" href=format!("/cpd/{kind}/{id}/edit")>"Change"<span class="visually-hidden">{hidden.clone()}</span></a>
            <a class="link-button" href=format!("/cpd/{kind}/{id}/delete")>"Delete"<span class="visually-hidden">{hidden}</span></a>
        </p>
    }
}

#[component]
fn Records(record: RevalidationView, progress: ProgressView) -> impl IntoView {
    let RevalidationView {
        practice,
        practice_hours,
        feedback,
        reflections,
        discussion,
    } = record;
    let summary = match &progress.cycle {
        Some(cycle) => format!("{} · your cycle: {cycle}", progress.rules),
        None => progress.rules.clone(),
    };
    let missing = progress.missing.clone();
    view! {
        <p>{summary}" · "<a href="/cpd/cycle">"Change your regulator or dates"</a></p>
        {(!missing.is_empty()).then(|| view! {
            <div class="inset-text">
                <h2>"Still to do this cycle"</h2>
                <ul>{missing.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
            </div>
        })}
        <section aria-labelledby="practice-heading">
            <h2 id="practice-heading">"Practice hours"</h2>
            <p>{format!("{}, {practice_hours} hours in all. A period counts in the cycle its last day falls in.", count_text(practice.len(), "period", "periods"))}</p>
            {(!practice.is_empty()).then(|| view! {
                <table class="table">
                    <caption class="visually-hidden">"Your periods of practice"</caption>
                    <thead><tr><th scope="col">"Dates"</th><th scope="col">"Organisation"</th><th scope="col">"Setting and scope"</th><th scope="col">"Hours"</th><th scope="col">"Actions"</th></tr></thead>
                    <tbody>
                        {practice.into_iter().map(|period| {
                            let what = format!("practice from {}", period.period);
                            view! {
                                <tr>
                                    <td>{period.period.clone()}</td>
                                    <td>{period.organisation.clone()}</td>
                                    <td>{format!("{} · {}", period.setting_label, period.scope_label)}</td>
                                    <td>{period.hours.clone()}</td>
                                    <td>{change_links("practice", period.id, what)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <p><a class="button button--secondary" href=AddPractice::SPEC.action>"Add practice hours"</a></p>
        </section>
        <section aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">"Practice-related feedback"</h2>
            <p>{count_text(feedback.len(), "piece of feedback", "pieces of feedback")}</p>
            {feedback.into_iter().map(|piece| {
                let what = format!("feedback of {}", piece.received_text);
                view! {
                    <article class="record-card">
                        <h3>{format!("{}: {}", piece.received_text, piece.source_label)}</h3>
                        <p class="pre-line">{piece.summary.clone()}</p>
                        {(!piece.practice_change.is_empty()).then(|| view! {
                            <p class="pre-line"><strong>"What you did with it: "</strong>{piece.practice_change.clone()}</p>
                        })}
                        {change_links("feedback", piece.id, what)}
                    </article>
                }
            }).collect_view()}
            <p><a class="button button--secondary" href=AddFeedback::SPEC.action>"Add feedback"</a></p>
        </section>
        <section aria-labelledby="reflections-heading">
            <h2 id="reflections-heading">"Written reflective accounts"</h2>
            <p>{count_text(reflections.len(), "reflective account", "reflective accounts")}</p>
            {reflections.into_iter().map(|account| {
                let what = format!("reflective account of {}", account.written_text);
                view! {
                    <article class="record-card">
                        <ReflectionText account=account.clone() />
                        {change_links("reflections", account.id, what)}
                    </article>
                }
            }).collect_view()}
            <p><a class="button button--secondary" href=AddReflection::SPEC.action>"Add a reflective account"</a></p>
        </section>
        <section aria-labelledby="discussion-heading">
            <h2 id="discussion-heading">"Reflective discussion and confirmation"</h2>
            <DiscussionSummary discussion />
            <p><a class="button button--secondary" href=SetDiscussion::SPEC.action>"Record your discussion and confirmation"</a></p>
        </section>
        <p><a href="/cpd/portfolio">"Print your portfolio"</a>" for your confirmer: your CPD and all of the above for the dates you choose."</p>
    }
}

/// A reflective account's four parts under a third-level heading with its date, addressed to
/// the member on their own pages and in their voice (`first_person`) in the printed portfolio.
#[component]
pub(super) fn ReflectionText(
    account: ReflectionView,
    #[prop(optional)] first_person: bool,
) -> impl IntoView {
    let (learned, changed) = if first_person {
        (
            "What I learned: ",
            "How I changed or improved my practice: ",
        )
    } else {
        (
            "What you learned: ",
            "How you changed or improved your practice: ",
        )
    };
    view! {
        <div class="portfolio-record">
            <h3>{format!("Reflective account, {}", account.written_text)}</h3>
            <p><strong>"Code themes: "</strong>{account.theme_labels.join(", ")}</p>
            <p><strong>"The activity, feedback or experience: "</strong></p>
            <p class="pre-line">{account.experience}</p>
            <p><strong>{learned}</strong></p>
            <p class="pre-line">{account.learning}</p>
            <p><strong>{changed}</strong></p>
            <p class="pre-line">{account.practice_change}</p>
        </div>
    }
}

/// The discussion and confirmation as a summary list.
#[component]
pub(super) fn DiscussionSummary(discussion: DiscussionView) -> impl IntoView {
    let or_none = |text: String| {
        if text.is_empty() {
            "Not recorded".to_owned()
        } else {
            text
        }
    };
    let discussed = if discussion.partner_name.is_empty() {
        String::new()
    } else {
        let pin = if discussion.partner_pin.is_empty() {
            String::new()
        } else {
            format!(" (NMC PIN {})", discussion.partner_pin)
        };
        format!(
            "{}{pin}, {}",
            discussion.partner_name, discussion.discussed_text
        )
    };
    let confirmed = if discussion.confirmer_name.is_empty() {
        String::new()
    } else {
        format!(
            "{}, {}, {}",
            discussion.confirmer_name, discussion.confirmer_role, discussion.confirmed_text
        )
    };
    view! {
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Reflective discussion"</dt><dd>{or_none(discussed)}</dd></div>
            <div class="summary-list__row"><dt>"Confirmation"</dt><dd>{or_none(confirmed)}</dd></div>
            <div class="summary-list__row"><dt>"Practice hours asked for"</dt><dd>{if discussion.dual_registrant { "900 (dual registration)" } else { "450" }}</dd></div>
        </dl>
    }
}

/// Loads the form's choices (and, to change a record, the record) and shows `form`.
macro_rules! record_page {
    ($(#[$meta:meta])* $name:ident, $title:literal, $fetch:expr, $form:ident) => {
        $(#[$meta])*
        #[component]
        pub fn $name() -> impl IntoView {
            let choices = Resource::new(|| (), |_| api::cpd_record_choices());
            let record = Resource::new(|| (), |_| $fetch);
            view! {
                <Title text=$title />
                <Breadcrumbs trail=trail() current=$title />
                <h1>$title</h1>
                <NoIdentifiers />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match (choices.await, record.await) {
                            (Ok(choices), Ok(record)) => view! { <$form record choices /> }.into_any(),
                            (Err(error), _) | (_, Err(error)) => view! { <ErrorPage error /> }.into_any(),
                        }
                    })}
                </Suspense>
            }
        }
    };
}

async fn none<T>() -> Result<Option<T>, crate::error::AppError> {
    Ok(None)
}

record_page!(
    /// `/cpd/practice/new`.
    NewPracticePage, "Add practice hours", none::<PracticeView>(), PracticeForm
);
record_page!(
    /// `/cpd/practice/<id>/edit`.
    EditPracticePage, "Change practice hours", async { api::cpd_practice(entry_id()).await.map(Some) }, PracticeForm
);
record_page!(
    /// `/cpd/feedback/new`.
    NewFeedbackPage, "Add feedback", none::<FeedbackView>(), FeedbackForm
);
record_page!(
    /// `/cpd/feedback/<id>/edit`.
    EditFeedbackPage, "Change feedback", async { api::cpd_feedback(entry_id()).await.map(Some) }, FeedbackForm
);
record_page!(
    /// `/cpd/reflections/new`.
    NewReflectionPage, "Add a reflective account", none::<ReflectionView>(), ReflectionForm
);
record_page!(
    /// `/cpd/reflections/<id>/edit`.
    EditReflectionPage, "Change a reflective account", async { api::cpd_reflection(entry_id()).await.map(Some) }, ReflectionForm
);

/// The form's id and address: to add, or to change the record `id`.
fn target<A: Form, E: Form>(id: Option<i32>) -> (&'static str, String) {
    match id {
        Some(id) => (E::SPEC.id, E::SPEC.action_with(&[&id.to_string()])),
        None => (A::SPEC.id, A::SPEC.action.to_owned()),
    }
}

fn buttons(editing: bool, add: &'static str) -> impl IntoView {
    view! {
        <div class="button-group">
            <button type="submit" class="button">{if editing { "Save changes" } else { add }}</button>
            <a class="link-button" href=REVALIDATION>"Cancel"</a>
        </div>
    }
}

#[component]
fn PracticeForm(record: Option<PracticeView>, choices: RecordChoices) -> impl IntoView {
    let (form_id, action) = target::<AddPractice, EditPractice>(record.as_ref().map(|r| r.id));
    let state = form_state(form_id);
    let editing = record.is_some();
    let saved = record.unwrap_or_default();
    view! {
        <ErrorSummary state=state.clone() />
        <form method="post" action=action novalidate>
            <FormFields form_id=form_id />
            <TextInput name="started_on" label="First day" input_type="date" state=state.clone() initial=saved.started_on />
            <TextInput name="ended_on" label="Last day" input_type="date" hint="The period counts in the cycle this day falls in: split a period that crosses your revalidation date" state=state.clone() initial=saved.ended_on />
            <TextInput name="organisation" label="Organisation" hint="Who you worked for, like: Northshire Police occupational health" state=state.clone() initial=saved.organisation />
            <SelectInput name="setting" label="Setting" options=choices.settings state=state.clone() initial=saved.setting />
            <SelectInput name="scope" label="Scope of practice" options=choices.scopes state=state.clone() initial=saved.scope />
            <TextInput name="hours" label="Hours worked" hint="A number, like 262.5 (at most 2,000 for one period)" state=state.clone() initial=saved.hours />
            <TextArea name="description" label="What the work was (optional)" rows=4 state=state.clone() initial=saved.description />
            {buttons(editing, "Add practice hours")}
        </form>
    }
}

#[component]
fn FeedbackForm(record: Option<FeedbackView>, choices: RecordChoices) -> impl IntoView {
    let (form_id, action) = target::<AddFeedback, EditFeedback>(record.as_ref().map(|r| r.id));
    let state = form_state(form_id);
    let editing = record.is_some();
    let saved = record.unwrap_or_default();
    view! {
        <ErrorSummary state=state.clone() />
        <form method="post" action=action novalidate>
            <FormFields form_id=form_id />
            <TextInput name="received_on" label="Date received" input_type="date" state=state.clone() initial=saved.received_on />
            <SelectInput name="source" label="Who it came from" hint="The kind of person, never their name" options=choices.sources state=state.clone() initial=saved.source />
            <TextArea name="summary" label="What the feedback said" hint="In your words, without anything that identifies anyone" rows=5 state=state.clone() initial=saved.summary />
            <TextArea name="practice_change" label="What you did with it (optional)" rows=4 state=state.clone() initial=saved.practice_change />
            {buttons(editing, "Add feedback")}
        </form>
    }
}

#[component]
fn ReflectionForm(record: Option<ReflectionView>, choices: RecordChoices) -> impl IntoView {
    let (form_id, action) = target::<AddReflection, EditReflection>(record.as_ref().map(|r| r.id));
    let state = form_state(form_id);
    let editing = record.is_some();
    let saved = record.unwrap_or_default();
    view! {
        <ErrorSummary state=state.clone() />
        <form method="post" action=action novalidate>
            <FormFields form_id=form_id />
            <TextInput name="written_on" label="Date written" input_type="date" state=state.clone() initial=saved.written_on />
            <TextArea name="experience" label="What was the activity, feedback or experience?" hint="A CPD activity, a piece of feedback, or an event or experience in your practice" rows=5 state=state.clone() initial=saved.experience />
            <TextArea name="learning" label="What did you learn from it?" rows=5 state=state.clone() initial=saved.learning />
            <TextArea name="practice_change" label="How did you change or improve your practice as a result?" rows=5 state=state.clone() initial=saved.practice_change />
            <GroupChoice name="code_themes" legend="Which themes of the Code does it relate to?" hint="Choose one or more" key=String::new() groups=choices.themes chosen=saved.code_themes state=state.clone() />
            {buttons(editing, "Add reflective account")}
        </form>
    }
}

/// Asks before deleting a record: what it is, then a button posting `form`.
#[component]
fn ConfirmDelete(what: String, form_id: &'static str, action: String) -> impl IntoView {
    let state = form_state(form_id);
    view! {
        <Breadcrumbs trail=trail() current="Delete" />
        <h1>{format!("Delete {what}?")}</h1>
        <p>"This removes it from your record for good. It cannot be undone."</p>
        <ErrorSummary state />
        <form method="post" action=action>
            <FormFields form_id=form_id />
            <div class="button-group">
                <button type="submit" class="button button--warning">"Delete"</button>
                <a class="link-button" href=REVALIDATION>"Keep it"</a>
            </div>
        </form>
    }
}

/// Loads the record in the address and asks before deleting it with `form`.
macro_rules! delete_page {
    ($(#[$meta:meta])* $name:ident, $title:literal, $fetch:path, $form:ident, |$record:ident| $what:expr) => {
        $(#[$meta])*
        #[component]
        pub fn $name() -> impl IntoView {
            let record = Resource::new(|| (), |_| $fetch(entry_id()));
            view! {
                <Title text=$title />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match record.await {
                            Ok($record) => view! {
                                <ConfirmDelete what=$what form_id=$form::SPEC.id action=$form::SPEC.action_with(&[&$record.id.to_string()]) />
                            }.into_any(),
                            Err(error) => view! { <ErrorPage error /> }.into_any(),
                        }
                    })}
                </Suspense>
            }
        }
    };
}

delete_page!(
    /// `/cpd/practice/<id>/delete`.
    DeletePracticePage, "Delete practice hours", api::cpd_practice, DeletePractice,
    |period| format!("the practice hours of {}", period.period)
);
delete_page!(
    /// `/cpd/feedback/<id>/delete`.
    DeleteFeedbackPage, "Delete feedback", api::cpd_feedback, DeleteFeedback,
    |piece| format!("the feedback of {}", piece.received_text)
);
delete_page!(
    /// `/cpd/reflections/<id>/delete`.
    DeleteReflectionPage, "Delete a reflective account", api::cpd_reflection, DeleteReflection,
    |account| format!("the reflective account of {}", account.written_text)
);

/// `/cpd/revalidation/discussion`: the reflective discussion, the confirmation and a dual
/// registration.
#[component]
pub fn DiscussionPage() -> impl IntoView {
    let discussion = Resource::new(|| (), |_| api::cpd_discussion());
    view! {
        <Title text="Reflective discussion and confirmation" />
        <Breadcrumbs trail=trail() current="Discussion and confirmation" />
        <h1>"Reflective discussion and confirmation"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match discussion.await {
                    Ok(saved) => view! { <DiscussionForm saved /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DiscussionForm(saved: DiscussionView) -> impl IntoView {
    let state = form_state(SetDiscussion::SPEC.id);
    view! {
        <ErrorSummary state=state.clone() />
        <form method="post" action=SetDiscussion::SPEC.action novalidate>
            <FormFields form_id=SetDiscussion::SPEC.id />
            <h2>"Reflective discussion"</h2>
            <p>"You discuss your five reflective accounts with another NMC registrant. Leave these empty until it has happened."</p>
            <TextInput name="partner_name" label="Their name" state=state.clone() initial=saved.partner_name />
            <TextInput name="partner_pin" label="Their NMC PIN" hint="Like 12A3456E" state=state.clone() initial=saved.partner_pin />
            <TextInput name="discussed_on" label="Date of the discussion" input_type="date" state=state.clone() initial=saved.discussed_on />
            <h2>"Confirmation"</h2>
            <p>"Someone, ideally your line manager, confirms that you have met the requirements."</p>
            <TextInput name="confirmer_name" label="Your confirmer's name" state=state.clone() initial=saved.confirmer_name />
            <TextInput name="confirmer_role" label="Their role" hint="Like: Head of occupational health" state=state.clone() initial=saved.confirmer_role />
            <TextInput name="confirmed_on" label="Date of the confirmation" input_type="date" state=state.clone() initial=saved.confirmed_on />
            <h2>"Practice hours"</h2>
            <CheckboxInput name="dual_registrant" label="I am revalidating as a nurse and a midwife, or a nurse and a nursing associate (900 practice hours)" state=state.clone() initial=saved.dual_registrant />
            <div class="button-group">
                <button type="submit" class="button">"Save"</button>
                <a class="link-button" href=REVALIDATION>"Cancel"</a>
            </div>
        </form>
    }
}

/// `/cpd/profile`: the CPD profile an HCPC registrant sends if selected for audit, laid out to
/// print.
#[component]
pub fn CpdProfilePage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| api::cpd_profile());
    let banner = (done().as_deref() == Some("saved")).then_some("Your profile is saved.");
    view! {
        <Title text="Your CPD profile" />
        <Breadcrumbs trail=home_and_cpd() current="CPD profile" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! { <Profile profile /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Profile(profile: ProfileView) -> impl IntoView {
    let statement = |text: String| {
        if text.is_empty() {
            view! { <p class="hint">"Not written yet."</p> }.into_any()
        } else {
            view! { <p class="pre-line">{text}</p> }.into_any()
        }
    };
    view! {
        <h1>{format!("CPD profile: {}", profile.member)}</h1>
        <p class="hint no-print">"The profile the HCPC asks for if you are selected for audit: your statements, your CPD of the last two years and its evidence. Print it or save it as a PDF with your browser's Print command."</p>
        <p class="no-print"><a class="button button--secondary" href=SetProfile::SPEC.action>"Write your statements"</a></p>
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Regulator"</dt><dd>{profile.regulator}</dd></div>
            <div class="summary-list__row"><dt>"Period"</dt><dd>{profile.period}</dd></div>
            <div class="summary-list__row"><dt>"Produced"</dt><dd>{profile.produced_on}</dd></div>
        </dl>
        <h2>"Summary of recent practice"</h2>
        {statement(profile.practice_summary)}
        <h2>"How my CPD meets the standards"</h2>
        <ul>{profile.standards.into_iter().map(|standard| view! { <li>{standard}</li> }).collect_view()}</ul>
        {statement(profile.standards_statement)}
        <h2>"Evidence"</h2>
        {if profile.evidence.is_empty() {
            view! { <p>"No CPD recorded in this period."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <caption class="visually-hidden">"CPD activities and their evidence"</caption>
                    <thead><tr><th scope="col">"Date"</th><th scope="col">"Activity"</th><th scope="col">"Hours"</th><th scope="col">"Evidence"</th></tr></thead>
                    <tbody>
                        {profile.evidence.into_iter().map(|(date, title, hours, files)| view! {
                            <tr>
                                <td>{date}</td>
                                <td>{title}</td>
                                <td>{hours}</td>
                                <td>{if files.is_empty() { "None".to_owned() } else { files.join(", ") }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// `/cpd/profile/edit`: the profile's two statements.
#[component]
pub fn EditCpdProfilePage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| api::cpd_profile());
    let mut trail = home_and_cpd();
    trail.push(("CPD profile".to_owned(), "/cpd/profile".to_owned()));
    view! {
        <Title text="Your CPD profile statements" />
        <Breadcrumbs trail current="Statements" />
        <h1>"Your CPD profile statements"</h1>
        <NoIdentifiers />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => {
                        let state = form_state(SetProfile::SPEC.id);
                        view! {
                            <ErrorSummary state=state.clone() />
                            <form method="post" action=SetProfile::SPEC.action novalidate>
                                <FormFields form_id=SetProfile::SPEC.id />
                                <TextArea name="practice_summary" label="Summary of your recent practice" hint="Your role, who you work with and what you do: the HCPC suggests up to 500 words" rows=8 state=state.clone() initial=profile.practice_summary />
                                <TextArea name="standards_statement" label="How your CPD meets the standards" hint="For each standard, what you did and how it improved your practice and benefited service users: up to 1,500 words" rows=14 state=state.clone() initial=profile.standards_statement />
                                <div class="button-group">
                                    <button type="submit" class="button">"Save"</button>
                                    <a class="link-button" href="/cpd/profile">"Cancel"</a>
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
