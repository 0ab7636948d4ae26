//! Invoices and credit notes stay immutable, but no longer forever: the accounting archive is
//! kept ten years (Code de commerce L123-22), after which the retention job deletes them with
//! their orders. The database itself still refuses any `UPDATE`, and any `DELETE` of a document
//! issued less than ten years ago by its own clock (or whose date it cannot read).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// SQLite: the delete triggers, with the condition under which they refuse.
fn sqlite_delete_trigger(table: &str, message: &str, guarded: bool) -> String {
    let when = if guarded {
        // Unreadable date: julianday is NULL, so coalesce refuses.
        " WHEN coalesce(julianday(OLD.issued_at) > julianday('now', '-10 years'), 1)"
    } else {
        ""
    };
    format!(
        "CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}{when} \
         BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )
}

const DOCUMENTS: [(&str, &str); 2] = [
    ("invoices", "invoices are immutable"),
    ("credit_notes", "credit notes are immutable"),
];

async fn set(manager: &SchemaManager<'_>, guarded: bool) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DbBackend::Sqlite => {
            for (table, message) in DOCUMENTS {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_no_delete"))
                    .await?;
                db.execute_unprepared(&sqlite_delete_trigger(table, message, guarded))
                    .await?;
            }
        }
        _ => {
            // One function for both tables' triggers (BEFORE UPDATE OR DELETE).
            let allow = if guarded {
                "IF TG_OP = 'DELETE' AND OLD.issued_at < now() - interval '10 years' THEN \
                 RETURN OLD; END IF; "
            } else {
                ""
            };
            db.execute_unprepared(&format!(
                "CREATE OR REPLACE FUNCTION invoices_immutable() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ BEGIN {allow}\
                 RAISE EXCEPTION 'invoices are immutable'; END $$"
            ))
            .await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on both engines: a trigger is dropped and made again on the same
    /// connection, and never missing in between.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set(manager, false).await
    }
}
