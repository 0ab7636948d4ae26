//! The shopping cart: kept in the browser (`gloo-storage`, mirrored in a small first-party
//! cookie so the server can render it), priced there by the shared engine, and re-priced by the
//! server from its own prices.

pub mod api;
pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reminders;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
pub mod store;
