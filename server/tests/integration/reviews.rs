//! Verified reviews: only the customer of a delivered order with the product may write one,
//! once per product per order; staff publish or refuse it (the author told why, by email),
//! audited; at the account's erasure a published review stays anonymised and the others go.

use crate::support;

use app::clock::Clock as _;
use app::db::entities::{audit_log, email_outbox, order, order_line, review};
use app::i18n::Locale;
use app::reviews::service::{ReviewError, forget_author, publish, refuse, to_review, write};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use support::forms::{account, call, confirmed_account, location, page, post_form, staff_session};
use support::shop::delivered_order;
use support::{Backend, spawn};

both_backends!(
    a_delivered_customer_reviews_once_and_staff_moderate,
    a_review_written_on_the_account_page_shows_on_the_product_page_once_published,
);

async fn a_delivered_customer_reviews_once_and_staff_moderate(backend: Backend) {
    let app = spawn(backend).await;
    let now = app.clock.now();
    confirmed_account(&app, "avis@exemple.fr", "Sentiers-de-lavande-27").await;
    confirmed_account(&app, "autre@exemple.fr", "Sentiers-de-lavande-27").await;
    let author = account(&app, "avis@exemple.fr").await;
    let other = account(&app, "autre@exemple.fr").await;
    // Two orders of the customer: one delivered, one only paid.
    let delivered = delivered_order(&app, "avis@exemple.fr", 1, now).await;
    let paid = delivered_order(&app, "avis@exemple.fr", 2, now).await;
    for (o, status) in [(&delivered, "delivered"), (&paid, "paid")] {
        order::Entity::update_many()
            .col_expr(order::Column::UserId, Expr::value(Some(author.id)))
            .col_expr(order::Column::Status, Expr::value(status))
            .filter(order::Column::Id.eq(o.id))
            .exec(&app.db)
            .await
            .unwrap();
    }
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(delivered.id))
        .all(&app.db)
        .await
        .unwrap();
    let product = lines[0].product_id;
    let unbought = app::db::entities::product::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|p| lines.iter().all(|l| l.product_id != p.id))
        .unwrap()
        .id;
    let text = "Texture agréable, je le rachèterai.";

    // The products of the delivered order are waiting for a review; not the paid one's.
    let waiting = to_review(&app.db, author.id).await.unwrap();
    assert_eq!(waiting.len(), lines.len());
    assert!(waiting.iter().all(|w| w.order_number == delivered.number));

    // Refusals, nothing written.
    let refused = [
        (&author, paid.number.as_str(), product, 5, text),
        (&author, delivered.number.as_str(), unbought, 5, text),
        (&other, delivered.number.as_str(), product, 5, text),
        (&author, delivered.number.as_str(), product, 0, text),
        (&author, delivered.number.as_str(), product, 6, text),
        (&author, delivered.number.as_str(), product, 4, "Bien."),
    ];
    for (who, number, product, rating, body) in refused {
        let answer = write(&app.db, who, number, product, rating, body, Locale::Fr, now).await;
        assert!(
            matches!(
                answer,
                Err(ReviewError::NotBought | ReviewError::Rating | ReviewError::Body)
            ),
            "{number} {product} {rating} {body}: {answer:?}"
        );
    }
    assert!(
        review::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    // Written once; a second time (even two at once) is refused.
    let id = write(
        &app.db,
        &author,
        &delivered.number,
        product,
        4,
        text,
        Locale::Fr,
        now,
    )
    .await
    .unwrap();
    let again = write(
        &app.db,
        &author,
        &delivered.number,
        product,
        5,
        text,
        Locale::Fr,
        now,
    )
    .await;
    assert!(matches!(again, Err(ReviewError::AlreadyReviewed)));
    let written = review::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(written.status, "pending");
    assert_eq!(written.author_name, "Camille M.", "first name and initial");
    assert_eq!(
        to_review(&app.db, author.id).await.unwrap().len(),
        lines.len() - 1
    );

    // Staff publish one and refuse another, telling its author why.
    let staff_cookies = staff_session(&app).await;
    assert!(!staff_cookies.is_empty());
    let staff = account(&app, "equipe@exemple.fr").await;
    publish(&app.db, id, staff.id, now).await.unwrap();
    assert!(matches!(
        publish(&app.db, id, staff.id, now).await,
        Err(ReviewError::NotPending)
    ));
    let second = write(
        &app.db,
        &author,
        &delivered.number,
        lines[1].product_id,
        1,
        "Contactez-moi au 06 12 34 56 78 pour en parler.",
        Locale::Fr,
        now,
    )
    .await
    .unwrap();
    assert!(matches!(
        refuse(&app.db, second, "  ", staff.id, now).await,
        Err(ReviewError::Reason)
    ));
    refuse(
        &app.db,
        second,
        "Un avis ne peut pas contenir de coordonnées.",
        staff.id,
        now,
    )
    .await
    .unwrap();
    let told = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("review_refused"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(told.to_address, "avis@exemple.fr");
    assert!(
        told.body_text
            .contains("Un avis ne peut pas contenir de coordonnées.")
    );
    let actions: Vec<String> = audit_log::Entity::find()
        .filter(
            audit_log::Column::Subject.is_in([format!("review:{id}"), format!("review:{second}")]),
        )
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["review.publish", "review.refuse"]);

    // The author's account erased: the published review stays without a name, the refused
    // one goes.
    let txn = app::db::begin_write(&app.db).await.unwrap();
    forget_author(&txn, author.id).await.unwrap();
    txn.commit().await.unwrap();
    let left = review::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, id);
    assert_eq!((left[0].user_id, left[0].author_name.as_str()), (None, ""));
}

async fn a_review_written_on_the_account_page_shows_on_the_product_page_once_published(
    backend: Backend,
) {
    let app = spawn(backend).await;
    let now = app.clock.now();
    let cookies = format!(
        "comptoir_session={}",
        confirmed_account(&app, "avis@exemple.fr", "Sentiers-de-lavande-27").await
    );
    let author = account(&app, "avis@exemple.fr").await;
    let delivered = delivered_order(&app, "avis@exemple.fr", 1, now).await;
    order::Entity::update_many()
        .col_expr(order::Column::UserId, Expr::value(Some(author.id)))
        .filter(order::Column::Id.eq(delivered.id))
        .exec(&app.db)
        .await
        .unwrap();
    let line = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(delivered.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let product = app::db::entities::product::Entity::find_by_id(line.product_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let product_page = format!("/products/{}", product.slug);

    // The account page offers the delivered products, each with its form.
    let (status, html) = page(&app, "/account/reviews", &cookies).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-testid=\"review-slot\""));
    assert!(html.contains(&line.name));
    let product_id = line.product_id.to_string();
    let fields = |rating: &'static str| {
        vec![
            ("order_number", delivered.number.clone()),
            ("product_id", product_id.clone()),
            ("rating", rating.to_owned()),
            (
                "body",
                "Une texture fondante, un parfum discret.".to_owned(),
            ),
        ]
    };
    fn as_pairs<'a>(f: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
        f.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
    let bad = call(
        &app,
        "/api/account/reviews/write",
        &as_pairs(&fields("9")),
        &cookies,
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let answer = post_form(
        &app,
        "/api/account/reviews/write",
        &as_pairs(&fields("4")),
        &cookies,
    )
    .await;
    assert_eq!(location(&answer), "/account/reviews?written=1");
    let twice = call(
        &app,
        "/api/account/reviews/write",
        &as_pairs(&fields("5")),
        &cookies,
    )
    .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let visitor = call(
        &app,
        "/api/account/reviews/write",
        &as_pairs(&fields("5")),
        "",
    )
    .await;
    assert_eq!(visitor.status(), StatusCode::UNAUTHORIZED);

    // Not on the product page before staff publish it.
    let (_, html) = page(&app, &product_page, "").await;
    assert!(html.contains("data-testid=\"product-reviews\""));
    assert!(!html.contains("Une texture fondante"));
    assert!(!html.contains("aggregateRating"));
    assert!(
        html.contains("seuls les clients dont la commande"),
        "how reviews are checked"
    );

    let staff = staff_session(&app).await;
    let (_, html) = page(&app, "/admin/reviews", &staff).await;
    assert!(html.contains("Une texture fondante"));
    let id = review::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let customer_try = call(
        &app,
        "/api/admin/reviews/moderate",
        &[("id", id.as_str()), ("decision", "publish")],
        &cookies,
    )
    .await;
    assert_eq!(customer_try.status(), StatusCode::FORBIDDEN);
    let answer = post_form(
        &app,
        "/api/admin/reviews/moderate",
        &[("id", id.as_str()), ("decision", "publish")],
        &staff,
    )
    .await;
    assert_eq!(location(&answer), "/admin/reviews?done=1");

    // Published: the text, the author's first name and initial, "verified purchase", the
    // average in the page and in JSON-LD.
    let (_, html) = page(&app, &product_page, "").await;
    assert!(html.contains("Une texture fondante"));
    assert!(html.contains("Camille M."));
    assert!(html.contains("Achat vérifié"));
    assert!(html.contains("4,0 / 5"), "written the French way");
    assert!(html.contains("\"aggregateRating\""));
    assert!(html.contains("\"ratingValue\":\"4.0\""));
    assert!(html.contains("\"reviewCount\":1"));
    let (_, html) = page(&app, "/account/reviews", &cookies).await;
    assert!(html.contains("data-testid=\"my-reviews\"") && html.contains("publié"));
}
