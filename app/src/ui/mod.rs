//! Shared UI: the page frame, formatting and small components.

pub mod error_pages;
pub mod format;
#[cfg(feature = "ssr")]
pub mod hydration;
pub mod icons;
pub mod lang_switch;
pub mod layout;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod phrases;
pub mod product_card;
pub mod seo;

pub use error_pages::{BadRequestPage, ErrorPage, ForbiddenPage, Loading, NotFoundPage};
pub use layout::Layout;
