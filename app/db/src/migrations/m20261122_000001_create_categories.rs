use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Categories::Table)
                    .col(pk_auto(Categories::Id))
                    .col(string_uniq(Categories::Slug))
                    .col(string(Categories::NameFr))
                    .col(string(Categories::NameEn))
                    .col(text(Categories::DescriptionFr))
                    .col(text(Categories::DescriptionEn))
                    .col(integer(Categories::Position).default(0))
                    .col(timestamp_with_time_zone(Categories::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Categories::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Categories {
    Table,
    Id,
    Slug,
    NameFr,
    NameEn,
    DescriptionFr,
    DescriptionEn,
    Position,
    CreatedAt,
}
