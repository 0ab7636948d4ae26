//! `/robots.txt` and `/sitemap.xml`.
//!
//! The sitemap lists the home page, the catalogue, every category, the articles and every
//! active product.
//! The protocol allows 50,000 addresses per file: past that, `/sitemap.xml` becomes a sitemap
//! index pointing at `/sitemaps/pages.xml` and `/sitemaps/products/{n}.xml`, so a 100,000-product
//! catalogue stays valid.
//!
//! A file reads up to 50,000 rows: each instance keeps what it made for [`SITEMAP_SECONDS`]
//! (crawlers are told an hour), and one request makes it while the others wait for it, so a
//! burst of requests for the sitemap costs the database one read.

use app::catalog::service::{self, SitemapProduct};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// How long an instance reuses a sitemap file it made.
pub const SITEMAP_SECONDS: u64 = 600;

/// The file at `address` as an answer: the one this instance made lately, else `make`'s.
async fn cached(
    state: &AppState,
    address: String,
    make: impl std::future::Future<Output = Result<Option<String>, service::CatalogError>>,
) -> Response {
    match state.sitemaps.file(address, make).await {
        Ok(Some(file)) => xml(file.as_str().to_owned()),
        Ok(None) => (StatusCode::NOT_FOUND, "no such sitemap").into_response(),
        Err(err) => failure(err),
    }
}

/// Addresses per sitemap file (the protocol's limit).
pub const SITEMAP_LIMIT: u64 = 50_000;
/// Products per part once the sitemap is split.
const PART_SIZE: u64 = 40_000;

pub async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let base = base_url(&state);
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\nDisallow: /account\nDisallow: /admin\nDisallow: /api/\n\
             Disallow: /cart\nDisallow: /checkout\nDisallow: /orders/\nAllow: /\n\n\
             Sitemap: {base}/sitemap.xml\n"
        ),
    )
}

fn base_url(state: &AppState) -> String {
    state.site.public_url.trim_end_matches('/').to_owned()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn xml(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

fn failure(err: service::CatalogError) -> Response {
    let status = AppError::from(err).status();
    (status, "the sitemap is not available right now").into_response()
}

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
    <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";

fn push_url(out: &mut String, loc: &str, lastmod: Option<&str>) {
    let _ = write!(out, "<url><loc>{}</loc>", escape(loc));
    if let Some(lastmod) = lastmod {
        let _ = write!(out, "<lastmod>{lastmod}</lastmod>");
    }
    out.push_str("</url>\n");
}

/// The pages other than products: home, shop, categories, articles.
struct Pages {
    categories: Vec<String>,
    articles: Vec<(String, chrono::DateTime<chrono::Utc>)>,
}

impl Pages {
    fn len(&self) -> u64 {
        3 + self.categories.len() as u64 + self.articles.len() as u64
    }
}

async fn pages(state: &AppState) -> Result<Pages, service::CatalogError> {
    let categories = service::sitemap_categories(&state.db).await?;
    let articles = app::articles::service::sitemap_entries(&state.db, state.clock.now()).await?;
    Ok(Pages {
        categories,
        articles,
    })
}

fn push_pages(out: &mut String, base: &str, pages: &Pages) {
    push_url(out, &format!("{base}/"), None);
    push_url(out, &format!("{base}/products"), None);
    for slug in &pages.categories {
        push_url(out, &format!("{base}/products?category={slug}"), None);
    }
    let newest = pages.articles.iter().map(|(_, at)| *at).max();
    let lastmod = newest.map(|at| at.format("%Y-%m-%d").to_string());
    push_url(out, &format!("{base}/articles"), lastmod.as_deref());
    for (slug, updated_at) in &pages.articles {
        let lastmod = updated_at.format("%Y-%m-%d").to_string();
        push_url(out, &format!("{base}/articles/{slug}"), Some(&lastmod));
    }
}

fn push_products(out: &mut String, base: &str, products: &[SitemapProduct]) {
    for p in products {
        let lastmod = p.updated_at.format("%Y-%m-%d").to_string();
        push_url(out, &format!("{base}/products/{}", p.slug), Some(&lastmod));
    }
}

/// `/sitemap.xml`: the whole list, or an index once the catalogue is too large for one file.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let address = format!("{}/sitemap.xml", base_url(&state));
    cached(&state, address, make_sitemap(&state)).await
}

async fn make_sitemap(state: &AppState) -> Result<Option<String>, service::CatalogError> {
    let base = base_url(state);
    let (pages, count) = tokio::try_join!(pages(state), service::active_product_count(&state.db))?;
    if pages.len() + count > SITEMAP_LIMIT {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let _ = writeln!(
            out,
            "<sitemap><loc>{base}/sitemaps/pages.xml</loc></sitemap>"
        );
        for part in 1..=count.div_ceil(PART_SIZE) {
            let _ = writeln!(
                out,
                "<sitemap><loc>{base}/sitemaps/products/{part}.xml</loc></sitemap>"
            );
        }
        out.push_str("</sitemapindex>\n");
        return Ok(Some(out));
    }
    let products = service::sitemap_products(&state.db, 0, SITEMAP_LIMIT).await?;
    let mut out = String::from(URLSET_OPEN);
    push_pages(&mut out, &base, &pages);
    push_products(&mut out, &base, &products);
    out.push_str("</urlset>\n");
    Ok(Some(out))
}

/// `/sitemaps/pages.xml`: the pages other than products (used once the sitemap is split).
pub async fn sitemap_pages(State(state): State<AppState>) -> Response {
    let base = base_url(&state);
    cached(&state, format!("{base}/sitemaps/pages.xml"), async {
        let pages = pages(&state).await?;
        let mut out = String::from(URLSET_OPEN);
        push_pages(&mut out, &base, &pages);
        out.push_str("</urlset>\n");
        Ok(Some(out))
    })
    .await
}

/// `/sitemaps/products/{n}.xml`: the `n`-th slice of products (1-based) of a split sitemap.
pub async fn sitemap_products(State(state): State<AppState>, Path(part): Path<String>) -> Response {
    let Some(n) = part
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|n| (1..=10_000).contains(n))
    else {
        return (StatusCode::NOT_FOUND, "no such sitemap").into_response();
    };
    let base = base_url(&state);
    cached(&state, format!("{base}/sitemaps/products/{n}.xml"), async {
        let products = service::sitemap_products(&state.db, (n - 1) * PART_SIZE, PART_SIZE).await?;
        if products.is_empty() {
            return Ok(None);
        }
        let mut out = String::from(URLSET_OPEN);
        push_products(&mut out, &base, &products);
        out.push_str("</urlset>\n");
        Ok(Some(out))
    })
    .await
}
