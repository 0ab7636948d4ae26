//! The one error type that crosses the wire.
//!
//! Domain errors convert into [`AppError`]; the conversion picks the HTTP status and, for
//! internal failures, logs the real cause once and hands the browser an opaque message. Database
//! text never reaches a browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// An error a server function or page can report to the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request was malformed or a value was invalid; the message is safe to show.
    #[error("{0}")]
    BadRequest(String),
    #[error("not signed in")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The thing existed but is gone for good (an archived product).
    #[error("gone")]
    Gone,
    /// Too many attempts in a short time; the message is safe to show.
    #[error("{0}")]
    TooManyRequests(String),
    /// The request conflicts with the current state; the message is safe to show.
    #[error("{0}")]
    Conflict(String),
    /// A service we depend on (a payment provider) cannot answer now; the message is safe to
    /// show and says what to do.
    #[error("{0}")]
    Unavailable(String),
    /// Something failed on our side; the cause was logged, the browser learns nothing more.
    #[error("internal error")]
    Internal,
    /// The server could not be reached, or answered something unreadable (browser side).
    #[error("the server could not be reached")]
    Unreachable,
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Gone => StatusCode::GONE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal | AppError::Unreachable => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs `cause` once and returns the opaque internal error.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        AppError::Internal
    }

    /// This error, with its status set on the response being built (see [`AppError::set_status`]).
    #[cfg(feature = "ssr")]
    #[must_use]
    pub fn answered(self) -> Self {
        self.set_status();
        self
    }

    /// Sets this error's status on the response being built (server functions and pages).
    ///
    /// Not for a form posted without JavaScript: its answer is the redirect back to the form
    /// with the error in the URL (Leptos' form redirects), which a 4xx status would replace by
    /// the raw error.
    #[cfg(feature = "ssr")]
    pub fn set_status(&self) {
        if is_plain_form_post() {
            return;
        }
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(self.status());
        }
    }
}

/// Whether this request is a form posted by a browser without JavaScript (a `POST` that
/// accepts HTML): its answer is a redirect, back to the form on error.
#[cfg(feature = "ssr")]
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.method == http::Method::POST
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
    })
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        let error = AppError::internal(err);
        error.set_status();
        error
    }
}

/// An amount that does not fit in cents is a bug or corrupt data: logged, never rounded.
#[cfg(feature = "ssr")]
impl From<crate::money::OutOfRange> for AppError {
    fn from(err: crate::money::OutOfRange) -> Self {
        let error = AppError::internal(err);
        error.set_status();
        error
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest("invalid request".into())
            }
            // On the server, a body that does not decode is the client's error.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => AppError::BadRequest("invalid request".into()),
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Deserialization(_) => AppError::Unreachable,
            ServerFnErrorErr::Request(_) => AppError::Unreachable,
            #[cfg(feature = "ssr")]
            other => AppError::internal(other),
            #[cfg(not(feature = "ssr"))]
            _ => AppError::Internal,
        };
        #[cfg(feature = "ssr")]
        error.set_status();
        error
    }
}
