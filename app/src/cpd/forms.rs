//! The CPD forms: adding and changing an entry, deleting it, its evidence files, the member's
//! cycle (regulator, the date it ends, a target), and the revalidation records (periods of
//! practice, feedback, reflective accounts, the discussion and confirmation, the profile).

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

typed_form! {
    /// Add a period of practice.
    AddPractice { id: "cpd-practice-add", action: "/cpd/practice/new", first: "started_on" } {
        /// `YYYY-MM-DD`.
        started_on: String,
        /// `YYYY-MM-DD`.
        ended_on: String,
        /// The organisation.
        organisation: String,
        /// One of the settings.
        setting: String,
        /// One of the scopes of practice.
        scope: String,
        /// Decimal hours.
        hours: String,
        /// What the work was.
        description: String,
    }
}

typed_form! {
    /// Change a period of practice.
    EditPractice { id: "cpd-practice-edit", action: "/cpd/practice/{id}/edit", first: "started_on" } {
        /// `YYYY-MM-DD`.
        started_on: String,
        /// `YYYY-MM-DD`.
        ended_on: String,
        /// The organisation.
        organisation: String,
        /// One of the settings.
        setting: String,
        /// One of the scopes of practice.
        scope: String,
        /// Decimal hours.
        hours: String,
        /// What the work was.
        description: String,
    }
}

typed_form! {
    /// Delete a period of practice.
    DeletePractice { id: "cpd-practice-delete", action: "/cpd/practice/{id}/delete", first: "confirm" } {}
}

typed_form! {
    /// Add a piece of feedback.
    AddFeedback { id: "cpd-feedback-add", action: "/cpd/feedback/new", first: "received_on" } {
        /// `YYYY-MM-DD`.
        received_on: String,
        /// Who it came from, by kind.
        source: String,
        /// What it said.
        summary: String,
        /// What the member did with it.
        practice_change: String,
    }
}

typed_form! {
    /// Change a piece of feedback.
    EditFeedback { id: "cpd-feedback-edit", action: "/cpd/feedback/{id}/edit", first: "received_on" } {
        /// `YYYY-MM-DD`.
        received_on: String,
        /// Who it came from, by kind.
        source: String,
        /// What it said.
        summary: String,
        /// What the member did with it.
        practice_change: String,
    }
}

typed_form! {
    /// Delete a piece of feedback.
    DeleteFeedback { id: "cpd-feedback-delete", action: "/cpd/feedback/{id}/delete", first: "confirm" } {}
}

typed_form! {
    /// Add a reflective account.
    AddReflection { id: "cpd-reflection-add", action: "/cpd/reflections/new", first: "written_on" } {
        /// `YYYY-MM-DD`.
        written_on: String,
        /// The activity, feedback or experience.
        experience: String,
        /// What was learned.
        learning: String,
        /// How practice changed.
        practice_change: String,
        /// The Code themes (checkboxes).
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        code_themes: Vec<String>,
    }
}

typed_form! {
    /// Change a reflective account.
    EditReflection { id: "cpd-reflection-edit", action: "/cpd/reflections/{id}/edit", first: "written_on" } {
        /// `YYYY-MM-DD`.
        written_on: String,
        /// The activity, feedback or experience.
        experience: String,
        /// What was learned.
        learning: String,
        /// How practice changed.
        practice_change: String,
        /// The Code themes (checkboxes).
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        code_themes: Vec<String>,
    }
}

typed_form! {
    /// Delete a reflective account.
    DeleteReflection { id: "cpd-reflection-delete", action: "/cpd/reflections/{id}/delete", first: "confirm" } {}
}

typed_form! {
    /// The reflective discussion, the confirmation and a dual registration.
    SetDiscussion { id: "cpd-discussion", action: "/cpd/revalidation/discussion", first: "partner_name" } {
        /// Revalidating on two parts of the register (a checkbox).
        #[serde(deserialize_with = "crate::forms::ticked")]
        dual_registrant: bool,
        /// The registrant the member discussed their accounts with.
        partner_name: String,
        /// Their NMC PIN.
        partner_pin: String,
        /// `YYYY-MM-DD`.
        discussed_on: String,
        /// The confirmer.
        confirmer_name: String,
        /// Their role.
        confirmer_role: String,
        /// `YYYY-MM-DD`.
        confirmed_on: String,
    }
}

typed_form! {
    /// The statements of the member's CPD profile.
    SetProfile { id: "cpd-profile", action: "/cpd/profile/edit", first: "practice_summary" } {
        /// A summary of recent practice.
        practice_summary: String,
        /// How the member's CPD meets the standards.
        standards_statement: String,
    }
}

/// A form's fields as the domain's: the same names, one to one.
macro_rules! fields_from {
    ($form:ident => $fields:ident { $($field:ident),* }) => {
        #[cfg(feature = "ssr")]
        impl From<$form> for domain::cpd::$fields {
            fn from(form: $form) -> Self {
                domain::cpd::$fields { $($field: form.$field),* }
            }
        }
    };
}

fields_from!(AddPractice => PracticeFields { started_on, ended_on, organisation, setting, scope, hours, description });
fields_from!(EditPractice => PracticeFields { started_on, ended_on, organisation, setting, scope, hours, description });
fields_from!(AddFeedback => FeedbackFields { received_on, source, summary, practice_change });
fields_from!(EditFeedback => FeedbackFields { received_on, source, summary, practice_change });
fields_from!(AddReflection => ReflectionFields { written_on, experience, learning, practice_change, code_themes });
fields_from!(EditReflection => ReflectionFields { written_on, experience, learning, practice_change, code_themes });
fields_from!(SetDiscussion => DiscussionFields { dual_registrant, partner_name, partner_pin, discussed_on, confirmer_name, confirmer_role, confirmed_on });
fields_from!(SetProfile => ProfileFields { practice_summary, standards_statement });
fields_from!(AddEntry => EntryFields { date, title, kind, participation, hours, learning, reflection, practice_change });
fields_from!(EditEntry => EntryFields { date, title, kind, participation, hours, learning, reflection, practice_change });
fields_from!(SetCycle => CycleFields { regulator, ends_on, target_hours });
