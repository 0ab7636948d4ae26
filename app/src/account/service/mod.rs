//! Account use cases (server only). Each opens its own transaction when it writes; the server
//! functions in `account::api` only read the session, call one of these and answer.

pub(crate) mod mails;
pub mod passwords;
pub mod profile;
pub mod saved_cart;
mod sessions;
pub mod store;
pub mod tokens;
mod users;

pub use sessions::{
    FACTS, SessionFacts, device_name, end_other_sessions, session_views, sign_out_everywhere,
};
pub use users::{
    Caller, NewAccount, Verified, change_password, confirm_email_change, create_staff,
    current_user, full_names, reauthenticate, request_email_change, request_password_reset,
    reset_password, sign_in, sign_up, verify_email,
};

use crate::account::rules::InputError;

/// What can go wrong with an account action.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Input(#[from] InputError),
    /// Wrong address or password (never says which).
    #[error("wrong email or password")]
    InvalidCredentials,
    /// The address is not confirmed yet; a new link was sent.
    #[error("email not confirmed")]
    EmailNotVerified,
    /// Too many attempts; try again later.
    #[error("too many attempts")]
    Throttled,
    /// The link is unknown, used or expired.
    #[error("invalid or expired link")]
    InvalidLink,
    /// The current password given for a sensitive change is wrong.
    #[error("wrong current password")]
    WrongCurrentPassword,
    #[error("an account already uses this address")]
    EmailTaken,
    /// Not one of the caller's (whether it exists at all stays private).
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
    #[error("{0}")]
    Internal(String),
}
