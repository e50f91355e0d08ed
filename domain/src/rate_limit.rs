//! Rate limits per IP address (sign-in, registration, password reset) and per member (forum
//! posting), with the `governor` crate's keyed GCRA limiters, in each process's memory. The
//! limits that protect an account (failed sign-ins, reset requests) are counted in the
//! database instead, so several processes share them (`accounts::attempts`); their settings
//! live here with the rest.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota};

use crate::{Error, Result};

/// What is being limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limited {
    /// Sign-in attempts.
    SignIn,
    /// Applications to join.
    Registration,
    /// Password reset requests.
    PasswordReset,
    /// Forum posts (topics and replies), per member.
    Posting,
}

/// Limits per kind of action, per IP and per account.
#[derive(Clone, Debug)]
pub struct RateLimits {
    settings: RateLimitSettings,
    sign_in_per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    registration_per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    reset_per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    posting_per_member: Arc<DefaultKeyedRateLimiter<String>>,
}

/// Allowed bursts; the in-memory ones refill over a minute (sign-in, posting) or an hour (the
/// rest); the per-account ones count attempts in a window.
#[derive(Clone, Copy, Debug)]
pub struct RateLimitSettings {
    /// Sign-in attempts per IP per minute.
    pub sign_in_per_ip_per_minute: u32,
    /// Failed sign-ins per account within [`Self::failed_sign_in_window_minutes`] (counted in
    /// the database; a correct password clears the count).
    pub failed_sign_ins_per_account: u32,
    /// The window failed sign-ins are counted in, in minutes.
    pub failed_sign_in_window_minutes: i64,
    /// Applications per IP per hour.
    pub registrations_per_ip_per_hour: u32,
    /// Reset requests per IP per hour.
    pub resets_per_ip_per_hour: u32,
    /// Reset requests per account per hour (counted in the database).
    pub resets_per_account_per_hour: u32,
    /// Forum posts per member per minute.
    pub posts_per_member_per_minute: u32,
}

/// The per-account limits stop password guessing. The per-IP limits are generous because a
/// whole police force often reaches the internet through one address, and its staff must be
/// able to sign in at the start of a shift.
impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            sign_in_per_ip_per_minute: 300,
            failed_sign_ins_per_account: 5,
            failed_sign_in_window_minutes: 15,
            registrations_per_ip_per_hour: 60,
            resets_per_ip_per_hour: 60,
            resets_per_account_per_hour: 5,
            posts_per_member_per_minute: 10,
        }
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

fn per_hour(n: u32) -> Quota {
    Quota::per_hour(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl RateLimits {
    /// Limiters with the given settings.
    pub fn new(settings: RateLimitSettings) -> Self {
        Self {
            settings,
            sign_in_per_ip: Arc::new(DefaultKeyedRateLimiter::keyed(per_minute(
                settings.sign_in_per_ip_per_minute,
            ))),
            registration_per_ip: Arc::new(DefaultKeyedRateLimiter::keyed(per_hour(
                settings.registrations_per_ip_per_hour,
            ))),
            reset_per_ip: Arc::new(DefaultKeyedRateLimiter::keyed(per_hour(
                settings.resets_per_ip_per_hour,
            ))),
            posting_per_member: Arc::new(DefaultKeyedRateLimiter::keyed(per_minute(
                settings.posts_per_member_per_minute,
            ))),
        }
    }

    /// The settings these limiters were made with.
    pub fn settings(&self) -> RateLimitSettings {
        self.settings
    }

    /// Counts one attempt; [`Error::RateLimited`] when over the limit for the IP or (for
    /// posting) the member.
    pub fn check(&self, what: Limited, ip: Option<IpAddr>, member: Option<&str>) -> Result<()> {
        let (per_ip, per_account) = match what {
            Limited::SignIn => (Some(&self.sign_in_per_ip), None),
            Limited::Registration => (Some(&self.registration_per_ip), None),
            Limited::PasswordReset => (Some(&self.reset_per_ip), None),
            Limited::Posting => (None, Some(&self.posting_per_member)),
        };
        if let (Some(per_ip), Some(ip)) = (per_ip, ip) {
            per_ip.check_key(&ip).map_err(|_| Error::RateLimited)?;
        }
        if let (Some(limiter), Some(member)) = (per_account, member) {
            limiter
                .check_key(&member.to_lowercase())
                .map_err(|_| Error::RateLimited)?;
        }
        Ok(())
    }

    /// Forgets every key whose limit has fully refilled (it behaves exactly like a new key) and
    /// gives back the memory, so the limiters do not grow with every address ever seen. Call it
    /// every minute or so; answers how many keys are still remembered.
    pub fn forget_idle_keys(&self) -> usize {
        let mut remembered = 0;
        for limiter in [
            &self.sign_in_per_ip,
            &self.registration_per_ip,
            &self.reset_per_ip,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
            remembered += limiter.len();
        }
        self.posting_per_member.retain_recent();
        self.posting_per_member.shrink_to_fit();
        remembered += self.posting_per_member.len();
        remembered
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::new(RateLimitSettings::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_keys_are_forgotten_and_limited_ones_kept() {
        let limits = RateLimits::new(RateLimitSettings {
            registrations_per_ip_per_hour: 1,
            ..Default::default()
        });
        let ip = Some(IpAddr::from([127, 0, 0, 1]));
        limits.check(Limited::Registration, ip, None).unwrap();
        assert_eq!(limits.forget_idle_keys(), 1);
        assert!(matches!(
            limits.check(Limited::Registration, ip, None),
            Err(Error::RateLimited)
        ));
        assert_eq!(
            RateLimits::default().forget_idle_keys(),
            0,
            "nothing to remember"
        );
    }

    #[test]
    fn posting_is_limited_per_member() {
        let limits = RateLimits::new(RateLimitSettings {
            posts_per_member_per_minute: 2,
            ..Default::default()
        });
        assert!(limits.check(Limited::Posting, None, Some("7")).is_ok());
        assert!(limits.check(Limited::Posting, None, Some("7")).is_ok());
        assert!(matches!(
            limits.check(Limited::Posting, None, Some("7")),
            Err(Error::RateLimited)
        ));
        assert!(limits.check(Limited::Posting, None, Some("8")).is_ok());
    }
}
