//! Promo codes: a percentage or an amount off, from a minimum basket, between two dates, within
//! usage limits overall and per customer, on the whole basket or some products or categories.
//! Staff manage them at `/admin/promotions`; a shopper types one at checkout's review step. The
//! discount goes through the pricing engine's adjustment hook, so the review, the order and
//! its invoice agree to the cent; each use is taken in the order's own transaction, under the
//! code's row lock, so a limit holds against concurrent checkouts.
//!
//! Sales (`/admin/sales`, [`sales`]): a percentage or a new price on products between two
//! moments, put in force on the products themselves (`service::sales::apply`) and announced
//! against the reference price of the price history (L112-1-1).

pub mod admin;
pub mod rules;
pub mod sales;
#[cfg(feature = "ssr")]
pub mod service;
