//! Promo codes staff manage, each use of one by an order, and the discounts an order was
//! given (with their split by VAT rate, for its invoice).

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
                    .table(PromoCodes::Table)
                    .col(pk_auto(PromoCodes::Id))
                    // Upper-case, as customers may type it in any case.
                    .col(string(PromoCodes::Code).unique_key())
                    // `percent` (value in basis points) or `amount` (value in cents).
                    .col(string(PromoCodes::Kind))
                    .col(big_integer(PromoCodes::Value))
                    .col(big_integer_null(PromoCodes::MinBasketCents))
                    .col(timestamp_with_time_zone_null(PromoCodes::StartsAt))
                    .col(timestamp_with_time_zone_null(PromoCodes::EndsAt))
                    .col(integer_null(PromoCodes::MaxUses))
                    .col(integer_null(PromoCodes::MaxUsesPerCustomer))
                    // `all`, `products` or `categories`, with the ids as a JSON array.
                    .col(string(PromoCodes::Scope))
                    .col(text(PromoCodes::ScopeIds))
                    // Orders holding it (a cancelled unpaid order gives its use back).
                    .col(integer(PromoCodes::Uses).default(0))
                    .col(boolean(PromoCodes::Active).default(true))
                    .col(timestamp_with_time_zone(PromoCodes::CreatedAt))
                    .col(timestamp_with_time_zone(PromoCodes::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PromoRedemptions::Table)
                    .col(pk_auto(PromoRedemptions::Id))
                    .col(integer(PromoRedemptions::PromoId))
                    .col(integer(PromoRedemptions::OrderId).unique_key())
                    // The customer's email, lower-cased (guests count too).
                    .col(string(PromoRedemptions::Customer))
                    .col(big_integer(PromoRedemptions::AmountCents))
                    .col(boolean(PromoRedemptions::Released).default(false))
                    .col(timestamp_with_time_zone(PromoRedemptions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_promo_redemptions_promo")
                            .from(PromoRedemptions::Table, PromoRedemptions::PromoId)
                            .to(PromoCodes::Table, PromoCodes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_promo_redemptions_order")
                            .from(PromoRedemptions::Table, PromoRedemptions::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_promo_redemptions_customer")
                    .table(PromoRedemptions::Table)
                    .col(PromoRedemptions::PromoId)
                    .col(PromoRedemptions::Customer)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    // JSON: the discounts as applied, each with its split by VAT rate.
                    .add_column(text(NewOrderColumns::Adjustments).default("[]"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .drop_column(NewOrderColumns::Adjustments)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(PromoRedemptions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PromoCodes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum NewOrderColumns {
    Adjustments,
}

#[derive(DeriveIden)]
enum PromoCodes {
    Table,
    Id,
    Code,
    Kind,
    Value,
    MinBasketCents,
    StartsAt,
    EndsAt,
    MaxUses,
    MaxUsesPerCustomer,
    Scope,
    ScopeIds,
    Uses,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PromoRedemptions {
    Table,
    Id,
    PromoId,
    OrderId,
    Customer,
    AmountCents,
    Released,
    CreatedAt,
}
