//! Who is asking: every service call that reads or changes member data takes an [`Actor`] and
//! decides there, so no page or endpoint can forget to check.

use serde::{Deserialize, Serialize};

use crate::Result;
use crate::access::{Audience, Grant, Permission};

/// A member's role; administrators may do everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// An ordinary member.
    Member,
    /// Moderates forums.
    Moderator,
    /// Publishes content and newsletters.
    Editor,
    /// Manages members, groups and the site.
    Administrator,
}

impl Role {
    /// Every role, for forms and validation.
    pub const ALL: [Role; 4] = [
        Role::Member,
        Role::Moderator,
        Role::Editor,
        Role::Administrator,
    ];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Moderator => "moderator",
            Role::Editor => "editor",
            Role::Administrator => "administrator",
        }
    }

    /// Parses the stored form.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }
}

/// Where a member's application or account stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberStatus {
    /// Applied; email address not confirmed yet.
    Unverified,
    /// Email confirmed; waiting for an administrator.
    Pending,
    /// Approved member.
    Active,
    /// Application declined.
    Declined,
    /// Suspended by an administrator: cannot sign in.
    Suspended,
    /// Closed by the member: personal data erased; their posts read "Former member".
    Closed,
}

impl MemberStatus {
    /// Every status, for filters and validation.
    pub const ALL: [MemberStatus; 6] = [
        MemberStatus::Unverified,
        MemberStatus::Pending,
        MemberStatus::Active,
        MemberStatus::Declined,
        MemberStatus::Suspended,
        MemberStatus::Closed,
    ];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Unverified => "unverified",
            MemberStatus::Pending => "pending",
            MemberStatus::Active => "active",
            MemberStatus::Declined => "declined",
            MemberStatus::Suspended => "suspended",
            MemberStatus::Closed => "closed",
        }
    }

    /// Parses the stored form.
    pub fn parse(text: &str) -> Option<MemberStatus> {
        MemberStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

/// A signed-in person as the domain sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// User id.
    pub id: i32,
    /// Display name.
    pub name: String,
    /// Email address (lowercase).
    pub email: String,
    /// Role.
    pub role: Role,
    /// Status: only `Pending` and `Active` members can be signed in.
    pub status: MemberStatus,
    /// Slugs of the groups the member belongs to (approved memberships only).
    pub groups: Vec<String>,
    /// For a moderator scoped to one group, that group's slug.
    pub moderates: Option<String>,
    /// The member's organisation (a police force's slug, or `other`), if they gave one.
    pub organisation: Option<String>,
    /// Standing permissions beyond the role.
    pub grants: Vec<Grant>,
}

/// Who is making a request.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Actor {
    /// Not signed in.
    #[default]
    Anonymous,
    /// Signed in.
    Member(Member),
}

impl Actor {
    /// The signed-in member, if any.
    pub fn member(&self) -> Option<&Member> {
        match self {
            Actor::Anonymous => None,
            Actor::Member(member) => Some(member),
        }
    }

    /// Any signed-in person, pending or active.
    pub fn require_signed_in(&self) -> Result<&Member> {
        self.allows(Permission::UseAccount)
    }

    /// An approved member.
    pub fn require_active(&self) -> Result<&Member> {
        self.allows(Permission::TakePart)
    }

    /// An approved member with `role` (administrators hold every role).
    pub fn require_role(&self, role: Role) -> Result<&Member> {
        match role {
            Role::Member => self.allows(Permission::TakePart),
            Role::Moderator => self.allows(Permission::Moderate(None)),
            Role::Editor => self.allows(Permission::EditContent),
            Role::Administrator => self.allows(Permission::Administer),
        }
    }

    /// True if the actor may moderate the forum of `group` (`None`: the general forum).
    /// Administrators and unscoped moderators moderate everywhere; a scoped moderator only
    /// their group's forum.
    pub fn can_moderate(&self, group: Option<&str>) -> bool {
        self.allows(Permission::Moderate(group)).is_ok()
    }

    /// True for an approved member of the group with `slug`.
    pub fn in_group(&self, slug: &str) -> bool {
        self.allows(Permission::Read(&Audience::Groups(vec![slug.to_owned()])))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn member(role: Role, status: MemberStatus) -> Actor {
        Actor::Member(Member {
            id: 1,
            name: "A".into(),
            email: "a@example.org".into(),
            role,
            status,
            groups: vec!["cmo".into()],
            moderates: None,
            organisation: None,
            grants: Vec::new(),
        })
    }

    #[test]
    fn anonymous_must_sign_in() {
        assert!(matches!(
            Actor::Anonymous.require_active(),
            Err(Error::Unauthenticated)
        ));
    }

    #[test]
    fn pending_members_are_signed_in_but_not_active() {
        let pending = member(Role::Member, MemberStatus::Pending);
        assert!(pending.require_signed_in().is_ok());
        assert!(matches!(pending.require_active(), Err(Error::Forbidden)));
        assert!(
            !pending.in_group("cmo"),
            "group rights need an active member"
        );
    }

    #[test]
    fn moderators_scoped_to_a_group_moderate_only_its_forum() {
        let Actor::Member(mut scoped) = member(Role::Moderator, MemberStatus::Active) else {
            unreachable!()
        };
        scoped.moderates = Some("physiotherapists".into());
        let scoped = Actor::Member(scoped);
        assert!(scoped.can_moderate(Some("physiotherapists")));
        assert!(!scoped.can_moderate(Some("cmo")));
        assert!(!scoped.can_moderate(None));
        let everywhere = member(Role::Moderator, MemberStatus::Active);
        assert!(everywhere.can_moderate(Some("cmo")) && everywhere.can_moderate(None));
        assert!(!member(Role::Editor, MemberStatus::Active).can_moderate(None));
        assert!(!member(Role::Moderator, MemberStatus::Pending).can_moderate(None));
    }

    #[test]
    fn administrators_hold_every_role() {
        let admin = member(Role::Administrator, MemberStatus::Active);
        assert!(admin.require_role(Role::Editor).is_ok());
        let editor = member(Role::Editor, MemberStatus::Active);
        assert!(matches!(
            editor.require_role(Role::Administrator),
            Err(Error::Forbidden)
        ));
    }
}
