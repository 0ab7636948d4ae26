//! The products a shopper keeps an eye on: the signed-in customer's wishlist (a heart on every
//! card and product page, `/account/wishlist`) and back-in-stock alerts (on a product out of
//! stock, "tell me when it is back": one click for a signed-in customer, a confirmed email for
//! a visitor; one email when the stock returns, once).

pub mod api;
pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
