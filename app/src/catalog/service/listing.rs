//! One page of the catalogue: filter, search, sort, paginate.
//!
//! Three queries whatever the catalogue size: the categories, a bounded count and the page.
//! The count stops at [`count_cap`] matches (the page then says "more than …"), so a broad
//! search over 100,000 products costs no more than over 1,000.

use super::sql::Sql;
use super::{CatalogError, all_categories, category_link, product_card};
use crate::catalog::model::{ListingQuery, MatchCount, ProductListing, SortOrder};
use crate::catalog::rules::PAGE_SIZE;
use crate::catalog::search::SearchQuery;
use crate::db::entities::product;
use crate::i18n::Locale;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, FromQueryResult};

/// Counting stops after this many matches, or ten pages past the current one.
const COUNT_FLOOR: u64 = 1_000;
const PAGES_AHEAD: u64 = 10;

/// How many matches the count looks for before it stops, for a page starting at `offset`.
pub fn count_cap(offset: u64) -> u64 {
    COUNT_FLOOR.max(offset + PAGES_AHEAD * u64::from(PAGE_SIZE)) + 1
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// The filter shared by the count and the page: active products, maybe of one category,
/// maybe matching a search. `status = 'active'` stays literal so the partial indexes apply.
/// With `ranked` on SQLite, the matches are joined with their bm25 score as `s.score`.
fn push_filter(
    sql: &mut Sql,
    backend: DbBackend,
    category: Option<i32>,
    search: Option<&SearchQuery>,
    ranked: bool,
) {
    let join_scores = ranked && backend != DbBackend::Postgres;
    match search {
        Some(search) if join_scores => {
            // bm25 weighs the name words (10) above the texts (1); lower is better.
            sql.push(
                " FROM products p JOIN (SELECT rowid AS id, bm25(products_fts, 10.0, 1.0) AS score \
                 FROM products_fts WHERE products_fts MATCH ",
            )
            .bind(search.fts5_match())
            .push(") s ON s.id = p.id WHERE p.status = 'active'");
        }
        _ => {
            sql.push(" FROM products p WHERE p.status = 'active'");
        }
    }
    if let Some(id) = category {
        sql.push(" AND p.category_id = ").bind(id);
    }
    match search {
        Some(_) if join_scores => {}
        None => {}
        Some(search) => match backend {
            DbBackend::Postgres => {
                sql.push(" AND p.search_vector @@ to_tsquery('simple', ")
                    .bind(search.tsquery())
                    .push(")");
            }
            _ => {
                sql.push(" AND p.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ")
                    .bind(search.fts5_match())
                    .push(")");
            }
        },
    }
}

fn order_by(
    sql: &mut Sql,
    backend: DbBackend,
    sort: SortOrder,
    locale: Locale,
    search: Option<&SearchQuery>,
) {
    sql.push(" ORDER BY ");
    match (sort, search) {
        (SortOrder::Relevance, Some(search)) => match backend {
            DbBackend::Postgres => {
                sql.push("ts_rank(p.search_vector, to_tsquery('simple', ")
                    .bind(search.tsquery())
                    .push(")) DESC, p.id");
            }
            _ => {
                sql.push("s.score, p.id");
            }
        },
        (SortOrder::Relevance, None) => {
            sql.push("p.featured DESC, p.id");
        }
        (SortOrder::PriceAsc, _) => {
            sql.push("p.price_cents, p.id");
        }
        (SortOrder::PriceDesc, _) => {
            sql.push("p.price_cents DESC, p.id DESC");
        }
        (SortOrder::Name, _) => {
            sql.push(match locale {
                Locale::Fr => "p.name_key_fr, p.id",
                Locale::En => "p.name_key_en, p.id",
            });
        }
        (SortOrder::Newest, _) => {
            sql.push("p.created_at DESC, p.id DESC");
        }
    }
}

/// The page of the catalogue `query` asks for, in `locale`.
///
/// # Errors
/// [`CatalogError::UnknownCategory`] for a category slug that does not exist;
/// [`CatalogError::Database`] when a query fails.
pub async fn list_products(
    db: &impl ConnectionTrait,
    locale: Locale,
    query: ListingQuery,
) -> Result<ProductListing, CatalogError> {
    let backend = db.get_database_backend();
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
    let category_id = category.as_ref().map(|c| c.id);
    let search = query.q.as_deref().and_then(SearchQuery::parse);
    let offset = u64::from(query.page.saturating_sub(1)) * u64::from(PAGE_SIZE);
    let cap = count_cap(offset);

    let mut count = Sql::new(backend);
    count.push("SELECT COUNT(*) AS n FROM (SELECT 1");
    push_filter(&mut count, backend, category_id, search.as_ref(), false);
    count
        .push(" LIMIT ")
        .bind(i64::try_from(cap).unwrap_or(i64::MAX))
        .push(") t");
    let counted = Count::find_by_statement(count.build())
        .one(db)
        .await?
        .map_or(0, |c| u64::try_from(c.n).unwrap_or(0));

    let products = if offset < counted {
        let mut page = Sql::new(backend);
        page.push("SELECT p.*");
        let ranked = query.sort == SortOrder::Relevance;
        push_filter(&mut page, backend, category_id, search.as_ref(), ranked);
        order_by(&mut page, backend, query.sort, locale, search.as_ref());
        page.push(" LIMIT ")
            .bind(i64::from(PAGE_SIZE))
            .push(" OFFSET ")
            .bind(i64::try_from(offset).unwrap_or(i64::MAX));
        product::Entity::find()
            .from_raw_sql(page.build())
            .all(db)
            .await?
    } else {
        Vec::new()
    };

    if query.page > 1 && offset >= counted {
        return Err(CatalogError::PageOutOfRange);
    }
    let at_least = counted >= cap;
    let matches = MatchCount {
        count: if at_least { cap - 1 } else { counted },
        at_least,
    };
    let page_size = u64::from(PAGE_SIZE);
    let last_page =
        (!at_least).then(|| u32::try_from(counted.div_ceil(page_size).max(1)).unwrap_or(u32::MAX));
    let has_next = offset + page_size < counted;
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
        has_next,
        query,
    })
}
