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
    /// Groups: (name, joined?).
    pub groups: Vec<(String, bool)>,
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
