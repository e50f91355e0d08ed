//! The CPD forms: adding and changing an entry, deleting it, its evidence files, and the
//! member's cycle (regulator, the date it ends, a target).

use crate::forms::typed_form;

typed_form! {
    /// Add an entry to the log.
    AddEntry { id: "cpd-add", action: "/cpd/new", first: "date" } {
        /// `YYYY-MM-DD`.
        date: String,
        /// What it was.
        title: String,
        /// Activity kind.
        kind: String,
        /// `participatory` or `self-directed`.
        participation: String,
        /// Decimal hours.
        hours: String,
        /// What was learned.
        learning: String,
        /// Reflection, Markdown.
        reflection: String,
        /// How it changed practice.
        practice_change: String,
    }
}

typed_form! {
    /// Change an entry. An automatic entry's form sends only the last three fields: its
    /// date, title, kind, type and hours stay as recorded.
    EditEntry { id: "cpd-edit", action: "/cpd/{id}/edit", first: "date" } {
        /// `YYYY-MM-DD`.
        date: String,
        /// What it was.
        title: String,
        /// Activity kind.
        kind: String,
        /// `participatory` or `self-directed`.
        participation: String,
        /// Decimal hours.
        hours: String,
        /// What was learned.
        learning: String,
        /// Reflection, Markdown.
        reflection: String,
        /// How it changed practice.
        practice_change: String,
    }
}

typed_form! {
    /// Delete an entry and its evidence.
    DeleteEntry { id: "cpd-delete", action: "/cpd/{id}/delete", first: "confirm" } {}
}

typed_form! {
    /// Upload an evidence file (a multipart form: the CSRF token first, then `file`).
    AttachEvidence { id: "cpd-evidence", action: "/cpd/{id}/evidence", first: "file" } {}
}

typed_form! {
    /// Remove an evidence file.
    RemoveEvidence { id: "cpd-evidence-remove", action: "/cpd/{id}/evidence/{file}/remove", first: "file" } {}
}

typed_form! {
    /// The member's regulator, the date their cycle ends and their own target.
    SetCycle { id: "cpd-cycle", action: "/cpd/cycle", first: "regulator" } {
        /// One of the regulators.
        regulator: String,
        /// `YYYY-MM-DD`, or empty.
        ends_on: String,
        /// Decimal hours, or empty.
        target_hours: String,
    }
}

/// The same fields for the domain: an entry typed in either form.
macro_rules! entry_fields_from {
    ($form:ident) => {
        #[cfg(feature = "ssr")]
        impl From<$form> for domain::cpd::EntryFields {
            fn from(form: $form) -> Self {
                domain::cpd::EntryFields {
                    date: form.date,
                    title: form.title,
                    kind: form.kind,
                    participation: form.participation,
                    hours: form.hours,
                    learning: form.learning,
                    reflection: form.reflection,
                    practice_change: form.practice_change,
                }
            }
        }
    };
}

entry_fields_from!(AddEntry);
entry_fields_from!(EditEntry);

#[cfg(feature = "ssr")]
impl From<SetCycle> for domain::cpd::CycleFields {
    fn from(form: SetCycle) -> Self {
        domain::cpd::CycleFields {
            regulator: form.regulator,
            ends_on: form.ends_on,
            target_hours: form.target_hours,
        }
    }
}
