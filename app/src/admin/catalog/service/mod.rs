//! The catalogue's back office on the server: checks every field, keeps the search columns in
//! step with the texts, logs stock movements and every change in the audit log, each in one
//! transaction.

use super::{
    CategoryForm, Movement, ProductEditorView, ProductForm, ProductList, ProductRow, VariantRow,
};
use crate::admin::audit;
use crate::catalog::search::{ProductSearchFields, ProductTexts};
use crate::catalog::service::{STATUS_ACTIVE, localized};
use crate::db::entities::{category, product, stock_movement, user};
use crate::error::AppError;
use crate::i18n::{Locale, Msg};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// The archived status of a product.
pub const STATUS_ARCHIVED: &str = "archived";
/// The most a text of a product may hold.
const MAX_TEXT: usize = 20_000;

/// Why a change was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogAdminError {
    #[error("not found")]
    NotFound,
    /// A field that cannot be: its message.
    #[error("invalid: {0:?}")]
    Invalid(Msg),
    /// The SKU or the address is another product's (or category's).
    #[error("taken: {0:?}")]
    Taken(Msg),
    #[error("database: {0}")]
    Database(#[from] DbErr),
}

/// The answer to send for `error`, in the shopper's language.
pub fn answer(error: CatalogAdminError) -> AppError {
    let locale = crate::i18n::request_locale();
    match error {
        CatalogAdminError::NotFound => AppError::NotFound.answered(),
        CatalogAdminError::Invalid(msg) => {
            AppError::BadRequest(locale.t(msg).to_owned()).answered()
        }
        CatalogAdminError::Taken(msg) => AppError::Conflict(locale.t(msg).to_owned()).answered(),
        CatalogAdminError::Database(e) => AppError::internal(e),
    }
}

impl From<CatalogAdminError> for AppError {
    fn from(error: CatalogAdminError) -> Self {
        answer(error)
    }
}

fn invalid(msg: Msg) -> CatalogAdminError {
    CatalogAdminError::Invalid(msg)
}

mod categories;
mod check;
mod import;
mod read;
mod save;

pub use categories::*;
pub use check::*;
pub use import::*;
pub use read::*;
pub use save::*;
