//! Checkout and order server functions. Each step posts a plain form (it works before the WASM
//! loads); what was typed is kept in the session, so going back or forward shows it again, and
//! each refusal comes back next to its field. Prices, stock, VAT and totals are always the
//! server's own.

#[cfg(feature = "ssr")]
pub mod ssr;

mod checkout;
mod demo;
mod order;
mod place;

pub use checkout::*;
pub use demo::*;
pub use order::*;
pub use place::*;
