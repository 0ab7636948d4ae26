//! A client of Stripe's API (<https://docs.stripe.com/api>) for cards kept on file and
//! recurring charges: customers, a hosted Checkout Session that pays the first order and saves
//! the card for later (`setup_future_usage=off_session`), off-session charges for renewals,
//! refunds, and the verification of webhook signatures.
//!
//! Every `POST` carries an `Idempotency-Key`, so a retried request never charges twice. The
//! secret key goes only in the `Authorization` header; neither key appears in errors, logs or
//! `Debug` output.

use super::{
    ChargeOutcome, NewPayment, NewRefund, PaymentProvider, PaymentStatus, ProviderError,
    ProviderPayment, ProviderRefund, SavedCharge,
};
use crate::money::from_cents;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::time::Duration;

mod client;
mod provider;
pub use client::*;
pub use provider::*;

/// The name payments through Stripe carry.
pub const NAME: &str = "stripe";
/// Stripe's API, unless set otherwise (tests point it at a local fake).
pub const DEFAULT_BASE_URL: &str = "https://api.stripe.com/v1";
/// A webhook whose timestamp is further than this from now is refused (replays).
pub const SIGNATURE_TOLERANCE_SECONDS: i64 = 300;

/// What can go wrong talking to Stripe. Messages never carry a key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StripeError {
    #[error("Stripe does not know this object")]
    NotFound,
    /// A card error or an invalid request: Stripe's code and message.
    #[error("Stripe refused ({code}): {message}")]
    Refused { code: String, message: String },
    #[error("Stripe could not be reached or answered badly: {0}")]
    Unavailable(String),
}

/// Why a webhook is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("no usable Stripe-Signature header")]
    Malformed,
    #[error("the signature does not match")]
    Mismatch,
    #[error("the timestamp is outside the tolerance")]
    Expired,
    #[error("the body is not an event")]
    Body,
}

/// A Checkout Session (the hosted page of the first payment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutSession {
    pub id: String,
    /// Where the shopper pays (while open).
    pub url: Option<String>,
    /// `open`, `complete`, `expired`.
    pub status: String,
    /// `paid`, `unpaid`, `no_payment_required`.
    pub payment_status: String,
    pub payment_intent: Option<String>,
    /// The card saved for later charges, once paid.
    pub payment_method: Option<String>,
    /// Whose card it is (`cus_…`).
    pub customer: Option<String>,
    /// What the session charges, in cents.
    pub amount_total: i64,
}

/// A payment (PaymentIntent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentIntent {
    pub id: String,
    /// `succeeded`, `processing`, `requires_payment_method`, `requires_action`, `canceled`.
    pub status: String,
    pub amount_cents: i64,
    pub payment_method: Option<String>,
}

/// The outcome of an off-session charge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Charge {
    Succeeded(PaymentIntent),
    /// Declined, or the bank asks for the cardholder (`authentication_required`): Stripe's code
    /// and the payment it left behind.
    Declined {
        code: String,
        payment_intent: Option<String>,
    },
}

/// The `Stripe-Signature` header Stripe would send for `body` at `timestamp` (for tests and
/// the local fake).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex = hex::encode(mac.finalize().into_bytes());
    format!("t={timestamp},v1={hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> StripeClient {
        StripeClient::new(
            DEFAULT_BASE_URL,
            "sk_test_secret",
            "whsec_endpoint",
            Duration::from_secs(1),
        )
    }

    const BODY: &[u8] = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;

    #[test]
    fn a_signed_event_is_accepted() {
        let now = 1_795_000_000;
        let header = sign("whsec_endpoint", now - 10, BODY);
        let event = client().verify_webhook(&header, BODY, now).expect("valid");
        assert_eq!(event["type"], "checkout.session.completed");
        // Several signatures (a secret being rolled): one valid is enough.
        let rolled = format!("{header},v1={}", "ab".repeat(32));
        assert!(client().verify_webhook(&rolled, BODY, now).is_ok());
    }

    #[test]
    fn tampering_another_secret_or_an_old_timestamp_is_refused() {
        let now = 1_795_000_000;
        let header = sign("whsec_endpoint", now, BODY);
        let tampered = br#"{"id":"evt_1","type":"checkout.session.expired"}"#;
        assert_eq!(
            client().verify_webhook(&header, tampered, now),
            Err(SignatureError::Mismatch)
        );
        let other = sign("whsec_other", now, BODY);
        assert_eq!(
            client().verify_webhook(&other, BODY, now),
            Err(SignatureError::Mismatch)
        );
        let old = sign(
            "whsec_endpoint",
            now - SIGNATURE_TOLERANCE_SECONDS - 1,
            BODY,
        );
        assert_eq!(
            client().verify_webhook(&old, BODY, now),
            Err(SignatureError::Expired)
        );
        let edge = sign("whsec_endpoint", now - SIGNATURE_TOLERANCE_SECONDS, BODY);
        assert!(client().verify_webhook(&edge, BODY, now).is_ok());
        for bad in [
            "",
            "t=abc,v1=00",
            "v1=00",
            &format!("t={now}"),
            &format!("t={now},v1=zz"),
        ] {
            assert_eq!(
                client().verify_webhook(bad, BODY, now),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn keys_stay_hidden_and_ids_are_checked() {
        let shown = format!("{:?}", client());
        assert!(!shown.contains("sk_test_secret") && !shown.contains("whsec_endpoint"));
        assert!(is_id("pi_3MtwBwLkdIwHu7ix28a3tqPa", "pi_"));
        for bad in ["pi_", "pi_../x", "cs_123", "pi_a b"] {
            assert!(!is_id(bad, "pi_"), "{bad}");
        }
    }
}
