//! Cookie consent and personal data: the banner and its proof log, the first-party audience
//! measurement that only runs with consent, the export of a customer's data and the erasure
//! of their account.

pub mod api;
pub mod components;
pub mod consent;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
