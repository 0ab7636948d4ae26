use super::m20261122_000001_create_categories::Categories;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .col(pk_auto(Products::Id))
                    .col(string_uniq(Products::Slug))
                    .col(string_uniq(Products::Sku))
                    .col(integer(Products::CategoryId))
                    .col(string(Products::Kind))
                    .col(string(Products::NameFr))
                    .col(string(Products::NameEn))
                    .col(text(Products::SummaryFr))
                    .col(text(Products::SummaryEn))
                    .col(text(Products::DescriptionFr))
                    .col(text(Products::DescriptionEn))
                    .col(text(Products::CompositionFr))
                    .col(text(Products::CompositionEn))
                    .col(text(Products::UsageFr))
                    .col(text(Products::UsageEn))
                    .col(
                        big_integer(Products::PriceCents)
                            .check(Expr::col(Products::PriceCents).gte(0)),
                    )
                    .col(integer(Products::VatRateBp))
                    .col(integer(Products::NetQuantity))
                    .col(string(Products::NetUnit))
                    .col(integer(Products::Stock).check(Expr::col(Products::Stock).gte(0)))
                    .col(integer(Products::LeadTimeDays).default(2))
                    .col(string(Products::SubscriptionMonths).default(""))
                    .col(string(Products::Image))
                    .col(boolean(Products::Featured).default(false))
                    .col(string(Products::Status).default("active"))
                    .col(timestamp_with_time_zone(Products::CreatedAt))
                    .col(timestamp_with_time_zone(Products::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_products_category")
                            .from(Products::Table, Products::CategoryId)
                            .to(Categories::Table, Categories::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_products_category_status")
                    .table(Products::Table)
                    .col(Products::CategoryId)
                    .col(Products::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_products_featured")
                    .table(Products::Table)
                    .col(Products::Featured)
                    .col(Products::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Products::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Products {
    Table,
    Id,
    Slug,
    Sku,
    CategoryId,
    Kind,
    NameFr,
    NameEn,
    SummaryFr,
    SummaryEn,
    DescriptionFr,
    DescriptionEn,
    CompositionFr,
    CompositionEn,
    UsageFr,
    UsageEn,
    PriceCents,
    VatRateBp,
    NetQuantity,
    NetUnit,
    Stock,
    LeadTimeDays,
    SubscriptionMonths,
    Image,
    Featured,
    Status,
    CreatedAt,
    UpdatedAt,
}
