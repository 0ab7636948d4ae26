//! Cart server functions: the quote of a cart, from the shop's prices (never the browser's).

use super::model::{Cart, CartQuote, LineRequest};
use crate::error::AppError;
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::pricing::Destination;
use crate::pricing::PricingConfig;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The cart page as first rendered: the shop's pricing rules and the cart rebuilt from its
/// cookie mirror, with the server's quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartPageData {
    pub config: PricingConfig,
    pub cart: Cart,
    pub quote: CartQuote,
}

#[cfg(feature = "ssr")]
fn bad_request(message: impl Into<String>) -> AppError {
    AppError::BadRequest(message.into()).answered()
}

#[cfg(feature = "ssr")]
impl From<super::service::CartError> for AppError {
    fn from(err: super::service::CartError) -> Self {
        use super::service::CartError;
        match err {
            CartError::Pricing(e) => bad_request(e.to_string()),
            CartError::DuplicateLine => bad_request(err.to_string()),
            CartError::Database(db) => AppError::from(db),
        }
    }
}

/// The quote of `lines` delivered to `destination`, in `locale`: the current products, the
/// lines that cannot be ordered as asked, and the totals.
#[server(prefix = "/api", endpoint = "cart/quote", input = Json)]
pub async fn quote_cart(
    lines: Vec<LineRequest>,
    destination: String,
    locale: Locale,
) -> Result<CartQuote, AppError> {
    let destination = Destination::parse(&destination)
        .ok_or_else(|| bad_request(format!("no delivery to {destination}")))?;
    let state = crate::state::app_state()?;
    let config = crate::pricing::service::pricing_config(&state.db).await?;
    Ok(super::service::quote_cart(&state.db, &config, locale, destination, &lines, &[]).await?)
}

/// The cart page for the cart in the request's cookie, in `locale`.
#[server(prefix = "/api", endpoint = "cart/page")]
pub async fn get_cart_page(locale: Locale) -> Result<CartPageData, AppError> {
    let state = crate::state::app_state()?;
    priced_cookie_cart(&state, locale).await
}

/// The request's cart cookie as the shop prices it now: its rules, the cart rebuilt from the
/// cookie with the current products, and the quote.
#[cfg(feature = "ssr")]
async fn priced_cookie_cart(
    state: &crate::state::AppState,
    locale: Locale,
) -> Result<CartPageData, AppError> {
    let (destination, lines) = cookie_cart();
    let config = crate::pricing::service::pricing_config(&state.db).await?;
    let quote =
        super::service::quote_cart(&state.db, &config, locale, destination, &lines, &[]).await?;
    let cart = super::rules::cart_from(destination, &lines, &quote);
    Ok(CartPageData {
        config,
        cart,
        quote,
    })
}

/// The destination and lines of the request's cart cookie (empty without one).
#[cfg(feature = "ssr")]
pub fn cookie_cart() -> (Destination, Vec<LineRequest>) {
    use super::rules::{CART_COOKIE, parse_cookie};
    let parts = use_context::<http::request::Parts>();
    let value = parts.as_ref().and_then(|parts| {
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|h| h.to_str().ok())
            .find_map(|h| crate::security::cookie_values(h, CART_COOKIE).next())
            .map(str::to_owned)
    });
    value.as_deref().map(parse_cookie).unwrap_or_default()
}

/// The cart of the request's cookie with its products as the shop sells them now, and the
/// product `extra` among them (for one about to be added).
#[cfg(feature = "ssr")]
async fn cookie_cart_with(
    state: &crate::state::AppState,
    locale: Locale,
    extra: Option<i32>,
) -> Result<(Cart, Option<super::model::CartProduct>), AppError> {
    use crate::db::entities::product;
    use sea_orm::EntityTrait;
    let cart = priced_cookie_cart(state, locale).await?.cart;
    let added = match extra {
        Some(id) => product::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|p| super::service::cart_product(locale, &p)),
        None => None,
    };
    Ok((cart, added))
}

/// Writes `cart` back: the cookie the page's script reads, and the account's saved cart when
/// signed in (what the script's own sync does).
#[cfg(feature = "ssr")]
async fn keep_cart(state: &crate::state::AppState, cart: &Cart) -> Result<(), AppError> {
    let value = cart.cookie_value();
    crate::account::api::ssr::set_cart_cookie(state, (!cart.is_empty()).then_some(value.as_str()));
    if let Some((_, account)) = crate::account::api::ssr::signed_in(state).await? {
        crate::account::service::saved_cart::save_cart(
            &state.db,
            account.id,
            &value,
            state.clock.now(),
        )
        .await?;
    }
    Ok(())
}

/// The refusal of a form field that is not what the form sends.
#[cfg(feature = "ssr")]
fn invalid_request(locale: Locale) -> AppError {
    bad_request(locale.t(crate::i18n::Msg::ErrInvalidRequest))
}

/// A plain form's number field: `None` when left empty, refused when not a number.
#[cfg(feature = "ssr")]
fn form_number<T: std::str::FromStr>(
    field: Option<&str>,
    locale: Locale,
) -> Result<Option<T>, AppError> {
    match field.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| invalid_request(locale)),
    }
}

/// What adding did, as the page that sent the form shows it: `added`, `capped` or
/// `refused`, for product `id` (`?cart=added&p=12`).
#[cfg(feature = "ssr")]
fn with_outcome(back: &str, added: super::rules::Added, id: i32, subscribe: bool) -> String {
    use super::rules::Added;
    let what = match (added, subscribe) {
        (Added::Holds(_), false) => "added",
        (Added::Holds(_), true) => "subscribed",
        (Added::Capped(_), _) => "capped",
        (Added::Refused, _) => "refused",
    };
    // The outcome of an earlier add is replaced, not piled up.
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    let mut kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("cart=") && !p.starts_with("p="))
        .collect();
    let outcome = format!("cart={what}&p={id}");
    kept.push(&outcome);
    // Scrolled to the form that was sent, where the outcome is shown.
    let form = if subscribe { "subscribe" } else { "add" };
    format!("{path}?{}#{form}-{id}", kept.join("&"))
}

/// Adds `quantity` of product `product_id` to the cart (by subscription every `every_months`
/// months when given), as the product's form does before the page's script has loaded or
/// without it: the cart cookie is updated with the same rules as in the browser, and the
/// shopper goes back to `back` with the outcome in the query (`?cart=added&p=12`).
#[server(prefix = "/api", endpoint = "cart/add")]
pub async fn cart_add(
    product_id: i32,
    #[server(default)] quantity: Option<String>,
    #[server(default)] every_months: Option<String>,
    #[server(default)] back: Option<String>,
) -> Result<(), AppError> {
    use super::rules::Added;
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let quantity = form_number::<u32>(quantity.as_deref(), locale)?.unwrap_or(1);
    let every = form_number::<u8>(every_months.as_deref(), locale)?;
    let (mut cart, product) = cookie_cart_with(&state, locale, Some(product_id)).await?;
    let added = match (product, every) {
        (Some(product), None) => cart.add(product, quantity),
        (Some(product), Some(months)) => cart.subscribe(product, quantity, months),
        (None, _) => Added::Refused,
    };
    if added != Added::Refused {
        keep_cart(&state, &cart).await?;
    }
    // Back to a page of this site only (the shared check refuses `//host` and `/<tab>/host`).
    let back = crate::account::rules::local_path_or(back.as_deref(), "/cart");
    leptos_axum::redirect(&with_outcome(back, added, product_id, every.is_some()));
    Ok(())
}

/// The cart page's line controls as plain forms: line `product_id` set to `set` (a stepper or
/// "remove", `0`) or to the typed `quantity`, within what can be ordered; back to the cart.
#[server(prefix = "/api", endpoint = "cart/set")]
pub async fn cart_set(
    product_id: i32,
    #[server(default)] quantity: Option<String>,
    #[server(default)] set: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let wanted = form_number::<u32>(set.as_deref().or(quantity.as_deref()), locale)?
        .ok_or_else(|| invalid_request(locale))?;
    let (mut cart, _) = cookie_cart_with(&state, locale, None).await?;
    let max = cart
        .items
        .iter()
        .find(|i| i.product.id == product_id)
        .map_or(0, |i| i.product.max_quantity.max(1));
    cart.set_quantity(product_id, wanted.min(max));
    keep_cart(&state, &cart).await?;
    leptos_axum::redirect("/cart");
    Ok(())
}

/// Empties the cart (the cart page's button as a plain form).
#[server(prefix = "/api", endpoint = "cart/clear")]
pub async fn cart_clear() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let (destination, _) = cookie_cart();
    keep_cart(
        &state,
        &Cart {
            destination,
            items: Vec::new(),
        },
    )
    .await?;
    leptos_axum::redirect("/cart");
    Ok(())
}

/// Delivers the cart to `destination` (the cart page's choice as a plain form).
#[server(prefix = "/api", endpoint = "cart/destination")]
pub async fn cart_destination(destination: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let locale = crate::i18n::request_locale();
    let destination = Destination::parse(&destination).ok_or_else(|| invalid_request(locale))?;
    let (mut cart, _) = cookie_cart_with(&state, locale, None).await?;
    cart.destination = destination;
    keep_cart(&state, &cart).await?;
    leptos_axum::redirect("/cart");
    Ok(())
}

/// Whether the signed-in customer asked for cart reminders.
#[server(prefix = "/api", endpoint = "account/cart-reminders")]
pub async fn my_cart_reminders() -> Result<bool, AppError> {
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    Ok(account.cart_reminders.is_some())
}

/// Turns the signed-in customer's cart reminders on (`on` = `yes`, in the page's language) or
/// off (`no`).
#[server(prefix = "/api", endpoint = "account/cart-reminders/set")]
pub async fn set_cart_reminders(on: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    let on = match on.as_str() {
        "yes" => Some(crate::i18n::request_locale()),
        "no" => None,
        _ => return Err(bad_request("on: yes or no")),
    };
    super::reminders::set_reminders(&state.db, account.id, on, state.clock.now()).await?;
    leptos_axum::redirect("/account/privacy?reminders=1#cart-reminders");
    Ok(())
}
