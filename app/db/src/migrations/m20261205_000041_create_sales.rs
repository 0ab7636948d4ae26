//! Sales staff schedule (Code de la consommation L112-1-1): a percentage off or a new price, on
//! every product, some products or some categories, between two instants. A product on sale
//! keeps its price in force in `price_cents` (what the listing sorts on, the cart and the
//! order read, and the price history records), with its catalogue price kept aside in
//! `price_before_sale_cents`, the sale applied in `sale_id`, and the reference price of the
//! reduction (the lowest of the 30 days before it) in `reference_price_cents`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Sales::Table)
                    .col(pk_auto(Sales::Id))
                    .col(string_len(Sales::Name, 120))
                    // `percent` (amount in basis points) or `price` (amount in cents).
                    .col(string_len(Sales::Kind, 16))
                    .col(big_integer(Sales::Amount))
                    // `all`, `products` or `categories`, with the ids as a JSON array.
                    .col(string_len(Sales::Scope, 16))
                    .col(text(Sales::ScopeIds))
                    .col(timestamp_with_time_zone(Sales::StartsAt))
                    .col(timestamp_with_time_zone(Sales::EndsAt))
                    .col(timestamp_with_time_zone_null(Sales::CancelledAt))
                    .col(timestamp_with_time_zone(Sales::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sales_ends_at")
                    .table(Sales::Table)
                    .col(Sales::EndsAt)
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite alters one at a time.
        for column in [
            integer_null(Products::SaleId),
            big_integer_null(Products::PriceBeforeSaleCents),
            big_integer_null(Products::ReferencePriceCents),
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
        manager
            .create_index(
                Index::create()
                    .name("idx_products_sale")
                    .table(Products::Table)
                    .col(Products::SaleId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_products_sale")
                    .table(Products::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Products::SaleId,
            Products::PriceBeforeSaleCents,
            Products::ReferencePriceCents,
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
        manager
            .drop_table(Table::drop().table(Sales::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Sales {
    Table,
    Id,
    Name,
    Kind,
    Amount,
    Scope,
    ScopeIds,
    StartsAt,
    EndsAt,
    CancelledAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    SaleId,
    PriceBeforeSaleCents,
    ReferencePriceCents,
}
