//! The storefront's content version: one counter that every change to what the shop's public
//! pages show (products, their images, categories, articles) moves forward, from triggers in
//! the database so no writer can forget it. Each server instance keeps what those pages read
//! while the counter stands still (`app::cache`), and asks the database for the counter at
//! most once per its bound.
//!
//! PostgreSQL runs the triggers at commit (deferred constraint triggers): the counter's row is
//! then locked only for the commit itself, after every other lock the transaction took, so two
//! checkouts that each decrement several products cannot deadlock on it. SQLite has one writer
//! at a time and runs them at once.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose rows the storefront's pages show.
const WATCHED: [&str; 4] = ["products", "product_images", "categories", "articles"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE content_versions (name VARCHAR(32) NOT NULL PRIMARY KEY, \
             version BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO content_versions (name, version) VALUES ('storefront', 1)",
        )
        .await?;
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION bump_storefront_version() RETURNS trigger AS $$ BEGIN \
                     UPDATE content_versions SET version = version + 1 \
                     WHERE name = 'storefront'; RETURN NULL; END $$ LANGUAGE plpgsql",
                )
                .await?;
                for table in WATCHED {
                    db.execute_unprepared(&format!(
                        "CREATE CONSTRAINT TRIGGER {table}_storefront_version \
                         AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                         EXECUTE FUNCTION bump_storefront_version()"
                    ))
                    .await?;
                }
            }
            _ => {
                for table in WATCHED {
                    for event in ["INSERT", "UPDATE", "DELETE"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_storefront_version_{} AFTER {event} ON \
                             {table} BEGIN UPDATE content_versions SET version = version + 1 \
                             WHERE name = 'storefront'; END",
                            event.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                for table in WATCHED {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {table}_storefront_version ON {table}"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP FUNCTION IF EXISTS bump_storefront_version()")
                    .await?;
            }
            _ => {
                for table in WATCHED {
                    for event in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS {table}_storefront_version_{event}"
                        ))
                        .await?;
                    }
                }
            }
        }
        db.execute_unprepared("DROP TABLE IF EXISTS content_versions")
            .await?;
        Ok(())
    }
}
