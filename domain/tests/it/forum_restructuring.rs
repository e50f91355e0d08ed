//! Merging and splitting topics, and holding a new member's first posts for approval, against
//! a real migrated SQLite file: posts, numbers, counts, read markers, watches and redirects
//! come out right, only the forum's moderators may act, nothing private reaches an outsider,
//! and every action is audited.

use domain::Error;
use domain::accounts::{Actor, RequestOrigin};
use domain::forums::Posted;

use crate::forums::{Fixture, fixture, member, moderator, reply, topic};

async fn admin(fx: &Fixture) -> Actor {
    fx.services
        .accounts
        .create_admin("admin@force.test", "Admin", "a long enough password")
        .await
        .unwrap();
    Actor::Member(
        fx.services
            .accounts
            .sign_in(
                "admin@force.test",
                "a long enough password",
                &RequestOrigin::default(),
            )
            .await
            .unwrap()
            .member,
    )
}

async fn audit_actions(fx: &Fixture, admin: &Actor) -> Vec<String> {
    fx.services
        .audit
        .entries(admin, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect()
}

/// The texts of a topic's first page, in order, with their numbers.
async fn texts(fx: &Fixture, actor: &Actor, topic_id: i32) -> Vec<(i32, String)> {
    fx.services
        .forums
        .topic_page(actor, topic_id, 1)
        .await
        .unwrap()
        .posts
        .into_iter()
        .map(|post| (post.number, post.body_markdown))
        .collect()
}

fn counts(list: &[domain::forums::ForumSummary], slug: &str) -> (i32, i32) {
    let forum = list.iter().find(|forum| forum.slug == slug).unwrap();
    (forum.topics, forum.posts)
}

#[tokio::test]
async fn merging_appends_the_posts_moves_the_watchers_and_leaves_the_old_address_working() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let origin = RequestOrigin::default();
    let ann = member(&fx, "ann@force.test", &[]).await;
    let bob = member(&fx, "bob@force.test", &[]).await;
    let physio_mod = moderator(&fx, "pm@force.test", Some("physiotherapists")).await;
    let everywhere = moderator(&fx, "em@force.test", None).await;
    let insider = member(&fx, "cmo@force.test", &["cmo"]).await;

    let source = forums
        .start_topic(&ann, "general", &topic("Night shift rotas", "A1"))
        .await
        .unwrap()
        .published()
        .unwrap();
    forums.reply(&bob, source, &reply("A2")).await.unwrap();
    let target = forums
        .start_topic(&bob, "general", &topic("Shift work and sleep", "B1"))
        .await
        .unwrap()
        .published()
        .unwrap();
    forums.reply(&ann, target, &reply("B2")).await.unwrap();
    // Ann stopped watching the target; that choice survives the merge.
    forums.watch_topic(&ann, target, false).await.unwrap();
    let private = forums
        .start_topic(&insider, "cmo", &topic("A private matter", "secret"))
        .await
        .unwrap()
        .published()
        .unwrap();
    let before = forums.forums(&ann).await.unwrap();

    // Field errors, all at once; the topic is untouched.
    let Err(Error::InvalidFields(problems)) = forums
        .merge_topic(&everywhere, source, "the other one", false, &origin)
        .await
    else {
        panic!("a bad reference and no confirmation are refused");
    };
    let fields: Vec<&str> = problems
        .iter()
        .map(|problem| problem.field.as_str())
        .collect();
    assert_eq!(fields, ["into", "confirm"]);
    for (into, message) in [
        (
            source.to_string(),
            "Choose another topic: a topic cannot merge into itself",
        ),
        (
            private.to_string(),
            "Choose a topic in a forum you moderate",
        ),
        (
            "999999".to_owned(),
            "Choose a topic in a forum you moderate",
        ),
    ] {
        let Err(Error::InvalidFields(problems)) = forums
            .merge_topic(&everywhere, source, &into, true, &origin)
            .await
        else {
            panic!("merging into {into} is refused");
        };
        assert_eq!(problems[0].message, message, "into {into}");
    }
    assert!(matches!(
        forums
            .merge_topic(&physio_mod, source, &target.to_string(), true, &origin)
            .await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        forums
            .merge_topic(&ann, source, &target.to_string(), true, &origin)
            .await,
        Err(Error::Forbidden)
    ));
    assert_eq!(texts(&fx, &ann, source).await.len(), 2);

    let (slug, into) = forums
        .merge_topic(
            &everywhere,
            source,
            &format!("https://ohnet.test/forums/general/{target}?page=1#post-2"),
            true,
            &origin,
        )
        .await
        .unwrap();
    assert_eq!((slug.as_str(), into), ("general", target));
    assert_eq!(
        texts(&fx, &ann, target).await,
        [
            (1, "B1".to_owned()),
            (2, "B2".to_owned()),
            (3, "A1".to_owned()),
            (4, "A2".to_owned())
        ]
    );
    assert!(matches!(
        forums.topic_page(&ann, source, 1).await,
        Err(Error::NotFound)
    ));
    assert_eq!(
        forums.merged_topic(&bob, source).await.unwrap(),
        ("general".to_owned(), target)
    );
    let after = forums.forums(&ann).await.unwrap();
    let (topics, posts) = counts(&before, "general");
    assert_eq!(counts(&after, "general"), (topics - 1, posts));
    // A reply continues the numbering.
    let next = forums
        .reply(&bob, target, &reply("B3"))
        .await
        .unwrap()
        .published()
        .unwrap();
    assert_eq!(forums.locate_post(&bob, next).await.unwrap().3, 5);
    // Ann watched the source (she started it) but had stopped watching the target: her choice
    // there stands. Bob watches the target (he started it).
    assert!(!forums.topic_page(&ann, target, 1).await.unwrap().watching);
    assert!(forums.topic_page(&bob, target, 1).await.unwrap().watching);

    // A private topic merged inside the CMO forum leads nowhere for an outsider.
    let other_private = forums
        .start_topic(&insider, "cmo", &topic("Another private matter", "hush"))
        .await
        .unwrap()
        .published()
        .unwrap();
    let admin = admin(&fx).await;
    let cmo_admin = {
        let id = admin.member().unwrap().id;
        fx.services
            .accounts
            .set_groups(&admin, id, &["cmo".to_owned()], &origin)
            .await
            .unwrap();
        Actor::Member(
            fx.services
                .accounts
                .sign_in("admin@force.test", "a long enough password", &origin)
                .await
                .unwrap()
                .member,
        )
    };
    forums
        .merge_topic(
            &cmo_admin,
            other_private,
            &private.to_string(),
            true,
            &origin,
        )
        .await
        .unwrap();
    assert!(matches!(
        forums.merged_topic(&ann, other_private).await,
        Err(Error::NotFound)
    ));
    assert_eq!(
        forums.merged_topic(&insider, other_private).await.unwrap(),
        ("cmo".to_owned(), private)
    );
    // Merging again carries the older redirect along.
    let third = forums
        .start_topic(&ann, "general", &topic("Rotas again", "C1"))
        .await
        .unwrap()
        .published()
        .unwrap();
    forums
        .merge_topic(&everywhere, target, &third.to_string(), true, &origin)
        .await
        .unwrap();
    assert_eq!(forums.merged_topic(&bob, source).await.unwrap().1, third);
    assert_eq!(texts(&fx, &bob, third).await.len(), 6);

    let actions = audit_actions(&fx, &admin).await;
    assert_eq!(
        actions
            .iter()
            .filter(|action| *action == "forum.merge")
            .count(),
        3
    );
}

#[tokio::test]
async fn splitting_moves_a_post_and_the_later_ones_into_a_new_topic_keeping_readers_places() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let origin = RequestOrigin::default();
    let ann = member(&fx, "ann@force.test", &[]).await;
    let bob = member(&fx, "bob@force.test", &[]).await;
    let everywhere = moderator(&fx, "em@force.test", None).await;
    let managers_mod = moderator(&fx, "mm@force.test", Some("oh-managers")).await;

    let source = forums
        .start_topic(&ann, "general", &topic("Return to work plans", "P1"))
        .await
        .unwrap()
        .published()
        .unwrap();
    let mut ids = Vec::new();
    for (who, text) in [(&bob, "P2"), (&ann, "P3"), (&bob, "P4"), (&ann, "P5")] {
        ids.push(
            forums
                .reply(who, source, &reply(text))
                .await
                .unwrap()
                .published()
                .unwrap(),
        );
    }
    let first_post = forums.topic_page(&ann, source, 1).await.unwrap().posts[0].id;
    // Bob has read everything.
    forums.topic_page(&bob, source, 1).await.unwrap();
    let before = forums.forums(&ann).await.unwrap();
    let split_at = ids[1]; // post 3, Ann's

    let plan = forums.split_plan(&everywhere, split_at).await.unwrap();
    assert_eq!((plan.from_number, plan.moving), (3, 3));
    assert!(matches!(
        forums.split_plan(&ann, split_at).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        forums.split_plan(&managers_mod, split_at).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        forums.split_plan(&everywhere, first_post).await,
        Err(Error::Conflict(_))
    ));
    let Err(Error::InvalidFields(problems)) = forums
        .split_topic(&everywhere, split_at, " ab ", "no-such-forum", &origin)
        .await
    else {
        panic!("a short title and an unknown forum are refused");
    };
    let fields: Vec<&str> = problems
        .iter()
        .map(|problem| problem.field.as_str())
        .collect();
    assert_eq!(fields, ["title", "forum"]);
    assert_eq!(texts(&fx, &ann, source).await.len(), 5, "nothing moved");

    let (slug, created) = forums
        .split_topic(
            &everywhere,
            split_at,
            "Return to work: phased hours",
            "oh-managers",
            &origin,
        )
        .await
        .unwrap();
    assert_eq!(slug, "oh-managers");
    assert_eq!(
        texts(&fx, &ann, source).await,
        [(1, "P1".to_owned()), (2, "P2".to_owned())]
    );
    let new_page = forums.topic_page(&ann, created, 1).await.unwrap();
    assert_eq!(new_page.title, "Return to work: phased hours");
    assert_eq!(new_page.forum.0, "oh-managers");
    let moved: Vec<(i32, String)> = new_page
        .posts
        .iter()
        .map(|post| (post.number, post.body_markdown.clone()))
        .collect();
    assert_eq!(
        moved,
        [
            (1, "P3".to_owned()),
            (2, "P4".to_owned()),
            (3, "P5".to_owned())
        ]
    );
    let listed = forums
        .forum_page(&ann, "oh-managers", None)
        .await
        .unwrap()
        .topics
        .into_iter()
        .find(|row| row.id == created)
        .unwrap();
    assert_eq!(
        listed.author, "Person ann@force.test",
        "the new topic's author wrote its first post"
    );
    // Bob had read all five: he has read both topics, and the next reply to the old one is
    // new to him.
    assert_eq!(
        forums
            .topic_page(&bob, created, 1)
            .await
            .unwrap()
            .first_unread,
        None
    );
    assert_eq!(
        forums
            .topic_page(&bob, source, 1)
            .await
            .unwrap()
            .first_unread,
        None
    );
    let next = forums
        .reply(&ann, source, &reply("P6"))
        .await
        .unwrap()
        .published()
        .unwrap();
    assert_eq!(forums.locate_post(&ann, next).await.unwrap().3, 3);
    assert_eq!(
        forums
            .topic_page(&bob, source, 1)
            .await
            .unwrap()
            .first_unread,
        Some(3)
    );
    let after = forums.forums(&ann).await.unwrap();
    let (general_topics, general_posts) = counts(&before, "general");
    let (managers_topics, managers_posts) = counts(&before, "oh-managers");
    assert_eq!(
        counts(&after, "general"),
        (general_topics, general_posts - 3 + 1)
    );
    assert_eq!(
        counts(&after, "oh-managers"),
        (managers_topics + 1, managers_posts + 3)
    );

    let admin = admin(&fx).await;
    assert!(
        audit_actions(&fx, &admin)
            .await
            .contains(&"forum.split".to_owned())
    );
}

#[tokio::test]
async fn a_new_members_first_posts_wait_for_a_moderator_of_their_forum() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let origin = RequestOrigin::default();
    let admin = admin(&fx).await;
    let ann = member(&fx, "ann@force.test", &[]).await;
    let newbie = member(&fx, "new@force.test", &["cmo"]).await;
    let everywhere = moderator(&fx, "em@force.test", None).await;
    let physio_mod = moderator(&fx, "pm@force.test", Some("physiotherapists")).await;

    let existing = forums
        .start_topic(&ann, "general", &topic("Welcome newcomers", "Hello"))
        .await
        .unwrap()
        .published()
        .unwrap();

    // Only administrators choose; the number is checked.
    assert!(matches!(
        forums.set_held_first_posts(&ann, "2", &origin).await,
        Err(Error::Forbidden)
    ));
    for bad in ["", "two", "-1", "21"] {
        assert!(
            matches!(
                forums.set_held_first_posts(&admin, bad, &origin).await,
                Err(Error::InvalidFields(_))
            ),
            "{bad:?} is refused"
        );
    }
    assert_eq!(forums.held_first_posts(&admin).await.unwrap(), 0);
    forums
        .set_held_first_posts(&admin, " 2 ", &origin)
        .await
        .unwrap();
    assert_eq!(forums.held_first_posts(&admin).await.unwrap(), 2);

    // The newcomer's topic and reply are held: nobody sees them, nothing is counted.
    let before = forums.forums(&ann).await.unwrap();
    let held_topic = forums
        .start_topic(
            &newbie,
            "general",
            &topic("My first question", "Held words one"),
        )
        .await
        .unwrap();
    assert_eq!(held_topic, Posted::Held);
    let draft = reply("Held words two");
    assert_eq!(
        forums.reply(&newbie, existing, &draft).await.unwrap(),
        Posted::Held
    );
    assert_eq!(
        forums.reply(&newbie, existing, &draft).await.unwrap(),
        Posted::Held,
        "sent twice, held once"
    );
    let private = forums
        .start_topic(
            &newbie,
            "cmo",
            &topic("Private first post", "Held private words"),
        )
        .await
        .unwrap();
    assert_eq!(private, Posted::Held);
    assert_eq!(forums.forums(&ann).await.unwrap(), before);
    assert_eq!(texts(&fx, &ann, existing).await.len(), 1);

    // The queue shows a forum's held posts to its moderators only.
    assert!(matches!(
        forums.held_posts(&ann).await,
        Err(Error::Forbidden)
    ));
    assert!(forums.held_posts(&physio_mod).await.unwrap().is_empty());
    let queue = forums.held_posts(&everywhere).await.unwrap();
    let seen: Vec<(&str, Option<&str>, &str)> = queue
        .iter()
        .map(|held| {
            (
                held.title.as_str(),
                held.reply_to.as_ref().map(|(_, title)| title.as_str()),
                held.body_markdown.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("My first question", None, "Held words one"),
            ("", Some("Welcome newcomers"), "Held words two"),
        ],
        "the CMO forum's held post is not shown to a moderator outside the group"
    );
    let private_held = forums.held_posts(&admin).await;
    assert!(
        private_held
            .unwrap()
            .iter()
            .all(|held| held.body_markdown != "Held private words"),
        "an administrator outside the CMO group does not see it either"
    );
    assert!(matches!(
        forums
            .approve_held_post(&physio_mod, queue[0].id, &origin)
            .await,
        Err(Error::Forbidden)
    ));

    // Approval publishes (with its counts); rejection deletes.
    let published = forums
        .approve_held_post(&everywhere, queue[1].id, &origin)
        .await
        .unwrap();
    assert_eq!(
        forums.locate_post(&ann, published).await.unwrap().1,
        existing
    );
    assert_eq!(texts(&fx, &ann, existing).await[1].1, "Held words two");
    forums
        .reject_held_post(&everywhere, queue[0].id, &origin)
        .await
        .unwrap();
    assert!(matches!(
        forums
            .approve_held_post(&everywhere, queue[0].id, &origin)
            .await,
        Err(Error::NotFound)
    ));
    assert!(forums.held_posts(&everywhere).await.unwrap().is_empty());
    let after = forums.forums(&ann).await.unwrap();
    assert_eq!(
        counts(&after, "general"),
        (
            counts(&before, "general").0,
            counts(&before, "general").1 + 1
        )
    );

    // One published post so far: the next is held, then the member posts freely.
    let second = forums
        .reply(&newbie, existing, &reply("Second try"))
        .await
        .unwrap();
    assert_eq!(second, Posted::Held);
    let queue = forums.held_posts(&everywhere).await.unwrap();
    forums
        .approve_held_post(&everywhere, queue[0].id, &origin)
        .await
        .unwrap();
    assert!(matches!(
        forums
            .reply(&newbie, existing, &reply("Now trusted"))
            .await
            .unwrap(),
        Posted::Published(_)
    ));
    // A member who closes their account takes their unpublished posts with them.
    let leaver = member(&fx, "leaver@force.test", &[]).await;
    assert_eq!(
        forums
            .reply(&leaver, existing, &reply("Never mind"))
            .await
            .unwrap(),
        Posted::Held
    );
    assert_eq!(forums.held_posts(&everywhere).await.unwrap().len(), 1);
    fx.services
        .accounts
        .close_account(&leaver, true, "a long enough password")
        .await
        .unwrap();
    assert!(forums.held_posts(&everywhere).await.unwrap().is_empty());
    // Moderators are never held.
    let fresh_moderator = moderator(&fx, "fresh@force.test", None).await;
    assert!(matches!(
        forums
            .start_topic(
                &fresh_moderator,
                "general",
                &topic("A moderator's topic", "Hi")
            )
            .await
            .unwrap(),
        Posted::Published(_)
    ));

    let actions = audit_actions(&fx, &admin).await;
    for action in ["forum.hold-first-posts", "forum.approve", "forum.reject"] {
        assert!(actions.contains(&action.to_owned()), "{action} is audited");
    }
}
