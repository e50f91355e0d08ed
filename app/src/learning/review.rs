//! Clinical governance on a module's page (who wrote it, its reviews, when the next is due,
//! exactly as recorded) and the editors' page for recording a clinical review.

use leptos::prelude::*;
use leptos_meta::Title;

use super::dto::{GovernanceView, ReviewFormView};
use super::forms::RecordReview;
use super::{api, error_view, home_and_learning, param};
use crate::forms::{ErrorSummary, Form, FormFields, FormState, TextInput, form_state};
use crate::layout::Breadcrumbs;

/// The "Authors and clinical review" section of a module's page. Editors see an overdue
/// review flagged and a link to record one.
#[component]
pub fn GovernanceSection(
    /// The module's slug.
    slug: String,
    /// Its status label, as recorded.
    status: String,
    /// Authors and reviews.
    governance: GovernanceView,
    /// The next review is past due (set for editors only).
    overdue: bool,
    /// The visitor is an editor.
    can_edit: bool,
) -> impl IntoView {
    let reviewed = !governance.reviews.is_empty();
    view! {
        <section aria-labelledby="governance-heading">
            <h2 id="governance-heading">"Authors and clinical review"</h2>
            <dl class="summary-list">
                <div class="summary-list__row">
                    <dt>"Written by"</dt>
                    <dd>{governance.authors.join(", ")}</dd>
                </div>
                <div class="summary-list__row">
                    <dt>"Status"</dt>
                    <dd><strong class="tag">{status}</strong></dd>
                </div>
                {governance.next_review.clone().map(|due| view! {
                    <div class="summary-list__row">
                        <dt>"Next review due"</dt>
                        <dd>
                            {due}
                            {overdue.then(|| view! { " "<strong class="tag tag--red">"Review overdue"</strong> })}
                        </dd>
                    </div>
                })}
            </dl>
            {if reviewed {
                view! {
                    <h3>"Clinical reviews"</h3>
                    <ul class="list">
                        {governance.reviews.into_iter().map(|review| view! {
                            <li>
                                <strong>{review.date}</strong>": "{review.reviewers.join("; ")}
                                {review.note.map(|note| view! { <p class="hint">{note}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            } else {
                view! { <p>"No clinical review of this module has been recorded yet."</p> }.into_any()
            }}
            {can_edit.then(|| view! {
                <p><a href=format!("/learning/{slug}/review")>"Record a clinical review"</a></p>
            })}
        </section>
    }
}

/// `/learning/:module/review`: an editor records who reviewed the module, when, and when the
/// next review is due.
#[component]
pub fn ModuleReviewPage() -> impl IntoView {
    let slug = param("module");
    let data = Resource::new(move || slug.clone(), api::review_form);
    let state = form_state(RecordReview::SPEC.id);
    view! {
        <Title text="Record a clinical review" />
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(form) => view! { <ReviewForm form state /> }.into_any(),
                        Err(error) => error_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ReviewForm(form: ReviewFormView, state: FormState) -> impl IntoView {
    let mut trail = home_and_learning();
    trail.push((
        form.module_title.clone(),
        format!("/learning/{}", form.module_slug),
    ));
    let reviewers = state.value_or("reviewers", "");
    let note = state.value_or("note", "");
    let reviewers_error = state.error("reviewers");
    let note_error = state.error("note");
    view! {
        <Breadcrumbs trail current="Record a clinical review" />
        <h1>"Record a clinical review"</h1>
        <p class="lead">{form.module_title.clone()}</p>
        <p>
            "Status now: "<strong class="tag">{form.review_status.clone()}</strong>
            {form.last_review.clone().map(|last| view! { " Last reviewed "{last}"." })}
        </p>
        <p>"Record a review once a clinician has checked the whole module. The module is then shown as clinically reviewed, with the reviewers' names, to everyone who opens it. The review is kept in the module's history and in the audit log."</p>
        <ErrorSummary state=state.clone() />
        <form method="post" action=RecordReview::SPEC.action_with(&[&form.module_slug]) novalidate>
            <FormFields form_id=RecordReview::SPEC.id />
            <div class=if reviewers_error.is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="field-reviewers">"Clinical reviewers"</label>
                <div class="hint" id="reviewers-hint">"One per line: name and role, like “Dr A Name, consultant occupational physician”"</div>
                {reviewers_error.clone().map(|message| view! {
                    <p class="error-message" id="reviewers-error"><span class="visually-hidden">"Error: "</span>{message}</p>
                })}
                <textarea class="textarea" id="field-reviewers" name="reviewers" rows="3"
                    aria-describedby=if reviewers_error.is_some() { "reviewers-hint reviewers-error" } else { "reviewers-hint" }>{reviewers}</textarea>
            </div>
            <TextInput name="reviewed_on" label="Date of the review" input_type="date" hint="For example, 2026-12-01" state=state.clone() initial=form.today.clone() />
            <TextInput name="next_review" label="Next review due" input_type="date" hint="Usually a year after the review, sooner if the law or national guidance is changing" state=state.clone() initial=form.a_year_on.clone() />
            <div class=if note_error.is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="field-note">"Note (optional)"</label>
                <div class="hint" id="note-hint">"What the review covered or concluded"</div>
                {note_error.clone().map(|message| view! {
                    <p class="error-message" id="note-error"><span class="visually-hidden">"Error: "</span>{message}</p>
                })}
                <textarea class="textarea" id="field-note" name="note" rows="4"
                    aria-describedby=if note_error.is_some() { "note-hint note-error" } else { "note-hint" }>{note}</textarea>
            </div>
            <button type="submit" class="button">"Record review"</button>
        </form>
    }
}
