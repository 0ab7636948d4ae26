//! Placing the order (the last step), then handing it to the payment.

use crate::error::AppError;
use leptos::prelude::*;

/// The last step: places the order (one transaction) and sends the shopper to pay. The same
/// `idempotency_key` always answers with the same order.
#[server(prefix = "/api", endpoint = "checkout/place")]
pub async fn place_order(
    idempotency_key: String,
    terms_version: String,
    expected_total: Option<String>,
    terms: Option<String>,
) -> Result<(), AppError> {
    use crate::i18n::Msg;
    use crate::orders::model::FieldError;
    use crate::orders::rules::clean_details;
    use crate::orders::service::{OrderError, place};
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let checkout = super::ssr::load(&session).await;
    let account = super::ssr::viewer_account(&state).await?;
    let key = super::ssr::idempotency_key(&idempotency_key)?;
    // A repeat (double click, retry) finds its order, whatever the session holds by now.
    if let Some(placed) = place::find_by_key(&state.db, key).await? {
        return continue_to_payment(&state, &placed.order).await;
    }
    if terms.is_none() {
        let errors = vec![FieldError {
            field: "terms".into(),
            message: locale.t(Msg::ErrTermsRequired).to_owned(),
        }];
        return Err(super::ssr::refuse(&session, errors).await);
    }
    let expected_total = match expected_total.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<rust_decimal::Decimal>().map_err(|_| {
            AppError::BadRequest(locale.t(Msg::ErrInvalidRequest).to_owned()).answered()
        })?),
    };
    let now = state.clock.now();
    let client = crate::throttle::client_key("order", crate::security::client_ip().await);
    let placed = match clean_details(&checkout.details) {
        Ok(details) => {
            let Some(method) = checkout.payment_method else {
                return Err(super::ssr::answer(OrderError::MethodNotAllowed));
            };
            // Each order holds stock (up to 14 days for a transfer or a cheque) and emails its
            // address: limited per client here (a repeat or a refusal gives its try back), and
            // per address by the orders placed, in the order's transaction.
            if !crate::throttle::take(&state.db, &client, crate::throttle::ORDERS_PER_IP, now)
                .await?
            {
                return Err(super::ssr::refuse_throttled(&session, "terms").await);
            }
            let (_, lines) = crate::cart::api::cookie_cart();
            let config = crate::pricing::service::pricing_config(&state.db).await?;
            let offline = matches!(
                method,
                crate::pricing::PaymentMethod::BankTransfer | crate::pricing::PaymentMethod::Cheque
            );
            let due = if offline {
                chrono::Duration::days(i64::from(state.orders.offline_payment_days))
            } else {
                chrono::Duration::minutes(i64::from(state.orders.payment_minutes))
            };
            let request = place::PlaceOrder {
                idempotency_key: key,
                user_id: account.as_ref().map(|a| a.0),
                locale,
                details: &details,
                lines: &lines,
                payment_method: method,
                terms_version: &terms_version,
                expected_total,
                now,
                payment_due_at: now + due,
                access_key: super::ssr::new_key(),
                site: &state.site.public_url,
                choices: super::ssr::choices(&checkout, &lines),
            };
            let placed = place::place_order(&state.db, &config, &request).await;
            if !placed.as_ref().is_ok_and(|p| p.created) {
                crate::throttle::give_back(&state.db, &client).await?;
            }
            placed?
        }
        // The details step was never completed in this session.
        Err(_) => return Err(super::ssr::answer(OrderError::EmptyCart)),
    };
    if placed.created {
        // The cart is now the order: emptied here and in the account, and a new attempt gets a
        // new key.
        crate::account::api::ssr::set_cart_cookie(&state, None);
        if let Some((user_id, _, _)) = account {
            crate::account::service::saved_cart::clear(&state.db, user_id).await?;
        }
        let fresh = super::ssr::CheckoutState {
            details: checkout.details.clone(),
            details_done: checkout.details_done,
            payment_method: None,
            idempotency_key: super::ssr::new_key(),
            ..Default::default()
        };
        super::ssr::save(&session, &fresh).await?;
    }
    continue_to_payment(&state, &placed.order).await
}

/// Sends the shopper on to pay `order` (the provider's page, or the order's page).
#[cfg(feature = "ssr")]
async fn continue_to_payment(
    state: &crate::state::AppState,
    order: &crate::db::entities::order::Model,
) -> Result<(), AppError> {
    use crate::orders::service::pay;
    let next = pay::start_payment(
        &state.db,
        &state.payments,
        &state.site.public_url,
        order,
        state.clock.now(),
    )
    .await
    .unwrap_or_else(|error| {
        // The order stays pending: its page explains and offers to pay again.
        tracing::warn!(%error, number = %order.number, "payment could not start");
        pay::order_path(order)
    });
    leptos_axum::redirect(&pay::after_form(order, next));
    Ok(())
}
