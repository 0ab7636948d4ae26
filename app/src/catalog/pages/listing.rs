//! `/products`: the grid with its search, category filter, sort and pages.

use crate::catalog::api::list_products;
use crate::catalog::components::ProductGrid;
use crate::catalog::components::phrases as catalog_phrases;
use crate::catalog::components::{CategoryChips, ListingFilters, Pagination};
use crate::catalog::model::{ListingParams, ListingQuery, ProductListing, SortOrder};
use crate::catalog::rules::listing_href;
use crate::error::AppError;
use crate::i18n::{Msg, t, use_locale};
use crate::ui::phrases;
use crate::ui::seo::PageMeta;
use crate::ui::{BadRequestPage, ErrorPage, Loading, NotFoundPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProductsPage() -> impl IntoView {
    let params = use_query_map().with_untracked(|q| ListingParams {
        category: q.get("category"),
        q: q.get("q"),
        sort: q.get("sort"),
        page: q.get("page"),
    });
    let listing = OnceResource::new(list_products(params, use_locale()));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(listing) => view! { <Listing listing/> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(AppError::BadRequest(message)) => {
                        view! { <BadRequestPage message back_href="/products" back_label=Msg::ShowAllProducts/> }
                            .into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The canonical address of a listing: its category and page; searches and sorts are not
/// separate documents for search engines.
fn canonical_path(query: &ListingQuery) -> String {
    listing_href(&ListingQuery {
        category: query.category.clone(),
        page: query.page,
        ..ListingQuery::default()
    })
}

#[component]
fn Listing(listing: ProductListing) -> impl IntoView {
    let locale = use_locale();
    let ProductListing {
        query,
        products,
        categories,
        category,
        matches,
        last_page,
        has_next,
    } = listing;
    let heading = match (&query.q, &category) {
        (Some(_), _) => t(Msg::SearchResultsTitle).to_owned(),
        (None, Some(c)) => c.name.clone(),
        (None, None) => t(Msg::ProductsTitle).to_owned(),
    };
    let description = category.as_ref().map_or_else(
        || t(Msg::ProductsDescription).to_owned(),
        |c| c.description.clone(),
    );
    let mut title = heading.clone();
    if query.page > 1 {
        title = format!(
            "{title} — {}",
            phrases::page_of(locale, query.page, last_page)
        );
    }
    let noindex = query.q.is_some() || products.is_empty();
    let count = catalog_phrases::product_count(locale, matches);
    let searched = query.q.clone().map(|q| format!("« {q} »"));
    // The last page a broad search ranks: say why it stops there.
    let window_end =
        (query.q.is_some() && query.sort == SortOrder::Relevance && matches.at_least && !has_next)
            .then(|| catalog_phrases::search_window_end(locale, matches.count));
    view! {
        <PageMeta title description path=canonical_path(&query) noindex/>
        <section class="listing container">
            <header class="listing__header">
                <h1>{heading}</h1>
                {searched.map(|s| view! { <p class="listing__query">{s}</p> })}
                <p class="listing__count" role="status">{count}</p>
            </header>
            <ListingFilters query=query.clone() categories=categories.clone()/>
            <CategoryChips query=query.clone() categories/>
            {if products.is_empty() {
                view! {
                    <div class="empty-state">
                        <h2>{t(Msg::NoResultsTitle)}</h2>
                        <p>{t(Msg::NoResultsText)}</p>
                        <p><a class="button" href="/products">{t(Msg::ShowAllProducts)}</a></p>
                    </div>
                }
                    .into_any()
            } else {
                // The cards' names are third-level headings, under this one.
                view! {
                    <h2 class="visually-hidden">{t(Msg::ListingResults)}</h2>
                    <ProductGrid products=products leading=true/>
                }
                    .into_any()
            }}
            <Pagination query last_page has_next/>
            {window_end.map(|text| view! { <p class="listing__window-end">{text}</p> })}
        </section>
    }
}
