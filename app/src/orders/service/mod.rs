//! Orders on the server: placing one in a single transaction, paying it through a provider,
//! moving it through its statuses, invoicing it, and the emails each step sends.

pub mod after_sales;
pub mod delivery;
pub mod held;
pub mod hooks;
pub mod invoice;
pub mod lifecycle;
pub(crate) mod mails;
pub mod pay;
pub mod place;
pub mod refund;
pub mod staff;
pub mod unavailable;
pub mod view;

use crate::db::entities::order;
use crate::pricing::{AppliedAdjustment, PricingError};
use sea_orm::DbErr;

/// The discounts `order` took, one by one, as `place` stored them (none for an order placed
/// before discounts existed).
///
/// # Errors
/// The stored JSON is corrupt.
pub fn adjustments(order: &order::Model) -> Result<Vec<AppliedAdjustment>, DbErr> {
    crate::db::json::read("orders.adjustments", &order.adjustments)
}

/// Why an order could not be placed or changed. Each has a message for the shopper.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("the cart is empty")]
    EmptyCart,
    #[error("{0}")]
    Pricing(#[from] PricingError),
    #[error("a product appears twice")]
    DuplicateLine,
    /// Not enough left of the product named.
    #[error("no longer available: {0}")]
    Unavailable(String),
    /// A product no longer sold (archived or unknown).
    #[error("no longer sold: {0}")]
    NotOnSale(String),
    #[error("the shop does not deliver this cart there")]
    CannotDeliver,
    #[error("payment method not offered for this order")]
    MethodNotAllowed,
    /// A subscription needs an account (to manage it) and a card kept for renewals.
    #[error("a subscription needs an account")]
    SubscriptionNeedsAccount,
    /// The product is no longer offered by subscription at this frequency.
    #[error("no longer offered by subscription at this frequency: {0}")]
    FrequencyUnavailable(String),
    #[error("the terms of sale must be accepted")]
    TermsNotAccepted,
    #[error("the terms of sale changed")]
    TermsChanged,
    /// Too many orders for this address lately (each holds stock and emails it).
    #[error("too many orders for this address")]
    TooManyOrders,
    /// The total differs from the one the shopper reviewed (a price changed meanwhile).
    #[error("the total changed")]
    TotalChanged,
    #[error("order not found")]
    NotFound,
    /// A refund of nothing, of more than is left, or of fractions of a cent.
    #[error("refund amount not possible")]
    BadRefundAmount,
    /// Store credit is kept on an account: a guest's order is refunded to its payment method.
    #[error("store credit needs an account")]
    CreditNeedsAccount,
    /// The order is not in a status that allows this.
    #[error("not possible in the order's status")]
    IllegalTransition,
    #[error("payment provider: {0}")]
    Provider(#[from] crate::payments::ProviderError),
    #[error("database: {0}")]
    Database(#[from] DbErr),
    /// An advantage (promo code, referral, credit, points) cannot be had on this order.
    #[error("advantage: {0}")]
    Reward(crate::rewards::service::Refusal),
}

impl From<crate::money::OutOfRange> for OrderError {
    fn from(err: crate::money::OutOfRange) -> Self {
        OrderError::Database(err.into())
    }
}

impl From<crate::rewards::service::Refusal> for OrderError {
    fn from(refusal: crate::rewards::service::Refusal) -> Self {
        match refusal {
            crate::rewards::service::Refusal::Database(e) => OrderError::Database(e),
            other => OrderError::Reward(other),
        }
    }
}
