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

/// The Stripe client.
#[derive(Clone)]
pub struct StripeClient {
    http: reqwest::Client,
    base: String,
    secret_key: String,
    webhook_secret: String,
}

impl std::fmt::Debug for StripeClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeClient")
            .field("base", &self.base)
            .field("secret_key", &"[redacted]")
            .field("webhook_secret", &"[redacted]")
            .finish()
    }
}

/// Whether `id` looks like a Stripe id with `prefix` (checked before it goes into a URL).
fn is_id(id: &str, prefix: &str) -> bool {
    id.len() <= 255
        && id.len() > prefix.len()
        && id.starts_with(prefix)
        && id[prefix.len()..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn text(value: &Value, key: &str) -> Option<String> {
    value[key].as_str().map(str::to_owned)
}

/// An id that Stripe may give as a string or, expanded, as an object.
fn id_of(value: &Value) -> Option<String> {
    value
        .as_str()
        .map(str::to_owned)
        .or_else(|| text(value, "id"))
}

fn intent(value: &Value) -> Result<PaymentIntent, StripeError> {
    Ok(PaymentIntent {
        id: text(value, "id").ok_or_else(|| StripeError::Unavailable("no id".into()))?,
        status: text(value, "status").unwrap_or_default(),
        amount_cents: value["amount"].as_i64().unwrap_or(0),
        payment_method: id_of(&value["payment_method"]),
    })
}

fn session(value: &Value) -> Result<CheckoutSession, StripeError> {
    Ok(CheckoutSession {
        id: text(value, "id").ok_or_else(|| StripeError::Unavailable("no id".into()))?,
        url: text(value, "url"),
        status: text(value, "status").unwrap_or_default(),
        payment_status: text(value, "payment_status").unwrap_or_default(),
        payment_intent: id_of(&value["payment_intent"]),
        payment_method: id_of(&value["payment_intent"]["payment_method"]),
        customer: id_of(&value["customer"]),
        amount_total: value["amount_total"].as_i64().unwrap_or(0),
    })
}

fn unreachable(error: &reqwest::Error) -> StripeError {
    StripeError::Unavailable(super::transport_failure("Stripe", error))
}

/// Hex digits to bytes (`None` for anything else).
fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

impl StripeClient {
    /// A client of the API at `base_url`, giving up on a call after `timeout`.
    pub fn new(
        base_url: &str,
        secret_key: &str,
        webhook_secret: &str,
        timeout: Duration,
    ) -> StripeClient {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .unwrap_or_default();
        StripeClient {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
            secret_key: secret_key.to_owned(),
            webhook_secret: webhook_secret.to_owned(),
        }
    }

    async fn answer(response: reqwest::Response) -> Result<Value, StripeError> {
        let code = response.status();
        let body: Value = response
            .json()
            .await
            .map_err(|_| StripeError::Unavailable(format!("unreadable Stripe answer ({code})")))?;
        if code.is_success() {
            return Ok(body);
        }
        if code == reqwest::StatusCode::NOT_FOUND {
            return Err(StripeError::NotFound);
        }
        if code.is_client_error() && code != reqwest::StatusCode::UNAUTHORIZED {
            let error = &body["error"];
            return Err(StripeError::Refused {
                code: text(error, "code")
                    .or_else(|| text(error, "type"))
                    .unwrap_or_else(|| code.as_u16().to_string()),
                message: text(error, "message").unwrap_or_default(),
            });
        }
        Err(StripeError::Unavailable(format!("Stripe answered {code}")))
    }

    /// A form `POST` to `path` under idempotency `key`.
    async fn send(
        &self,
        path: &str,
        form: &[(&str, String)],
        key: &str,
    ) -> Result<reqwest::Response, StripeError> {
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.secret_key)
            .header("Idempotency-Key", key)
            .form(form)
            .send()
            .await
            .map_err(|e| unreachable(&e))
    }

    async fn post(
        &self,
        path: &str,
        form: &[(&str, String)],
        key: &str,
    ) -> Result<Value, StripeError> {
        Self::answer(self.send(path, form, key).await?).await
    }

    async fn get(&self, path: &str) -> Result<Value, StripeError> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.secret_key)
            .send()
            .await
            .map_err(|e| unreachable(&e))?;
        Self::answer(response).await
    }

    /// Creates the customer a card is saved for; returns its id (`cus_…`).
    ///
    /// # Errors
    /// [`StripeError`].
    pub async fn create_customer(
        &self,
        email: &str,
        name: &str,
        key: &str,
    ) -> Result<String, StripeError> {
        let customer = self
            .post(
                "/customers",
                &[("email", email.to_owned()), ("name", name.to_owned())],
                key,
            )
            .await?;
        text(&customer, "id").ok_or_else(|| StripeError::Unavailable("no customer id".into()))
    }

    /// A hosted page where `customer` pays `amount_cents` and saves the card for later
    /// off-session charges; back to `success_url` or `cancel_url`.
    ///
    /// # Errors
    /// [`StripeError`].
    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per field Stripe needs"
    )]
    pub async fn create_checkout_session(
        &self,
        customer: &str,
        amount_cents: i64,
        description: &str,
        reference: &str,
        success_url: &str,
        cancel_url: &str,
        key: &str,
    ) -> Result<CheckoutSession, StripeError> {
        let form = [
            ("mode", "payment".to_owned()),
            ("customer", customer.to_owned()),
            ("client_reference_id", reference.to_owned()),
            ("payment_method_types[0]", "card".to_owned()),
            (
                "payment_intent_data[setup_future_usage]",
                "off_session".to_owned(),
            ),
            ("line_items[0][quantity]", "1".to_owned()),
            ("line_items[0][price_data][currency]", "eur".to_owned()),
            (
                "line_items[0][price_data][unit_amount]",
                amount_cents.to_string(),
            ),
            (
                "line_items[0][price_data][product_data][name]",
                description.to_owned(),
            ),
            ("success_url", success_url.to_owned()),
            ("cancel_url", cancel_url.to_owned()),
        ];
        session(&self.post("/checkout/sessions", &form, key).await?)
    }

    /// The Checkout Session `id` with its payment (and the card it saved).
    ///
    /// # Errors
    /// [`StripeError`].
    pub async fn checkout_session(&self, id: &str) -> Result<CheckoutSession, StripeError> {
        if !is_id(id, "cs_") {
            return Err(StripeError::NotFound);
        }
        session(
            &self
                .get(&format!("/checkout/sessions/{id}?expand[]=payment_intent"))
                .await?,
        )
    }

    /// The payment `id`.
    ///
    /// # Errors
    /// [`StripeError`].
    pub async fn payment_intent(&self, id: &str) -> Result<PaymentIntent, StripeError> {
        if !is_id(id, "pi_") {
            return Err(StripeError::NotFound);
        }
        intent(&self.get(&format!("/payment_intents/{id}")).await?)
    }

    /// Charges `amount_cents` to the saved card `payment_method` of `customer`, without the
    /// cardholder (a renewal).
    ///
    /// # Errors
    /// [`StripeError`] other than a card decline (which is [`Charge::Declined`]).
    pub async fn charge_off_session(
        &self,
        customer: &str,
        payment_method: &str,
        amount_cents: i64,
        description: &str,
        key: &str,
    ) -> Result<Charge, StripeError> {
        let form = [
            ("amount", amount_cents.to_string()),
            ("currency", "eur".to_owned()),
            ("customer", customer.to_owned()),
            ("payment_method", payment_method.to_owned()),
            ("off_session", "true".to_owned()),
            ("confirm", "true".to_owned()),
            ("description", description.to_owned()),
        ];
        let response = self.send("/payment_intents", &form, key).await?;
        if response.status() == reqwest::StatusCode::PAYMENT_REQUIRED {
            let body: Value = response.json().await.unwrap_or_default();
            let error = &body["error"];
            return Ok(Charge::Declined {
                code: text(error, "decline_code")
                    .or_else(|| text(error, "code"))
                    .unwrap_or_else(|| "card_declined".into()),
                payment_intent: id_of(&error["payment_intent"]),
            });
        }
        let paid = intent(&Self::answer(response).await?)?;
        Ok(if paid.status == "succeeded" {
            Charge::Succeeded(paid)
        } else {
            Charge::Declined {
                code: paid.status.clone(),
                payment_intent: Some(paid.id),
            }
        })
    }

    /// Refunds `amount_cents` of payment `payment_intent`; returns the refund's id (`re_…`).
    ///
    /// # Errors
    /// [`StripeError`].
    pub async fn refund(
        &self,
        payment_intent: &str,
        amount_cents: i64,
        key: &str,
    ) -> Result<String, StripeError> {
        if !is_id(payment_intent, "pi_") {
            return Err(StripeError::NotFound);
        }
        let refund = self
            .post(
                "/refunds",
                &[
                    ("payment_intent", payment_intent.to_owned()),
                    ("amount", amount_cents.to_string()),
                ],
                key,
            )
            .await?;
        text(&refund, "id").ok_or_else(|| StripeError::Unavailable("no refund id".into()))
    }

    /// The event in `body` if `signature` (the `Stripe-Signature` header: `t=…,v1=…`) is
    /// Stripe's HMAC-SHA256 of `"{t}.{body}"` with the endpoint's secret, compared in constant
    /// time, and `t` is within [`SIGNATURE_TOLERANCE_SECONDS`] of `now` (Unix seconds).
    ///
    /// # Errors
    /// [`SignatureError`].
    pub fn verify_webhook(
        &self,
        signature: &str,
        body: &[u8],
        now: i64,
    ) -> Result<Value, SignatureError> {
        let mut timestamp = None;
        let mut candidates = Vec::new();
        for part in signature.split(',') {
            match part.trim().split_once('=') {
                Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
                Some(("v1", v)) => candidates.extend(unhex(v)),
                _ => {}
            }
        }
        let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
        if candidates.is_empty() {
            return Err(SignatureError::Malformed);
        }
        let signed = |candidate: &[u8]| {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(self.webhook_secret.as_bytes()) else {
                return false;
            };
            mac.update(timestamp.to_string().as_bytes());
            mac.update(b".");
            mac.update(body);
            // `verify_slice` compares in constant time.
            mac.verify_slice(candidate).is_ok()
        };
        if !candidates.iter().any(|c| signed(c)) {
            return Err(SignatureError::Mismatch);
        }
        if (now - timestamp).abs() > SIGNATURE_TOLERANCE_SECONDS {
            return Err(SignatureError::Expired);
        }
        serde_json::from_slice(body).map_err(|_| SignatureError::Body)
    }
}

/// Stripe as the shop's recurring provider: a first payment is a Checkout Session that keeps
/// the card (`cs_…`), a renewal an off-session PaymentIntent (`pi_…`); the kept card's
/// reference is `cus_… pm_…`.
#[derive(Clone, Debug)]
pub struct StripeProvider {
    pub client: StripeClient,
}

fn provider_error(error: StripeError) -> ProviderError {
    match error {
        StripeError::NotFound => ProviderError::NotFound,
        StripeError::Refused { code, message } => {
            ProviderError::Refused(format!("{code}: {message}"))
        }
        StripeError::Unavailable(text) => ProviderError::Unavailable(text),
    }
}

fn session_status(session: &CheckoutSession) -> PaymentStatus {
    match (session.status.as_str(), session.payment_status.as_str()) {
        (_, "paid" | "no_payment_required") => PaymentStatus::Paid,
        ("expired", _) => PaymentStatus::Expired,
        _ => PaymentStatus::Open,
    }
}

fn intent_status(intent: &PaymentIntent) -> PaymentStatus {
    match intent.status.as_str() {
        "succeeded" => PaymentStatus::Paid,
        "canceled" => PaymentStatus::Canceled,
        "requires_payment_method" => PaymentStatus::Failed,
        _ => PaymentStatus::Open,
    }
}

#[async_trait::async_trait]
impl PaymentProvider for StripeProvider {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn create(&self, payment: NewPayment) -> Result<ProviderPayment, ProviderError> {
        let cents = crate::money::to_cents(payment.amount)?;
        let holder = payment.save_card.ok_or_else(|| {
            ProviderError::Refused("Stripe takes only payments that keep the card".into())
        })?;
        let customer = self
            .client
            .create_customer(
                &holder.email,
                &holder.name,
                &format!("{}-customer", payment.idempotency_key),
            )
            .await
            .map_err(provider_error)?;
        let session = self
            .client
            .create_checkout_session(
                &customer,
                cents,
                &payment.description,
                &payment.idempotency_key,
                &payment.redirect_url,
                &payment.redirect_url,
                &payment.idempotency_key,
            )
            .await
            .map_err(provider_error)?;
        Ok(ProviderPayment {
            status: session_status(&session),
            amount: payment.amount,
            checkout_url: session.url.clone(),
            mandate: None,
            id: session.id,
        })
    }

    async fn get(&self, id: &str) -> Result<ProviderPayment, ProviderError> {
        if id.starts_with("cs_") {
            let session = self
                .client
                .checkout_session(id)
                .await
                .map_err(provider_error)?;
            let status = session_status(&session);
            let mandate = match (&session.customer, &session.payment_method) {
                (Some(customer), Some(method)) if status == PaymentStatus::Paid => {
                    Some(format!("{customer} {method}"))
                }
                _ => None,
            };
            return Ok(ProviderPayment {
                status,
                amount: from_cents(session.amount_total),
                checkout_url: session.url.filter(|_| status == PaymentStatus::Open),
                mandate,
                id: session.id,
            });
        }
        let intent = self
            .client
            .payment_intent(id)
            .await
            .map_err(provider_error)?;
        Ok(ProviderPayment {
            status: intent_status(&intent),
            amount: from_cents(intent.amount_cents),
            checkout_url: None,
            mandate: None,
            id: intent.id,
        })
    }

    async fn refund(&self, refund: NewRefund) -> Result<ProviderRefund, ProviderError> {
        let intent = if refund.payment_id.starts_with("cs_") {
            self.client
                .checkout_session(&refund.payment_id)
                .await
                .map_err(provider_error)?
                .payment_intent
                .ok_or_else(|| ProviderError::Refused("the session has no payment".into()))?
        } else {
            refund.payment_id.clone()
        };
        let id = self
            .client
            .refund(
                &intent,
                crate::money::to_cents(refund.amount)?,
                &refund.idempotency_key,
            )
            .await
            .map_err(provider_error)?;
        Ok(ProviderRefund { id })
    }

    fn recurring(&self) -> bool {
        true
    }

    async fn charge_saved(&self, charge: SavedCharge) -> Result<ChargeOutcome, ProviderError> {
        let Some((customer, method)) = charge.mandate.split_once(' ') else {
            return Err(ProviderError::Refused("not a kept card".into()));
        };
        let outcome = self
            .client
            .charge_off_session(
                customer,
                method,
                crate::money::to_cents(charge.amount)?,
                &charge.description,
                &charge.idempotency_key,
            )
            .await
            .map_err(provider_error)?;
        Ok(match outcome {
            Charge::Succeeded(intent) => ChargeOutcome::Paid(intent.id),
            Charge::Declined {
                code,
                payment_intent,
            } => ChargeOutcome::Declined {
                code,
                id: payment_intent,
            },
        })
    }
}

/// The `Stripe-Signature` header Stripe would send for `body` at `timestamp` (for tests and
/// the local fake).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
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
