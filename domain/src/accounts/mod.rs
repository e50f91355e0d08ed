//! Membership: applying to join, confirming an email address, approval by an administrator,
//! signing in and out with database-backed sessions, and the [`Actor`] every other service
//! checks. The service's journeys each have a module; this one holds the service, its
//! settings and what they share.

mod actor;
mod administration;
mod applications;
mod attempts;
pub(crate) use attempts::forget_old_attempts;
mod decisions;
pub mod directory;
mod emails;
pub(crate) mod entities;
pub mod handles;
pub mod password_hashing;
mod passwords;
mod privacy;
mod profile;
pub(crate) mod session_actor;
mod sessions;
mod sso;
pub mod tokens;
mod validation;

pub use actor::{Actor, Member, MemberStatus, Role};
pub use administration::{AllowedDomain, GroupMembership, MemberFilter, MemberSummary};
pub use applications::{GroupOption, Registration, VERIFY_LINK_HOURS};
pub use passwords::RESET_LINK_MINUTES;
pub use profile::{EmailPreferences, FORMER_MEMBER, ForumEmail, Profile};
pub use sessions::{SESSION_DAYS, SIGN_IN_FAILED, SessionInfo, SignedIn};
pub use sso::{SsoApplicant, SsoOutcome, SsoSettings, SsoStart};
pub use validation::{MemberDetails, looks_like_email};

use std::net::IpAddr;
use std::sync::Arc;

use sea_orm::{DatabaseConnection, EntityTrait};

use crate::node_cache::NodeCache;
use crate::rate_limit::RateLimits;
use crate::{Error, Result};
use entities::user;

/// A group membership once approved (applicants' requests are `requested` until then).
const GROUP_MEMBER: &str = "member";

/// Settings the accounts service needs from configuration.
#[derive(Clone, Debug, Default)]
pub struct AccountSettings {
    /// Public URL of the site, for links in emails (no trailing slash).
    pub base_url: String,
    /// Email domains whose members are approved as soon as they confirm their address
    /// (administrators can add more in the app).
    pub auto_approve_domains: Vec<String>,
    /// OpenID Connect single sign-on, when configured.
    pub sso: Option<SsoSettings>,
}

/// Where a request came from, for rate limits, sessions and the audit log.
#[derive(Clone, Debug, Default)]
pub struct RequestOrigin {
    /// Client IP address.
    pub ip: Option<IpAddr>,
    /// Browser's User-Agent.
    pub user_agent: Option<String>,
}

impl RequestOrigin {
    pub(crate) fn ip_text(&self) -> Option<String> {
        self.ip.map(|ip| ip.to_string())
    }
}

/// Membership, sessions and member administration.
#[derive(Clone, Debug)]
pub struct AccountService {
    db: DatabaseConnection,
    settings: Arc<AccountSettings>,
    limits: RateLimits,
    sso: Option<Arc<sso::SsoClient>>,
    cache: Arc<NodeCache>,
}

impl AccountService {
    pub(crate) fn new(
        db: DatabaseConnection,
        settings: AccountSettings,
        limits: RateLimits,
        cache: Arc<NodeCache>,
    ) -> Self {
        let sso = settings
            .sso
            .clone()
            .map(|sso_settings| Arc::new(sso::SsoClient::new(sso_settings, &settings.base_url)));
        Self {
            db,
            settings: Arc::new(settings),
            limits,
            sso,
            cache,
        }
    }
}

/// The name and status of member `user_id`, for showing who wrote or earned something.
pub(crate) async fn member_name(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
) -> Result<Option<(String, MemberStatus)>> {
    Ok(user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .and_then(|row| MemberStatus::parse(&row.status).map(|status| (row.name, status))))
}

/// How the audit log names a member.
fn member_target(user_id: i32, email: &str) -> String {
    format!("user:{user_id} ({email})")
}

/// The account `user_id`, if its status is one of `allowed`.
async fn account_in(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    allowed: &[MemberStatus],
) -> Result<user::Model> {
    let account = user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or(Error::NotFound)?;
    if !allowed
        .iter()
        .any(|status| status.as_str() == account.status)
    {
        return Err(Error::Conflict(
            "That member's status has changed; the page has been refreshed".to_owned(),
        ));
    }
    Ok(account)
}
