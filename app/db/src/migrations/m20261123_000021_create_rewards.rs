//! Referral and loyalty: each account's referral code and points balance, the referrals (a
//! referred person's first order, and the credit it earns the sponsor once paid), and the
//! points ledger (every point earned, spent, given back or taken back, with its order).

use super::m20261122_000005_create_accounts::Users;
use super::m20261122_000009_create_orders::Orders;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds no UNIQUE column: the column, then its unique index.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_null(NewUserColumns::ReferralCode))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    // Kept equal to the sum of the account's ledger; spent by a conditional
                    // update (`… WHERE loyalty_points >= n`). Below zero when points already
                    // spent were taken back by a refund.
                    .add_column(big_integer(NewUserColumns::LoyaltyPoints).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_referral_code")
                    .table(Users::Table)
                    .col(NewUserColumns::ReferralCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Referrals::Table)
                    .col(pk_auto(Referrals::Id))
                    .col(integer(Referrals::SponsorId))
                    // Lower-cased. Unique: a person is referred once.
                    .col(string(Referrals::RefereeEmail).unique_key())
                    .col(integer_null(Referrals::RefereeUserId))
                    // The referred person's first order.
                    .col(integer(Referrals::OrderId).unique_key())
                    // `pending` (first order unpaid), `earned` (paid: the sponsor's credit is
                    // usable), `reversed` (refunded or withdrawn).
                    .col(string(Referrals::Status))
                    .col(big_integer(Referrals::CreditCents))
                    // The sponsor's order that spent the credit.
                    .col(integer_null(Referrals::CreditOrderId).unique_key())
                    .col(timestamp_with_time_zone(Referrals::CreatedAt))
                    .col(timestamp_with_time_zone(Referrals::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_referrals_sponsor")
                            .from(Referrals::Table, Referrals::SponsorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_referrals_order")
                            .from(Referrals::Table, Referrals::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_referrals_sponsor")
                    .table(Referrals::Table)
                    .col(Referrals::SponsorId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoyaltyEntries::Table)
                    .col(pk_auto(LoyaltyEntries::Id))
                    .col(integer(LoyaltyEntries::UserId))
                    .col(integer_null(LoyaltyEntries::OrderId))
                    // `earned`, `spent`, `returned` (an unpaid order cancelled) or `taken_back`
                    // (a refund).
                    .col(string(LoyaltyEntries::Kind))
                    // Signed: what it did to the balance.
                    .col(big_integer(LoyaltyEntries::Points))
                    .col(timestamp_with_time_zone(LoyaltyEntries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_loyalty_entries_user")
                            .from(LoyaltyEntries::Table, LoyaltyEntries::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_loyalty_entries_user")
                    .table(LoyaltyEntries::Table)
                    .col(LoyaltyEntries::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_loyalty_entries_order")
                    .table(LoyaltyEntries::Table)
                    .col(LoyaltyEntries::OrderId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoyaltyEntries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Referrals::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_users_referral_code")
                    .table(Users::Table)
                    .to_owned(),
            )
            .await?;
        for column in [NewUserColumns::LoyaltyPoints, NewUserColumns::ReferralCode] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum NewUserColumns {
    ReferralCode,
    LoyaltyPoints,
}

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Id,
    SponsorId,
    RefereeEmail,
    RefereeUserId,
    OrderId,
    Status,
    CreditCents,
    CreditOrderId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LoyaltyEntries {
    Table,
    Id,
    UserId,
    OrderId,
    Kind,
    Points,
    CreatedAt,
}
