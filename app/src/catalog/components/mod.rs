//! Pieces of the catalogue pages.

mod filters;
mod gallery;
mod pagination;
pub mod phrases;
mod product_card;

pub use filters::{CategoryChips, ListingFilters};
pub use gallery::Gallery;
pub use pagination::Pagination;
pub use product_card::{ProductGrid, stock_class};
