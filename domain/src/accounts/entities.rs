//! The accounts tables: users, groups, memberships, sessions and single-use email tokens.

/// `users`: one row per person who applied, with their status and role.
pub mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub email: String,
        pub name: String,
        pub password_hash: String,
        pub profession: String,
        pub organisation: String,
        pub regulator: String,
        pub registration_number: Option<String>,
        pub status: String,
        pub role: String,
        pub decline_reason: Option<String>,
        pub created_at: DateTimeUtc,
        pub verified_at: Option<DateTimeUtc>,
        pub decided_at: Option<DateTimeUtc>,
        /// For a moderator: the group (slug) they moderate; `None` moderates every forum.
        pub moderates_group: Option<String>,
        /// Wants newsletters by email.
        pub email_newsletters: bool,
        /// Forum email: `each` post, a `daily` digest, or `off`.
        pub forum_email: String,
        /// Watches the topics they start or reply to.
        pub watch_own_topics: bool,
        /// Wants reminders of events they registered for.
        pub email_events: bool,
        /// When the member closed their account (personal data erased).
        pub closed_at: Option<DateTimeUtc>,
        /// Standing grants beyond the role, comma-separated stored forms (`force-assessor`).
        pub grants: String,
        /// The unique name the member is mentioned by (`jane.smith`); none once closed.
        pub handle: Option<String>,
        /// Signed into feed addresses; moved on to revoke every address given out.
        pub feed_generation: i32,
        /// The member's feed addresses work.
        pub feeds_enabled: bool,
        /// The day the member's current CPD cycle ends (revalidation, renewal, appraisal).
        pub cpd_cycle_ends_on: Option<Date>,
        /// The member's own yearly CPD target (medical appraisal), in minutes.
        pub cpd_target_minutes: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `groups`: the professional groups (seeded by migration).
pub mod group {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "groups")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub slug: String,
        pub name: String,
        pub private: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `user_groups`: a member's requested or approved place in a group.
pub mod user_group {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_groups")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub group_id: i32,
        /// `requested` or `member`.
        pub status: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `sessions`: signed-in browsers; the cookie holds a token whose SHA-256 is stored here.
pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub user_id: i32,
        pub created_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub user_agent: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `email_tokens`: single-use, expiring links sent by email (verification, password reset).
pub mod email_token {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "email_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub user_id: i32,
        /// `verify-email` or `reset-password`.
        pub purpose: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `auto_approve_domains`: email domains added by administrators whose applicants are approved
/// once their address is confirmed (beside those in configuration).
pub mod auto_approve_domain {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "auto_approve_domains")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub domain: String,
        pub added_by: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `user_identities`: an OpenID Connect identity (issuer + subject) linked to a member.
pub mod user_identity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_identities")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub issuer: String,
        pub subject: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `sso_attempts`: a single sign-on in progress. The browser holds a token whose SHA-256 is
/// stored here; after the provider answers, the verified identity waits here while a newcomer
/// fills in the application form.
pub mod sso_attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sso_attempts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub state: String,
        pub nonce: String,
        pub pkce_verifier: String,
        pub return_to: String,
        pub created_at: DateTimeUtc,
        pub issuer: Option<String>,
        pub subject: Option<String>,
        pub email: Option<String>,
        pub name: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
