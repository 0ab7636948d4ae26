//! A request to exercise one's rights by email (a buyer without an account): the address, the
//! hash of the single-use link sent to it (24 hours), when it was opened and what was done
//! (`export`, `erase`), kept a year as the proof that the request was answered.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PrivacyRequests::Table)
                    .col(pk_auto(PrivacyRequests::Id))
                    .col(string(PrivacyRequests::Email))
                    .col(string_uniq(PrivacyRequests::TokenHash))
                    .col(timestamp_with_time_zone(PrivacyRequests::CreatedAt))
                    .col(timestamp_with_time_zone(PrivacyRequests::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PrivacyRequests::OpenedAt))
                    .col(string_null(PrivacyRequests::Done))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_privacy_requests_email")
                    .table(PrivacyRequests::Table)
                    .col(PrivacyRequests::Email)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PrivacyRequests::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PrivacyRequests {
    Table,
    Id,
    Email,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    OpenedAt,
    Done,
}
