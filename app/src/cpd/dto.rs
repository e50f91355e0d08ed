//! What the CPD pages show: plain serde structs, never domain entities.

use serde::{Deserialize, Serialize};

/// A CPD entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpdEntryView {
    /// Title.
    pub title: String,
    /// Kind label.
    pub kind: String,
    /// "Participatory" or "Individual".
    pub participation: String,
    /// Hours, e.g. "1.75 hours".
    pub hours: String,
    /// Date.
    pub date: String,
    /// Recorded automatically.
    pub automatic: bool,
}
