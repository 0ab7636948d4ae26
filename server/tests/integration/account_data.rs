//! What a signed-in customer keeps: profile, address book (and who may see it), the cart that
//! follows the account, the back office's door, and `server create-admin`.

use crate::support;
use app::clock::Clock as _;

use app::db::entities::{address, email_outbox, product, saved_cart, user};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use support::forms::{self, call, location, post_form as post};
use support::{Backend, TestApp, spawn};

both_backends!(
    the_profile_keeps_title_names_and_phone,
    the_address_book_adds_edits_defaults_and_deletes,
    another_customers_addresses_are_not_found,
    the_back_office_is_for_staff_only,
    the_cart_follows_the_account_and_merges_at_sign_in,
    the_email_changes_only_through_a_link_sent_to_the_new_address,
    the_cart_at_sign_out_stays_with_the_account,
);

const PASSWORD: &str = "vert-galet-lune-38";
const SESSION: &str = "comptoir_session";

async fn page(app: &TestApp, path: &str, cookies: &str) -> reqwest::Response {
    app.get_with(path, &[(ACCEPT, "text/html"), (COOKIE, cookies)])
        .await
}

/// The value a response sets for cookie `name` (`Some("")` when it removes it).
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    forms::set_cookie(response.headers(), name).map(|(value, _)| value)
}

/// Signs up, confirms by the emailed link and returns the `Cookie` header of the session.
async fn customer(app: &TestApp, email: &str) -> String {
    format!(
        "{SESSION}={}",
        forms::confirmed_account(app, email, PASSWORD).await
    )
}

async fn sign_in(app: &TestApp, email: &str, cookies: &str) -> reqwest::Response {
    post(
        app,
        "/api/account/sign-in",
        &[("email", email), ("password", PASSWORD)],
        cookies,
    )
    .await
}

const HOME: &[(&str, &str)] = &[
    ("address[label]", "Maison"),
    ("address[first_name]", "Camille"),
    ("address[last_name]", "Martin"),
    ("address[line1]", "12 rue des Lilas"),
    ("address[postal_code]", "75011"),
    ("address[city]", "Paris"),
    ("address[country]", "FR"),
];

fn with<'a>(
    base: &[(&'a str, &'a str)],
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = base
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .copied()
        .collect();
    fields.extend_from_slice(changes);
    fields
}

async fn book(app: &TestApp, email: &str) -> Vec<address::Model> {
    let owner = support::forms::account(app, email).await;
    address::Entity::find()
        .filter(address::Column::UserId.eq(owner.id))
        .order_by_asc(address::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn the_profile_keeps_title_names_and_phone(backend: Backend) {
    let app = spawn(backend).await;
    let me = customer(&app, "profil@exemple.fr").await;
    let html = page(&app, "/account/profile", &me)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("profil@exemple.fr") && html.contains("value=\"Camille\""),
        "{html}"
    );
    // A bad phone number: 400 with the reason, nothing saved.
    let response = call(
        &app,
        "/api/account/update-profile",
        &[
            ("title", "mme"),
            ("first_name", "Camille"),
            ("last_name", "Durand"),
            ("phone", "12-AB"),
        ],
        &me,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("numéro de téléphone")
    );
    let response = call(
        &app,
        "/api/account/update-profile",
        &[
            ("title", "dr"),
            ("first_name", "Camille"),
            ("last_name", "Durand"),
            ("phone", ""),
        ],
        &me,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let saved = support::forms::account(&app, "profil@exemple.fr").await;
    assert_eq!((saved.last_name.as_str(), saved.phone), ("Martin", None));
    // A good one, from the form.
    let response = post(
        &app,
        "/api/account/update-profile",
        &[
            ("title", "mme"),
            ("first_name", " Camille "),
            ("last_name", "Durand"),
            ("phone", "+33 6 12 34 56 78"),
        ],
        &me,
    )
    .await;
    assert_eq!(location(&response), "/account/profile?saved=1");
    let html = page(&app, "/account/profile?saved=1", &me)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"Durand\"") && html.contains("+33 6 12 34 56 78"));
    assert!(
        html.contains("<option value=\"mme\" selected"),
        "the title is chosen"
    );
    // Without a session: 401 to a script, nothing changed.
    let response = call(
        &app,
        "/api/account/update-profile",
        &[
            ("title", ""),
            ("first_name", "X"),
            ("last_name", "Y"),
            ("phone", ""),
        ],
        "",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

async fn the_address_book_adds_edits_defaults_and_deletes(backend: Backend) {
    let app = spawn(backend).await;
    let me = customer(&app, "carnet@exemple.fr").await;
    // A French postal code has five digits.
    let response = call(
        &app,
        "/api/account/save-address",
        &with(HOME, &[("address[postal_code]", "7501")]),
        &me,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(body.contains("code postal"), "{body}");
    // A code of Réunion with "metropolitan France": refused, naming the territory.
    let response = call(
        &app,
        "/api/account/save-address",
        &with(HOME, &[("address[postal_code]", "97400")]),
        &me,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(body.contains("La Réunion"), "{body}");
    assert!(
        book(&app, "carnet@exemple.fr").await.is_empty(),
        "nothing half saved"
    );
    // The same mistake in a form posted without JavaScript: back to the form, which says why.
    let response = app
        .client
        .post(app.url("/api/account/save-address"))
        .header(ACCEPT, "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("referer", app.url("/account/addresses"))
        .header(COOKIE, &me)
        .form(&with(HOME, &[("address[postal_code]", "7501")]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let back = location(&response);
    assert!(
        back.starts_with(&app.url("/account/addresses?")) && back.contains("__err="),
        "{back}"
    );
    let form = page(&app, back.trim_start_matches(&app.base), &me).await;
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().await.unwrap();
    assert!(html.contains("Ce code postal n"), "{html}");
    // What was typed is there again, once.
    assert!(html.contains("value=\"12 rue des Lilas\"") && html.contains("value=\"7501\""));
    let html = page(&app, "/account/addresses", &me)
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("value=\"12 rue des Lilas\""));
    assert!(book(&app, "carnet@exemple.fr").await.is_empty());
    // The first address becomes the default.
    let response = post(&app, "/api/account/save-address", HOME, &me).await;
    assert_eq!(location(&response), "/account/addresses?saved=1");
    let office = with(
        HOME,
        &[
            ("address[label]", "Bureau"),
            ("address[line1]", "3 place Bellecour"),
            ("address[postal_code]", "69002"),
            ("address[city]", "Lyon"),
        ],
    );
    post(&app, "/api/account/save-address", &office, &me).await;
    let addresses = book(&app, "carnet@exemple.fr").await;
    assert_eq!(addresses.len(), 2);
    assert_eq!(
        addresses.iter().map(|a| a.is_default).collect::<Vec<_>>(),
        [true, false]
    );
    let (home, work) = (addresses[0].id, addresses[1].id);
    let html = page(&app, "/account/addresses", &me)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("12 rue des Lilas") && html.contains("3 place Bellecour"));
    // Edit, and make it the default in the same step.
    let id = work.to_string();
    let mut edit = with(&office, &[("address[line2]", "4e étage"), ("id", &id)]);
    edit.push(("make_default", "on"));
    assert_eq!(
        location(&post(&app, "/api/account/save-address", &edit, &me).await),
        "/account/addresses?saved=1"
    );
    let addresses = book(&app, "carnet@exemple.fr").await;
    assert_eq!(
        addresses.iter().map(|a| a.is_default).collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(addresses[1].line2.as_deref(), Some("4e étage"));
    let html = page(&app, &format!("/account/addresses/{work}"), &me)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"4e étage\""));
    // Back to the first, then delete the default: the other takes its place.
    post(
        &app,
        "/api/account/default-address",
        &[("id", &home.to_string())],
        &me,
    )
    .await;
    let addresses = book(&app, "carnet@exemple.fr").await;
    assert_eq!(
        addresses.iter().map(|a| a.is_default).collect::<Vec<_>>(),
        [true, false]
    );
    let response = post(
        &app,
        "/api/account/delete-address",
        &[("id", &home.to_string())],
        &me,
    )
    .await;
    assert_eq!(location(&response), "/account/addresses?deleted=1");
    let addresses = book(&app, "carnet@exemple.fr").await;
    assert_eq!(addresses.len(), 1);
    assert!(addresses[0].is_default);
    // An unknown id, or not a number: 404.
    assert_eq!(
        page(&app, "/account/addresses/999999", &me).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(&app, "/account/addresses/abc", &me).await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn another_customers_addresses_are_not_found(backend: Backend) {
    let app = spawn(backend).await;
    let first = customer(&app, "premiere@exemple.fr").await;
    let second = customer(&app, "second@exemple.fr").await;
    post(&app, "/api/account/save-address", HOME, &first).await;
    let theirs = book(&app, "premiere@exemple.fr").await[0].clone();
    let id = theirs.id.to_string();
    // Through the page…
    let response = page(&app, &format!("/account/addresses/{id}"), &second).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(!response.text().await.unwrap().contains("12 rue des Lilas"));
    let html = page(&app, "/account/addresses", &second)
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("12 rue des Lilas"));
    // …and by calling every server function directly.
    let edit = with(HOME, &[("id", &id), ("address[line1]", "Volé")]);
    for (path, fields) in [
        ("/api/account/address", vec![("id", id.as_str())]),
        ("/api/account/save-address", edit),
        ("/api/account/default-address", vec![("id", id.as_str())]),
        ("/api/account/delete-address", vec![("id", id.as_str())]),
    ] {
        let response = call(&app, path, &fields, &second).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!response.text().await.unwrap().contains("Lilas"), "{path}");
    }
    assert_eq!(
        book(&app, "premiere@exemple.fr").await,
        vec![theirs],
        "untouched"
    );
    assert!(book(&app, "second@exemple.fr").await.is_empty());
    // The owner still reaches it.
    assert_eq!(
        call(&app, "/api/account/address", &[("id", &id)], &first)
            .await
            .status(),
        StatusCode::OK
    );
}

async fn the_back_office_is_for_staff_only(backend: Backend) {
    let app = spawn(backend).await;
    let response = page(&app, "/admin", "").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/account/sign-in?next=/admin");
    let shopper = customer(&app, "client@exemple.fr").await;
    let response = page(&app, "/admin", &shopper).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("réservé à l'équipe")
    );
    let response = call(&app, "/api/admin/overview", &[], &shopper).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // An editor's tools are the articles, not this.
    app::account::service::create_staff(
        &app.db,
        "redaction@exemple.fr",
        PASSWORD.into(),
        "Inès",
        "Roux",
        app.clock.now(),
    )
    .await
    .unwrap();
    let staff = app::account::service::create_staff(
        &app.db,
        "equipe@exemple.fr",
        PASSWORD.into(),
        "Paul",
        "Blanc",
        app.clock.now(),
    )
    .await
    .unwrap();
    use sea_orm::{ActiveModelTrait, Set};
    let editor = support::forms::account(&app, "redaction@exemple.fr").await;
    let mut editor: user::ActiveModel = editor.into();
    editor.role = Set("editor".into());
    editor.update(&app.db).await.unwrap();
    let response = sign_in(&app, "redaction@exemple.fr", "").await;
    let editor = format!("{SESSION}={}", set_cookie(&response, SESSION).unwrap());
    // An editor's part of the back office is the articles; the rest is refused.
    let home = page(&app, "/admin", &editor).await;
    assert!(home.status().is_redirection());
    assert_eq!(home.headers()["location"], "/admin/articles");
    assert_eq!(
        page(&app, "/admin/outbox", &editor).await.status(),
        StatusCode::FORBIDDEN
    );
    let response = sign_in(&app, &staff.email, "").await;
    let staff = format!("{SESSION}={}", set_cookie(&response, SESSION).unwrap());
    let response = page(&app, "/admin", &staff).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let on_sale = product::Entity::find()
        .filter(product::Column::Status.eq("active"))
        .filter(product::Column::VariantOf.is_null())
        .all(&app.db)
        .await
        .unwrap()
        .len();
    assert!(
        html.contains(&format!(
            "products-on-sale\" class=\"admin__figure\">{on_sale}<"
        )),
        "{html}"
    );
    // The outbox: every email, for staff only.
    assert_eq!(
        page(&app, "/admin/outbox", &shopper).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(&app, "/api/admin/outbox", &[("page", "1")], &shopper)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let response = page(&app, "/admin/outbox", &staff).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("client@exemple.fr") && html.contains("Confirmez votre adresse e-mail"));
    assert!(html.contains("En attente d&#x27;envoi") || html.contains("En attente d'envoi"));
}

async fn the_cart_follows_the_account_and_merges_at_sign_in(backend: Backend) {
    let app = spawn(backend).await;
    let ids: Vec<i32> = product::Entity::find()
        .order_by_asc(product::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .take(3)
        .collect();
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    let me = customer(&app, "panier@exemple.fr").await;
    // While signed in, each change the browser makes is kept with the account.
    let kept = format!("BE~{a}x2~{b}x1");
    assert_eq!(
        call(&app, "/api/cart/sync", &[("content", &kept)], &me)
            .await
            .status(),
        StatusCode::OK
    );
    let owner = book_owner(&app, "panier@exemple.fr").await;
    let saved = saved_cart::Entity::find_by_id(owner)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.content, kept);
    // Tampered content is cleaned, not stored as sent.
    call(
        &app,
        "/api/cart/sync",
        &[("content", &format!("BE~{a}x2~{b}x1~junk~{b}x9"))],
        &me,
    )
    .await;
    let saved = saved_cart::Entity::find_by_id(owner)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        saved.content.starts_with(&format!("BE~{a}x2~{b}x")),
        "{}",
        saved.content
    );
    call(&app, "/api/cart/sync", &[("content", &kept)], &me).await;
    // A visitor's cart is not stored anywhere.
    assert_eq!(
        call(&app, "/api/cart/sync", &[("content", "FR~1x1")], "")
            .await
            .status(),
        StatusCode::OK
    );
    // Signing out leaves no cart behind on this browser.
    let response = post(
        &app,
        "/api/account/sign-out",
        &[],
        &format!("{me}; comptoir_cart={kept}"),
    )
    .await;
    assert_eq!(set_cookie(&response, "comptoir_cart").as_deref(), Some(""));
    // Another browser with its own cart signs in: its lines first, the saved ones after, the
    // larger quantity of a product in both, its destination.
    let response = sign_in(
        &app,
        "panier@exemple.fr",
        &format!("comptoir_cart=FR~{c}x1~{a}x1"),
    )
    .await;
    assert_eq!(location(&response), "/account");
    let merged = format!("FR~{c}x1~{a}x2~{b}x1");
    assert_eq!(
        set_cookie(&response, "comptoir_cart").as_deref(),
        Some(merged.as_str())
    );
    let saved = saved_cart::Entity::find_by_id(owner)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.content, merged);
    // The same browser signing in again does not double anything.
    let response = sign_in(
        &app,
        "panier@exemple.fr",
        &format!("comptoir_cart={merged}"),
    )
    .await;
    assert_eq!(
        set_cookie(&response, "comptoir_cart").as_deref(),
        Some(merged.as_str())
    );
    // A browser with an empty cart gets the saved one, destination included.
    let response = sign_in(&app, "panier@exemple.fr", "").await;
    assert_eq!(
        set_cookie(&response, "comptoir_cart").as_deref(),
        Some(merged.as_str())
    );
    let cookie = format!(
        "{SESSION}={}; comptoir_cart={merged}",
        set_cookie(&response, SESSION).unwrap()
    );
    // The server renders that cart.
    let html = page(&app, "/cart", &cookie).await.text().await.unwrap();
    assert!(
        html.contains("cart-line"),
        "the cart page lists the merged lines"
    );
}

async fn book_owner(app: &TestApp, email: &str) -> i32 {
    support::forms::account(app, email).await.id
}

/// `server create-admin` makes a confirmed staff account, and refuses a weak password.
#[test]
fn create_admin_makes_a_confirmed_staff_account() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/admin.db", dir.path().display());
    let run = |password: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args([
                "create-admin",
                "--email",
                "Chef@Exemple.fr",
                "--first-name",
                "Lucie",
                "--last-name",
                "Morel",
            ])
            .env("DATABASE_URL", &url)
            .env("ADMIN_PASSWORD", password)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let weak = run("password123");
    assert!(!weak.status.success());
    assert!(
        String::from_utf8_lossy(&weak.stderr).contains("password"),
        "{weak:?}"
    );
    let made = run(PASSWORD);
    assert!(made.status.success(), "{made:?}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = sea_orm::Database::connect(&url).await.unwrap();
        let admin = user::Entity::find()
            .filter(user::Column::Email.eq("chef@exemple.fr"))
            .one(&db)
            .await
            .unwrap()
            .expect("created");
        assert_eq!(admin.role, "staff");
        assert!(admin.email_verified_at.is_some());
        assert_ne!(admin.password_hash, PASSWORD);
    });
    // The same address twice is refused.
    assert!(!run(PASSWORD).status.success());
}

/// The link in the last email of `kind` to `to`, as a path.
async fn emailed_path(app: &TestApp, to: &str, kind: &str) -> Option<String> {
    let mail = email_outbox::Entity::find()
        .filter(email_outbox::Column::ToAddress.eq(to))
        .filter(email_outbox::Column::Kind.eq(kind))
        .order_by_desc(email_outbox::Column::Id)
        .one(&app.db)
        .await
        .unwrap()?;
    // The site's public address, then the path.
    let start = mail.body_text.find("://")? + 3;
    let link = mail.body_text[start..].split_whitespace().next()?;
    Some(link[link.find('/')?..].to_owned())
}

async fn the_email_changes_only_through_a_link_sent_to_the_new_address(backend: Backend) {
    let app = spawn(backend).await;
    let me = customer(&app, "ancienne@exemple.fr").await;
    customer(&app, "prise@exemple.fr").await;
    // The password is asked again; a wrong one changes nothing and sends nothing.
    let response = call(
        &app,
        "/api/account/change-email",
        &[
            ("new_email", "nouvelle@exemple.fr"),
            ("current_password", "pas-le-bon-mot"),
        ],
        &me,
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        emailed_path(&app, "nouvelle@exemple.fr", "email_change")
            .await
            .is_none()
    );
    // The same address, or not an address: refused with the reason.
    for (address, reason) in [
        ("ancienne@exemple.fr", "déjà l'adresse"),
        ("pas-une-adresse", "adresse"),
    ] {
        let response = call(
            &app,
            "/api/account/change-email",
            &[("new_email", address), ("current_password", PASSWORD)],
            &me,
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.text().await.unwrap().contains(reason), "{address}");
    }
    // An address another account uses: the same answer, that owner is told, no link exists.
    let response = post(
        &app,
        "/api/account/change-email",
        &[
            ("new_email", "Prise@Exemple.fr"),
            ("current_password", PASSWORD),
        ],
        &me,
    )
    .await;
    assert_eq!(location(&response), "/account/security?email_sent=1");
    assert!(
        emailed_path(&app, "prise@exemple.fr", "account_exists")
            .await
            .is_some()
    );
    assert!(
        emailed_path(&app, "prise@exemple.fr", "email_change")
            .await
            .is_none()
    );
    // A free address: a link to it, a notice to the current one, and nothing changed yet.
    let response = post(
        &app,
        "/api/account/change-email",
        &[
            ("new_email", "nouvelle@exemple.fr"),
            ("current_password", PASSWORD),
        ],
        &me,
    )
    .await;
    assert_eq!(location(&response), "/account/security?email_sent=1");
    assert!(
        emailed_path(&app, "ancienne@exemple.fr", "email_change_requested")
            .await
            .is_some()
    );
    let link = emailed_path(&app, "nouvelle@exemple.fr", "email_change")
        .await
        .expect("a link");
    assert!(link.starts_with("/account/email/confirm?token="), "{link}");
    // Opening the link shows a button; only the POST changes the address.
    assert_eq!(page(&app, &link, "").await.status(), StatusCode::OK);
    assert!(
        user::Entity::find()
            .filter(user::Column::Email.eq("nouvelle@exemple.fr"))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let response = post(
        &app,
        "/api/account/confirm-email-change",
        &[("token", &token)],
        "",
    )
    .await;
    assert_eq!(location(&response), "/account/security?email_changed=1");
    let moved = user::Entity::find()
        .filter(user::Column::Email.eq("nouvelle@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("moved");
    assert!(moved.email_verified_at.is_some());
    assert!(
        emailed_path(&app, "ancienne@exemple.fr", "email_changed")
            .await
            .is_none(),
        "no link in the notice"
    );
    assert_eq!(
        email_outbox::Entity::find()
            .filter(email_outbox::Column::ToAddress.eq("ancienne@exemple.fr"))
            .filter(email_outbox::Column::Kind.eq("email_changed"))
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        1
    );
    // Once only; the new address signs in, the old one no longer does.
    let again = call(
        &app,
        "/api/account/confirm-email-change",
        &[("token", &token)],
        "",
    )
    .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        location(&sign_in(&app, "nouvelle@exemple.fr", "").await),
        "/account"
    );
    let old = call(
        &app,
        "/api/account/sign-in",
        &[("email", "ancienne@exemple.fr"), ("password", PASSWORD)],
        "",
    )
    .await;
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
}

/// A change the browser made just before signing out (its sync cut short by leaving the page)
/// is not lost: sign-out keeps the browser's cart with the account.
async fn the_cart_at_sign_out_stays_with_the_account(backend: Backend) {
    let app = spawn(backend).await;
    let ids: Vec<i32> = product::Entity::find()
        .order_by_asc(product::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .take(2)
        .collect();
    let me = customer(&app, "depart@exemple.fr").await;
    call(
        &app,
        "/api/cart/sync",
        &[("content", &format!("FR~{}x1", ids[0]))],
        &me,
    )
    .await;
    let latest = format!("FR~{}x1~{}x2", ids[0], ids[1]);
    post(
        &app,
        "/api/account/sign-out",
        &[],
        &format!("{me}; comptoir_cart={latest}"),
    )
    .await;
    let owner = book_owner(&app, "depart@exemple.fr").await;
    let saved = saved_cart::Entity::find_by_id(owner)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.content, latest);
    // Signing in elsewhere finds it.
    let response = sign_in(&app, "depart@exemple.fr", "").await;
    assert_eq!(
        set_cookie(&response, "comptoir_cart").as_deref(),
        Some(latest.as_str())
    );
}
