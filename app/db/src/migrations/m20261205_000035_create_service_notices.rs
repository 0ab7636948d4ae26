//! Service notices to every customer (a substantial change of the terms or of the privacy
//! policy, a personal-data breach under GDPR art. 34): the notice as staff wrote it, and one
//! row per address it went to (never twice: unique per notice), with the time a signed-in
//! customer acknowledged it, kept as proof.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ServiceNotices::Table)
                    .col(pk_auto(ServiceNotices::Id))
                    .col(string(ServiceNotices::Kind))
                    .col(string(ServiceNotices::SubjectFr))
                    .col(string(ServiceNotices::SubjectEn))
                    .col(text(ServiceNotices::BodyFr))
                    .col(text(ServiceNotices::BodyEn))
                    .col(string_null(ServiceNotices::LegalKind))
                    .col(string_null(ServiceNotices::LegalVersion))
                    .col(integer(ServiceNotices::Years))
                    .col(integer(ServiceNotices::Recipients).default(0))
                    .col(integer(ServiceNotices::CreatedBy))
                    .col(timestamp_with_time_zone(ServiceNotices::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NoticeRecipients::Table)
                    .col(pk_auto(NoticeRecipients::Id))
                    .col(integer(NoticeRecipients::NoticeId))
                    .col(string(NoticeRecipients::Email))
                    .col(integer_null(NoticeRecipients::UserId))
                    .col(timestamp_with_time_zone(NoticeRecipients::QueuedAt))
                    .col(timestamp_with_time_zone_null(
                        NoticeRecipients::AcknowledgedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NoticeRecipients::Table, NoticeRecipients::NoticeId)
                            .to(ServiceNotices::Table, ServiceNotices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notice_recipients_once")
                    .table(NoticeRecipients::Table)
                    .col(NoticeRecipients::NoticeId)
                    .col(NoticeRecipients::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notice_recipients_user")
                    .table(NoticeRecipients::Table)
                    .col(NoticeRecipients::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notice_recipients_email")
                    .table(NoticeRecipients::Table)
                    .col(NoticeRecipients::Email)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NoticeRecipients::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ServiceNotices::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ServiceNotices {
    Table,
    Id,
    Kind,
    SubjectFr,
    SubjectEn,
    BodyFr,
    BodyEn,
    LegalKind,
    LegalVersion,
    Years,
    Recipients,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NoticeRecipients {
    Table,
    Id,
    NoticeId,
    Email,
    UserId,
    QueuedAt,
    AcknowledgedAt,
}
