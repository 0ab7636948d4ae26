//! Verified reviews (Code de la consommation L111-7-2, D111-17): a rating and a text by the
//! customer of a delivered order with that product, once per product per order, published or
//! refused (with the reason told to the author) by staff.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reviews::Table)
                    .col(pk_auto(Reviews::Id))
                    .col(integer(Reviews::ProductId))
                    .col(integer(Reviews::OrderId))
                    .col(integer_null(Reviews::UserId))
                    .col(integer(Reviews::Rating))
                    .col(text(Reviews::Body))
                    .col(string(Reviews::AuthorName))
                    .col(string(Reviews::Locale))
                    .col(string(Reviews::Status))
                    .col(string_null(Reviews::RefusalReason))
                    .col(timestamp_with_time_zone(Reviews::CreatedAt))
                    .col(timestamp_with_time_zone_null(Reviews::ModeratedAt))
                    .col(integer_null(Reviews::ModeratedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reviews::Table, Reviews::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reviews::Table, Reviews::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reviews_once_per_order")
                    .table(Reviews::Table)
                    .col(Reviews::OrderId)
                    .col(Reviews::ProductId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reviews_product_status")
                    .table(Reviews::Table)
                    .col(Reviews::ProductId)
                    .col(Reviews::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reviews_user")
                    .table(Reviews::Table)
                    .col(Reviews::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Reviews::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
    ProductId,
    OrderId,
    UserId,
    Rating,
    Body,
    AuthorName,
    Locale,
    Status,
    RefusalReason,
    CreatedAt,
    ModeratedAt,
    ModeratedBy,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}
