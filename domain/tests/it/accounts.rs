//! Membership against a real migrated SQLite file: applying, confirming, approval, sign-in,
//! sessions, and who may do what.

use std::sync::{Arc, Mutex};

use domain::accounts::{
    AccountSettings, Actor, EmailPreferences, ForumEmail, MemberDetails, MemberFilter,
    MemberStatus, Registration, RequestOrigin, Role, SIGN_IN_FAILED,
};
use domain::jobs::{JobContext, JobRunner, RunnerSettings};
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
        let url = crate::database_url(temp.path()).await;
        let db = domain::db::connect(&url).await.unwrap();
        domain::db::migrate(&db).await.unwrap();
        let settings = DomainSettings {
            accounts: AccountSettings {
                base_url: "https://ohnet.test".into(),
                auto_approve_domains: auto_approve.iter().map(|d| (*d).to_owned()).collect(),
                sso: None,
            },
            ..Default::default()
        };
        Fixture {
            services: Services::new(db, settings).unwrap(),
            mailbox: Arc::default(),
            _temp: temp,
        }
    }

    async fn deliver(&self) -> Vec<DeliveredMail> {
        let db = self.services.db().clone();
        let mailer = Mailer::Memory(self.mailbox.clone());
        JobRunner::new(
            db.clone(),
            JobContext::new(db, mailer, "http://ohnet.test"),
            RunnerSettings::default(),
        )
        .run_due(chrono::Utc::now())
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
        fx.services
            .accounts
            .members(&actor, &MemberFilter::default())
            .await,
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
        .members(
            &admin,
            &MemberFilter {
                status: Some(MemberStatus::Pending),
                ..MemberFilter::default()
            },
        )
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
        .members(
            &admin,
            &MemberFilter {
                status: Some(MemberStatus::Pending),
                ..MemberFilter::default()
            },
        )
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
        .members(
            &admin,
            &MemberFilter {
                status: Some(MemberStatus::Declined),
                ..MemberFilter::default()
            },
        )
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

/// Applies, confirms and approves `email`; answers the member's actor and session token.
async fn approved_member(fx: &Fixture, admin: &Actor, email: &str) -> (Actor, String) {
    let origin = RequestOrigin::default();
    fx.services
        .accounts
        .register(application(email), &origin)
        .await
        .unwrap();
    let token = fx.token_sent_to(email).await;
    fx.services.accounts.verify_email(&token).await.unwrap();
    let id = fx
        .services
        .accounts
        .members(
            admin,
            &MemberFilter {
                text: Some(email.into()),
                status: Some(MemberStatus::Pending),
                ..MemberFilter::default()
            },
        )
        .await
        .unwrap()[0]
        .id;
    fx.services
        .accounts
        .approve(admin, id, &origin)
        .await
        .unwrap();
    let signed = fx
        .services
        .accounts
        .sign_in(email, "a long enough password", &origin)
        .await
        .unwrap();
    (Actor::Member(signed.member), signed.token)
}

#[tokio::test]
async fn members_edit_their_profile_and_email_choices() {
    let fx = Fixture::new(&[]).await;
    let admin = fx.admin().await;
    let (member, _) = approved_member(&fx, &admin, "sam@force.test").await;
    let accounts = &fx.services.accounts;

    let blank = MemberDetails::default();
    let Err(Error::InvalidFields(problems)) = accounts.update_profile(&member, &blank).await else {
        panic!("a blank profile must be refused");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["name", "profession", "organisation", "regulator"]);
    assert_eq!(
        accounts.profile(&member).await.unwrap().name,
        "Sam Nurse",
        "nothing half-saved"
    );

    let details = MemberDetails {
        name: "Sam Physio".into(),
        profession: "physiotherapist".into(),
        organisation: "essex".into(),
        regulator: "hcpc".into(),
        registration_number: "PH12345".into(),
    };
    accounts.update_profile(&member, &details).await.unwrap();
    let choices = EmailPreferences {
        newsletters: false,
        forum_email: ForumEmail::DailyDigest,
        watch_own_topics: false,
        events: false,
    };
    accounts
        .set_email_preferences(&member, choices)
        .await
        .unwrap();
    let profile = accounts.profile(&member).await.unwrap();
    assert_eq!(
        (
            profile.name.as_str(),
            profile.profession.as_str(),
            profile.organisation.as_str()
        ),
        ("Sam Physio", "physiotherapist", "essex")
    );
    assert_eq!(profile.registration_number, "PH12345");
    assert_eq!(profile.preferences, choices);
    assert!(matches!(
        accounts.profile(&Actor::Anonymous).await,
        Err(Error::Unauthenticated)
    ));
}

#[tokio::test]
async fn closing_an_account_erases_personal_data_and_ends_sessions() {
    let fx = Fixture::new(&[]).await;
    let admin = fx.admin().await;
    let (member, token) = approved_member(&fx, &admin, "sam@force.test").await;
    let accounts = &fx.services.accounts;

    let Err(Error::InvalidFields(problems)) = accounts
        .close_account(&member, false, "wrong password")
        .await
    else {
        panic!("closing needs confirmation and the password");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["confirm", "password"]);
    assert!(matches!(
        accounts.actor_for_session(&token).await.unwrap(),
        Actor::Member(_)
    ));

    accounts
        .close_account(&member, true, "a long enough password")
        .await
        .unwrap();
    assert_eq!(
        accounts.actor_for_session(&token).await.unwrap(),
        Actor::Anonymous,
        "every session ends"
    );
    let failed = accounts
        .sign_in(
            "sam@force.test",
            "a long enough password",
            &RequestOrigin::default(),
        )
        .await;
    assert!(matches!(failed, Err(Error::InvalidFields(ref p)) if p[0].message == SIGN_IN_FAILED));
    let closed = accounts
        .members(
            &admin,
            &MemberFilter {
                status: Some(MemberStatus::Closed),
                ..MemberFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].name, "Former member");
    assert!(
        !closed[0].email.contains("sam"),
        "email erased: {}",
        closed[0].email
    );
    assert!(closed[0].groups.is_empty(), "groups left");
    assert!(
        !closed[0].registration.contains("12A3456E"),
        "registration erased"
    );
    // The address is free to apply again.
    accounts
        .register(application("sam@force.test"), &RequestOrigin::default())
        .await
        .unwrap();
    assert!(fx.token_sent_to("sam@force.test").await.len() > 20);

    let Err(Error::Conflict(_)) = accounts
        .close_account(&admin, true, "admin password 123")
        .await
    else {
        panic!("an administrator cannot close their own account");
    };
}

#[tokio::test]
async fn administrators_find_members_and_manage_groups_roles_and_scopes() {
    let fx = Fixture::new(&[]).await;
    let admin = fx.admin().await;
    let (member, _) = approved_member(&fx, &admin, "sam@force.test").await;
    approved_member(&fx, &admin, "alex@other.test").await;
    let accounts = &fx.services.accounts;
    let origin = RequestOrigin::default();
    let find = |filter: MemberFilter| emails(&fx, &admin, filter);
    assert_eq!(
        find(MemberFilter {
            text: Some("ALEX".into()),
            ..MemberFilter::default()
        })
        .await,
        ["alex@other.test"]
    );
    assert_eq!(
        find(MemberFilter {
            group: Some("cmo".into()),
            ..MemberFilter::default()
        })
        .await,
        ["alex@other.test", "sam@force.test"],
        "both asked to join the CMO group"
    );
    assert!(
        find(MemberFilter {
            organisation: Some("essex".into()),
            ..MemberFilter::default()
        })
        .await
        .is_empty()
    );

    let sam = accounts
        .members(
            &admin,
            &MemberFilter {
                text: Some("sam@".into()),
                ..MemberFilter::default()
            },
        )
        .await
        .unwrap()
        .remove(0);
    accounts
        .set_groups(&admin, sam.id, &["physiotherapists".to_owned()], &origin)
        .await
        .unwrap();
    let sam_groups: Vec<(String, bool)> = accounts
        .members(
            &admin,
            &MemberFilter {
                text: Some("sam@".into()),
                ..MemberFilter::default()
            },
        )
        .await
        .unwrap()[0]
        .groups
        .iter()
        .map(|g| (g.slug.clone(), g.joined))
        .collect();
    assert_eq!(sam_groups, [("physiotherapists".to_owned(), true)]);
    assert!(matches!(
        accounts.set_groups(&member, sam.id, &[], &origin).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        accounts
            .set_groups(&admin, sam.id, &["no-such-group".to_owned()], &origin)
            .await,
        Err(Error::InvalidFields(_))
    ));

    accounts
        .set_role(&admin, sam.id, "moderator", "physiotherapists", &origin)
        .await
        .unwrap();
    let signed = accounts
        .sign_in("sam@force.test", "a long enough password", &origin)
        .await
        .unwrap();
    let moderator = Actor::Member(signed.member);
    assert!(moderator.can_moderate(Some("physiotherapists")));
    assert!(!moderator.can_moderate(Some("cmo")));
    assert!(matches!(
        accounts
            .set_role(&admin, sam.id, "moderator", "nowhere", &origin)
            .await,
        Err(Error::InvalidFields(ref p)) if p[0].field == "moderates"
    ));

    let actions: Vec<String> = fx
        .services
        .audit
        .entries(&admin, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| format!("{} {}", entry.action, entry.detail))
        .collect();
    assert!(
        actions
            .iter()
            .any(|a| a.starts_with("member.groups") && a.contains("added to Physiotherapists")),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|a| a.contains("member → moderator (forum: physiotherapists)")),
        "{actions:?}"
    );
}

async fn emails(fx: &Fixture, admin: &Actor, filter: MemberFilter) -> Vec<String> {
    fx.services
        .accounts
        .members(admin, &filter)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.email)
        .collect()
}

#[tokio::test]
async fn administrators_keep_the_auto_approve_allow_list() {
    let fx = Fixture::new(&["configured.police.uk"]).await;
    let admin = fx.admin().await;
    let accounts = &fx.services.accounts;
    let origin = RequestOrigin::default();
    for bad in ["", "no-dot", "a b.uk", "x@y.uk"] {
        assert!(
            matches!(
                accounts.add_allowed_domain(&admin, bad, &origin).await,
                Err(Error::InvalidFields(ref p)) if p[0].field == "domain"
            ),
            "{bad:?} must be refused"
        );
    }
    accounts
        .add_allowed_domain(&admin, "@Kent.Police.UK", &origin)
        .await
        .unwrap();
    assert!(matches!(
        accounts
            .add_allowed_domain(&admin, "kent.police.uk", &origin)
            .await,
        Err(Error::InvalidFields(_))
    ));
    let listed: Vec<(String, bool)> = accounts
        .allowed_domains(&admin)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.domain, d.added_by.is_some()))
        .collect();
    assert_eq!(
        listed,
        [
            ("configured.police.uk".to_owned(), false),
            ("kent.police.uk".to_owned(), true)
        ]
    );

    accounts
        .register(application("pat@kent.police.uk"), &origin)
        .await
        .unwrap();
    let token = fx.token_sent_to("pat@kent.police.uk").await;
    assert_eq!(
        accounts.verify_email(&token).await.unwrap(),
        MemberStatus::Active
    );

    accounts
        .remove_allowed_domain(&admin, "kent.police.uk", &origin)
        .await
        .unwrap();
    assert!(matches!(
        accounts
            .remove_allowed_domain(&admin, "configured.police.uk", &origin)
            .await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        accounts.allowed_domains(&Actor::Anonymous).await,
        Err(Error::Unauthenticated)
    ));
}

/// Two "processes" (two sets of services, each with its own in-memory limiters) on one
/// database share the per-account limits: failed sign-ins on either add up, a correct password
/// clears them, and reset requests are counted the same way.
#[tokio::test]
async fn account_limits_are_shared_by_every_process_on_the_database() {
    let fx = Fixture::new(&[]).await;
    let first = &fx.services;
    let second = Services::new(first.db().clone(), DomainSettings::default()).unwrap();
    first
        .accounts
        .create_admin("held@force.test", "Held Person", "a long enough password")
        .await
        .unwrap();
    let origin = RequestOrigin::default();
    let wrong = |services: &Services| {
        let accounts = services.accounts.clone();
        let origin = origin.clone();
        async move {
            accounts
                .sign_in("Held@force.test", "wrong guess", &origin)
                .await
        }
    };
    // Four failures alternate between the processes; a correct password clears the count.
    for attempt in 0..4 {
        let services = if attempt % 2 == 0 { first } else { &second };
        assert!(matches!(
            wrong(services).await,
            Err(Error::InvalidFields(_))
        ));
    }
    second
        .accounts
        .sign_in("held@force.test", "a long enough password", &origin)
        .await
        .unwrap();
    // Five failures in a row, split between the processes: the sixth attempt is refused on
    // either, even with the right password.
    for attempt in 0..5 {
        let services = if attempt % 2 == 0 { &second } else { first };
        assert!(matches!(
            wrong(services).await,
            Err(Error::InvalidFields(_))
        ));
    }
    for services in [first, &second] {
        assert!(matches!(
            services
                .accounts
                .sign_in("held@force.test", "a long enough password", &origin)
                .await,
            Err(Error::RateLimited)
        ));
    }
    // Another account is not affected, and nor is an address nobody has.
    first
        .accounts
        .create_admin("other@force.test", "Other Person", "a long enough password")
        .await
        .unwrap();
    second
        .accounts
        .sign_in("other@force.test", "a long enough password", &origin)
        .await
        .unwrap();

    // Reset requests: five an hour per address, whichever process takes them.
    for attempt in 0..5 {
        let services = if attempt % 2 == 0 { first } else { &second };
        services
            .accounts
            .request_password_reset("other@force.test", &origin)
            .await
            .unwrap();
    }
    assert!(matches!(
        first
            .accounts
            .request_password_reset("other@force.test", &origin)
            .await,
        Err(Error::RateLimited)
    ));
}
