//! The administration area's forms: decisions on applications, roles, groups, suspension and
//! the allow-list. Member forms repeat per member (instance ids such as `decline-12`) and carry
//! the list's filters, so the list comes back as it was.

use crate::forms::typed_form;

typed_form! {
    /// Approve an application.
    ApproveMember { id: "approve", action: "/admin/members/{id}/approve", first: "reason" } {
        /// The member list's query string, to return to.
        list: String,
    }
}

typed_form! {
    /// Decline an application with a reason that is emailed.
    DeclineMember { id: "decline", action: "/admin/members/{id}/decline", first: "reason" } {
        /// The member list's query string, to return to.
        list: String,
        /// Why (emailed to the applicant).
        reason: String,
    }
}

typed_form! {
    /// Change a member's role and moderation scope.
    ChangeRole { id: "manage", action: "/admin/members/{id}/role", first: "role" } {
        /// The member list's query string, to return to.
        list: String,
        /// The new role.
        role: String,
        /// For a moderator: the one group whose forum they moderate (empty: every forum).
        moderates: String,
    }
}

typed_form! {
    /// Grant or remove group memberships.
    ChangeGroups { id: "manage", action: "/admin/members/{id}/groups", first: "groups" } {
        /// The member list's query string, to return to.
        list: String,
        /// The groups the member should be in.
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        groups: Vec<String>,
    }
}

typed_form! {
    /// Suspend a member.
    SuspendMember { id: "manage", action: "/admin/members/{id}/suspend", first: "role" } {
        /// The member list's query string, to return to.
        list: String,
    }
}

typed_form! {
    /// Reinstate a suspended member.
    ReinstateMember { id: "manage", action: "/admin/members/{id}/reinstate", first: "role" } {
        /// The member list's query string, to return to.
        list: String,
    }
}

typed_form! {
    /// Add a domain to the allow-list.
    AllowDomain { id: "allow-list-add", action: "/admin/allow-list", first: "domain" } {
        /// The email domain.
        domain: String,
    }
}

typed_form! {
    /// Remove a domain from the allow-list.
    DisallowDomain { id: "allow-list-remove", action: "/admin/allow-list/remove", first: "domain" } {
        /// The email domain.
        domain: String,
    }
}
