//! Personal data and consent on the server: cookie choices and audience, the export, the
//! erasure (on request and after inactivity).

pub mod consent;
pub mod data;
pub mod erasure;
pub mod guest;
pub mod notices;
pub mod objection;
pub mod processors;
pub mod retention;
