//! What the pricing engine reads besides product prices: each product's shipping weight, the
//! shipping zones with their rate tables and free-shipping thresholds, and the payment methods
//! with where and from which total they are offered. Staff edit these rows (back office); the
//! demo values come from `server seed`.

use super::m20261122_000002_create_products::Products;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Products::Table)
                    .add_column(integer(Alias::new("shipping_weight_grams")).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ShippingZones::Table)
                    .col(string(ShippingZones::Code).primary_key())
                    .col(integer(ShippingZones::Position).default(0))
                    .col(big_integer_null(ShippingZones::FreeFromCents))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ShippingRates::Table)
                    .col(pk_auto(ShippingRates::Id))
                    .col(string(ShippingRates::ZoneCode))
                    .col(integer_null(ShippingRates::UpToGrams))
                    .col(big_integer(ShippingRates::PriceCents))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_shipping_rates_zone")
                            .from(ShippingRates::Table, ShippingRates::ZoneCode)
                            .to(ShippingZones::Table, ShippingZones::Code)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_shipping_rates_zone")
                    .table(ShippingRates::Table)
                    .col(ShippingRates::ZoneCode)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PaymentMethods::Table)
                    .col(string(PaymentMethods::Code).primary_key())
                    .col(integer(PaymentMethods::Position).default(0))
                    .col(boolean(PaymentMethods::Enabled).default(true))
                    .col(big_integer_null(PaymentMethods::MinTotalCents))
                    .col(string_null(PaymentMethods::Countries))
                    .col(boolean(PaymentMethods::Recurring).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PaymentMethods::Table.into_iden(),
            ShippingRates::Table.into_iden(),
            ShippingZones::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Products::Table)
                    .drop_column(Alias::new("shipping_weight_grams"))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum ShippingZones {
    Table,
    Code,
    Position,
    FreeFromCents,
}

#[derive(DeriveIden)]
enum ShippingRates {
    Table,
    Id,
    ZoneCode,
    UpToGrams,
    PriceCents,
}

#[derive(DeriveIden)]
enum PaymentMethods {
    Table,
    Code,
    Position,
    Enabled,
    MinTotalCents,
    Countries,
    Recurring,
}
