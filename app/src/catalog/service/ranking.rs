//! Relevance for searches: the ranking window, then the page's products by id.

use super::cache::{Ranking, SearchCache, SearchKey};
use super::listing::{Filter, RANK_WINDOW, as_i64};
use super::sql::Sql;
use super::{CatalogError, STATUS_ACTIVE};
use crate::catalog::rules::PAGE_SIZE;
use crate::catalog::search::SearchQuery;
use crate::db::entities::product;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter};

impl Filter<'_> {
    /// The newest [`RANK_WINDOW`] + 1 matches with what ranks them: how many of the words are
    /// in the name (`hit`) and whether the product is featured. Narrow columns only.
    pub(super) fn ranking_window(&self, search: &SearchQuery) -> Sql {
        let mut sql = Sql::new(self.backend);
        // hit = the number of words found in the name, one 0/1 term per word.
        let (open, close, titles) = if self.is_sqlite() {
            (
                "(q.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ",
                "))",
                search.fts5_title_matches(),
            )
        } else {
            (
                "(q.search_vector @@ to_tsquery('simple', ",
                "))::int::int8",
                search.tsquery_titles(),
            )
        };
        sql.push("SELECT q.id AS id, q.featured AS featured, ");
        for (i, title) in titles.into_iter().enumerate() {
            sql.push(if i > 0 { " + " } else { "" })
                .push(open)
                .bind(title)
                .push(close);
        }
        if self.is_sqlite() {
            sql.push(
                " AS hit FROM products_fts f JOIN products q INDEXED BY idx_products_active_id \
                 ON q.id = f.rowid WHERE products_fts MATCH ",
            )
            .bind(search.fts5_match())
            .push(" AND q.status = 'active'");
            self.push_category(&mut sql, "q");
            sql.push(" ORDER BY f.rowid DESC");
        } else {
            sql.push(
                " AS hit FROM products q WHERE q.status = 'active' \
                 AND q.search_vector @@ to_tsquery('simple', ",
            )
            .bind(search.tsquery())
            .push(")");
            self.push_category(&mut sql, "q");
            sql.push(" ORDER BY q.id DESC");
        }
        sql.push(" LIMIT ").bind(as_i64(RANK_WINDOW + 1));
        sql
    }
}

/// A match in the ranking window.
#[derive(FromQueryResult)]
struct Ranked {
    id: i32,
    featured: bool,
    hit: i64,
}

/// A search by relevance, in two queries: the ranking window (kept a while in `cache`), then
/// the page's products. Products whose name holds more of the words come first, then featured
/// ones, then the shop's order; the same meaning on both engines.
pub(super) async fn ranked_page(
    db: &impl ConnectionTrait,
    cache: &SearchCache,
    filter: &Filter<'_>,
    search: &SearchQuery,
) -> Result<(u64, Vec<product::Model>), CatalogError> {
    let key = SearchKey {
        words: search.words().join(" "),
        category: filter.category,
    };
    let ranking = cache
        .ranking(key.clone(), rank(db, filter, search))
        .await
        .map_err(CatalogError::SharedDatabase)?;
    let (ids, products) = page_of(db, &ranking, filter.offset).await?;
    if products.len() == ids.len() {
        return Ok((ranking.counted, products));
    }
    // A product was archived since this ranking was made: rank again.
    cache.forget(&key).await;
    let ranking = rank(db, filter, search).await?;
    let (_, products) = page_of(db, &ranking, filter.offset).await?;
    Ok((ranking.counted, products))
}

/// The ids of the page starting at `offset` in `ranking`, and those of its products on sale,
/// in rank order (read fresh: prices and stock are never cached).
async fn page_of(
    db: &impl ConnectionTrait,
    ranking: &Ranking,
    offset: u64,
) -> Result<(Vec<i32>, Vec<product::Model>), DbErr> {
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let ids: Vec<i32> = ranking
        .ids
        .iter()
        .skip(start)
        .take(PAGE_SIZE as usize)
        .copied()
        .collect();
    if ids.is_empty() {
        return Ok((ids, Vec::new()));
    }
    let mut products = product::Entity::find()
        .filter(product::Column::Id.is_in(ids.clone()))
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .all(db)
        .await?;
    products.sort_by_key(|p| ids.iter().position(|id| *id == p.id));
    Ok((ids, products))
}

/// Ranks the ranking window of `search`.
async fn rank(
    db: &impl ConnectionTrait,
    filter: &Filter<'_>,
    search: &SearchQuery,
) -> Result<Ranking, DbErr> {
    let mut window = Ranked::find_by_statement(filter.ranking_window(search).build())
        .all(db)
        .await?;
    let counted = u64::try_from(window.len()).unwrap_or(u64::MAX);
    window.truncate(usize::try_from(RANK_WINDOW).unwrap_or(usize::MAX));
    window.sort_by(|a, b| {
        b.hit
            .cmp(&a.hit)
            .then(b.featured.cmp(&a.featured))
            .then(a.id.cmp(&b.id))
    });
    Ok(Ranking {
        ids: window.into_iter().map(|r| r.id).collect(),
        counted,
    })
}
