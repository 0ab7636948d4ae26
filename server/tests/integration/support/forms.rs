//! Posting to server functions as a browser does (a plain form, or a script) and reading what
//! the answer sets.

use super::{TestApp, within};
use app::clock::Clock as _;
use app::db::entities::{email_outbox, user};
use reqwest::header::{ACCEPT, COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// The fields of a `form[…]` struct argument: `defaults`, each replaced by the value `fields`
/// give for its name (a name `defaults` lacks is added).
pub fn struct_form(defaults: &[(&str, &str)], fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = defaults
        .iter()
        .map(|(k, v)| (format!("form[{k}]"), (*v).to_owned()))
        .collect();
    for (k, v) in fields {
        let name = format!("form[{k}]");
        form.retain(|(n, _)| *n != name);
        form.push((name, (*v).to_owned()));
    }
    form
}

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
    call_from(app, path, fields, cookies, "").await
}

/// [`call`] by the client at address `client`, which the tests' server hears of from its
/// trusted proxy (`X-Forwarded-For`): the shop's limits are per client. `""`: the proxy's own
/// requests (127.0.0.1).
pub async fn call_from(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    cookies: &str,
    client: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header(ACCEPT, "application/json")
        .form(fields);
    if !cookies.is_empty() {
        request = request.header(COOKIE, cookies);
    }
    if !client.is_empty() {
        request = request.header("x-forwarded-for", client);
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

/// The account registered under `email` (it must exist).
pub async fn account(app: &TestApp, email: &str) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
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
/// The staff account's password in tests.
const STAFF_PASSWORD: &str = "Quatre-chemins-sous-la-pluie";

/// Creates a staff account (Paul Blanc, `equipe@exemple.fr`), signs it in, and returns the
/// whole `Cookie` header of its session.
pub async fn staff_session(app: &TestApp) -> String {
    app::account::service::create_staff(
        &app.db,
        "equipe@exemple.fr",
        STAFF_PASSWORD.into(),
        "Paul",
        "Blanc",
        app.clock.now(),
    )
    .await
    .expect("staff account");
    staff_sign_in(app).await
}

/// Signs the staff account of [`staff_session`] in again (after its session's absolute
/// lifetime, say): the new `Cookie` header.
pub async fn staff_sign_in(app: &TestApp) -> String {
    let response = post_form(
        app,
        "/api/account/sign-in",
        &[("email", "equipe@exemple.fr"), ("password", STAFF_PASSWORD)],
        "",
    )
    .await;
    let (session, _) = set_cookie(response.headers(), "comptoir_session").expect("signed in");
    format!("comptoir_session={session}")
}

/// A page as a browser asks for it (HTML), with the `Cookie` header `cookies` unless empty:
/// its status and body.
pub async fn page(app: &TestApp, path: &str, cookies: &str) -> (reqwest::StatusCode, String) {
    let mut headers = vec![(ACCEPT, "text/html")];
    if !cookies.is_empty() {
        headers.push((COOKIE, cookies));
    }
    let response = app.get_with(path, &headers).await;
    (response.status(), response.text().await.unwrap())
}

/// Signs up and confirms `email`, gives the account `role` (`customer`, `editor`, `staff`),
/// and returns the whole `Cookie` header of its session.
pub async fn role_session(app: &TestApp, email: &str, role: &str) -> String {
    use app::db::entities::user;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    let session = confirmed_account(app, email, "plume-encre-papier-42").await;
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut active = account.into_active_model();
    active.role = Set(role.to_owned());
    active.update(&app.db).await.unwrap();
    format!("comptoir_session={session}")
}

/// A PNG header of `width` × `height` (enough for the type and size checks), padded to `len`.
pub fn png(width: u32, height: u32, len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes.resize(len.max(bytes.len()), 0);
    bytes
}

/// A file to post in a multipart form: the field's name, the file's name, its type and bytes.
pub struct FilePart<'a> {
    pub field: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// The boundary of [`multipart_body`]'s forms.
pub const BOUNDARY: &str = "comptoir-test-boundary";

/// A browser's plain multipart form: the text `fields`, then `file`.
pub fn multipart_body(fields: &[(&str, &str)], file: FilePart<'_>) -> Vec<u8> {
    let mut body = Vec::with_capacity(file.bytes.len() + 512);
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n\
             Content-Type: {}\r\n\r\n",
            file.field, file.name, file.content_type
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts `body`, made by [`multipart_body`], to `path`.
pub async fn post_multipart(
    app: &TestApp,
    path: &str,
    body: Vec<u8>,
    cookies: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header(
            reqwest::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("sec-fetch-site", "same-origin")
        .body(body);
    if !cookies.is_empty() {
        request = request.header(COOKIE, cookies);
    }
    request.send().await.unwrap()
}

/// Posts a browser's plain multipart form to `path`: the text `fields`, then `file`.
pub async fn multipart(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    file: FilePart<'_>,
    cookies: &str,
) -> reqwest::Response {
    post_multipart(app, path, multipart_body(fields, file), cookies).await
}

/// Posts `file` (a PNG) as the only field `field` of a multipart form to `path`.
pub async fn upload_image(
    app: &TestApp,
    path: &str,
    field: &str,
    file: &[u8],
    cookies: &str,
) -> reqwest::Response {
    let png = FilePart {
        field,
        name: "image.png",
        content_type: "image/png",
        bytes: file,
    };
    multipart(app, path, &[], png, cookies).await
}
