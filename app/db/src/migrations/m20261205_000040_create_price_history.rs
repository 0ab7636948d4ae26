//! Every price a product has had, and since when (Code de la consommation L112-1-1: a price
//! reduction is announced against the lowest price of the 30 days before it). Recorded by a
//! trigger on `products`, whoever changes the price (the back office, an import, a script),
//! at the row's `updated_at`, which the application sets from its clock; the products of
//! today start their history at their last update.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PriceHistory::Table)
                    .col(pk_auto(PriceHistory::Id))
                    .col(integer(PriceHistory::ProductId))
                    .col(big_integer(PriceHistory::PriceCents))
                    .col(timestamp_with_time_zone(PriceHistory::ValidFrom))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PriceHistory::Table, PriceHistory::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_price_history_product")
                    .table(PriceHistory::Table)
                    .col(PriceHistory::ProductId)
                    .col(PriceHistory::ValidFrom)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO price_history (product_id, price_cents, valid_from) \
             SELECT id, price_cents, updated_at FROM products",
        )
        .await?;
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION record_product_price() RETURNS trigger AS $$ \
                     BEGIN \
                       IF TG_OP = 'INSERT' OR NEW.price_cents IS DISTINCT FROM OLD.price_cents THEN \
                         INSERT INTO price_history (product_id, price_cents, valid_from) \
                         VALUES (NEW.id, NEW.price_cents, NEW.updated_at); \
                       END IF; \
                       RETURN NULL; \
                     END $$ LANGUAGE plpgsql",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER products_price_history \
                     AFTER INSERT OR UPDATE OF price_cents ON products \
                     FOR EACH ROW EXECUTE FUNCTION record_product_price()",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TRIGGER products_price_history_insert AFTER INSERT ON products \
                     BEGIN INSERT INTO price_history (product_id, price_cents, valid_from) \
                     VALUES (NEW.id, NEW.price_cents, NEW.updated_at); END",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER products_price_history_update \
                     AFTER UPDATE OF price_cents ON products \
                     WHEN NEW.price_cents <> OLD.price_cents \
                     BEGIN INSERT INTO price_history (product_id, price_cents, valid_from) \
                     VALUES (NEW.id, NEW.price_cents, NEW.updated_at); END",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS products_price_history ON products")
                    .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS record_product_price()")
                    .await?;
            }
            _ => {
                for event in ["insert", "update"] {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS products_price_history_{event}"
                    ))
                    .await?;
                }
            }
        }
        manager
            .drop_table(Table::drop().table(PriceHistory::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PriceHistory {
    Table,
    Id,
    ProductId,
    PriceCents,
    ValidFrom,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}
