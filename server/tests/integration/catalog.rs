//! The catalogue through real HTTP on both engines: listing, search, filters, sort, pages,
//! product pages, 404/410, structured data, the sitemap, and the queries each page costs.

use crate::support;

use reqwest::StatusCode;
use scraper::{Html, Selector};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use std::sync::atomic::Ordering;
use support::{Backend, TestApp, another_instance, spawn, spawn_with};

both_backends!(
    catalogue_lists_every_product_with_price_unit_price_and_stock,
    search_ignores_case_accents_and_plurals,
    a_search_without_match_gets_a_friendly_empty_state,
    category_filter_keeps_only_that_category,
    sorts_order_by_price_name_and_newest,
    pagination_splits_the_catalogue_and_refuses_bad_pages,
    a_broad_search_ranks_its_newest_240_matches,
    product_page_shows_what_a_shopper_must_know,
    out_of_stock_products_say_so_and_offer_no_purchase,
    unknown_products_are_404_and_archived_ones_410,
    product_page_carries_json_ld_open_graph_and_canonical,
    sitemap_lists_active_products_and_categories,
    pages_cost_a_fixed_number_of_queries,
    pages_are_kept_until_the_content_changes,
    a_kept_page_has_a_fresh_nonce_and_follows_cookies_and_sessions,
    an_edit_through_one_instance_shows_on_another_within_the_bound,
    a_repeated_search_reuses_its_ranking_but_never_stale_products,
    search_follows_every_write_of_a_product,
    product_server_function_answers_json_with_status,
    migrations_roll_back_and_forward,
);

async fn page(app: &TestApp, path: &str) -> (StatusCode, Html) {
    let response = app.get(path).await;
    let status = response.status();
    (
        status,
        Html::parse_document(&response.text().await.unwrap()),
    )
}

pub(crate) fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

pub(crate) fn attr(html: &Html, selector: &str, name: &str) -> Option<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_owned)
}

fn card_names(html: &Html) -> Vec<String> {
    texts(html, ".product-grid .product-card__name")
}

/// "16,90 €" → 1690.
pub(crate) fn cents(french: &str) -> i64 {
    let digits: String = french.chars().filter(char::is_ascii_digit).collect();
    digits.parse().unwrap()
}

async fn catalogue_lists_every_product_with_price_unit_price_and_stock(backend: Backend) {
    let app = spawn(backend).await;
    let (status, html) = page(&app, "/products").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        card_names(&html).len(),
        24,
        "the 24 demo products on one page"
    );
    assert_eq!(texts(&html, ".listing__count"), ["24 produits"]);
    assert_eq!(texts(&html, "h1"), ["La boutique"]);
    let prices = texts(&html, ".product-grid .product-card__price strong");
    assert_eq!(prices.len(), 24);
    assert!(prices.iter().all(|p| p.ends_with('€')), "{prices:?}");
    assert_eq!(texts(&html, ".product-grid .product-card__unit").len(), 24);
    let stock = texts(&html, ".product-grid .stock");
    assert!(
        stock.contains(&"Plus que 2 en stock".to_owned()),
        "{stock:?}"
    );
    assert!(stock.contains(&"Rupture de stock".to_owned()), "{stock:?}");
    assert!(
        texts(&html, ".pagination").is_empty(),
        "one page needs no pagination"
    );
    // Every category can be picked, in the form and as a link.
    assert_eq!(texts(&html, "#filter-category option").len(), 7);
    assert_eq!(texts(&html, ".chips a").len(), 7);
}

async fn search_ignores_case_accents_and_plurals(backend: Backend) {
    let app = spawn(backend).await;
    for q in ["serum", "SÉRUM", "Sérum", "sérums", "ser"] {
        let (status, html) = page(&app, &format!("/products?q={q}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            card_names(&html).contains(&"Sérum éclat à la vitamine C".to_owned()),
            "{q}: {:?}",
            card_names(&html)
        );
    }
    let (_, html) = page(&app, "/products?q=karite").await;
    let names = card_names(&html);
    assert!(
        names.contains(&"Baume corps au karité".to_owned()),
        "{names:?}"
    );
    assert!(names.iter().all(|n| !n.contains("Magnésium")), "{names:?}");
    // Every word must match, as typed in any language the page offers.
    let (_, html) = page(&app, "/products?q=huile+karit%C3%A9").await;
    let names = card_names(&html);
    assert_eq!(names[0], "Baume corps au karité", "{names:?}");
    assert!(
        !names.contains(&"Sérum éclat à la vitamine C".to_owned()),
        "{names:?}"
    );
    let (_, html) = page(&app, "/products?q=shea+balm").await;
    assert_eq!(card_names(&html), ["Baume corps au karité"]);
    // A name match ranks above a mention in a description.
    let (_, html) = page(&app, "/products?q=magnesium").await;
    assert_eq!(card_names(&html)[0], "Magnésium marin & vitamine B6");
    // Query syntax is only text.
    let (status, _) = page(&app, "/products?q=%22%29+OR+*+NEAR%28").await;
    assert_eq!(status, StatusCode::OK);
}

async fn a_search_without_match_gets_a_friendly_empty_state(backend: Backend) {
    let app = spawn(backend).await;
    let (status, html) = page(&app, "/products?q=xylophone").await;
    assert_eq!(status, StatusCode::OK);
    assert!(card_names(&html).is_empty());
    assert_eq!(
        texts(&html, ".empty-state h2"),
        ["Aucun produit ne correspond"]
    );
    assert_eq!(
        attr(&html, ".empty-state a", "href").as_deref(),
        Some("/products")
    );
    assert_eq!(
        attr(&html, "#filter-q", "value").as_deref(),
        Some("xylophone")
    );
    assert_eq!(
        attr(&html, r#"meta[name="robots"]"#, "content").as_deref(),
        Some("noindex, follow"),
        "search results stay out of search engines"
    );
    let (status, html) = page(&app, &format!("/products?q={}", "a".repeat(101))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(texts(&html, "[role=alert] p")[1].contains("100 caractères"));
}

async fn category_filter_keeps_only_that_category(backend: Backend) {
    let app = spawn(backend).await;
    let (status, html) = page(&app, "/products?category=cheveux").await;
    assert_eq!(status, StatusCode::OK);
    let mut names = card_names(&html);
    names.sort();
    assert_eq!(
        names,
        [
            "Huile capillaire ricin & romarin",
            "Shampooing solide à l'ortie"
        ]
    );
    assert_eq!(texts(&html, "h1"), ["Cheveux"]);
    assert_eq!(
        texts(&html, r#".chips a[aria-current="page"]"#),
        ["Cheveux"]
    );
    assert_eq!(
        attr(&html, r#"link[rel="canonical"]"#, "href").unwrap(),
        app.url("/products?category=cheveux")
    );
    // Category and search together: only body-care products, the name match first.
    let (_, body_care) = page(&app, "/products?category=soin-corps").await;
    let body_care = card_names(&body_care);
    let (_, html) = page(&app, "/products?category=soin-corps&q=huile").await;
    let names = card_names(&html);
    assert_eq!(names[0], "Huile sèche satinée", "{names:?}");
    assert!(names.iter().all(|n| body_care.contains(n)), "{names:?}");
    let (status, _) = page(&app, "/products?category=no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = page(&app, "/products?category=%3Cscript%3E").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn sorts_order_by_price_name_and_newest(backend: Backend) {
    let app = spawn(backend).await;
    let (_, html) = page(&app, "/products?sort=price-asc").await;
    let prices: Vec<i64> = texts(&html, ".product-grid .product-card__price strong")
        .iter()
        .map(|p| cents(p))
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    assert_eq!(prices[0], 790);
    let (_, html) = page(&app, "/products?sort=price-desc").await;
    let prices: Vec<i64> = texts(&html, ".product-grid .product-card__price strong")
        .iter()
        .map(|p| cents(p))
        .collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");
    // Names sort as a French reader expects: accents with their letter.
    let (_, html) = page(&app, "/products?sort=name").await;
    let names = card_names(&html);
    let folded: Vec<String> = names
        .iter()
        .map(|n| app::catalog::search::name_key(n))
        .collect();
    assert!(folded.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    assert_eq!(names[0], "Ashwagandha bio");
    // Newest first.
    let product = support::shop::product_by_slug(&app, "zinc-selenium").await;
    let mut active: app::db::entities::product::ActiveModel = product.into();
    active.created_at = Set(chrono::Utc::now() + chrono::Duration::hours(1));
    active.update(&app.db).await.unwrap();
    let (_, html) = page(&app, "/products?sort=newest").await;
    assert_eq!(card_names(&html)[0], "Zinc & sélénium");
    // The sort menu shows the current choice.
    assert_eq!(
        texts(&html, "#filter-sort option[selected]"),
        ["Nouveautés"]
    );
}

async fn pagination_splits_the_catalogue_and_refuses_bad_pages(backend: Backend) {
    let app = spawn(backend).await;
    server::seed::seed_synthetic(&app.db, 60).await.unwrap();
    let (_, html) = page(&app, "/products").await;
    assert_eq!(card_names(&html).len(), 24);
    assert_eq!(texts(&html, ".listing__count"), ["60 produits"]);
    assert_eq!(texts(&html, ".pagination__status"), ["Page 1 sur 3"]);
    assert_eq!(
        attr(&html, r#"a[rel="next"]"#, "href").as_deref(),
        Some("/products?page=2")
    );
    let (_, html) = page(&app, "/products?page=3").await;
    assert_eq!(card_names(&html).len(), 12);
    assert!(attr(&html, r#"a[rel="next"]"#, "href").is_none());
    assert_eq!(
        attr(&html, r#"a[rel="prev"]"#, "href").as_deref(),
        Some("/products?page=2")
    );
    // Pages hold distinct products.
    let hrefs = |html: &Html| {
        let selector = Selector::parse(".product-grid .product-card__link").unwrap();
        html.select(&selector)
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect::<Vec<_>>()
    };
    let (_, first) = page(&app, "/products?page=1").await;
    let (_, second) = page(&app, "/products?page=2").await;
    let first = hrefs(&first);
    assert!(hrefs(&second).iter().all(|h| !first.contains(h)));
    // The search and the sort survive in page links.
    let (_, html) = page(&app, "/products?q=demonstration&sort=name").await;
    assert_eq!(texts(&html, ".listing__count"), ["36 produits"]);
    assert_eq!(
        attr(&html, r#"a[rel="next"]"#, "href").as_deref(),
        Some("/products?q=demonstration&sort=name&page=2")
    );
    let (status, _) = page(&app, "/products?page=4").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "past the last page");
    for bad in ["page=0", "page=-1", "page=deux", "sort=cheapest"] {
        let (status, html) = page(&app, &format!("/products?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(texts(&html, "h1"), ["Adresse incorrecte"], "{bad}");
    }
}

/// Past 240 matches a search by relevance ranks the newest 240 (ten pages): the page says
/// "more than", pages stop at the 240th match, and name matches still come first. Sorted
/// otherwise, the same search counts to the same floor and pages on.
async fn a_broad_search_ranks_its_newest_240_matches(backend: Backend) {
    let app = spawn(backend).await;
    // Every synthetic product says "démonstration" in its description.
    server::seed::seed_synthetic(&app.db, 1_124).await.unwrap();
    let (_, html) = page(&app, "/products?q=demonstration").await;
    assert_eq!(texts(&html, ".listing__count"), ["Plus de 240 produits"]);
    assert_eq!(card_names(&html).len(), 24);
    assert_eq!(texts(&html, ".pagination__status"), ["Page 1 sur 10"]);
    // 240 ranked matches: ten full pages, then nothing.
    assert!(texts(&html, ".listing__window-end").is_empty());
    let (status, html) = page(&app, "/products?q=demonstration&page=10").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(card_names(&html).len(), 24);
    assert!(attr(&html, r#"a[rel="next"]"#, "href").is_none());
    // The last ranked page says why it is the last, and how to see the rest.
    let end = texts(&html, ".listing__window-end");
    assert!(
        end[0].starts_with("La pertinence classe les 240 produits"),
        "{end:?}"
    );
    let (status, _) = page(&app, "/products?q=demonstration&page=11").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Sorted by price: counted to the same floor, in price order across pages, past the
    // window; a price just lowered puts its product first at once.
    let newest = app::db::entities::product::Entity::find()
        .filter(app::db::entities::product::Column::Sku.starts_with("SYN-"))
        .order_by_desc(app::db::entities::product::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut cheap: app::db::entities::product::ActiveModel = newest.clone().into();
    cheap.price_cents = Set(1);
    cheap.update(&app.db).await.unwrap();
    let prices = |html: &Html| {
        texts(html, ".product-grid .product-card__price strong")
            .iter()
            .map(|p| cents(p))
            .collect::<Vec<_>>()
    };
    let (_, html) = page(&app, "/products?q=demonstration&sort=price-asc").await;
    assert_eq!(texts(&html, ".listing__count"), ["Plus de 240 produits"]);
    assert_eq!(card_names(&html)[0], newest.name_fr);
    let first = prices(&html);
    assert_eq!(first[0], 1);
    assert!(first.is_sorted(), "{first:?}");
    let (_, html) = page(&app, "/products?q=demonstration&sort=price-asc&page=2").await;
    let second = prices(&html);
    assert!(
        second.is_sorted() && first[23] <= second[0],
        "{first:?} {second:?}"
    );
    let (status, html) = page(&app, "/products?q=demonstration&sort=price-asc&page=11").await;
    assert_eq!(status, StatusCode::OK, "other sorts page past the window");
    assert_eq!(card_names(&html).len(), 24);
    assert!(texts(&html, ".listing__window-end").is_empty());
    // Two words, one in the name: the name matches fill the first pages, in order, no repeats.
    let (_, first_page) = page(&app, "/products?q=demonstration+huile").await;
    let (_, second_page) = page(&app, "/products?q=demonstration+huile&page=2").await;
    let (first, second) = (card_names(&first_page), card_names(&second_page));
    assert_eq!(first.len(), 24);
    assert!(
        first.iter().chain(&second).all(|n| n.starts_with("Huile")),
        "{first:?} {second:?}"
    );
    let links = |html: &Html| {
        let selector = Selector::parse(".product-grid .product-card__link").unwrap();
        html.select(&selector)
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect::<Vec<_>>()
    };
    let (first, second) = (links(&first_page), links(&second_page));
    assert!(
        second.iter().all(|h| !first.contains(h)),
        "{first:?} {second:?}"
    );
}

async fn product_page_shows_what_a_shopper_must_know(backend: Backend) {
    let app = spawn(backend).await;
    let (status, html) = page(&app, "/products/magnesium-marin-b6").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "h1"), ["Magnésium marin & vitamine B6"]);
    assert_eq!(
        texts(&html, ".product-page__price strong"),
        ["16,90\u{202F}€"]
    );
    assert_eq!(
        texts(&html, ".product-page__vat"),
        ["TVA 5,5\u{a0}% incluse"]
    );
    assert!(texts(&html, ".product-page__unit")[0].contains("le kg"));
    assert_eq!(texts(&html, ".product-page__buy .stock"), ["En stock"]);
    assert!(texts(&html, ".product-page__lead")[0].starts_with("Expédié sous"));
    let headings = texts(&html, ".product-page__details h2");
    assert_eq!(
        headings,
        [
            "Description",
            "Composition",
            "Conseils d'utilisation",
            "Précautions d'emploi"
        ]
    );
    assert!(texts(&html, ".supplement-warning p")[0].contains("ne sont pas des médicaments"));
    assert!(texts(&html, ".subscription-offer p")[0].contains("1, 2 ou 3 mois"));
    assert_eq!(texts(&html, ".gallery__slide img").len(), 2, "two pictures");
    let related = texts(&html, "[aria-labelledby=related-title] .product-card__name");
    assert!(!related.is_empty() && related.len() <= 4, "{related:?}");
    assert!(!related.contains(&"Magnésium marin & vitamine B6".to_owned()));
    // A cosmetic: 20 % VAT, no supplement warning, no subscription.
    let (_, html) = page(&app, "/products/baume-corps-karite").await;
    assert_eq!(
        texts(&html, ".product-page__vat"),
        ["TVA 20\u{a0}% incluse"]
    );
    assert!(texts(&html, ".supplement-warning").is_empty());
    assert!(texts(&html, ".subscription-offer").is_empty());
    assert!(
        texts(&html, ".product-page__unit")[0].contains("le kg")
            || texts(&html, ".product-page__unit")[0].contains("le litre")
    );
    // Few left.
    let (_, html) = page(&app, "/products/safran-griffonia").await;
    assert_eq!(
        texts(&html, ".product-page__buy .stock"),
        ["Plus que 2 en stock"]
    );
    // In English.
    let response = app
        .get_with(
            "/products/magnesium-marin-b6",
            &[(reqwest::header::COOKIE, "lang=en")],
        )
        .await;
    let html = Html::parse_document(&response.text().await.unwrap());
    assert_eq!(texts(&html, ".product-page__vat"), ["incl. 5.5% VAT"]);
    assert!(texts(&html, ".supplement-warning p")[0].contains("not medicines"));
}

async fn out_of_stock_products_say_so_and_offer_no_purchase(backend: Backend) {
    let app = spawn(backend).await;
    let (status, html) = page(&app, "/products/huile-seche-corps").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&html, ".product-page__buy .stock"),
        ["Rupture de stock"]
    );
    assert!(texts(&html, ".notice")[0].contains("ne peut pas être commandé"));
    assert!(texts(&html, ".product-page__lead").is_empty());
    let (_, html) = page(&app, "/products/huile-seche-corps").await;
    assert!(texts(&html, "form[action='/cart'], button[name='add']").is_empty());
    let ld = json_ld(&html, "Product");
    assert_eq!(
        ld["offers"]["availability"],
        "https://schema.org/OutOfStock"
    );
}

fn json_ld(html: &Html, kind: &str) -> serde_json::Value {
    let selector = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    html.select(&selector)
        .map(|e| serde_json::from_str::<serde_json::Value>(&e.inner_html()).unwrap())
        .find(|v| v["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} JSON-LD"))
}

async fn unknown_products_are_404_and_archived_ones_410(backend: Backend) {
    let app = spawn(backend).await;
    let (status, html) = page(&app, "/products/no-such-product").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(texts(&html, "h1"), ["Page introuvable"]);
    use app::db::entities::product;
    let archived = support::shop::product_by_slug(&app, "spiruline-bio").await;
    let mut active: product::ActiveModel = archived.into();
    active.status = Set("archived".into());
    active.update(&app.db).await.unwrap();
    let (status, html) = page(&app, "/products/spiruline-bio").await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(texts(&html, "h1"), ["Ce produit n'est plus vendu"]);
    assert_eq!(
        attr(&html, ".status-page a.button--primary", "href").as_deref(),
        Some("/products")
    );
    // Gone from the listing, the search and the sitemap.
    let (_, html) = page(&app, "/products").await;
    assert_eq!(card_names(&html).len(), 23);
    let (_, html) = page(&app, "/products?q=spiruline").await;
    assert!(card_names(&html).is_empty());
    let sitemap = app.get("/sitemap.xml").await.text().await.unwrap();
    assert!(!sitemap.contains("/products/spiruline-bio"));
}

async fn product_page_carries_json_ld_open_graph_and_canonical(backend: Backend) {
    let app = spawn(backend).await;
    let (_, html) = page(&app, "/products/serum-eclat-vitamine-c").await;
    // The public URL of the test server is its own address.
    let base = app.base.as_str();
    let ld = json_ld(&html, "Product");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["name"], "Sérum éclat à la vitamine C");
    assert_eq!(ld["sku"], "CB-VIS-001");
    assert_eq!(ld["brand"]["name"], "Comptoir Botanique");
    assert_eq!(ld["offers"]["@type"], "Offer");
    assert_eq!(ld["offers"]["price"], "34.00");
    assert_eq!(ld["offers"]["priceCurrency"], "EUR");
    assert_eq!(ld["offers"]["availability"], "https://schema.org/InStock");
    assert_eq!(ld["url"], format!("{base}/products/serum-eclat-vitamine-c"));
    assert!(ld["image"][0].as_str().unwrap().starts_with(base));
    let crumbs = json_ld(&html, "BreadcrumbList");
    assert_eq!(crumbs["itemListElement"].as_array().unwrap().len(), 3);
    let meta = |property: &str| attr(&html, &format!(r#"meta[property="{property}"]"#), "content");
    assert_eq!(meta("og:type").as_deref(), Some("product"));
    assert_eq!(
        meta("og:title").as_deref(),
        Some("Sérum éclat à la vitamine C")
    );
    assert_eq!(
        meta("og:url"),
        Some(format!("{base}/products/serum-eclat-vitamine-c"))
    );
    assert!(meta("og:image").unwrap().starts_with(base));
    assert_eq!(
        attr(&html, r#"link[rel="canonical"]"#, "href"),
        Some(format!("{base}/products/serum-eclat-vitamine-c"))
    );
    assert_eq!(
        texts(&html, "title"),
        ["Sérum éclat à la vitamine C — Comptoir Botanique"]
    );
    assert!(
        attr(&html, r#"meta[name="description"]"#, "content")
            .unwrap()
            .contains("98 %")
    );
    assert!(attr(&html, r#"meta[name="robots"]"#, "content").is_none());
}

async fn sitemap_lists_active_products_and_categories(backend: Backend) {
    let app = spawn(backend).await;
    let response = app.get("/sitemap.xml").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let body = response.text().await.unwrap();
    assert!(body.starts_with("<?xml"));
    // The public URL of the test server is its own address.
    let base = app.base.as_str();
    assert_eq!(
        body.matches("<loc>").count(),
        2 + 6 + 1 + 6 + 24,
        "home, shop, 6 categories, the articles and their 6 pages, 24 products"
    );
    for slug in [
        "magnesium-marin-b6",
        "huile-capillaire-ricin",
        "huile-seche-corps",
    ] {
        assert!(
            body.contains(&format!("<loc>{base}/products/{slug}</loc><lastmod>")),
            "{slug}"
        );
    }
    assert!(body.contains(&format!("<loc>{base}/products?category=soin-visage</loc>")));
    let robots = app.get("/robots.txt").await.text().await.unwrap();
    assert!(
        robots.contains(&format!("Sitemap: {base}/sitemap.xml")),
        "{robots}"
    );
}

async fn pages_cost_a_fixed_number_of_queries(backend: Backend) {
    // Uncached: what a first search costs.
    let app = spawn_with(backend, |s| {
        s.app.search_cache_seconds = 0;
        s.app.page_cache_entries = 0;
    })
    .await;
    let mut costs = Vec::new();
    for round in 0..2 {
        if round == 1 {
            server::seed::seed_synthetic(&app.db, 300).await.unwrap();
        }
        let mut cost = Vec::new();
        for path in [
            "/",
            "/products",
            "/products?q=huile&sort=price-asc",
            "/products?category=soin-visage&q=creme",
            "/products/magnesium-marin-b6",
        ] {
            app.queries.store(0, Ordering::SeqCst);
            assert_eq!(app.get(path).await.status(), StatusCode::OK, "{path}");
            cost.push(app.queries.load(Ordering::SeqCst));
        }
        costs.push(cost);
    }
    // The home page: featured products, categories, latest articles and the next scheduled one.
    // A product page: its product and category, images, related products, published reviews.
    assert_eq!(costs[0], [4, 3, 3, 3, 4], "queries per page");
    assert_eq!(costs[0], costs[1], "the same with 300 products");
}

async fn pages_are_kept_until_the_content_changes(backend: Backend) {
    use app::db::entities::product;
    let app = spawn(backend).await;
    let paths = [
        "/",
        "/products",
        "/products?q=huile&sort=price-asc",
        "/products?category=soin-visage",
        "/products/magnesium-marin-b6",
        "/products/no-such-product",
        "/products?page=99",
    ];
    let cost = |path: &'static str| {
        let app = &app;
        async move {
            app.queries.store(0, Ordering::SeqCst);
            let status = app.get(path).await.status();
            (status, app.queries.load(Ordering::SeqCst))
        }
    };
    for path in paths {
        let (status, first) = cost(path).await;
        let (again, kept) = cost(path).await;
        assert_eq!(status, again, "{path}");
        assert!(first > 1, "{path} read the database first ({first})");
        // Only the content version is read again (the tests read it on every use): once for
        // a whole page kept, and once more for the data of a missing page (a 404 page is
        // rendered each time, from the data kept).
        let versions = if status == StatusCode::OK { 1 } else { 2 };
        assert_eq!(kept, versions, "{path} came from memory");
    }
    // Any change to a product, whoever makes it, shows on the next page.
    let magnesium = support::shop::product_by_slug(&app, "magnesium-marin-b6").await;
    let mut changed: product::ActiveModel = magnesium.clone().into();
    changed.price_cents = Set(magnesium.price_cents + 500);
    changed.update(&app.db).await.unwrap();
    let (_, html) = page(&app, "/products/magnesium-marin-b6").await;
    let price = texts(&html, ".product-page__price strong");
    assert_eq!(cents(&price[0]), magnesium.price_cents + 500, "{price:?}");
    let mut emptied: product::ActiveModel = magnesium.into();
    emptied.stock = Set(0);
    emptied.update(&app.db).await.unwrap();
    let (_, html) = page(&app, "/products/magnesium-marin-b6").await;
    assert_eq!(
        texts(&html, ".product-page__buy .stock"),
        ["Rupture de stock"]
    );
    // An article scheduled for later shows on the home page once its time has come, with
    // nothing else changed.
    let (_, before) = page(&app, "/").await;
    let scheduled = app::articles::service::SeedArticle {
        slug: "a-paraitre",
        title: "Un article à paraître",
        summary: "Programmé.",
        body: "Texte.",
        author: "Rédaction",
        cover: "/img/hero.svg",
        cover_alt: "",
        tags: &[],
        products: &[],
        published_at: chrono::Utc::now() + chrono::Duration::hours(1),
    };
    assert!(
        app::articles::service::seed(&app.db, &scheduled)
            .await
            .unwrap()
    );
    assert!(!before.html().contains("Un article à paraître"));
    let (_, html) = page(&app, "/").await;
    assert!(!html.html().contains("Un article à paraître"), "not yet");
    let (_, kept) = cost("/").await;
    assert_eq!(kept, 1, "the home page is kept until then");
    app.clock.advance(chrono::Duration::hours(2));
    let (_, html) = page(&app, "/").await;
    assert!(
        html.html().contains("Un article à paraître"),
        "published at its time"
    );
}

async fn a_kept_page_has_a_fresh_nonce_and_follows_cookies_and_sessions(backend: Backend) {
    let app = spawn(backend).await;
    let nonce_of = |response: &reqwest::Response| {
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let start = policy.find("'nonce-").expect("a nonce in the policy") + 7;
        policy[start..start + policy[start..].find('\'').unwrap()].to_owned()
    };
    let mut nonces = Vec::new();
    for _ in 0..3 {
        app.queries.store(0, Ordering::SeqCst);
        let response = app.get("/products/magnesium-marin-b6").await;
        assert_eq!(response.status(), StatusCode::OK);
        let nonce = nonce_of(&response);
        let html = response.text().await.unwrap();
        // Every script of the page carries the nonce its policy names.
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "the page's scripts carry {nonce}"
        );
        nonces.push(nonce);
    }
    assert_eq!(
        app.queries.load(Ordering::SeqCst),
        1,
        "the last one came from memory"
    );
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a nonce is never sent twice: {nonces:?}");
    // Another language is another page.
    let english = app
        .get_with("/", &[(reqwest::header::COOKIE, "lang=en")])
        .await
        .text()
        .await
        .unwrap();
    assert!(english.contains("<html lang=\"en\""), "English for lang=en");
    let french = app.get("/").await.text().await.unwrap();
    assert!(french.contains("<html lang=\"fr\""));
    // A signed-in customer's page is never kept nor answered from memory.
    let session =
        support::forms::confirmed_account(&app, "garde@exemple.fr", "plume-encre-papier-42").await;
    let cookie = format!("comptoir_session={session}");
    for _ in 0..2 {
        app.queries.store(0, Ordering::SeqCst);
        let response = app
            .get_with("/", &[(reqwest::header::COOKIE, cookie.as_str())])
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            app.queries.load(Ordering::SeqCst) > 1,
            "rendered for the session"
        );
    }
}

async fn an_edit_through_one_instance_shows_on_another_within_the_bound(backend: Backend) {
    let bound = std::time::Duration::from_millis(1_500);
    let bounded = |s: &mut server::settings::Settings| {
        s.app.content_check_ms = u64::try_from(bound.as_millis()).unwrap();
    };
    let first = spawn_with(backend, bounded).await;
    let second = another_instance(&first, bounded).await;
    let path = "/products/magnesium-marin-b6";
    let stock = |html: &Html| texts(html, ".product-page__buy .stock");
    // Both instances keep the page.
    for app in [&first, &second] {
        let (status, html) = page(app, path).await;
        assert_eq!(status, StatusCode::OK);
        assert_ne!(stock(&html), ["Rupture de stock"]);
    }
    // Staff take the whole stock out through the first instance.
    let staff = support::forms::staff_session(&first).await;
    let magnesium = support::shop::product_by_slug(&first, "magnesium-marin-b6").await;
    let taken = support::forms::call(
        &first,
        "/api/admin/products/stock",
        &[
            ("id", magnesium.id.to_string().as_str()),
            ("delta", format!("-{}", magnesium.stock).as_str()),
            ("reason", "Inventaire"),
        ],
        &staff,
    )
    .await;
    assert!(taken.status().is_success(), "{}", taken.status());
    let changed_at = std::time::Instant::now();
    // At once on the instance that made the change.
    let (_, html) = page(&first, path).await;
    assert_eq!(stock(&html), ["Rupture de stock"], "the editing instance");
    // Within the bound on the other one.
    loop {
        let (_, html) = page(&second, path).await;
        if stock(&html) == ["Rupture de stock"] {
            break;
        }
        assert!(
            changed_at.elapsed() < bound + std::time::Duration::from_millis(500),
            "still in stock on the other instance after {:?}",
            changed_at.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn a_repeated_search_reuses_its_ranking_but_never_stale_products(backend: Backend) {
    use app::db::entities::product;
    // The ranking cache alone (the page cache would answer the repeated search itself).
    let app = spawn_with(backend, |s| s.app.page_cache_entries = 0).await;
    let path = "/products?q=huile";
    async fn searched(app: &TestApp, path: &str) -> (usize, Vec<String>, Html) {
        app.queries.store(0, Ordering::SeqCst);
        let (status, html) = page(app, path).await;
        assert_eq!(status, StatusCode::OK);
        (app.queries.load(Ordering::SeqCst), card_names(&html), html)
    }
    let (first_cost, first, _) = searched(&app, path).await;
    assert!(first.len() >= 2, "{first:?}");
    let (again_cost, again, _) = searched(&app, path).await;
    assert_eq!(again, first);
    assert_eq!((first_cost, again_cost), (3, 2), "the ranking is reused");
    // A price changed meanwhile shows at once.
    let top = product::Entity::find()
        .filter(product::Column::NameFr.eq(first[0].as_str()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut changed: product::ActiveModel = top.clone().into();
    changed.price_cents = Set(top.price_cents + 1_000);
    changed.update(&app.db).await.unwrap();
    let (_, _, html) = searched(&app, path).await;
    let prices = texts(&html, ".product-grid .product-card__price strong");
    assert_eq!(cents(&prices[0]), top.price_cents + 1_000, "{prices:?}");
    // A product archived meanwhile is gone, and the count says so.
    let mut archived: product::ActiveModel = top.into();
    archived.status = Set("archived".into());
    archived.update(&app.db).await.unwrap();
    let (_, names, html) = searched(&app, path).await;
    assert_eq!(names, first[1..]);
    let (_, names, _) = searched(&app, path).await;
    assert_eq!(names, first[1..]);
    let count = texts(&html, ".listing__count").join(" ");
    assert!(count.starts_with(&(first.len() - 1).to_string()), "{count}");
}

/// Search sees each write of a product at once, in the write's transaction (SQLite's FTS
/// index and PostgreSQL's `product_search` table are both kept by triggers): new words, a move
/// to another category, archiving and putting back on sale.
async fn search_follows_every_write_of_a_product(backend: Backend) {
    use app::db::entities::{category, product};
    let app = spawn_with(backend, |s| s.app.search_cache_seconds = 0).await;
    let magnesium = support::shop::product_by_slug(&app, "magnesium-marin-b6").await;
    let face = category::Entity::find()
        .filter(category::Column::Slug.eq("soin-visage"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let name = "Magnésium marin & vitamine B6";
    let found = |path: &'static str| {
        let app = &app;
        async move { card_names(&page(app, path).await.1) }
    };
    assert!(found("/products?q=perle").await.is_empty());
    // New words in its name: found by them, first (a name match), and no longer by the old.
    let mut renamed: product::ActiveModel = magnesium.clone().into();
    renamed.search_title = Set("perle marine magnesium".into());
    renamed.update(&app.db).await.unwrap();
    assert_eq!(found("/products?q=perle").await, [name]);
    assert_eq!(found("/products?q=perle+marine").await, [name]);
    // Moved to the face care: found there, no longer in its own category.
    let own = category::Entity::find_by_id(magnesium.category_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut moved: product::ActiveModel = magnesium.clone().into();
    moved.category_id = Set(face.id);
    moved.update(&app.db).await.unwrap();
    let in_face = card_names(&page(&app, "/products?category=soin-visage&q=perle").await.1);
    assert_eq!(in_face, [name]);
    let in_own = page(&app, &format!("/products?category={}&q=perle", own.slug)).await;
    assert!(card_names(&in_own.1).is_empty());
    // Archived: gone from every search; on sale again: back.
    let mut archived: product::ActiveModel = magnesium.clone().into();
    archived.status = Set("archived".into());
    archived.update(&app.db).await.unwrap();
    assert!(found("/products?q=perle").await.is_empty());
    assert!(found("/products?q=perle&sort=price-asc").await.is_empty());
    let mut back: product::ActiveModel = magnesium.into();
    back.status = Set("active".into());
    back.update(&app.db).await.unwrap();
    assert_eq!(found("/products?q=perle&sort=name").await, [name]);
}

async fn product_server_function_answers_json_with_status(backend: Backend) {
    let app = spawn(backend).await;
    let response = app
        .get("/api/catalog/product?slug=magnesium-marin-b6&locale=Fr")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["name"], "Magnésium marin & vitamine B6");
    assert_eq!(json["price"], "16.90");
    let response = app.get("/api/catalog/product?slug=nope&locale=Fr").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app.get("/api/catalog/product?locale=Fr").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

async fn migrations_roll_back_and_forward(backend: Backend) {
    use sea_orm_migration::MigratorTrait;
    let app = spawn(backend).await;
    // One connection of its own: on SQLite, a pooled connection may still read the schema of
    // before a DROP and refuse to re-create an index it believes exists.
    let db = app::db::connect(&app.database_url, 1).await.unwrap();
    app::db::migrations::Migrator::down(&db, None)
        .await
        .unwrap();
    app::db::migrations::Migrator::up(&db, None).await.unwrap();
    db.close().await.unwrap();
    let report = server::seed::seed_demo(&app.db).await.unwrap();
    assert_eq!(report.products, 24);
    let (_, html) = page(&app, "/products?q=karite").await;
    assert_eq!(card_names(&html)[0], "Baume corps au karité");
}
