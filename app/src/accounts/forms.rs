//! The accounts area's forms: applying, signing in, passwords, profile and closing an account.

use crate::forms::typed_form;

typed_form! {
    /// Apply to join.
    Register { id: "register", action: "/register", first: "name" } {
        /// Full name.
        name: String,
        /// Email address.
        email: String,
        /// Password (10+ characters).
        password: String,
        /// Profession (a value from the registration options).
        profession: String,
        /// Organisation (a force's slug, or `other`).
        organisation: String,
        /// Professional regulator.
        regulator: String,
        /// Registration number with the regulator.
        registration_number: String,
        /// Groups asked for (checkboxes).
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        groups: Vec<String>,
    }
}

typed_form! {
    /// Finish an application started through single sign-on.
    RegisterWithSso { id: "register-sso", action: "/register/sso", first: "name" } {
        /// Full name.
        name: String,
        /// Profession.
        profession: String,
        /// Organisation.
        organisation: String,
        /// Professional regulator.
        regulator: String,
        /// Registration number with the regulator.
        registration_number: String,
        /// Groups asked for.
        #[serde(deserialize_with = "crate::forms::one_or_many")]
        groups: Vec<String>,
    }
}

typed_form! {
    /// Confirm an email address with the emailed token.
    VerifyEmail { id: "verify-email", action: "/verify-email", first: "token" } {
        /// The single-use token from the link.
        token: String,
    }
}

typed_form! {
    /// Sign in with email and password.
    SignIn { id: "sign-in", action: "/sign-in", first: "email" } {
        /// Where to go afterwards (a local path).
        next: String,
        /// Email address.
        email: String,
        /// Password.
        password: String,
    }
}

typed_form! {
    /// Sign out of this browser.
    SignOut { id: "sign-out", action: "/sign-out", first: "sign-out" } {}
}

typed_form! {
    /// Ask for a password reset link.
    RequestPasswordReset { id: "reset-request", action: "/reset-password", first: "email" } {
        /// Email address.
        email: String,
    }
}

typed_form! {
    /// Choose a new password with the emailed token.
    ResetPassword { id: "reset-password", action: "/reset-password/new", first: "password" } {
        /// The single-use token from the link.
        token: String,
        /// The new password.
        password: String,
    }
}

typed_form! {
    /// Edit one's own profile.
    UpdateProfile { id: "profile", action: "/account/profile", first: "name" } {
        /// Full name.
        name: String,
        /// Profession.
        profession: String,
        /// Organisation.
        organisation: String,
        /// Professional regulator.
        regulator: String,
        /// Registration number with the regulator.
        registration_number: String,
    }
}

typed_form! {
    /// Choose which optional emails to get.
    EmailPreferences { id: "email-preferences", action: "/account/email-preferences", first: "newsletters" } {
        /// Newsletters.
        #[serde(deserialize_with = "crate::forms::ticked")]
        newsletters: bool,
        /// Forum email: `each`, `daily` or `off`.
        forum_email: String,
        /// Watch the topics one starts or replies to.
        #[serde(deserialize_with = "crate::forms::ticked")]
        watch_own_topics: bool,
        /// Event reminders.
        #[serde(deserialize_with = "crate::forms::ticked")]
        events: bool,
    }
}

typed_form! {
    /// Change password (other devices are signed out).
    ChangePassword { id: "change-password", action: "/account/password", first: "current_password" } {
        /// The current password.
        current_password: String,
        /// The new password.
        new_password: String,
    }
}

typed_form! {
    /// Sign out of every other device.
    SignOutOthers { id: "sign-out-others", action: "/account/sign-out-others", first: "sign-out-others" } {}
}

typed_form! {
    /// Close one's own account.
    CloseAccount { id: "close-account", action: "/account/close", first: "confirm" } {
        /// The current password.
        password: String,
        /// The confirmation checkbox.
        #[serde(deserialize_with = "crate::forms::ticked")]
        confirm: bool,
    }
}
