//! The back office's product editor as a script drives it.

use super::TestApp;
use super::forms::call;
use super::shop::pairs;
use app::db::entities::{category, product};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub fn product_fields(
    id: &str,
    sku: &str,
    name: &str,
    price: &str,
    category: &str,
) -> Vec<(String, String)> {
    [
        ("id", id),
        ("sku", sku),
        ("slug", ""),
        ("category_id", category),
        ("kind", "cosmetic"),
        ("name_fr", name),
        ("name_en", ""),
        (
            "summary_fr",
            "Une huile sèche pour le corps et les cheveux.",
        ),
        ("description_fr", "Pressée à froid, elle pénètre vite."),
        ("composition_fr", "Huile de figue de Barbarie."),
        ("usage_fr", "Quelques gouttes sur peau sèche."),
        ("price", price),
        ("vat_rate_bp", "2000"),
        ("net_quantity", "30"),
        ("net_unit", "ml"),
        ("lead_time_days", "2"),
        ("subscription_months", ""),
        ("shipping_weight_grams", ""),
        ("stock", "12"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("form[{k}]"), v.to_owned()))
    .collect()
}

pub async fn save(app: &TestApp, cookie: &str, fields: &[(String, String)]) -> reqwest::Response {
    call(app, "/api/admin/products/save", &pairs(fields), cookie).await
}

pub async fn by_sku(app: &TestApp, sku: &str) -> Option<product::Model> {
    product::Entity::find()
        .filter(product::Column::Sku.eq(sku))
        .one(&app.db)
        .await
        .unwrap()
}

pub async fn first_category(app: &TestApp) -> category::Model {
    category::Entity::find()
        .order_by_asc(category::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}
