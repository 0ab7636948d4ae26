//! Legal pages: terms of sale (versioned with effective dates; an order keeps the version
//! accepted), withdrawal, privacy policy, cookie policy and legal notice. Texts are Markdown,
//! written by staff in the back office, rendered and sanitised on the server.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
