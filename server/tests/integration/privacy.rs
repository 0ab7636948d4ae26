//! Cookie consent and the audience measurement: the banner until a choice stands, the choice
//! kept 13 months from when it was given (never extended by visits) and logged as proof,
//! nothing of the measurement stored or set without that consent.

use crate::support;

use app::db::entities::{audience_daily, consent_record};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, COOKIE, SET_COOKIE};
use sea_orm::{EntityTrait, QueryOrder};
use support::forms::{call, location, post_form, set_cookie, staff_session};
use support::{Backend, TestApp, spawn};

both_backends!(
    a_first_visit_gets_the_banner_and_no_cookie,
    a_choice_is_kept_thirteen_months_and_logged,
    audience_is_measured_only_with_consent,
    bad_choices_and_paths_are_refused,
);

async fn page(app: &TestApp, path: &str, cookies: &str) -> reqwest::Response {
    let mut headers = vec![(ACCEPT, "text/html")];
    if !cookies.is_empty() {
        headers.push((COOKIE, cookies));
    }
    app.get_with(path, &headers).await
}

/// Whether the page's banner is open (rendered without `hidden`).
fn banner_open(html: &str) -> bool {
    let start = html
        .find("id=\"consent-banner\"")
        .expect("the banner is on every page");
    let tag_end = start + html[start..].find('>').expect("tag end");
    !html[start..tag_end].contains("hidden")
}

async fn a_first_visit_gets_the_banner_and_no_cookie(backend: Backend) {
    let app = spawn(backend).await;
    for path in ["/", "/products", "/products/magnesium-marin-b6", "/cart"] {
        let response = page(&app, path, "").await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response.headers().get(SET_COOKIE).is_none(),
            "{path} sets no cookie before a choice"
        );
        let html = response.text().await.unwrap();
        assert!(banner_open(&html), "{path} shows the banner");
        for name in ["Tout refuser", "Tout accepter", "Personnaliser"] {
            assert!(html.contains(name), "{path}: {name}");
        }
    }
}

async fn a_choice_is_kept_thirteen_months_and_logged(backend: Backend) {
    let app = spawn(backend).await;
    // Without JavaScript: the form comes back to the page it was sent from.
    let before = chrono::Utc::now();
    let answer = post_form(
        &app,
        "/api/privacy/consent",
        &[
            ("choice", "custom"),
            ("audience", "on"),
            ("next", "/products?q=huile"),
        ],
        "",
    )
    .await;
    assert_eq!(location(&answer), "/products?q=huile");
    let (value, line) = set_cookie(answer.headers(), "comptoir_consent").expect("kept");
    let parts: Vec<&str> = value.split('.').collect();
    assert_eq!(parts[0], "1", "banner version");
    assert_eq!(parts[2], "100", "audience only");
    let given: i64 = parts[1].parse().unwrap();
    assert!((given - before.timestamp()).abs() < 60);
    let expires = chrono::DateTime::from_timestamp(given, 0)
        .unwrap()
        .checked_add_months(chrono::Months::new(13))
        .unwrap();
    assert!(
        line.contains(&format!(
            "Expires={}",
            expires.format("%a, %d %b %Y %H:%M:%S GMT")
        )),
        "{line}"
    );
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Lax"),
        "{line}"
    );
    assert!(set_cookie(answer.headers(), "comptoir_audience").is_none());

    let records = consent_record::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].visitor, parts[3]);
    assert_eq!(records[0].banner_version, 1);
    assert!(records[0].audience && !records[0].preferences && !records[0].advertising);

    // Visits neither show the banner nor extend the choice.
    let cookie = format!("comptoir_consent={value}");
    let response = page(&app, "/products", &cookie).await;
    assert!(set_cookie(response.headers(), "comptoir_consent").is_none());
    assert!(!banner_open(&response.text().await.unwrap()));

    // A new choice from the same browser: same visitor, a second proof.
    let answer = call(
        &app,
        "/api/privacy/consent",
        &[("choice", "refuse")],
        &cookie,
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let (refused, _) = set_cookie(answer.headers(), "comptoir_consent").unwrap();
    assert!(refused.contains(".000."), "{refused}");
    let records = consent_record::Entity::find()
        .order_by_asc(consent_record::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].visitor, records[0].visitor);
    assert!(!records[1].audience);

    // Thirteen months later the choice has lapsed: the banner asks again.
    let cookie = format!("comptoir_consent={refused}");
    let given: i64 = refused.split('.').nth(1).unwrap().parse().unwrap();
    let lapses = chrono::DateTime::from_timestamp(given, 0)
        .unwrap()
        .checked_add_months(chrono::Months::new(13))
        .unwrap();
    app.clock
        .advance(lapses - chrono::Utc::now() - chrono::Duration::minutes(2));
    assert!(
        !banner_open(&page(&app, "/", &cookie).await.text().await.unwrap()),
        "still standing"
    );
    app.clock.advance(chrono::Duration::minutes(3));
    assert!(
        banner_open(&page(&app, "/", &cookie).await.text().await.unwrap()),
        "lapsed"
    );
}

async fn visit(app: &TestApp, cookies: &str) -> reqwest::Response {
    call(
        app,
        "/api/privacy/visit",
        &[("path", "/products?q=secret")],
        cookies,
    )
    .await
}

async fn audience_is_measured_only_with_consent(backend: Backend) {
    let app = spawn(backend).await;
    // No choice, then refusal: nothing stored, nothing set.
    let answer = visit(&app, "").await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers().get(SET_COOKIE).is_none());
    assert_eq!(answer.text().await.unwrap(), "false");
    let refused = call(&app, "/api/privacy/consent", &[("choice", "refuse")], "").await;
    let (refused, _) = set_cookie(refused.headers(), "comptoir_consent").unwrap();
    let answer = visit(&app, &format!("comptoir_consent={refused}")).await;
    assert!(answer.headers().get(SET_COOKIE).is_none());
    assert!(
        audience_daily::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    // Accepted: the first view sets the audience cookie and counts a visitor.
    let accepted = call(&app, "/api/privacy/consent", &[("choice", "accept")], "").await;
    let (accepted, _) = set_cookie(accepted.headers(), "comptoir_consent").unwrap();
    let consent = format!("comptoir_consent={accepted}");
    let answer = visit(&app, &consent).await;
    let (id, _) = set_cookie(answer.headers(), "comptoir_audience").expect("audience cookie");
    assert_eq!(answer.text().await.unwrap(), "true");
    let both = format!("{consent}; comptoir_audience={id}");
    let answer = visit(&app, &both).await;
    assert!(set_cookie(answer.headers(), "comptoir_audience").is_none());
    let rows = audience_daily::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].path, "/products", "the query string is not kept");
    assert_eq!((rows[0].views, rows[0].visitors), (2, 1));
    // Staff read it on the dashboard: page, views, new visits.
    let staff = staff_session(&app).await;
    let html = page(&app, "/admin", &staff).await.text().await.unwrap();
    let table = &html[html
        .find(r#"data-testid="audience""#)
        .expect("audience table")..];
    assert!(
        table.contains("<td>/products</td><td>2</td><td>1</td>"),
        "{}",
        &table[..table.len().min(600)]
    );

    // Withdrawn: the audience cookie goes at once.
    let answer = call(&app, "/api/privacy/consent", &[("choice", "refuse")], &both).await;
    let (gone, line) = set_cookie(answer.headers(), "comptoir_audience").expect("removed");
    assert!(gone.is_empty() && line.contains("Max-Age=0"), "{line}");
}

async fn bad_choices_and_paths_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    let answer = call(&app, "/api/privacy/consent", &[("choice", "maybe")], "").await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(answer.headers().get(SET_COOKIE).is_none());
    assert!(
        consent_record::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
    let accepted = call(&app, "/api/privacy/consent", &[("choice", "accept")], "").await;
    let (accepted, _) = set_cookie(accepted.headers(), "comptoir_consent").unwrap();
    let answer = call(
        &app,
        "/api/privacy/visit",
        &[("path", "https://evil.example/")],
        &format!("comptoir_consent={accepted}"),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    // A forged choice "given" next year is no choice.
    let forged = format!(
        "comptoir_consent=1.{}.111.forged-visitor-0001",
        (chrono::Utc::now() + chrono::Duration::days(365)).timestamp()
    );
    assert!(banner_open(
        &page(&app, "/", &forged).await.text().await.unwrap()
    ));
}
