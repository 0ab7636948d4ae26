//! What the outbox sender needs: how many attempts an email took, why the last one failed, and
//! when the next may run (also a lease, so two instances never send the same email at once).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [
            integer(EmailOutbox::Attempts).default(0).to_owned(),
            text_null(EmailOutbox::LastError).to_owned(),
            timestamp_with_time_zone_null(EmailOutbox::NextAttemptAt).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(EmailOutbox::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_email_outbox_unsent")
                    .table(EmailOutbox::Table)
                    .col(EmailOutbox::SentAt)
                    .col(EmailOutbox::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_email_outbox_unsent")
                    .table(EmailOutbox::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            EmailOutbox::NextAttemptAt,
            EmailOutbox::LastError,
            EmailOutbox::Attempts,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(EmailOutbox::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Id,
    SentAt,
    Attempts,
    LastError,
    NextAttemptAt,
}
