//! An order after it is placed: its page, invoice, payment again, late cancellation, the
//! choice for unavailable items, offline payments, the customer's list and refunds.

use crate::error::AppError;
use crate::orders::model::OrderView;
use leptos::prelude::*;

/// The hand-off to the provider's hosted page of order `number` (owner or link holder).
#[server(prefix = "/api", endpoint = "orders/pay/view")]
pub async fn get_payment_handoff(
    number: String,
    key: Option<String>,
) -> Result<crate::orders::model::PaymentHandOff, AppError> {
    use crate::orders::service::pay;
    let state = crate::state::app_state()?;
    let (order, _) = super::ssr::visible_order(&state, &number, key.as_deref(), false).await?;
    let open = pay::open_checkout(&state.db, &order).await?;
    super::ssr::no_store();
    let (provider, checkout_url) = open.unzip();
    Ok(crate::orders::model::PaymentHandOff {
        number: order.number.clone(),
        amount: crate::money::from_cents(order.total_cents),
        provider: crate::payments::display_name(provider.as_deref().unwrap_or_default()),
        checkout_url,
        order_path: pay::order_path(&order),
    })
}

/// Order `number` for its owner, the holder of its link (`key`), or staff; 404 for anyone else.
/// An order coming back from the provider is checked with it first.
#[server(prefix = "/api", endpoint = "orders/view")]
pub async fn get_order(number: String, key: Option<String>) -> Result<OrderView, AppError> {
    use crate::orders::model::OrderStatus;
    use crate::orders::service::{pay, view};
    let state = crate::state::app_state()?;
    let (mut order, staff) =
        super::ssr::visible_order(&state, &number, key.as_deref(), true).await?;
    if order.status == OrderStatus::PendingPayment.code() {
        let now = state.clock.now();
        if let Err(error) = pay::sync_order(
            &state.db,
            &state.payments,
            state.order_hooks.as_ref(),
            &state.site.public_url,
            order.id,
            now,
        )
        .await
        {
            tracing::warn!(%error, "payment status unknown for now");
        }
        order = view::by_id(&state.db, order.id).await?;
    }
    super::ssr::no_store();
    let mut view = view::order_view(&state.db, &order, state.clock.now()).await?;
    view.can_record_payment = staff && view.instructions.is_some();
    let (refunds, left) = crate::orders::service::refund::refunds_of(&state.db, &order).await?;
    view.refunds = refunds;
    if staff && view.invoice_number.is_some() && left > 0 {
        view.refundable = Some(crate::money::from_cents(left));
        view.refund_key = super::ssr::new_key();
    }
    Ok(view)
}

/// The invoice of order `number`, for whoever may see the order.
#[server(prefix = "/api", endpoint = "orders/invoice")]
pub async fn get_invoice(
    number: String,
    key: Option<String>,
) -> Result<crate::orders::model::InvoiceDocument, AppError> {
    use crate::orders::service::invoice;
    let state = crate::state::app_state()?;
    let (order, _) = super::ssr::visible_order(&state, &number, key.as_deref(), true).await?;
    let (_, document) = invoice::of_order(&state.db, order.id)
        .await?
        .ok_or_else(|| super::ssr::answer(crate::orders::service::OrderError::NotFound))?;
    Ok(document)
}

/// Sends the shopper (owner or link holder) to pay a pending order again.
#[server(prefix = "/api", endpoint = "orders/pay")]
pub async fn pay_order(number: String, key: Option<String>) -> Result<(), AppError> {
    use crate::orders::service::pay;
    let state = crate::state::app_state()?;
    let (order, _) = super::ssr::visible_order(&state, &number, key.as_deref(), false).await?;
    let next = pay::start_payment(
        &state.db,
        &state.payments,
        &state.site.public_url,
        &order,
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect(&pay::after_form(&order, next));
    Ok(())
}

/// The customer (owner or link holder) ends the contract of an order not delivered by its
/// date (art. L216-6): everything left is refunded through the provider that took the payment,
/// the order is cancelled (or marked refunded once the parcel left), and an email says both.
/// Asking twice is one refund.
#[server(prefix = "/api", endpoint = "orders/cancel-late")]
pub async fn cancel_late_order(number: String, key: Option<String>) -> Result<(), AppError> {
    use crate::i18n::Locale;
    use crate::orders::service::refund::{RefundRequest, ShopCancel, refund_order};
    let state = crate::state::app_state()?;
    let (order, _) = super::ssr::visible_order(&state, &number, key.as_deref(), false).await?;
    let now = state.clock.now();
    let status = crate::orders::model::OrderStatus::from_code(&order.status)
        .unwrap_or(crate::orders::model::OrderStatus::PendingPayment);
    let idempotency_key = format!("late-{}", order.number);
    let back = match key {
        Some(key) => format!("/orders/{}?key={key}", order.number),
        None => format!("/orders/{}", order.number),
    };
    // Asked again (a second click, a reload): the same cancellation, nothing more.
    let asked = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        crate::db::entities::refund::Entity::find()
            .filter(crate::db::entities::refund::Column::IdempotencyKey.eq(&idempotency_key))
            .filter(
                crate::db::entities::refund::Column::Status
                    .ne(crate::orders::service::refund::FAILED),
            )
            .one(&state.db)
            .await?
            .is_some()
    };
    if asked {
        leptos_axum::redirect(&back);
        return Ok(());
    }
    if !crate::orders::rules::delivery_late(status, order.paid_at, now) {
        let locale = crate::i18n::request_locale();
        return Err(AppError::BadRequest(
            match locale {
                Locale::Fr => "Cette commande n'est pas en retard : elle peut encore être livrée dans le délai.",
                Locale::En => "This order is not late: it can still be delivered in time.",
            }
            .into(),
        )
        .answered());
    }
    let locale = Locale::from_code(&order.locale).unwrap_or(Locale::Fr);
    let reason = match locale {
        Locale::Fr => "livraison non faite dans les 30 jours suivant le paiement",
        Locale::En => "not delivered within 30 days of payment",
    };
    refund_order(
        &state.db,
        &state.payments,
        &state.site.public_url,
        &RefundRequest {
            number: &order.number,
            amount: None,
            lines: &[],
            vat_split: None,
            reason,
            actor: "customer",
            idempotency_key: &idempotency_key,
            now,
            cancel: Some(ShopCancel::LateDelivery),
            method: crate::orders::service::refund::RefundMethod::Original,
            credit_back: None,
        },
    )
    .await?;
    leptos_axum::redirect(&back);
    Ok(())
}

/// The customer's choice for a line the shop marked unavailable (`choice`: `wait`, `credit`
/// or `refund`), from the order's page: by its account, or its link's `key`.
#[server(prefix = "/api", endpoint = "orders/unavailable-choice")]
pub async fn choose_unavailable(
    number: String,
    key: Option<String>,
    line_id: i32,
    choice: String,
) -> Result<(), AppError> {
    use crate::orders::service::unavailable::{Choice, choose};
    let state = crate::state::app_state()?;
    let (order, _) = super::ssr::visible_order(&state, &number, key.as_deref(), false).await?;
    let locale = crate::i18n::request_locale();
    let choice = Choice::from_code(&choice).ok_or_else(|| {
        AppError::BadRequest(locale.t(crate::i18n::Msg::ErrInvalidRequest).to_owned()).answered()
    })?;
    choose(
        &state.db,
        &state.payments,
        &state.site.public_url,
        &order,
        line_id,
        choice,
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect(&match key {
        Some(key) => format!("/orders/{}?key={key}#unavailable", order.number),
        None => format!("/orders/{}#unavailable", order.number),
    });
    Ok(())
}

/// Staff: the bank transfer or cheque of order `number` has arrived.
#[server(prefix = "/api", endpoint = "orders/record-payment")]
pub async fn record_payment(number: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let staff_id = crate::account::api::ssr::require_staff(&state).await?.id;
    crate::orders::service::lifecycle::record_offline_payment(
        &state.db,
        &state.site.public_url,
        &number,
        staff_id,
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect(&format!("/orders/{number}"));
    Ok(())
}

/// The signed-in account's orders (with their invoices), newest first, including those placed
/// as a guest with its verified address.
#[server(prefix = "/api", endpoint = "account/orders")]
pub async fn account_orders() -> Result<Vec<crate::orders::model::OrderSummary>, AppError> {
    let state = crate::state::app_state()?;
    let (_, user) = crate::account::api::ssr::require_account(&state).await?;
    let verified = user.email_verified_at.map(|_| user.email.as_str());
    crate::orders::service::view::account_orders(&state.db, user.id, verified, state.clock.now())
        .await
        .map_err(AppError::from)
}

/// Staff: refunds order `number` through the provider that took the payment, or as store
/// credit when `method` is `credit`, with a credit note: the units of `lines` (what was paid for
/// them, discounts deducted) when any has a quantity, else `amount` (empty: all that is left).
/// The same `idempotency_key` is one refund.
#[server(prefix = "/api", endpoint = "orders/refund")]
pub async fn refund_order(
    number: String,
    amount: Option<String>,
    #[server(default)] lines: Vec<crate::orders::after_sales::Taken>,
    #[server(default)] method: String,
    reason: String,
    idempotency_key: String,
) -> Result<(), AppError> {
    use crate::i18n::Msg;
    use crate::orders::service::refund::{RefundRequest, refund_order};
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let staff_id = crate::account::api::ssr::require_staff(&state).await?.id;
    let bad = |msg: Msg| AppError::BadRequest(locale.t(msg).to_owned()).answered();
    let amount = match amount.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.replace(',', ".")
                .parse::<rust_decimal::Decimal>()
                .map_err(|_| bad(Msg::ErrRefundAmount))?,
        ),
    };
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(bad(Msg::ErrRefundReason));
    }
    let key = super::ssr::idempotency_key(&idempotency_key)?;
    let now = state.clock.now();
    let lines: Vec<crate::orders::after_sales::Taken> =
        lines.into_iter().filter(|l| l.quantity != 0).collect();
    let amount = if lines.is_empty() { amount } else { None };
    let done = refund_order(
        &state.db,
        &state.payments,
        &state.site.public_url,
        &RefundRequest {
            number: &number,
            amount,
            lines: &lines,
            vat_split: None,
            reason,
            actor: &format!("staff:{staff_id}"),
            idempotency_key: key,
            now,
            cancel: None,
            method: match method.as_str() {
                "credit" => crate::orders::service::refund::RefundMethod::StoreCredit,
                "" | "original" => crate::orders::service::refund::RefundMethod::Original,
                _ => return Err(bad(Msg::ErrInvalidRequest)),
            },
            credit_back: None,
        },
    )
    .await?;
    crate::db::audit::record(
        &state.db,
        staff_id,
        "order.refund",
        &format!("order:{number}"),
        &format!("{} — {reason}", crate::money::from_cents(done.amount_cents)),
        now,
    )
    .await?;
    leptos_axum::redirect(&format!("/orders/{number}?refunded=1"));
    Ok(())
}
