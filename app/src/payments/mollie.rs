//! A client of Mollie's Payments API (v2, <https://docs.mollie.com/reference/payments-api>):
//! create a payment, get a payment. Amounts are strings with two decimals, the shopper pays on
//! the page of `_links.checkout.href`, and Mollie posts `id=tr_…` to the webhook when the
//! status changes — the shop then always asks Mollie for the payment.
//!
//! The API key is sent only in the `Authorization` header and never appears in errors, logs or
//! `Debug` output.

use super::{
    NewPayment, NewRefund, PaymentProvider, PaymentStatus, ProviderError, ProviderPayment,
    ProviderRefund,
};
use crate::pricing::PaymentMethod;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::time::Duration;

/// The name payments through Mollie carry.
pub const NAME: &str = "mollie";
/// Mollie's API, unless set otherwise (tests point it at a local fake).
pub const DEFAULT_BASE_URL: &str = "https://api.mollie.com/v2";

/// The Mollie client.
#[derive(Clone)]
pub struct MollieProvider {
    http: reqwest::Client,
    base: String,
    api_key: String,
}

impl std::fmt::Debug for MollieProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MollieProvider")
            .field("base", &self.base)
            .field("api_key", &"[redacted]")
            .finish()
    }
}

/// Mollie's code of a payment method.
pub fn method_code(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Card => "creditcard",
        PaymentMethod::ApplePay => "applepay",
        PaymentMethod::Paypal => "paypal",
        PaymentMethod::Klarna3x => "klarna",
        PaymentMethod::Bancontact => "bancontact",
        // Offline methods never reach a provider; Mollie's own transfer is the nearest.
        PaymentMethod::BankTransfer | PaymentMethod::Cheque => "banktransfer",
    }
}

/// Mollie's amount: `{"currency": "EUR", "value": "12.30"}`.
pub fn amount_value(amount: Decimal) -> String {
    format!("{:.2}", amount.round_dp(2))
}

/// Whether `id` looks like a Mollie payment id (checked before it goes into a URL).
fn is_payment_id(id: &str) -> bool {
    id.len() <= 64
        && id.starts_with("tr_")
        && id[3..].chars().all(|c| c.is_ascii_alphanumeric())
        && id.len() > 3
}

#[derive(Deserialize)]
struct Amount {
    value: String,
}

#[derive(Deserialize)]
struct Link {
    href: String,
}

#[derive(Deserialize)]
struct Links {
    checkout: Option<Link>,
}

#[derive(Deserialize)]
struct Payment {
    id: String,
    status: String,
    amount: Amount,
    #[serde(rename = "_links")]
    links: Option<Links>,
}

/// Mollie's status as ours: `open`, `pending` and `authorized` are still under way.
fn status(mollie: &str) -> PaymentStatus {
    match mollie {
        "paid" => PaymentStatus::Paid,
        "failed" => PaymentStatus::Failed,
        "canceled" => PaymentStatus::Canceled,
        "expired" => PaymentStatus::Expired,
        _ => PaymentStatus::Open,
    }
}

impl MollieProvider {
    /// A client of the API at `base_url` with `api_key`, giving up on a call after `timeout`.
    pub fn new(base_url: &str, api_key: &str, timeout: Duration) -> MollieProvider {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .unwrap_or_default();
        MollieProvider {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
        }
    }

    async fn read(response: reqwest::Response) -> Result<ProviderPayment, ProviderError> {
        let code = response.status();
        if code == reqwest::StatusCode::NOT_FOUND {
            return Err(ProviderError::NotFound);
        }
        if !code.is_success() {
            // Mollie's error body names the problem; the key is never in it.
            let detail = response
                .json::<serde_json::Value>()
                .await
                .ok()
                .and_then(|v| v["detail"].as_str().map(str::to_owned))
                .unwrap_or_default();
            return Err(ProviderError::Unavailable(format!(
                "Mollie answered {code}: {detail}"
            )));
        }
        let payment: Payment = response
            .json()
            .await
            .map_err(|e| ProviderError::Unavailable(format!("unreadable Mollie answer: {e}")))?;
        let amount =
            payment.amount.value.parse::<Decimal>().map_err(|e| {
                ProviderError::Unavailable(format!("unreadable Mollie amount: {e}"))
            })?;
        let status = status(&payment.status);
        Ok(ProviderPayment {
            id: payment.id,
            status,
            amount,
            checkout_url: payment
                .links
                .and_then(|l| l.checkout)
                .map(|l| l.href)
                .filter(|_| status == PaymentStatus::Open),
            mandate: None,
        })
    }
}

fn unreachable(error: &reqwest::Error) -> ProviderError {
    ProviderError::Unavailable(super::transport_failure("Mollie", error))
}

#[async_trait::async_trait]
impl PaymentProvider for MollieProvider {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn create(&self, payment: NewPayment) -> Result<ProviderPayment, ProviderError> {
        let body = serde_json::json!({
            "amount": { "currency": "EUR", "value": amount_value(payment.amount) },
            "description": payment.description,
            "redirectUrl": payment.redirect_url,
            "webhookUrl": payment.webhook_url,
            "method": method_code(payment.method),
            "metadata": { "attempt": payment.idempotency_key },
        });
        let response = self
            .http
            .post(format!("{}/payments", self.base))
            .bearer_auth(&self.api_key)
            .header("Idempotency-Key", &payment.idempotency_key)
            .json(&body)
            .send()
            .await
            .map_err(|e| unreachable(&e))?;
        Self::read(response).await
    }

    async fn get(&self, id: &str) -> Result<ProviderPayment, ProviderError> {
        if !is_payment_id(id) {
            return Err(ProviderError::NotFound);
        }
        let response = self
            .http
            .get(format!("{}/payments/{id}", self.base))
            .bearer_auth(&self.api_key)
            .send()
            .await
            .map_err(|e| unreachable(&e))?;
        Self::read(response).await
    }

    async fn refund(&self, refund: NewRefund) -> Result<ProviderRefund, ProviderError> {
        if !is_payment_id(&refund.payment_id) {
            return Err(ProviderError::NotFound);
        }
        let body = serde_json::json!({
            "amount": { "currency": "EUR", "value": amount_value(refund.amount) },
            "description": refund.description,
        });
        let response = self
            .http
            .post(format!(
                "{}/payments/{}/refunds",
                self.base, refund.payment_id
            ))
            .bearer_auth(&self.api_key)
            .header("Idempotency-Key", &refund.idempotency_key)
            .json(&body)
            .send()
            .await
            .map_err(|e| unreachable(&e))?;
        let code = response.status();
        let answer: serde_json::Value = response.json().await.unwrap_or_default();
        match code {
            c if c.is_success() => answer["id"]
                .as_str()
                .map(|id| ProviderRefund { id: id.to_owned() })
                .ok_or_else(|| ProviderError::Unavailable("unreadable Mollie refund".into())),
            reqwest::StatusCode::NOT_FOUND => Err(ProviderError::NotFound),
            reqwest::StatusCode::UNPROCESSABLE_ENTITY => Err(ProviderError::Refused(
                answer["detail"].as_str().unwrap_or("refused").to_owned(),
            )),
            c => Err(ProviderError::Unavailable(format!("Mollie answered {c}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_have_two_decimals() {
        assert_eq!(amount_value(Decimal::new(77, 0)), "77.00");
        assert_eq!(amount_value(Decimal::new(7790, 2)), "77.90");
        assert_eq!(amount_value(Decimal::new(1_005, 3)), "1.00");
    }

    #[test]
    fn only_payment_ids_go_into_urls() {
        assert!(is_payment_id("tr_WDqYK6vllg"));
        for bad in ["", "tr_", "tr_../../refunds", "ord_123", "tr_a b", "tr_é"] {
            assert!(!is_payment_id(bad), "{bad}");
        }
    }

    #[test]
    fn statuses_map_and_the_key_stays_hidden() {
        assert_eq!(status("paid"), PaymentStatus::Paid);
        assert_eq!(status("authorized"), PaymentStatus::Open);
        assert_eq!(status("pending"), PaymentStatus::Open);
        assert_eq!(status("expired"), PaymentStatus::Expired);
        let client =
            MollieProvider::new(DEFAULT_BASE_URL, "test_secretkey", Duration::from_secs(1));
        assert!(!format!("{client:?}").contains("secretkey"));
    }
}
