//! The cart's islands.

mod add_to_cart;
mod badge;
mod cart_view;
pub mod phrases;
mod totals;

pub use add_to_cart::{AddToCart, Subscribe, form_context};
pub use badge::CartBadge;
pub use cart_view::CartView;
pub use totals::QuoteTotals;
