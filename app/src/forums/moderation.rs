//! The moderators' forum pages: a topic's moderation panel (lock, pin, move, merge), an
//! edited post's history, splitting a topic, and the queue of held posts and reports. Whether
//! the member moderates a forum is decided in the domain; these pages only show its answer.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api;
use super::dto;
use super::forms::{
    ChangeTopic, DecideHeldPost, DismissReport, HidePost, MergeTopic, MoveTopic, SplitTopic,
};
use super::{error_view, param, query, trail};
use crate::error::AppError;
use crate::forms::{ErrorSummary, Form, FormFields, SuccessBanner, TextInput, form_state};
use crate::layout::Breadcrumbs;

/// `/forums/posts/:post/history`: an edited post's earlier texts, for its forum's moderators.
#[component]
pub fn PostHistoryPage() -> impl IntoView {
    let post = param("post");
    let data = Resource::new(
        move || post.clone(),
        |post| async move {
            match post.parse::<i32>() {
                Ok(post) => api::post_history(post).await,
                Err(_) => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(history) => view! {
                        <Title text="Edit history" />
                        <Breadcrumbs trail=trail() current="Edit history" />
                        <h1>"Edit history"</h1>
                        <p>
                            <a href=history.permalink.clone()>{format!("Post {} in “{}”", history.number, history.topic)}</a>
                            {format!(" by {}, written {}.", history.author, history.written)}
                        </p>
                        <h2>"Now"</h2>
                        <pre class="history-text">{history.current.clone()}</pre>
                        {history.earlier.into_iter().map(|(when, editor, text)| view! {
                            <h2>{format!("Before the edit of {when} by {editor}")}</h2>
                            <pre class="history-text">{text}</pre>
                        }).collect_view()}
                    }.into_any(),
                    Err(error) => error_view(error),
                }
            })}
        </Suspense>
    }
}

/// A moderator's controls for a topic: lock or unlock, pin or unpin, move.
#[component]
pub(super) fn ModerateTopic(
    forum: String,
    topic: i32,
    locked: bool,
    pinned: bool,
    targets: Vec<(String, String)>,
) -> impl IntoView {
    let id = topic.to_string();
    let change_action = ChangeTopic::SPEC.action_with(&[&forum, &id]);
    let move_action = MoveTopic::SPEC.action_with(&[&forum, &id]);
    let move_state = form_state(MoveTopic::SPEC.id);
    let merge_action = MergeTopic::SPEC.action_with(&[&forum, &id]);
    let merge_state = form_state(MergeTopic::SPEC.id);
    let button = move |change: &'static str, label: &'static str| {
        view! {
            <form method="post" action=change_action.clone() class="inline-form">
                <FormFields form_id=ChangeTopic::SPEC.id />
                <input type="hidden" name="change" value=change />
                <button type="submit" class="button button--secondary">{label}</button>
            </form>
        }
    };
    view! {
        <section class="moderation" aria-labelledby="moderate-heading">
            <h2 id="moderate-heading">"Moderate this topic"</h2>
            <div class="button-group">
                {if locked { button("unlock", "Reopen for replies") } else { button("lock", "Close to replies") }}
                {if pinned { button("unpin", "Unpin") } else { button("pin", "Pin to the top") }}
            </div>
            <ErrorSummary state=move_state.clone() />
            <form method="post" action=move_action class="filter-form filter-form--wrap">
                <FormFields form_id=MoveTopic::SPEC.id />
                <div class="form-group">
                    <label class="label" for="field-forum">"Move to forum"</label>
                    <select class="select" id="field-forum" name="forum">
                        {targets.into_iter().map(|(slug, name)| {
                            let selected = slug == forum;
                            view! { <option value=slug selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button--secondary">"Move topic"</button>
            </form>
            <h3>"Merge into another topic"</h3>
            <p>"This topic's posts will follow the other topic's posts, its watchers will watch that topic, and links to this topic will lead there."</p>
            <ErrorSummary state=merge_state.clone() />
            <form method="post" action=merge_action novalidate>
                <FormFields form_id=MergeTopic::SPEC.id />
                <TextInput name="into" label="The other topic" hint="Its number or its address, for example /forums/general/12" state=merge_state.clone() autocomplete="off" />
                <crate::forms::CheckboxInput name="confirm" label="Yes, merge this topic into that one" state=merge_state.clone() />
                <button type="submit" class="button button--warning">"Merge topics"</button>
            </form>
        </section>
    }
}

/// `/forums/moderation`: the posts waiting for approval and the open reports in the forums
/// the member moderates.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| api::moderation_queue());
    let banner = query("done").and_then(|done| match done.as_str() {
        "hidden" => Some("The post is hidden and its reports are closed."),
        "dismissed" => Some("The report is closed."),
        "approved" => Some("The post is published."),
        "rejected" => Some("The post is rejected: it will not be published."),
        _ => None,
    });
    view! {
        <Title text="Moderation" />
        <Breadcrumbs trail=trail() current="Moderation" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Moderation"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(queue) => view! {
                        <h2>"Posts waiting for approval"</h2>
                        {if queue.held.is_empty() {
                            view! { <p>"No post is waiting for approval."</p> }.into_any()
                        } else {
                            view! { <HeldList held=queue.held /> }.into_any()
                        }}
                        <h2>"Reported posts"</h2>
                        {if queue.reports.is_empty() {
                            view! { <p>"Nothing is waiting: no open reports in the forums you moderate."</p> }.into_any()
                        } else {
                            view! { <ReportList reports=queue.reports /> }.into_any()
                        }}
                    }.into_any(),
                    Err(error) => error_view(error),
                }
            })}
        </Suspense>
    }
}

/// Held posts with their Approve and Reject buttons.
#[component]
fn HeldList(held: Vec<dto::HeldItem>) -> impl IntoView {
    view! {
        <ul class="report-list">
            {held.into_iter().map(|item| {
                let action = DecideHeldPost::SPEC.action_with(&[&item.id.to_string()]);
                let decide = move |decision: &'static str, label: &'static str, class: &'static str, what: String| view! {
                    <form method="post" action=action.clone() class="inline-form">
                        <FormFields form_id=DecideHeldPost::SPEC.id />
                        <input type="hidden" name="decision" value=decision />
                        <button type="submit" class=class>{label}<span class="visually-hidden">{format!(" {what}")}</span></button>
                    </form>
                };
                view! {
                    <li class="report-list__item">
                        <h3 class="report-list__title">
                            {match item.topic_href.clone() {
                                Some(href) => view! { <a href=href>{item.what.clone()}</a> }.into_any(),
                                None => view! { <span>{item.what.clone()}</span> }.into_any(),
                            }}
                            {format!(" – {}", item.forum)}
                        </h3>
                        <p>{format!("By {}, written {}.", item.author, item.written)}</p>
                        <blockquote class="report-list__text">{item.text.clone()}</blockquote>
                        <div class="button-group">
                            {decide("approve", "Approve", "button", format!("the post by {}", item.author))}
                            {decide("reject", "Reject", "button button--warning", format!("the post by {}", item.author))}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Open reports with their Hide and Dismiss buttons.
#[component]
fn ReportList(reports: Vec<dto::ReportItem>) -> impl IntoView {
    view! {
        <ul class="report-list">
            {reports.into_iter().map(|report| {
                let post_id = report.post_id.to_string();
                let report_id = report.id.to_string();
                view! {
                    <li class="report-list__item">
                        <h3 class="report-list__title"><a href=report.permalink.clone()>{format!("{} – {}", report.topic, report.forum)}</a></h3>
                        <p><strong>"Reason: "</strong>{report.reason.clone()}{format!(" (reported {})", report.reported)}</p>
                        <blockquote class="report-list__text">{report.text.clone()}</blockquote>
                        <div class="button-group">
                            {(!report.hidden).then(|| view! {
                                <form method="post" action=HidePost::SPEC.action_with(&[&post_id]) class="inline-form">
                                    <FormFields form_id=HidePost::SPEC.id />
                                    <input type="hidden" name="hidden" value="yes" />
                                    <input type="hidden" name="back" value="queue" />
                                    <button type="submit" class="button button--warning">"Hide post"</button>
                                </form>
                            })}
                            <form method="post" action=DismissReport::SPEC.action_with(&[&report_id]) class="inline-form">
                                <FormFields form_id=DismissReport::SPEC.id />
                                <button type="submit" class="button button--secondary">"Dismiss report"</button>
                            </form>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// `/forums/posts/:post/split`: a moderator moves a post and every later one into a new topic.
#[component]
pub fn SplitTopicPage() -> impl IntoView {
    let post = param("post");
    let state = form_state(SplitTopic::SPEC.id);
    let data = Resource::new(
        move || post.clone(),
        |post| async move {
            match post.parse::<i32>() {
                Ok(id) => api::split_plan(id).await.map(|plan| (id, plan)),
                Err(_) => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((id, plan)) => {
                            let chosen = state.value_or("forum", &plan.forum);
                            let moving = if plan.moving == 1 {
                                format!("Post {} will move into a new topic.", plan.from_number)
                            } else {
                                format!("Posts {} to {} ({} posts) will move into a new topic.", plan.from_number, plan.from_number + plan.moving - 1, plan.moving)
                            };
                            view! {
                                <Title text="Split a topic" />
                                <Breadcrumbs trail=trail() current="Split a topic" />
                                <h1>"Split a topic"</h1>
                                <p>"From “"<a href=plan.topic_href.clone()>{plan.topic_title.clone()}</a>"”. "{moving}" Readers keep their place in both topics, and the new topic's watchers are this topic's."</p>
                                <ErrorSummary state=state.clone() />
                                <form method="post" action=SplitTopic::SPEC.action_with(&[&id.to_string()]) novalidate>
                                    <FormFields form_id=SplitTopic::SPEC.id />
                                    <TextInput name="title" label="Title of the new topic" state=state.clone() />
                                    <div class="form-group">
                                        <label class="label" for="field-forum">"Forum for the new topic"</label>
                                        <select class="select" id="field-forum" name="forum">
                                            {plan.forums.into_iter().map(|(slug, name)| {
                                                let selected = slug == chosen;
                                                view! { <option value=slug selected=selected>{name}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <button type="submit" class="button">"Split topic"</button>
                                </form>
                                <p><a href=plan.topic_href.clone()>"Back to the topic"</a></p>
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
