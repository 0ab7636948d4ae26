//! Catalogue server functions (reads, cacheable `GET`s).

use super::model::{HomeShowcase, ListingParams, ProductDetail, ProductListing};
use super::rules::ListingError;
use crate::error::AppError;
use crate::i18n::{Locale, Msg};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// How many featured products the home page shows.
pub const HOME_FEATURED_LIMIT: u64 = 8;

/// The featured products and the categories shown on the home page, in `locale`.
#[server(prefix = "/api", endpoint = "catalog/showcase", input = GetUrl)]
pub async fn get_home_showcase(locale: Locale) -> Result<HomeShowcase, AppError> {
    let state = crate::state::app_state()?;
    Ok(state
        .catalogue_pages
        .home(&state.db, locale, HOME_FEATURED_LIMIT)
        .await?)
}

/// The message shown when a catalogue URL is refused.
pub fn listing_error_message(error: ListingError) -> Msg {
    match error {
        ListingError::BadPage => Msg::BadPageNumber,
        ListingError::BadSort => Msg::BadSortOrder,
        ListingError::QueryTooLong => Msg::SearchTooLong,
        ListingError::BadCategory => Msg::CategoryNotFound,
    }
}

/// One page of the catalogue for the URL's `params`, in `locale`. A refused parameter is a 400
/// with a message saying which; an unknown category is a 404.
#[server(prefix = "/api", endpoint = "catalog/products", input = GetUrl)]
pub async fn list_products(
    params: ListingParams,
    locale: Locale,
) -> Result<ProductListing, AppError> {
    let query = super::rules::parse_listing(&params).map_err(|e| {
        let error = AppError::BadRequest(listing_error_message(e).text(locale).to_owned());
        error.set_status();
        error
    })?;
    let state = crate::state::app_state()?;
    state
        .catalogue_pages
        .listing(&state.db, &state.search_cache, locale, query)
        .await
        .map_err(AppError::from)
}

/// The product page for `slug`, in `locale`: 404 when unknown, 410 when archived.
#[server(prefix = "/api", endpoint = "catalog/product", input = GetUrl)]
pub async fn get_product(slug: String, locale: Locale) -> Result<ProductDetail, AppError> {
    let state = crate::state::app_state()?;
    state
        .catalogue_pages
        .product(&state.db, locale, &slug)
        .await
        .map_err(AppError::from)
}
