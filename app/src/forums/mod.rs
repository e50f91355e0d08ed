//! Forum pages: the forums a member may read, a forum's topics, a topic's posts with the reply
//! form, starting a topic, and editing or removing one's own post. Every form is a plain post
//! with a server-rendered Preview, so all of it works without JavaScript.

pub mod api;
pub mod dto;
mod following;
pub mod forms;
mod mentions;
mod moderation;
mod settings;

pub use following::{FeedSettingsSection, NotificationsPage, UnsubscribePage};
use moderation::ModerateTopic;
pub use moderation::{ModerationPage, PostHistoryPage, SplitTopicPage};
pub use settings::ForumSettingsPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::error::AppError;
use crate::forms::{
    ErrorSummary, Form, FormFields, FormState, SuccessBanner, TextInput, form_state,
};
use crate::layout::{Breadcrumbs, ErrorPage};
use dto::{PostItem, TopicItem};
use following::WatchButton;
use forms::{
    DeletePost, EditPost, HidePost, Reply, ReportPost, SplitTopic, StartTopic, WatchForum,
    WatchTopic,
};

/// The banner after posting when a new member's post waits for approval.
const HELD: &str = "Thank you. A moderator checks a new member's first posts before they are shown: yours will appear once it is approved.";

fn param(name: &str) -> String {
    use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

fn query(name: &str) -> Option<String> {
    use_query_map().read_untracked().get(name)
}

fn trail() -> Vec<(String, String)> {
    vec![
        ("Home".to_owned(), "/".to_owned()),
        ("Forums".to_owned(), "/forums".to_owned()),
    ]
}

fn error_view(error: AppError) -> AnyView {
    view! { <ErrorPage error /> }.into_any()
}

/// The Markdown text area shared by the post forms, with its hint, error and preview.
#[component]
fn PostBody(
    /// The form's state.
    state: FormState,
    /// The text to show before the form is submitted.
    #[prop(optional, into)]
    initial: String,
    /// Visible label.
    label: &'static str,
    /// The forum whose readers may be mentioned (none when empty).
    #[prop(optional, into)]
    forum: String,
) -> AnyView {
    // Erased to keep the page types within the compiler's depth limit.
    let error = state.error("body");
    let text = state.value_or("body", &initial);
    let preview = state.preview.clone();
    view! {
        <div class=if error.is_some() { "form-group form-group--error" } else { "form-group" }>
            <label class="label" for="field-body">{label}</label>
            <div class="hint" id="body-hint">"Markdown: **bold**, *italic*, > quote, - list, [link](https://…). Mention a member with @ and their handle, shown beside their name on their posts. Never include anything that could identify a patient, officer or member of staff."</div>
            {error.clone().map(|message| view! {
                <p class="error-message" id="body-error"><span class="visually-hidden">"Error: "</span>{message}</p>
            })}
            <mentions::PostTextarea
                text
                described_by=if error.is_some() { "body-hint body-error" } else { "body-hint" }.to_owned()
                invalid=error.is_some()
                forum
            />
        </div>
        {preview.map(|html| view! {
            <section class="preview" aria-labelledby="preview-heading">
                <h2 id="preview-heading">"Preview"</h2>
                <div class="prose" inner_html=html></div>
            </section>
        })}
    }.into_any()
}

/// `/forums`: the forums the member may read.
#[component]
pub fn ForumsPage() -> impl IntoView {
    let forums = Resource::new(|| (), |_| api::forums());
    view! {
        <Title text="Forums" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current="Forums" />
        <h1>"Forums"</h1>
        <p class="lead">"Ask colleagues in other forces, share practice and follow the discussions of your professional group."</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match forums.await {
                    Ok(rows) if rows.is_empty() => view! { <p>"There are no forums yet."</p> }.into_any(),
                    Ok(rows) => view! {
                        <table class="table forum-list">
                            <caption class="visually-hidden">"Forums you can read"</caption>
                            <thead><tr>
                                <th scope="col">"Forum"</th>
                                <th scope="col" class="table__numeric">"Topics"</th>
                                <th scope="col" class="table__numeric">"Posts"</th>
                                <th scope="col">"Latest post"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|forum| view! {
                                    <tr>
                                        <td>
                                            <a class="forum-list__name" href=format!("/forums/{}", forum.slug)>{forum.name.clone()}</a>
                                            {forum.private.then(|| view! { " "<span class="tag">"Private"</span> })}
                                            {forum.unread.then(|| view! { " "<span class="tag tag--new">"New posts"</span> })}
                                            <p class="forum-list__description">{forum.description.clone()}</p>
                                        </td>
                                        <td class="table__numeric">{forum.topics}</td>
                                        <td class="table__numeric">{forum.posts}</td>
                                        <td>{forum.latest.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(error) => error_view(error),
                }
            })}
        </Suspense>
    }
}

/// `/forums/:forum`: a forum's topics, pinned first, then by latest activity.
#[component]
pub fn ForumPage() -> impl IntoView {
    let slug = param("forum");
    let after = query("after");
    let data = Resource::new(
        move || (slug.clone(), after.clone()),
        |(slug, after)| api::forum(slug, after),
    );
    let held = query("done").is_some_and(|done| done == "held");
    view! {
        {held.then(|| view! { <SuccessBanner message=HELD.to_owned() /> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        let slug = view.forum.slug.clone();
                        view! {
                            <Title text=view.forum.name.clone() />
                            <Breadcrumbs trail=trail() current=view.forum.name.clone() />
                            <h1>{view.forum.name.clone()}</h1>
                            <p class="lead">{view.forum.description.clone()}</p>
                            <div class="button-group">
                                {view.can_post.then(|| view! {
                                    <a class="button" href=StartTopic::SPEC.action_with(&[&slug])>"Start a topic"</a>
                                })}
                                <WatchButton
                                    action=WatchForum::SPEC.action_with(&[&slug])
                                    form_id=WatchForum::SPEC.id
                                    watching=view.watching
                                    what="forum"
                                />
                            </div>
                            <p><a href=format!("/forums/{slug}/feed.atom") type="application/atom+xml">"Atom feed of this forum"</a></p>
                            <ul class="topic-list">
                                {view.topics.into_iter().map(|topic| view! { <TopicRow topic forum=slug.clone() /> }).collect_view()}
                            </ul>
                            {view.next.map(|next| view! {
                                <nav class="pagination" aria-label="Topics">
                                    <a rel="next" href=format!("/forums/{slug}?after={next}")>"Older topics"</a>
                                </nav>
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

#[component]
fn TopicRow(topic: TopicItem, forum: String) -> impl IntoView {
    let replies = match topic.replies {
        1 => "1 reply".to_owned(),
        n => format!("{n} replies"),
    };
    view! {
        <li class="topic-list__item">
            <a class="topic-list__title" href=format!("/forums/{forum}/{}", topic.id)>{topic.title.clone()}</a>
            {topic.pinned.then(|| view! { " "<span class="tag">"Pinned"</span> })}
            {topic.locked.then(|| view! { " "<span class="tag tag--grey">"Closed"</span> })}
            {topic.unread.then(|| view! { " "<span class="tag tag--new">"New"</span> })}
            <p class="topic-list__meta">
                {format!("Started by {} · {replies} · latest {}", topic.author, topic.latest)}
                {(!topic.tags.is_empty()).then(|| view! {
                    " · "<span class="visually-hidden">"Tags: "</span>
                    {topic.tags.iter().map(|tag| view! { <span class="tag tag--grey">{tag.clone()}</span>" " }).collect_view()}
                })}
            </p>
        </li>
    }
}

/// `/forums/:forum/new`: start a topic.
#[component]
pub fn NewTopicPage() -> impl IntoView {
    let slug = param("forum");
    let state = form_state(StartTopic::SPEC.id);
    let data = Resource::new(move || slug.clone(), |slug| api::forum(slug, None));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(view) if !view.can_post => error_view(AppError::Forbidden),
                        Ok(view) => {
                            let slug = view.forum.slug.clone();
                            let mut trail = trail();
                            trail.push((view.forum.name.clone(), format!("/forums/{slug}")));
                            view! {
                                <Title text=format!("Start a topic – {}", view.forum.name) />
                                <Breadcrumbs trail current="Start a topic" />
                                <h1>"Start a topic in " {view.forum.name.clone()}</h1>
                                <ErrorSummary state=state.clone() />
                                <form method="post" action=StartTopic::SPEC.action_with(&[&slug]) novalidate>
                                    <FormFields form_id=StartTopic::SPEC.id />
                                    <TextInput name="title" label="Title" hint="A question or a short summary, 5 to 150 characters" state=state.clone() />
                                    <TextInput name="tags" label="Tags (optional)" hint="Up to 5, separated by commas, for example: night work, fitness for duty" state=state.clone() autocomplete="off" />
                                    <PostBody state=state.clone() label="Your post" forum=view.forum.slug.clone() />
                                    <div class="button-group">
                                        <button type="submit" class="button button--secondary" name="intent" value="preview">"Preview"</button>
                                        <button type="submit" class="button" name="intent" value="post">"Post topic"</button>
                                    </div>
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

/// `/forums/:forum/:topic?page=…&quote=…`: a page of posts and the reply form.
#[component]
pub fn TopicPage() -> impl IntoView {
    let key = (
        param("forum"),
        param("topic"),
        query("page").and_then(|page| page.parse::<u64>().ok()),
        query("quote").and_then(|post| post.parse::<i32>().ok()),
    );
    let state = form_state(Reply::SPEC.id);
    let data = Resource::new(
        move || key.clone(),
        |(forum, topic, page, quote)| async move {
            match topic.parse::<i32>() {
                Ok(topic) => api::topic(forum, topic, page, quote).await,
                Err(_) => Err(AppError::NotFound),
            }
        },
    );
    let banner = query("done").and_then(|done| match done.as_str() {
        "posted" => Some("Your post is in the topic."),
        "edited" => Some("Your post has been updated."),
        "removed" => Some("Your post has been removed."),
        "reported" => Some("Thank you. The forum's moderators will look at the post."),
        "hidden" => Some("The post is hidden from members."),
        "restored" => Some("The post is shown again."),
        "moderated" => Some("The topic has been changed."),
        "moved" => Some("The topic has been moved."),
        "merged" => Some("The topics have been merged: the other topic's posts follow this one's."),
        "split" => Some("The posts are now a topic of their own."),
        "held" => Some(HELD),
        "watching" => Some("You are watching this topic: you will be told of new replies."),
        "not-watching" => Some("You have stopped watching this topic."),
        _ => None,
    });
    view! {
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(topic) => {
                            let forum_href = format!("/forums/{}", topic.forum_slug);
                            let topic_href = format!("/forums/{}/{}", topic.forum_slug, topic.id);
                            let mut trail = trail();
                            trail.push((topic.forum_name.clone(), forum_href));
                            let reply_action = Reply::SPEC.action_with(&[&topic.forum_slug, &topic.id.to_string()]);
                            let (quote_text, quote_of) = topic.quote.clone().unzip();
                            let quote_of = state
                                .value("quote_of")
                                .map(ToOwned::to_owned)
                                .or(quote_of.map(|id| id.to_string()))
                                .unwrap_or_default();
                            view! {
                                <Title text=topic.title.clone() />
                                <Breadcrumbs trail current=topic.title.clone() />
                                <h1>{topic.title.clone()}</h1>
                                {(!topic.tags.is_empty()).then(|| view! {
                                    <p><span class="visually-hidden">"Tags: "</span>
                                    {topic.tags.iter().map(|tag| view! { <span class="tag tag--grey">{tag.clone()}</span>" " }).collect_view()}</p>
                                })}
                                <div class="button-group">
                                    {topic.first_unread.clone().map(|href| view! { <a class="button button--secondary" href=href>"Jump to the first unread post"</a> })}
                                    <WatchButton
                                        action=WatchTopic::SPEC.action_with(&[&topic.forum_slug, &topic.id.to_string()])
                                        form_id=WatchTopic::SPEC.id
                                        watching=topic.watching
                                        what="topic"
                                    />
                                </div>
                                <div class="posts">
                                    {topic.posts.into_iter().map(|post| view! { <PostArticle post topic_href=topic_href.clone() can_reply=topic.can_reply moderator=topic.moderation.is_some() /> }).collect_view()}
                                </div>
                                <Pages topic_href=topic_href.clone() page=topic.page pages=topic.pages />
                                <p><a href=format!("{topic_href}/feed.atom") type="application/atom+xml">"Atom feed of this topic"</a></p>
                                {topic.moderation.clone().map(|targets| view! {
                                    <ModerateTopic forum=topic.forum_slug.clone() topic=topic.id locked=topic.locked pinned=topic.pinned targets />
                                })}
                                {if topic.locked {
                                    view! { <p class="callout">"This topic is closed to new replies."</p> }.into_any()
                                } else if topic.can_reply {
                                    view! {
                                        <h2 id="reply">"Reply"</h2>
                                        <ErrorSummary state=state.clone() />
                                        <form method="post" action=reply_action novalidate>
                                            <FormFields form_id=Reply::SPEC.id />
                                            <input type="hidden" name="quote_of" value=quote_of />
                                            <PostBody state=state.clone() initial=quote_text.unwrap_or_default() label="Your reply" forum=topic.forum_slug.clone() />
                                            <div class="button-group">
                                                <button type="submit" class="button button--secondary" name="intent" value="preview">"Preview"</button>
                                                <button type="submit" class="button" name="intent" value="post">"Post reply"</button>
                                            </div>
                                        </form>
                                    }.into_any()
                                } else {
                                    ().into_any()
                                }}
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
fn PostArticle(
    post: PostItem,
    topic_href: String,
    can_reply: bool,
    moderator: bool,
) -> impl IntoView {
    let anchor = format!("post-{}", post.number);
    let heading = format!("post-{}-author", post.number);
    let labelled_by = heading.clone();
    view! {
        <article class="post" id=anchor aria-labelledby=labelled_by>
            <header class="post__header">
                <h2 class="post__author" id=heading>
                    {post.author.clone()}
                    {post.author_handle.clone().map(|handle| view! { " "<span class="post__handle">{format!("@{handle}")}</span> })}
                </h2>
                <p class="post__meta">
                    <a href=format!("/forums/posts/{}", post.id)>
                        <time datetime=post.written_iso.clone()>{post.written.clone()}</time>
                    </a>
                    {post.edited.then(|| view! { " · "<span class="tag tag--grey">"Edited"</span> })}
                    {(post.edited && moderator).then(|| view! {
                        " "<a href=format!("/forums/posts/{}/history", post.id)>"Edit history" <span class="visually-hidden">{format!(" of post {}", post.number)}</span></a>
                    })}
                </p>
            </header>
            {post.hidden.then(|| view! {
                <p class="post__removed"><strong>"Hidden by a moderator."</strong>" Members see only a note that it was hidden."</p>
            })}
            {match post.removed.clone() {
                Some(reason) => view! { <p class="post__removed">{reason}</p> }.into_any(),
                None => view! { <div class="prose" inner_html=post.html.clone()></div> }.into_any(),
            }}
            {post.removed.is_none().then(|| view! {
                <p class="post__actions">
                    {can_reply.then(|| view! {
                        <a href=format!("{topic_href}?quote={}#reply", post.id)>"Quote" <span class="visually-hidden">{format!(" post {} by {}", post.number, post.author)}</span></a>
                    })}
                    {post.own.then(|| view! {
                        " "<a href=EditPost::SPEC.action_with(&[&post.id.to_string()])>"Edit or remove" <span class="visually-hidden">{format!(" your post {}", post.number)}</span></a>
                    })}
                    {(!post.own).then(|| view! {
                        " "<a href=ReportPost::SPEC.action_with(&[&post.id.to_string()])>"Report" <span class="visually-hidden">{format!(" post {} by {}", post.number, post.author)}</span></a>
                    })}
                    {(moderator && post.number > 1).then(|| view! {
                        " "<a href=SplitTopic::SPEC.action_with(&[&post.id.to_string()])>"Split from here" <span class="visually-hidden">{format!(" (post {} and later)", post.number)}</span></a>
                    })}
                </p>
            })}
            {(moderator && post.removed.is_none()).then(|| view! {
                <form method="post" action=HidePost::SPEC.action_with(&[&post.id.to_string()]) class="inline-form">
                    <FormFields form_id=HidePost::SPEC.id />
                    <input type="hidden" name="hidden" value=if post.hidden { "no" } else { "yes" } />
                    <button type="submit" class="button button--secondary">
                        {if post.hidden { "Show post again" } else { "Hide post" }}
                        <span class="visually-hidden">{format!(" {}", post.number)}</span>
                    </button>
                </form>
            })}
        </article>
    }
}

#[component]
fn Pages(topic_href: String, page: u64, pages: u64) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label="Pages of this topic">
                {(page > 1).then(|| view! { <a rel="prev" href=format!("{topic_href}?page={}", page - 1)>"Previous page"</a>" " })}
                <span>{format!("Page {page} of {pages}")}</span>
                {(page < pages).then(|| view! { " "<a rel="next" href=format!("{topic_href}?page={}", page + 1)>"Next page"</a> })}
            </nav>
        }
    })
}

/// `/forums/posts/:post/edit`: edit or remove one's own post.
#[component]
pub fn EditPostPage() -> impl IntoView {
    let post = param("post");
    let state = form_state(EditPost::SPEC.id);
    let delete_state = form_state(DeletePost::SPEC.id);
    let data = Resource::new(
        move || post.clone(),
        |post| async move {
            match post.parse::<i32>() {
                Ok(post) => api::post_draft(post).await,
                Err(_) => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (state, delete_state) = (state.clone(), delete_state.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(draft) => {
                            let id = draft.id.to_string();
                            view! {
                                <Title text="Edit your post" />
                                <Breadcrumbs trail=trail() current="Edit your post" />
                                <h1>"Edit your post"</h1>
                                <p><a href=draft.permalink.clone()>"Back to the post"</a></p>
                                <ErrorSummary state=state.clone() />
                                <form method="post" action=EditPost::SPEC.action_with(&[&id]) novalidate>
                                    <FormFields form_id=EditPost::SPEC.id />
                                    <PostBody state=state.clone() initial=draft.body.clone() label="Your post" />
                                    <div class="button-group">
                                        <button type="submit" class="button button--secondary" name="intent" value="preview">"Preview"</button>
                                        <button type="submit" class="button" name="intent" value="save">"Save changes"</button>
                                    </div>
                                </form>
                                <h2>"Remove this post"</h2>
                                <p>"Its text goes; a note that it was removed stays, so the replies still make sense."</p>
                                <ErrorSummary state=delete_state.clone() />
                                <form method="post" action=DeletePost::SPEC.action_with(&[&id]) novalidate>
                                    <FormFields form_id=DeletePost::SPEC.id />
                                    <crate::forms::CheckboxInput name="confirm" label="Yes, remove my post" state=delete_state.clone() />
                                    <button type="submit" class="button button--warning">"Remove post"</button>
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

/// `/forums/posts/:post/report`: tell the moderators what is wrong with a post.
#[component]
pub fn ReportPostPage() -> impl IntoView {
    let post = param("post");
    let state = form_state(ReportPost::SPEC.id);
    let target = Resource::new(
        move || post.clone(),
        |post| async move {
            match post.parse::<i32>() {
                Ok(id) => api::locate(id).await.map(|permalink| (id, permalink)),
                Err(_) => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match target.await {
                        Ok((id, permalink)) => {
                            let error = state.error("reason");
                            view! {
                                <Title text="Report a post" />
                                <Breadcrumbs trail=trail() current="Report a post" />
                                <h1>"Report a post"</h1>
                                <p>"Tell the forum's moderators what is wrong with it, for example that it identifies a patient or colleague, or breaks the forum's rules. Only they see your report."</p>
                                <p><a href=permalink>"Back to the post"</a></p>
                                <ErrorSummary state=state.clone() />
                                <form method="post" action=ReportPost::SPEC.action_with(&[&id.to_string()]) novalidate>
                                    <FormFields form_id=ReportPost::SPEC.id />
                                    <div class=if error.is_some() { "form-group form-group--error" } else { "form-group" }>
                                        <label class="label" for="field-reason">"What is wrong with the post?"</label>
                                        {error.clone().map(|message| view! {
                                            <p class="error-message" id="reason-error"><span class="visually-hidden">"Error: "</span>{message}</p>
                                        })}
                                        <textarea class="textarea" id="field-reason" name="reason" rows="5"
                                            aria-describedby=error.is_some().then_some("reason-error")>{state.value_or("reason", "")}</textarea>
                                    </div>
                                    <button type="submit" class="button">"Send report"</button>
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
