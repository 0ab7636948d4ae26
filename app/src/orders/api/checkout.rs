//! The checkout's steps: what each shows, the promo code and advantages, the buyer's details
//! and the delivery and payment choice.

use crate::error::AppError;
use crate::orders::model::{CheckoutView, DetailsInput};
use leptos::prelude::*;

/// Everything the checkout step `step` shows (an earlier step when one before it is not done).
#[server(prefix = "/api", endpoint = "checkout/view")]
pub async fn get_checkout(step: String) -> Result<CheckoutView, AppError> {
    use crate::orders::model::{CheckoutStep, SummaryLine};
    use crate::orders::rules::clean_details;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = super::ssr::load(&session).await;
    let errors: Vec<crate::orders::model::FieldError> = session
        .remove(super::ssr::CHECKOUT_ERRORS)
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
        let mut found = super::ssr::advantages(
            &state,
            &settings,
            plain,
            super::ssr::choices(&checkout, &lines),
            &details,
            user_id,
        )
        .await?;
        // A code no longer usable (dates, limits, the basket changed): said once, then dropped.
        if let Err(message) = found {
            errors.push(crate::orders::model::FieldError {
                field: "promo_code".into(),
                message,
            });
            checkout.promo_code = None;
            super::ssr::save(&session, &checkout).await?;
            found = super::ssr::advantages(
                &state,
                &settings,
                plain,
                super::ssr::choices(&checkout, &lines),
                &details,
                user_id,
            )
            .await?;
        }
        let chosen = found.unwrap_or_default();
        // Credit or points asked for but no longer there (spent, or the basket changed): the
        // review shows the offer again instead.
        if crate::rewards::service::all_there(super::ssr::choices(&checkout, &lines), &chosen)
            .is_err()
        {
            let held = crate::rewards::service::held(&chosen);
            checkout.use_credit &= held.credit;
            checkout.use_points &= held.points;
            checkout.use_store_credit &= held.store_credit;
            super::ssr::save(&session, &checkout).await?;
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
    let step = super::ssr::reachable(CheckoutStep::parse(&step), &checkout);
    let payment_method = checkout
        .payment_method
        .filter(|m| cart.quote.payment_methods.contains(m));
    let step = if step == CheckoutStep::Review && payment_method.is_none() {
        CheckoutStep::Delivery
    } else {
        step
    };
    super::ssr::no_store();
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
    use crate::orders::model::FieldError;
    use crate::orders::rules::clean_details;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = super::ssr::load(&session).await;
    if remove.is_some() {
        checkout.promo_code = None;
        super::ssr::save(&session, &checkout).await?;
        leptos_axum::redirect("/checkout?step=review");
        return Ok(());
    }
    let Ok(details) = clean_details(&checkout.details) else {
        leptos_axum::redirect("/checkout");
        return Ok(());
    };
    let cart = super::ssr::cookie_cart_quote(&state, locale, details.destination).await?;
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
        return Err(super::ssr::refuse_throttled(&session, "promo_code").await);
    }
    match super::ssr::advantages(&state, &settings, &cart.quote, choices, &details, user_id).await?
    {
        Ok(_) => {
            crate::throttle::give_back(&state.db, &client).await?;
            checkout.promo_code = crate::promotions::rules::normalize_code(&code);
            super::ssr::save(&session, &checkout).await?;
            leptos_axum::redirect("/checkout?step=review");
            Ok(())
        }
        Err(message) => {
            let errors = vec![FieldError {
                field: "promo_code".into(),
                message,
            }];
            Err(super::ssr::refuse(&session, errors).await)
        }
    }
}

/// The review step's credit and points: `what` (`credit` or `points`) used on this order when
/// `on` is `1`, not used otherwise. What can actually be had is worked out again on the page
/// and when the order is placed.
#[server(prefix = "/api", endpoint = "checkout/advantage")]
pub async fn checkout_advantage(what: String, on: String) -> Result<(), AppError> {
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = super::ssr::load(&session).await;
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
    super::ssr::save(&session, &checkout).await?;
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
    let addresses = crate::account::service::profile::addresses(&state.db, user.id).await?;
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
    use crate::orders::rules::{clean_details, field_errors};
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = super::ssr::load(&session).await;
    checkout.details = crate::orders::rules::bounded(details);
    let clean = clean_details(&checkout.details);
    checkout.details_done = clean.is_ok();
    super::ssr::save(&session, &checkout).await?;
    if let Err(errors) = clean {
        let errors = field_errors(errors, |e| super::ssr::input_message(locale, e));
        return Err(super::ssr::refuse(&session, errors).await);
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
    use crate::i18n::Msg;
    use crate::orders::model::FieldError;
    use crate::orders::rules::clean_details;
    use crate::pricing::PaymentMethod;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let session = crate::account::api::ssr::session().await?;
    let mut checkout = super::ssr::load(&session).await;
    let Ok(details) = clean_details(&checkout.details) else {
        leptos_axum::redirect("/checkout");
        return Ok(());
    };
    let cart = super::ssr::cookie_cart_quote(&state, locale, details.destination).await?;
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
        return Err(super::ssr::refuse(&session, errors).await);
    };
    checkout.payment_method = Some(method);
    super::ssr::save(&session, &checkout).await?;
    leptos_axum::redirect("/checkout?step=review");
    Ok(())
}
