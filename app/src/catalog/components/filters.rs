//! The search, category and sort controls: a plain `GET` form, so every view is a shareable URL
//! and works before (or without) the WASM.

use crate::catalog::model::{CategoryLink, ListingQuery, SortOrder};
use crate::catalog::rules::{MAX_QUERY_CHARS, listing_href};
use crate::i18n::{Msg, t};
use leptos::prelude::*;

fn sort_label(sort: SortOrder) -> Msg {
    match sort {
        SortOrder::Relevance => Msg::SortRelevance,
        SortOrder::PriceAsc => Msg::SortPriceAsc,
        SortOrder::PriceDesc => Msg::SortPriceDesc,
        SortOrder::Name => Msg::SortName,
        SortOrder::Newest => Msg::SortNewest,
    }
}

#[component]
pub fn ListingFilters(query: ListingQuery, categories: Vec<CategoryLink>) -> impl IntoView {
    let current_category = query.category.clone().unwrap_or_default();
    view! {
        <form class="filters" method="get" action="/products" role="search">
            <div class="field filters__search">
                <label for="filter-q">{t(Msg::SearchLabel)}</label>
                <input
                    id="filter-q"
                    type="search"
                    name="q"
                    value=query.q.clone().unwrap_or_default()
                    placeholder=t(Msg::SearchPlaceholder)
                    maxlength=MAX_QUERY_CHARS.to_string()
                    autocomplete="off"
                    enterkeyhint="search"
                />
            </div>
            <div class="field">
                <label for="filter-category">{t(Msg::Categories)}</label>
                <select id="filter-category" name="category">
                    <option value="" selected=current_category.is_empty()>{t(Msg::AllProducts)}</option>
                    {categories
                        .into_iter()
                        .map(|c| {
                            let selected = c.slug == current_category;
                            view! { <option value=c.slug selected=selected>{c.name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-sort">{t(Msg::SortLabel)}</label>
                <select id="filter-sort" name="sort">
                    {SortOrder::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.code() selected=s == query.sort>{t(sort_label(s))}</option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button class="button button--primary filters__submit" type="submit">{t(Msg::ApplyFilters)}</button>
        </form>
    }
}

/// One-tap category links above the grid (they keep the search and the sort).
#[component]
pub fn CategoryChips(query: ListingQuery, categories: Vec<CategoryLink>) -> impl IntoView {
    let all_current = query.category.is_none();
    let current = query.category.clone();
    let link = move |category: Option<String>| {
        listing_href(&ListingQuery {
            category,
            page: 1,
            ..query.clone()
        })
    };
    view! {
        <nav class="chips" aria-label=t(Msg::Categories)>
            <ul>
                <li>
                    <a href=link(None) aria-current=all_current.then_some("page")>{t(Msg::AllProducts)}</a>
                </li>
                {categories
                    .into_iter()
                    .map(|c| {
                        let is_current = current.as_deref() == Some(c.slug.as_str());
                        let href = link(Some(c.slug));
                        view! {
                            <li>
                                <a href=href aria-current=is_current.then_some("page")>{c.name}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
