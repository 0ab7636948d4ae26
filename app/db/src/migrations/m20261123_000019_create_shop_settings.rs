//! The shop's settings staff change in the back office (the seller's identity and bank
//! details today; the referral and loyalty rates later): one JSON value per key.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ShopSettings::Table)
                    .col(string(ShopSettings::Key).primary_key())
                    // JSON, read by the setting's own type.
                    .col(text(ShopSettings::Value))
                    .col(timestamp_with_time_zone(ShopSettings::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ShopSettings::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ShopSettings {
    Table,
    Key,
    Value,
    UpdatedAt,
}
