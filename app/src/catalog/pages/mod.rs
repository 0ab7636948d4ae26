//! The catalogue's pages.

mod listing;
mod product;

pub use listing::ProductsPage;
pub use product::ProductPage;
