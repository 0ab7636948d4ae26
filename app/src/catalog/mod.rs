//! The catalogue: categories and products.

pub mod api;
pub mod components;
pub mod json_ld;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod variants;
