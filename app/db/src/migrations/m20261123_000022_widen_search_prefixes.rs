//! SQLite: the product search index keeps prefixes of 2 to 7 letters (it kept 2 and 3).
//!
//! Every searched word is a prefix (`"creme"*`), so the shop finds "hydratant" from "hydra".
//! With only 2- and 3-letter prefixes indexed, FTS5 answered a longer prefix by merging every
//! term that starts with it: at 100,000 products the ranking of `creme visage` spent most of its
//! 4–5 ms there. With prefixes up to 7 letters it reads one list per word: the uncached search's
//! p99 went from 27–32 ms to 20–21 ms at 4 connections (BENCHMARKS.md), for a database about a
//! fifth larger. The triggers name the table, so they carry on; PostgreSQL is untouched.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn rebuild(prefix: &str) -> [String; 3] {
    [
        "DROP TABLE IF EXISTS products_fts".to_owned(),
        format!(
            "CREATE VIRTUAL TABLE products_fts USING fts5(search_title, search_body, \
             content='products', content_rowid='id', tokenize='unicode61 remove_diacritics 2', \
             prefix='{prefix}')"
        ),
        "INSERT INTO products_fts(products_fts) VALUES ('rebuild')".to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::execute_on(manager, DbBackend::Sqlite, &rebuild("2 3 4 5 6 7")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::execute_on(manager, DbBackend::Sqlite, &rebuild("2 3")).await
    }
}
