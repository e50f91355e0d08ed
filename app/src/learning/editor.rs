//! Editors change modules in the app: a lesson's Markdown (with a preview) and the module's
//! `module.toml`. Every save is validated like `ohnet check-content` and becomes a revision.

use leptos::prelude::*;
use leptos_meta::Title;

use super::forms::{AddLesson, CreateModule, EditLesson, EditModule};
use super::{api, error_view, home_and_learning, param};
use crate::forms::{ErrorSummary, Form, FormFields, TextInput, form_state};
use crate::layout::Breadcrumbs;

/// `/learning/:module/edit`: the module's settings and knowledge check as TOML.
#[component]
pub fn ModuleEditPage() -> impl IntoView {
    let slug = param("module");
    let key = slug.clone();
    let data = Resource::new(move || key.clone(), api::manifest);
    let state = form_state(EditModule::SPEC.id);
    view! {
        <Title text="Edit module" />
        <Suspense fallback=|| ()>
            {move || {
                let (state, slug) = (state.clone(), slug.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(manifest) => {
                            let mut trail = home_and_learning();
                            trail.push(("Module".to_owned(), format!("/learning/{slug}")));
                            let text = state.value_or("manifest", &manifest);
                            let error = state.error("content").is_some();
                            view! {
                                <Breadcrumbs trail current="Edit module" />
                                <h1>"Edit module settings"</h1>
                                <p>"Title, summary, audience, topics, times, CPD hours, pass mark, outcomes, the order of lessons, the knowledge check and the clinical governance record, in the format described in the authors' guide. Saving checks everything and publishes a new revision; learners keep their progress. To record a clinical review, use Record a clinical review on the module's page."</p>
                                <ErrorSummary state=state.clone() />
                                <form method="post" action=EditModule::SPEC.action_with(&[&slug]) novalidate>
                                    <FormFields form_id=EditModule::SPEC.id />
                                    <div class=if error { "form-group form-group--error" } else { "form-group" }>
                                        <label class="label" for="field-content">"module.toml"</label>
                                        <textarea class="textarea textarea--code" id="field-content" name="manifest" rows="30" spellcheck="false">{text}</textarea>
                                    </div>
                                    <button type="submit" class="button">"Save and publish"</button>
                                </form>
                                <AddLessonForm slug=slug.clone() />
                            }
                            .into_any()
                        }
                        Err(error) => error_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

const MANIFEST_TEMPLATE: &str = r#"title = "Module title"
summary = "One or two sentences for the catalogue."
audience = ["oh-physician", "oh-nurse"]
topics = ["a-topic"]
estimated_minutes = 30
cpd_hours = 0.5
pass_mark = 70
outcomes = ["Explain …"]
lessons = ["01-introduction.md"]

[[questions]]
id = "first-question"
kind = "single"
prompt = "The question"
explanation = "Why the right answer is right."

[[questions.options]]
text = "The right answer"
correct = true
feedback = "Feedback for this choice."

[[questions.options]]
text = "A wrong answer"
feedback = "Feedback for this choice."

[governance]
status = "draft"
authors = ["Your name"]
"#;

const LESSON_TEMPLATE: &str = "+++\ntitle = \"Introduction\"\nsummary = \"One sentence for the list of lessons.\"\nminutes = 10\n+++\n\n## First section\n\nText in Markdown.\n";

#[component]
fn AddLessonForm(slug: String) -> impl IntoView {
    let state = form_state(AddLesson::SPEC.id);
    let file_name = state.value_or("file_name", "");
    let text = state.value_or("text", LESSON_TEMPLATE);
    view! {
        <h2 id="add-lesson">"Add a lesson"</h2>
        <p>"The lesson is added at the end of the module; change the order in module.toml above."</p>
        <ErrorSummary state=state.clone() />
        <form method="post" action=AddLesson::SPEC.action_with(&[&slug]) novalidate>
            <FormFields form_id=AddLesson::SPEC.id />
            <div class=if state.error("file_name").is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="field-file_name">"File name"</label>
                <div class="hint" id="file_name-hint">"Like 09-night-shifts.md: two digits, a hyphen, then lowercase words joined by hyphens"</div>
                <input class="input" id="field-file_name" name="file_name" type="text" value=file_name aria-describedby="file_name-hint" />
            </div>
            <div class=if state.error("content").is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for="field-lesson-text">"Lesson (front matter and Markdown)"</label>
                <textarea class="textarea textarea--code" id="field-lesson-text" name="text" rows="12" spellcheck="false">{text}</textarea>
            </div>
            <button type="submit" class="button button--secondary">"Add lesson"</button>
        </form>
    }
}

/// `/learning/new`: create a module from its `module.toml` and first lesson.
#[component]
pub fn NewModulePage() -> impl IntoView {
    let state = form_state(CreateModule::SPEC.id);
    let manifest = state.value_or("manifest", MANIFEST_TEMPLATE);
    let lesson = state.value_or("first_lesson", LESSON_TEMPLATE);
    let allowed = Resource::new(|| (), |_| api::may_edit());
    view! {
        <Title text="Create a module" />
        <Suspense fallback=|| ()>
            {move || {
                let (state, manifest, lesson) = (state.clone(), manifest.clone(), lesson.clone());
                Suspend::new(async move {
                    match allowed.await {
                        Ok(()) => view! {
                            <Breadcrumbs trail=home_and_learning() current="Create a module" />
                            <h1>"Create a module"</h1>
                            <p>"Fill in the module's settings and knowledge check, and its first lesson. Saving checks everything as "<code>"ohnet check-content"</code>" does and publishes the module; add more lessons from its edit page."</p>
                            <ErrorSummary state=state.clone() />
                            <form method="post" action=CreateModule::SPEC.action novalidate>
                                <FormFields form_id=CreateModule::SPEC.id />
                                <TextInput name="slug" label="Web address name" hint="Lowercase words joined by hyphens: the module will be at /learning/<name>" state=state.clone() />
                                <div class=if state.error("content").is_some() { "form-group form-group--error" } else { "form-group" }>
                                    <label class="label" for="field-content">"module.toml"</label>
                                    <textarea class="textarea textarea--code" id="field-content" name="manifest" rows="24" spellcheck="false">{manifest}</textarea>
                                </div>
                                <div class="form-group">
                                    <label class="label" for="field-first_lesson">"First lesson (front matter and Markdown)"</label>
                                    <textarea class="textarea textarea--code" id="field-first_lesson" name="first_lesson" rows="12" spellcheck="false">{lesson}</textarea>
                                </div>
                                <button type="submit" class="button">"Create and publish"</button>
                            </form>
                        }
                        .into_any(),
                        Err(error) => error_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/learning/:module/:lesson/edit`: a lesson's text in Markdown, with a preview.
#[component]
pub fn LessonEditPage() -> impl IntoView {
    let (module, lesson) = (param("module"), param("lesson"));
    let key = (module.clone(), lesson.clone());
    let data = Resource::new(
        move || key.clone(),
        |(module, lesson)| api::lesson_draft(module, lesson),
    );
    let state = form_state(EditLesson::SPEC.id);
    view! {
        <Title text="Edit lesson" />
        <Suspense fallback=|| ()>
            {move || {
                let (state, module, lesson) = (state.clone(), module.clone(), lesson.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(draft) => {
                            let mut trail = home_and_learning();
                            trail.push(("Module".to_owned(), format!("/learning/{module}")));
                            trail.push((draft.title.clone(), format!("/learning/{module}/{lesson}")));
                            let body = state.value_or("body", &draft.body);
                            let preview = state.preview.clone();
                            let content_error = state.error("content");
                            view! {
                                <Breadcrumbs trail current="Edit" />
                                <h1>"Edit lesson"</h1>
                                <ErrorSummary state=state.clone() />
                                <form method="post" action=EditLesson::SPEC.action_with(&[&module, &lesson]) novalidate>
                                    <FormFields form_id=EditLesson::SPEC.id />
                                    <TextInput name="title" label="Title" state=state.clone() initial=draft.title.clone() />
                                    <TextInput name="summary" label="Summary" state=state.clone() initial=draft.summary.clone() />
                                    <TextInput name="minutes" label="Reading time in minutes" state=state.clone() initial=draft.minutes.clone() />
                                    <div class=if content_error.is_some() { "form-group form-group--error" } else { "form-group" }>
                                        <label class="label" for="field-content">"Lesson text (Markdown)"</label>
                                        <div class="hint" id="content-hint">"Use ## for sections, > [!NOTE] for callouts. Links to other lessons use their file name, like 02-next-lesson.md; to another module's lesson, ../module-name/03-lesson.md."</div>
                                        <textarea class="textarea textarea--code" id="field-content" name="body" rows="25" aria-describedby="content-hint">{body}</textarea>
                                    </div>
                                    <div class="button-group">
                                        <button type="submit" class="button button--secondary" name="intent" value="preview">"Preview"</button>
                                        <button type="submit" class="button" name="intent" value="save">"Save and publish"</button>
                                    </div>
                                </form>
                                {preview.map(|html| view! {
                                    <section class="preview" aria-labelledby="preview-heading">
                                        <h2 id="preview-heading">"Preview"</h2>
                                        <div class="prose" inner_html=html></div>
                                    </section>
                                })}
                            }
                            .into_any()
                        }
                        Err(error) => error_view(error),
                    }
                })
            }}
        </Suspense>
    }
}
