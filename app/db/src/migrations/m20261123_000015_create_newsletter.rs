//! The newsletter: one row per address that asked for it (double opt-in: `pending` until the
//! emailed link is opened, then `confirmed` with its time as proof of consent, `unsubscribed`
//! by one click), and the `List-Unsubscribe` target of a marketing email in the outbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NewsletterSubscriptions::Table)
                    .col(pk_auto(NewsletterSubscriptions::Id))
                    .col(string_uniq(NewsletterSubscriptions::Email))
                    .col(string(NewsletterSubscriptions::Status))
                    .col(string(NewsletterSubscriptions::Locale))
                    // Where it was asked for: `footer`, `sign_up`, `account`.
                    .col(string(NewsletterSubscriptions::Source))
                    .col(string_null(NewsletterSubscriptions::ConfirmTokenHash))
                    .col(string(NewsletterSubscriptions::UnsubscribeKey))
                    .col(timestamp_with_time_zone(
                        NewsletterSubscriptions::RequestedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        NewsletterSubscriptions::ConfirmedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        NewsletterSubscriptions::UnsubscribedAt,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(NewOutboxColumns::EmailOutbox)
                    .add_column(string_null(NewOutboxColumns::ListUnsubscribe))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NewOutboxColumns::EmailOutbox)
                    .drop_column(NewOutboxColumns::ListUnsubscribe)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(NewsletterSubscriptions::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum NewsletterSubscriptions {
    Table,
    Id,
    Email,
    Status,
    Locale,
    Source,
    ConfirmTokenHash,
    UnsubscribeKey,
    RequestedAt,
    ConfirmedAt,
    UnsubscribedAt,
}

#[derive(DeriveIden)]
enum NewOutboxColumns {
    EmailOutbox,
    ListUnsubscribe,
}
