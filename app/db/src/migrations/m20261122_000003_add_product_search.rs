//! Catalogue search, sorting and galleries.
//!
//! Search goes through one interface (`catalog::search`) backed by each engine's own full-text
//! index. Both index the same pre-normalised text (`search_title`, `search_body`: lower case,
//! accents folded, light plural folding, computed in Rust), so "serum" finds "Sérum" the same way
//! on SQLite and PostgreSQL:
//! - SQLite: an FTS5 table over those two columns, kept in sync by triggers;
//! - PostgreSQL: a stored, generated `tsvector` column (`simple` configuration) with a GIN index.
//!
//! Name sorting uses `name_key_fr` / `name_key_en` (the folded name), so "Éclat" sorts with the E.
//! Listing queries only ever read active products, so their indexes are partial.

use super::m20261122_000002_create_products::Products;
use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Partial indexes for the listing sorts, with and without a category filter.
const LISTING_INDEXES: &[(&str, &str)] = &[
    // Narrow and covering: checks that a search match is on sale, its category, and whether
    // it is featured (for ranking) without reading the wide product row.
    ("idx_products_active_id", "id, category_id, featured"),
    ("idx_products_active_featured", "featured DESC, id"),
    ("idx_products_active_price", "price_cents, id"),
    ("idx_products_active_name_fr", "name_key_fr, id"),
    ("idx_products_active_name_en", "name_key_en, id"),
    ("idx_products_active_newest", "created_at DESC, id DESC"),
    (
        "idx_products_active_cat_featured",
        "category_id, featured DESC, id",
    ),
    (
        "idx_products_active_cat_price",
        "category_id, price_cents, id",
    ),
    (
        "idx_products_active_cat_name_fr",
        "category_id, name_key_fr, id",
    ),
    (
        "idx_products_active_cat_name_en",
        "category_id, name_key_en, id",
    ),
    (
        "idx_products_active_cat_newest",
        "category_id, created_at DESC, id DESC",
    ),
];

const SQLITE_FTS: &[&str] = &[
    "CREATE VIRTUAL TABLE products_fts USING fts5(search_title, search_body, \
     content='products', content_rowid='id', tokenize='unicode61 remove_diacritics 2', \
     prefix='2 3')",
    "CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN \
     INSERT INTO products_fts(rowid, search_title, search_body) \
     VALUES (new.id, new.search_title, new.search_body); END",
    "CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN \
     INSERT INTO products_fts(products_fts, rowid, search_title, search_body) \
     VALUES ('delete', old.id, old.search_title, old.search_body); END",
    "CREATE TRIGGER products_fts_update AFTER UPDATE OF search_title, search_body ON products BEGIN \
     INSERT INTO products_fts(products_fts, rowid, search_title, search_body) \
     VALUES ('delete', old.id, old.search_title, old.search_body); \
     INSERT INTO products_fts(rowid, search_title, search_body) \
     VALUES (new.id, new.search_title, new.search_body); END",
    "INSERT INTO products_fts(products_fts) VALUES ('rebuild')",
];

const POSTGRES_FTS: &[&str] = &[
    "ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS \
     (setweight(to_tsvector('simple', search_title), 'A') || \
      setweight(to_tsvector('simple', search_body), 'B')) STORED",
    "CREATE INDEX idx_products_search ON products USING GIN (search_vector)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ProductSearch::SearchTitle,
            ProductSearch::SearchBody,
            ProductSearch::NameKeyFr,
            ProductSearch::NameKeyEn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Products::Table)
                        .add_column(text(column).default(""))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ProductImages::Table)
                    .col(pk_auto(ProductImages::Id))
                    .col(integer(ProductImages::ProductId))
                    .col(integer(ProductImages::Position))
                    .col(string(ProductImages::Path))
                    .col(string(ProductImages::AltFr))
                    .col(string(ProductImages::AltEn))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_product_images_product")
                            .from(ProductImages::Table, ProductImages::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_product_images_product")
                    .table(ProductImages::Table)
                    .col(ProductImages::ProductId)
                    .col(ProductImages::Position)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for (name, columns) in LISTING_INDEXES {
            db.execute_unprepared(&format!(
                "CREATE INDEX {name} ON products ({columns}) WHERE status = 'active'"
            ))
            .await?;
        }
        let fts = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_FTS,
            _ => SQLITE_FTS,
        };
        for statement in fts {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("DROP INDEX IF EXISTS idx_products_search")
                    .await?;
                db.execute_unprepared("ALTER TABLE products DROP COLUMN search_vector")
                    .await?;
            }
            _ => {
                for trigger in ["insert", "delete", "update"] {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS products_fts_{trigger}"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP TABLE IF EXISTS products_fts")
                    .await?;
            }
        }
        for (name, _) in LISTING_INDEXES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        manager
            .drop_table(Table::drop().table(ProductImages::Table).to_owned())
            .await?;
        for column in [
            ProductSearch::NameKeyEn,
            ProductSearch::NameKeyFr,
            ProductSearch::SearchBody,
            ProductSearch::SearchTitle,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Products::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ProductSearch {
    SearchTitle,
    SearchBody,
    NameKeyFr,
    NameKeyEn,
}

#[derive(DeriveIden)]
pub enum ProductImages {
    Table,
    Id,
    ProductId,
    Position,
    Path,
    AltFr,
    AltEn,
}
