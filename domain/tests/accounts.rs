//! Membership against a real migrated SQLite file: applying, confirming, approval, sign-in,
//! sessions, and who may do what.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

use std::sync::{Arc, Mutex};

use domain::accounts::{
    AccountSettings, Actor, MemberStatus, Registration, RequestOrigin, Role, SIGN_IN_FAILED,
};
use domain::mail::{DeliveredMail, Mailer};
use domain::{DomainSettings, Error, Services};

struct Fixture {
    services: Services,
    mailbox: Arc<Mutex<Vec<DeliveredMail>>>,
    _temp: tempfile::TempDir,
}

impl Fixture {
    async fn new(auto_approve: &[&str]) -> Self {
        let temp = tempfile::tempdir().unwrap();
        let url = format!(
            "sqlite://{}?mode=rwc",
            temp.path().join("t.sqlite").display()
        );
        let db = domain::db::connect(&url).await.unwrap();
        domain::db::migrate(&db).await.unwrap();
        let settings = DomainSettings {
            accounts: AccountSettings {
                base_url: "https://ohnet.test".into(),
                auto_approve_domains: auto_approve.iter().map(|d| (*d).to_owned()).collect(),
            },
            ..Default::default()
        };
        Fixture {
            services: Services::new(db, settings),
            mailbox: Arc::default(),
            _temp: temp,
        }
    }

    async fn deliver(&self) -> Vec<DeliveredMail> {
        let mailer = Mailer::Memory(self.mailbox.clone());
        domain::mail::deliver_due(self.services.db(), &mailer, 100)
            .await
            .unwrap();
        self.mailbox.lock().unwrap().clone()
    }

    async fn token_sent_to(&self, email: &str) -> String {
        let mail = self.deliver().await;
        let message = mail
            .iter()
            .rev()
            .find(|m| m.to == email && m.subject.contains("Confirm"))
            .expect("confirmation mail");
        message
            .body
            .split("token=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    }

    async fn admin(&self) -> Actor {
        self.services
            .accounts
            .create_admin("admin@ohnet.test", "Admin", "admin password 123")
            .await
            .unwrap();
        self.services
            .accounts
            .sign_in(
                "admin@ohnet.test",
                "admin password 123",
                &RequestOrigin::default(),
            )
            .await
            .map(|signed| Actor::Member(signed.member))
            .unwrap()
    }
}

fn application(email: &str) -> Registration {
    Registration {
        name: "Sam Nurse".into(),
        email: email.into(),
        password: "a long enough password".into(),
        profession: "oh-nurse".into(),
        organisation: "kent".into(),
        regulator: "nmc".into(),
        registration_number: "12A3456E".into(),
        groups: vec!["oh-managers".into(), "cmo".into()],
    }
}

#[tokio::test]
async fn apply_confirm_approve_and_sign_in() {
    let fx = Fixture::new(&[]).await;
    let origin = RequestOrigin::default();
    fx.services
        .accounts
        .register(application(" Sam@Force.test "), &origin)
        .await
        .unwrap();

    // Not confirmed yet: cannot sign in.
    let early = fx
        .services
        .accounts
        .sign_in("sam@force.test", "a long enough password", &origin)
        .await;
    assert!(
        matches!(early, Err(Error::InvalidFields(ref p)) if p[0].message.contains("Confirm your email"))
    );

    let token = fx.token_sent_to("sam@force.test").await;
    assert_eq!(
        fx.services.accounts.verify_email(&token).await.unwrap(),
        MemberStatus::Pending
    );
    assert!(
        fx.services.accounts.verify_email(&token).await.is_err(),
        "links are single-use"
    );

    let signed = fx
        .services
        .accounts
        .sign_in("SAM@force.test", "a long enough password", &origin)
        .await
        .unwrap();
    let actor = fx
        .services
        .accounts
        .actor_for_session(&signed.token)
        .await
        .unwrap();
    let applicant_id = actor.member().unwrap().id;
    assert_eq!(actor.member().unwrap().status, MemberStatus::Pending);
    assert!(matches!(
        fx.services.accounts.members(&actor, None).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        fx.services
            .accounts
            .approve(&actor, applicant_id, &origin)
            .await,
        Err(Error::Forbidden)
    ));

    let admin = fx.admin().await;
    let pending = fx
        .services
        .accounts
        .members(&admin, Some(MemberStatus::Pending))
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].organisation, "Kent Police");
    fx.services
        .accounts
        .approve(&admin, applicant_id, &origin)
        .await
        .unwrap();
    assert!(matches!(
        fx.services
            .accounts
            .approve(&admin, applicant_id, &origin)
            .await,
        Err(Error::Conflict(_))
    ));

    let actor = fx
        .services
        .accounts
        .actor_for_session(&signed.token)
        .await
        .unwrap();
    let member = actor.member().unwrap();
    assert_eq!(member.status, MemberStatus::Active);
    assert!(actor.in_group("oh-managers") && actor.in_group("cmo"));

    let audit = fx.services.audit.entries(&admin, 0).await.unwrap();
    assert_eq!(audit[0].action, "member.approve");
    assert_eq!(audit[0].actor_name, "Admin");
    assert!(matches!(
        fx.services.audit.entries(&actor, 0).await,
        Err(Error::Forbidden)
    ));

    let mail = fx.deliver().await;
    assert!(
        mail.iter()
            .any(|m| m.to == "sam@force.test" && m.subject.contains("approved"))
    );

    fx.services.accounts.sign_out(&signed.token).await.unwrap();
    assert_eq!(
        fx.services
            .accounts
            .actor_for_session(&signed.token)
            .await
            .unwrap(),
        Actor::Anonymous
    );
}

#[tokio::test]
async fn sign_in_failures_do_not_reveal_who_is_a_member() {
    let fx = Fixture::new(&[]).await;
    fx.admin().await;
    let origin = RequestOrigin::default();
    for (email, password) in [
        ("admin@ohnet.test", "wrong password!"),
        ("nobody@ohnet.test", "whatever it is"),
    ] {
        let Err(Error::InvalidFields(problems)) =
            fx.services.accounts.sign_in(email, password, &origin).await
        else {
            panic!("must fail");
        };
        assert_eq!(problems[0].message, SIGN_IN_FAILED);
    }

    // Applying again with a member's address looks the same, but mails the member instead.
    fx.services
        .accounts
        .register(application("admin@ohnet.test"), &origin)
        .await
        .unwrap();
    let mail = fx.deliver().await;
    assert_eq!(
        mail.last().unwrap().subject,
        "You already have an ohnet account"
    );
}

#[tokio::test]
async fn allow_listed_domains_are_approved_on_confirmation_and_audited() {
    let fx = Fixture::new(&["force.test"]).await;
    fx.services
        .accounts
        .register(application("lee@force.test"), &RequestOrigin::default())
        .await
        .unwrap();
    let token = fx.token_sent_to("lee@force.test").await;
    assert_eq!(
        fx.services.accounts.verify_email(&token).await.unwrap(),
        MemberStatus::Active
    );
    let admin = fx.admin().await;
    let audit = fx.services.audit.entries(&admin, 0).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|entry| entry.action == "member.auto-approve")
    );
}

#[tokio::test]
async fn decline_needs_a_reason_and_an_administrator() {
    let fx = Fixture::new(&[]).await;
    let origin = RequestOrigin::default();
    fx.services
        .accounts
        .register(application("kim@force.test"), &origin)
        .await
        .unwrap();
    let token = fx.token_sent_to("kim@force.test").await;
    fx.services.accounts.verify_email(&token).await.unwrap();
    let admin = fx.admin().await;
    let id = fx
        .services
        .accounts
        .members(&admin, Some(MemberStatus::Pending))
        .await
        .unwrap()[0]
        .id;
    assert!(matches!(
        fx.services
            .accounts
            .decline(&Actor::Anonymous, id, "no", &origin)
            .await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        fx.services
            .accounts
            .decline(&admin, id, "   ", &origin)
            .await,
        Err(Error::InvalidFields(_))
    ));
    fx.services
        .accounts
        .decline(&admin, id, "Not an OH role", &origin)
        .await
        .unwrap();
    let declined = fx
        .services
        .accounts
        .members(&admin, Some(MemberStatus::Declined))
        .await
        .unwrap();
    assert_eq!(declined[0].role, Role::Member);
    let mail = fx.deliver().await;
    assert!(
        mail.iter()
            .any(|m| m.to == "kim@force.test" && m.body.contains("Not an OH role"))
    );
    let signed_in = fx
        .services
        .accounts
        .sign_in("kim@force.test", "a long enough password", &origin)
        .await;
    assert!(signed_in.is_err(), "declined applicants cannot sign in");
}
