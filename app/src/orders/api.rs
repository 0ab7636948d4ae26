//! Checkout and order server functions. Each step posts a plain form (it works before the WASM
//! loads); what was typed is kept in the session, so going back or forward shows it again, and
//! each refusal comes back next to its field. Prices, stock, VAT and totals are always the
//! server's own.

use super::model::{CheckoutView, DemoPaymentView, DetailsInput, OrderView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::account::api::ssr as account;
    use crate::account::model::Role;
    use crate::account::rules::InputError;
    use crate::i18n::{Locale, Msg};
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
            OrderError::CreditNeedsAccount => {
                AppError::BadRequest(text(Msg::ErrCreditNeedsAccount))
            }
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
        let order = view::find_for(&state.db, number, &viewer)
            .await
            .map_err(answer)?;
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
}

/// Everything the checkout step `step` shows (an earlier step when one before it is not done).
#[server(prefix = "/api", endpoint = "checkout/view")]
pub async fn get_checkout(step: String) -> Result<CheckoutView, AppError> {
    use super::model::{CheckoutStep, SummaryLine};
    use super::rules::clean_details;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = ssr::load(&session).await;
    let errors: Vec<super::model::FieldError> = session
        .remove(ssr::CHECKOUT_ERRORS)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let signed_in = crate::account::api::ssr::signed_in(&state).await?;
    if checkout.details == DetailsInput::default() {
        checkout.details = prefill(&state, signed_in.as_ref().map(|(_, u)| u)).await?;
    }
    let (cookie_destination, lines) = crate::cart::api::cookie_cart();
    let destination = clean_details(&checkout.details)
        .map(|d| d.destination)
        .unwrap_or(cookie_destination);
    let config = crate::pricing::service::pricing_config(&state.db).await?;
    let mut cart =
        crate::cart::service::quote_cart(&state.db, &config, locale, destination, &lines, &[])
            .await?;
    let mut errors = errors;
    let mut rewards = None;
    let user_id = signed_in.as_ref().map(|(_, u)| u.id);
    if let Ok(details) = clean_details(&checkout.details) {
        let settings = crate::rewards::service::settings(&state.db).await?;
        let plain = &cart.quote;
        let mut found = ssr::advantages(
            &state,
            &settings,
            plain,
            ssr::choices(&checkout, &lines),
            &details,
            user_id,
        )
        .await?;
        // A code no longer usable (dates, limits, the basket changed): said once, then dropped.
        if let Err(message) = found {
            errors.push(super::model::FieldError {
                field: "promo_code".into(),
                message,
            });
            checkout.promo_code = None;
            ssr::save(&session, &checkout).await?;
            found = ssr::advantages(
                &state,
                &settings,
                plain,
                ssr::choices(&checkout, &lines),
                &details,
                user_id,
            )
            .await?;
        }
        let chosen = found.unwrap_or_default();
        // Credit or points asked for but no longer there (spent, or the basket changed): the
        // review shows the offer again instead.
        if crate::rewards::service::all_there(ssr::choices(&checkout, &lines), &chosen).is_err() {
            let held = crate::rewards::service::held(&chosen);
            checkout.use_credit &= held.credit;
            checkout.use_points &= held.points;
            checkout.use_store_credit &= held.store_credit;
            ssr::save(&session, &checkout).await?;
        }
        if let Some(id) = user_id {
            let offered =
                crate::rewards::service::checkout_rewards(&state.db, &settings, id, plain, &chosen)
                    .await?;
            rewards = Some(offered);
        }
        if !chosen.is_empty() {
            let adjustments: Vec<crate::pricing::Adjustment> =
                chosen.into_iter().map(|c| c.adjustment).collect();
            cart = crate::cart::service::quote_cart(
                &state.db,
                &config,
                locale,
                destination,
                &lines,
                &adjustments,
            )
            .await?;
        }
    }
    let summary: Vec<SummaryLine> = cart
        .quote
        .lines
        .iter()
        .filter_map(|line| {
            let product = cart.products.iter().find(|p| p.id == line.product_id)?;
            Some(SummaryLine {
                product_id: line.product_id,
                name: product.name.clone(),
                slug: product.slug.clone(),
                image: product.image.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                total: line.total,
                vat_rate: line.vat_rate,
                every_months: lines
                    .iter()
                    .find(|l| l.product_id == line.product_id)
                    .and_then(|l| l.every_months),
            })
        })
        .collect();
    let step = ssr::reachable(CheckoutStep::parse(&step), &checkout);
    let payment_method = checkout
        .payment_method
        .filter(|m| cart.quote.payment_methods.contains(m));
    let step = if step == CheckoutStep::Review && payment_method.is_none() {
        CheckoutStep::Delivery
    } else {
        step
    };
    ssr::no_store();
    Ok(CheckoutView {
        step,
        details: checkout.details.clone(),
        payment_method,
        errors,
        cart_changed: !cart.issues.is_empty(),
        quote: (!summary.is_empty()).then_some(cart.quote),
        lines: summary,
        terms_version: crate::legal::service::terms_in_force(
            &state.db,
            crate::clock::paris_today(state.clock.now()),
        )
        .await?,
        idempotency_key: checkout.idempotency_key.clone(),
        signed_in: signed_in.is_some(),
        promo_code: checkout.promo_code.clone(),
        rewards,
    })
}

/// The review step's promo code: applies `code` (checked against the cart as it stands), or
/// takes the applied one off when `remove` is sent.
#[server(prefix = "/api", endpoint = "checkout/promo")]
pub async fn checkout_promo(code: String, remove: Option<String>) -> Result<(), AppError> {
    use super::model::FieldError;
    use super::rules::clean_details;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = ssr::load(&session).await;
    if remove.is_some() {
        checkout.promo_code = None;
        ssr::save(&session, &checkout).await?;
        leptos_axum::redirect("/checkout?step=review");
        return Ok(());
    }
    let Ok(details) = clean_details(&checkout.details) else {
        leptos_axum::redirect("/checkout");
        return Ok(());
    };
    let cart = ssr::cookie_cart_quote(&state, locale, details.destination).await?;
    let settings = crate::rewards::service::settings(&state.db).await?;
    let user_id = crate::account::api::ssr::signed_in(&state)
        .await?
        .map(|(_, u)| u.id);
    let choices = crate::rewards::service::Choices {
        code: Some(&code),
        ..Default::default()
    };
    // Codes are guessed one try at a time: a few tries per client, a valid code given back.
    let client = crate::throttle::client_key("promo", crate::security::client_ip().await);
    let now = state.clock.now();
    if !crate::throttle::take(&state.db, &client, crate::throttle::GUESSES_PER_IP, now).await? {
        return Err(ssr::refuse_throttled(&session, "promo_code").await);
    }
    match ssr::advantages(&state, &settings, &cart.quote, choices, &details, user_id).await? {
        Ok(_) => {
            crate::throttle::give_back(&state.db, &client).await?;
            checkout.promo_code = crate::promotions::rules::normalize_code(&code);
            ssr::save(&session, &checkout).await?;
            leptos_axum::redirect("/checkout?step=review");
            Ok(())
        }
        Err(message) => {
            let errors = vec![FieldError {
                field: "promo_code".into(),
                message,
            }];
            Err(ssr::refuse(&session, errors).await)
        }
    }
}

/// The review step's credit and points: `what` (`credit` or `points`) used on this order when
/// `on` is `1`, not used otherwise. What can actually be had is worked out again on the page
/// and when the order is placed.
#[server(prefix = "/api", endpoint = "checkout/advantage")]
pub async fn checkout_advantage(what: String, on: String) -> Result<(), AppError> {
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = ssr::load(&session).await;
    let on = on == "1";
    match what.as_str() {
        "credit" => checkout.use_credit = on,
        "points" => checkout.use_points = on,
        "store_credit" => checkout.use_store_credit = on,
        _ => {
            let locale = crate::i18n::request_locale();
            return Err(AppError::BadRequest(
                locale.t(crate::i18n::Msg::ErrInvalidRequest).to_owned(),
            )
            .answered());
        }
    }
    ssr::save(&session, &checkout).await?;
    leptos_axum::redirect("/checkout?step=review");
    Ok(())
}

/// A signed-in shopper's details from the account: names, phone, default address.
#[cfg(feature = "ssr")]
async fn prefill(
    state: &crate::state::AppState,
    account: Option<&crate::db::entities::user::Model>,
) -> Result<DetailsInput, AppError> {
    use crate::account::rules::AddressInput;
    let Some(user) = account else {
        return Ok(DetailsInput {
            delivery: AddressInput {
                country: crate::cart::api::cookie_cart().0.code().to_owned(),
                ..AddressInput::default()
            },
            ..DetailsInput::default()
        });
    };
    let addresses = crate::account::service::profile::addresses(&state.db, user.id)
        .await
        .map_err(crate::account::api::ssr::answer)?;
    let delivery = addresses
        .iter()
        .find(|a| a.is_default)
        .or(addresses.first())
        .map(|a| a.input())
        .unwrap_or_else(|| AddressInput {
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            country: crate::cart::api::cookie_cart().0.code().to_owned(),
            ..AddressInput::default()
        });
    Ok(DetailsInput {
        email: user.email.clone(),
        title: user.title.clone().unwrap_or_default(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        phone: user.phone.clone().unwrap_or_default(),
        delivery: AddressInput {
            label: String::new(),
            ..delivery
        },
        ..DetailsInput::default()
    })
}

/// Step 1: contact details, delivery and billing addresses.
#[server(prefix = "/api", endpoint = "checkout/details")]
pub async fn checkout_details(details: DetailsInput) -> Result<(), AppError> {
    use super::rules::{clean_details, field_errors};
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = ssr::load(&session).await;
    checkout.details = super::rules::bounded(details);
    let clean = clean_details(&checkout.details);
    checkout.details_done = clean.is_ok();
    ssr::save(&session, &checkout).await?;
    if let Err(errors) = clean {
        let errors = field_errors(errors, |e| ssr::input_message(locale, e));
        return Err(ssr::refuse(&session, errors).await);
    }
    // A subscription is managed from an account: sign in first (what was typed is kept).
    let (_, lines) = crate::cart::api::cookie_cart();
    if lines.iter().any(|l| l.every_months.is_some()) {
        let state = crate::state::app_state()?;
        if crate::account::api::ssr::signed_in(&state).await?.is_none() {
            leptos_axum::redirect("/account/sign-in?next=/checkout%3Fstep%3Ddelivery");
            return Ok(());
        }
    }
    leptos_axum::redirect("/checkout?step=delivery");
    Ok(())
}

/// Step 2: the payment method (among those the order allows), after the shipping shown.
#[server(prefix = "/api", endpoint = "checkout/delivery")]
pub async fn checkout_delivery(payment_method: String) -> Result<(), AppError> {
    use super::model::FieldError;
    use super::rules::clean_details;
    use crate::i18n::Msg;
    use crate::pricing::PaymentMethod;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = ssr::load(&session).await;
    let Ok(details) = clean_details(&checkout.details) else {
        leptos_axum::redirect("/checkout");
        return Ok(());
    };
    let cart = ssr::cookie_cart_quote(&state, locale, details.destination).await?;
    let method = PaymentMethod::from_code(&payment_method)
        .filter(|m| cart.quote.payment_methods.contains(m));
    let Some(method) = method else {
        let message = if payment_method.is_empty() {
            Msg::ErrChooseMethod
        } else {
            Msg::ErrMethodNotAllowed
        };
        let errors = vec![FieldError {
            field: "payment_method".into(),
            message: locale.t(message).to_owned(),
        }];
        return Err(ssr::refuse(&session, errors).await);
    };
    checkout.payment_method = Some(method);
    ssr::save(&session, &checkout).await?;
    leptos_axum::redirect("/checkout?step=review");
    Ok(())
}

/// The last step: places the order (one transaction) and sends the shopper to pay. The same
/// `idempotency_key` always answers with the same order.
#[server(prefix = "/api", endpoint = "checkout/place")]
pub async fn place_order(
    idempotency_key: String,
    terms_version: String,
    expected_total: Option<String>,
    terms: Option<String>,
) -> Result<(), AppError> {
    use super::model::FieldError;
    use super::rules::clean_details;
    use super::service::{OrderError, place};
    use crate::i18n::Msg;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let checkout = ssr::load(&session).await;
    let account = ssr::viewer_account(&state).await?;
    let key = ssr::idempotency_key(&idempotency_key)?;
    // A repeat (double click, retry) finds its order, whatever the session holds by now.
    if let Some(placed) = place::find_by_key(&state.db, key)
        .await
        .map_err(ssr::answer)?
    {
        return continue_to_payment(&state, &placed.order).await;
    }
    if terms.is_none() {
        let errors = vec![FieldError {
            field: "terms".into(),
            message: locale.t(Msg::ErrTermsRequired).to_owned(),
        }];
        return Err(ssr::refuse(&session, errors).await);
    }
    let expected_total = match expected_total.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<rust_decimal::Decimal>().map_err(|_| {
            AppError::BadRequest(locale.t(Msg::ErrInvalidRequest).to_owned()).answered()
        })?),
    };
    let now = chrono::Utc::now();
    let client = crate::throttle::client_key("order", crate::security::client_ip().await);
    let placed = match clean_details(&checkout.details) {
        Ok(details) => {
            let Some(method) = checkout.payment_method else {
                return Err(ssr::answer(OrderError::MethodNotAllowed));
            };
            // Each order holds stock (up to 14 days for a transfer or a cheque) and emails its
            // address: limited per client here (a repeat or a refusal gives its try back), and
            // per address by the orders placed, in the order's transaction.
            if !crate::throttle::take(&state.db, &client, crate::throttle::ORDERS_PER_IP, now)
                .await?
            {
                return Err(ssr::refuse_throttled(&session, "terms").await);
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
                access_key: ssr::new_key(),
                site: &state.site.public_url,
                choices: ssr::choices(&checkout, &lines),
            };
            let placed = place::place_order(&state.db, &config, &request).await;
            if !placed.as_ref().is_ok_and(|p| p.created) {
                crate::throttle::give_back(&state.db, &client).await?;
            }
            placed.map_err(ssr::answer)?
        }
        // The details step was never completed in this session.
        Err(_) => return Err(ssr::answer(OrderError::EmptyCart)),
    };
    if placed.created {
        // The cart is now the order: emptied here and in the account, and a new attempt gets a
        // new key.
        crate::account::api::ssr::set_cart_cookie(&state, None);
        if let Some((user_id, _, _)) = account {
            crate::account::service::saved_cart::clear(&state.db, user_id)
                .await
                .map_err(crate::account::api::ssr::answer)?;
        }
        let fresh = ssr::CheckoutState {
            details: checkout.details.clone(),
            details_done: checkout.details_done,
            payment_method: None,
            idempotency_key: ssr::new_key(),
            ..Default::default()
        };
        ssr::save(&session, &fresh).await?;
    }
    continue_to_payment(&state, &placed.order).await
}

/// Sends the shopper on to pay `order` (the provider's page, or the order's page).
#[cfg(feature = "ssr")]
async fn continue_to_payment(
    state: &crate::state::AppState,
    order: &crate::db::entities::order::Model,
) -> Result<(), AppError> {
    use super::service::pay;
    let next = pay::start_payment(&state.db, &state.payments, &state.site.public_url, order)
        .await
        .unwrap_or_else(|error| {
            // The order stays pending: its page explains and offers to pay again.
            tracing::warn!(%error, number = %order.number, "payment could not start");
            pay::order_path(order)
        });
    leptos_axum::redirect(&pay::after_form(order, next));
    Ok(())
}

/// The hand-off to the provider's hosted page of order `number` (owner or link holder).
#[server(prefix = "/api", endpoint = "orders/pay/view")]
pub async fn get_payment_handoff(
    number: String,
    key: Option<String>,
) -> Result<super::model::PaymentHandOff, AppError> {
    use super::service::pay;
    let state = crate::state::app_state()?;
    let (order, _) = ssr::visible_order(&state, &number, key.as_deref(), false).await?;
    let open = pay::open_checkout(&state.db, &order)
        .await
        .map_err(ssr::answer)?;
    ssr::no_store();
    let (provider, checkout_url) = open.unzip();
    Ok(super::model::PaymentHandOff {
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
    use super::model::OrderStatus;
    use super::service::{pay, view};
    let state = crate::state::app_state()?;
    let (mut order, staff) = ssr::visible_order(&state, &number, key.as_deref(), true).await?;
    if order.status == OrderStatus::PendingPayment.code() {
        let now = chrono::Utc::now();
        if let Err(error) = pay::sync_order(
            &state.db,
            &state.payments,
            &state.site.public_url,
            order.id,
            now,
        )
        .await
        {
            tracing::warn!(%error, "payment status unknown for now");
        }
        order = view::by_id(&state.db, order.id)
            .await
            .map_err(ssr::answer)?;
    }
    ssr::no_store();
    let mut view = view::order_view(&state.db, &order, state.clock.now())
        .await
        .map_err(ssr::answer)?;
    view.can_record_payment = staff && view.instructions.is_some();
    let (refunds, left) = super::service::refund::refunds_of(&state.db, &order)
        .await
        .map_err(ssr::answer)?;
    view.refunds = refunds;
    if staff && view.invoice_number.is_some() && left > 0 {
        view.refundable = Some(crate::money::from_cents(left));
        view.refund_key = ssr::new_key();
    }
    Ok(view)
}

/// The invoice of order `number`, for whoever may see the order.
#[server(prefix = "/api", endpoint = "orders/invoice")]
pub async fn get_invoice(
    number: String,
    key: Option<String>,
) -> Result<super::model::InvoiceDocument, AppError> {
    use super::service::invoice;
    let state = crate::state::app_state()?;
    let (order, _) = ssr::visible_order(&state, &number, key.as_deref(), true).await?;
    let (_, document) = invoice::of_order(&state.db, order.id)
        .await
        .map_err(ssr::answer)?
        .ok_or_else(|| ssr::answer(super::service::OrderError::NotFound))?;
    Ok(document)
}

/// Sends the shopper (owner or link holder) to pay a pending order again.
#[server(prefix = "/api", endpoint = "orders/pay")]
pub async fn pay_order(number: String, key: Option<String>) -> Result<(), AppError> {
    use super::service::pay;
    let state = crate::state::app_state()?;
    let (order, _) = ssr::visible_order(&state, &number, key.as_deref(), false).await?;
    let next = pay::start_payment(&state.db, &state.payments, &state.site.public_url, &order)
        .await
        .map_err(ssr::answer)?;
    leptos_axum::redirect(&pay::after_form(&order, next));
    Ok(())
}

/// The customer (owner or link holder) ends the contract of an order not delivered by its
/// date (art. L216-6): everything left is refunded through the provider that took the payment,
/// the order is cancelled (or marked refunded once the parcel left), and an email says both.
/// Asking twice is one refund.
#[server(prefix = "/api", endpoint = "orders/cancel-late")]
pub async fn cancel_late_order(number: String, key: Option<String>) -> Result<(), AppError> {
    use super::service::refund::{RefundRequest, ShopCancel, refund_order};
    use crate::i18n::Locale;
    let state = crate::state::app_state()?;
    let (order, _) = ssr::visible_order(&state, &number, key.as_deref(), false).await?;
    let now = state.clock.now();
    let status = super::model::OrderStatus::from_code(&order.status)
        .unwrap_or(super::model::OrderStatus::PendingPayment);
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
            .filter(crate::db::entities::refund::Column::Status.ne(super::service::refund::FAILED))
            .one(&state.db)
            .await?
            .is_some()
    };
    if asked {
        leptos_axum::redirect(&back);
        return Ok(());
    }
    if !super::rules::delivery_late(status, order.paid_at, now) {
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
            method: super::service::refund::RefundMethod::Original,
            credit_back: None,
        },
    )
    .await
    .map_err(ssr::answer)?;
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
    use super::service::unavailable::{Choice, choose};
    let state = crate::state::app_state()?;
    let (order, _) = ssr::visible_order(&state, &number, key.as_deref(), false).await?;
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
    .await
    .map_err(ssr::answer)?;
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
    super::service::lifecycle::record_offline_payment(
        &state.db,
        &state.site.public_url,
        &number,
        staff_id,
        state.clock.now(),
    )
    .await
    .map_err(ssr::answer)?;
    leptos_axum::redirect(&format!("/orders/{number}"));
    Ok(())
}

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

/// The signed-in account's orders (with their invoices), newest first, including those placed
/// as a guest with its verified address.
#[server(prefix = "/api", endpoint = "account/orders")]
pub async fn account_orders() -> Result<Vec<super::model::OrderSummary>, AppError> {
    let state = crate::state::app_state()?;
    let (_, user) = crate::account::api::ssr::require_account(&state).await?;
    let verified = user.email_verified_at.map(|_| user.email.as_str());
    super::service::view::account_orders(&state.db, user.id, verified, state.clock.now())
        .await
        .map_err(ssr::answer)
}

/// Staff: refunds order `number` through the provider that took the payment, or as store
/// credit when `method` is `credit`, with a credit note: the units of `lines` (what was paid for
/// them, discounts deducted) when any has a quantity, else `amount` (empty: all that is left).
/// The same `idempotency_key` is one refund.
#[server(prefix = "/api", endpoint = "orders/refund")]
pub async fn refund_order(
    number: String,
    amount: Option<String>,
    #[server(default)] lines: Vec<super::after_sales::Taken>,
    #[server(default)] method: String,
    reason: String,
    idempotency_key: String,
) -> Result<(), AppError> {
    use super::service::refund::{RefundRequest, refund_order};
    use crate::i18n::Msg;
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
    let key = ssr::idempotency_key(&idempotency_key)?;
    let now = state.clock.now();
    let lines: Vec<super::after_sales::Taken> =
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
                "credit" => super::service::refund::RefundMethod::StoreCredit,
                "" | "original" => super::service::refund::RefundMethod::Original,
                _ => return Err(bad(Msg::ErrInvalidRequest)),
            },
            credit_back: None,
        },
    )
    .await
    .map_err(ssr::answer)?;
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
