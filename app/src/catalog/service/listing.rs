//! One page of the catalogue: filter, search, sort, paginate.
//!
//! Three queries whatever the catalogue size: the categories, a bounded count and the page.
//! The work of each stays bounded as the catalogue grows:
//! - the count stops at [`count_cap`] matches (the page then says "more than …");
//! - browsing walks a partial index in the order asked for and stops after one page;
//! - a search ranked by relevance (the more words in the name the better, then featured
//!   products, then the shop's order) ranks at most [`RANK_WINDOW`] matches, the newest ones (a broader search says
//!   "more than 1,000" and is best narrowed);
//! - a search sorted by price, name or date looks its few matches up by id when they are few
//!   (the count says so), and otherwise walks the sort index, keeping the matches.
//!
//! On SQLite, the matches are checked against `idx_products_active_id`, a narrow covering
//! index, rather than the wide product rows.

use super::{CatalogError, SearchCache, all_categories, category_link, product_card};
use crate::catalog::model::{ListingQuery, MatchCount, ProductListing, SortOrder};
use crate::catalog::rules::PAGE_SIZE;
use crate::catalog::search::SearchQuery;
use crate::db::entities::product;
use crate::db::sql::Sql;
use crate::i18n::Locale;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, FromQueryResult};

/// Counting stops after this many matches, or ten pages past the current one.
const COUNT_FLOOR: u64 = 1_000;
const PAGES_AHEAD: u64 = 10;
/// A search ranked by relevance ranks at most this many matches.
pub const RANK_WINDOW: u64 = 1_000;

/// How many matches the count looks for before it stops, for a page starting at `offset`.
pub fn count_cap(offset: u64) -> u64 {
    COUNT_FLOOR.max(offset + PAGES_AHEAD * u64::from(PAGE_SIZE)) + 1
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
                sql.push(" FROM products p WHERE p.status = 'active' AND p.search_vector @@ ")
                    .push("to_tsquery('simple', ")
                    .bind(search.tsquery())
                    .push(")");
            }
            None => {
                sql.push(" FROM products p WHERE p.status = 'active'");
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
        sql.push("SELECT p.* FROM products p WHERE p.status = 'active'");
        self.push_category(&mut sql, "p");
        if let Some(search) = self.search {
            // `+p.id` keeps SQLite from driving the query by the match list, so it walks the
            // sort index instead (right when matches are many).
            sql.push(if few || !self.is_sqlite() {
                " AND p.id IN ("
            } else {
                " AND +p.id IN ("
            });
            self.push_match_ids(&mut sql, search);
            sql.push(")");
        }
        sql.push(" ORDER BY ")
            .push(sort_columns(sort, locale))
            .push(" LIMIT ")
            .bind(i64::from(PAGE_SIZE))
            .push(" OFFSET ")
            .bind(as_i64(self.offset));
        sql
    }

    /// The ids of the products matching `search` (any status; the caller filters).
    fn push_match_ids(&self, sql: &mut Sql, search: &SearchQuery) {
        if self.is_sqlite() {
            sql.push("SELECT rowid FROM products_fts WHERE products_fts MATCH ")
                .bind(search.fts5_match());
        } else {
            sql.push("SELECT id FROM products WHERE search_vector @@ to_tsquery('simple', ")
                .bind(search.tsquery())
                .push(")");
        }
    }
}

fn sort_columns(sort: SortOrder, locale: Locale) -> &'static str {
    match (sort, locale) {
        (SortOrder::Relevance, _) => "p.featured DESC, p.id",
        (SortOrder::PriceAsc, _) => "p.price_cents, p.id",
        (SortOrder::PriceDesc, _) => "p.price_cents DESC, p.id DESC",
        (SortOrder::Name, Locale::Fr) => "p.name_key_fr, p.id",
        (SortOrder::Name, Locale::En) => "p.name_key_en, p.id",
        (SortOrder::Newest, _) => "p.created_at DESC, p.id DESC",
    }
}

pub(super) fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
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
        // The window is the count: past it, the page says "more than 1,000".
        let (counted, products) = super::ranking::ranked_page(db, cache, &filter, search).await?;
        (RANK_WINDOW + 1, counted, products)
    } else {
        let cap = count_cap(offset);
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
