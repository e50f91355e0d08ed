//! Server functions for accounts. Changes (apply, confirm, sign in, sign out) are plain form
//! posts handled by the server's form routes; these only read.

use leptos::prelude::*;

use super::dto::{AccountView, ApplicationChoices, ProfileView, SessionView, SsoApplicantView};
use crate::error::AppError;

/// The lists the application form offers.
#[server(prefix = "/api", endpoint = "accounts/registration-options", input = server_fn::codec::GetUrl)]
pub async fn registration_options() -> Result<ApplicationChoices, AppError> {
    use domain::accounts::directory::{OTHER_ORGANISATION, POLICE_FORCES, PROFESSIONS, REGULATORS};
    let cx = crate::context::server_context()?;
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
            .collect()
    };
    let mut organisations = pairs(&POLICE_FORCES);
    organisations.push((
        OTHER_ORGANISATION.0.to_owned(),
        OTHER_ORGANISATION.1.to_owned(),
    ));
    let groups = cx
        .services
        .accounts
        .groups()
        .await?
        .into_iter()
        .map(|group| (group.slug, group.name))
        .collect();
    Ok(ApplicationChoices {
        professions: pairs(&PROFESSIONS),
        organisations,
        regulators: pairs(&REGULATORS),
        groups,
    })
}

/// The signed-in person's account, or `None` when signed out.
#[server(prefix = "/api", endpoint = "accounts/current", input = server_fn::codec::GetUrl)]
pub async fn current_account() -> Result<Option<AccountView>, AppError> {
    Ok(AccountView::of(&crate::context::actor()))
}

/// The signed-in member's sessions (browsers), newest first.
#[server(prefix = "/api", endpoint = "accounts/sessions", input = server_fn::codec::GetUrl)]
pub async fn my_sessions() -> Result<Vec<SessionView>, AppError> {
    let cx = crate::context::server_context()?;
    let token = crate::context::session_token().unwrap_or_default();
    let sessions = cx
        .services
        .accounts
        .sessions(&crate::context::actor(), &token)
        .await?;
    Ok(sessions
        .into_iter()
        .map(|session| SessionView {
            current: session.current,
            signed_in: domain::time::london_date_time(session.signed_in_at),
            last_seen: domain::time::london_date_time(session.last_seen_at),
            browser: session.browser,
        })
        .collect())
}

/// The signed-in member's profile and email choices.
#[server(prefix = "/api", endpoint = "accounts/profile", input = server_fn::codec::GetUrl)]
pub async fn my_profile() -> Result<ProfileView, AppError> {
    use domain::accounts::directory::{PROFESSIONS, REGULATORS, label, organisation_label};
    let cx = crate::context::server_context()?;
    let profile = cx
        .services
        .accounts
        .profile(&crate::context::actor())
        .await?;
    Ok(ProfileView {
        profession_label: label(&PROFESSIONS, &profile.profession).to_owned(),
        organisation_label: organisation_label(&profile.organisation).to_owned(),
        regulator_label: label(&REGULATORS, &profile.regulator).to_owned(),
        name: profile.name,
        email: profile.email,
        profession: profile.profession,
        organisation: profile.organisation,
        regulator: profile.regulator,
        registration_number: profile.registration_number,
        newsletters: profile.preferences.newsletters,
        forum_email: profile.preferences.forum_email.as_str().to_owned(),
        watch_own_topics: profile.preferences.watch_own_topics,
        events: profile.preferences.events,
        has_password: profile.has_password,
    })
}

/// True when single sign-on is configured (the sign-in page offers it).
#[server(prefix = "/api", endpoint = "accounts/sso-available", input = server_fn::codec::GetUrl)]
pub async fn sso_available() -> Result<bool, AppError> {
    Ok(crate::context::server_context()?
        .services
        .accounts
        .sso_enabled())
}

/// The newcomer behind this browser's finished single sign-on, for the application form.
#[server(prefix = "/api", endpoint = "accounts/sso-applicant", input = server_fn::codec::GetUrl)]
pub async fn sso_applicant() -> Result<SsoApplicantView, AppError> {
    let cx = crate::context::server_context()?;
    let token = crate::context::cookie(SSO_COOKIE).ok_or(domain::Error::NotFound)?;
    let applicant = cx.services.accounts.sso_applicant(&token).await?;
    Ok(SsoApplicantView {
        name: applicant.name,
        email: applicant.email,
    })
}

/// The cookie binding a single sign-on attempt to the browser that started it.
pub const SSO_COOKIE: &str = "ohnet_sso";
