//! Each node's node cache against a real database: a node answers from it once its follower
//! trusts it, forgets what another node (or any writer) changed once it catches up with the
//! change log, forgets its own sign-outs and reads at once, and keeps nothing while no follower
//! vouches for it.

use domain::accounts::{Actor, RequestOrigin};
use domain::{DomainSettings, Services};
use sea_orm::ConnectionTrait;

use super::forums::{fixture, member, reply, topic};

const PASSWORD: &str = "a long enough password";

async fn session_of(services: &Services, email: &str) -> String {
    services
        .accounts
        .sign_in(email, PASSWORD, &RequestOrigin::default())
        .await
        .unwrap()
        .token
}

fn groups(actor: &Actor) -> Vec<String> {
    actor.member().map(|m| m.groups.clone()).unwrap_or_default()
}

/// The actor `services` resolve `token` to.
async fn actor(services: &Services, token: &str) -> Actor {
    services.accounts.actor_for_session(token).await.unwrap()
}

#[tokio::test]
async fn a_node_answers_from_its_cache_and_forgets_what_another_node_changed() {
    let fx = fixture().await;
    let node_a = &fx.services;
    let node_b = Services::new(node_a.db().clone(), DomainSettings::default()).unwrap();
    let db = node_a.db();
    let starter = member(&fx, "starter@force.test", &[]).await;
    let replier = member(&fx, "replier@force.test", &[]).await;
    let admin_id = node_a
        .accounts
        .create_admin("admin@force.test", "An Administrator", PASSWORD)
        .await
        .unwrap();
    let admin = Actor::Member(
        node_a
            .accounts
            .sign_in("admin@force.test", PASSWORD, &RequestOrigin::default())
            .await
            .unwrap()
            .member,
    );
    assert!(admin_id > 0);
    let token = session_of(node_a, "starter@force.test").await;
    let starter_id = starter.member().unwrap().id;
    let topic_id = node_a
        .forums
        .start_topic(
            &starter,
            "general",
            &topic("Night shifts", "How do you plan?"),
        )
        .await
        .unwrap()
        .published()
        .unwrap();

    node_a.node_cache.catch_up_and_trust(db).await.unwrap();
    let seen = actor(node_a, &token).await;
    assert_eq!(seen.member().map(|m| m.id), Some(starter_id));
    assert_eq!(node_a.forums.unread_notifications(&seen).await.unwrap(), 0);
    assert_eq!(
        node_a.node_cache.len(),
        2,
        "the session and the count are kept"
    );

    // Another node adds the member to a group and a reply notifies them: node A answers from
    // its cache until it reads the change log, then sees both.
    db.execute_unprepared(&format!(
        "INSERT INTO user_groups (user_id, group_id, status, created_at) \
         SELECT {starter_id}, id, 'member', (SELECT created_at FROM users WHERE id = {starter_id}) \
         FROM groups WHERE slug = 'cmo'"
    ))
    .await
    .unwrap();
    node_b
        .forums
        .reply(&replier, topic_id, &reply("We plan four weeks ahead."))
        .await
        .unwrap();
    super::attachment_text::run_jobs(node_a).await;
    let cached = actor(node_a, &token).await;
    assert!(
        !groups(&cached).contains(&"cmo".to_owned()),
        "served from the cache"
    );
    assert_eq!(
        node_a.forums.unread_notifications(&cached).await.unwrap(),
        0
    );
    assert!(node_a.node_cache.catch_up_and_trust(db).await.unwrap() > 0);
    let fresh = actor(node_a, &token).await;
    assert!(groups(&fresh).contains(&"cmo".to_owned()), "{fresh:?}");
    assert_eq!(node_a.forums.unread_notifications(&fresh).await.unwrap(), 1);

    // Reading the notifications on node A forgets the count there at once.
    node_a.forums.mark_notifications_read(&fresh).await.unwrap();
    assert_eq!(node_a.forums.unread_notifications(&fresh).await.unwrap(), 0);

    // Suspended through node B: node A signs the member out once it catches up.
    node_b
        .accounts
        .suspend(&admin, starter_id, &RequestOrigin::default())
        .await
        .unwrap();
    node_a.node_cache.catch_up_and_trust(db).await.unwrap();
    assert_eq!(actor(node_a, &token).await, Actor::Anonymous);
}

#[tokio::test]
async fn signing_out_on_a_node_ends_the_session_there_at_once() {
    let fx = fixture().await;
    let node = &fx.services;
    member(&fx, "leaver@force.test", &[]).await;
    let token = session_of(node, "leaver@force.test").await;
    node.node_cache.catch_up_and_trust(node.db()).await.unwrap();
    assert!(actor(node, &token).await.member().is_some());
    assert_eq!(node.node_cache.len(), 1);
    node.accounts.sign_out(&token).await.unwrap();
    assert_eq!(actor(node, &token).await, Actor::Anonymous);
}

#[tokio::test]
async fn a_cache_no_follower_vouches_for_keeps_nothing() {
    let fx = fixture().await;
    let node = &fx.services;
    let reader = member(&fx, "reader@force.test", &[]).await;
    let token = session_of(node, "reader@force.test").await;
    // Catching up (as a request that wrote does) is not vouching: only the follower trusts.
    node.node_cache.catch_up(node.db()).await.unwrap();
    assert!(actor(node, &token).await.member().is_some());
    assert_eq!(node.forums.unread_notifications(&reader).await.unwrap(), 0);
    assert!(node.node_cache.is_empty());
    // So a change is seen at once, as without a cache.
    node.db()
        .execute_unprepared(
            "UPDATE users SET status = 'suspended' WHERE email = 'reader@force.test'",
        )
        .await
        .unwrap();
    assert_eq!(actor(node, &token).await, Actor::Anonymous);
}

#[tokio::test]
async fn a_lesson_is_answered_from_the_cache_and_follows_its_module_and_the_learners_progress() {
    use super::learning::{MODULE, fixture as learning_fixture, member as learner};
    let fx = learning_fixture().await;
    let node_a = &fx.services;
    let node_b = Services::new(node_a.db().clone(), DomainSettings::default()).unwrap();
    let db = node_a.db();
    let member = learner(&fx, "learner@force.test").await;
    let first = "fitness-for-duty-in-policing";
    node_a.node_cache.catch_up_and_trust(db).await.unwrap();
    let opened = node_a
        .learning
        .lesson(&member, MODULE, first)
        .await
        .unwrap();
    assert!(!opened.done);
    let second = opened.next.clone().unwrap().0;
    // Opening it recorded the resume point, so the progress was read again; the same lesson
    // again writes nothing and is kept.
    node_a
        .learning
        .lesson(&member, MODULE, first)
        .await
        .unwrap();
    assert_eq!(
        node_a.node_cache.len(),
        2,
        "the module and the progress are kept"
    );

    // Finished on another node, and the lesson renamed by any writer: node A answers from its
    // cache until it reads the change log.
    node_b
        .learning
        .complete_lesson(&member, MODULE, first)
        .await
        .unwrap();
    db.execute_unprepared(&format!(
        "UPDATE module_lessons SET title = 'Fitness for duty, renamed' WHERE slug = '{first}'"
    ))
    .await
    .unwrap();
    let cached = node_a
        .learning
        .lesson(&member, MODULE, first)
        .await
        .unwrap();
    assert!(!cached.done, "served from the cache");
    assert_ne!(cached.title, "Fitness for duty, renamed");
    node_a.node_cache.catch_up_and_trust(db).await.unwrap();
    let fresh = node_a
        .learning
        .lesson(&member, MODULE, first)
        .await
        .unwrap();
    assert!(fresh.done);
    assert_eq!(fresh.title, "Fitness for duty, renamed");

    // Node A's own writes apply at once: opening the next lesson moves the resume point, and
    // finishing it marks it done.
    node_a
        .learning
        .lesson(&member, MODULE, &second)
        .await
        .unwrap();
    node_a
        .learning
        .complete_lesson(&member, MODULE, &second)
        .await
        .unwrap();
    assert!(
        node_a
            .learning
            .lesson(&member, MODULE, &second)
            .await
            .unwrap()
            .done
    );
}
