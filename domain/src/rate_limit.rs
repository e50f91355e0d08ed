//! Rate limits on sign-in, registration and password reset, per IP address and per account,
//! with the `governor` crate's keyed GCRA limiters (in memory: one process serves the site).

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
    sign_in_per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    sign_in_per_account: Arc<DefaultKeyedRateLimiter<String>>,
    registration_per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    reset_per_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    reset_per_account: Arc<DefaultKeyedRateLimiter<String>>,
    posting_per_member: Arc<DefaultKeyedRateLimiter<String>>,
}

/// Allowed bursts; each refills over a minute (sign-in) or an hour (the rest).
#[derive(Clone, Copy, Debug)]
pub struct RateLimitSettings {
    /// Sign-in attempts per IP per minute.
    pub sign_in_per_ip_per_minute: u32,
    /// Sign-in attempts per account per minute.
    pub sign_in_per_account_per_minute: u32,
    /// Applications per IP per hour.
    pub registrations_per_ip_per_hour: u32,
    /// Reset requests per IP per hour.
    pub resets_per_ip_per_hour: u32,
    /// Reset requests per account per hour.
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
            sign_in_per_account_per_minute: 5,
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
            sign_in_per_ip: Arc::new(DefaultKeyedRateLimiter::keyed(per_minute(
                settings.sign_in_per_ip_per_minute,
            ))),
            sign_in_per_account: Arc::new(DefaultKeyedRateLimiter::keyed(per_minute(
                settings.sign_in_per_account_per_minute,
            ))),
            registration_per_ip: Arc::new(DefaultKeyedRateLimiter::keyed(per_hour(
                settings.registrations_per_ip_per_hour,
            ))),
            reset_per_ip: Arc::new(DefaultKeyedRateLimiter::keyed(per_hour(
                settings.resets_per_ip_per_hour,
            ))),
            reset_per_account: Arc::new(DefaultKeyedRateLimiter::keyed(per_hour(
                settings.resets_per_account_per_hour,
            ))),
            posting_per_member: Arc::new(DefaultKeyedRateLimiter::keyed(per_minute(
                settings.posts_per_member_per_minute,
            ))),
        }
    }

    /// Counts one attempt; [`Error::RateLimited`] when over the limit for the IP or account.
    pub fn check(&self, what: Limited, ip: Option<IpAddr>, account: Option<&str>) -> Result<()> {
        let (per_ip, per_account) = match what {
            Limited::SignIn => (Some(&self.sign_in_per_ip), Some(&self.sign_in_per_account)),
            Limited::Registration => (Some(&self.registration_per_ip), None),
            Limited::PasswordReset => (Some(&self.reset_per_ip), Some(&self.reset_per_account)),
            Limited::Posting => (None, Some(&self.posting_per_member)),
        };
        if let (Some(per_ip), Some(ip)) = (per_ip, ip) {
            per_ip.check_key(&ip).map_err(|_| Error::RateLimited)?;
        }
        if let (Some(limiter), Some(account)) = (per_account, account) {
            limiter
                .check_key(&account.to_lowercase())
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
        for limiter in [
            &self.sign_in_per_account,
            &self.reset_per_account,
            &self.posting_per_member,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
            remembered += limiter.len();
        }
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
    fn sign_in_is_limited_per_account_across_ips() {
        let limits = RateLimits::new(RateLimitSettings {
            sign_in_per_account_per_minute: 2,
            ..Default::default()
        });
        let ip = |n| Some(IpAddr::from([127, 0, 0, n]));
        assert!(
            limits
                .check(Limited::SignIn, ip(1), Some("a@x.org"))
                .is_ok()
        );
        assert!(
            limits
                .check(Limited::SignIn, ip(2), Some("A@x.org"))
                .is_ok()
        );
        assert!(matches!(
            limits.check(Limited::SignIn, ip(3), Some("a@x.org")),
            Err(Error::RateLimited)
        ));
        assert!(
            limits
                .check(Limited::SignIn, ip(3), Some("b@x.org"))
                .is_ok()
        );
    }
}
