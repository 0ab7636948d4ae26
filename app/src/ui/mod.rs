//! Shared UI: the page frame, formatting and small components.

pub mod error_pages;
pub mod format;
pub mod icons;
pub mod lang_switch;
pub mod layout;
pub mod product_card;

pub use error_pages::{ErrorPage, NotFoundPage};
pub use layout::Layout;
