//! The pricing engine: line totals, discounts, shipping, VAT per rate and the payment methods a
//! basket may use. Pure Rust on `rust_decimal`, compiled into the server and the WASM cart, so
//! the cart shows what the server will charge; the server always recomputes from its own prices.

pub mod defaults;
pub mod destinations;
pub mod engine;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod split;
#[cfg(test)]
mod tests;

pub use destinations::{Destination, Region};
pub use engine::{check_size, goods_after, quote};
pub use model::*;
pub use split::{allocate, cents, net_of};
