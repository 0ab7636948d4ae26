//! Shared UI: formatting, forms, icons, error pages and small components.

pub mod error_pages;
pub mod format;
pub mod forms;
#[cfg(feature = "ssr")]
pub mod hydration;
pub mod icons;
pub mod lang_switch;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod phrases;
pub mod seo;

pub use error_pages::{BadRequestPage, ErrorPage, ForbiddenPage, Loading, NotFoundPage, gate};
