//! `/products/{slug}`: everything a shopper needs to decide, and what the law requires shown.

use crate::cart::components::{AddToCart, Subscribe};
use crate::catalog::api::get_product;
use crate::catalog::components::Gallery;
use crate::catalog::components::phrases as catalog_phrases;
use crate::catalog::components::{ProductGrid, stock_class};
use crate::catalog::json_ld;
use crate::catalog::model::{ProductDetail, ProductKind, ReviewSummary, StockLevel, VariantOption};
use crate::error::AppError;
use crate::i18n::{Msg, t, use_locale};
use crate::ui::format::money;
use crate::ui::phrases;
use crate::ui::seo::{JsonLd, PageMeta, SITE_NAME, absolute_url};
use crate::ui::{ErrorPage, Loading, NotFoundPage};
use crate::wishlist::components::{StockAlert, WishlistHeart};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ProductPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let asked = use_query_map().with_untracked(|q| q.get("v"));
    let product = OnceResource::new(get_product(slug, use_locale()));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new({
                let asked = asked.clone();
                async move {
                match product.await {
                    Ok(product) => match product.asked_variant.clone() {
                        Some(code) => view! { <VariantMoved to=format!("/products/{}?v={code}", product.slug)/> }.into_any(),
                        None => view! { <Product product asked/> }.into_any(),
                    },
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(AppError::Gone) => view! { <ProductGonePage/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            }})}
        </Suspense>
    }
}

/// A variant's own address: 301 to its product's page with `?v=`.
#[component]
fn VariantMoved(to: String) -> impl IntoView {
    crate::ui::error_pages::moved_permanently(&to);
    view! {
        <Title text=t(Msg::VariantMoved)/>
        <section class="status-page container">
            <h1>{t(Msg::VariantMoved)}</h1>
            <p><a href=to.clone()>{to.clone()}</a></p>
        </section>
    }
}

/// The sizes of a product, as a plain form: the address names the one chosen (`?v=`), so it is
/// shared and indexed with its own price, with or without a script.
#[component]
fn VariantPicker(slug: String, variants: Vec<VariantOption>, chosen: String) -> impl IntoView {
    let locale = use_locale();
    view! {
        <form class="variant-picker" method="get" action=format!("/products/{slug}") data-testid="variant-picker">
            <fieldset>
                <legend>{t(Msg::VariantLegend)}</legend>
                <div class="variant-picker__options">
                    {variants.into_iter().map(|v| {
                        let checked = v.code == chosen;
                        view! {
                            <label class="variant-picker__option">
                                <input type="radio" name="v" value=v.code checked=checked/>
                                <span class="variant-picker__label">{v.label}</span>
                                <span class="variant-picker__price">{money(locale, v.price)}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <button type="submit" class="button">{t(Msg::VariantChoose)}</button>
        </form>
    }
}

/// An archived product: 410, with the way back to the shop.
#[component]
fn ProductGonePage() -> impl IntoView {
    crate::ui::error_pages::set_status(410);
    view! {
        <Title text=t(Msg::ProductGoneTitle)/>
        <section class="status-page container">
            <p class="status-page__code">"410"</p>
            <h1>{t(Msg::ProductGoneTitle)}</h1>
            <p>{t(Msg::ProductGoneText)}</p>
            <p>
                <a class="button button--primary" href="/products">{t(Msg::BackToShop)}</a>
                " "
                <a class="button" href="/">{t(Msg::BackHome)}</a>
            </p>
        </section>
    }
}

#[component]
fn Product(product: ProductDetail, asked: Option<String>) -> impl IntoView {
    let reviews = product.reviews.clone();
    let locale = use_locale();
    let chosen = product.variant(asked.as_deref()).cloned();
    let first = product.variants.first().map(|v| v.code.clone());
    // A variant other than the first has its own address; an unknown code is the first's.
    let path = match &chosen {
        Some(v) if Some(&v.code) != first.as_ref() => {
            format!("/products/{}?v={}", product.slug, v.code)
        }
        _ => format!("/products/{}", product.slug),
    };
    let ld_product = json_ld::product(&product, chosen.as_ref(), &reviews, SITE_NAME, absolute_url);
    // Kept on the wishlist is the product, whichever size is shown.
    let product_id = product.cart.id;
    let mut product = product;
    if let Some(v) = chosen.clone() {
        product.sku = v.sku;
        product.price = v.price;
        product.reduction = v.reduction;
        product.net_quantity = v.net_quantity;
        product.unit_price = v.unit_price;
        product.stock = v.stock;
        product.subscription_months = v.subscription_months;
        product.cart = v.cart;
    }
    let picker = (product.variants.len() > 1).then(|| {
        view! {
            <VariantPicker
                slug=product.slug.clone()
                variants=product.variants.clone()
                chosen=chosen.map(|v| v.code).unwrap_or_default()
            />
        }
    });
    let category_href = format!("/products?category={}", product.category.slug);
    let ld_breadcrumbs = json_ld::breadcrumbs(
        &[
            (t(Msg::ProductsTitle).to_owned(), "/products".to_owned()),
            (product.category.name.clone(), category_href.clone()),
            (product.name.clone(), path.clone()),
        ],
        absolute_url,
    );
    let unit_price = product
        .unit_price
        .map(|u| catalog_phrases::unit_price(locale, u));
    let stock_text = catalog_phrases::stock(locale, product.stock);
    let ProductDetail {
        sku,
        kind,
        name,
        summary,
        description,
        composition,
        usage,
        category,
        price,
        reduction,
        vat_rate,
        net_quantity,
        net_unit,
        stock,
        lead_time_days,
        subscription_months,
        images,
        related,
        cart,
        ..
    } = product;
    let cover = images.first().map(|i| i.src.clone());
    let subscribe_product = cart.clone();
    view! {
        <PageMeta title=name.clone() description=summary.clone() path og_type="product" image=cover.unwrap_or_default()/>
        <JsonLd value=ld_product/>
        <JsonLd value=ld_breadcrumbs/>
        <div class="product-page container">
            <nav class="breadcrumb" aria-label=t(Msg::Breadcrumb)>
                <ol>
                    <li><a href="/products">{t(Msg::ProductsTitle)}</a></li>
                    <li><a href=category_href>{category.name.clone()}</a></li>
                    <li aria-current="page">{name.clone()}</li>
                </ol>
            </nav>
            <div class="product-page__top">
                <Gallery images/>
                <div class="product-page__buy">
                    <p class="eyebrow">{category.name}</p>
                    <div class="product-page__title">
                        <h1>{name.clone()}</h1>
                        <WishlistHeart product_id name=name.clone()/>
                    </div>
                    {(reviews.count > 0).then(|| view! {
                        <p class="product-page__rating"><a href="#reviews">
                            <span aria-hidden="true">"★ "</span>{format!("{} / 5 · {} {}", reviews.average_in(locale), reviews.count, locale.t(if reviews.count > 1 { Msg::ReviewsCountMany } else { Msg::ReviewsCountOne }))}
                        </a></p>
                    })}
                    <p class="product-page__summary">{summary}</p>
                    {picker}
                    <p class="product-page__price">
                        {reduction.as_ref().map(|r| view! { <span class="sale-badge">{format!("−{} %", r.percent)}</span>" " })}
                        <strong>{money(locale, price)}</strong>
                        " "
                        <span class="product-page__vat">{phrases::vat_included(locale, vat_rate)}</span>
                    </p>
                    {reduction.map(|r| view! {
                        <p class="product-page__reference" data-testid="reference-price">
                            {t(Msg::ReductionReference)}{locale.colon()}<s>{money(locale, r.reference)}</s>
                            {format!(", {}.", locale.t(Msg::ReductionExplained))}
                            {r.until.map(|until| format!(" {} {}.", locale.t(Msg::ReductionUntil), crate::ui::format::paris_time(locale, until)))}
                        </p>
                    })}
                    <p class="product-page__unit">
                        {catalog_phrases::net_quantity(net_quantity, net_unit)}
                        {unit_price.map(|u| format!(" · {u}"))}
                    </p>
                    <p class=stock_class(stock)>{stock_text}</p>
                    {match stock {
                        StockLevel::Out => view! {
                            <p class="notice">{t(Msg::OutOfStockText)}</p>
                            <StockAlert product_id=cart.id/>
                        }.into_any(),
                        _ => view! {
                            <p class="product-page__lead">{phrases::lead_time(locale, lead_time_days)}</p>
                            {
                                let (back, outcome) = crate::cart::components::form_context(cart.id);
                                view! { <AddToCart product=cart locale with_quantity=true back outcome/> }
                            }
                        }.into_any(),
                    }}
                    {(!subscription_months.is_empty())
                        .then(|| {
                            view! {
                                <div class="subscription-offer">
                                    <h2>{t(Msg::SubscriptionTitle)}</h2>
                                    <p>{phrases::subscription_frequencies(locale, &subscription_months)}</p>
                                    <p class="subscription-offer__terms">{t(Msg::SubscriptionText)}</p>
                                    {(stock != StockLevel::Out).then(|| view! {
                                        {
                                            let (back, outcome) = crate::cart::components::form_context(subscribe_product.id);
                                            view! { <Subscribe product=subscribe_product.clone() locale back outcome/> }
                                        }
                                    })}
                                </div>
                            }
                        })}
                    <p class="product-page__sku">{t(Msg::Reference)} " " {sku}</p>
                </div>
            </div>
            <div class="product-page__details">
                <section>
                    <h2>{t(Msg::Description)}</h2>
                    <p>{description}</p>
                </section>
                <section>
                    <h2>{t(Msg::Composition)}</h2>
                    <p>{composition}</p>
                </section>
                <section>
                    <h2>{t(Msg::HowToUse)}</h2>
                    <p>{usage}</p>
                </section>
                {(kind == ProductKind::Supplement)
                    .then(|| {
                        view! {
                            <section class="supplement-warning" role="note">
                                <h2>{t(Msg::SupplementWarningTitle)}</h2>
                                <p>{t(Msg::SupplementNotice)}</p>
                            </section>
                        }
                    })}
            </div>
            <Reviews reviews=reviews.clone() locale/>
            {(!related.is_empty())
                .then(|| {
                    view! {
                        <section class="section" aria-labelledby="related-title">
                            <h2 id="related-title">{t(Msg::RelatedProducts)}</h2>
                            <ProductGrid products=related/>
                        </section>
                    }
                })}
        </div>
    }
}

/// The product's published reviews, and how they are collected and checked (Code de la
/// consommation L111-7-2, D111-17).
#[component]
fn Reviews(reviews: ReviewSummary, locale: crate::i18n::Locale) -> impl IntoView {
    view! {
        <section class="section product-reviews" id="reviews" aria-labelledby="reviews-title" data-testid="product-reviews">
            <h2 id="reviews-title">{t(Msg::ProductReviewsTitle)}</h2>
            {if reviews.count == 0 {
                view! { <p>{t(Msg::ProductReviewsNone)}</p> }.into_any()
            } else {
                view! {
                    <p class="product-reviews__average">
                        <strong>{format!("{} / 5", reviews.average_in(locale))}</strong>
                        {format!(" · {} {}", reviews.count, locale.t(if reviews.count > 1 { Msg::ReviewsCountMany } else { Msg::ReviewsCountOne }))}
                    </p>
                    <ul class="product-reviews__list">
                        {reviews.reviews.into_iter().map(|r| view! {
                            <li class="product-review">
                                <p class="product-review__rating" aria-label=format!("{} / 5", r.rating)>{crate::ui::format::stars(r.rating)}</p>
                                <p class="product-review__body">{r.body}</p>
                                <p class="product-review__meta">
                                    {if r.author.is_empty() { t(Msg::ReviewAnonymous).to_owned() } else { r.author }}
                                    {format!(" · {} · ", crate::ui::format::long_day(locale, r.created_at))}
                                    <span class="product-review__verified">{t(Msg::ReviewVerified)}</span>
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p class="product-reviews__notice">{t(Msg::ReviewsNotice)}</p>
        </section>
    }
}
