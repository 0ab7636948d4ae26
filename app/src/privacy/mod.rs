//! Cookie consent and personal data: the banner and its proof log, the first-party audience
//! measurement that only runs with consent.

pub mod api;
pub mod components;
pub mod consent;
#[cfg(feature = "ssr")]
pub mod service;
