//! Verified reviews (Code de la consommation L111-7-2 and D111-17): only the customer of a
//! delivered order with the product may rate it (1–5) and write about it, once per product per
//! order; staff read every review before it is published and tell the author why one is
//! refused. Reviews are personal data: exported with the account, and anonymised (published)
//! or deleted (the others) when it is erased.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
