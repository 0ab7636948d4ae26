//! Relevance for searches: the ranking window, then the page's products by id.

use super::cache::{Ranking, SearchCache, SearchKey};
use super::listing::{Filter, RANK_WINDOW};
use super::{CatalogError, STATUS_ACTIVE};
use crate::catalog::rules::PAGE_SIZE;
use crate::catalog::search::SearchQuery;
use crate::db::entities::product;
use crate::db::sql::Sql;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter};

impl Filter<'_> {
    /// The ranking in one row: how many of the newest [`RANK_WINDOW`] + 1 matches there are
    /// (`counted`) and the ids of the newest [`RANK_WINDOW`] in rank order (`ids`, comma
    /// separated). A match ranks by how many of the words are in the name (`hit`), then
    /// featured first, then the shop's order. The database sorts, so a thousand matches cross
    /// to the server as one short string rather than a thousand rows.
    pub(super) fn ranking(&self, search: &SearchQuery) -> Sql {
        let mut sql = Sql::new(self.backend);
        if self.is_sqlite() {
            // The window first (narrow columns only), then `hit`: each word's name matches are
            // read from the window's oldest id on, not across the whole catalogue.
            sql.push(
                "WITH m AS MATERIALIZED (SELECT q.id AS id, q.featured AS featured \
                 FROM products_fts f JOIN products q INDEXED BY idx_products_active_id \
                 ON q.id = f.rowid WHERE products_fts MATCH ",
            )
            .bind(search.fts5_match())
            .push(" AND q.status = 'active'");
            self.push_category(&mut sql, "q");
            sql.push(" ORDER BY f.rowid DESC LIMIT ")
                .push(&(RANK_WINDOW + 1).to_string())
                .push("), w AS (SELECT m.id AS id, m.featured AS featured, ");
            for (i, title) in search.fts5_title_matches().into_iter().enumerate() {
                sql.push(if i > 0 { " + " } else { "" })
                    .push("(m.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ")
                    .bind(title)
                    .push(" AND rowid >= (SELECT min(id) FROM m)))");
            }
            sql.push(" AS hit FROM m)");
        } else {
            // The window first, then `hit` on its rows only, from the narrow `product_search`
            // (products on sale only): each `@@` reads a short, position-free `tsvector`.
            sql.push(
                "WITH m AS MATERIALIZED (SELECT s.id AS id, s.featured AS featured, \
                 s.title AS title FROM product_search s WHERE s.words @@ to_tsquery('simple', ",
            )
            .literal(&search.tsquery())
            .push(")");
            self.push_category(&mut sql, "s");
            sql.push(" ORDER BY s.id DESC LIMIT ")
                .push(&(RANK_WINDOW + 1).to_string())
                .push("), w AS (SELECT m.id AS id, m.featured AS featured, ");
            for (i, word) in search.tsquery_words().into_iter().enumerate() {
                sql.push(if i > 0 { " + " } else { "" })
                    .push("(m.title @@ to_tsquery('simple', ")
                    .literal(&word)
                    .push("))::int");
            }
            sql.push(" AS hit FROM m)");
        }
        let ids = if self.is_sqlite() {
            "group_concat(id, ',' ORDER BY hit DESC, featured DESC, id)"
        } else {
            "string_agg(id::text, ',' ORDER BY hit DESC, featured DESC, id)"
        };
        // The window's extra match (its oldest) only tells that there are more.
        sql.push(" SELECT (SELECT COUNT(*) FROM w) AS counted, (SELECT ")
            .push(ids)
            .push(" FROM w WHERE (SELECT COUNT(*) FROM w) <= ")
            .push(&RANK_WINDOW.to_string())
            .push(" OR id > (SELECT min(id) FROM w)) AS ids");
        sql
    }
}

/// The ranking of a search as the database returns it.
#[derive(FromQueryResult)]
struct RankRow {
    counted: i64,
    ids: Option<String>,
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
    let row = RankRow::find_by_statement(filter.ranking(search).build())
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("search ranking".to_owned()))?;
    let ids = row
        .ids
        .unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| {
            id.parse()
                .map_err(|_| DbErr::Type(format!("ranking id {id:?}")))
        })
        .collect::<Result<Vec<i32>, DbErr>>()?;
    Ok(Ranking {
        ids,
        counted: u64::try_from(row.counted).unwrap_or(0),
    })
}
