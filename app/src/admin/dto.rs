//! What administrators' pages receive.

use serde::{Deserialize, Serialize};

/// A member or applicant as listed for review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    /// User id.
    pub id: i32,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Profession.
    pub profession: String,
    /// Organisation.
    pub organisation: String,
    /// Regulator and number.
    pub registration: String,
    /// Status (stored form).
    pub status: String,
    /// Role (stored form).
    pub role: String,
    /// For a moderator scoped to one forum, its group slug; empty otherwise.
    pub moderates: String,
    /// Groups requested or joined.
    pub groups: Vec<MemberGroupRow>,
    /// Application date, UK time.
    pub applied: String,
}

/// One audit log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// When, UK time.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// To whom.
    pub target: String,
    /// Detail.
    pub detail: String,
    /// From where.
    pub source_ip: String,
}

/// A member's place in a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberGroupRow {
    /// Group slug.
    pub slug: String,
    /// Group name.
    pub name: String,
    /// Approved (`false`: requested).
    pub joined: bool,
}

/// One domain on the auto-approve allow-list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowedDomainRow {
    /// The domain.
    pub domain: String,
    /// Where it came from, for people.
    pub added: String,
    /// Added in the app (configuration domains cannot be removed here).
    pub removable: bool,
}
