//! Orders and what hangs off them: lines (snapshots of what was bought), the history of their
//! status, payments (and the demo provider's own records), invoices, and the counters that
//! number invoices without gaps.
//!
//! Invoices are immutable: a trigger refuses every `UPDATE` and `DELETE` on both engines
//! (corrections go through credit notes).

use super::m20261122_000002_create_products::Products;
use super::m20261122_000005_create_accounts::Users;
use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .col(pk_auto(Orders::Id))
                    .col(string(Orders::Number).unique_key())
                    .col(string(Orders::IdempotencyKey).unique_key())
                    .col(integer_null(Orders::UserId))
                    .col(string(Orders::Email))
                    .col(string(Orders::Locale))
                    .col(string(Orders::Status))
                    .col(string(Orders::PaymentMethod))
                    .col(string(Orders::Destination))
                    .col(string(Orders::VatMode))
                    .col(string(Orders::TermsVersion))
                    .col(string_null(Orders::Title))
                    .col(string(Orders::FirstName))
                    .col(string(Orders::LastName))
                    .col(string_null(Orders::Phone))
                    // JSON snapshots of the addresses as typed at checkout.
                    .col(text(Orders::DeliveryAddress))
                    .col(text(Orders::BillingAddress))
                    .col(big_integer(Orders::SubtotalCents))
                    .col(big_integer(Orders::DiscountCents))
                    .col(big_integer(Orders::ShippingCents))
                    .col(big_integer(Orders::TotalCents))
                    // JSON: the VAT per rate of the quote (empty when VAT is excluded).
                    .col(text(Orders::VatLines))
                    // The secret of the order's link (it shows no more than the row it sits in).
                    .col(string(Orders::AccessKey))
                    .col(timestamp_with_time_zone(Orders::CreatedAt))
                    .col(timestamp_with_time_zone(Orders::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Orders::PaidAt))
                    // An order still unpaid then is cancelled and its stock released.
                    .col(timestamp_with_time_zone(Orders::PaymentDueAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_orders_user")
                            .from(Orders::Table, Orders::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_orders_user", vec![Orders::UserId, Orders::CreatedAt]),
            ("idx_orders_email", vec![Orders::Email, Orders::CreatedAt]),
            ("idx_orders_due", vec![Orders::Status, Orders::PaymentDueAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Orders::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OrderLines::Table)
                    .col(pk_auto(OrderLines::Id))
                    .col(integer(OrderLines::OrderId))
                    .col(integer(OrderLines::ProductId))
                    .col(string(OrderLines::Sku))
                    .col(string(OrderLines::Name))
                    .col(integer(OrderLines::Quantity))
                    // The catalogue price then, VAT included.
                    .col(big_integer(OrderLines::CataloguePriceCents))
                    // What one unit was charged, in the order's VAT mode.
                    .col(big_integer(OrderLines::UnitPriceCents))
                    .col(integer(OrderLines::VatRateBp))
                    .col(big_integer(OrderLines::TotalCents))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_lines_order")
                            .from(OrderLines::Table, OrderLines::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_lines_product")
                            .from(OrderLines::Table, OrderLines::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_lines_order")
                    .table(OrderLines::Table)
                    .col(OrderLines::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrderEvents::Table)
                    .col(pk_auto(OrderEvents::Id))
                    .col(integer(OrderEvents::OrderId))
                    .col(string_null(OrderEvents::FromStatus))
                    .col(string(OrderEvents::ToStatus))
                    // `shopper`, `provider:demo`, `system`, `staff:42`.
                    .col(string(OrderEvents::Actor))
                    .col(text_null(OrderEvents::Note))
                    .col(timestamp_with_time_zone(OrderEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_order_events_order")
                            .from(OrderEvents::Table, OrderEvents::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_order_events_order")
                    .table(OrderEvents::Table)
                    .col(OrderEvents::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .col(pk_auto(Payments::Id))
                    .col(integer(Payments::OrderId))
                    .col(string(Payments::Provider))
                    // The provider's id of the payment (unique per provider).
                    .col(string(Payments::ProviderRef))
                    .col(string(Payments::Method))
                    .col(big_integer(Payments::AmountCents))
                    .col(string(Payments::Status))
                    .col(string_null(Payments::CheckoutUrl))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .col(timestamp_with_time_zone(Payments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payments_order")
                            .from(Payments::Table, Payments::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_payments_provider_ref")
                    .table(Payments::Table)
                    .col(Payments::Provider)
                    .col(Payments::ProviderRef)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_payments_order")
                    .table(Payments::Table)
                    .col(Payments::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DemoPayments::Table)
                    .col(string(DemoPayments::Id).primary_key())
                    // The shop's key for this attempt: the same key gives the same payment.
                    .col(string(DemoPayments::IdempotencyKey).unique_key())
                    .col(big_integer(DemoPayments::AmountCents))
                    .col(string(DemoPayments::Description))
                    .col(string(DemoPayments::Method))
                    .col(string(DemoPayments::RedirectUrl))
                    .col(string(DemoPayments::WebhookUrl))
                    .col(string(DemoPayments::Status))
                    .col(timestamp_with_time_zone(DemoPayments::CreatedAt))
                    .col(timestamp_with_time_zone(DemoPayments::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Invoices::Table)
                    .col(pk_auto(Invoices::Id))
                    .col(string(Invoices::Number).unique_key())
                    .col(integer(Invoices::OrderId).unique_key())
                    .col(timestamp_with_time_zone(Invoices::IssuedAt))
                    .col(big_integer(Invoices::TotalCents))
                    // JSON: the whole invoice as issued (seller, buyer, lines, VAT, totals).
                    .col(text(Invoices::Document))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invoices_order")
                            .from(Invoices::Table, Invoices::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Counters::Table)
                    .col(string(Counters::Name).primary_key())
                    .col(big_integer(Counters::Value))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                for (verb, name) in [
                    ("UPDATE", "invoices_no_update"),
                    ("DELETE", "invoices_no_delete"),
                ] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name} BEFORE {verb} ON invoices \
                         BEGIN SELECT RAISE(ABORT, 'invoices are immutable'); END"
                    ))
                    .await?;
                }
            }
            _ => {
                db.execute_unprepared(
                    "CREATE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'invoices are immutable'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices \
                     FOR EACH ROW EXECUTE FUNCTION invoices_immutable()",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS invoices_immutable() CASCADE")
                .await?;
        }
        for table in [
            Counters::Table.into_iden(),
            Invoices::Table.into_iden(),
            DemoPayments::Table.into_iden(),
            Payments::Table.into_iden(),
            OrderEvents::Table.into_iden(),
            OrderLines::Table.into_iden(),
            Orders::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum Orders {
    Table,
    Id,
    Number,
    IdempotencyKey,
    UserId,
    Email,
    Locale,
    Status,
    PaymentMethod,
    Destination,
    VatMode,
    TermsVersion,
    Title,
    FirstName,
    LastName,
    Phone,
    DeliveryAddress,
    BillingAddress,
    SubtotalCents,
    DiscountCents,
    ShippingCents,
    TotalCents,
    VatLines,
    AccessKey,
    CreatedAt,
    UpdatedAt,
    PaidAt,
    PaymentDueAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    ProductId,
    Sku,
    Name,
    Quantity,
    CataloguePriceCents,
    UnitPriceCents,
    VatRateBp,
    TotalCents,
}

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    Id,
    OrderId,
    FromStatus,
    ToStatus,
    Actor,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    OrderId,
    Provider,
    ProviderRef,
    Method,
    AmountCents,
    Status,
    CheckoutUrl,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DemoPayments {
    Table,
    Id,
    IdempotencyKey,
    AmountCents,
    Description,
    Method,
    RedirectUrl,
    WebhookUrl,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    Number,
    OrderId,
    IssuedAt,
    TotalCents,
    Document,
}

#[derive(DeriveIden)]
enum Counters {
    Table,
    Name,
    Value,
}
