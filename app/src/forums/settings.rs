//! `/admin/forums`: administrators create forums and change who may read and post in them,
//! their names, descriptions and order, and archive them, and choose how many of a new member's
//! first posts wait for a moderator's approval. Settings only: the page never shows a private
//! forum's topics or counts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api;
use super::dto::ForumSettingsView;
use super::forms::{ArchiveForum, CreateForum, HoldFirstPosts, UpdateForum};
use crate::forms::{
    ErrorSummary, Form, FormFields, FormState, GroupChoice, SuccessBanner, TextInput, form_state,
};
use crate::layout::{Breadcrumbs, ErrorPage};

/// `/admin/forums`.
#[component]
pub fn ForumSettingsPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move {
            let forums = api::forum_settings().await?;
            let options = crate::accounts::api::registration_options().await?;
            let held = api::approval_setting().await?;
            Ok::<_, crate::error::AppError>((forums, options.groups, held))
        },
    );
    let banner = use_query_map()
        .read_untracked()
        .get("done")
        .and_then(|done| match done.as_str() {
            "created" => Some("Forum created."),
            "saved" => Some("Forum settings saved."),
            "archived" => Some("Forum archived: it is no longer listed and takes no posts."),
            "restored" => Some("Forum brought back."),
            "approval" => Some("Approval setting saved."),
            _ => None,
        });
    let create_state = form_state(CreateForum::SPEC.id);
    let hold_state = form_state(HoldFirstPosts::SPEC.id);
    view! {
        <Title text="Forums: settings" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned()), ("Your account".to_owned(), "/account".to_owned())] current="Forum settings" />
        {banner.map(|message| view! { <SuccessBanner message=message.to_owned() /> })}
        <h1>"Forum settings"</h1>
        <Suspense fallback=|| ()>
            {move || {
                let (create_state, hold_state) = (create_state.clone(), hold_state.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok((forums, groups, held)) => {
                            view! {
                                <h2>"New members' first posts"</h2>
                                <p>"A held post waits in the moderators' queue until one of its forum's moderators approves or rejects it; nobody else sees it. Moderators' posts are never held."</p>
                                <ErrorSummary state=hold_state.clone() />
                                <form method="post" action=HoldFirstPosts::SPEC.action novalidate>
                                    <FormFields form_id=HoldFirstPosts::SPEC.id />
                                    <TextInput name="count" label="How many of a member's first posts wait for approval" hint="0 publishes every post at once" state=hold_state.clone() initial=held.to_string() input_type="number" />
                                    <button type="submit" class="button button--secondary">"Save approval setting"</button>
                                </form>
                                {forums.into_iter().map(|forum| view! { <ForumSettingsCard forum groups=groups.clone() /> }).collect_view()}
                                <h2>"Create a forum"</h2>
                                <ErrorSummary state=create_state.clone() />
                                <form method="post" action=CreateForum::SPEC.action novalidate>
                                    <FormFields form_id=CreateForum::SPEC.id />
                                    <TextInput name="slug" label="Address" hint="Lowercase letters, digits and hyphens: /forums/<address>" state=create_state.clone() autocomplete="off" />
                                    <TextInput name="name" label="Name" state=create_state.clone() />
                                    <TextInput name="description" label="Description" hint="One sentence for the list of forums" state=create_state.clone() />
                                    <TextInput name="position" label="Order" hint="Smaller numbers come first" state=create_state.clone() initial="10" />
                                    <GroupChoice name="readers" legend="Who may read" hint="Tick no group for every approved member" key=String::new() groups=groups.clone() chosen=Vec::new() state=create_state.clone() />
                                    <GroupChoice name="posters" legend="Who may post" hint="Tick no group for everyone who may read" key=String::new() groups=groups.clone() chosen=Vec::new() state=create_state.clone() />
                                    <button type="submit" class="button">"Create forum"</button>
                                </form>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ForumSettingsCard(forum: ForumSettingsView, groups: Vec<(String, String)>) -> impl IntoView {
    let state = form_state(&UpdateForum::SPEC.instance(&forum.slug));
    let key = format!("-{}", forum.slug);
    let heading = format!("forum-{}", forum.slug);
    let labelled_by = heading.clone();
    view! {
        <section class="member-card" aria-labelledby=labelled_by>
            <h2 class="member-card__name" id=heading>{forum.name.clone()}{forum.archived.then_some(" (archived)")}</h2>
            <ErrorSummary state=state.clone() id_suffix=key.clone() />
            <form method="post" action=UpdateForum::SPEC.action_with(&[&forum.slug]) novalidate>
                <FormFields form_id=UpdateForum::SPEC.instance(&forum.slug) />
                <SettingsInput name="name" label="Name" key=key.clone() initial=forum.name.clone() state=state.clone() />
                <SettingsInput name="description" label="Description" key=key.clone() initial=forum.description.clone() state=state.clone() />
                <SettingsInput name="position" label="Order" key=key.clone() initial=forum.position.to_string() state=state.clone() />
                <GroupChoice name="readers" legend="Who may read" hint="Tick no group for every approved member" key=key.clone() groups=groups.clone() chosen=forum.readers.clone() state=state.clone() />
                <GroupChoice name="posters" legend="Who may post" hint="Tick no group for everyone who may read" key=key.clone() groups=groups.clone() chosen=forum.posters.clone() state=state.clone() />
                <button type="submit" class="button button--secondary">"Save " <span class="visually-hidden">{forum.name.clone()}</span></button>
            </form>
            <form method="post" action=ArchiveForum::SPEC.action_with(&[&forum.slug]) class="inline-form">
                <FormFields form_id=ArchiveForum::SPEC.id />
                <input type="hidden" name="archived" value=if forum.archived { "no" } else { "yes" } />
                <button type="submit" class="button button--warning">
                    {if forum.archived { "Bring back " } else { "Archive " }}
                    <span class="visually-hidden">{forum.name.clone()}</span>
                </button>
            </form>
        </section>
    }
}

/// A labelled text input whose id carries the forum's slug (the page repeats the form).
#[component]
fn SettingsInput(
    name: &'static str,
    label: &'static str,
    key: String,
    initial: String,
    state: FormState,
) -> impl IntoView {
    let id = format!("field-{name}{key}");
    let error = state.error(name);
    let group_class = if error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    let value = state.value_or(name, &initial);
    view! {
        <div class=group_class>
            <label class="label" for=id.clone()>{label}</label>
            {error.map(|message| view! { <p class="error-message"><span class="visually-hidden">"Error: "</span>{message}</p> })}
            <input class="input" id=id name=name type="text" value=value />
        </div>
    }
}
