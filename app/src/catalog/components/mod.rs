//! Pieces of the catalogue pages.

mod filters;
mod gallery;
mod pagination;

pub use filters::{CategoryChips, ListingFilters};
pub use gallery::Gallery;
pub use pagination::Pagination;
