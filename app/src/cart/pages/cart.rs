//! `/cart`: rendered by the server from the cart cookie, then the browser's own cart.

use crate::cart::api::get_cart_page;
use crate::cart::components::CartView;
use crate::i18n::{Msg, t, use_locale};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::prelude::*;

#[component]
pub fn CartPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(get_cart_page(locale));
    view! {
        <PageMeta title=t(Msg::CartTitle) description=t(Msg::CartTitle) path="/cart" noindex=true/>
        <section class="cart-page container">
            <h1>{t(Msg::CartTitle)}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(data) => view! { <CartView data locale/> }.into_any(),
                        Err(_) => view! { <ErrorPage/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
