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
