//! Forums against a real migrated SQLite file and the seeded forums in `content/forums/`:
//! visibility of the private CMO forum, starting topics and replying (numbering, counts,
//! concurrency), editing and removing one's own posts, validation, and unread markers.

use std::path::Path;

use domain::accounts::{Actor, RequestOrigin};
use domain::forums::{NewTopic, PostDraft, load_forums};
use domain::{DomainSettings, Error, Services};
use sea_orm::ConnectionTrait;

pub(crate) struct Fixture {
    pub(crate) services: Services,
    _temp: tempfile::TempDir,
}

pub(crate) async fn fixture() -> Fixture {
    let temp = tempfile::tempdir().unwrap();
    let url = crate::database_url(temp.path()).await;
    let db = domain::db::connect(&url).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    let services = Services::new(db, DomainSettings::default()).unwrap();
    let mut errors = Vec::new();
    let forums = load_forums(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
        &mut errors,
    );
    assert!(errors.is_empty(), "{errors:?}");
    let report = services.forums.import(&forums).await.unwrap();
    assert_eq!(report.created, 6, "six forums are seeded");
    let again = services.forums.import(&forums).await.unwrap();
    assert_eq!(
        (again.created, again.unchanged),
        (0, 6),
        "seeding is idempotent"
    );
    Fixture {
        services,
        _temp: temp,
    }
}

/// An approved member (role `member`) in `groups`.
pub(crate) async fn member(fx: &Fixture, email: &str, groups: &[&str]) -> Actor {
    let services = &fx.services;
    let id = services
        .accounts
        .create_admin(email, &format!("Person {email}"), "a long enough password")
        .await
        .unwrap();
    let db = services.db();
    db.execute_unprepared(&format!("UPDATE users SET role = 'member' WHERE id = {id}"))
        .await
        .unwrap();
    for group in groups {
        db.execute_unprepared(&format!(
            "INSERT INTO user_groups (user_id, group_id, status, created_at) \
             SELECT {id}, id, 'member', (SELECT created_at FROM users WHERE id = {id}) \
             FROM groups WHERE slug = '{group}'"
        ))
        .await
        .unwrap();
    }
    let session = services
        .accounts
        .sign_in(email, "a long enough password", &RequestOrigin::default())
        .await
        .unwrap();
    Actor::Member(session.member)
}

pub(crate) fn topic(title: &str, body: &str) -> NewTopic {
    NewTopic {
        title: title.into(),
        tags: String::new(),
        body: body.into(),
    }
}

pub(crate) fn reply(body: &str) -> PostDraft {
    PostDraft {
        body: body.into(),
        quote_of: None,
    }
}

#[tokio::test]
async fn the_cmo_forum_exists_only_for_its_group() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let outsider = member(&fx, "out@force.test", &["oh-managers"]).await;
    let insider = member(&fx, "in@force.test", &["cmo"]).await;
    let names = |list: Vec<domain::forums::ForumSummary>| -> Vec<String> {
        list.into_iter().map(|forum| forum.slug).collect()
    };
    assert_eq!(
        names(forums.forums(&outsider).await.unwrap()),
        [
            "general",
            "oh-managers",
            "oh-technicians",
            "physiotherapists",
            "mental-health-nurses"
        ]
    );
    assert!(names(forums.forums(&insider).await.unwrap()).contains(&"cmo".to_owned()));
    assert!(matches!(
        forums.forums(&Actor::Anonymous).await,
        Err(Error::Unauthenticated)
    ));

    let private = forums
        .start_topic(
            &insider,
            "cmo",
            &topic("A private question", "Private words."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    let private_reply = forums
        .reply(&insider, private, &reply("More private words."))
        .await
        .unwrap()
        .published()
        .unwrap();
    for attempt in [
        forums.forum_page(&outsider, "cmo", None).await.map(|_| ()),
        forums.topic_page(&outsider, private, 1).await.map(|_| ()),
        forums
            .locate_post(&outsider, private_reply)
            .await
            .map(|_| ()),
        forums
            .quote(&outsider, private, private_reply)
            .await
            .map(|_| ()),
        forums
            .reply(&outsider, private, &reply("Let me in"))
            .await
            .map(|_| ()),
        forums
            .start_topic(&outsider, "cmo", &topic("Let me in too", "Please"))
            .await
            .map(|_| ()),
    ] {
        assert!(matches!(attempt, Err(Error::NotFound)), "{attempt:?}");
    }
    // The same answer as for something that does not exist.
    assert!(matches!(
        forums.forum_page(&outsider, "no-such-forum", None).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        forums.topic_page(&outsider, 999_999, 1).await,
        Err(Error::NotFound)
    ));

    // Leaving the group takes the access away at once.
    let Actor::Member(mut left) = insider.clone() else {
        unreachable!()
    };
    fx.services
        .db()
        .execute_unprepared(&format!(
            "DELETE FROM user_groups WHERE user_id = {}",
            left.id
        ))
        .await
        .unwrap();
    let session = fx
        .services
        .accounts
        .sign_in(
            "in@force.test",
            "a long enough password",
            &RequestOrigin::default(),
        )
        .await
        .unwrap();
    left.groups.clear();
    assert_eq!(session.member.groups, left.groups);
    assert!(matches!(
        forums.topic_page(&Actor::Member(left), private, 1).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn topics_and_replies_are_numbered_counted_and_validated() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let ann = member(&fx, "ann@force.test", &[]).await;

    let Err(Error::InvalidFields(problems)) = forums
        .start_topic(
            &ann,
            "general",
            &NewTopic {
                title: "Hi".into(),
                tags: "a,b,c,d,e,f".into(),
                body: "   ".into(),
            },
        )
        .await
    else {
        panic!("a bad topic must be refused");
    };
    let fields: Vec<&str> = problems
        .iter()
        .map(|problem| problem.field.as_str())
        .collect();
    assert_eq!(fields, ["title", "tags", "body"], "every problem at once");
    assert_eq!(
        forums
            .forum_page(&ann, "general", None)
            .await
            .unwrap()
            .topics
            .len(),
        1,
        "nothing half-written"
    );

    let id = forums
        .start_topic(
            &ann,
            "general",
            &topic("Fitness for duty after surgery", "Opening post."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    let first = forums.topic_page(&ann, id, 1).await.unwrap();
    let quoted = first.posts[0].id;
    let quote = forums.quote(&ann, id, quoted).await.unwrap();
    assert!(quote.starts_with(&format!(
        "[Person ann@force.test wrote](/forums/posts/{quoted}):"
    )));
    assert!(quote.contains("> Opening post."));
    forums
        .reply(
            &ann,
            id,
            &PostDraft {
                body: format!("{quote}Agreed."),
                quote_of: Some(quoted),
            },
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    assert!(
        matches!(
            forums
                .reply(&ann, id, &reply(&format!("{quote}Agreed.")))
                .await,
            Err(Error::InvalidFields(_))
        ),
        "a duplicate straight after is refused"
    );
    let too_long = "x".repeat(20_001);
    assert!(matches!(
        forums.reply(&ann, id, &reply(&too_long)).await,
        Err(Error::InvalidFields(_))
    ));

    // Two replies at the same moment both land, numbered in order, and the counts add up.
    let (bob, cat) = (
        member(&fx, "bob@force.test", &[]).await,
        member(&fx, "cat@force.test", &[]).await,
    );
    let (from_bob, from_cat) = (reply("From Bob."), reply("From Cat."));
    let (one, two) = tokio::join!(
        forums.reply(&bob, id, &from_bob),
        forums.reply(&cat, id, &from_cat)
    );
    one.unwrap();
    two.unwrap();
    let page = forums.topic_page(&ann, id, 1).await.unwrap();
    let numbers: Vec<i32> = page.posts.iter().map(|post| post.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    let general = forums.forum_page(&ann, "general", None).await.unwrap();
    let listed = general.topics.iter().find(|row| row.id == id).unwrap();
    assert_eq!(listed.posts, 4);
    let totals = forums.forums(&ann).await.unwrap();
    let general_total = totals.iter().find(|forum| forum.slug == "general").unwrap();
    assert_eq!(
        (general_total.topics, general_total.posts),
        (2, 5),
        "welcome topic plus this one"
    );
}

#[tokio::test]
async fn members_edit_and_remove_only_their_own_posts() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let ann = member(&fx, "ann@force.test", &[]).await;
    let bob = member(&fx, "bob@force.test", &[]).await;
    let id = forums
        .start_topic(
            &ann,
            "physiotherapists",
            &topic("Body armour fit", "First text."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    let post = forums.topic_page(&ann, id, 1).await.unwrap().posts[0].id;
    assert!(matches!(
        forums.edit_post(&bob, post, "Hijack").await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        forums.delete_post(&bob, post, true).await,
        Err(Error::Forbidden)
    ));
    forums.edit_post(&ann, post, "Second text.").await.unwrap();
    let shown = &forums.topic_page(&bob, id, 1).await.unwrap().posts[0];
    assert!(shown.body_html.as_deref().unwrap().contains("Second text."));
    assert!(shown.edited_at.is_some());
    let kept: i64 = fx
        .services
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            fx.services.db().get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM forum_post_revisions WHERE post_id = {post} AND body_markdown = 'First text.'"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    assert_eq!(kept, 1, "the earlier text is kept");
    assert!(matches!(
        forums.delete_post(&ann, post, false).await,
        Err(Error::InvalidFields(_))
    ));
    forums.delete_post(&ann, post, true).await.unwrap();
    let removed = &forums.topic_page(&bob, id, 1).await.unwrap().posts[0];
    assert_eq!(removed.body_html, None);
    assert_eq!(
        removed.removed,
        Some("This post was removed by its author.")
    );
    assert!(matches!(
        forums.edit_post(&ann, post, "Back again").await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn unread_markers_follow_what_each_member_has_read() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let ann = member(&fx, "ann@force.test", &[]).await;
    let bob = member(&fx, "bob@force.test", &[]).await;
    let unread = |list: &[domain::forums::ForumSummary], slug: &str| {
        list.iter().find(|forum| forum.slug == slug).unwrap().unread
    };
    let id = forums
        .start_topic(
            &ann,
            "oh-technicians",
            &topic("Audiometry booths", "Which booths?"),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    assert!(unread(
        &forums.forums(&bob).await.unwrap(),
        "oh-technicians"
    ));
    let page = forums.topic_page(&bob, id, 1).await.unwrap();
    assert_eq!(page.first_unread, Some(1));
    let welcome = forums
        .forum_page(&bob, "oh-technicians", None)
        .await
        .unwrap();
    let welcome_id = welcome.topics.iter().find(|row| row.pinned).unwrap().id;
    forums.topic_page(&bob, welcome_id, 1).await.unwrap();
    assert!(!unread(
        &forums.forums(&bob).await.unwrap(),
        "oh-technicians"
    ));
    forums
        .reply(&ann, id, &reply("Any advice welcome."))
        .await
        .unwrap()
        .published()
        .unwrap();
    assert!(unread(
        &forums.forums(&bob).await.unwrap(),
        "oh-technicians"
    ));
    assert_eq!(
        forums.topic_page(&bob, id, 1).await.unwrap().first_unread,
        Some(2)
    );
}

#[tokio::test]
async fn topics_come_a_page_at_a_time_pinned_first() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let ann = member(&fx, "ann@force.test", &[]).await;
    for n in 0..32 {
        fx.services
                .db()
                .execute_unprepared(&format!(
                    "INSERT INTO forum_topics (forum_id, title, tags, author_id, pinned, locked, post_count, last_post_at, last_post_number, created_at) \
                     SELECT id, 'Topic {n}', '', NULL, FALSE, FALSE, 1, (SELECT created_at FROM forums WHERE slug = 'general'), 1, \
                     (SELECT created_at FROM forums WHERE slug = 'general') FROM forums WHERE slug = 'general'"
                ))
                .await
                .unwrap();
    }
    let first = forums.forum_page(&ann, "general", None).await.unwrap();
    assert_eq!(first.topics.len() as u64, domain::forums::TOPICS_PER_PAGE);
    assert!(first.topics[0].pinned, "the welcome topic leads");
    let second = forums
        .forum_page(&ann, "general", first.next.as_deref())
        .await
        .unwrap();
    assert_eq!(second.topics.len(), 3, "33 topics in all");
    assert!(second.next.is_none());
    let mut seen: Vec<i32> = first
        .topics
        .iter()
        .chain(&second.topics)
        .map(|row| row.id)
        .collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 33, "no topic twice, none missed");
    // A cursor that is not one is no cursor.
    assert_eq!(
        forums
            .forum_page(&ann, "general", Some("garbage"))
            .await
            .unwrap()
            .topics
            .len(),
        first.topics.len()
    );
}

/// A moderator, unscoped or limited to one group's forum.
pub(crate) async fn moderator(fx: &Fixture, email: &str, scope: Option<&str>) -> Actor {
    let actor = member(fx, email, &[]).await;
    let id = actor.member().unwrap().id;
    let scope = scope.map_or("NULL".to_owned(), |group| format!("'{group}'"));
    fx.services
        .db()
        .execute_unprepared(&format!(
            "UPDATE users SET role = 'moderator', moderates_group = {scope} WHERE id = {id}"
        ))
        .await
        .unwrap();
    let session = fx
        .services
        .accounts
        .sign_in(email, "a long enough password", &RequestOrigin::default())
        .await
        .unwrap();
    Actor::Member(session.member)
}

#[tokio::test]
async fn moderators_act_only_in_the_forums_they_moderate_and_every_action_is_audited() {
    use domain::forums::TopicChange;
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let origin = RequestOrigin::default();
    let ann = member(&fx, "ann@force.test", &[]).await;
    let bob = member(&fx, "bob@force.test", &[]).await;
    let physio_mod = moderator(&fx, "pm@force.test", Some("physiotherapists")).await;
    let everywhere = moderator(&fx, "em@force.test", None).await;

    let physio = forums
        .start_topic(
            &ann,
            "physiotherapists",
            &topic("Private secret title words", "Post to report."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    let post = forums.topic_page(&ann, physio, 1).await.unwrap().posts[0].id;
    let general = forums
        .start_topic(
            &ann,
            "general",
            &topic("A general question", "General words."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();

    // Members report; only the forum's moderators see the report.
    assert!(matches!(
        forums.report_post(&bob, post, "  ").await,
        Err(Error::InvalidFields(_))
    ));
    forums
        .report_post(&bob, post, "Identifies a colleague.")
        .await
        .unwrap();
    forums.report_post(&bob, post, "Again").await.unwrap();
    assert!(matches!(
        forums.moderation_queue(&bob).await,
        Err(Error::Forbidden)
    ));
    let queue = forums.moderation_queue(&physio_mod).await.unwrap();
    assert_eq!(queue.len(), 1, "one open report per reporter and post");
    assert_eq!(queue[0].reason, "Identifies a colleague.");

    // A scoped moderator acts in their forum only.
    assert!(matches!(
        forums
            .change_topic(&physio_mod, general, TopicChange::Lock, &origin)
            .await,
        Err(Error::Forbidden)
    ));
    forums
        .set_post_hidden(&physio_mod, post, true, &origin)
        .await
        .unwrap();
    assert!(
        forums
            .moderation_queue(&physio_mod)
            .await
            .unwrap()
            .is_empty(),
        "hiding resolves the report"
    );
    let seen_by_member = &forums.topic_page(&bob, physio, 1).await.unwrap().posts[0];
    assert_eq!(seen_by_member.body_html, None);
    assert_eq!(
        seen_by_member.removed,
        Some("This post was hidden by a moderator.")
    );
    let seen_by_moderator = &forums
        .topic_page(&physio_mod, physio, 1)
        .await
        .unwrap()
        .posts[0];
    assert!(seen_by_moderator.hidden && seen_by_moderator.body_html.is_some());
    forums
        .set_post_hidden(&physio_mod, post, false, &origin)
        .await
        .unwrap();
    assert!(
        forums.topic_page(&bob, physio, 1).await.unwrap().posts[0]
            .body_html
            .is_some()
    );

    // Lock stops replies; pin leads the forum; a move keeps the counts right.
    forums
        .change_topic(&everywhere, general, TopicChange::Lock, &origin)
        .await
        .unwrap();
    assert!(matches!(
        forums.reply(&bob, general, &reply("Too late")).await,
        Err(Error::Conflict(_))
    ));
    forums
        .change_topic(&everywhere, general, TopicChange::Pin, &origin)
        .await
        .unwrap();
    assert!(forums.topic_page(&bob, general, 1).await.unwrap().pinned);
    assert!(
        matches!(
            forums
                .move_topic(&physio_mod, physio, "general", &origin)
                .await,
            Err(Error::InvalidFields(_))
        ),
        "a scoped moderator cannot move a topic out of their forum"
    );
    let before = forums.forums(&ann).await.unwrap();
    let moved_to = forums
        .move_topic(&everywhere, physio, "oh-managers", &origin)
        .await
        .unwrap();
    assert_eq!(moved_to, "oh-managers");
    let after = forums.forums(&ann).await.unwrap();
    let count = |list: &[domain::forums::ForumSummary], slug: &str| {
        let forum = list.iter().find(|forum| forum.slug == slug).unwrap();
        (forum.topics, forum.posts)
    };
    let (physio_before, managers_before) = (
        count(&before, "physiotherapists"),
        count(&before, "oh-managers"),
    );
    assert_eq!(
        count(&after, "physiotherapists"),
        (physio_before.0 - 1, physio_before.1 - 1)
    );
    assert_eq!(
        count(&after, "oh-managers"),
        (managers_before.0 + 1, managers_before.1 + 1)
    );

    // Every action is in the audit log, by number only: no topic title or post text.
    let admin_id = fx
        .services
        .accounts
        .create_admin("admin@force.test", "Admin", "a long enough password")
        .await
        .unwrap();
    assert!(admin_id > 0);
    let admin = Actor::Member(
        fx.services
            .accounts
            .sign_in("admin@force.test", "a long enough password", &origin)
            .await
            .unwrap()
            .member,
    );
    let log = fx.services.audit.entries(&admin, 0).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|entry| entry.action.as_str()).collect();
    for action in [
        "forum.hide",
        "forum.restore",
        "forum.lock",
        "forum.pin",
        "forum.move",
    ] {
        assert!(
            actions.contains(&action),
            "{action} is audited: {actions:?}"
        );
    }
    for entry in &log {
        assert!(!entry.target.contains("secret") && !entry.detail.contains("secret"));
    }
}

#[tokio::test]
async fn administrators_create_restrict_rename_and_archive_forums() {
    use domain::forums::ForumSettingsDraft;
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let origin = RequestOrigin::default();
    let physio = member(&fx, "physio@force.test", &["physiotherapists"]).await;
    let other = member(&fx, "other@force.test", &[]).await;
    fx.services
        .accounts
        .create_admin("admin@force.test", "Admin", "a long enough password")
        .await
        .unwrap();
    let admin = Actor::Member(
        fx.services
            .accounts
            .sign_in("admin@force.test", "a long enough password", &origin)
            .await
            .unwrap()
            .member,
    );
    let draft = ForumSettingsDraft {
        slug: "msk-research".into(),
        name: "MSK research".into(),
        description: "Reading and research on musculoskeletal health.".into(),
        position: "7".into(),
        readers: vec!["physiotherapists".into()],
        posters: Vec::new(),
    };
    assert!(matches!(
        forums.create_forum(&physio, &draft, &origin).await,
        Err(Error::Forbidden)
    ));
    let Err(Error::InvalidFields(problems)) = forums
        .create_forum(
            &admin,
            &ForumSettingsDraft {
                slug: "posts".into(),
                name: String::new(),
                description: String::new(),
                position: "soon".into(),
                readers: vec!["no-such-group".into()],
                posters: Vec::new(),
            },
            &origin,
        )
        .await
    else {
        panic!("bad settings must be refused");
    };
    let fields: Vec<&str> = problems
        .iter()
        .map(|problem| problem.field.as_str())
        .collect();
    assert_eq!(
        fields,
        ["slug", "name", "description", "position", "readers"]
    );

    assert_eq!(
        forums.create_forum(&admin, &draft, &origin).await.unwrap(),
        "msk-research"
    );
    let slugs = |list: Vec<domain::forums::ForumSummary>| -> Vec<String> {
        list.into_iter().map(|forum| forum.slug).collect()
    };
    assert!(slugs(forums.forums(&physio).await.unwrap()).contains(&"msk-research".to_owned()));
    assert!(!slugs(forums.forums(&other).await.unwrap()).contains(&"msk-research".to_owned()));
    forums
        .start_topic(
            &physio,
            "msk-research",
            &topic("Load management evidence", "Papers?"),
        )
        .await
        .unwrap()
        .published()
        .unwrap();

    // Open it to every member, then archive it: it leaves the list and takes no posts.
    forums
        .update_forum(
            &admin,
            "msk-research",
            &ForumSettingsDraft {
                readers: Vec::new(),
                ..draft.clone()
            },
            &origin,
        )
        .await
        .unwrap();
    assert!(slugs(forums.forums(&other).await.unwrap()).contains(&"msk-research".to_owned()));
    forums
        .set_forum_archived(&admin, "msk-research", true, &origin)
        .await
        .unwrap();
    assert!(!slugs(forums.forums(&physio).await.unwrap()).contains(&"msk-research".to_owned()));
    assert!(matches!(
        forums
            .start_topic(&physio, "msk-research", &topic("Another one", "More?"))
            .await,
        Err(Error::Forbidden)
    ));
    let settings = forums.forum_settings(&admin).await.unwrap();
    assert!(
        settings
            .iter()
            .any(|forum| forum.slug == "msk-research" && forum.archived)
    );
    let log = fx.services.audit.entries(&admin, 0).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|entry| entry.action.as_str()).collect();
    for action in ["forum.create", "forum.settings", "forum.archive"] {
        assert!(actions.contains(&action), "{action} is audited");
    }
}

#[tokio::test]
async fn moderators_see_every_earlier_text_of_an_edited_post() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let writer = member(&fx, "writer@force.test", &[]).await;
    let insider = member(&fx, "insider@force.test", &["cmo"]).await;
    let all_forums = moderator(&fx, "mod@force.test", None).await;
    let id = forums
        .start_topic(
            &writer,
            "general",
            &topic("Edited thoughts", "First draft."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    let post = forums.topic_page(&writer, id, 1).await.unwrap().posts[0].id;
    forums
        .edit_post(&writer, post, "Second draft.")
        .await
        .unwrap();
    forums
        .edit_post(&writer, post, "Final text.")
        .await
        .unwrap();

    let history = forums.post_history(&all_forums, post).await.unwrap();
    assert_eq!(history.current_markdown, "Final text.");
    let earlier: Vec<(&str, &str)> = history
        .revisions
        .iter()
        .map(|revision| (revision.body_markdown.as_str(), revision.editor.as_str()))
        .collect();
    assert_eq!(
        earlier,
        [
            ("Second draft.", "Person writer@force.test"),
            ("First draft.", "Person writer@force.test")
        ],
        "newest first, ending with what was first posted"
    );
    assert!(matches!(
        forums.post_history(&writer, post).await,
        Err(Error::Forbidden)
    ));

    let private = forums
        .start_topic(&insider, "cmo", &topic("Private edits", "Before."))
        .await
        .unwrap()
        .published()
        .unwrap();
    let private_post = forums.topic_page(&insider, private, 1).await.unwrap().posts[0].id;
    assert!(matches!(
        forums.post_history(&writer, private_post).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn download_my_data_carries_the_members_own_posts_and_nobody_elses() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let ann = member(&fx, "ann@force.test", &["cmo"]).await;
    let bob = member(&fx, "bob@force.test", &[]).await;
    forums
        .start_topic(
            &ann,
            "general",
            &topic("Annual screening of night workers", "Ann's own words."),
        )
        .await
        .unwrap();
    forums
        .start_topic(&ann, "cmo", &topic("A CMO matter", "Ann wrote this too."))
        .await
        .unwrap();
    forums
        .start_topic(&bob, "general", &topic("Bob's question", "Bob's words."))
        .await
        .unwrap();

    let data = fx.services.export_member_data(&ann).await.unwrap();
    let posts = data["forum_posts"].as_array().unwrap();
    let texts: Vec<&str> = posts.iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Ann's own words.", "Ann wrote this too."]);
    assert_eq!(posts[0]["topic"], "Annual screening of night workers");
    assert_eq!(posts[0]["forum"], "General network");
    assert_eq!(posts[0]["number"], 1);
    assert!(data["cpd"].as_array().unwrap().is_empty());
    assert!(
        data["learning"]["certificates"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(data["profile"]["email"], "ann@force.test");

    let bobs = fx.services.export_member_data(&bob).await.unwrap();
    let text = bobs.to_string();
    assert!(text.contains("Bob's words."));
    assert!(!text.contains("Ann"), "{text}");
    assert!(!text.contains("CMO matter"), "{text}");
    assert!(matches!(
        fx.services.export_member_data(&Actor::Anonymous).await,
        Err(domain::Error::Unauthenticated)
    ));
}
