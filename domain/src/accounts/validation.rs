//! Checking what applicants and members type: their details, email address, password and
//! group requests, each problem reported against its field, all at once.

use super::applications::GroupOption;
use super::{Registration, directory, password_hashing};
use crate::{Error, FieldError, Result};

/// An application, checked and normalised (email lower-cased, details trimmed).
pub(super) struct ValidRegistration {
    pub(super) email: String,
    pub(super) password: String,
    pub(super) details: ValidDetails,
    pub(super) groups: Vec<String>,
}

/// A member's own details, checked: what the application form and the profile page share.
pub(super) struct ValidDetails {
    pub(super) name: String,
    pub(super) profession: String,
    pub(super) organisation: String,
    pub(super) regulator: String,
    pub(super) registration_number: Option<String>,
}

/// The details a member gives about themself, as typed (application form and profile page).
#[derive(Clone, Debug, Default)]
pub struct MemberDetails {
    /// Full name.
    pub name: String,
    /// One of [`directory::PROFESSIONS`].
    pub profession: String,
    /// A force from [`directory::POLICE_FORCES`] or `other`.
    pub organisation: String,
    /// One of [`directory::REGULATORS`].
    pub regulator: String,
    /// Registration number with the regulator (optional).
    pub registration_number: String,
}

pub(super) fn validate_details(
    details: &MemberDetails,
    problems: &mut Vec<FieldError>,
) -> ValidDetails {
    let name = details.name.trim().to_owned();
    if name.is_empty() {
        problems.push(FieldError::new("name", "Enter your full name"));
    } else if name.chars().count() > 120 {
        problems.push(FieldError::new(
            "name",
            "Full name must be 120 characters or fewer",
        ));
    }
    let profession = details.profession.trim().to_owned();
    if !directory::PROFESSIONS
        .iter()
        .any(|(value, _)| *value == profession)
    {
        problems.push(FieldError::new("profession", "Select your profession"));
    }
    let organisation = details.organisation.trim().to_owned();
    if organisation != directory::OTHER_ORGANISATION.0
        && !directory::POLICE_FORCES
            .iter()
            .any(|(value, _)| *value == organisation)
    {
        problems.push(FieldError::new(
            "organisation",
            "Select your police force, or other organisation",
        ));
    }
    let regulator = details.regulator.trim().to_owned();
    if !directory::REGULATORS
        .iter()
        .any(|(value, _)| *value == regulator)
    {
        problems.push(FieldError::new(
            "regulator",
            "Select your regulator, or none",
        ));
    }
    let number = details.registration_number.trim().to_owned();
    if number.chars().count() > 40 {
        problems.push(FieldError::new(
            "registration_number",
            "Registration number must be 40 characters or fewer",
        ));
    }
    if !number.is_empty() && regulator == "none" {
        problems.push(FieldError::new(
            "regulator",
            "Select the regulator your registration number is with",
        ));
    }
    ValidDetails {
        name,
        profession,
        organisation,
        regulator,
        registration_number: (!number.is_empty()).then_some(number),
    }
}

pub(super) fn validate_email(email: &str, problems: &mut Vec<FieldError>) -> String {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        problems.push(FieldError::new("email", "Enter your email address"));
    } else if !looks_like_email(&email) {
        problems.push(FieldError::new(
            "email",
            "Enter an email address in the correct format, like name@example.org",
        ));
    }
    email
}

pub(super) fn validate_groups(
    requested: Vec<String>,
    groups: &[GroupOption],
    problems: &mut Vec<FieldError>,
) -> Vec<String> {
    let mut valid = Vec::new();
    for slug in requested {
        if !groups.iter().any(|group| group.slug == slug) {
            problems.push(FieldError::new("groups", "Select groups from the list"));
            break;
        }
        if !valid.contains(&slug) {
            valid.push(slug);
        }
    }
    valid
}

pub(super) fn validate_registration(
    registration: Registration,
    groups: &[GroupOption],
) -> Result<ValidRegistration> {
    let mut problems = Vec::new();
    let details = MemberDetails {
        name: registration.name,
        profession: registration.profession,
        organisation: registration.organisation,
        regulator: registration.regulator,
        registration_number: registration.registration_number,
    };
    let mut details_problems = Vec::new();
    let details = validate_details(&details, &mut details_problems);
    // Keep the form's order: name, email, password, then the rest.
    let (name_problems, other_problems): (Vec<_>, Vec<_>) = details_problems
        .into_iter()
        .partition(|problem| problem.field == "name");
    problems.extend(name_problems);
    let email = validate_email(&registration.email, &mut problems);
    if registration.password.is_empty() {
        problems.push(FieldError::new("password", "Enter a password"));
    } else if let Err(message) = password_hashing::check_new(&registration.password) {
        problems.push(FieldError::new("password", message));
    }
    problems.extend(other_problems);
    let groups = validate_groups(registration.groups, groups, &mut problems);
    if !problems.is_empty() {
        return Err(Error::InvalidFields(problems));
    }
    Ok(ValidRegistration {
        email,
        password: registration.password,
        details,
        groups,
    })
}

/// A deliberately loose check: one `@`, something before it, a dotted domain after it, no
/// spaces. The confirmation email is the real test.
pub fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && text.len() <= 254
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shape() {
        assert!(looks_like_email("a.nurse@force.police.uk"));
        assert!(!looks_like_email("no-at-sign"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("a b@c.org"));
    }

    #[test]
    fn every_registration_problem_is_reported_at_once() {
        let Err(Error::InvalidFields(problems)) =
            validate_registration(Registration::default(), &[])
        else {
            panic!("blank registration must fail");
        };
        let fields: Vec<&str> = problems
            .iter()
            .map(|problem| problem.field.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "name",
                "email",
                "password",
                "profession",
                "organisation",
                "regulator"
            ]
        );
    }
}
