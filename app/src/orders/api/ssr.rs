//! Server-side helpers of the checkout and order server functions.

use crate::account::api::ssr as account;
use crate::account::model::Role;
use crate::account::rules::InputError;
use crate::error::AppError;
use crate::i18n::{Locale, Msg};
use crate::orders::model::DetailsInput;
use crate::orders::model::{CheckoutStep, FieldError};
use crate::orders::service::OrderError;
use crate::pricing::PaymentMethod;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// Session key of the checkout in progress.
pub const CHECKOUT: &str = "checkout";
/// Session key of the last refusals, shown once.
pub const CHECKOUT_ERRORS: &str = "checkout.errors";

/// The checkout in progress, kept in the session (a strictly necessary cookie).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CheckoutState {
    pub details: DetailsInput,
    pub details_done: bool,
    pub payment_method: Option<PaymentMethod>,
    /// A fresh key per attempt; replaced once an order is placed with it.
    pub idempotency_key: String,
    /// The code applied at the review step: a promo code or a friend's referral code.
    #[serde(default)]
    pub promo_code: Option<String>,
    /// Spend the oldest referral credit on this order.
    #[serde(default)]
    pub use_credit: bool,
    /// Spend loyalty points as a voucher on this order.
    #[serde(default)]
    pub use_points: bool,
    /// Spend the account's store credit on this order.
    #[serde(default)]
    pub use_store_credit: bool,
}

pub fn new_key() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub async fn load(session: &Session) -> CheckoutState {
    let mut state = session
        .get::<CheckoutState>(CHECKOUT)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    if state.idempotency_key.is_empty() {
        state.idempotency_key = new_key();
    }
    state
}

pub async fn save(session: &Session, state: &CheckoutState) -> Result<(), AppError> {
    session
        .insert(CHECKOUT, state)
        .await
        .map_err(AppError::internal)
}

pub fn input_message(locale: Locale, error: InputError) -> String {
    crate::account::api::ssr::input_text(locale, error)
}

/// Refuses a step: the refusals are kept for the page (a form reloads it), and the caller
/// gets a 400 with the first message.
pub async fn refuse(session: &Session, errors: Vec<FieldError>) -> AppError {
    let summary = errors
        .first()
        .map(|e| e.message.clone())
        .unwrap_or_default();
    keep_errors(session, &errors).await;
    AppError::BadRequest(summary).answered()
}

/// Refuses a step taken too often (a 429), the reason shown next to `field`.
pub async fn refuse_throttled(session: &Session, field: &str) -> AppError {
    let refusal = crate::throttle::refusal();
    let errors = [FieldError {
        field: field.into(),
        message: refusal.to_string(),
    }];
    keep_errors(session, &errors).await;
    refusal
}

/// Keeps a plain form's refusals for the page it goes back to.
async fn keep_errors(session: &Session, errors: &[FieldError]) {
    if crate::error::is_plain_form_post()
        && let Err(error) = session.insert(CHECKOUT_ERRORS, errors).await
    {
        tracing::warn!(%error, "could not keep the checkout errors");
    }
}

/// The cart in the cookie, priced for `destination` without any discount.
pub async fn cookie_cart_quote(
    state: &crate::state::AppState,
    locale: Locale,
    destination: crate::pricing::Destination,
) -> Result<crate::cart::model::CartQuote, AppError> {
    let (_, lines) = crate::cart::api::cookie_cart();
    let config = crate::pricing::service::pricing_config(&state.db).await?;
    Ok(
        crate::cart::service::quote_cart(&state.db, &config, locale, destination, &lines, &[])
            .await?,
    )
}

/// The advantages `choices` give the shopper of `details` (account `user_id`) on the
/// basket `plain` prices, or why the code cannot be used (in the request's language).
pub async fn advantages(
    state: &crate::state::AppState,
    settings: &crate::rewards::RewardSettings,
    plain: &crate::pricing::Quote,
    choices: crate::rewards::service::Choices<'_>,
    details: &crate::orders::rules::CleanDetails,
    user_id: Option<i32>,
) -> Result<Result<Vec<crate::rewards::service::Chosen>, String>, AppError> {
    use crate::rewards::service::{Customer, Refusal, choose, refusal_message};
    let locale = crate::i18n::request_locale();
    let customer = Customer {
        email: &details.email,
        user_id,
        delivery: &details.delivery,
    };
    let now = state.clock.now();
    match choose(&state.db, settings, locale, plain, choices, &customer, now).await {
        Ok(chosen) => Ok(Ok(chosen)),
        Err(Refusal::Database(e)) => Err(e.into()),
        Err(refusal) => Ok(Err(refusal_message(locale, &refusal))),
    }
}

/// The checkout's choices of advantages for a basket of `lines`.
pub fn choices<'a>(
    state: &'a CheckoutState,
    lines: &[crate::cart::model::LineRequest],
) -> crate::rewards::service::Choices<'a> {
    crate::rewards::service::Choices {
        code: state.promo_code.as_deref(),
        use_credit: state.use_credit,
        use_points: state.use_points,
        use_store_credit: state.use_store_credit,
        recurring: lines.iter().any(|l| l.every_months.is_some()),
    }
}

/// The answer to an order error, in the request's language.
pub fn answer(error: OrderError) -> AppError {
    let locale = crate::i18n::request_locale();
    let text = |msg: Msg| locale.t(msg).to_owned();
    let error = match error {
        OrderError::EmptyCart => AppError::BadRequest(text(Msg::ErrCartEmpty)),
        OrderError::Pricing(e) => AppError::BadRequest(e.to_string()),
        OrderError::DuplicateLine => AppError::BadRequest(text(Msg::ErrInvalidRequest)),
        OrderError::Unavailable(name) => {
            AppError::Conflict(format!("{} {name}", locale.t(Msg::ErrNoLongerAvailable)))
        }
        OrderError::NotOnSale(name) => {
            AppError::Conflict(format!("{} {name}", locale.t(Msg::ErrNoLongerSold)))
        }
        OrderError::CannotDeliver => AppError::BadRequest(text(Msg::ErrCannotDeliver)),
        OrderError::MethodNotAllowed => AppError::BadRequest(text(Msg::ErrMethodNotAllowed)),
        OrderError::TermsNotAccepted => AppError::BadRequest(text(Msg::ErrTermsRequired)),
        OrderError::SubscriptionNeedsAccount => {
            AppError::BadRequest(text(Msg::ErrSubscriptionNeedsAccount))
        }
        OrderError::FrequencyUnavailable(name) => {
            AppError::Conflict(format!("{} {name}", locale.t(Msg::ErrFrequencyUnavailable)))
        }
        OrderError::TermsChanged => AppError::Conflict(text(Msg::ErrTermsChanged)),
        OrderError::TooManyOrders => AppError::TooManyRequests(text(Msg::ErrTooManyAttempts)),
        OrderError::TotalChanged => AppError::Conflict(text(Msg::ErrTotalChanged)),
        OrderError::Reward(refusal) => {
            AppError::Conflict(crate::rewards::service::refusal_message(locale, &refusal))
        }
        OrderError::NotFound => AppError::NotFound,
        OrderError::IllegalTransition => AppError::Conflict(text(Msg::ErrOrderStatus)),
        OrderError::BadRefundAmount => AppError::BadRequest(text(Msg::ErrRefundAmount)),
        OrderError::CreditNeedsAccount => AppError::BadRequest(text(Msg::ErrCreditNeedsAccount)),
        OrderError::Provider(crate::payments::ProviderError::Refused(detail)) => {
            AppError::Conflict(format!("{} {detail}", locale.t(Msg::ErrRefundRefused)))
        }
        OrderError::Provider(e) => {
            tracing::warn!(error = %e, "payment provider");
            AppError::Unavailable(text(Msg::ErrProviderUnavailable))
        }
        OrderError::Database(e) => AppError::internal(e),
    };
    error.answered()
}

impl From<OrderError> for AppError {
    fn from(error: OrderError) -> Self {
        answer(error)
    }
}

/// The signed-in account (id, verified address, staff) of this request, if any.
pub async fn viewer_account(
    state: &crate::state::AppState,
) -> Result<Option<(i32, Option<String>, bool)>, AppError> {
    Ok(account::signed_in(state).await?.map(|(_, user)| {
        (
            user.id,
            user.email_verified_at.map(|_| user.email.clone()),
            Role::from_code(&user.role) == Some(Role::Staff),
        )
    }))
}

/// Order `number` if this request may see it (its account, its link's `key`, or staff when
/// `staff_may` is set); whether staff is asking. 404 otherwise.
pub async fn visible_order(
    state: &crate::state::AppState,
    number: &str,
    key: Option<&str>,
    staff_may: bool,
) -> Result<(crate::db::entities::order::Model, bool), AppError> {
    use crate::orders::service::view;
    let account = viewer_account(state).await?;
    let staff = staff_may && account.as_ref().is_some_and(|a| a.2);
    let viewer = view::Viewer {
        account: account
            .as_ref()
            .map(|(id, email, _)| (*id, email.as_deref())),
        key,
        staff,
    };
    let order = view::find_for(&state.db, number, &viewer).await?;
    Ok((order, staff))
}

/// A form's idempotency key, trimmed: 16 to 64 characters, else a 400.
pub fn idempotency_key(raw: &str) -> Result<&str, AppError> {
    let key = raw.trim();
    if (16..=64).contains(&key.len()) {
        Ok(key)
    } else {
        let locale = crate::i18n::request_locale();
        Err(AppError::BadRequest(locale.t(Msg::ErrInvalidRequest).to_owned()).answered())
    }
}

pub use crate::security::no_store;

/// The step to show for `asked`, given what is done.
pub fn reachable(asked: CheckoutStep, state: &CheckoutState) -> CheckoutStep {
    match asked {
        CheckoutStep::Details => CheckoutStep::Details,
        _ if !state.details_done => CheckoutStep::Details,
        CheckoutStep::Delivery => CheckoutStep::Delivery,
        CheckoutStep::Review if state.payment_method.is_none() => CheckoutStep::Delivery,
        CheckoutStep::Review => CheckoutStep::Review,
    }
}
