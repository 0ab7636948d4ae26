//! Refunds and credit notes. A refund is asked of the provider that took the payment; once the
//! provider accepts it, a credit note is issued (numbered without gaps, like invoices, and as
//! immutable: corrections to an invoice go only through credit notes). The demo provider keeps
//! its own record of refunds.

use super::m20261122_000009_create_orders::Orders;
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
                    .table(Refunds::Table)
                    .col(pk_auto(Refunds::Id))
                    .col(integer(Refunds::OrderId))
                    .col(integer(Refunds::PaymentId))
                    .col(string(Refunds::Provider))
                    .col(string_null(Refunds::ProviderRef))
                    .col(big_integer(Refunds::AmountCents))
                    .col(text(Refunds::Reason))
                    // `pending` (asked), `refunded` (accepted by the provider), `failed`.
                    .col(string(Refunds::Status))
                    .col(string(Refunds::Actor))
                    .col(string(Refunds::IdempotencyKey).unique_key())
                    .col(text_null(Refunds::LastError))
                    .col(timestamp_with_time_zone(Refunds::CreatedAt))
                    .col(timestamp_with_time_zone(Refunds::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refunds_order")
                            .from(Refunds::Table, Refunds::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refunds_order")
                    .table(Refunds::Table)
                    .col(Refunds::OrderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CreditNotes::Table)
                    .col(pk_auto(CreditNotes::Id))
                    .col(string(CreditNotes::Number).unique_key())
                    .col(integer(CreditNotes::OrderId))
                    .col(integer(CreditNotes::RefundId).unique_key())
                    .col(timestamp_with_time_zone(CreditNotes::IssuedAt))
                    .col(big_integer(CreditNotes::TotalCents))
                    // JSON: the whole credit note as issued.
                    .col(text(CreditNotes::Document))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_credit_notes_order")
                            .from(CreditNotes::Table, CreditNotes::OrderId)
                            .to(Orders::Table, Orders::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_credit_notes_refund")
                            .from(CreditNotes::Table, CreditNotes::RefundId)
                            .to(Refunds::Table, Refunds::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DemoRefunds::Table)
                    .col(string(DemoRefunds::Id).primary_key())
                    .col(string(DemoRefunds::PaymentId))
                    .col(big_integer(DemoRefunds::AmountCents))
                    .col(string(DemoRefunds::IdempotencyKey).unique_key())
                    .col(timestamp_with_time_zone(DemoRefunds::CreatedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                for (verb, name) in [
                    ("UPDATE", "credit_notes_no_update"),
                    ("DELETE", "credit_notes_no_delete"),
                ] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name} BEFORE {verb} ON credit_notes \
                         BEGIN SELECT RAISE(ABORT, 'credit notes are immutable'); END"
                    ))
                    .await?;
                }
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TRIGGER credit_notes_immutable BEFORE UPDATE OR DELETE ON credit_notes \
                     FOR EACH ROW EXECUTE FUNCTION invoices_immutable()",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DemoRefunds::Table.into_iden(),
            CreditNotes::Table.into_iden(),
            Refunds::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Refunds {
    Table,
    Id,
    OrderId,
    PaymentId,
    Provider,
    ProviderRef,
    AmountCents,
    Reason,
    Status,
    Actor,
    IdempotencyKey,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CreditNotes {
    Table,
    Id,
    Number,
    OrderId,
    RefundId,
    IssuedAt,
    TotalCents,
    Document,
}

#[derive(DeriveIden)]
enum DemoRefunds {
    Table,
    Id,
    PaymentId,
    AmountCents,
    IdempotencyKey,
    CreatedAt,
}
