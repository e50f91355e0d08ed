//! The text of the emails membership sends, one function per email, so the wording can be
//! read and reviewed in one place.

use sea_orm::ConnectionTrait;

use super::applications::VERIFY_LINK_HOURS;
use super::passwords::RESET_LINK_MINUTES;
use crate::{Result, mail};

/// An email's subject and body.
pub(super) struct EmailText {
    subject: &'static str,
    body: String,
}

impl EmailText {
    /// Queues this email to `to`, in the caller's transaction.
    pub(super) async fn enqueue(&self, conn: &impl ConnectionTrait, to: &str) -> Result<()> {
        mail::enqueue(conn, to, self.subject, &self.body).await
    }
}

/// To an address that already has an account, when someone applies with it again.
pub(super) fn already_a_member(base_url: &str) -> EmailText {
    EmailText {
        subject: "You already have an ohnet account",
        body: format!(
            "Hello,\n\nSomeone (probably you) tried to apply to join ohnet with this email \
             address, but it already has an account.\n\nSign in at {base_url}/sign-in. If you \
             have forgotten your password, you can reset it from the sign-in page.\n\nIf \
             this was not you, you can ignore this email.\n"
        ),
    }
}

/// The link that confirms a new applicant's email address.
pub(super) fn confirm_email(name: &str, base_url: &str, token: &str) -> EmailText {
    EmailText {
        subject: "Confirm your email address for ohnet",
        body: format!(
            "Hello {name},\n\nThank you for applying to join ohnet, the police Occupational \
             Health network. Confirm your email address to continue:\n\n\
             {base_url}/verify-email?token={token}\n\nThe link works once and expires in \
             {VERIFY_LINK_HOURS} hours. If you did not apply, you can ignore this email.\n"
        ),
    }
}

/// The application is approved (by an administrator, or by the domain allow-list).
pub(super) fn approved(name: &str, base_url: &str) -> EmailText {
    EmailText {
        subject: "Your ohnet membership is approved",
        body: format!(
            "Hello {name},\n\nYour application to join ohnet, the police Occupational Health \
             network, has been approved. Sign in at {base_url}/sign-in.\n"
        ),
    }
}

/// The application is declined, with the administrator's reason.
pub(super) fn declined(name: &str, reason: &str) -> EmailText {
    EmailText {
        subject: "Your application to join ohnet",
        body: format!(
            "Hello {name},\n\nThank you for applying to join ohnet. An administrator has \
             declined your application, for this reason:\n\n{reason}\n\nIf you think this is \
             a mistake, contact the network administrators through your force OH lead.\n"
        ),
    }
}

/// A single-use password reset link.
pub(super) fn password_reset(name: &str, base_url: &str, token: &str) -> EmailText {
    EmailText {
        subject: "Reset your ohnet password",
        body: format!(
            "Hello {name},\n\nSomeone (probably you) asked to reset your ohnet password. \
             Choose a new one here:\n\n{base_url}/reset-password/new?token={token}\n\nThe link \
             works once and expires in {RESET_LINK_MINUTES} minutes. If you did not ask, you \
             can ignore this email: your password has not changed.\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_site_address_and_token() {
        let confirm = confirm_email("Ann", "https://oh.example", "tok");
        assert!(
            confirm
                .body
                .contains("https://oh.example/verify-email?token=tok\n")
        );
        assert!(confirm.body.contains("expires in 24 hours"));
        let reset = password_reset("Ann", "https://oh.example", "tok");
        assert!(
            reset
                .body
                .contains("https://oh.example/reset-password/new?token=tok\n")
        );
        assert!(reset.body.contains("expires in 60 minutes"));
    }
}
