//! The back office: the parcel's carrier and tracking number on the order, the audit log of
//! every staff action, the log of stock adjustments (who moved how much, and why), and
//! categories that staff archive (kept for their products, hidden from the shop).

use super::m20261122_000001_create_categories::Categories;
use super::m20261122_000002_create_products::Products;
use super::m20261122_000009_create_orders::Orders;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            string_null(NewOrderColumns::TrackingCarrier),
            string_null(NewOrderColumns::TrackingNumber),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Categories::Table)
                    .add_column(boolean(NewCategoryColumns::Archived).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    // The staff account that acted.
                    .col(integer(AuditLog::ActorId))
                    // `order.ship`, `product.update`, `stock.adjust`…
                    .col(string(AuditLog::Action))
                    // `order:CB26-7K3M9Q`, `product:12`, `customer:7`…
                    .col(string(AuditLog::Subject))
                    .col(text(AuditLog::Detail))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_subject")
                    .table(AuditLog::Table)
                    .col(AuditLog::Subject)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StockMovements::Table)
                    .col(pk_auto(StockMovements::Id))
                    .col(integer(StockMovements::ProductId))
                    .col(integer(StockMovements::Delta))
                    .col(integer(StockMovements::StockAfter))
                    .col(string(StockMovements::Reason))
                    .col(integer(StockMovements::ActorId))
                    .col(timestamp_with_time_zone(StockMovements::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stock_movements_product")
                            .from(StockMovements::Table, StockMovements::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stock_movements_product")
                    .table(StockMovements::Table)
                    .col(StockMovements::ProductId)
                    .col(StockMovements::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StockMovements::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Categories::Table)
                    .drop_column(NewCategoryColumns::Archived)
                    .to_owned(),
            )
            .await?;
        for column in [
            NewOrderColumns::TrackingNumber,
            NewOrderColumns::TrackingCarrier,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Orders::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum NewOrderColumns {
    TrackingCarrier,
    TrackingNumber,
}

#[derive(DeriveIden)]
enum NewCategoryColumns {
    Archived,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    Action,
    Subject,
    Detail,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    Id,
    ProductId,
    Delta,
    StockAfter,
    Reason,
    ActorId,
    CreatedAt,
}
