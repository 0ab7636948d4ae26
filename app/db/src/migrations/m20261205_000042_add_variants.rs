//! Variants: a product may come in several sizes or counts (a cream in 30 and 50 ml). Each
//! variant is a row of `products` with what is sold per size — SKU, price (and the sale and
//! price-history columns that follow it), net quantity, weight, stock, subscription
//! frequencies — so the cart, quotes, orders, invoices, stock movements, subscriptions,
//! withdrawals, sales and alerts, which all name a `products` row, work per variant unchanged.
//! The first variant (`variant_of` null) carries the product's texts, category and pictures and
//! is the one the catalogue lists; the others point to it and copy its shared fields.
//!
//! `variant_code` names a variant in the page's address (`?v=50ml`) and is unique within its
//! product; existing products become single-variant products coded by their net quantity
//! (`60g`). The labels (FR/EN) are shown once a product has more than one variant.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [
            integer_null(Products::VariantOf),
            string_len(Products::VariantCode, 24).default("").to_owned(),
            string_len(Products::VariantLabelFr, 60)
                .default("")
                .to_owned(),
            string_len(Products::VariantLabelEn, 60)
                .default("")
                .to_owned(),
            integer(Products::VariantPosition).default(0).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Products::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE products SET variant_code = CAST(net_quantity AS TEXT) || net_unit",
        )
        .await?;
        settle_triggers(manager).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_products_variant_of")
                    .table(Products::Table)
                    .col(Products::VariantOf)
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX idx_products_variant_code \
             ON products ((COALESCE(variant_of, id)), variant_code)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // Without the feature an extra variant would be a product of its own: it leaves the
        // catalogue (its orders keep their own copies).
        db.execute_unprepared(
            "UPDATE products SET status = 'archived' WHERE variant_of IS NOT NULL",
        )
        .await?;
        settle_triggers(manager).await?;
        db.execute_unprepared("DROP INDEX idx_products_variant_code")
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_products_variant_of")
                    .table(Products::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Products::VariantOf,
            Products::VariantCode,
            Products::VariantLabelFr,
            Products::VariantLabelEn,
            Products::VariantPosition,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Products::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// PostgreSQL refuses to alter a table with deferred trigger events pending (the storefront's
/// content version moves at commit): they run now.
async fn settle_triggers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        manager
            .get_connection()
            .execute_unprepared("SET CONSTRAINTS ALL IMMEDIATE")
            .await?;
    }
    Ok(())
}

#[derive(DeriveIden)]
enum Products {
    Table,
    VariantOf,
    VariantCode,
    VariantLabelFr,
    VariantLabelEn,
    VariantPosition,
}
