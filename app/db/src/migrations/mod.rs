//! Schema migrations, applied at start-up and by `server migrate`. Each has a real `down`.

mod m20261122_000001_create_categories;
mod m20261122_000002_create_products;
mod m20261122_000003_add_product_search;
mod m20261122_000004_create_pricing_tables;
mod m20261122_000005_create_accounts;
mod m20261122_000006_create_addresses_and_saved_carts;
mod m20261122_000007_keep_search_vector_inline;
mod m20261122_000008_add_outbox_delivery;
mod m20261122_000009_create_orders;
mod m20261122_000010_add_outbox_invoice;
mod m20261122_000011_create_refunds;
mod m20261123_000012_create_subscriptions;
mod m20261123_000013_create_privacy;
mod m20261123_000014_add_account_erasure;
mod m20261123_000015_create_newsletter;
mod m20261123_000016_create_withdrawals;
mod m20261123_000017_create_articles;
mod m20261123_000018_create_back_office;
mod m20261123_000019_create_shop_settings;
mod m20261123_000020_create_promotions;
mod m20261123_000021_create_rewards;
mod m20261123_000022_widen_search_prefixes;
mod m20261123_000023_create_product_search;
mod m20261203_000024_add_paid_by_line;
mod m20261203_000025_add_outbox_contract;
mod m20261203_000026_add_order_vat_country;
mod m20261203_000027_create_store_credit;
mod m20261203_000028_add_tracking_check;
mod m20261203_000029_create_content_version;
mod m20261205_000030_add_retention_indexes;
mod m20261205_000031_add_objection;
mod m20261205_000032_create_privacy_requests;
mod m20261205_000033_expire_invoice_archive;
mod m20261205_000034_create_processor_erasures;
mod m20261205_000035_create_service_notices;
mod m20261205_000036_add_cart_reminders;
mod m20261205_000037_create_reviews;
mod m20261205_000038_reviews_move_the_storefront_version;
mod m20261205_000039_create_wishlists_and_stock_alerts;
mod m20261205_000040_create_price_history;
mod m20261205_000041_create_sales;
mod m20261205_000042_add_variants;
mod m20261206_000043_add_outbox_locale;

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// Runs `statements` in order when the database is `backend`, and nothing otherwise: for the
/// migrations that concern one engine only.
async fn execute_on(
    manager: &SchemaManager<'_>,
    backend: DbBackend,
    statements: &[impl AsRef<str>],
) -> Result<(), DbErr> {
    if manager.get_database_backend() != backend {
        return Ok(());
    }
    let db = manager.get_connection();
    for statement in statements {
        db.execute_unprepared(statement.as_ref()).await?;
    }
    Ok(())
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_categories::Migration),
            Box::new(m20261122_000002_create_products::Migration),
            Box::new(m20261122_000003_add_product_search::Migration),
            Box::new(m20261122_000004_create_pricing_tables::Migration),
            Box::new(m20261122_000005_create_accounts::Migration),
            Box::new(m20261122_000006_create_addresses_and_saved_carts::Migration),
            Box::new(m20261122_000007_keep_search_vector_inline::Migration),
            Box::new(m20261122_000008_add_outbox_delivery::Migration),
            Box::new(m20261122_000009_create_orders::Migration),
            Box::new(m20261122_000010_add_outbox_invoice::Migration),
            Box::new(m20261122_000011_create_refunds::Migration),
            Box::new(m20261123_000012_create_subscriptions::Migration),
            Box::new(m20261123_000013_create_privacy::Migration),
            Box::new(m20261123_000014_add_account_erasure::Migration),
            Box::new(m20261123_000015_create_newsletter::Migration),
            Box::new(m20261123_000016_create_withdrawals::Migration),
            Box::new(m20261123_000017_create_articles::Migration),
            Box::new(m20261123_000018_create_back_office::Migration),
            Box::new(m20261123_000019_create_shop_settings::Migration),
            Box::new(m20261123_000020_create_promotions::Migration),
            Box::new(m20261123_000021_create_rewards::Migration),
            Box::new(m20261123_000022_widen_search_prefixes::Migration),
            Box::new(m20261123_000023_create_product_search::Migration),
            Box::new(m20261203_000024_add_paid_by_line::Migration),
            Box::new(m20261203_000025_add_outbox_contract::Migration),
            Box::new(m20261203_000026_add_order_vat_country::Migration),
            Box::new(m20261203_000027_create_store_credit::Migration),
            Box::new(m20261203_000028_add_tracking_check::Migration),
            Box::new(m20261203_000029_create_content_version::Migration),
            Box::new(m20261205_000030_add_retention_indexes::Migration),
            Box::new(m20261205_000031_add_objection::Migration),
            Box::new(m20261205_000032_create_privacy_requests::Migration),
            Box::new(m20261205_000033_expire_invoice_archive::Migration),
            Box::new(m20261205_000034_create_processor_erasures::Migration),
            Box::new(m20261205_000035_create_service_notices::Migration),
            Box::new(m20261205_000036_add_cart_reminders::Migration),
            Box::new(m20261205_000037_create_reviews::Migration),
            Box::new(m20261205_000038_reviews_move_the_storefront_version::Migration),
            Box::new(m20261205_000039_create_wishlists_and_stock_alerts::Migration),
            Box::new(m20261205_000040_create_price_history::Migration),
            Box::new(m20261205_000041_create_sales::Migration),
            Box::new(m20261205_000042_add_variants::Migration),
            Box::new(m20261206_000043_add_outbox_locale::Migration),
        ]
    }
}
