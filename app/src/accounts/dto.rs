//! What the browser receives about accounts.

use serde::{Deserialize, Serialize};

/// The choices offered on the application form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationChoices {
    /// (value, label) professions.
    pub professions: Vec<(String, String)>,
    /// (value, label) organisations: the forces, then "other".
    pub organisations: Vec<(String, String)>,
    /// (value, label) regulators.
    pub regulators: Vec<(String, String)>,
    /// (slug, name) groups.
    pub groups: Vec<(String, String)>,
}

/// The signed-in person's own account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// True once an administrator has approved the application.
    pub approved: bool,
    /// True for administrators.
    pub administrator: bool,
    /// Role label.
    pub role: String,
    /// Groups the member belongs to (slugs).
    pub groups: Vec<String>,
}

#[cfg(feature = "ssr")]
impl AccountView {
    /// The signed-in `actor`'s account, as the domain's permission model sees it.
    pub fn of(actor: &domain::accounts::Actor) -> Option<Self> {
        use domain::access::Permission;
        let member = actor.member()?;
        Some(AccountView {
            name: member.name.clone(),
            email: member.email.clone(),
            approved: actor.allows(Permission::TakePart).is_ok(),
            administrator: actor.allows(Permission::Administer).is_ok(),
            role: member.role.as_str().to_owned(),
            groups: member.groups.clone(),
        })
    }
}

/// One signed-in browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// This browser.
    pub current: bool,
    /// When it signed in, UK time.
    pub signed_in: String,
    /// When it was last used, UK time.
    pub last_seen: String,
    /// Its User-Agent.
    pub browser: String,
}

/// The signed-in member's profile and email choices, for the account pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Profession (stored value).
    pub profession: String,
    /// Profession label.
    pub profession_label: String,
    /// Organisation (stored value).
    pub organisation: String,
    /// Organisation label.
    pub organisation_label: String,
    /// Regulator (stored value).
    pub regulator: String,
    /// Regulator label.
    pub regulator_label: String,
    /// Registration number, or empty.
    pub registration_number: String,
    /// Wants newsletters.
    pub newsletters: bool,
    /// Forum email: `each`, `daily` or `off`.
    pub forum_email: String,
    /// Watches the topics they start or reply to.
    pub watch_own_topics: bool,
    /// Wants event reminders.
    pub events: bool,
    /// Has a password (members who joined by single sign-on may not).
    pub has_password: bool,
}

/// A newcomer back from single sign-on, for the application form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoApplicantView {
    /// Name from the provider.
    pub name: String,
    /// Verified email from the provider.
    pub email: String,
}
