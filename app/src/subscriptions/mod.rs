//! Product subscriptions with tacit renewal: the date rules and the cancellation deadline
//! (the same in the browser and on the server), the subscriptions themselves, the renewal
//! worker, and the account and staff pages.

pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
