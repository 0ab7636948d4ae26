//! Personal data and consent on the server: cookie choices and audience.

pub mod consent;
