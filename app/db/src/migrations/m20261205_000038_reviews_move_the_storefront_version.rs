//! Product pages show their published reviews and are kept in memory under the storefront's
//! content version (migration 29): every change to `reviews` moves it forward, by the same
//! trigger as the other tables the pages show (deferred to the commit on PostgreSQL).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE CONSTRAINT TRIGGER reviews_storefront_version \
                     AFTER INSERT OR UPDATE OR DELETE ON reviews \
                     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                     EXECUTE FUNCTION bump_storefront_version()",
                )
                .await?;
            }
            _ => {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER reviews_storefront_version_{} AFTER {event} ON reviews \
                         BEGIN UPDATE content_versions SET version = version + 1 \
                         WHERE name = 'storefront'; END",
                        event.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "DROP TRIGGER IF EXISTS reviews_storefront_version ON reviews",
                )
                .await?;
            }
            _ => {
                for event in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS reviews_storefront_version_{event}"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }
}
