//! Catalogue server functions.

use super::model::HomeShowcase;
use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// How many featured products the home page shows.
pub const HOME_FEATURED_LIMIT: u64 = 8;

/// The featured products and the categories shown on the home page, in `locale`.
#[server(prefix = "/api", endpoint = "catalog/showcase", input = GetUrl)]
pub async fn get_home_showcase(locale: Locale) -> Result<HomeShowcase, AppError> {
    let state = crate::state::app_state()?;
    Ok(super::service::home_showcase(&state.db, locale, HOME_FEATURED_LIMIT).await?)
}
