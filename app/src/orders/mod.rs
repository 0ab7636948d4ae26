//! Checkout and orders: the legal steps at `/checkout`, placing an order in one transaction,
//! paying it (demo provider, bank transfer, cheque), its statuses, invoices and emails, and the
//! order page at `/orders/{number}`.

pub mod after_sales;
pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod tracking;
