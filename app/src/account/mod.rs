//! Customer accounts: sign-up with a confirmed address, sign-in with sessions every server
//! instance shares, password reset by emailed single-use link, sign-out everywhere, and the
//! `/account` pages.

pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
