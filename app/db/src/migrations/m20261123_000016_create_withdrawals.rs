//! Withdrawals from the contract and missing-item claims, made online without signing in:
//! which lines (and quantities) the customer declared, what is to be refunded, and whether
//! staff have refunded it.

use super::m20261122_000009_create_orders::Orders;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WithdrawalRequests::Table)
                    .col(pk_auto(WithdrawalRequests::Id))
                    .col(string_uniq(WithdrawalRequests::Reference))
                    .col(integer(WithdrawalRequests::OrderId))
                    // `withdrawal` or `missing_item`.
                    .col(string(WithdrawalRequests::Kind))
                    // `received`, `refunded`.
                    .col(string(WithdrawalRequests::Status))
                    // JSON: [{"line_id", "name", "quantity", "unit_price_cents"}].
                    .col(text(WithdrawalRequests::Lines))
                    .col(big_integer(WithdrawalRequests::RefundCents))
                    .col(timestamp_with_time_zone(WithdrawalRequests::CreatedAt))
                    .col(timestamp_with_time_zone_null(WithdrawalRequests::HandledAt))
                    .col(string_null(WithdrawalRequests::HandledBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_withdrawal_requests_order")
                            .from(WithdrawalRequests::Table, WithdrawalRequests::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WithdrawalRequests::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum WithdrawalRequests {
    Table,
    Id,
    Reference,
    OrderId,
    Kind,
    Status,
    Lines,
    RefundCents,
    CreatedAt,
    HandledAt,
    HandledBy,
}
