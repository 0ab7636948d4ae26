//! `/articles` and `/articles/{slug}`: server-rendered, readable before any script; the only
//! interactive parts are the related products' "Add to cart" islands.

use super::api::{article_page, articles_page};
use super::model::{ArticleCard, ArticleListing, ArticleView, Tag};
use crate::catalog::components::ProductGrid;
use crate::error::AppError;
use crate::i18n::{Locale, Msg, t, use_locale};
use crate::ui::format::long_day;
use crate::ui::seo::{JsonLd, PageMeta, SITE_NAME, absolute_url};
use crate::ui::{ErrorPage, Loading, NotFoundPage};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde_json::json;

/// `/articles`, or `/articles?tag=…&page=…`.
fn listing_href(tag: Option<&str>, page: u32) -> String {
    let mut query = Vec::new();
    if let Some(tag) = tag {
        query.push(format!("tag={tag}"));
    }
    if page > 1 {
        query.push(format!("page={page}"));
    }
    if query.is_empty() {
        "/articles".to_owned()
    } else {
        format!("/articles?{}", query.join("&"))
    }
}

#[component]
pub fn ArticlesPage() -> impl IntoView {
    let (tag, page) = use_query_map().with_untracked(|q| (q.get("tag"), q.get("page")));
    let listing = OnceResource::new(articles_page(tag, page));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(listing) => view! { <Listing listing/> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Listing(listing: ArticleListing) -> impl IntoView {
    let locale = use_locale();
    let ArticleListing {
        articles,
        tags,
        tag,
        page,
        last_page,
    } = listing;
    let tag_slug = tag.as_ref().map(|t| t.slug.clone());
    let heading = match &tag {
        Some(tag) => format!("{} « {} »", t(Msg::ArticlesTagged), tag.label),
        None => t(Msg::NavArticles).to_owned(),
    };
    let path = listing_href(tag_slug.as_deref(), page);
    let current = tag_slug.clone();
    view! {
        <PageMeta title=heading.clone() description=t(Msg::ArticlesLead) path/>
        <section class="section container articles">
            <h1>{heading}</h1>
            <p class="articles__lead">{t(Msg::ArticlesLead)}</p>
            {(!tags.is_empty()).then(|| view! {
                <nav class="tag-filter" aria-label=t(Msg::ArticlesFilterByTag)>
                    <ul>
                        <li><a href="/articles" aria-current=current.is_none().then_some("page")>{t(Msg::ArticlesAllTags)}</a></li>
                        {tags.into_iter().map(|(tag, n)| {
                            let here = current.as_deref() == Some(tag.slug.as_str());
                            view! {
                                <li><a href=listing_href(Some(&tag.slug), 1) aria-current=here.then_some("page")>
                                    {tag.label} " " <span class="tag-filter__count">{n}</span>
                                </a></li>
                            }
                        }).collect_view()}
                    </ul>
                </nav>
            })}
            {if articles.is_empty() {
                view! { <p class="empty">{t(Msg::ArticlesEmpty)}</p> }.into_any()
            } else {
                view! { <ArticleGrid articles/> }.into_any()
            }}
            {(last_page > 1).then(|| view! {
                <nav class="pagination" aria-label=t(Msg::Pagination)>
                    <p class="pagination__status">{crate::ui::phrases::page_of(locale, page, Some(last_page))}</p>
                    <ul>
                        {(page > 1).then(|| view! { <li><a rel="prev" href=listing_href(tag_slug.as_deref(), page - 1)>{t(Msg::PreviousPage)}</a></li> })}
                        {(page < last_page).then(|| view! { <li><a rel="next" href=listing_href(tag_slug.as_deref(), page + 1)>{t(Msg::NextPage)}</a></li> })}
                    </ul>
                </nav>
            })}
        </section>
    }
}

/// Article cards in a grid (the list and, `nested` under a section heading, the home page).
#[component]
pub fn ArticleGrid(articles: Vec<ArticleCard>, #[prop(optional)] nested: bool) -> impl IntoView {
    view! {
        <div class="article-grid">
            {articles.into_iter().map(|card| view! { <ArticleCardView card nested/> }).collect_view()}
        </div>
    }
}

#[component]
fn ArticleCardView(card: ArticleCard, nested: bool) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/articles/{}", card.slug);
    view! {
        <article class="article-card" lang=card.lang.clone()>
            <a class="article-card__link" href=href>
                {card.cover.map(|cover| view! {
                    <img class="article-card__image" src=cover.src alt="" loading="lazy"
                        width=cover.width.unwrap_or(1200).to_string() height=cover.height.unwrap_or(675).to_string()/>
                })}
                {if nested {
                    view! { <h3 class="article-card__title">{card.title}</h3> }.into_any()
                } else {
                    view! { <h2 class="article-card__title">{card.title}</h2> }.into_any()
                }}
            </a>
            <p class="article-card__meta">
                <time datetime=card.published_at.to_rfc3339()>{long_day(locale, card.published_at)}</time>
                " · " {card.reading_minutes} " " {t(Msg::ArticleMinutes)}
            </p>
            <p class="article-card__summary">{card.summary}</p>
        </article>
    }
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let article = OnceResource::new(article_page(slug));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(article) => view! { <Article article/> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// schema.org `Article` of a page, for search engines.
pub fn article_json_ld(
    article: &ArticleView,
    absolute: impl Fn(&str) -> String,
) -> serde_json::Value {
    let card = &article.card;
    let url = absolute(&format!("/articles/{}", card.slug));
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": card.title,
        "description": card.summary,
        "inLanguage": card.lang,
        "datePublished": card.published_at.to_rfc3339(),
        "dateModified": article.updated_at.to_rfc3339(),
        "author": { "@type": "Person", "name": card.author },
        "publisher": {
            "@type": "Organization",
            "name": SITE_NAME,
            "logo": { "@type": "ImageObject", "url": absolute("/favicon.svg") },
        },
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "url": url,
        "keywords": card.tags.iter().map(|t| t.label.as_str()).collect::<Vec<_>>().join(", "),
    });
    if let Some(cover) = &card.cover {
        value["image"] = json!([absolute(&cover.src)]);
    }
    value
}

fn tag_list(tags: Vec<Tag>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label=t(Msg::ArticleTags)>
                {tags.into_iter().map(|tag| view! {
                    <li><a class="tag" href=listing_href(Some(&tag.slug), 1)>{tag.label}</a></li>
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn Article(article: ArticleView) -> impl IntoView {
    let locale = use_locale();
    let ld = article_json_ld(&article, absolute_url);
    let ld_breadcrumbs = crate::catalog::json_ld::breadcrumbs(
        &[
            (t(Msg::NavArticles).to_owned(), "/articles".to_owned()),
            (
                article.card.title.clone(),
                format!("/articles/{}", article.card.slug),
            ),
        ],
        absolute_url,
    );
    let ArticleView {
        card,
        html,
        updated_at,
        products,
    } = article;
    let path = format!("/articles/{}", card.slug);
    let foreign = card.lang != locale.code();
    let published = card.published_at.to_rfc3339();
    view! {
        <PageMeta title=card.title.clone() description=card.summary.clone() path
            image=card.cover.as_ref().map(|c| c.src.clone()).unwrap_or_else(|| "/img/hero.svg".to_owned())
            og_type="article"/>
        <Meta property="article:published_time" content=published.clone()/>
        <Meta property="article:modified_time" content=updated_at.to_rfc3339()/>
        <Meta property="article:author" content=card.author.clone()/>
        <JsonLd value=ld/>
        <JsonLd value=ld_breadcrumbs/>
        <article class="article" lang=card.lang.clone()>
            <header class="article__header container">
                <p class="breadcrumb"><a href="/articles">{t(Msg::NavArticles)}</a></p>
                <h1 class="article__title">{card.title}</h1>
                <p class="article__meta">
                    {t(Msg::ArticleBy)} " " <span class="article__author">{card.author}</span>
                    " · " <time datetime=published>{long_day(locale, card.published_at)}</time>
                    " · " {card.reading_minutes} " " {t(Msg::ArticleMinutes)}
                </p>
                {tag_list(card.tags)}
                {foreign.then(|| view! { <p class="article__language" lang=locale.code()>{language_note(locale, &card.lang)}</p> })}
            </header>
            {card.cover.map(|cover| view! {
                <img class="article__cover" src=cover.src alt=cover.alt
                    width=cover.width.unwrap_or(1200).to_string() height=cover.height.unwrap_or(675).to_string()/>
            })}
            <div class="article__content container">
                <p class="article__summary">{card.summary}</p>
                <div class="prose article__body" inner_html=html></div>
            </div>
        </article>
        {(!products.is_empty()).then(|| view! {
            <section class="section container" aria-labelledby="article-products">
                <h2 id="article-products">{t(Msg::ArticleRelatedProducts)}</h2>
                <ProductGrid products/>
            </section>
        })}
        <p class="container article__back"><a href="/articles">{t(Msg::ArticleAllArticles)}</a></p>
    }
}

fn language_note(locale: Locale, lang: &str) -> &'static str {
    locale.t(if lang == "en" {
        Msg::ArticleInEnglish
    } else {
        Msg::ArticleInFrench
    })
}
