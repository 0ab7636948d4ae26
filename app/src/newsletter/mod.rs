//! The newsletter: double opt-in, one-click unsubscribe without signing in, the state in the
//! account, and the staff's campaigns (marketing emails with `List-Unsubscribe` headers).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
