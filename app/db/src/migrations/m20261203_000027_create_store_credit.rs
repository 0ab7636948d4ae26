//! After-sales, the rest of the law's deadlines and means: a store credit per account (a
//! ledger and a balance, refunded to and spent at checkout), each order line's share of the
//! store credit spent on it (given back as credit, never as money), lines staff mark
//! unavailable with the customer's choice, and each withdrawal's refund due date (7 days for a
//! subscription's return, 14 otherwise).

use super::m20261122_000005_create_accounts::Users;
use super::m20261122_000009_create_orders::Orders;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    // Kept equal to the sum of the account's store-credit ledger; spent by a
                    // conditional update (`… WHERE store_credit_cents >= n`), never below zero.
                    .add_column(big_integer(New::StoreCreditCents).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(New::OrderLines)
                    // The store credit spent on this line (its share of that adjustment).
                    .add_column(big_integer(New::CreditCents).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(New::WithdrawalRequests)
                    .add_column(timestamp_with_time_zone_null(New::RefundDueAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(New::WithdrawalRequests)
                    // The store credit the withdrawn lines were paid with: given back as credit.
                    .add_column(big_integer(New::CreditCents).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StoreCredits::Table)
                    .col(pk_auto(StoreCredits::Id))
                    .col(integer(StoreCredits::UserId))
                    .col(integer_null(StoreCredits::OrderId))
                    .col(integer_null(StoreCredits::RefundId))
                    // `refund` (a refund made as credit), `spent` (an order paid with it),
                    // `returned` (that order cancelled before payment), `restored` (that order
                    // refunded: the credit it spent comes back as credit).
                    .col(string(StoreCredits::Kind))
                    // Signed: what it did to the balance.
                    .col(big_integer(StoreCredits::AmountCents))
                    .col(timestamp_with_time_zone(StoreCredits::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_store_credits_user")
                            .from(StoreCredits::Table, StoreCredits::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_store_credits_user", StoreCredits::UserId),
            ("idx_store_credits_order", StoreCredits::OrderId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(StoreCredits::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        // One credit per refund: a refund retried never credits twice.
        manager
            .create_index(
                Index::create()
                    .name("idx_store_credits_refund")
                    .table(StoreCredits::Table)
                    .col(StoreCredits::RefundId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UnavailableLines::Table)
                    .col(pk_auto(UnavailableLines::Id))
                    .col(integer(UnavailableLines::OrderId))
                    // One notice per line.
                    .col(integer(UnavailableLines::OrderLineId).unique_key())
                    // The expected date, as staff gave it (Paris day).
                    .col(date(UnavailableLines::ExpectedOn))
                    // `None` until the customer chooses: `wait`, `credit` or `refund`.
                    .col(string_null(UnavailableLines::Choice))
                    .col(timestamp_with_time_zone_null(UnavailableLines::ChosenAt))
                    .col(string(UnavailableLines::Actor))
                    .col(timestamp_with_time_zone(UnavailableLines::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_unavailable_lines_order")
                            .from(UnavailableLines::Table, UnavailableLines::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_unavailable_lines_order")
                    .table(UnavailableLines::Table)
                    .col(UnavailableLines::OrderId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UnavailableLines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StoreCredits::Table).to_owned())
            .await?;
        for (table, column) in [
            (New::WithdrawalRequests, New::RefundDueAt),
            (New::WithdrawalRequests, New::CreditCents),
            (New::OrderLines, New::CreditCents),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(New::StoreCreditCents)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum New {
    StoreCreditCents,
    OrderLines,
    CreditCents,
    WithdrawalRequests,
    RefundDueAt,
}

#[derive(DeriveIden)]
enum StoreCredits {
    Table,
    Id,
    UserId,
    OrderId,
    RefundId,
    Kind,
    AmountCents,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UnavailableLines {
    Table,
    Id,
    OrderId,
    OrderLineId,
    ExpectedOn,
    Choice,
    ChosenAt,
    Actor,
    CreatedAt,
}
