//! The error type every server function returns: a safe message for the page and an HTTP
//! status, mapped from the domain's error kinds. Internal details stay in the server log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a page or form shows when something fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 404: nothing here, or nothing this visitor may see.
    #[error("Page not found")]
    NotFound,
    /// 302: what was asked for is now at this address (a moved or merged topic); the browser
    /// is sent there, and the page links to it.
    #[error("This has moved")]
    Moved(String),
    /// 403.
    #[error("You do not have permission to see this")]
    Forbidden,
    /// 401.
    #[error("You need to sign in")]
    Unauthenticated,
    /// 422, with every form field at fault.
    #[error("{}", .problems.first().map(|problem| problem.message.as_str()).unwrap_or("The form has a problem"))]
    Invalid {
        /// The problems, in the order the fields appear.
        problems: Vec<FieldProblem>,
    },
    /// 409.
    #[error("{0}")]
    Conflict(String),
    /// 429.
    #[error("Too many attempts. Wait a few minutes and try again.")]
    RateLimited,
    /// 503: a service we depend on did not answer; the message says what to do instead.
    #[error("{0}")]
    Unavailable(String),
    /// 500: the request id lets support find the log entry.
    #[error("Sorry, there is a problem with the service")]
    Internal {
        /// The request id shown to the visitor.
        request_id: Option<String>,
    },
    /// The browser could not reach the server or read its answer.
    #[error("The service could not be reached. Check your connection and try again.")]
    Transport(String),
}

/// One form field's problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    /// The form field's name.
    pub field: String,
    /// What to fix.
    pub message: String,
}

impl AppError {
    /// The HTTP status this error is sent with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Moved(_) => 302,
            AppError::Forbidden => 403,
            AppError::Unauthenticated => 401,
            AppError::Invalid { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::RateLimited => 429,
            AppError::Unavailable(_) => 503,
            AppError::Internal { .. } | AppError::Transport(_) => 500,
        }
    }

    /// An internal error carrying this request's id.
    #[cfg(feature = "ssr")]
    pub fn internal() -> Self {
        AppError::Internal {
            request_id: crate::context::request_id(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The one mapping from the domain's error kinds to what a visitor is shown, used by
    /// server functions, form posts and downloads alike. Internal details go to the log with
    /// `request_id`, never to the page.
    pub fn from_domain(error: domain::Error, request_id: Option<String>) -> Self {
        match error {
            domain::Error::NotFound => AppError::NotFound,
            domain::Error::Forbidden => AppError::Forbidden,
            domain::Error::Unauthenticated => AppError::Unauthenticated,
            domain::Error::Invalid { field, message } => AppError::Invalid {
                problems: vec![FieldProblem {
                    field: field.to_owned(),
                    message,
                }],
            },
            domain::Error::InvalidFields(problems) => AppError::Invalid {
                problems: problems
                    .into_iter()
                    .map(|problem| FieldProblem {
                        field: problem.field,
                        message: problem.message,
                    })
                    .collect(),
            },
            domain::Error::Conflict(message) => AppError::Conflict(message),
            domain::Error::RateLimited => AppError::RateLimited,
            domain::Error::Unavailable(message) => AppError::Unavailable(message),
            domain::Error::Internal(detail) => {
                tracing::error!(request_id = request_id.as_deref().unwrap_or("-"), %detail, "internal error");
                AppError::Internal { request_id }
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::Error> for AppError {
    /// Maps by kind ([`AppError::from_domain`]) and sets the response status.
    fn from(error: domain::Error) -> Self {
        let app_error = AppError::from_domain(error, crate::context::request_id());
        set_status(app_error.status());
        app_error
    }
}

/// Sets the status of the response being built, if there is one.
#[cfg(feature = "ssr")]
pub fn set_status(status: u16) {
    if let (Some(response), Ok(code)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(code);
    }
}
