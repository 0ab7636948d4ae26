//! Consent and legal texts. `consent_records` is the proof of every cookie choice (an anonymous
//! visitor id, the choices, the banner version, the time: no IP address, no account);
//! `audience_daily` holds the first-party audience measurement, counted per page and day only
//! for visitors who accepted it; `legal_documents` holds every version of the legal pages (the
//! terms are versioned with the day they take effect; an order keeps the version accepted).

use super::m20261122_000005_create_accounts::Users;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConsentRecords::Table)
                    .col(pk_auto(ConsentRecords::Id))
                    .col(string(ConsentRecords::Visitor))
                    .col(integer(ConsentRecords::BannerVersion))
                    .col(boolean(ConsentRecords::Audience))
                    .col(boolean(ConsentRecords::Preferences))
                    .col(boolean(ConsentRecords::Advertising))
                    .col(timestamp_with_time_zone(ConsentRecords::GivenAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_consent_records_visitor")
                    .table(ConsentRecords::Table)
                    .col(ConsentRecords::Visitor)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AudienceDaily::Table)
                    .col(pk_auto(AudienceDaily::Id))
                    .col(date(AudienceDaily::Day))
                    .col(string(AudienceDaily::Path))
                    .col(integer(AudienceDaily::Views))
                    .col(integer(AudienceDaily::Visitors))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audience_daily_day_path")
                    .table(AudienceDaily::Table)
                    .col(AudienceDaily::Day)
                    .col(AudienceDaily::Path)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LegalDocuments::Table)
                    .col(pk_auto(LegalDocuments::Id))
                    // `terms`, `privacy`, `cookies`, `notice`, `withdrawal`.
                    .col(string(LegalDocuments::Kind))
                    .col(string(LegalDocuments::Version))
                    .col(date(LegalDocuments::EffectiveOn))
                    .col(string(LegalDocuments::TitleFr))
                    .col(string(LegalDocuments::TitleEn))
                    // Markdown; French is the contract language.
                    .col(text(LegalDocuments::BodyFr))
                    .col(text(LegalDocuments::BodyEn))
                    .col(integer_null(LegalDocuments::CreatedBy))
                    .col(timestamp_with_time_zone(LegalDocuments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_legal_documents_author")
                            .from(LegalDocuments::Table, LegalDocuments::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_legal_documents_kind_version")
                    .table(LegalDocuments::Table)
                    .col(LegalDocuments::Kind)
                    .col(LegalDocuments::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LegalDocuments::Table.into_iden(),
            AudienceDaily::Table.into_iden(),
            ConsentRecords::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum ConsentRecords {
    Table,
    Id,
    Visitor,
    BannerVersion,
    Audience,
    Preferences,
    Advertising,
    GivenAt,
}

#[derive(DeriveIden)]
pub enum AudienceDaily {
    Table,
    Id,
    Day,
    Path,
    Views,
    Visitors,
}

#[derive(DeriveIden)]
pub enum LegalDocuments {
    Table,
    Id,
    Kind,
    Version,
    EffectiveOn,
    TitleFr,
    TitleEn,
    BodyFr,
    BodyEn,
    CreatedBy,
    CreatedAt,
}
