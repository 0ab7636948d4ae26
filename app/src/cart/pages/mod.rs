//! The cart's pages.

mod cart;

pub use cart::CartPage;
