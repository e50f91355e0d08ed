//! The domain's error type: one variant per kind of failure, so callers map by kind, never by text.

use sea_orm::{DbErr, SqlErr};

/// A domain result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, by kind. Messages are safe to show to the person who asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing does not exist, or the actor may not know that it exists.
    #[error("not found")]
    NotFound,
    /// The actor is known but may not do this.
    #[error("you do not have permission to do that")]
    Forbidden,
    /// The actor must sign in first.
    #[error("you need to sign in")]
    Unauthenticated,
    /// Input failed validation; `field` names the form field.
    #[error("{field}: {message}")]
    Invalid {
        /// The form field at fault.
        field: &'static str,
        /// What is wrong, in words for the person who typed it.
        message: String,
    },
    /// Several form fields failed validation at once; each names its field.
    #[error("{} problem(s) with the form", .0.len())]
    InvalidFields(Vec<FieldError>),
    /// The change conflicts with existing data (a duplicate, a stale revision).
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts; try again later.
    #[error("too many attempts, please wait and try again")]
    RateLimited,
    /// A service we depend on (the single sign-on provider) did not answer properly; the
    /// message says what to do instead.
    #[error("{0}")]
    Unavailable(String),
    /// A fault on our side; the detail goes to the log, never to the page.
    #[error("internal error: {0}")]
    Internal(String),
}

/// One form field's problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The form field's name (a repeated form's fields carry a suffix, e.g. `answer-3`).
    pub field: String,
    /// What to fix, in words for the person who typed it.
    pub message: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Error::Conflict("that already exists".to_owned())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                Error::Conflict("that refers to something that no longer exists".to_owned())
            }
            _ => match err {
                DbErr::RecordNotFound(_) => Error::NotFound,
                other => Error::Internal(other.to_string()),
            },
        }
    }
}
