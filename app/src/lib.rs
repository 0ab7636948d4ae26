//! Comptoir: the storefront application, shared by the server (`ssr`) and the browser
//! (`hydrate`, islands only).
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod articles;
#[cfg(feature = "ssr")]
pub mod cache;
pub mod cart;
pub mod catalog;
pub mod codes;
#[cfg(feature = "ssr")]
pub mod email;
pub mod error;
pub mod home;
pub mod i18n;
pub mod legal;
pub mod newsletter;
pub mod orders;
pub mod payments;
pub mod pricing;
pub mod privacy;
pub mod promotions;
pub mod reviews;
pub mod rewards;
pub mod routes;
pub mod security;
pub mod settings;
#[cfg(feature = "ssr")]
pub mod state;
pub mod subscriptions;
#[cfg(feature = "ssr")]
pub mod throttle;
pub mod ui;
pub mod wishlist;
pub mod withdrawal;

pub use comptoir_base::{clock, money};
/// The database layer lives in its own crate (`app/db`): an edit in a page does not recompile
/// 42 entities and 30 migrations. Re-exported so every path reads `crate::db::…`.
#[cfg(feature = "ssr")]
pub use comptoir_db as db;
pub use routes::App;
#[cfg(feature = "ssr")]
pub use routes::shell;
