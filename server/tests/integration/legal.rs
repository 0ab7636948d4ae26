//! Legal pages: every page readable in both languages, versions with effective dates (older
//! ones readable, checkout asking for the one in force and the order keeping it), staff-only
//! publishing, Markdown sanitised.

use crate::support;

use app::db::entities::legal_document;
use app::orders::rules::TERMS_VERSION;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use support::forms::{call, confirmed_account, location, page, post_form, staff_session};
use support::shop::{fill, key, orders, place, product_by_slug};
use support::{Backend, spawn};

both_backends!(
    every_legal_page_reads_in_both_languages,
    new_terms_take_effect_on_their_date_and_old_ones_stay_readable,
    only_staff_publish_and_bad_versions_write_nothing,
    published_markdown_is_sanitised,
);

async fn every_legal_page_reads_in_both_languages(backend: Backend) {
    let app = spawn(backend).await;
    for (path, fr, en) in [
        (
            "/legal/terms",
            "Conditions générales de vente",
            "Terms of sale",
        ),
        (
            "/legal/withdrawal",
            "Formulaire de rétractation",
            "Withdrawal form",
        ),
        (
            "/legal/privacy",
            "Politique de confidentialité",
            "Privacy policy",
        ),
        ("/legal/cookies", "comptoir_consent", "comptoir_consent"),
        (
            "/legal/notice",
            "TVA intracommunautaire FR 27 912345678",
            "EU VAT FR 27 912345678",
        ),
    ] {
        let (status, html) = page(&app, path, "").await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(fr), "{path}: {fr}");
        assert!(html.contains("en vigueur depuis le 01/11/2026"), "{path}");
        let (status, html) = page(&app, path, "lang=en").await;
        assert_eq!(status, StatusCode::OK, "{path} en");
        assert!(html.contains(en), "{path}: {en}");
        assert!(
            html.contains("only the French version is binding"),
            "{path}"
        );
    }
    // The cookie policy carries the choice forms (the footer link's landing without WASM).
    let (_, html) = page(&app, "/legal/cookies", "").await;
    assert!(html.contains(r#"id="cookie-choices""#));
    assert!(html.contains("Aucun choix enregistré"));
    for path in ["/legal/nowhere", "/legal/terms?version=1999-01-01"] {
        assert_eq!(
            page(&app, path, "").await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

fn version_fields<'a>(
    kind: &'a str,
    version: &'a str,
    effective_on: &'a str,
    body: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", kind),
        ("version", version),
        ("effective_on", effective_on),
        ("title_fr", "Conditions générales de vente"),
        ("title_en", "Terms of sale"),
        ("body_fr", body),
        ("body_en", ""),
    ]
}

async fn new_terms_take_effect_on_their_date_and_old_ones_stay_readable(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let today = app::subscriptions::rules::paris_today(chrono::Utc::now());
    let tomorrow = (today + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let today = today.format("%Y-%m-%d").to_string();

    // A version to come changes nothing yet.
    let answer = post_form(
        &app,
        "/api/admin/legal/publish",
        &version_fields("terms", "2027-b", &tomorrow, "## Nouveau\n\nÀ venir."),
        &staff,
    )
    .await;
    assert_eq!(location(&answer), "/legal/terms?version=2027-b");
    let (_, html) = page(&app, "/legal/terms", "").await;
    assert!(html.contains(&format!("Version {TERMS_VERSION}")));
    let (status, html) = page(&app, "/legal/terms?version=2027-b", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("en vigueur à partir du"), "upcoming");

    // One in force today: checkout asks for it, the old one is refused, the order keeps it.
    let answer = post_form(
        &app,
        "/api/admin/legal/publish",
        &version_fields(
            "terms",
            "2027-a",
            &today,
            "## Article 1\n\nNouvelles conditions.",
        ),
        &staff,
    )
    .await;
    assert_eq!(location(&answer), "/legal/terms?version=2027-a");
    let (_, html) = page(&app, "/legal/terms", "").await;
    assert!(html.contains("Version 2027-a") && html.contains("Nouvelles conditions"));
    let (_, html) = page(&app, &format!("/legal/terms?version={TERMS_VERSION}"), "").await;
    assert!(html.contains("n'est plus en vigueur"), "superseded");
    assert!(html.contains("Droit de rétractation"), "its own text");

    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cookies = fill(
        &app,
        &format!("FR~{}x1", serum.id),
        "cgv@exemple.fr",
        "FR",
        "card",
    )
    .await;
    let (_, review) = page(&app, "/checkout?step=review", &cookies).await;
    assert!(review.contains(r#"name="terms_version" value="2027-a""#));
    assert!(review.contains("/legal/terms?version=2027-a"));
    assert_eq!(
        place(&app, &cookies, &key(1)).await.status(),
        StatusCode::CONFLICT
    );
    let answer = call(
        &app,
        "/api/checkout/place",
        &[
            ("idempotency_key", &key(2)),
            ("terms_version", "2027-a"),
            ("terms", "accepted"),
        ],
        &cookies,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(orders(&app).await.last().unwrap().terms_version, "2027-a");
}

async fn only_staff_publish_and_bad_versions_write_nothing(backend: Backend) {
    let app = spawn(backend).await;
    let before = legal_document::Entity::find().count(&app.db).await.unwrap();
    let customer = format!(
        "comptoir_session={}",
        confirmed_account(&app, "lecteur@exemple.fr", "vert-galet-lune-38").await
    );
    let fields = version_fields("privacy", "v2", "2030-01-01", "Texte");
    for cookies in ["", customer.as_str()] {
        let answer = call(&app, "/api/admin/legal/publish", &fields, cookies).await;
        assert!(
            [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&answer.status()),
            "{}",
            answer.status()
        );
    }
    assert_eq!(
        page(&app, "/admin/legal", &customer).await.0,
        StatusCode::FORBIDDEN
    );

    let staff = staff_session(&app).await;
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    for (fields, why) in [
        (
            version_fields("terms", "old", &yesterday, "Texte"),
            "terms backdated",
        ),
        (
            version_fields("privacy", TERMS_VERSION, "2030-01-01", "Texte"),
            "version taken",
        ),
        (
            version_fields("privacy", "v 2!", "2030-01-01", "Texte"),
            "bad version",
        ),
        (
            version_fields("privacy", "v2", "demain", "Texte"),
            "bad date",
        ),
        (
            version_fields("privacy", "v2", "2030-01-01", "  "),
            "no French text",
        ),
    ] {
        let answer = call(&app, "/api/admin/legal/publish", &fields, &staff).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{why}");
    }
    let answer = call(
        &app,
        "/api/admin/legal/publish",
        &version_fields("nowhere", "v2", "2030-01-01", "Texte"),
        &staff,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        legal_document::Entity::find().count(&app.db).await.unwrap(),
        before
    );

    // A refused form posted without JavaScript comes back with what was typed.
    let typed = version_fields(
        "privacy",
        "v 2!",
        "2030-01-01",
        "Mon long texte à ne pas perdre",
    );
    let answer = post_form(&app, "/api/admin/legal/publish", &typed, &staff).await;
    assert!(answer.status().is_redirection());
    let (status, html) = page(&app, "/admin/legal/privacy", &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Mon long texte à ne pas perdre"));
    let (_, html) = page(&app, "/admin/legal", &staff).await;
    assert!(html.contains("/admin/legal/terms"));
}

async fn published_markdown_is_sanitised(backend: Backend) {
    let app = spawn(backend).await;
    let staff = staff_session(&app).await;
    let body = "## Données\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n\
                [lien](javascript:alert(3))\n\n<iframe src=\"https://evil.example\"></iframe>";
    let answer = call(
        &app,
        "/api/admin/legal/publish",
        &version_fields("privacy", "2030-01", "2026-01-01", body),
        &staff,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let (_, html) = page(&app, "/legal/privacy?version=2030-01", "").await;
    let body = &html[html.find("legal__body").unwrap()..];
    let body = &body[..body.find("</article>").unwrap()];
    assert!(body.contains("Données"));
    for bad in ["<script", "onerror", "javascript:", "<iframe"] {
        assert!(!body.contains(bad), "{bad} in {body}");
    }
}
