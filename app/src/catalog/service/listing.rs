//! One page of the catalogue: filter, search, sort, paginate.
//!
//! Three queries whatever the catalogue size: the categories, a bounded count and the page.
//! The work of each stays bounded as the catalogue grows:
//! - the count stops at [`count_cap`] matches (the page then says "more than …");
//! - browsing walks a partial index in the order asked for and stops after one page;
//! - a search ranked by relevance (the more words in the name the better, then featured
//!   products, then the shop's order) ranks at most [`RANK_WINDOW`] matches, the newest ones:
//!   ten pages, as large shops show; a broader search says "more than 240" and is best narrowed;
//! - a search sorted by price, name or date counts to the same floor, looks its matches up by
//!   id when they are few (the count says so), and otherwise walks the sort index, keeping the
//!   matches.
//!
//! The matches are checked against narrow data rather than the wide product rows: on SQLite
//! the covering index `idx_products_active_id`, on PostgreSQL the `product_search` table.

use super::{CatalogError, SearchCache, all_categories, category_link, product_card};
use crate::catalog::model::{ListingQuery, MatchCount, ProductListing, SortOrder};
use crate::catalog::rules::PAGE_SIZE;
use crate::catalog::search::SearchQuery;
use crate::db::entities::product;
use crate::db::sql::Sql;
use crate::i18n::Locale;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, FromQueryResult};

/// Browsing counts up to this many products, or ten pages past the current one.
const COUNT_FLOOR: u64 = 1_000;
const PAGES_AHEAD: u64 = 10;
/// A search ranked by relevance ranks at most this many matches (ten pages of 24), and any
/// search counts to at least this many. Every match counted or ranked is read, so this bounds
/// what a broad search costs: at 100,000 products, ranking 1,000 matches took 4 to 7 times as
/// long as ranking 240 (BENCHMARKS.md, 2026-11-23).
pub const RANK_WINDOW: u64 = 240;

/// How many matches the count looks for before it stops, for a page starting at `offset`:
/// a search counts from [`RANK_WINDOW`], browsing from a thousand.
pub fn count_cap(offset: u64, searching: bool) -> u64 {
    let floor = if searching { RANK_WINDOW } else { COUNT_FLOOR };
    floor.max(offset + PAGES_AHEAD * u64::from(PAGE_SIZE)) + 1
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// What is filtered on, and where the page starts.
pub(super) struct Filter<'a> {
    pub(super) backend: DbBackend,
    pub(super) category: Option<i32>,
    pub(super) search: Option<&'a SearchQuery>,
    pub(super) offset: u64,
}

impl Filter<'_> {
    pub(super) fn is_sqlite(&self) -> bool {
        self.backend != DbBackend::Postgres
    }

    /// ` AND p.category_id = ?` when filtering on a category (`alias` names the table).
    pub(super) fn push_category(&self, sql: &mut Sql, alias: &str) {
        if let Some(id) = self.category {
            sql.push(&format!(" AND {alias}.category_id = ")).bind(id);
        }
    }

    /// `SELECT COUNT(*)` of the matches, stopping at `cap`.
    fn count(&self, cap: u64) -> Sql {
        let mut sql = Sql::new(self.backend);
        sql.push("SELECT COUNT(*) AS n FROM (SELECT 1");
        match self.search {
            Some(search) if self.is_sqlite() => {
                sql.push(
                    " FROM products_fts f JOIN products p INDEXED BY idx_products_active_id \
                     ON p.id = f.rowid WHERE products_fts MATCH ",
                )
                .bind(search.fts5_match())
                .push(" AND p.status = 'active'");
            }
            Some(search) => {
                // Only products on sale are in `product_search`.
                sql.push(" FROM product_search p WHERE p.words @@ to_tsquery('simple', ")
                    .literal(&search.tsquery())
                    .push(")");
            }
            None => {
                // A product is listed once, by its first variant (the others have no search
                // words, so searches never find them).
                sql.push(" FROM products p WHERE p.status = 'active' AND p.variant_of IS NULL");
            }
        }
        self.push_category(&mut sql, "p");
        // A literal, not a parameter: PostgreSQL's generic plan for `LIMIT $n` assumes a tenth
        // of the table and may pick a sequential scan for what an index walk does in 0.3 ms.
        sql.push(" LIMIT ").push(&cap.to_string()).push(") t");
        sql
    }

    /// The page: `few` says the count found few enough matches to look them up by id.
    fn page(&self, sort: SortOrder, locale: Locale, few: bool) -> Sql {
        let mut sql = Sql::new(self.backend);
        sql.push("SELECT p.* FROM products p WHERE p.status = 'active' AND p.variant_of IS NULL");
        self.push_category(&mut sql, "p");
        let mut paged = true;
        match self.search {
            None => {}
            Some(search) if self.is_sqlite() => {
                // `+p.id` keeps SQLite from driving the query by the match list, so it walks
                // the sort index instead (right when matches are many).
                sql.push(if few {
                    " AND p.id IN ("
                } else {
                    " AND +p.id IN ("
                });
                sql.push("SELECT rowid FROM products_fts WHERE products_fts MATCH ")
                    .bind(search.fts5_match())
                    .push(")");
            }
            Some(search) => {
                // PostgreSQL: an array of ids, so the products are read by primary key. Few
                // matches: all of them, sorted here. Many: the page itself, found by walking
                // `product_search`'s own sort index (each step checks a narrow row, where a
                // walk of the products' index probed `product_search` once per product).
                // Left to itself the planner walked the products' price index even for a
                // handful of matches, probing all 100,000 (470 ms).
                sql.push(" AND p.id = ANY(ARRAY(SELECT s.id FROM product_search s WHERE ")
                    .push("s.words @@ to_tsquery('simple', ")
                    .literal(&search.tsquery())
                    .push(")");
                if !few {
                    self.push_category(&mut sql, "s");
                    sql.push(" ORDER BY ")
                        .push(&sort_columns(sort, locale, "s"));
                    self.push_limit(&mut sql);
                    paged = false;
                }
                sql.push("))");
            }
        }
        sql.push(" ORDER BY ")
            .push(&sort_columns(sort, locale, "p"));
        if paged {
            self.push_limit(&mut sql);
        }
        sql
    }

    /// ` LIMIT <page size> OFFSET <offset>`, as numbers the planner sees (see [`Filter::count`]).
    fn push_limit(&self, sql: &mut Sql) {
        sql.push(&format!(" LIMIT {PAGE_SIZE} OFFSET {}", self.offset));
    }
}

/// The `ORDER BY` columns of `sort` on the table called `alias` (`products` or
/// `product_search`, which share the sort columns' names).
fn sort_columns(sort: SortOrder, locale: Locale, alias: &str) -> String {
    let columns = match (sort, locale) {
        (SortOrder::Relevance, _) => "{t}.featured DESC, {t}.id",
        (SortOrder::PriceAsc, _) => "{t}.price_cents, {t}.id",
        (SortOrder::PriceDesc, _) => "{t}.price_cents DESC, {t}.id DESC",
        (SortOrder::Name, Locale::Fr) => "{t}.name_key_fr, {t}.id",
        (SortOrder::Name, Locale::En) => "{t}.name_key_en, {t}.id",
        (SortOrder::Newest, _) => "{t}.created_at DESC, {t}.id DESC",
    };
    columns.replace("{t}", alias)
}

/// The page of the catalogue `query` asks for, in `locale`; a search by relevance reuses a
/// ranking kept in `cache`.
///
/// # Errors
/// [`CatalogError::UnknownCategory`] for a category slug that does not exist,
/// [`CatalogError::PageOutOfRange`] past the last page, [`CatalogError::Database`] when a
/// query fails.
pub async fn list_products(
    db: &impl ConnectionTrait,
    cache: &SearchCache,
    locale: Locale,
    query: ListingQuery,
) -> Result<ProductListing, CatalogError> {
    let categories = all_categories(db).await?;
    let category = match &query.category {
        None => None,
        Some(slug) => Some(
            categories
                .iter()
                .find(|c| &c.slug == slug)
                .cloned()
                .ok_or(CatalogError::UnknownCategory)?,
        ),
    };
    let search = query.q.as_deref().and_then(SearchQuery::parse);
    let page_size = u64::from(PAGE_SIZE);
    let offset = u64::from(query.page.saturating_sub(1)) * page_size;
    let filter = Filter {
        backend: db.get_database_backend(),
        category: category.as_ref().map(|c| c.id),
        search: search.as_ref(),
        offset,
    };
    let ranked_search = search
        .as_ref()
        .filter(|_| query.sort == SortOrder::Relevance);
    let (cap, counted, products) = if let Some(search) = ranked_search {
        // The window is the count: past it, the page says "more than 240".
        let (counted, products) = super::ranking::ranked_page(db, cache, &filter, search).await?;
        (RANK_WINDOW + 1, counted, products)
    } else {
        let cap = count_cap(offset, search.is_some());
        let counted = Count::find_by_statement(filter.count(cap).build())
            .one(db)
            .await?
            .map_or(0, |c| u64::try_from(c.n).unwrap_or(0));
        let products = if offset < counted {
            let statement = filter.page(query.sort, locale, counted < cap).build();
            product::Entity::find()
                .from_raw_sql(statement)
                .all(db)
                .await?
        } else {
            Vec::new()
        };
        (cap, counted, products)
    };
    let at_least = counted >= cap;
    let reachable = if ranked_search.is_some() {
        counted.min(RANK_WINDOW)
    } else {
        counted
    };
    if query.page > 1 && offset >= reachable {
        return Err(CatalogError::PageOutOfRange);
    }
    let matches = MatchCount {
        count: if at_least { cap - 1 } else { counted },
        at_least,
    };
    let last_page = (!at_least || reachable < counted)
        .then(|| u32::try_from(reachable.div_ceil(page_size).max(1)).unwrap_or(u32::MAX));
    Ok(ProductListing {
        products: products
            .into_iter()
            .map(|p| product_card(locale, p))
            .collect(),
        categories: categories
            .into_iter()
            .map(|c| category_link(locale, c))
            .collect(),
        category: category.map(|c| category_link(locale, c)),
        matches,
        last_page,
        has_next: offset + page_size < reachable,
        query,
    })
}
