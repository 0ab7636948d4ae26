//! The home page: promise, featured products, categories, latest articles.

use crate::articles::api::latest_articles;
use crate::articles::model::ArticleCard;
use crate::articles::pages::ArticleGrid;
use crate::catalog::api::get_home_showcase;
use crate::catalog::components::ProductGrid;
use crate::catalog::model::HomeShowcase;
use crate::i18n::{Msg, t, use_locale};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, Loading};
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let showcase = OnceResource::new(get_home_showcase(use_locale()));
    let articles = OnceResource::new(latest_articles());
    view! {
        <PageMeta title=t(Msg::HomeTitle) description=t(Msg::HomeDescription) path="/" image="/img/hero.svg"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                // The articles are a bonus: the shop still shows if they fail.
                let articles = articles.await.unwrap_or_default();
                match showcase.await {
                    Ok(showcase) => view! { <Home showcase articles/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Home(showcase: HomeShowcase, articles: Vec<ArticleCard>) -> impl IntoView {
    let HomeShowcase {
        featured,
        categories,
    } = showcase;
    view! {
        <section class="hero">
            <div class="hero__inner container">
                <div class="hero__text">
                    <p class="eyebrow">{t(Msg::BrandTagline)}</p>
                    <h1>{t(Msg::HeroTitle)}</h1>
                    <p class="hero__lead">{t(Msg::HeroText)}</p>
                    <p><a class="button button--primary" href="/products">{t(Msg::HeroCta)}</a></p>
                </div>
                <img class="hero__art" src="/img/hero.svg" alt="" width="520" height="420"/>
            </div>
        </section>
        <ul class="promises container">
            <li>{t(Msg::PromiseShipping)}</li>
            <li>{t(Msg::PromiseWithdrawal)}</li>
            <li>{t(Msg::PromiseMadeInFrance)}</li>
        </ul>
        <section class="section container" aria-labelledby="featured-title">
            <h2 id="featured-title">{t(Msg::FeaturedProducts)}</h2>
            {if featured.is_empty() {
                view! { <p class="empty">{t(Msg::NoProductsYet)}</p> }.into_any()
            } else {
                view! {
                    <ProductGrid products=featured/>
                }
                    .into_any()
            }}
        </section>
        <section class="section container" aria-labelledby="categories-title">
            <h2 id="categories-title">{t(Msg::ShopByCategory)}</h2>
            <ul class="category-tiles">
                {categories
                    .into_iter()
                    .map(|c| {
                        let href = format!("/products?category={}", c.slug);
                        view! {
                            <li class="category-tile">
                                <a href=href>
                                    <strong>{c.name}</strong>
                                    <span>{c.description}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="section container" aria-labelledby="articles-title">
            <h2 id="articles-title">{t(Msg::LatestArticles)}</h2>
            {if articles.is_empty() {
                view! { <p class="empty">{t(Msg::ArticlesComingSoon)}</p> }.into_any()
            } else {
                view! {
                    <ArticleGrid articles nested=true/>
                    <p><a class="button" href="/articles">{t(Msg::ArticleAllArticles)}</a></p>
                }
                    .into_any()
            }}
        </section>
    }
}
