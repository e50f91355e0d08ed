//! eLearning pages: the catalogue, a module's overview, lessons with progress, the knowledge
//! check and its marked result, certificates, and the member's CPD record.

pub mod api;
pub mod dto;
mod editor;
pub mod forms;
mod review;

pub use editor::{LessonEditPage, ModuleEditPage, NewModulePage};
pub use review::ModuleReviewPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::error::AppError;
use crate::forms::{ErrorSummary, Form, FormFields, SuccessBanner, form_state};
use crate::layout::{Breadcrumbs, ErrorPage};
use dto::{ModuleCardView, QuestionView};
use forms::{CompleteLesson, KnowledgeCheck};

fn home_and_learning() -> Vec<(String, String)> {
    vec![
        ("Home".to_owned(), "/".to_owned()),
        ("Learning".to_owned(), "/learning".to_owned()),
    ]
}

fn param(name: &str) -> String {
    use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

/// The banner after an editor's change (`?done=saved` or `?done=created`).
fn saved_banner() -> Option<impl IntoView> {
    let done = use_query_map().read_untracked().get("done")?;
    let message = match done.as_str() {
        "saved" => "Saved. The new revision is live; learners keep their progress.",
        "created" => "Module created and published.",
        "reviewed" => "Clinical review recorded. The module now shows it to everyone who opens it.",
        _ => return None,
    };
    Some(view! { <SuccessBanner message=message.to_owned() /> })
}

fn error_view(error: AppError) -> AnyView {
    view! { <ErrorPage error /> }.into_any()
}

/// `/learning?profession=…&topic=…`: the catalogue.
#[component]
pub fn LearningPage() -> impl IntoView {
    let query = use_query_map();
    let read = |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let (profession, topic) = (read("profession"), read("topic"));
    let filters = (profession.clone(), topic.clone());
    let data = Resource::new(
        move || filters.clone(),
        |(profession, topic)| api::catalogue(Some(profession), Some(topic)),
    );
    view! {
        <Title text="Learning" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current="Learning" />
        <h1>"Learning"</h1>
        <p class="lead">"eLearning modules for police occupational health practitioners. Each module says who wrote it and whether it has been clinically reviewed. Passing a module's knowledge check gives you a certificate and records the CPD time in your record."</p>
        <Suspense fallback=|| ()>
            {move || {
                let (profession, topic) = (profession.clone(), topic.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(catalogue) => view! {
                            <form method="get" action="/learning" class="filter-form filter-form--wrap" role="search" aria-label="Filter modules">
                                <div class="form-group">
                                    <label class="label" for="filter-profession">"Profession"</label>
                                    <select class="select" id="filter-profession" name="profession">
                                        <option value="" selected=profession.is_empty()>"Any profession"</option>
                                        {catalogue.professions.into_iter().map(|(value, text)| {
                                            let selected = value == profession;
                                            view! { <option value=value selected=selected>{text}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label class="label" for="filter-topic">"Topic"</label>
                                    <select class="select" id="filter-topic" name="topic">
                                        <option value="" selected=topic.is_empty()>"Any topic"</option>
                                        {catalogue.topics.into_iter().map(|(value, text)| {
                                            let selected = value == topic;
                                            view! { <option value=value selected=selected>{text}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button button--secondary">"Filter"</button>
                            </form>
                            {catalogue.can_create.then(|| view! { <p><a href="/learning/new">"Create a module"</a></p> })}
                            <p role="status">{match catalogue.modules.len() { 1 => "1 module".to_owned(), n => format!("{n} modules") }}</p>
                            {if catalogue.modules.is_empty() {
                                view! { <p>"No modules match these filters."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="card-list">
                                        {catalogue.modules.into_iter().map(|card| view! { <ModuleCard card /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }
                        .into_any(),
                        Err(error) => error_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ModuleCard(card: ModuleCardView) -> impl IntoView {
    let href = format!("/learning/{}", card.slug);
    view! {
        <li class="card">
            <h2 class="card__title"><a href=href>{card.title.clone()}</a></h2>
            <p>{card.summary.clone()}</p>
            <ModuleFacts card=card.clone() />
        </li>
    }
}

#[component]
fn ModuleFacts(card: ModuleCardView) -> impl IntoView {
    view! {
        <dl class="facts">
            <div><dt>"Time"</dt><dd>{card.estimated.clone()}</dd></div>
            <div><dt>"CPD"</dt><dd>{card.cpd.clone()}</dd></div>
            <div><dt>"Lessons"</dt><dd>{card.lessons}</dd></div>
            <div><dt>"For"</dt><dd>{if card.audience.is_empty() { "Everyone".to_owned() } else { card.audience.join(", ") }}</dd></div>
            <div><dt>"Clinical review"</dt><dd>
                {card.review_status.clone()}
                {card.review_overdue.then(|| view! { " "<strong class="tag tag--red">"Review overdue"</strong> })}
            </dd></div>
            {(!card.status.is_empty()).then(|| view! {
                <div><dt>"Your progress"</dt><dd><strong class="tag">{card.status.clone()}</strong></dd></div>
            })}
        </dl>
    }
}

/// `/learning/:module`: overview, outcomes and lessons with progress.
#[component]
pub fn ModulePage() -> impl IntoView {
    let slug = param("module");
    let data = Resource::new(move || slug.clone(), api::module);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(module) => {
                        let slug = module.card.slug.clone();
                        let first = module.lessons.first().map(|lesson| lesson.slug.clone()).unwrap_or_default();
                        let (start_label, start_slug) = match module.resume.clone() {
                            Some(resume) => ("Resume where you left off", resume),
                            None => ("Start the module", first),
                        };
                        view! {
                            <Title text=module.card.title.clone() />
                            <Breadcrumbs trail=home_and_learning() current=module.card.title.clone() />
                            {saved_banner()}
                            <h1>{module.card.title.clone()}</h1>
                            <p class="lead">{module.card.summary.clone()}</p>
                            <ModuleFacts card=module.card.clone() />
                            {module.certificate.clone().map(|code| view! {
                                <div class="notification-banner notification-banner--success" role="region" aria-labelledby="passed-title">
                                    <div class="notification-banner__header"><h2 class="notification-banner__title" id="passed-title">"Completed"</h2></div>
                                    <div class="notification-banner__content">
                                        <p>"You have passed this module. "<a href=format!("/certificates/{code}")>"View your certificate"</a></p>
                                    </div>
                                </div>
                            })}
                            {if module.can_learn {
                                view! { <p><a class="button" href=format!("/learning/{slug}/{start_slug}")>{start_label}</a></p> }.into_any()
                            } else {
                                view! { <p><a href=format!("/sign-in?next=/learning/{slug}")>"Sign in"</a>" as an approved member to take this module."</p> }.into_any()
                            }}
                            <h2>"What you will learn"</h2>
                            <ul class="list list--bullet">
                                {module.outcomes.iter().map(|outcome| view! { <li>{outcome.clone()}</li> }).collect_view()}
                            </ul>
                            <h2>"Lessons"</h2>
                            <ol class="lesson-list">
                                {module.lessons.iter().map(|lesson| {
                                    let href = format!("/learning/{slug}/{}", lesson.slug);
                                    let state = match (lesson.done, lesson.changed) {
                                        (true, true) => "Completed, updated since",
                                        (true, false) => "Completed",
                                        _ => "",
                                    };
                                    view! {
                                        <li>
                                            {if module.can_learn {
                                                view! { <a href=href>{lesson.title.clone()}</a> }.into_any()
                                            } else {
                                                view! { <span>{lesson.title.clone()}</span> }.into_any()
                                            }}
                                            " "<span class="hint">{format!("{} minutes", lesson.minutes)}</span>
                                            {(!state.is_empty()).then(|| view! { " "<strong class="tag">{state}</strong> })}
                                            {module.can_edit.then(|| view! {
                                                " "<a href=format!("/learning/{slug}/{}/edit", lesson.slug)>"Edit"<span class="visually-hidden">{format!(" {}", lesson.title)}</span></a>
                                            })}
                                            <p class="hint">{lesson.summary.clone()}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            <h2>"Knowledge check"</h2>
                            <p>{format!("{} questions. The pass mark is {}%. You can retake it as often as you like.", module.questions, module.pass_mark)}</p>
                            {module.can_learn.then(|| view! {
                                <p><a href=format!("/learning/{slug}/check")>"Take the knowledge check"</a></p>
                            })}
                            <review::GovernanceSection
                                slug=slug.clone()
                                status=module.card.review_status.clone()
                                governance=module.governance.clone()
                                overdue=module.card.review_overdue
                                can_edit=module.can_edit
                            />
                            <p class="hint">{module.revision.clone()}</p>
                            {module.can_edit.then(|| view! {
                                <p><a href=format!("/learning/{slug}/edit")>"Edit module settings and knowledge check"</a></p>
                            })}
                        }
                        .into_any()
                    }
                    Err(error) => error_view(error),
                }
            })}
        </Suspense>
    }
}

/// `/learning/:module/:lesson`: a lesson with its contents, progress and navigation.
///
/// The page awaits its server function inside `Suspend` rather than through a `Resource`: the
/// page is rendered on the server only, and a resource would spawn a task and set up
/// hydration bookkeeping for data no browser reads (the busiest page, measured in the README).
#[component]
pub fn LessonPage() -> impl IntoView {
    let (module, lesson) = (param("module"), param("lesson"));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let lesson = api::lesson(module.clone(), lesson.clone());
                Suspend::new(async move {
                    match lesson.await {
                        Ok(lesson) => {
                            let module_href = format!("/learning/{}", lesson.module_slug);
                            let mut trail = home_and_learning();
                            trail.push((lesson.module_title.clone(), module_href.clone()));
                            let complete_action = CompleteLesson::SPEC.action_with(&[&lesson.module_slug, &lesson.slug]);
                            let complete_label = if lesson.next.is_some() { "Mark as complete and continue" } else { "Mark as complete" };
                            view! {
                                <Title text=format!("{} – {}", lesson.title, lesson.module_title) />
                                <Breadcrumbs trail current=lesson.title.clone() />
                                {saved_banner()}
                                <p class="caption">{format!("{}: lesson {} of {}", lesson.module_title, lesson.position, lesson.total)}</p>
                                <h1>{lesson.title.clone()}</h1>
                                <p class="lead">{lesson.summary.clone()}</p>
                                {lesson.changed.then(|| view! {
                                    <div class="callout callout--important" role="note">
                                        <p><strong>"This lesson has been updated since you completed it."</strong>" Your completion stands; read it again to catch up."</p>
                                    </div>
                                })}
                                {(lesson.headings.len() >= 2).then(|| view! {
                                    <nav class="contents-list" aria-labelledby="contents-heading">
                                        <h2 id="contents-heading" class="contents-list__title">"On this page"</h2>
                                        <ol>
                                            {lesson.headings.iter().map(|(level, id, text)| {
                                                let class = if *level > 2 { "contents-list__sub" } else { "" };
                                                view! { <li class=class><a href=format!("#{id}")>{text.clone()}</a></li> }
                                            }).collect_view()}
                                        </ol>
                                    </nav>
                                })}
                                <div class="prose" inner_html=lesson.html></div>
                                <form method="post" action=complete_action>
                                    <FormFields form_id=CompleteLesson::SPEC.id />
                                    <button type="submit" class="button">{complete_label}</button>
                                    {lesson.done.then(|| view! { " "<span class="tag">"Completed"</span> })}
                                </form>
                                <nav class="pagination" aria-label="Lessons">
                                    {lesson.previous.clone().map(|(slug, title)| view! {
                                        <a rel="prev" href=format!("/learning/{}/{slug}", lesson.module_slug)>"Previous: "{title}</a>
                                    })}
                                    " "
                                    {lesson.next.clone().map(|(slug, title)| view! {
                                        <a rel="next" href=format!("/learning/{}/{slug}", lesson.module_slug)>"Next: "{title}</a>
                                    })}
                                    " "
                                    <a href=module_href>"All lessons"</a>
                                </nav>
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

/// `/learning/:module/check`: every question on one page, as radios or checkboxes.
#[component]
pub fn CheckPage() -> impl IntoView {
    let slug = param("module");
    let data = Resource::new(move || slug.clone(), api::knowledge_check);
    let state = form_state(KnowledgeCheck::SPEC.id);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(check) => {
                            let mut trail = home_and_learning();
                            trail.push((check.module_title.clone(), format!("/learning/{}", check.module_slug)));
                            view! {
                                <Title text=format!("Knowledge check – {}", check.module_title) />
                                <Breadcrumbs trail current="Knowledge check" />
                                <h1>"Knowledge check: "{check.module_title.clone()}</h1>
                                <p class="lead">{format!("Answer all {} questions. The pass mark is {}%; you will see feedback on every answer.", check.questions.len(), check.pass_mark)}</p>
                                <ErrorSummary state=state.clone() />
                                <form method="post" action=KnowledgeCheck::SPEC.action_with(&[&check.module_slug]) novalidate>
                                    <FormFields form_id=KnowledgeCheck::SPEC.id />
                                    {check.questions.into_iter().enumerate().map(|(index, question)| view! {
                                        <QuestionFieldset index question state=state.clone() />
                                    }).collect_view()}
                                    <button type="submit" class="button">"Submit answers"</button>
                                </form>
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

#[component]
fn QuestionFieldset(
    index: usize,
    question: QuestionView,
    state: crate::forms::FormState,
) -> impl IntoView {
    let field = format!("answer-{}", question.key);
    let error = state.error(&field);
    let input_type = if question.multiple {
        "checkbox"
    } else {
        "radio"
    };
    let hint = if question.multiple {
        "Select all that apply."
    } else {
        "Select one answer."
    };
    let hint_id = format!("{field}-hint");
    let described_by = hint_id.clone();
    let class = if error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    view! {
        <div class=class>
            <fieldset class="fieldset" id=format!("field-{field}") aria-describedby=described_by>
                <legend class="fieldset__legend">{format!("Question {}: ", index + 1)}{question.prompt.clone()}</legend>
                <div class="hint" id=hint_id>{hint}</div>
                {error.map(|message| view! {
                    <p class="error-message"><span class="visually-hidden">"Error: "</span>{message}</p>
                })}
                <div class=if question.multiple { "checkboxes" } else { "radios" }>
                    {question.options.into_iter().enumerate().map(|(at, text)| {
                        let id = format!("{field}-{at}");
                        let checked = state.has_value(&field, &at.to_string());
                        view! {
                            <div class="checkboxes__item">
                                <input class="checkboxes__input" type=input_type id=id.clone() name=field.clone() value=at.to_string() checked=checked />
                                <label class="checkboxes__label" for=id>{text}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// `/learning/:module/check/:attempt`: the marked attempt with feedback on every answer.
#[component]
pub fn AttemptPage() -> impl IntoView {
    let slug = param("module");
    let id: i32 = param("attempt").parse().unwrap_or(0);
    let data = Resource::new(
        move || (slug.clone(), id),
        |(slug, id)| api::attempt(slug, id),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(result) => {
                        let mut trail = home_and_learning();
                        trail.push((result.module_title.clone(), format!("/learning/{}", result.module_slug)));
                        let outcome = if result.passed { "You passed" } else { "You did not pass this time" };
                        view! {
                            <Title text=format!("Your result – {}", result.module_title) />
                            <Breadcrumbs trail current="Your result" />
                            <div class=if result.passed { "panel panel--success" } else { "panel" }>
                                <h1 class="panel__title">{outcome}</h1>
                                <p class="panel__body">{format!("You scored {}%. The pass mark is {}%.", result.score, result.pass_mark)}</p>
                            </div>
                            {result.certificate.clone().filter(|_| result.passed).map(|code| view! {
                                <p>"Your certificate is ready and the CPD time is in your record. "
                                <a href=format!("/certificates/{code}")>"View your certificate"</a>" · "<a href="/cpd">"Your CPD record"</a></p>
                            })}
                            <p><a href=format!("/learning/{}/check", result.module_slug)>{if result.passed { "Take the knowledge check again" } else { "Try the knowledge check again" }}</a></p>
                            <h2>"Your answers"</h2>
                            {if result.questions.is_empty() {
                                view! { <p>"The module has been revised since this attempt, so its questions have changed."</p> }.into_any()
                            } else {
                                result.questions.into_iter().enumerate().map(|(index, question)| view! {
                                    <div class="question-result">
                                        <h3>{format!("Question {}: ", index + 1)}{question.prompt.clone()}</h3>
                                        <p><strong class=if question.correct { "tag tag--green" } else { "tag tag--red" }>{if question.correct { "Correct" } else { "Incorrect" }}</strong></p>
                                        <ul class="list">
                                            {question.options.into_iter().filter(|option| option.chosen || option.correct).map(|option| {
                                                let label = match (option.chosen, option.correct) {
                                                    (true, true) => "Your answer, correct",
                                                    (true, false) => "Your answer, incorrect",
                                                    _ => "Correct answer you did not choose",
                                                };
                                                view! { <li><strong>{label}": "</strong>{option.text}<br /><span class="hint">{option.feedback}</span></li> }
                                            }).collect_view()}
                                        </ul>
                                        <p>{question.explanation.clone()}</p>
                                    </div>
                                }).collect_view().into_any()
                            }}
                        }
                        .into_any()
                    }
                    Err(error) => error_view(error),
                }
            })}
        </Suspense>
    }
}

/// `/certificates/:code`: a printable certificate that anyone with the code can check.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let code = param("code");
    let data = Resource::new(move || code.clone(), api::certificate);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(found) => view! {
                        <Title text=format!("Certificate – {}", found.module_title) />
                        <div class="certificate">
                            <p class="certificate__kicker">"ohnet · police Occupational Health network"</p>
                            <h1>"Certificate of completion"</h1>
                            <p>"This certifies that"</p>
                            <p class="certificate__name">{found.member_name.clone()}</p>
                            <p>"passed the knowledge check for the eLearning module"</p>
                            <p class="certificate__module"><a href=format!("/learning/{}", found.module_slug)>{found.module_title.clone()}</a></p>
                            <dl class="summary-list">
                                <div class="summary-list__row"><dt>"Date"</dt><dd>{found.issued.clone()}</dd></div>
                                <div class="summary-list__row"><dt>"CPD"</dt><dd>{format!("{} (self-directed, individual learning)", found.cpd)}</dd></div>
                                <div class="summary-list__row"><dt>"Verification code"</dt><dd><code>{found.code.clone()}</code></dd></div>
                            </dl>
                            <p class="hint">"Anyone can check this certificate at this page's address."</p>
                        </div>
                    }
                    .into_any(),
                    Err(error) => error_view(error),
                }
            })}
        </Suspense>
    }
}
