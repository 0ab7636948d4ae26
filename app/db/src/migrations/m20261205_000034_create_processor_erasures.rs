//! The deletions asked of payment processors when a customer is erased: which provider, which
//! of its records (a Stripe customer `cus_…`, or the Checkout Session `cs_…` that made one),
//! the attempts, and when the provider confirmed. Queued in the erasure's transaction and sent
//! by a worker that retries while the provider is unreachable, as the email outbox does.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProcessorErasures::Table)
                    .col(pk_auto(ProcessorErasures::Id))
                    .col(string(ProcessorErasures::Provider))
                    .col(string(ProcessorErasures::Reference))
                    .col(integer(ProcessorErasures::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(
                        ProcessorErasures::NextAttemptAt,
                    ))
                    .col(string_null(ProcessorErasures::LastError))
                    .col(timestamp_with_time_zone(ProcessorErasures::CreatedAt))
                    .col(timestamp_with_time_zone_null(ProcessorErasures::DoneAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_processor_erasures_reference")
                    .table(ProcessorErasures::Table)
                    .col(ProcessorErasures::Provider)
                    .col(ProcessorErasures::Reference)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProcessorErasures::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ProcessorErasures {
    Table,
    Id,
    Provider,
    Reference,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    DoneAt,
}
