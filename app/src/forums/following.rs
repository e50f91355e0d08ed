//! Following the forums on the web: the Watch buttons, the notifications page, the page behind
//! the unsubscribe link in forum emails, and the forum feeds section of the account page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::forms::{FeedSettings, MarkNotificationsRead};
use super::{api, error_view, query};
use crate::forms::{Form, FormFields, SuccessBanner};
use crate::layout::Breadcrumbs;

/// "Watch" or "Stop watching" a forum or topic, as a one-button form.
#[component]
pub(super) fn WatchButton(
    action: String,
    form_id: &'static str,
    watching: bool,
    what: &'static str,
) -> impl IntoView {
    let (value, label) = if watching {
        ("no", format!("Stop watching this {what}"))
    } else {
        ("yes", format!("Watch this {what}"))
    };
    view! {
        <form method="post" action=action class="inline-form">
            <FormFields form_id=form_id />
            <input type="hidden" name="watching" value=value />
            <button type="submit" class="button button--secondary" aria-pressed=if watching { "true" } else { "false" }>{label}</button>
        </form>
    }
}

/// The member's forum feeds, on their account page: on or off, an address, renewing.
#[component]
pub fn FeedSettingsSection() -> impl IntoView {
    let token = Resource::new(|| (), |_| api::feed_token());
    let button = |change: &'static str, label: &'static str, class: &'static str| {
        view! {
            <form method="post" action=FeedSettings::SPEC.action class="inline-form">
                <FormFields form_id=FeedSettings::SPEC.id />
                <input type="hidden" name="change" value=change />
                <button type="submit" class=class>{label}</button>
            </form>
        }
    };
    view! {
        <h2 id="feeds">"Forum feeds"</h2>
        <p>"Follow forums and topics in a feed reader (Atom). Every forum and topic page links to its feed. A feed address contains a key that lets the reader see what you can see, so keep it to yourself; if it gets out, replace it."</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match token.await {
                    Ok(Some(token)) => view! {
                        <p>"Your feeds are on. For example, the General network forum's feed is:"</p>
                        <p><code class="feed-address">{format!("/forums/general/feed.atom?token={token}")}</code></p>
                        <div class="button-group">
                            {button("renew", "Replace my feed addresses", "button button--secondary")}
                            {button("off", "Turn off my feeds", "button button--warning")}
                        </div>
                    }.into_any(),
                    Ok(None) => view! {
                        <p>"Your feeds are off."</p>
                        {button("on", "Turn on my feeds", "button button--secondary")}
                    }.into_any(),
                    Err(error) => error_view(error),
                }
            })}
        </Suspense>
    }
}

/// `/notifications`: what the member has been told of, newest first.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let items = Resource::new(|| (), |_| api::notifications());
    let banner = query("done")
        .filter(|done| done == "read")
        .map(|_| "Every notification is marked as read.");
    view! {
        <Title text="Notifications" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current="Notifications" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Notifications"</h1>
        <p>"New posts in the topics and forums you watch, and replies that quote you. Choose whether they also come by email in "<a href="/account#email-preferences">"your email choices"</a>"."</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(rows) if rows.is_empty() => view! { <p>"Nothing yet. Watch a topic or forum to hear of new posts."</p> }.into_any(),
                    Ok(rows) => {
                        let any_unread = rows.iter().any(|row| row.unread);
                        view! {
                            {any_unread.then(|| view! {
                                <form method="post" action=MarkNotificationsRead::SPEC.action class="inline-form">
                                    <FormFields form_id=MarkNotificationsRead::SPEC.id />
                                    <button type="submit" class="button button--secondary">"Mark all as read"</button>
                                </form>
                            })}
                            <ul class="notification-list">
                                {rows.into_iter().map(|row| view! {
                                    <li class=if row.unread { "notification-list__item notification-list__item--unread" } else { "notification-list__item" }>
                                        {row.unread.then(|| view! { <strong class="tag">"New"</strong>" " })}
                                        <a href=row.permalink>{format!("{} {} in “{}”", row.author, row.verb, row.topic)}</a>
                                        <span class="hint">{format!(" – {}, {}", row.forum, row.when)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(error) => error_view(error),
                }
            })}
        </Suspense>
    }
}

/// `/unsubscribe?token=…`: the page behind the link in every forum email, which stops forum
/// email without signing in (mail programs post to the same address for one click).
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let token = query("token").unwrap_or_default();
    let done = query("done").is_some_and(|done| done == "stopped");
    let status = Resource::new(move || token.clone(), api::unsubscribe_link);
    let token = query("token").unwrap_or_default();
    view! {
        <Title text="Stop forum emails" />
        <h1>"Stop forum emails"</h1>
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match status.await {
                        Ok(_) if done => view! {
                            <SuccessBanner message="You will get no more forum emails. Notifications still appear on the site.".to_owned() />
                            <p>"Changed your mind? Choose again in "<a href="/account#email-preferences">"your email choices"</a>"."</p>
                        }.into_any(),
                        Ok(false) => view! {
                            <p>"Forum emails are already off for this account."</p>
                            <p>"To get them again, choose in "<a href="/account#email-preferences">"your email choices"</a>"."</p>
                        }.into_any(),
                        Ok(true) => view! {
                            <p>"You will stop getting emails about forum topics and forums you watch. Emails about your account, such as password resets, still come."</p>
                            <form method="post" action=format!("/unsubscribe/one-click?token={token}")>
                                <input type="hidden" name="List-Unsubscribe" value="One-Click" />
                                <button type="submit" class="button">"Stop forum emails"</button>
                            </form>
                        }.into_any(),
                        Err(_) => view! {
                            <p>"This link is not valid. It may have been copied only in part."</p>
                            <p>"Sign in and choose in "<a href="/account#email-preferences">"your email choices"</a>" instead."</p>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
