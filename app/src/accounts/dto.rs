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
impl From<&domain::accounts::Member> for AccountView {
    fn from(member: &domain::accounts::Member) -> Self {
        use domain::accounts::{MemberStatus, Role};
        AccountView {
            name: member.name.clone(),
            email: member.email.clone(),
            approved: member.status == MemberStatus::Active,
            administrator: member.role == Role::Administrator,
            role: member.role.as_str().to_owned(),
            groups: member.groups.clone(),
        }
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
