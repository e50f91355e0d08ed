//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes), run on
//! the blocking pool so a sign-in never stalls other requests.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::{Error, Result};

/// Fewest characters accepted (NCSC guidance: length over composition rules).
pub const MIN_LENGTH: usize = 10;
/// Most characters accepted (bounds the hashing cost).
pub const MAX_LENGTH: usize = 256;

/// Checks a new password's length; the message is for the form.
pub fn check_new(password: &str) -> std::result::Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Err(format!("Password must be {MIN_LENGTH} characters or more"))
    } else if length > MAX_LENGTH {
        Err(format!("Password must be {MAX_LENGTH} characters or fewer"))
    } else {
        Ok(())
    }
}

/// Hashes `password` (PHC string with algorithm, parameters and salt).
pub async fn hash(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|err| Error::Internal(format!("hashing task failed: {err}")))?
}

fn hash_now(password: &str) -> Result<String> {
    let mut salt_bytes = [0_u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|err| Error::Internal(format!("cannot encode salt: {err}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| Error::Internal(format!("cannot hash password: {err}")))
}

/// True when `password` matches `stored`. With no stored hash (unknown account, or an empty
/// one: a member who only signs in through single sign-on) a dummy hash is checked instead, so
/// the answer takes as long either way, and is `false`.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool> {
    let stored = stored.filter(|hash| !hash.is_empty());
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = match stored {
            Some(stored) => stored,
            None => dummy_hash()?.to_owned(),
        };
        let parsed = PasswordHash::new(&stored)
            .map_err(|err| Error::Internal(format!("stored hash is unreadable: {err}")))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
    .map_err(|err| Error::Internal(format!("verification task failed: {err}")))?
}

fn dummy_hash() -> Result<&'static str> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = hash_now("not a real password; equalises timing")?;
    Ok(DUMMY.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_argon2id() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            verify("correct horse battery".into(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify("wrong horse battery".into(), Some(stored))
                .await
                .unwrap()
        );
        assert!(!verify("anything at all".into(), None).await.unwrap());
        assert!(
            !verify(String::new(), Some(String::new())).await.unwrap(),
            "an account without a password never matches"
        );
    }

    #[test]
    fn length_rules() {
        assert!(check_new("short").is_err());
        assert!(check_new("long enough now").is_ok());
        assert!(check_new(&"x".repeat(300)).is_err());
    }
}
