//! The forums on the web: starting topics, replying, editing and removing one's own posts
//! (each with a server-rendered preview), post permalinks, moderation (reports, topics, merging
//! and splitting, held posts), forum administration, and the access rule of every forum route. Which forums a member may read or post in is decided in the domain.

use app::forms::Form;
use app::forums::forms::{
    ArchiveForum, ChangeTopic, CreateForum, DecideHeldPost, DeletePost, DismissReport, EditPost,
    HidePost, HoldFirstPosts, MergeTopic, MoveTopic, Reply, ReportPost, SplitTopic, StartTopic,
    UpdateForum,
};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::access::Access;
use domain::forums::{ForumSettingsDraft, NewTopic, PostDraft, Posted, TopicChange};
use domain::{Error, FieldError};

use super::form::{Submitted, actor_of, error_status, see_other};
use super::routes::{Registry, RouteKind};

mod following;
use crate::router::AppState;

/// The forum routes with their access rules: the forums are for approved members.
pub fn routes(registry: Registry) -> Registry {
    let registry = registry
        .page("/forums", Access::Member)
        .page("/forums/{forum}", Access::Member)
        .page("/forums/{forum}/new", Access::Member)
        .page("/forums/{forum}/{topic}", Access::Member)
        .page("/forums/posts/{post}/edit", Access::Member)
        .page("/forums/posts/{post}/report", Access::Member)
        .page("/forums/posts/{post}/history", Access::Member)
        .page("/forums/posts/{post}/split", Access::Member)
        .server_fn("/api/forums/split-plan", Access::Member)
        .server_fn("/api/forums/post-history", Access::Member)
        .server_fn("/api/forums/mention-suggestions", Access::Member)
        .posted_server_fn("/api/forums/preview", Access::Member)
        .page("/forums/moderation", Access::Member)
        .page("/admin/forums", Access::Administrator)
        .server_fn("/api/forums/settings", Access::Administrator)
        .form::<CreateForum>(post(create_forum), Access::Administrator)
        .form::<UpdateForum>(post(update_forum), Access::Administrator)
        .form::<ArchiveForum>(post(archive_forum), Access::Administrator)
        .server_fn("/api/forums/approval-setting", Access::Administrator)
        .form::<HoldFirstPosts>(post(hold_first_posts), Access::Administrator)
        .server_fn("/api/forums/list", Access::Member)
        .server_fn("/api/forums/forum", Access::Member)
        .server_fn("/api/forums/topic", Access::Member)
        .server_fn("/api/forums/post-draft", Access::Member)
        .server_fn("/api/forums/moderation", Access::Member)
        .server_fn("/api/forums/locate", Access::Member)
        .form::<StartTopic>(post(start_topic), Access::Member)
        .form::<Reply>(post(reply), Access::Member)
        .form::<EditPost>(post(edit_post), Access::Member)
        .form::<DeletePost>(post(delete_post), Access::Member)
        .form::<ReportPost>(post(report_post), Access::Member)
        .form::<DismissReport>(post(dismiss_report), Access::Member)
        .form::<HidePost>(post(hide_post), Access::Member)
        .form::<ChangeTopic>(post(change_topic), Access::Member)
        .form::<MoveTopic>(post(move_topic), Access::Member)
        .form::<MergeTopic>(post(merge_topic), Access::Member)
        .form::<SplitTopic>(post(split_topic), Access::Member)
        .form::<DecideHeldPost>(post(decide_held_post), Access::Member)
        .get(
            "/forums/posts/{post}",
            RouteKind::Redirect,
            get(permalink),
            Access::Member,
        );
    following::routes(registry)
}

async fn start_topic(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    form: Submitted<StartTopic>,
) -> Response {
    let actor = form.actor();
    let page = StartTopic::SPEC.action_with(&[&forum]);
    let forums = &state.services.forums;
    if form.form.intent == "preview" {
        return match forums.preview(&actor, &form.form.body) {
            Ok(html) => form.preview(&state, &page, html).await,
            Err(error) => form.failed(&state, &page, error).await,
        };
    }
    let new = NewTopic {
        title: form.form.title.clone(),
        tags: form.form.tags.clone(),
        body: form.form.body.clone(),
    };
    let outcome = forums.start_topic(&actor, &forum, &new).await;
    form.finish(&state, &page, outcome, |posted| match posted {
        Posted::Published(topic) => format!("/forums/{forum}/{topic}?done=posted"),
        Posted::Held => format!("/forums/{forum}?done=held"),
    })
    .await
}

async fn reply(
    State(state): State<AppState>,
    Path((forum, topic)): Path<(String, i32)>,
    form: Submitted<Reply>,
) -> Response {
    let actor = form.actor();
    let page = format!("/forums/{forum}/{topic}?page=999999");
    let forums = &state.services.forums;
    if form.form.intent == "preview" {
        return match forums.preview(&actor, &form.form.body) {
            Ok(html) => form.preview(&state, &page, html).await,
            Err(error) => form.failed(&state, &page, error).await,
        };
    }
    let draft = PostDraft {
        body: form.form.body.clone(),
        quote_of: form.form.quote_of.trim().parse().ok(),
    };
    let outcome = forums.reply(&actor, topic, &draft).await;
    form.finish(&state, &page, outcome, |posted| match posted {
        Posted::Published(post) => format!("/forums/posts/{post}?done=posted"),
        Posted::Held => format!("/forums/{forum}/{topic}?done=held"),
    })
    .await
}

async fn edit_post(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    form: Submitted<EditPost>,
) -> Response {
    let actor = form.actor();
    let page = EditPost::SPEC.action_with(&[&post.to_string()]);
    let forums = &state.services.forums;
    if form.form.intent == "preview" {
        return match forums.preview(&actor, &form.form.body) {
            Ok(html) => form.preview(&state, &page, html).await,
            Err(error) => form.failed(&state, &page, error).await,
        };
    }
    let outcome = forums.edit_post(&actor, post, &form.form.body).await;
    form.finish(&state, &page, outcome, |post| {
        format!("/forums/posts/{post}?done=edited")
    })
    .await
}

async fn delete_post(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    form: Submitted<DeletePost>,
) -> Response {
    let outcome = state
        .services
        .forums
        .delete_post(&form.actor(), post, form.form.confirm)
        .await;
    let page = EditPost::SPEC.action_with(&[&post.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("/forums/posts/{post}?done=removed")
    })
    .await
}

async fn report_post(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    form: Submitted<ReportPost>,
) -> Response {
    let outcome = state
        .services
        .forums
        .report_post(&form.actor(), post, &form.form.reason)
        .await;
    let page = ReportPost::SPEC.action_with(&[&post.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("/forums/posts/{post}?done=reported")
    })
    .await
}

async fn hide_post(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    form: Submitted<HidePost>,
) -> Response {
    let hide = form.form.hidden != "no";
    let outcome = state
        .services
        .forums
        .set_post_hidden(&form.actor(), post, hide, &form.origin())
        .await;
    let from_queue = form.form.back == "queue";
    let page = if from_queue {
        "/forums/moderation".to_owned()
    } else {
        format!("/forums/posts/{post}")
    };
    form.finish(&state, &page, outcome, |()| match (from_queue, hide) {
        (true, _) => "/forums/moderation?done=hidden".to_owned(),
        (false, true) => format!("/forums/posts/{post}?done=hidden"),
        (false, false) => format!("/forums/posts/{post}?done=restored"),
    })
    .await
}

async fn dismiss_report(
    State(state): State<AppState>,
    Path(report): Path<i32>,
    form: Submitted<DismissReport>,
) -> Response {
    let outcome = state
        .services
        .forums
        .dismiss_report(&form.actor(), report, &form.origin())
        .await;
    form.finish(&state, "/forums/moderation", outcome, |()| {
        "/forums/moderation?done=dismissed".to_owned()
    })
    .await
}

async fn change_topic(
    State(state): State<AppState>,
    Path((forum, topic)): Path<(String, i32)>,
    form: Submitted<ChangeTopic>,
) -> Response {
    let outcome = match TopicChange::parse(&form.form.change) {
        Some(change) => {
            state
                .services
                .forums
                .change_topic(&form.actor(), topic, change, &form.origin())
                .await
        }
        None => Err(Error::InvalidFields(vec![FieldError::new(
            "change",
            "Choose lock, unlock, pin or unpin",
        )])),
    };
    let page = format!("/forums/{forum}/{topic}");
    form.finish(&state, &page, outcome, |()| {
        format!("/forums/{forum}/{topic}?done=moderated")
    })
    .await
}

async fn move_topic(
    State(state): State<AppState>,
    Path((forum, topic)): Path<(String, i32)>,
    form: Submitted<MoveTopic>,
) -> Response {
    let outcome = state
        .services
        .forums
        .move_topic(&form.actor(), topic, &form.form.forum, &form.origin())
        .await;
    let page = format!("/forums/{forum}/{topic}");
    form.finish(&state, &page, outcome, |to| {
        format!("/forums/{to}/{topic}?done=moved")
    })
    .await
}

async fn merge_topic(
    State(state): State<AppState>,
    Path((forum, topic)): Path<(String, i32)>,
    form: Submitted<MergeTopic>,
) -> Response {
    let outcome = state
        .services
        .forums
        .merge_topic(
            &form.actor(),
            topic,
            &form.form.into,
            form.form.confirm,
            &form.origin(),
        )
        .await;
    let page = format!("/forums/{forum}/{topic}");
    form.finish(&state, &page, outcome, |(to, into)| {
        format!("/forums/{to}/{into}?done=merged")
    })
    .await
}

async fn split_topic(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    form: Submitted<SplitTopic>,
) -> Response {
    let outcome = state
        .services
        .forums
        .split_topic(
            &form.actor(),
            post,
            &form.form.title,
            &form.form.forum,
            &form.origin(),
        )
        .await;
    let page = SplitTopic::SPEC.action_with(&[&post.to_string()]);
    form.finish(&state, &page, outcome, |(forum, topic)| {
        format!("/forums/{forum}/{topic}?done=split")
    })
    .await
}

async fn decide_held_post(
    State(state): State<AppState>,
    Path(held): Path<i32>,
    form: Submitted<DecideHeldPost>,
) -> Response {
    let outcome = state
        .services
        .forums
        .decide_held_post(&form.actor(), held, &form.form.decision, &form.origin())
        .await;
    form.finish(&state, "/forums/moderation", outcome, |done| {
        format!("/forums/moderation?done={done}")
    })
    .await
}

async fn hold_first_posts(
    State(state): State<AppState>,
    form: Submitted<HoldFirstPosts>,
) -> Response {
    let outcome = state
        .services
        .forums
        .set_held_first_posts(&form.actor(), &form.form.count, &form.origin())
        .await;
    form.finish(&state, "/admin/forums", outcome, |_| {
        "/admin/forums?done=approval".to_owned()
    })
    .await
}

async fn create_forum(State(state): State<AppState>, form: Submitted<CreateForum>) -> Response {
    let fields = &form.form;
    let draft = ForumSettingsDraft {
        slug: fields.slug.clone(),
        name: fields.name.clone(),
        description: fields.description.clone(),
        position: fields.position.clone(),
        readers: fields.readers.clone(),
        posters: fields.posters.clone(),
    };
    let outcome = state
        .services
        .forums
        .create_forum(&form.actor(), &draft, &form.origin())
        .await;
    form.finish(&state, "/admin/forums", outcome, |_| {
        "/admin/forums?done=created".to_owned()
    })
    .await
}

async fn update_forum(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    form: Submitted<UpdateForum>,
) -> Response {
    let fields = &form.form;
    let draft = ForumSettingsDraft {
        slug: forum.clone(),
        name: fields.name.clone(),
        description: fields.description.clone(),
        position: fields.position.clone(),
        readers: fields.readers.clone(),
        posters: fields.posters.clone(),
    };
    let outcome = state
        .services
        .forums
        .update_forum(&form.actor(), &forum, &draft, &form.origin())
        .await;
    form.finish(&state, "/admin/forums", outcome, |()| {
        "/admin/forums?done=saved".to_owned()
    })
    .await
}

async fn archive_forum(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    form: Submitted<ArchiveForum>,
) -> Response {
    let archive = form.form.archived != "no";
    let outcome = state
        .services
        .forums
        .set_forum_archived(&form.actor(), &forum, archive, &form.origin())
        .await;
    form.finish(&state, "/admin/forums", outcome, |()| {
        if archive {
            "/admin/forums?done=archived".to_owned()
        } else {
            "/admin/forums?done=restored".to_owned()
        }
    })
    .await
}

/// `/forums/posts/{post}`: the post's place in its topic (page and anchor), carrying a
/// `done` banner along.
async fn permalink(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let done = parts
        .uri
        .query()
        .and_then(|query| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(query)
                .ok()?
                .into_iter()
                .find(|(name, _)| name == "done")
        })
        .map(|(_, value)| value)
        .filter(|value| {
            matches!(
                value.as_str(),
                "posted" | "edited" | "removed" | "reported" | "hidden" | "restored"
            )
        });
    match state
        .services
        .forums
        .locate_post(&actor_of(&parts), post)
        .await
    {
        Ok((forum, topic, page, number)) => {
            let done = done.map(|done| format!("&done={done}")).unwrap_or_default();
            see_other(&format!(
                "/forums/{forum}/{topic}?page={page}{done}#post-{number}"
            ))
        }
        Err(error) => error_status(&parts, error),
    }
}
