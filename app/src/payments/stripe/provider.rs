//! Stripe as one of the shop's payment providers: statuses mapped to the shop's, errors to its errors.

use super::*;

/// Stripe as the shop's recurring provider: a first payment is a Checkout Session that keeps
/// the card (`cs_…`), a renewal an off-session PaymentIntent (`pi_…`); the kept card's
/// reference is `cus_… pm_…`.
#[derive(Clone, Debug)]
pub struct StripeProvider {
    pub client: StripeClient,
}

pub(super) fn provider_error(error: StripeError) -> ProviderError {
    match error {
        StripeError::NotFound => ProviderError::NotFound,
        StripeError::Refused { code, message } => {
            ProviderError::Refused(format!("{code}: {message}"))
        }
        StripeError::Unavailable(text) => ProviderError::Unavailable(text),
    }
}

pub(super) fn session_status(session: &CheckoutSession) -> PaymentStatus {
    match (session.status.as_str(), session.payment_status.as_str()) {
        (_, "paid" | "no_payment_required") => PaymentStatus::Paid,
        ("expired", _) => PaymentStatus::Expired,
        _ => PaymentStatus::Open,
    }
}

pub(super) fn intent_status(intent: &PaymentIntent) -> PaymentStatus {
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
