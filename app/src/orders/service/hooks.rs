//! What later domains do when something happens to an order. `orders` comes before them in the
//! dependency order (ARCHITECTURE.md) and never imports them: it calls these hooks, inside the
//! transaction that changed the order, and the shell (`server::app_state`) wires the domains'
//! implementations.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, DbErr};

/// An order that has just been marked paid.
#[derive(Clone, Copy, Debug)]
pub struct PaidOrder<'a> {
    pub order_id: i32,
    /// The payment provider that took the money (`mollie`, `stripe`, `demo`, …).
    pub provider: &'a str,
    /// The provider's reusable payment method (a mandate or a saved card), when it kept one.
    pub mandate: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// The hooks an order calls.
#[async_trait]
pub trait OrderHooks: Send + Sync {
    /// `paid` was marked paid in `txn`: what is done here commits or rolls back with it.
    ///
    /// # Errors
    /// The database error, which rolls the payment back too.
    async fn order_paid(&self, txn: &DatabaseTransaction, paid: PaidOrder<'_>)
    -> Result<(), DbErr>;
}
