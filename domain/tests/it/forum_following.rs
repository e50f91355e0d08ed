//! Following the forums against a real migrated SQLite file: watching (and stopping), the
//! notifications a post makes and who may see them, email per post through the outbox with a
//! one-click unsubscribe, the daily digest, and the CMO forum's posts never reaching anyone
//! outside the group, even someone who was in it when they started watching.

use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use domain::Error;
use domain::accounts::{Actor, EmailPreferences, ForumEmail, RequestOrigin};
use domain::forums::{NotificationKind, PostDraft};
use domain::jobs::{JobContext, JobRunner, RunnerSettings};
use domain::mail::{DeliveredMail, Mailer};
use sea_orm::ConnectionTrait;

use super::forums::{Fixture, fixture, member, reply, topic};

type Mailbox = Arc<Mutex<Vec<DeliveredMail>>>;

/// Runs every job that is due, delivering mail into `mailbox`.
async fn run_jobs(fx: &Fixture, mailbox: &Mailbox) {
    let db = fx.services.db().clone();
    JobRunner::new(
        db.clone(),
        JobContext::new(db, Mailer::Memory(mailbox.clone()), "http://ohnet.test"),
        RunnerSettings::default(),
    )
    .run_due(Utc::now() + Duration::minutes(1))
    .await
    .unwrap();
}

fn mail_to(mailbox: &Mailbox, to: &str) -> Vec<DeliveredMail> {
    mailbox
        .lock()
        .unwrap()
        .iter()
        .filter(|mail| mail.to == to)
        .cloned()
        .collect()
}

async fn choose(fx: &Fixture, actor: &Actor, forum_email: ForumEmail, watch_own: bool) {
    fx.services
        .accounts
        .set_email_preferences(
            actor,
            EmailPreferences {
                newsletters: false,
                forum_email,
                watch_own_topics: watch_own,
                events: false,
            },
        )
        .await
        .unwrap();
}

/// Signs `email` in again, for an actor with the groups they have now.
async fn fresh(fx: &Fixture, email: &str) -> Actor {
    let session = fx
        .services
        .accounts
        .sign_in(email, "a long enough password", &RequestOrigin::default())
        .await
        .unwrap();
    Actor::Member(session.member)
}

#[tokio::test]
async fn a_reply_notifies_and_emails_whoever_watches_the_topic_but_not_its_author() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let mailbox = Mailbox::default();
    let starter = member(&fx, "starter@force.test", &[]).await;
    let replier = member(&fx, "replier@force.test", &[]).await;
    let topic_id = forums
        .start_topic(
            &starter,
            "general",
            &topic("Night shift fatigue", "How do you assess it?"),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    assert!(
        mailbox.lock().unwrap().is_empty(),
        "nobody watches a brand-new topic but its author"
    );

    let post = forums
        .reply(
            &replier,
            topic_id,
            &reply("We use a **sleep diary** first."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    let sent = mail_to(&mailbox, "starter@force.test");
    assert_eq!(sent.len(), 1, "the starter watches their topic: {sent:?}");
    let mail = &sent[0];
    assert_eq!(mail.subject, "[ohnet] Re: Night shift fatigue");
    assert!(mail.body.contains("We use a **sleep diary** first."));
    assert!(
        mail.body
            .contains(&format!("http://ohnet.test/forums/posts/{post}"))
    );
    let unsubscribe = mail.list_unsubscribe.clone().expect("RFC 8058 address");
    let token = unsubscribe
        .strip_prefix("http://ohnet.test/unsubscribe/one-click?token=")
        .expect("the one-click address");
    assert!(
        mail.body
            .contains(&format!("http://ohnet.test/unsubscribe?token={token}")),
        "the body links to the page with the button"
    );
    assert!(
        mail_to(&mailbox, "replier@force.test").is_empty(),
        "nobody is told of their own post"
    );

    assert_eq!(forums.unread_notifications(&starter).await.unwrap(), 1);
    let listed = forums.notifications(&starter).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0].kind,
            listed[0].post_id,
            listed[0].topic.as_str(),
            listed[0].unread
        ),
        (NotificationKind::Reply, post, "Night shift fatigue", true)
    );
    assert_eq!(forums.unread_notifications(&replier).await.unwrap(), 0);

    // The replier now watches too (they replied), so the starter's answer reaches them.
    forums
        .reply(&starter, topic_id, &reply("Thank you, that helps."))
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    assert_eq!(mail_to(&mailbox, "replier@force.test").len(), 1);

    // Reading the topic marks what it shows as read.
    forums.topic_page(&starter, topic_id, 1).await.unwrap();
    assert_eq!(forums.unread_notifications(&starter).await.unwrap(), 0);

    // A notification made after its post was read is read once its permalink is opened.
    let late = forums
        .reply(&replier, topic_id, &reply("One more thought."))
        .await
        .unwrap()
        .published()
        .unwrap();
    forums.topic_page(&starter, topic_id, 1).await.unwrap();
    run_jobs(&fx, &mailbox).await;
    forums.topic_page(&starter, topic_id, 1).await.unwrap();
    assert_eq!(forums.unread_notifications(&starter).await.unwrap(), 1);
    forums.locate_post(&starter, late).await.unwrap();
    assert_eq!(forums.unread_notifications(&starter).await.unwrap(), 0);

    // Running the jobs again sends nothing twice.
    let before = mailbox.lock().unwrap().len();
    let db = fx.services.db();
    db.execute_unprepared(&format!(
        "INSERT INTO jobs (kind, payload, run_at, attempts, max_attempts, created_at) \
         VALUES ('notify_forum_post', '{{\"kind\":\"notify_forum_post\",\"post_id\":{post}}}', \
         '2020-01-01T00:00:00Z', 0, 8, '2020-01-01T00:00:00Z')"
    ))
    .await
    .unwrap();
    run_jobs(&fx, &mailbox).await;
    assert_eq!(
        mailbox.lock().unwrap().len(),
        before,
        "a repeated job sends nothing"
    );
}

#[tokio::test]
async fn stopping_watching_holds_even_after_replying_again_and_quotes_still_reach_the_author() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let mailbox = Mailbox::default();
    let starter = member(&fx, "s@force.test", &[]).await;
    let other = member(&fx, "o@force.test", &[]).await;
    let topic_id = forums
        .start_topic(
            &starter,
            "general",
            &topic("Case conference notes", "Opening post."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    forums.watch_topic(&starter, topic_id, false).await.unwrap();
    assert!(
        !forums
            .topic_page(&starter, topic_id, 1)
            .await
            .unwrap()
            .watching
    );
    forums
        .reply(&starter, topic_id, &reply("Adding a thought."))
        .await
        .unwrap()
        .published()
        .unwrap();
    assert!(
        !forums
            .topic_page(&starter, topic_id, 1)
            .await
            .unwrap()
            .watching,
        "replying does not undo stopping"
    );
    forums
        .reply(&other, topic_id, &reply("A reply nobody watches for."))
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    assert!(mail_to(&mailbox, "s@force.test").is_empty());
    assert_eq!(forums.unread_notifications(&starter).await.unwrap(), 0);

    let first = forums.topic_page(&other, topic_id, 1).await.unwrap().posts[0].id;
    forums
        .reply(
            &other,
            topic_id,
            &PostDraft {
                body: "Quoting the opening post.".into(),
                quote_of: Some(first),
            },
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    let listed = forums.notifications(&starter).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].kind, NotificationKind::Quote);
    assert!(
        mail_to(&mailbox, "s@force.test")[0]
            .body
            .contains("quoted you")
    );

    // Members who turn off watching their own topics are not signed up by posting.
    let quiet = member(&fx, "q@force.test", &[]).await;
    choose(&fx, &quiet, ForumEmail::EachPost, false).await;
    let theirs = forums
        .start_topic(
            &quiet,
            "general",
            &topic("A quiet question", "Just asking."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    assert!(!forums.topic_page(&quiet, theirs, 1).await.unwrap().watching);
}

#[tokio::test]
async fn watching_a_forum_brings_new_topics_and_members_choose_digest_or_no_email() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let mailbox = Mailbox::default();
    let watcher = member(&fx, "w@force.test", &[]).await;
    let digest = member(&fx, "d@force.test", &[]).await;
    let silent = member(&fx, "n@force.test", &[]).await;
    let author = member(&fx, "a@force.test", &[]).await;
    for actor in [&watcher, &digest, &silent] {
        forums
            .watch_forum(actor, "physiotherapists", true)
            .await
            .unwrap();
    }
    assert!(
        forums
            .forum_page(&watcher, "physiotherapists", None)
            .await
            .unwrap()
            .watching
    );
    choose(&fx, &digest, ForumEmail::DailyDigest, true).await;
    choose(&fx, &silent, ForumEmail::Off, true).await;

    let topic_id = forums
        .start_topic(
            &author,
            "physiotherapists",
            &topic("Return to running", "Any protocols?"),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    forums
        .reply(&author, topic_id, &reply("Adding detail."))
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    let each = mail_to(&mailbox, "w@force.test");
    assert_eq!(each.len(), 2, "{each:?}");
    assert_eq!(
        each[0].subject,
        "[ohnet] New topic in Physiotherapists: Return to running"
    );
    assert!(
        mail_to(&mailbox, "d@force.test").is_empty(),
        "digest members wait"
    );
    assert!(mail_to(&mailbox, "n@force.test").is_empty());
    for actor in [&digest, &silent] {
        assert_eq!(
            forums.unread_notifications(actor).await.unwrap(),
            2,
            "notifications appear on the site whatever the email choice"
        );
    }

    let db = fx.services.db();
    let sent = domain::forums::send_digests(db, "http://ohnet.test", Utc::now())
        .await
        .unwrap();
    assert_eq!(sent, 1, "one digest: for the member who chose it");
    run_jobs(&fx, &mailbox).await;
    let digests = mail_to(&mailbox, "d@force.test");
    assert_eq!(digests.len(), 1);
    assert_eq!(digests[0].subject, "[ohnet] Your forum digest: 2 new posts");
    assert!(
        digests[0]
            .body
            .contains("started a topic in “Return to running”")
    );
    assert!(digests[0].list_unsubscribe.is_some());
    assert_eq!(
        domain::forums::send_digests(db, "http://ohnet.test", Utc::now())
            .await
            .unwrap(),
        0,
        "nothing goes twice"
    );
    assert!(mail_to(&mailbox, "n@force.test").is_empty());

    forums
        .watch_forum(&watcher, "physiotherapists", false)
        .await
        .unwrap();
    forums
        .start_topic(
            &author,
            "physiotherapists",
            &topic("Another topic", "More."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    assert_eq!(
        mail_to(&mailbox, "w@force.test").len(),
        2,
        "stopped watching the forum"
    );
}

#[tokio::test]
async fn the_unsubscribe_link_stops_forum_email_without_signing_in() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let accounts = &fx.services.accounts;
    let mailbox = Mailbox::default();
    let starter = member(&fx, "u@force.test", &[]).await;
    let other = member(&fx, "v@force.test", &[]).await;
    let topic_id = forums
        .start_topic(&starter, "general", &topic("Unsubscribing", "Opening."))
        .await
        .unwrap()
        .published()
        .unwrap();
    forums
        .reply(&other, topic_id, &reply("First."))
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    let link = mail_to(&mailbox, "u@force.test")[0]
        .list_unsubscribe
        .clone()
        .unwrap();
    let token = link.split("token=").nth(1).unwrap().to_owned();

    assert!(accounts.unsubscribe_link(&token).await.unwrap());
    accounts.stop_forum_email(&token).await.unwrap();
    accounts.stop_forum_email(&token).await.unwrap();
    assert!(!accounts.unsubscribe_link(&token).await.unwrap());
    assert_eq!(
        accounts
            .profile(&starter)
            .await
            .unwrap()
            .preferences
            .forum_email,
        ForumEmail::Off
    );
    forums
        .reply(&other, topic_id, &reply("Second."))
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    assert_eq!(mail_to(&mailbox, "u@force.test").len(), 1, "no more email");
    assert_eq!(
        forums.unread_notifications(&starter).await.unwrap(),
        2,
        "but the site still says"
    );

    let (id, signature) = token.split_once('.').unwrap();
    let other_id: i32 = id.parse::<i32>().unwrap() + 1;
    for forged in [
        format!("{other_id}.{signature}"),
        format!("{id}.{}", signature.replace('A', "B")),
        "garbage".to_owned(),
        String::new(),
    ] {
        if forged == token {
            continue;
        }
        assert!(matches!(
            accounts.stop_forum_email(&forged).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            accounts.unsubscribe_link(&forged).await,
            Err(Error::NotFound)
        ));
    }
}

#[tokio::test]
async fn cmo_posts_reach_only_current_members_of_the_group() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let mailbox = Mailbox::default();
    let chair = member(&fx, "chair@force.test", &["cmo"]).await;
    let leaver = member(&fx, "leaver@force.test", &["cmo"]).await;
    let outsider = member(&fx, "outsider@force.test", &["oh-managers"]).await;
    assert!(matches!(
        forums.watch_forum(&outsider, "cmo", true).await,
        Err(Error::NotFound)
    ));
    forums.watch_forum(&leaver, "cmo", true).await.unwrap();
    let topic_id = forums
        .start_topic(
            &chair,
            "cmo",
            &topic("canary7f3a9c2e briefing", "canary7f3a9c2e body"),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    assert_eq!(forums.unread_notifications(&leaver).await.unwrap(), 1);
    assert!(
        mail_to(&mailbox, "leaver@force.test")[0]
            .body
            .contains("canary7f3a9c2e body")
    );

    let db = fx.services.db();
    db.execute_unprepared(
        "DELETE FROM user_groups WHERE user_id = (SELECT id FROM users WHERE email = 'leaver@force.test')",
    )
    .await
    .unwrap();
    let leaver = fresh(&fx, "leaver@force.test").await;
    assert_eq!(
        forums.unread_notifications(&leaver).await.unwrap(),
        0,
        "the earlier notification is gone at once"
    );
    assert!(forums.notifications(&leaver).await.unwrap().is_empty());
    assert!(matches!(
        forums.watch_topic(&outsider, topic_id, true).await,
        Err(Error::NotFound)
    ));

    forums
        .reply(&chair, topic_id, &reply("canary7f3a9c2e reply"))
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    for address in ["leaver@force.test", "outsider@force.test"] {
        for mail in mail_to(&mailbox, address) {
            assert!(
                !mail.body.contains("canary7f3a9c2e reply"),
                "{address} got {mail:?}"
            );
        }
    }
    assert_eq!(mail_to(&mailbox, "leaver@force.test").len(), 1);
    assert!(mail_to(&mailbox, "outsider@force.test").is_empty());

    // The leaver chose the digest before leaving: it holds nothing from the CMO forum.
    choose(&fx, &leaver, ForumEmail::DailyDigest, true).await;
    db.execute_unprepared(
        "UPDATE notifications SET mailed_at = NULL WHERE user_id = (SELECT id FROM users WHERE email = 'leaver@force.test')",
    )
    .await
    .unwrap();
    domain::forums::send_digests(db, "http://ohnet.test", Utc::now())
        .await
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    assert_eq!(
        mail_to(&mailbox, "leaver@force.test").len(),
        1,
        "no digest of posts they may no longer read"
    );
}

#[tokio::test]
async fn a_mention_reaches_a_member_who_may_read_the_forum_and_nobody_else() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let accounts = &fx.services.accounts;
    let mailbox = Mailbox::default();
    let chair = member(&fx, "chair@force.test", &["cmo"]).await;
    let colleague = member(&fx, "colleague@force.test", &["cmo"]).await;
    let outsider = member(&fx, "outsider@force.test", &[]).await;

    // Handles come from names and are unique; each post shows its author's.
    let first = accounts
        .create_admin("sam1@force.test", "Sam Jones", "a long enough password")
        .await
        .unwrap();
    let second = accounts
        .create_admin("sam2@force.test", "Sam Jones", "a long enough password")
        .await
        .unwrap();
    let handles = fx
        .services
        .db()
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            format!("SELECT handle FROM users WHERE id IN ({first}, {second}) ORDER BY id"),
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get::<String>("", "handle").unwrap())
        .collect::<Vec<_>>();
    assert_eq!(handles, ["sam.jones", "sam.jones2"]);

    let suggestions = forums
        .mention_suggestions(&chair, "general", "person.o")
        .await
        .unwrap();
    assert_eq!(
        suggestions,
        [(
            "person.outsider.force.test".to_owned(),
            "Person outsider@force.test".to_owned()
        )]
    );
    assert!(
        forums
            .mention_suggestions(&chair, "cmo", "person.o")
            .await
            .unwrap()
            .is_empty(),
        "the CMO forum suggests only those who may read it"
    );
    assert_eq!(
        forums
            .mention_suggestions(&chair, "cmo", "@person.c")
            .await
            .unwrap()
            .len(),
        2,
        "the chair and the colleague"
    );
    assert!(matches!(
        forums.mention_suggestions(&outsider, "cmo", "person").await,
        Err(Error::NotFound)
    ));

    let open = forums
        .start_topic(
            &chair,
            "general",
            &topic("Open question", "Over to you, @Person.Outsider.Force.Test."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    let page = forums.topic_page(&chair, open, 1).await.unwrap();
    assert_eq!(
        page.posts[0].author_handle.as_deref(),
        Some("person.chair.force.test")
    );
    let private = forums
        .start_topic(
            &chair,
            "cmo",
            &topic(
                "canary7f3a9c2e mention",
                "canary7f3a9c2e: @person.outsider.force.test and @person.colleague.force.test",
            ),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    run_jobs(&fx, &mailbox).await;
    let told = forums.notifications(&outsider).await.unwrap();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].kind, NotificationKind::Mention);
    assert_eq!(told[0].topic, "Open question");
    for mail in mail_to(&mailbox, "outsider@force.test") {
        assert!(!mail.body.contains("canary7f3a9c2e"), "{mail:?}");
        assert!(!mail.subject.contains("canary7f3a9c2e"), "{mail:?}");
    }
    assert_eq!(mail_to(&mailbox, "outsider@force.test").len(), 1);
    let colleague_told = forums.notifications(&colleague).await.unwrap();
    assert_eq!(colleague_told.len(), 1);
    assert_eq!(
        (colleague_told[0].kind, colleague_told[0].post_id),
        (
            NotificationKind::Mention,
            forums.topic_page(&chair, private, 1).await.unwrap().posts[0].id
        )
    );
}

#[tokio::test]
async fn a_feed_shows_only_what_its_owner_may_read_and_stops_when_revoked() {
    use domain::forums::FeedChange;
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let db = fx.services.db();
    let insider = member(&fx, "insider@force.test", &["cmo"]).await;
    let outsider = member(&fx, "outsider@force.test", &[]).await;
    let open = forums
        .start_topic(
            &outsider,
            "general",
            &topic("Open topic", "Visible to all."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    let private = forums
        .start_topic(
            &insider,
            "cmo",
            &topic("canary7f3a9c2e plan", "canary7f3a9c2e text"),
        )
        .await
        .unwrap()
        .published()
        .unwrap();

    assert_eq!(
        forums.feed_token(&insider).await.unwrap(),
        None,
        "off at first"
    );
    forums
        .change_feeds(&insider, FeedChange::TurnOn)
        .await
        .unwrap();
    forums
        .change_feeds(&outsider, FeedChange::TurnOn)
        .await
        .unwrap();
    let inside = forums.feed_token(&insider).await.unwrap().unwrap();
    let outside = forums.feed_token(&outsider).await.unwrap().unwrap();

    let feed = forums.forum_feed(&inside, "cmo").await.unwrap();
    assert_eq!(feed.page, "/forums/cmo");
    assert!(feed.entries[0].body_html.contains("canary7f3a9c2e text"));
    assert_eq!(
        forums
            .topic_feed(&inside, "cmo", private)
            .await
            .unwrap()
            .entries
            .len(),
        1
    );
    for refused in [
        forums.forum_feed(&outside, "cmo").await,
        forums.topic_feed(&outside, "cmo", private).await,
        forums.topic_feed(&outside, "general", private).await,
        forums.forum_feed("1.forged", "general").await,
        forums.forum_feed("", "general").await,
    ] {
        assert!(matches!(refused, Err(Error::NotFound)), "{refused:?}");
    }
    let general = forums.forum_feed(&outside, "general").await.unwrap();
    assert!(
        general
            .entries
            .iter()
            .any(|entry| entry.topic == "Open topic")
    );
    assert!(
        general
            .entries
            .iter()
            .all(|entry| !entry.body_html.contains("canary7f3a9c2e"))
    );
    assert!(forums.topic_feed(&outside, "general", open).await.is_ok());

    // Leaving the group closes the private feed at once.
    db.execute_unprepared(
        "DELETE FROM user_groups WHERE user_id = (SELECT id FROM users WHERE email = 'insider@force.test')",
    )
    .await
    .unwrap();
    assert!(matches!(
        forums.forum_feed(&inside, "cmo").await,
        Err(Error::NotFound)
    ));
    assert!(forums.forum_feed(&inside, "general").await.is_ok());

    // Replacing the addresses stops the old ones; turning feeds off stops every one.
    forums
        .change_feeds(&outsider, FeedChange::Renew)
        .await
        .unwrap();
    let renewed = forums.feed_token(&outsider).await.unwrap().unwrap();
    assert_ne!(renewed, outside);
    assert!(matches!(
        forums.forum_feed(&outside, "general").await,
        Err(Error::NotFound)
    ));
    assert!(forums.forum_feed(&renewed, "general").await.is_ok());
    forums
        .change_feeds(&outsider, FeedChange::TurnOff)
        .await
        .unwrap();
    assert_eq!(forums.feed_token(&outsider).await.unwrap(), None);
    assert!(matches!(
        forums.forum_feed(&renewed, "general").await,
        Err(Error::NotFound)
    ));
    forums
        .change_feeds(&outsider, FeedChange::TurnOn)
        .await
        .unwrap();
    assert!(
        matches!(
            forums.forum_feed(&renewed, "general").await,
            Err(Error::NotFound)
        ),
        "turning feeds on again makes new addresses, not the old ones"
    );

    // A suspended member's feed stops too.
    db.execute_unprepared(
        "UPDATE users SET status = 'suspended' WHERE email = 'insider@force.test'",
    )
    .await
    .unwrap();
    assert!(matches!(
        forums.forum_feed(&inside, "general").await,
        Err(Error::NotFound)
    ));
}
