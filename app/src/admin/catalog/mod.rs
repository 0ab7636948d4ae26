//! `/admin/products` (search by name or SKU, by category and status), `/admin/products/{id}`
//! (`new` for a new one): every field of a product, its picture, archive or restore, and the
//! stock adjusted with a reason (each movement logged: who, how much, why, the stock after);
//! `/admin/categories`: create, rename, reorder, archive. Orders keep their own copies of
//! names and prices, so no change here alters an order placed before it.

use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::Loading;
use crate::ui::format::{money, paris_time};
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod categories;
mod import;
mod products;
pub use categories::*;
pub use import::*;
pub use products::*;

/// Products per page of the list.
pub const PRODUCTS_PAGE: u64 = 50;
/// The VAT rates of France, in basis points: super-reduced, reduced, intermediate, standard.
pub const VAT_RATES_BP: [i32; 4] = [210, 550, 1000, 2000];
/// The form field of the picture upload.
pub const IMAGE_FIELD: &str = "image";
/// Session key of an upload's refusal, shown on the product's page.
pub const IMAGE_ERROR: &str = "product_image_error";

/// A product as the form sends it (text as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    /// 0 for a new product.
    pub id: i32,
    pub sku: String,
    pub slug: String,
    pub category_id: i32,
    /// `supplement` or `cosmetic`.
    pub kind: String,
    pub name_fr: String,
    pub name_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub composition_fr: String,
    pub composition_en: String,
    pub usage_fr: String,
    pub usage_en: String,
    /// Price including VAT, `34,00` or `34.00`.
    pub price: String,
    /// In basis points, one of [`VAT_RATES_BP`].
    pub vat_rate_bp: i32,
    pub net_quantity: String,
    /// `g` or `ml`.
    pub net_unit: String,
    pub lead_time_days: String,
    /// Months between deliveries, `1,2,3` (empty: no subscription).
    pub subscription_months: String,
    pub shipping_weight_grams: String,
    /// `on` when ticked.
    pub featured: Option<String>,
    /// Only for a new product: its first stock.
    pub stock: String,
    /// A new variant's product (its first variant's id); 0 for a product's first variant. Read
    /// from the database for a variant already saved.
    pub variant_of: i32,
    /// The variant in the page's address (`50ml`); empty: from the net quantity.
    pub variant_code: String,
    pub variant_label_fr: String,
    pub variant_label_en: String,
}

/// A variant of the product being edited, as the editor lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantRow {
    pub id: i32,
    pub code: String,
    pub label: String,
    pub sku: String,
    pub price: Decimal,
    pub stock: i32,
    pub active: bool,
}

/// A row of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: i32,
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price: Decimal,
    pub stock: i32,
    pub active: bool,
}

/// A page of the list, with the filters applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductList {
    pub rows: Vec<ProductRow>,
    pub q: String,
    pub category: i32,
    pub status: String,
    pub page: u64,
    pub has_more: bool,
    pub categories: Vec<(i32, String)>,
}

/// A stock movement as staff read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Movement {
    pub at: chrono::DateTime<chrono::Utc>,
    pub delta: i32,
    pub stock_after: i32,
    pub reason: String,
    pub actor: String,
}

/// The product page of the back office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEditorView {
    pub form: ProductForm,
    pub slug_on_sale: Option<String>,
    pub image: String,
    pub stock: i32,
    pub active: bool,
    pub categories: Vec<(i32, String)>,
    pub movements: Vec<Movement>,
    /// The last prices, newest first: since when, VAT included.
    pub prices: Vec<(chrono::DateTime<chrono::Utc>, rust_decimal::Decimal)>,
    /// The lowest price of the last 30 days: the reference a reduction starting now would be
    /// announced against.
    pub reference_price: Option<rust_decimal::Decimal>,
    /// The sale in force on it, by name, and the price it puts in force.
    pub sale: Option<(String, rust_decimal::Decimal)>,
    /// Confirmed back-in-stock alerts waiting for it.
    pub waiting_alerts: u64,
    /// The refusal of the last picture upload, once.
    pub image_error: Option<String>,
    /// Every variant of the product (this one included), in the picker's order.
    pub variants: Vec<VariantRow>,
    /// A variant other than the first: its product's first variant, by id and name (the
    /// texts, category and picture are edited there).
    pub first: Option<(i32, String)>,
}

/// A category as staff edit it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CategoryForm {
    /// 0 for a new one.
    pub id: i32,
    pub slug: String,
    pub name_fr: String,
    pub name_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub position: i32,
    pub archived: bool,
    /// Products on sale in it (read only).
    pub products: u64,
}

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod upload;

/// The products, by name, for staff.
#[server(prefix = "/api", endpoint = "admin/products")]
pub async fn admin_products(
    q: String,
    category: i32,
    status: String,
    page: u64,
) -> Result<ProductList, AppError> {
    let state = super::require_staff().await?;
    service::list(
        &state.db,
        crate::i18n::request_locale(),
        q,
        category,
        status,
        page,
    )
    .await
    .map_err(AppError::internal)
}

/// Product `id` in the editor; 0: a blank one, or a new variant of product `variant_of`.
#[server(prefix = "/api", endpoint = "admin/products/editor")]
pub async fn product_editor(id: i32, variant_of: i32) -> Result<ProductEditorView, AppError> {
    let state = super::require_staff().await?;
    let session = crate::account::api::ssr::session().await?;
    let image_error = session.remove::<String>(IMAGE_ERROR).await.ok().flatten();
    let mut editor = service::editor(
        &state.db,
        crate::i18n::request_locale(),
        id,
        variant_of,
        state.clock.now(),
    )
    .await?;
    editor.image_error = image_error;
    Ok(editor)
}

/// Creates or updates a product (not its stock, which moves by adjustments).
#[server(prefix = "/api", endpoint = "admin/products/save")]
pub async fn save_product(form: ProductForm) -> Result<(), AppError> {
    let (state, staff) = super::staff_member().await?;
    let id = service::save(&state.db, &form, staff.id, state.clock.now()).await?;
    state.catalogue_changed();
    leptos_axum::redirect(&format!("/admin/products/{id}?saved=1"));
    Ok(())
}

/// Archives (`archived`) or puts back on sale (`active`) product `id`.
#[server(prefix = "/api", endpoint = "admin/products/status")]
pub async fn set_product_status(id: i32, status: String) -> Result<(), AppError> {
    let (state, staff) = super::staff_member().await?;
    service::set_status(&state.db, id, &status, staff.id, state.clock.now()).await?;
    state.catalogue_changed();
    stock_alerts(&state).await;
    leptos_axum::redirect(&format!("/admin/products/{id}"));
    Ok(())
}

/// Adds `delta` (negative: removes) to product `id`'s stock, for `reason`.
#[server(prefix = "/api", endpoint = "admin/products/stock")]
pub async fn adjust_stock(id: i32, delta: String, reason: String) -> Result<(), AppError> {
    let (state, staff) = super::staff_member().await?;
    service::adjust_stock(&state.db, id, &delta, &reason, staff.id, state.clock.now()).await?;
    stock_alerts(&state).await;
    leptos_axum::redirect(&format!("/admin/products/{id}"));
    Ok(())
}

/// Emails the alerts of products back in stock at once (a failure is left to the job that
/// runs every minute).
#[cfg(feature = "ssr")]
async fn stock_alerts(state: &crate::state::AppState) {
    let site = &state.site.public_url;
    if let Err(error) = crate::wishlist::service::dispatch(&state.db, site, state.clock.now()).await
    {
        tracing::warn!(%error, "could not send the back-in-stock alerts now");
    }
}

/// Every category, archived ones included.
#[server(prefix = "/api", endpoint = "admin/categories")]
pub async fn admin_categories() -> Result<Vec<CategoryForm>, AppError> {
    let state = super::require_staff().await?;
    service::categories(&state.db)
        .await
        .map_err(AppError::internal)
}

/// Creates or updates a category.
#[server(prefix = "/api", endpoint = "admin/categories/save")]
pub async fn save_category(category: CategoryForm) -> Result<(), AppError> {
    let (state, staff) = super::staff_member().await?;
    service::save_category(&state.db, &category, staff.id, state.clock.now()).await?;
    state.catalogue_changed();
    leptos_axum::redirect("/admin/categories");
    Ok(())
}
