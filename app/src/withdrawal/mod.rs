//! The online withdrawal function ("withdraw from the contract", EU) and the missing-item
//! claim: without signing in, order number and email, the lines declared, a receipt by email;
//! staff refund from `/admin/withdrawals`.

pub mod api;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
