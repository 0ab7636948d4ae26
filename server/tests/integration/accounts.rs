//! Accounts through real HTTP on both engines: sign-up with a confirmed address, sign-in and
//! its session cookie, fixation, throttling, enumeration, reset links, sign out everywhere,
//! password change and cross-site refusal.

use crate::support;

use app::db::entities::email_outbox;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use sea_orm::{EntityTrait, QueryOrder};
use support::forms::{self, location};
use support::{Backend, TestApp, spawn, spawn_with};

both_backends!(
    sign_up_confirm_then_sign_in_and_out,
    the_session_id_changes_at_sign_in,
    session_cookies_carry_their_flags,
    answers_never_tell_whether_an_account_exists,
    sign_in_is_throttled_per_account_and_per_ip,
    a_reset_link_works_once_and_ends_every_session,
    sign_out_everywhere_ends_the_other_devices,
    a_password_change_needs_the_current_one_and_ends_other_sessions,
    cross_site_account_posts_are_refused,
    account_pages_and_functions_need_a_session,
    sessions_end_at_the_idle_and_absolute_timeouts,
    refused_forms_without_javascript_keep_what_was_typed,
);

const PASSWORD: &str = "vert-galet-lune-38";
const SESSION: &str = "comptoir_session";

/// A form posted the way a browser without JavaScript posts it, to `/api/account/{endpoint}`.
async fn post_form(
    app: &TestApp,
    endpoint: &str,
    fields: &[(&str, &str)],
    session: Option<&str>,
) -> reqwest::Response {
    forms::post_form(
        app,
        &format!("/api/account/{endpoint}"),
        fields,
        &cookie(session),
    )
    .await
}

/// The same server function called by a script (JSON answers with their status).
async fn call(
    app: &TestApp,
    endpoint: &str,
    fields: &[(&str, &str)],
    session: Option<&str>,
) -> reqwest::Response {
    forms::call(
        app,
        &format!("/api/account/{endpoint}"),
        fields,
        &cookie(session),
    )
    .await
}

fn cookie(session: Option<&str>) -> String {
    session
        .map(|s| format!("{SESSION}={s}"))
        .unwrap_or_default()
}

/// The session cookie set by a response: its value and its whole `Set-Cookie` line.
fn session_cookie(headers: &HeaderMap) -> Option<(String, String)> {
    forms::set_cookie(headers, SESSION)
}

/// The emails sent so far, oldest first.
async fn outbox(app: &TestApp) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .order_by_asc(email_outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn sign_up(app: &TestApp, email: &str) -> reqwest::Response {
    post_form(
        app,
        "sign-up",
        &[
            ("email", email),
            ("password", PASSWORD),
            ("first_name", "Camille"),
            ("last_name", "Martin"),
        ],
        None,
    )
    .await
}

/// A confirmed account signed in: its session cookie.
async fn confirmed_account(app: &TestApp, email: &str) -> String {
    forms::confirmed_account(app, email, PASSWORD).await
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    post_form(
        app,
        "sign-in",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}

/// Whether `cookie` is a signed-in session (the account page renders rather than redirects).
async fn is_signed_in(app: &TestApp, cookie: &str) -> bool {
    let response = app
        .get_with(
            "/account",
            &[
                (reqwest::header::COOKIE, &format!("{SESSION}={cookie}")),
                (reqwest::header::ACCEPT, "text/html"),
            ],
        )
        .await;
    match response.status() {
        StatusCode::OK => true,
        StatusCode::FOUND => false,
        other => panic!("/account answered {other}"),
    }
}

async fn sign_up_confirm_then_sign_in_and_out(backend: Backend) {
    let app = spawn(backend).await;
    let response = sign_up(&app, "Camille.Martin@Exemple.fr ").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/account/check-email");
    assert!(
        session_cookie(response.headers()).is_none(),
        "no session before sign-in"
    );
    // Not confirmed yet: signing in sends the link again and says so.
    let response = call(
        &app,
        "sign-in",
        &[
            ("email", "camille.martin@exemple.fr"),
            ("password", PASSWORD),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Confirmez d'abord votre adresse")
    );
    let verifications = outbox(&app)
        .await
        .into_iter()
        .filter(|m| m.kind == "account_verify")
        .count();
    assert_eq!(verifications, 2);
    // The link lands on a page with a button: a GET changes nothing.
    let token = forms::emailed_token(&app, "camille.martin@exemple.fr", "account_verify").await;
    let page = app.get(&format!("/account/verify?token={token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(session_cookie(page.headers()).is_none());
    let response = post_form(&app, "confirm-email", &[("token", &token)], None).await;
    assert_eq!(location(&response), "/account");
    let (cookie, _) = session_cookie(response.headers()).expect("signed in");
    let html = app
        .get_with(
            "/account",
            &[(reqwest::header::COOKIE, &format!("{SESSION}={cookie}"))],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Camille"), "{html}");
    assert!(html.contains("camille.martin@exemple.fr"));
    // The link works once.
    let again = call(&app, "confirm-email", &[("token", &token)], None).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    // Sign out, then in again with the password.
    let response = post_form(&app, "sign-out", &[], Some(&cookie)).await;
    assert_eq!(location(&response), "/");
    assert!(!is_signed_in(&app, &cookie).await);
    let response = sign_in(&app, "CAMILLE.MARTIN@exemple.fr", PASSWORD).await;
    assert_eq!(location(&response), "/account");
    let (cookie, _) = session_cookie(response.headers()).expect("signed in");
    assert!(is_signed_in(&app, &cookie).await);
    // `next` only leads within the site.
    let response = post_form(
        &app,
        "sign-in",
        &[
            ("email", "camille.martin@exemple.fr"),
            ("password", PASSWORD),
            ("next", "https://evil.example/"),
        ],
        None,
    )
    .await;
    assert_eq!(location(&response), "/account");
}

async fn the_session_id_changes_at_sign_in(backend: Backend) {
    let app = spawn(backend).await;
    let first = confirmed_account(&app, "a@exemple.fr").await;
    confirmed_account(&app, "b@exemple.fr").await;
    // Signing in on a browser that already holds a session (planted or not) gets a new id, and
    // the old one is worthless.
    let response = post_form(
        &app,
        "sign-in",
        &[("email", "b@exemple.fr"), ("password", PASSWORD)],
        Some(&first),
    )
    .await;
    assert_eq!(location(&response), "/account");
    let (second, _) = session_cookie(response.headers()).expect("a new session id");
    assert_ne!(first, second);
    assert!(!is_signed_in(&app, &first).await);
    assert!(is_signed_in(&app, &second).await);
    // An id the server never issued is ignored.
    assert!(!is_signed_in(&app, "AAAAAAAAAAAAAAAAAAAAAA").await);
}

async fn session_cookies_carry_their_flags(backend: Backend) {
    let app = spawn(backend).await;
    confirmed_account(&app, "flags@exemple.fr").await;
    let response = sign_in(&app, "flags@exemple.fr", PASSWORD).await;
    let (_, line) = session_cookie(response.headers()).unwrap();
    assert!(line.contains("HttpOnly"), "{line}");
    assert!(line.contains("SameSite=Lax"), "{line}");
    assert!(line.contains("Path=/"), "{line}");
    assert!(
        line.contains("Max-Age=") || line.contains("Expires="),
        "idle timeout: {line}"
    );
    assert!(
        !line.contains("Secure"),
        "plain HTTP in development: {line}"
    );
    // Behind HTTPS (the production setting), Secure too.
    let app = spawn_with(backend, |s| s.app.secure_cookies = true).await;
    confirmed_account(&app, "flags@exemple.fr").await;
    let response = sign_in(&app, "flags@exemple.fr", PASSWORD).await;
    let (_, line) = session_cookie(response.headers()).unwrap();
    assert!(line.contains("Secure"), "{line}");
}

async fn answers_never_tell_whether_an_account_exists(backend: Backend) {
    let app = spawn(backend).await;
    confirmed_account(&app, "known@exemple.fr").await;
    // Sign-up: the same redirect for a new and a taken address; the owner is told by email.
    let taken = sign_up(&app, "known@exemple.fr").await;
    let fresh = sign_up(&app, "new@exemple.fr").await;
    assert_eq!(taken.status(), fresh.status());
    assert_eq!(location(&taken), location(&fresh));
    let kinds: Vec<_> = outbox(&app)
        .await
        .into_iter()
        .map(|m| (m.to_address, m.kind))
        .collect();
    assert!(kinds.contains(&("known@exemple.fr".into(), "account_exists".into())));
    assert!(kinds.contains(&("new@exemple.fr".into(), "account_verify".into())));
    // Sign-in: the same status and message for an unknown address and a wrong password.
    let unknown = call(
        &app,
        "sign-in",
        &[("email", "nobody@exemple.fr"), ("password", PASSWORD)],
        None,
    )
    .await;
    let wrong = call(
        &app,
        "sign-in",
        &[
            ("email", "known@exemple.fr"),
            ("password", "not-the-password-1"),
        ],
        None,
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert_eq!(unknown.status(), wrong.status());
    assert_eq!(unknown.text().await.unwrap(), wrong.text().await.unwrap());
    // Reset: the same answer; only the real account gets an email.
    let before = outbox(&app).await.len();
    let unknown = post_form(
        &app,
        "request-reset",
        &[("email", "nobody@exemple.fr")],
        None,
    )
    .await;
    let known = post_form(
        &app,
        "request-reset",
        &[("email", "known@exemple.fr")],
        None,
    )
    .await;
    assert_eq!(location(&unknown), "/account/reset?sent=1");
    assert_eq!(location(&known), location(&unknown));
    let after = outbox(&app).await;
    assert_eq!(after.len(), before + 1);
    assert_eq!(after.last().unwrap().to_address, "known@exemple.fr");
}

async fn sign_in_is_throttled_per_account_and_per_ip(backend: Backend) {
    let app = spawn(backend).await;
    confirmed_account(&app, "target@exemple.fr").await;
    for _ in 0..5 {
        let response = call(
            &app,
            "sign-in",
            &[
                ("email", "target@exemple.fr"),
                ("password", "guess-guess-guess"),
            ],
            None,
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
    // The sixth attempt is refused, even with the right password.
    let response = call(
        &app,
        "sign-in",
        &[("email", "target@exemple.fr"), ("password", PASSWORD)],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Trop de tentatives")
    );
    // Per IP address: 30 failures over many addresses, then every sign-in from it waits.
    for i in 5..30 {
        let email = format!("spray{i}@exemple.fr");
        let response = call(
            &app,
            "sign-in",
            &[("email", &email), ("password", "guess-guess-guess")],
            None,
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "attempt {i}");
    }
    let response = call(
        &app,
        "sign-in",
        &[
            ("email", "other@exemple.fr"),
            ("password", "guess-guess-guess"),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn a_reset_link_works_once_and_ends_every_session(backend: Backend) {
    let app = spawn(backend).await;
    let session = confirmed_account(&app, "reset@exemple.fr").await;
    post_form(
        &app,
        "request-reset",
        &[("email", "reset@exemple.fr")],
        None,
    )
    .await;
    let token = forms::emailed_token(&app, "reset@exemple.fr", "password_reset").await;
    // A weak password is refused and the link stays usable.
    let weak = call(
        &app,
        "reset-password",
        &[("token", &token), ("password", "motdepasse")],
        None,
    )
    .await;
    assert_eq!(weak.status(), StatusCode::BAD_REQUEST);
    assert!(weak.text().await.unwrap().contains("trop courant"));
    let response = post_form(
        &app,
        "reset-password",
        &[("token", &token), ("password", "pluie-d-ete-sur-loire")],
        None,
    )
    .await;
    assert_eq!(location(&response), "/account/sign-in?reset=1");
    assert!(
        !is_signed_in(&app, &session).await,
        "sessions end with a reset"
    );
    let old = call(
        &app,
        "sign-in",
        &[("email", "reset@exemple.fr"), ("password", PASSWORD)],
        None,
    )
    .await;
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    let new = sign_in(&app, "reset@exemple.fr", "pluie-d-ete-sur-loire").await;
    assert_eq!(location(&new), "/account");
    let reused = call(
        &app,
        "reset-password",
        &[("token", &token), ("password", "autre-phrase-de-passe-9")],
        None,
    )
    .await;
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST);
    assert!(reused.text().await.unwrap().contains("plus valable"));
}

async fn sign_out_everywhere_ends_the_other_devices(backend: Backend) {
    let app = spawn(backend).await;
    let phone = confirmed_account(&app, "two@exemple.fr").await;
    let response = sign_in(&app, "two@exemple.fr", PASSWORD).await;
    let (laptop, _) = session_cookie(response.headers()).unwrap();
    let sessions: serde_json::Value = app
        .client
        .post(app.url("/api/account/sessions"))
        .header("cookie", format!("{SESSION}={laptop}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let response = post_form(&app, "sign-out-everywhere", &[], Some(&laptop)).await;
    assert_eq!(
        location(&response),
        "/account/sign-in?signed_out=everywhere"
    );
    assert!(!is_signed_in(&app, &phone).await);
    assert!(!is_signed_in(&app, &laptop).await);
}

async fn a_password_change_needs_the_current_one_and_ends_other_sessions(backend: Backend) {
    let app = spawn(backend).await;
    let phone = confirmed_account(&app, "change@exemple.fr").await;
    let response = sign_in(&app, "change@exemple.fr", PASSWORD).await;
    let (laptop, _) = session_cookie(response.headers()).unwrap();
    let wrong = call(
        &app,
        "change-password",
        &[
            ("current_password", "not-my-password"),
            ("new_password", "nouvelle-phrase-secrete"),
        ],
        Some(&laptop),
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert!(is_signed_in(&app, &phone).await);
    let response = post_form(
        &app,
        "change-password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "nouvelle-phrase-secrete"),
        ],
        Some(&laptop),
    )
    .await;
    assert_eq!(location(&response), "/account/security?changed=1");
    let (renewed, _) = session_cookie(response.headers()).expect("this session continues, renewed");
    assert_ne!(renewed, laptop);
    assert!(is_signed_in(&app, &renewed).await);
    assert!(!is_signed_in(&app, &phone).await, "other sessions end");
    assert!(!is_signed_in(&app, &laptop).await, "the old id is gone");
    let mail = outbox(&app).await.pop().unwrap();
    assert_eq!(mail.kind, "password_changed");
}

async fn cross_site_account_posts_are_refused(backend: Backend) {
    let app = spawn(backend).await;
    confirmed_account(&app, "csrf@exemple.fr").await;
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let response = app
            .client
            .post(app.url("/api/account/sign-in"))
            .header(name, value)
            .form(&[("email", "csrf@exemple.fr"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{name}: {value}");
        assert!(session_cookie(response.headers()).is_none());
    }
}

async fn account_pages_and_functions_need_a_session(backend: Backend) {
    let app = spawn(backend).await;
    for page in ["/account", "/account/security"] {
        // A browser's navigation (it accepts HTML) is redirected to sign in.
        let response = app
            .get_with(page, &[(reqwest::header::ACCEPT, "text/html")])
            .await;
        assert_eq!(response.status(), StatusCode::FOUND, "{page}");
        assert!(
            location(&response).starts_with("/account/sign-in"),
            "{page}"
        );
    }
    for page in ["/account/sign-in", "/account/sign-up", "/account/reset"] {
        let response = app.get(page).await;
        assert_eq!(response.status(), StatusCode::OK, "{page}");
    }
    let response = call(&app, "sessions", &[], None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = call(&app, "sign-out-everywhere", &[], None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

/// The session row of cookie value `id`.
async fn session_row(app: &TestApp, id: &str) -> Option<app::db::entities::session::Model> {
    use app::db::entities::session;
    session::Entity::find_by_id(id).one(&app.db).await.unwrap()
}

async fn sessions_end_at_the_idle_and_absolute_timeouts(backend: Backend) {
    use app::db::entities::session;
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn_with(backend, |s| s.app.session_absolute_hours = 1).await;
    confirmed_account(&app, "temps@exemple.fr").await;
    // Idle: a session unused past its expiry is gone, whatever its cookie says.
    let (idle, _) =
        session_cookie(sign_in(&app, "temps@exemple.fr", PASSWORD).await.headers()).unwrap();
    assert!(is_signed_in(&app, &idle).await);
    let mut row: session::ActiveModel = session_row(&app, &idle).await.unwrap().into();
    row.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    row.update(&app.db).await.unwrap();
    assert!(!is_signed_in(&app, &idle).await);
    // Absolute: a session signed in more than an hour ago ends, however active, and its row
    // goes with it.
    let (old, _) =
        session_cookie(sign_in(&app, "temps@exemple.fr", PASSWORD).await.headers()).unwrap();
    assert!(is_signed_in(&app, &old).await);
    let stored = session_row(&app, &old).await.unwrap();
    let mut data: serde_json::Value = serde_json::from_str(&stored.data).unwrap();
    let facts = data
        .as_object_mut()
        .and_then(|d| d.values_mut().find(|v| v.get("signed_in_at").is_some()))
        .expect("the sign-in facts are in the session");
    facts["signed_in_at"] = serde_json::json!(chrono::Utc::now() - chrono::Duration::minutes(61));
    let mut row: session::ActiveModel = stored.into();
    row.data = Set(data.to_string());
    row.update(&app.db).await.unwrap();
    assert!(!is_signed_in(&app, &old).await);
    assert!(
        session_row(&app, &old).await.is_none(),
        "the ended session is deleted"
    );
    // A fresh one is fine.
    let (fresh, _) =
        session_cookie(sign_in(&app, "temps@exemple.fr", PASSWORD).await.headers()).unwrap();
    assert!(is_signed_in(&app, &fresh).await);
}

async fn refused_forms_without_javascript_keep_what_was_typed(backend: Backend) {
    let app = spawn(backend).await;
    let html_page = |cookie: String| {
        let app = &app;
        async move {
            app.get_with(
                "/account/sign-up",
                &[
                    (reqwest::header::ACCEPT, "text/html"),
                    (reqwest::header::COOKIE, cookie.as_str()),
                ],
            )
            .await
        }
    };
    // Visiting the forms gives no session.
    for path in ["/account/sign-up", "/account/sign-in"] {
        let page = app.get(path).await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(session_cookie(page.headers()).is_none(), "{path}");
    }
    // A refused sign-up comes back to the form with the message and the fields, not the
    // password.
    let response = post_form(
        &app,
        "sign-up",
        &[
            ("email", "brouillon@exemple.fr"),
            ("password", "password123"),
            ("first_name", "Léa"),
            ("last_name", "Moreau"),
            ("referral_code", "AMIE-2026"),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(location(&response).contains("__err="));
    let (draft, _) = session_cookie(response.headers()).expect("the draft's session");
    let html = html_page(format!("{SESSION}={draft}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"brouillon@exemple.fr\"") && html.contains("value=\"Léa\""));
    assert!(html.contains("value=\"AMIE-2026\""));
    assert!(!html.contains("password123"));
    // Once.
    let html = html_page(format!("{SESSION}={draft}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("brouillon@exemple.fr"));
    // A refused sign-in keeps the address.
    let response = post_form(
        &app,
        "sign-in",
        &[
            ("email", "oubli@exemple.fr"),
            ("password", "pas-le-bon-mot"),
        ],
        None,
    )
    .await;
    let (draft, _) = session_cookie(response.headers()).expect("the draft's session");
    let html = app
        .get_with(
            "/account/sign-in",
            &[
                (reqwest::header::ACCEPT, "text/html"),
                (reqwest::header::COOKIE, &format!("{SESSION}={draft}")),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"oubli@exemple.fr\""));
    assert!(!html.contains("pas-le-bon-mot"));
}
