//! The offline demo provider's hosted payment page.

use crate::error::AppError;
use crate::orders::model::DemoPaymentView;
use leptos::prelude::*;

/// The demo provider's hosted page for payment `id`.
#[server(prefix = "/api", endpoint = "pay/demo/view")]
pub async fn demo_payment(id: String) -> Result<DemoPaymentView, AppError> {
    use crate::money::from_cents;
    let state = crate::state::app_state()?;
    // Without APP__DEMO_PAYMENTS the demo provider does not exist: nothing to show.
    let demo = state.demo.ok_or_else(|| AppError::NotFound.answered())?;
    let payment = demo
        .payment(&id)
        .await
        .map_err(|_| AppError::NotFound.answered())?;
    Ok(DemoPaymentView {
        id: payment.id,
        amount: from_cents(payment.amount_cents),
        description: payment.description,
        method: crate::pricing::PaymentMethod::from_code(&payment.method)
            .unwrap_or(crate::pricing::PaymentMethod::Card),
        status: payment.status,
        return_url: demo.on_this_site(&payment.redirect_url),
        saves_card: payment.saved_card.is_some(),
    })
}

/// The shopper's answer on the demo provider's page: `pay`, `decline` or `cancel`.
#[server(prefix = "/api", endpoint = "pay/demo/answer")]
pub async fn demo_answer(id: String, outcome: String) -> Result<(), AppError> {
    use crate::payments::PaymentStatus;
    let state = crate::state::app_state()?;
    use crate::payments::demo::{CARD_DECLINES, CARD_OK};
    let (status, card) = match outcome.as_str() {
        "pay" => (PaymentStatus::Paid, CARD_OK),
        // A card the demo bank refuses at renewals (to see failed renewals happen).
        "pay_declining" => (PaymentStatus::Paid, CARD_DECLINES),
        "decline" => (PaymentStatus::Failed, CARD_OK),
        "cancel" => (PaymentStatus::Canceled, CARD_OK),
        _ => return Err(AppError::BadRequest("unknown answer".into()).answered()),
    };
    // Without APP__DEMO_PAYMENTS nobody can mark a payment paid here.
    let demo = state.demo.ok_or_else(|| AppError::NotFound.answered())?;
    let back = demo
        .answer(&id, status, card)
        .await
        .map_err(|_| AppError::NotFound.answered())?;
    leptos_axum::redirect(&back);
    Ok(())
}
