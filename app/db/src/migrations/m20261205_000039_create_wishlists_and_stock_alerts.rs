//! The products a shopper keeps an eye on: a signed-in customer's wishlist, and the
//! back-in-stock alerts anyone may ask for (double opt-in by email for a visitor).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WishlistItems::Table)
                    .col(pk_auto(WishlistItems::Id))
                    .col(integer(WishlistItems::UserId))
                    .col(integer(WishlistItems::ProductId))
                    .col(timestamp_with_time_zone(WishlistItems::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WishlistItems::Table, WishlistItems::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WishlistItems::Table, WishlistItems::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_wishlist_items_once")
                    .table(WishlistItems::Table)
                    .col(WishlistItems::UserId)
                    .col(WishlistItems::ProductId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StockAlerts::Table)
                    .col(pk_auto(StockAlerts::Id))
                    .col(integer(StockAlerts::ProductId))
                    .col(string(StockAlerts::Email))
                    .col(integer_null(StockAlerts::UserId))
                    .col(string(StockAlerts::Locale))
                    .col(string(StockAlerts::Status))
                    .col(string_null(StockAlerts::ConfirmTokenHash))
                    .col(timestamp_with_time_zone(StockAlerts::RequestedAt))
                    .col(timestamp_with_time_zone_null(StockAlerts::ConfirmedAt))
                    .col(timestamp_with_time_zone_null(StockAlerts::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StockAlerts::Table, StockAlerts::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stock_alerts_once")
                    .table(StockAlerts::Table)
                    .col(StockAlerts::ProductId)
                    .col(StockAlerts::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_stock_alerts_status", StockAlerts::Status),
            ("idx_stock_alerts_email", StockAlerts::Email),
            ("idx_stock_alerts_token", StockAlerts::ConfirmTokenHash),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(StockAlerts::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StockAlerts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WishlistItems::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum WishlistItems {
    Table,
    Id,
    UserId,
    ProductId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StockAlerts {
    Table,
    Id,
    ProductId,
    Email,
    UserId,
    Locale,
    Status,
    ConfirmTokenHash,
    RequestedAt,
    ConfirmedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}
