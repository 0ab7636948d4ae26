//! Posting to server functions as a browser does (a plain form, or a script) and reading what
//! the answer sets. Each test crate compiles this module; only the account tests use it.
#![allow(dead_code, reason = "only some test crates post forms")]

use super::{TestApp, within};
use app::db::entities::email_outbox;
use reqwest::header::{ACCEPT, COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// A form posted by a browser without JavaScript: it accepts HTML and follows redirects (a
/// refused one comes back to the `Referer` with the error in the URL). `cookies` is a whole
/// `Cookie` header, or empty.
pub async fn post_form(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    cookies: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header(ACCEPT, "text/html")
        .header("referer", app.url("/account/form"))
        .header("sec-fetch-site", "same-origin")
        .form(fields);
    if !cookies.is_empty() {
        request = request.header(COOKIE, cookies);
    }
    within(path, request.send()).await.unwrap()
}

/// The same server function called by a script: JSON answers with their real status.
pub async fn call(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    cookies: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header(ACCEPT, "application/json")
        .form(fields);
    if !cookies.is_empty() {
        request = request.header(COOKIE, cookies);
    }
    within(path, request.send()).await.unwrap()
}

/// Where a response redirects (empty when it does not).
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The value `headers` set for cookie `name` (`""` when they remove it) and the whole
/// `Set-Cookie` line.
pub fn set_cookie(headers: &HeaderMap, name: &str) -> Option<(String, String)> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|line| line.starts_with(&format!("{name}=")))
        .map(|line| {
            let value = line[name.len() + 1..]
                .split(';')
                .next()
                .unwrap_or_default()
                .to_owned();
            (value, line.to_owned())
        })
}

/// The token of the link in the last email of `kind` to `to`.
pub async fn emailed_token(app: &TestApp, to: &str, kind: &str) -> String {
    let mail = email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(to))
        .filter(email_outbox::Column::Kind.eq(kind))
        .order_by_desc(email_outbox::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {kind} email to {to}"));
    let start = mail.body_text.find("token=").expect("a link with a token") + 6;
    mail.body_text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// Signs up Camille Martin at `email`, confirms by the emailed link, and returns the session
/// cookie's value (signed in).
pub async fn confirmed_account(app: &TestApp, email: &str, password: &str) -> String {
    let fields = [
        ("email", email),
        ("password", password),
        ("first_name", "Camille"),
        ("last_name", "Martin"),
    ];
    let response = post_form(app, "/api/account/sign-up", &fields, "").await;
    assert_eq!(response.status(), reqwest::StatusCode::FOUND);
    let token = emailed_token(app, email, "account_verify").await;
    let response = post_form(app, "/api/account/confirm-email", &[("token", &token)], "").await;
    assert_eq!(location(&response), "/account");
    set_cookie(response.headers(), "comptoir_session")
        .expect("signed in")
        .0
}

/// Creates a staff account (Paul Blanc, `equipe@exemple.fr`), signs it in, and returns the
/// whole `Cookie` header of its session.
pub async fn staff_session(app: &TestApp) -> String {
    const PASSWORD: &str = "Quatre-chemins-sous-la-pluie";
    app::account::service::create_staff(
        &app.db,
        "equipe@exemple.fr",
        PASSWORD.into(),
        "Paul",
        "Blanc",
    )
    .await
    .expect("staff account");
    let response = post_form(
        app,
        "/api/account/sign-in",
        &[("email", "equipe@exemple.fr"), ("password", PASSWORD)],
        "",
    )
    .await;
    let (session, _) = set_cookie(response.headers(), "comptoir_session").expect("signed in");
    format!("comptoir_session={session}")
}
