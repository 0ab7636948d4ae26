//! Subscriptions. A subscription is born when the first order holding a subscription line is
//! paid (the card saved by that payment is its mandate); each later period is a renewal order
//! of its own, unique per subscription and delivery date, so two workers can never make the
//! same renewal twice. A renewal order's off-session charge is retried on a schedule
//! (`charge_attempts`, `next_charge_at`). The demo provider remembers which of its payments
//! saved a card.

use super::m20261122_000002_create_products::Products;
use super::m20261122_000005_create_accounts::Users;
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
                    .table(Subscriptions::Table)
                    .col(pk_auto(Subscriptions::Id))
                    .col(integer(Subscriptions::UserId))
                    .col(integer(Subscriptions::ProductId))
                    .col(integer(Subscriptions::Quantity))
                    .col(integer(Subscriptions::EveryMonths))
                    // The first delivery: its day of the month is every delivery's day.
                    .col(date(Subscriptions::AnchorOn))
                    // The delivery of the latest order made (the first order's, at first).
                    .col(date(Subscriptions::LastPeriodOn))
                    .col(date(Subscriptions::NextDeliveryOn))
                    // `active`, `suspended` (charges failed), `ended`.
                    .col(string(Subscriptions::Status))
                    // A late cancellation: the subscription ends after this delivery.
                    .col(date_null(Subscriptions::EndsAfter))
                    .col(string(Subscriptions::Provider))
                    // The provider's reference of the saved card (opaque to the shop).
                    .col(string(Subscriptions::Mandate))
                    .col(integer(Subscriptions::OriginOrderId))
                    .col(string(Subscriptions::Locale))
                    .col(string(Subscriptions::Destination))
                    .col(string_null(Subscriptions::Title))
                    .col(string(Subscriptions::FirstName))
                    .col(string(Subscriptions::LastName))
                    .col(string_null(Subscriptions::Phone))
                    .col(text(Subscriptions::DeliveryAddress))
                    .col(text(Subscriptions::BillingAddress))
                    // The delivery the reminder email was sent for.
                    .col(date_null(Subscriptions::RemindedFor))
                    .col(timestamp_with_time_zone(Subscriptions::CreatedAt))
                    .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Subscriptions::EndedAt))
                    .col(string_null(Subscriptions::EndReason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_subscriptions_user")
                            .from(Subscriptions::Table, Subscriptions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_subscriptions_product")
                            .from(Subscriptions::Table, Subscriptions::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_subscriptions_origin")
                            .from(Subscriptions::Table, Subscriptions::OriginOrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_subscriptions_user")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_subscriptions_due")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::Status)
                    .col(Subscriptions::NextDeliveryOn)
                    .to_owned(),
            )
            .await?;
        // One subscription per subscription line of the first order (a replayed notification
        // cannot start it twice).
        manager
            .create_index(
                Index::create()
                    .name("idx_subscriptions_origin_product")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::OriginOrderId)
                    .col(Subscriptions::ProductId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        for column in [
            integer_null(NewOrderColumns::SubscriptionId),
            date_null(NewOrderColumns::PeriodOn),
            integer(NewOrderColumns::ChargeAttempts)
                .default(0)
                .to_owned(),
            timestamp_with_time_zone_null(NewOrderColumns::NextChargeAt),
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
            .create_index(
                Index::create()
                    .name("idx_orders_subscription_period")
                    .table(Orders::Table)
                    .col(NewOrderColumns::SubscriptionId)
                    .col(NewOrderColumns::PeriodOn)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_orders_next_charge")
                    .table(Orders::Table)
                    .col(NewOrderColumns::NextChargeAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OrderLines::Table)
                    .add_column(integer_null(OrderLines::EveryMonths))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DemoPayments::Table)
                    .add_column(string_null(DemoPayments::SavedCard))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DemoPayments::Table)
                    .drop_column(DemoPayments::SavedCard)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OrderLines::Table)
                    .drop_column(OrderLines::EveryMonths)
                    .to_owned(),
            )
            .await?;
        for index in ["idx_orders_next_charge", "idx_orders_subscription_period"] {
            manager
                .drop_index(Index::drop().name(index).table(Orders::Table).to_owned())
                .await?;
        }
        for column in [
            NewOrderColumns::NextChargeAt,
            NewOrderColumns::ChargeAttempts,
            NewOrderColumns::PeriodOn,
            NewOrderColumns::SubscriptionId,
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
        manager
            .drop_table(Table::drop().table(Subscriptions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    UserId,
    ProductId,
    Quantity,
    EveryMonths,
    AnchorOn,
    LastPeriodOn,
    NextDeliveryOn,
    Status,
    EndsAfter,
    Provider,
    Mandate,
    OriginOrderId,
    Locale,
    Destination,
    Title,
    FirstName,
    LastName,
    Phone,
    DeliveryAddress,
    BillingAddress,
    RemindedFor,
    CreatedAt,
    UpdatedAt,
    EndedAt,
    EndReason,
}

#[derive(DeriveIden)]
enum NewOrderColumns {
    SubscriptionId,
    PeriodOn,
    ChargeAttempts,
    NextChargeAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    EveryMonths,
}

#[derive(DeriveIden)]
enum DemoPayments {
    Table,
    SavedCard,
}
