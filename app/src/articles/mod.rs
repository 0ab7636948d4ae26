//! Research articles: the public list and pages (with their related products, the Atom feed
//! and the sitemap entries), and the editors' tools at `/admin/articles` (Markdown with a live
//! preview rendered by the server, cover upload, tags, related products, drafts, scheduled
//! publication, and the log of who changed what). Editors see only these tools in the back
//! office; staff see them too.

pub mod admin;
pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod media;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod upload;
