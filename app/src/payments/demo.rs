//! The offline demo provider: its hosted page is `/pay/demo/{id}` on this server, its records
//! the `demo_payments` table. When the shopper answers, it notifies the webhook with the
//! payment's id (an HTTP `POST`, as a real provider would), then sends the shopper back.

use super::{
    ChargeOutcome, NewPayment, NewRefund, PaymentProvider, PaymentStatus, ProviderError,
    ProviderPayment, ProviderRefund, SavedCharge,
};
use crate::db::entities::{demo_payment, demo_refund};
use crate::money::from_cents;
use chrono::Utc;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use std::time::Duration;

/// The name payments by this provider carry.
pub const NAME: &str = "demo";

/// A payment that asked to keep the card, not paid yet.
const CARD_REQUESTED: &str = "requested";
/// A kept card that pays renewals.
pub const CARD_OK: &str = "ok";
/// A kept card the bank refuses at renewals (to try failed renewals in the demo).
pub const CARD_DECLINES: &str = "declines";

/// The demo provider, on the shop's own database.
#[derive(Clone)]
pub struct DemoProvider {
    db: DatabaseConnection,
    public_url: String,
    http: reqwest::Client,
}

impl DemoProvider {
    pub fn new(db: DatabaseConnection, public_url: &str) -> DemoProvider {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        DemoProvider {
            db,
            public_url: public_url.trim_end_matches('/').to_owned(),
            http,
        }
    }

    /// `url` as a path of this site when it points into the public URL: the demo provider's
    /// pages are served by the shop itself, so the shopper stays on the origin they browse
    /// (which may differ from `APP__PUBLIC_URL`: another host name, a proxy) and the form on
    /// the demo page only ever redirects to its own origin.
    pub fn on_this_site(&self, url: &str) -> String {
        url.strip_prefix(&self.public_url)
            .filter(|path| path.starts_with('/'))
            .unwrap_or(url)
            .to_owned()
    }

    /// The payment `id` as its hosted page shows it.
    ///
    /// # Errors
    /// [`ProviderError::NotFound`] for an unknown id.
    pub async fn payment(&self, id: &str) -> Result<demo_payment::Model, ProviderError> {
        demo_payment::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await
            .map_err(|e| ProviderError::Unavailable(e.to_string()))?
            .ok_or(ProviderError::NotFound)
    }

    /// The shopper's answer on the hosted page: `Paid`, `Failed` (declined) or `Canceled`.
    /// Only an open payment changes; the webhook is then notified (in the background: the
    /// shopper is sent back at once, and whichever of the two reaches the shop first wins).
    /// A payment that asked to keep the card keeps it as `card` ([`CARD_OK`] or
    /// [`CARD_DECLINES`]) when paid. Returns where to send the shopper.
    ///
    /// # Errors
    /// [`ProviderError::NotFound`] for an unknown id.
    pub async fn answer(
        &self,
        id: &str,
        outcome: PaymentStatus,
        card: &str,
    ) -> Result<String, ProviderError> {
        let payment = self.payment(id).await?;
        if matches!(
            outcome,
            PaymentStatus::Paid | PaymentStatus::Failed | PaymentStatus::Canceled
        ) {
            let kept = match (&payment.saved_card, outcome) {
                (Some(_), PaymentStatus::Paid) => Some(card.to_owned()),
                (saved, _) => saved.clone(),
            };
            let changed = demo_payment::Entity::update_many()
                .col_expr(demo_payment::Column::Status, Expr::value(outcome.code()))
                .col_expr(demo_payment::Column::SavedCard, Expr::value(kept))
                .col_expr(demo_payment::Column::UpdatedAt, Expr::value(Utc::now()))
                .filter(demo_payment::Column::Id.eq(id))
                .filter(demo_payment::Column::Status.eq(PaymentStatus::Open.code()))
                .exec(&self.db)
                .await
                .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
            if changed.rows_affected == 1 {
                self.notify(&payment.webhook_url, id);
            }
        }
        Ok(self.on_this_site(&payment.redirect_url))
    }

    /// Posts `id=…` to the shop's webhook, as real providers do (retried twice on failure).
    fn notify(&self, webhook_url: &str, id: &str) {
        let http = self.http.clone();
        let url = webhook_url.to_owned();
        let body = [("id", id.to_owned())];
        tokio::spawn(async move {
            for attempt in 0..3u32 {
                match http.post(&url).form(&body).send().await {
                    Ok(response) if response.status().is_success() => return,
                    Ok(response) => {
                        tracing::warn!(status = %response.status(), attempt, "demo webhook refused");
                    }
                    Err(error) => tracing::warn!(%error, attempt, "demo webhook unreachable"),
                }
                tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt + 1))).await;
            }
        });
    }

    fn view(&self, model: &demo_payment::Model) -> ProviderPayment {
        let status = PaymentStatus::from_code(&model.status).unwrap_or(PaymentStatus::Open);
        ProviderPayment {
            id: model.id.clone(),
            status,
            amount: from_cents(model.amount_cents),
            // A path: the shopper pays on the origin they browse.
            checkout_url: (status == PaymentStatus::Open)
                .then(|| format!("/pay/demo/{}", model.id)),
            // The kept card is the payment that kept it.
            mandate: (status == PaymentStatus::Paid
                && matches!(model.saved_card.as_deref(), Some(CARD_OK | CARD_DECLINES)))
            .then(|| model.id.clone()),
        }
    }
}

/// A new payment id: `demo_` and 16 random letters and digits.
fn new_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    let tail: String = (0..16)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("demo_{tail}")
}

#[async_trait::async_trait]
impl PaymentProvider for DemoProvider {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn create(&self, payment: NewPayment) -> Result<ProviderPayment, ProviderError> {
        let now = Utc::now();
        let cents = crate::money::to_cents(payment.amount)?;
        let inserted = demo_payment::ActiveModel {
            id: Set(new_id()),
            idempotency_key: Set(payment.idempotency_key.clone()),
            amount_cents: Set(cents),
            description: Set(payment.description),
            method: Set(payment.method.code().to_owned()),
            redirect_url: Set(payment.redirect_url),
            webhook_url: Set(payment.webhook_url),
            status: Set(PaymentStatus::Open.code().to_owned()),
            saved_card: Set(payment.save_card.map(|_| CARD_REQUESTED.to_owned())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.db)
        .await;
        let model = match inserted {
            Ok(model) => model,
            // The key was used already: that payment is the answer.
            Err(error) => demo_payment::Entity::find()
                .filter(demo_payment::Column::IdempotencyKey.eq(&payment.idempotency_key))
                .one(&self.db)
                .await
                .map_err(|e| ProviderError::Unavailable(e.to_string()))?
                .ok_or_else(|| ProviderError::Unavailable(error.to_string()))?,
        };
        Ok(self.view(&model))
    }

    async fn get(&self, id: &str) -> Result<ProviderPayment, ProviderError> {
        Ok(self.view(&self.payment(id).await?))
    }

    fn recurring(&self) -> bool {
        true
    }

    async fn charge_saved(&self, charge: SavedCharge) -> Result<ChargeOutcome, ProviderError> {
        let unavailable = |e: sea_orm::DbErr| ProviderError::Unavailable(e.to_string());
        let by_key = || {
            demo_payment::Entity::find()
                .filter(demo_payment::Column::IdempotencyKey.eq(&charge.idempotency_key))
                .one(&self.db)
        };
        let outcome = |model: &demo_payment::Model| {
            if model.status == PaymentStatus::Paid.code() {
                ChargeOutcome::Paid(model.id.clone())
            } else {
                ChargeOutcome::Declined {
                    code: "card_declined".into(),
                    id: Some(model.id.clone()),
                }
            }
        };
        if let Some(done) = by_key().await.map_err(unavailable)? {
            return Ok(outcome(&done));
        }
        let card = self.payment(&charge.mandate).await?;
        let pays = match card.saved_card.as_deref() {
            Some(CARD_OK) if card.status == PaymentStatus::Paid.code() => true,
            Some(CARD_DECLINES) if card.status == PaymentStatus::Paid.code() => false,
            _ => {
                return Err(ProviderError::Refused(
                    "no card kept under this reference".into(),
                ));
            }
        };
        let now = Utc::now();
        let status = if pays {
            PaymentStatus::Paid
        } else {
            PaymentStatus::Failed
        };
        let inserted = demo_payment::ActiveModel {
            id: Set(new_id()),
            idempotency_key: Set(charge.idempotency_key.clone()),
            amount_cents: Set(crate::money::to_cents(charge.amount)?),
            description: Set(charge.description),
            method: Set(card.method),
            redirect_url: Set(String::new()),
            webhook_url: Set(String::new()),
            status: Set(status.code().to_owned()),
            saved_card: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.db)
        .await;
        match inserted {
            Ok(model) => Ok(outcome(&model)),
            // A concurrent request with the same key made it: that charge is the answer.
            Err(error) => by_key()
                .await
                .map_err(unavailable)?
                .map(|model| outcome(&model))
                .ok_or_else(|| ProviderError::Unavailable(error.to_string())),
        }
    }

    async fn refund(&self, refund: NewRefund) -> Result<ProviderRefund, ProviderError> {
        let unavailable = |e: sea_orm::DbErr| ProviderError::Unavailable(e.to_string());
        if let Some(done) = demo_refund::Entity::find()
            .filter(demo_refund::Column::IdempotencyKey.eq(&refund.idempotency_key))
            .one(&self.db)
            .await
            .map_err(unavailable)?
        {
            return Ok(ProviderRefund { id: done.id });
        }
        let payment = self.payment(&refund.payment_id).await?;
        if payment.status != PaymentStatus::Paid.code() {
            return Err(ProviderError::Refused("the payment is not paid".into()));
        }
        let refunded: i64 = demo_refund::Entity::find()
            .filter(demo_refund::Column::PaymentId.eq(&payment.id))
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .iter()
            .map(|r| r.amount_cents)
            .sum();
        let cents = crate::money::to_cents(refund.amount)?;
        if cents <= 0 || refunded + cents > payment.amount_cents {
            return Err(ProviderError::Refused(
                "the amount is higher than what is left to refund".into(),
            ));
        }
        let id = new_id().replacen("demo_", "demore_", 1);
        demo_refund::ActiveModel {
            id: Set(id.clone()),
            payment_id: Set(payment.id),
            amount_cents: Set(cents),
            idempotency_key: Set(refund.idempotency_key),
            created_at: Set(Utc::now()),
        }
        .insert(&self.db)
        .await
        .map_err(unavailable)?;
        Ok(ProviderRefund { id })
    }
}
