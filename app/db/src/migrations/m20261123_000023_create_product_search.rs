//! PostgreSQL only: searches read a narrow table of the products on sale, `product_search`,
//! instead of a `tsvector` column of the wide product rows.
//!
//! A search walks its newest matches evaluating `@@` row by row, or walks a sort index, or
//! visits every match the GIN index finds; each way it read product rows, about four to a
//! page. A `product_search` row holds what those walks need and nothing else: the product's
//! id, category, featured flag, sort keys (price, folded names, date), its words without
//! positions (`strip`: the search needs no phrases) and the words of its name for ranking —
//! about twelve rows to a page, with its own sort indexes. Only products on sale have a row,
//! so no status is checked. Measured by hand at 100,000 products: a two-word ranking of 240
//! matches 4–5 ms → 1.6 ms, with a plan PostgreSQL picks by itself (BENCHMARKS.md,
//! 2026-11-23).
//!
//! A trigger keeps the table in step with every write of a product, in the same transaction,
//! as SQLite's FTS triggers do; the products lose their `search_vector` column and its index.
//! SQLite is untouched.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns copied from `products`, in `product_search`'s order after `id`.
const COPIED: &[&str] = &[
    "category_id",
    "featured",
    "price_cents",
    "name_key_fr",
    "name_key_en",
    "created_at",
];

/// `columns` each written through `each`, separated by commas.
fn listed(columns: &[&str], each: impl Fn(&str) -> String) -> String {
    columns
        .iter()
        .map(|c| each(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A row's words (all of its texts) and its name's words, from `row` (`NEW` or a table alias).
fn vectors(row: &str) -> String {
    format!(
        "strip(to_tsvector('simple', {row}.search_title) \
         || to_tsvector('simple', {row}.search_body)), \
         strip(to_tsvector('simple', {row}.search_title))"
    )
}

fn up() -> Vec<String> {
    let copied = listed(COPIED, str::to_owned);
    let new_values = listed(COPIED, |c| format!("NEW.{c}"));
    let updates = listed(&[COPIED, &["words", "title"]].concat(), |c| {
        format!("{c} = EXCLUDED.{c}")
    });
    let from_products = listed(COPIED, |c| format!("p.{c}"));
    vec![
        "CREATE TABLE product_search (\
         id integer PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE, \
         category_id integer NOT NULL, \
         featured boolean NOT NULL, \
         price_cents bigint NOT NULL, \
         name_key_fr text NOT NULL, \
         name_key_en text NOT NULL, \
         created_at timestamptz NOT NULL, \
         words tsvector NOT NULL, \
         title tsvector NOT NULL)"
            .to_owned(),
        // Compressed in the row if ever long, never moved out of it (see migration 000007).
        "ALTER TABLE product_search ALTER COLUMN words SET STORAGE MAIN, \
         ALTER COLUMN title SET STORAGE MAIN"
            .to_owned(),
        format!(
            "CREATE FUNCTION product_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN \
               IF NEW.status = 'active' THEN \
                 INSERT INTO product_search (id, {copied}, words, title) \
                 VALUES (NEW.id, {new_values}, {vectors}) \
                 ON CONFLICT (id) DO UPDATE SET {updates}; \
               ELSE \
                 DELETE FROM product_search WHERE id = NEW.id; \
               END IF; \
               RETURN NULL; \
             END $$",
            vectors = vectors("NEW")
        ),
        format!(
            "CREATE TRIGGER product_search_sync AFTER INSERT OR UPDATE OF status, {copied}, \
             search_title, search_body ON products FOR EACH ROW \
             EXECUTE FUNCTION product_search_sync()"
        ),
        format!(
            "INSERT INTO product_search (id, {copied}, words, title) \
             SELECT p.id, {from_products}, {vectors} FROM products p \
             WHERE p.status = 'active' ORDER BY p.id",
            vectors = vectors("p")
        ),
        "CREATE INDEX idx_product_search_words ON product_search USING GIN (words)".to_owned(),
        // The sorts of a search, walked while matches are many (see `catalog::service::listing`).
        "CREATE INDEX idx_product_search_price ON product_search (price_cents, id)".to_owned(),
        "CREATE INDEX idx_product_search_name_fr ON product_search (name_key_fr, id)".to_owned(),
        "CREATE INDEX idx_product_search_name_en ON product_search (name_key_en, id)".to_owned(),
        "CREATE INDEX idx_product_search_newest ON product_search (created_at DESC, id DESC)"
            .to_owned(),
        "DROP INDEX IF EXISTS idx_products_search".to_owned(),
        "ALTER TABLE products DROP COLUMN IF EXISTS search_vector".to_owned(),
    ]
}

const DOWN: &[&str] = &[
    "ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS \
     (setweight(to_tsvector('simple', search_title), 'A') || \
      setweight(to_tsvector('simple', search_body), 'B')) STORED",
    "ALTER TABLE products ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX idx_products_search ON products USING GIN (search_vector)",
    "DROP TRIGGER IF EXISTS product_search_sync ON products",
    "DROP FUNCTION IF EXISTS product_search_sync()",
    "DROP TABLE IF EXISTS product_search",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::execute_on(manager, DbBackend::Postgres, &up()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::execute_on(manager, DbBackend::Postgres, DOWN).await
    }
}
