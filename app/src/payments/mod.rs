//! Payment providers. Checkout asks a provider for a payment and sends the shopper to its hosted
//! page; the provider sends the shopper back and notifies the shop's webhook with the payment's
//! id only, and the shop always asks the provider for the status before changing an order.
//!
//! The offline demo provider ([`demo`]) serves its hosted page from this very server and keeps
//! its records in its own table, so the store runs end to end without keys through the same
//! redirect-and-webhook path real providers use.

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod mollie;
#[cfg(feature = "ssr")]
pub mod stripe;

use serde::{Deserialize, Serialize};

crate::codes::coded! {
    /// A payment's status as the provider reports it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PaymentStatus {
        /// Waiting for the shopper.
        Open = "open",
        Paid = "paid",
        /// Refused by the bank or the shopper.
        Failed = "failed",
        Canceled = "canceled",
        Expired = "expired",
    }
}

impl PaymentStatus {
    /// Whether the payment can no longer succeed.
    pub fn is_final_failure(self) -> bool {
        matches!(
            self,
            PaymentStatus::Failed | PaymentStatus::Canceled | PaymentStatus::Expired
        )
    }
}

/// A provider's name as shoppers know it, from the name its payments carry.
pub fn display_name(name: &str) -> String {
    match name {
        "mollie" => "Mollie".to_owned(),
        "stripe" => "Stripe".to_owned(),
        "demo" => "Comptoir Pay".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(feature = "ssr")]
pub use provider::*;

#[cfg(feature = "ssr")]
mod provider {
    use super::PaymentStatus;
    use crate::pricing::PaymentMethod;
    use rust_decimal::Decimal;

    /// A payment to create.
    #[derive(Clone, Debug)]
    pub struct NewPayment {
        pub amount: Decimal,
        pub description: String,
        pub method: PaymentMethod,
        /// Where the provider sends the shopper back.
        pub redirect_url: String,
        /// Where the provider posts `id=…` when the status changes.
        pub webhook_url: String,
        /// The same key always gives the same payment (a retried or concurrent request).
        pub idempotency_key: String,
        /// Keep the card for later charges without the shopper (a first subscription order).
        pub save_card: Option<CardHolder>,
    }

    /// Whose card is kept.
    #[derive(Clone, Debug)]
    pub struct CardHolder {
        pub email: String,
        pub name: String,
    }

    /// A charge of a kept card, without the cardholder (a renewal).
    #[derive(Clone, Debug)]
    pub struct SavedCharge {
        /// The provider's reference of the kept card ([`ProviderPayment::mandate`]).
        pub mandate: String,
        pub amount: Decimal,
        pub description: String,
        /// The same key always gives the same charge.
        pub idempotency_key: String,
    }

    /// What a charge of a kept card did.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum ChargeOutcome {
        /// Paid: the payment's id.
        Paid(String),
        /// Refused by the bank (or it asks for the cardholder): its code, and the payment it
        /// left behind if any.
        Declined { code: String, id: Option<String> },
    }

    /// A payment as the provider knows it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ProviderPayment {
        pub id: String,
        pub status: PaymentStatus,
        pub amount: Decimal,
        /// The hosted page where the shopper pays (while open).
        pub checkout_url: Option<String>,
        /// The kept card, once a payment that asked to keep it is paid.
        pub mandate: Option<String>,
    }

    /// A refund to ask for.
    #[derive(Clone, Debug)]
    pub struct NewRefund {
        /// The provider's id of the payment refunded.
        pub payment_id: String,
        pub amount: Decimal,
        pub description: String,
        /// The same key always gives the same refund.
        pub idempotency_key: String,
    }

    /// A refund as the provider accepted it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ProviderRefund {
        pub id: String,
    }

    /// What can go wrong talking to a provider. The message is for the logs, never the page.
    #[derive(Debug, thiserror::Error)]
    pub enum ProviderError {
        #[error("the provider does not know this payment")]
        NotFound,
        /// The provider refused the request (a refund above what is left, say).
        #[error("the provider refused: {0}")]
        Refused(String),
        #[error("the provider could not be reached or answered badly: {0}")]
        Unavailable(String),
    }

    /// An amount that cannot be sent in cents is refused before the provider is called.
    impl From<crate::money::OutOfRange> for ProviderError {
        fn from(err: crate::money::OutOfRange) -> Self {
            ProviderError::Refused(err.to_string())
        }
    }

    /// What went wrong reaching `provider`, without the URL or anything the request carried
    /// (no key, no amount): "Mollie timed out".
    pub(crate) fn transport_failure(provider: &str, error: &reqwest::Error) -> String {
        let what = if error.is_timeout() {
            "timed out"
        } else if error.is_connect() {
            "could not connect"
        } else {
            "request failed"
        };
        format!("{provider} {what}")
    }

    /// A one-off payment provider.
    #[async_trait::async_trait]
    pub trait PaymentProvider: Send + Sync {
        /// The provider's name, stored with each payment (`demo`, `mollie`).
        fn name(&self) -> &'static str;

        /// Creates a payment and returns it with its hosted page.
        async fn create(&self, payment: NewPayment) -> Result<ProviderPayment, ProviderError>;

        /// The payment `id` as the provider knows it now.
        async fn get(&self, id: &str) -> Result<ProviderPayment, ProviderError>;

        /// Refunds all or part of a paid payment.
        async fn refund(&self, refund: NewRefund) -> Result<ProviderRefund, ProviderError>;

        /// Whether it keeps cards and charges them without the cardholder (subscriptions).
        fn recurring(&self) -> bool {
            false
        }

        /// Charges a kept card without the cardholder.
        async fn charge_saved(&self, charge: SavedCharge) -> Result<ChargeOutcome, ProviderError> {
            let _ = charge;
            Err(ProviderError::Refused(format!(
                "{} does not charge kept cards",
                self.name()
            )))
        }
    }

    /// The providers in use: one for one-off payments, one for subscriptions. A role without a
    /// configured provider is empty (the server refuses to start when that would leave the
    /// shop unable to take its payments); the demo provider fills a role only when enabled.
    #[derive(Clone)]
    pub struct Providers {
        pub one_off: Option<std::sync::Arc<dyn PaymentProvider>>,
        pub recurring: Option<std::sync::Arc<dyn PaymentProvider>>,
        /// Stripe's client when Stripe is the recurring provider (its webhooks are signed).
        pub stripe: Option<super::stripe::StripeClient>,
    }

    impl Providers {
        /// The provider whose payments carry `name`.
        pub fn named(&self, name: &str) -> Option<&dyn PaymentProvider> {
            [&self.one_off, &self.recurring]
                .into_iter()
                .flatten()
                .find(|p| p.name() == name)
                .map(|p| p.as_ref())
        }

        /// The provider for an order with (or without) subscription lines, if one is
        /// configured.
        pub fn for_order(&self, subscription: bool) -> Option<&dyn PaymentProvider> {
            if subscription {
                self.recurring.as_deref()
            } else {
                self.one_off.as_deref()
            }
        }
    }
}
