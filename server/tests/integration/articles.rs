//! Research articles: the public list (pages, tags), the article page (JSON-LD, Open Graph,
//! related products), the feed and the sitemap; drafts and scheduled articles hidden; the
//! editors' tools (slugs, tags, products, history, covers) open to editors and staff only; and
//! whatever Markdown or HTML an editor types, no script reaches a reader.

use crate::support;

use app::db::entities::{article, article_revision};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use support::forms::{
    call, confirmed_account, location, page, png, post_form, role_session, staff_session,
    upload_image,
};
use support::{Backend, TestApp, spawn};

both_backends!(
    demo_articles_are_listed_filtered_and_described,
    drafts_and_scheduled_articles_stay_hidden,
    editors_reach_articles_only,
    an_editor_writes_and_the_log_keeps_who_changed_what,
    covers_are_checked_stored_and_served,
    no_payload_reaches_a_reader,
    article_pages_cost_a_fixed_number_of_queries,
);

/// The fields of the editor's form.
fn fields<'a>(
    id: &'a str,
    title: &'a str,
    body: &'a str,
    intent: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("id", id),
        ("title", title),
        ("slug", ""),
        ("lang", "fr"),
        (
            "summary",
            "Un résumé pour les listes et les moteurs de recherche.",
        ),
        ("body", body),
        ("author", ""),
        ("cover_alt", ""),
        ("tags", "Peau, Été"),
        ("products", "serum-eclat-vitamine-c"),
        ("publish_at", ""),
        ("intent", intent),
    ]
}

/// Saves the form (as a browser without JavaScript) and returns the article's id.
async fn save(app: &TestApp, cookies: &str, fields: &[(&str, &str)]) -> i32 {
    let answer = post_form(app, "/api/admin/articles/save", fields, cookies).await;
    let to = location(&answer);
    to.strip_prefix("/admin/articles/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("saved, got {} → {to}", answer.status()))
}

async fn stored(app: &TestApp, id: i32) -> article::Model {
    article::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn demo_articles_are_listed_filtered_and_described(backend: Backend) {
    let app = spawn(backend).await;
    let (status, html) = page(&app, "/articles", "").await;
    assert_eq!(status, StatusCode::OK);
    for title in [
        "Vieillissement de la peau",
        "Bien se démaquiller",
        "Le microbiote, un écosystème à ménager",
        "Soleil et actifs",
        "Collagène : ce que l'on sait",
        "lire une étiquette de cosmétique",
    ] {
        assert!(html.contains(title), "{title}");
    }
    // Newest first.
    let newest = html.find("lire une étiquette").unwrap();
    let oldest = html.find("Vieillissement de la peau").unwrap();
    assert!(newest < oldest);
    assert!(html.contains(r#"href="/articles?tag=nutrition""#));

    let (status, html) = page(&app, "/articles?tag=nutrition", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Le microbiote") && html.contains("Collagène"));
    assert!(!html.contains("Bien se démaquiller"));
    for missing in [
        "/articles?tag=inconnu",
        "/articles?page=2",
        "/articles?page=zero",
    ] {
        assert_eq!(
            page(&app, missing, "").await.0,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }

    let (status, html) = page(&app, "/articles/microbiote-ecosysteme", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<h2>Ce qui le nourrit</h2>"),
        "the body, rendered"
    );
    assert!(html.contains("min de lecture"));
    assert!(html.contains("Julien Arnaud, biologiste"));
    assert!(html.contains(r#"<meta property="og:type" content="article""#));
    assert!(
        html.contains(r#"property="article:published_time" content="2026-10-06T07:00:00+00:00""#)
    );
    assert!(html.contains(r#"/articles/microbiote-ecosysteme" rel="canonical">"#));
    let ld = json_ld(&html, "Article");
    assert_eq!(ld["headline"], "Le microbiote, un écosystème à ménager");
    assert_eq!(ld["author"]["name"], "Julien Arnaud, biologiste");
    assert_eq!(ld["datePublished"], "2026-10-06T07:00:00+00:00");
    assert!(
        ld["image"][0]
            .as_str()
            .unwrap()
            .ends_with("/img/articles/microbiote-ecosysteme.svg")
    );
    assert!(
        ld["mainEntityOfPage"]["@id"]
            .as_str()
            .unwrap()
            .ends_with("/articles/microbiote-ecosysteme")
    );
    // The related products, each with its "Add to cart".
    assert!(html.contains(r#"href="/products/ferments-lactiques""#));
    assert!(html.contains("add-to-cart"));
    assert_eq!(
        page(&app, "/articles/inconnu", "").await.0,
        StatusCode::NOT_FOUND
    );

    // The home page shows the three latest.
    let (_, home) = page(&app, "/", "").await;
    assert!(home.contains("/articles/lire-origine-naturelle"));
    assert!(!home.contains("/articles/vieillissement-cutane"));

    let feed = app.get("/feed.xml").await;
    assert_eq!(
        feed.headers()[CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    let feed = feed.text().await.unwrap();
    assert!(feed.starts_with("<?xml"));
    assert_eq!(feed.matches("<entry ").count(), 6);
    assert!(feed.contains("/articles/microbiote-ecosysteme</id>"));
    assert!(feed.contains(r#"<category term="nutrition" label="Nutrition"/>"#));
    assert!(
        feed.contains("&lt;h2&gt;Ce qui le nourrit&lt;/h2&gt;"),
        "escaped content"
    );
    let sitemap = app.get("/sitemap.xml").await.text().await.unwrap();
    assert!(sitemap.contains("/articles/microbiote-ecosysteme</loc><lastmod>2026-10-06</lastmod>"));
    assert!(sitemap.contains("/articles</loc>"));
}

/// The JSON-LD block of `@type` `kind` in `html`.
fn json_ld(html: &str, kind: &str) -> serde_json::Value {
    html.split(r#"<script type="application/ld+json""#)
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</script>")?;
            serde_json::from_str::<serde_json::Value>(&rest[start..end]).ok()
        })
        .find(|v| v["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} JSON-LD"))
}

async fn drafts_and_scheduled_articles_stay_hidden(backend: Backend) {
    let app = spawn(backend).await;
    let editor = editor_session(&app, "plume@exemple.fr").await;
    let id = save(
        &app,
        &editor,
        &fields(
            "",
            "Les antioxydants au quotidien",
            "Un texte en **cours**.",
            "save",
        ),
    )
    .await;
    let draft = stored(&app, id).await;
    assert_eq!(draft.slug, "les-antioxydants-au-quotidien");
    assert_eq!(draft.status, "draft");
    let url = "/articles/les-antioxydants-au-quotidien";
    let hidden = |what: &'static str| {
        let app = &app;
        async move {
            assert_eq!(
                page(app, url, "").await.0,
                StatusCode::NOT_FOUND,
                "{what}: page"
            );
            let (_, list) = page(app, "/articles", "").await;
            assert!(!list.contains("antioxydants"), "{what}: list");
            let feed = app.get("/feed.xml").await.text().await.unwrap();
            assert!(!feed.contains("antioxydants"), "{what}: feed");
            let sitemap = app.get("/sitemap.xml").await.text().await.unwrap();
            assert!(!sitemap.contains("antioxydants"), "{what}: sitemap");
            let api = call(
                app,
                "/api/article",
                &[("slug", "les-antioxydants-au-quotidien")],
                "",
            )
            .await;
            assert_eq!(
                api.status(),
                StatusCode::NOT_FOUND,
                "{what}: server function"
            );
        }
    };
    hidden("a draft").await;
    // Even its editor reads it only in the back office.
    assert_eq!(page(&app, url, &editor).await.0, StatusCode::NOT_FOUND);

    // Scheduled in two days: still hidden, then shown once the day comes.
    let later = (chrono::Utc::now() + chrono::Duration::days(2))
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let id_text = id.to_string();
    let mut scheduled = fields(
        &id_text,
        "Les antioxydants au quotidien",
        "Un texte en **cours**.",
        "publish",
    );
    scheduled.retain(|(name, _)| *name != "publish_at");
    scheduled.push(("publish_at", &later));
    assert_eq!(save(&app, &editor, &scheduled).await, id);
    assert_eq!(stored(&app, id).await.status, "published");
    hidden("a scheduled article").await;
    let (_, list) = page(&app, "/admin/articles", &editor).await;
    assert!(list.contains("Programmé"));

    app.clock.advance(chrono::Duration::days(3));
    let (status, html) = page(&app, url, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>cours</strong>"));
    let feed = app.get("/feed.xml").await.text().await.unwrap();
    assert!(feed.contains("antioxydants"));

    // Unpublished: gone again.
    let unpublish = fields(
        &id_text,
        "Les antioxydants au quotidien",
        "Un texte en **cours**.",
        "unpublish",
    );
    save(&app, &editor, &unpublish).await;
    hidden("an unpublished article").await;
}

async fn editors_reach_articles_only(backend: Backend) {
    let app = spawn(backend).await;
    let editor = editor_session(&app, "redaction@exemple.fr").await;
    let (status, html) = page(&app, "/admin/articles", &editor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nouvel article") && html.contains("Le microbiote"));
    assert_eq!(
        page(&app, "/admin/articles/new", &editor).await.0,
        StatusCode::OK
    );
    // The back office's home sends editors to their part.
    let home = app
        .get_with(
            "/admin",
            &[(ACCEPT, "text/html"), (COOKIE, editor.as_str())],
        )
        .await;
    assert!(home.status().is_redirection(), "{}", home.status());
    assert_eq!(location(&home), "/admin/articles");
    // Everything else is the staff's: pages and server functions alike.
    for path in [
        "/admin/outbox",
        "/admin/legal",
        "/admin/withdrawals",
        "/admin/subscriptions",
        "/admin/newsletter",
    ] {
        assert_eq!(
            page(&app, path, &editor).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for (path, fields) in [
        ("/api/admin/overview", vec![]),
        ("/api/admin/outbox", vec![("page", "0")]),
        (
            "/api/admin/legal/publish",
            vec![
                ("kind", "terms"),
                ("version", "x"),
                ("effective_on", "2030-01-01"),
                ("title_fr", "t"),
                ("title_en", ""),
                ("body_fr", "b"),
                ("body_en", ""),
            ],
        ),
        (
            "/api/orders/record-payment",
            vec![("number", "CB26-AAAAAA")],
        ),
        (
            "/api/orders/refund",
            vec![
                ("number", "CB26-AAAAAA"),
                ("reason", "x"),
                ("idempotency_key", "k"),
            ],
        ),
    ] {
        let answer = call(&app, path, &fields, &editor).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{path}");
    }

    // Customers and visitors reach none of the editors' tools.
    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "lectrice@exemple.fr", "vert-galet-lune-38").await
    );
    let before = article::Entity::find().count(&app.db).await.unwrap();
    for (cookies, status) in [
        (customer.as_str(), StatusCode::FORBIDDEN),
        ("", StatusCode::UNAUTHORIZED),
    ] {
        for (path, form) in [
            ("/api/admin/articles", vec![]),
            ("/api/admin/articles/editor", vec![("id", "1")]),
            ("/api/admin/articles/preview", vec![("body", "**x**")]),
            (
                "/api/admin/articles/save",
                fields("", "Intrus", "Texte", "publish"),
            ),
            ("/api/admin/articles/cover/remove", vec![("id", "1")]),
        ] {
            let answer = call(&app, path, &form, cookies).await;
            assert_eq!(answer.status(), status, "{path} as {cookies:?}");
        }
    }
    assert_eq!(
        page(&app, "/admin/articles", &customer).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        article::Entity::find().count(&app.db).await.unwrap(),
        before
    );

    // Staff have the editors' tools too.
    let staff = staff_session(&app).await;
    assert_eq!(
        page(&app, "/admin/articles", &staff).await.0,
        StatusCode::OK
    );
}

async fn an_editor_writes_and_the_log_keeps_who_changed_what(backend: Backend) {
    let app = spawn(backend).await;
    let editor = editor_session(&app, "auteure@exemple.fr").await;

    // The preview is the server's rendering.
    let preview = call(
        &app,
        "/api/admin/articles/preview",
        &[("body", "## Titre\n\n<script>alert(1)</script>\n\n*ok*")],
        &editor,
    )
    .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview: String = preview.json().await.unwrap();
    assert!(preview.contains("<h2>Titre</h2>") && preview.contains("<em>ok</em>"));
    assert!(!preview.contains("script"));

    let before = article::Entity::find().count(&app.db).await.unwrap();
    let body = "Premier paragraphe.\n\n## Une partie\n\nSuite.";
    let id = save(
        &app,
        &editor,
        &fields("", "Œillet & Été : l'éclat", body, "publish"),
    )
    .await;
    let model = stored(&app, id).await;
    assert_eq!(model.slug, "oeillet-ete-l-eclat");
    assert_eq!(
        model.author, "Camille Martin",
        "the editor's name by default"
    );
    assert!(model.published_at.is_some());
    let (status, html) = page(&app, "/articles/oeillet-ete-l-eclat", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"href="/articles?tag=ete""#) && html.contains(">Été</a>"));
    assert!(html.contains(r#"href="/products/serum-eclat-vitamine-c""#));

    // Refusals name the problem and write nothing.
    let id_text = id.to_string();
    for (name, value, expected) in [
        (
            "slug",
            "vieillissement-cutane",
            "déjà celle d'un autre article",
        ),
        ("slug", "Pas Un Slug", "Adresse invalide"),
        (
            "products",
            "serum-eclat-vitamine-c\nproduit-fantome",
            "produit-fantome",
        ),
        ("publish_at", "demain matin", "Date de publication invalide"),
        ("tags", "a, b, c, d, e, f, g, h, i", "Huit mots-clés"),
        ("title", "   ", "Donnez un titre"),
        ("lang", "de", "Langue inconnue"),
    ] {
        let mut form = fields(&id_text, "Œillet & Été : l'éclat", body, "save");
        form.retain(|(n, _)| *n != name);
        form.push((name, value));
        let answer = call(&app, "/api/admin/articles/save", &form, &editor).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{name}={value}");
        let text = answer.text().await.unwrap();
        assert!(text.contains(expected), "{name}={value}: {text}");
    }
    let mut publish_empty = fields("", "Sans texte", "   ", "publish");
    publish_empty.retain(|(n, _)| *n != "summary");
    publish_empty.push(("summary", ""));
    let answer = call(&app, "/api/admin/articles/save", &publish_empty, &editor).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        article::Entity::find().count(&app.db).await.unwrap(),
        before + 1
    );
    assert_eq!(stored(&app, id).await, model, "untouched");

    // A refused form without JavaScript comes back with what was typed.
    let mut refused = fields(&id_text, "Titre gardé", "Texte gardé", "save");
    refused.retain(|(n, _)| *n != "slug");
    refused.push(("slug", "vieillissement-cutane"));
    let answer = post_form(&app, "/api/admin/articles/save", &refused, &editor).await;
    assert!(answer.status().is_redirection());
    let (_, html) = page(&app, &format!("/admin/articles/{id}"), &editor).await;
    assert!(html.contains("Titre gardé") && html.contains("Texte gardé"));

    // A staff member edits it: the log says who did what.
    let staff = staff_session(&app).await;
    let mut edit = fields(
        &id_text,
        "Œillet & Été : l'éclat",
        "Premier paragraphe, revu.",
        "save",
    );
    edit.retain(|(n, _)| !["products", "author"].contains(n));
    edit.extend([("products", ""), ("author", "Camille Martin")]);
    save(&app, &staff, &edit).await;
    save(&app, &staff, &edit).await; // nothing changed: nothing logged
    let log = article_revision::Entity::find()
        .filter(article_revision::Column::ArticleId.eq(id))
        .order_by_asc(article_revision::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|r| (r.action.as_str(), r.fields.as_str()))
        .collect();
    assert_eq!(actions, [("created", ""), ("edited", "body,products")]);
    let (_, html) = page(&app, &format!("/admin/articles/{id}"), &editor).await;
    assert!(html.contains("Paul Blanc") && html.contains("Camille Martin"));
    assert!(html.contains("body, products"));
    let (_, html) = page(&app, "/articles/oeillet-ete-l-eclat", "").await;
    assert!(
        !html.contains(r#"href="/products/serum-eclat-vitamine-c""#),
        "no product left"
    );
    let (_, list) = page(&app, "/admin/articles", &editor).await;
    assert!(list.contains("Paul Blanc"), "last changed by");
}

async fn upload(app: &TestApp, id: i32, file: &[u8], cookies: &str) -> reqwest::Response {
    upload_image(
        app,
        &format!("/admin/articles/{id}/cover"),
        "cover",
        file,
        cookies,
    )
    .await
}

async fn editor_session(app: &TestApp, email: &str) -> String {
    role_session(app, email, "editor").await
}

async fn covers_are_checked_stored_and_served(backend: Backend) {
    let app = spawn(backend).await;
    let editor = editor_session(&app, "images@exemple.fr").await;
    let id = save(&app, &editor, &fields("", "Une image", "Texte.", "publish")).await;

    for (file, message) in [
        (
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
            "Format refusé",
        ),
        (png(300, 200, 2_000), "au moins 600 pixels"),
        (png(1600, 900, 1_600_000), "1,5 Mo"),
        (Vec::new(), "Choisissez une image"),
    ] {
        let answer = upload(&app, id, &file, &editor).await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&answer), format!("/admin/articles/{id}"));
        let (_, html) = page(&app, &format!("/admin/articles/{id}"), &editor).await;
        assert!(html.contains(message), "{message}");
        assert_eq!(stored(&app, id).await.cover_image, None);
    }
    assert_eq!(std::fs::read_dir(app.media.path()).unwrap().count(), 0);

    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "curieux@exemple.fr", "vert-galet-lune-38").await
    );
    let file = png(1600, 900, 40_000);
    assert_eq!(
        upload(&app, id, &file, &customer).await.status(),
        StatusCode::FORBIDDEN
    );
    assert!(location(&upload(&app, id, &file, "").await).starts_with("/account/sign-in"));
    assert_eq!(
        upload(&app, 999_999, &file, &editor).await.status(),
        StatusCode::NOT_FOUND
    );

    let answer = upload(&app, id, &file, &editor).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let model = stored(&app, id).await;
    let path = model.cover_image.clone().expect("a cover");
    assert!(
        path.starts_with("/media/") && path.ends_with(".png"),
        "{path}"
    );
    assert_eq!(
        (model.cover_width, model.cover_height),
        (Some(1600), Some(900))
    );
    let served = app.get(&path).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()[CONTENT_TYPE], "image/png");
    assert!(
        served.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(served.bytes().await.unwrap().as_ref(), file.as_slice());
    let (_, html) = page(&app, "/articles/une-image", "").await;
    assert!(html.contains(&format!(r#"src="{path}""#)) && html.contains(r#"width="1600""#));
    for bad in [
        "/media/../Cargo.toml",
        "/media/0123456789abcdef0123456789abcdef.svg",
        "/media/0123456789abcdef0123456789abcdef.png",
    ] {
        assert_eq!(app.get(bad).await.status(), StatusCode::NOT_FOUND, "{bad}");
    }

    let removed = post_form(
        &app,
        "/api/admin/articles/cover/remove",
        &[("id", &id.to_string())],
        &editor,
    )
    .await;
    assert!(removed.status().is_redirection());
    assert_eq!(stored(&app, id).await.cover_image, None);
}

/// Classic cross-site scripting payloads, in Markdown and in raw HTML.
const PAYLOADS: &[&str] = &[
    "<script>alert('xss1')</script>",
    "<img src=x onerror=alert('xss2')>",
    "<svg onload=alert('xss3')>",
    "<body onload=alert('xss4')>",
    "<iframe src=\"https://evil.example/xss5\"></iframe>",
    "<iframe srcdoc=\"<script>alert('xss6')</script>\"></iframe>",
    "[clic](javascript:alert('xss7'))",
    "[clic](JaVaScRiPt:alert('xss8'))",
    "<a href=\"javascript:alert('xss9')\">lien</a>",
    "<a href=\"&#106;avascript:alert('xss10')\">lien</a>",
    "![image](javascript:alert('xss11'))",
    "<div style=\"background:url(javascript:alert('xss12'))\">x</div>",
    "<object data=\"javascript:alert('xss13')\"></object>",
    "<embed src=\"javascript:alert('xss14')\">",
    "<form action=\"javascript:alert('xss15')\"><button>x</button></form>",
    "<input autofocus onfocus=alert('xss16')>",
    "<details open ontoggle=alert('xss17')>x</details>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss18')>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss20')\">",
    "<link rel=\"stylesheet\" href=\"javascript:alert('xss21')\">",
    "<base href=\"javascript:alert('xss22')//\">",
    "<video><source onerror=\"alert('xss23')\"></video>",
    "<scr<script>ipt>alert('xss24')</script>",
    "\"><script>alert('xss25')</script>",
    "<style>@import 'javascript:alert(26)';</style>",
    "[clic](vbscript:msgbox('xss27'))",
    "<a href=\"java\tscript:alert('xss28')\">x</a>",
    "<img src=\"x\" style=\"width:expression(alert('xss29'))\">",
    "<p onmouseover=\"alert('xss30')\">survol</p>",
];

/// The markup of `html` without its text, in lower case: text is escaped (`&lt;`), so every
/// `<` opens a tag. A payload may survive as harmless text ("onerror" in a sentence); only
/// markup can run.
fn markup(html: &str) -> String {
    let mut tags = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        tags.push_str(&rest[start..end].to_lowercase());
        tags.push('\n');
        rest = &rest[end..];
    }
    tags
}

/// What must never appear in the markup of a page a reader gets (lower case).
const FORBIDDEN: &[&str] = &[
    "<script>alert",
    "<iframe",
    "<object",
    "<embed",
    "<form action=\"javascript",
    "onerror",
    "onload",
    "onfocus",
    "ontoggle",
    "onmouseover",
    "javascript:",
    "&#106;avascript",
    "vbscript:",
    "data:text/html",
    "http-equiv",
    "<base ",
    "expression(",
    "@import",
];

async fn no_payload_reaches_a_reader(backend: Backend) {
    assert!(PAYLOADS.len() >= 20);
    let app = spawn(backend).await;
    let editor = editor_session(&app, "piege@exemple.fr").await;
    // The markers are absent from a clean article page: the check below can fail.
    let (_, clean) = page(&app, "/articles/microbiote-ecosysteme", "").await;
    let clean = markup(&clean);
    for marker in FORBIDDEN {
        assert!(!clean.contains(marker), "{marker} in a clean page");
    }
    assert!(markup("<p>a</p><img src=x onerror=alert(1)>").contains("onerror"));

    let body = format!("Texte sans danger.\n\n{}", PAYLOADS.join("\n\n"));
    let mut form = fields("", "Pièges", &body, "publish");
    form.retain(|(n, _)| *n != "slug");
    form.push(("slug", "pieges"));
    save(&app, &editor, &form).await;
    let (status, html) = page(&app, "/articles/pieges", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<p>Texte sans danger.</p>"),
        "the harmless text stays"
    );
    let tags = markup(&html);
    for marker in FORBIDDEN {
        assert!(!tags.contains(marker), "{marker} reached the page");
    }
    // The feed carries the same HTML, escaped once more: unescaped, its markup is as clean.
    let feed = app.get("/feed.xml").await.text().await.unwrap();
    let content = feed
        .split("<content type=\"html\">")
        .nth(1)
        .and_then(|c| c.split("</content>").next())
        .expect("the article's content");
    let html = content
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let tags = markup(&html);
    for marker in FORBIDDEN {
        assert!(!tags.contains(marker), "{marker} reached the feed");
    }

    // Title, summary, byline and image text are text: escaped wherever they appear.
    let mut form = fields(
        "",
        "</title><script>alert('titre')</script> Titre piégé",
        "Texte.",
        "publish",
    );
    form.retain(|(n, _)| !["slug", "summary", "author", "cover_alt"].contains(n));
    form.extend([
        ("slug", "titre-piege"),
        ("summary", "<img src=x onerror=alert('resume')>"),
        ("author", "<svg onload=alert('signature')>"),
        ("cover_alt", "\" onerror=\"alert('alt')"),
    ]);
    save(&app, &editor, &form).await;
    for path in ["/articles/titre-piege", "/articles", "/"] {
        let (_, html) = page(&app, path, "").await;
        for raw in [
            "<script>alert('titre')",
            "<img src=x onerror",
            "<svg onload",
        ] {
            assert!(!html.contains(raw), "{raw} in {path}");
        }
    }
    let (_, html) = page(&app, "/articles/titre-piege", "").await;
    assert!(
        html.contains("&lt;img src=x onerror=alert("),
        "the summary, as text"
    );
    assert!(
        html.contains("&lt;svg onload=alert("),
        "the byline, as text"
    );
    let ld = json_ld(&html, "Article");
    assert_eq!(
        ld["headline"],
        "</title><script>alert('titre')</script> Titre piégé"
    );
    assert!(
        html.contains("<title>&lt;/title&gt;&lt;script&gt;"),
        "the page title, escaped"
    );
    assert!(
        !html.contains("</script> Titre piégé"),
        "no early end of the JSON-LD"
    );
    let feed = app.get("/feed.xml").await.text().await.unwrap();
    assert!(feed.contains(
        "<title>&lt;/title&gt;&lt;script&gt;alert('titre')&lt;/script&gt; Titre piégé</title>"
    ));

    // The editor's own preview is cleaned the same way.
    let preview = call(
        &app,
        "/api/admin/articles/preview",
        &[("body", &body)],
        &editor,
    )
    .await;
    let preview: String = preview.json().await.unwrap();
    let tags = markup(&preview);
    for marker in FORBIDDEN {
        assert!(!tags.contains(marker), "{marker} reached the preview");
    }
}

async fn article_pages_cost_a_fixed_number_of_queries(backend: Backend) {
    use std::sync::atomic::Ordering;
    let app = spawn(backend).await;
    let mut costs = Vec::new();
    for round in 0..2 {
        if round == 1 {
            for n in 0..40 {
                let slug = format!("article-en-plus-{n}");
                let inserted = app::articles::service::seed(
                    &app.db,
                    &app::articles::service::SeedArticle {
                        slug: &slug,
                        title: "Un article de plus",
                        summary: "Pour compter les requêtes.",
                        body: "Texte.",
                        author: "Banc d'essai",
                        cover: "/img/hero.svg",
                        cover_alt: "",
                        tags: &["Peau", "Essai"],
                        products: &["serum-eclat-vitamine-c", "zinc-selenium"],
                        published_at: chrono::Utc::now() - chrono::Duration::hours(1),
                    },
                )
                .await
                .unwrap();
                assert!(inserted);
            }
        }
        let mut cost = Vec::new();
        for path in [
            "/articles",
            "/articles?tag=peau",
            "/articles/microbiote-ecosysteme",
            "/feed.xml",
        ] {
            app.queries.store(0, Ordering::SeqCst);
            assert_eq!(app.get(path).await.status(), StatusCode::OK, "{path}");
            cost.push(app.queries.load(Ordering::SeqCst));
        }
        costs.push(cost);
    }
    assert_eq!(costs[0], [4, 4, 4, 2], "queries per page");
    assert_eq!(costs[0], costs[1], "the same with 40 more articles");
}
