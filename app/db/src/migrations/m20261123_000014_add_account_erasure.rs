//! Account erasure and inactivity: `deleted_at` marks the anonymised remains of an erased
//! account (kept so that orders, invoices and subscriptions still point somewhere), and
//! `inactivity_warned_at` when the "your account will be deleted" email went out.

use super::m20261122_000005_create_accounts::Users;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            timestamp_with_time_zone_null(NewUserColumns::DeletedAt),
            timestamp_with_time_zone_null(NewUserColumns::InactivityWarnedAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            NewUserColumns::InactivityWarnedAt,
            NewUserColumns::DeletedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum NewUserColumns {
    DeletedAt,
    InactivityWarnedAt,
}
