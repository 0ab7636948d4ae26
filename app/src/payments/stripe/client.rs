//! The HTTP client of Stripe's API: customers, Checkout Sessions, PaymentIntents, refunds, each POST with an idempotency key.

use super::*;

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
pub(super) fn is_id(id: &str, prefix: &str) -> bool {
    id.len() <= 255
        && id.len() > prefix.len()
        && id.starts_with(prefix)
        && id[prefix.len()..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(super) fn text(value: &Value, key: &str) -> Option<String> {
    value[key].as_str().map(str::to_owned)
}

/// An id that Stripe may give as a string or, expanded, as an object.
pub(super) fn id_of(value: &Value) -> Option<String> {
    value
        .as_str()
        .map(str::to_owned)
        .or_else(|| text(value, "id"))
}

pub(super) fn intent(value: &Value) -> Result<PaymentIntent, StripeError> {
    Ok(PaymentIntent {
        id: text(value, "id").ok_or_else(|| StripeError::Unavailable("no id".into()))?,
        status: text(value, "status").unwrap_or_default(),
        amount_cents: value["amount"].as_i64().unwrap_or(0),
        payment_method: id_of(&value["payment_method"]),
    })
}

pub(super) fn session(value: &Value) -> Result<CheckoutSession, StripeError> {
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

pub(super) fn unreachable(error: &reqwest::Error) -> StripeError {
    StripeError::Unavailable(super::super::transport_failure("Stripe", error))
}

/// Hex digits to bytes (`None` for anything else).
pub(super) fn unhex(text: &str) -> Option<Vec<u8>> {
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

    /// Deletes `customer` (`cus_…`) at Stripe, which also detaches every card kept for it.
    /// Stripe answers a customer already deleted with "not found": that is a success here.
    ///
    /// # Errors
    /// [`StripeError`] (an id that is not a customer's is [`StripeError::Refused`]).
    pub async fn delete_customer(&self, customer: &str) -> Result<(), StripeError> {
        if !is_id(customer, "cus_") {
            return Err(StripeError::Refused {
                code: "invalid_id".into(),
                message: "not a customer id".into(),
            });
        }
        let response = self
            .http
            .delete(format!("{}/customers/{customer}", self.base))
            .bearer_auth(&self.secret_key)
            .send()
            .await
            .map_err(|e| unreachable(&e))?;
        match Self::answer(response).await {
            Ok(answer) if answer["deleted"] == Value::Bool(true) => Ok(()),
            Ok(_) => Err(StripeError::Unavailable(
                "Stripe did not confirm the deletion".into(),
            )),
            Err(StripeError::NotFound) => Ok(()),
            Err(error) => Err(error),
        }
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
