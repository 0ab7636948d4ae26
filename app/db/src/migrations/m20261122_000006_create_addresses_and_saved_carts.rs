//! What an account keeps between visits: its address book and, while its owner shops signed in,
//! the cart (merged with the browser's at each sign-in).

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
                    .table(Addresses::Table)
                    .col(pk_auto(Addresses::Id))
                    .col(integer(Addresses::UserId))
                    .col(string_null(Addresses::Label))
                    .col(string(Addresses::FirstName))
                    .col(string(Addresses::LastName))
                    .col(string_null(Addresses::Company))
                    .col(string(Addresses::Line1))
                    .col(string_null(Addresses::Line2))
                    .col(string(Addresses::PostalCode))
                    .col(string(Addresses::City))
                    // A delivery destination code (`pricing::Destination`).
                    .col(string(Addresses::Country))
                    .col(string_null(Addresses::Phone))
                    .col(boolean(Addresses::IsDefault).default(false))
                    .col(timestamp_with_time_zone(Addresses::CreatedAt))
                    .col(timestamp_with_time_zone(Addresses::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_addresses_user")
                            .from(Addresses::Table, Addresses::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_addresses_user")
                    .table(Addresses::Table)
                    .col(Addresses::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SavedCarts::Table)
                    .col(integer(SavedCarts::UserId).primary_key())
                    // The cart cookie's format: `FR~12x2~5x1`.
                    .col(text(SavedCarts::Content))
                    .col(timestamp_with_time_zone(SavedCarts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_saved_carts_user")
                            .from(SavedCarts::Table, SavedCarts::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SavedCarts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Addresses::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Addresses {
    Table,
    Id,
    UserId,
    Label,
    FirstName,
    LastName,
    Company,
    Line1,
    Line2,
    PostalCode,
    City,
    Country,
    Phone,
    IsDefault,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SavedCarts {
    Table,
    UserId,
    Content,
    UpdatedAt,
}
