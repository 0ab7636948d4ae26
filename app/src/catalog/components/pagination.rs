//! Page links under the grid: previous, a window of numbers around the current page, next.

use crate::catalog::model::ListingQuery;
use crate::catalog::rules::listing_href;
use crate::i18n::{Msg, t, use_locale};
use crate::ui::phrases;
use leptos::prelude::*;

/// Pages shown on each side of the current one.
const WINDOW: u32 = 2;

#[component]
pub fn Pagination(query: ListingQuery, last_page: Option<u32>, has_next: bool) -> impl IntoView {
    let page = query.page;
    if page == 1 && !has_next {
        return ().into_any();
    }
    let href = move |n: u32| {
        listing_href(&ListingQuery {
            page: n,
            ..query.clone()
        })
    };
    let first = page.saturating_sub(WINDOW).max(1);
    let last = match last_page {
        Some(last) => (page + WINDOW).min(last),
        None => page + u32::from(has_next),
    };
    let numbers = (first..=last)
        .map(|n| {
            if n == page {
                view! { <li><span class="pagination__current" aria-current="page">{n}</span></li> }
                    .into_any()
            } else {
                view! { <li><a href=href(n)>{n}</a></li> }.into_any()
            }
        })
        .collect_view();
    view! {
        <nav class="pagination" aria-label=t(Msg::Pagination)>
            <p class="pagination__status">{phrases::page_of(use_locale(), page, last_page)}</p>
            <ul>
                {(page > 1).then(|| view! { <li><a rel="prev" href=href(page - 1)>{t(Msg::PreviousPage)}</a></li> })}
                {numbers}
                {has_next.then(|| view! { <li><a rel="next" href=href(page + 1)>{t(Msg::NextPage)}</a></li> })}
            </ul>
        </nav>
    }
    .into_any()
}
