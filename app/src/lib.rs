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
pub mod clock;
pub mod codes;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod email;
pub mod error;
pub mod home;
pub mod i18n;
pub mod legal;
pub mod money;
pub mod newsletter;
pub mod orders;
pub mod payments;
pub mod pricing;
pub mod privacy;
pub mod promotions;
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
pub mod withdrawal;

pub use routes::App;
#[cfg(feature = "ssr")]
pub use routes::shell;
