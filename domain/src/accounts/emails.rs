//! The text of the emails membership sends.

pub(super) const APPROVED_SUBJECT: &str = "Your ohnet membership is approved";

pub(super) fn approved_body(name: &str, base_url: &str) -> String {
    format!(
        "Hello {name},\n\nYour application to join ohnet, the police Occupational Health \
         network, has been approved. Sign in at {base_url}/sign-in.\n"
    )
}
