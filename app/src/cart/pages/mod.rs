//! The cart's pages.

mod cart;
mod reminders;

pub use cart::CartPage;
pub use reminders::AccountCartReminders;
