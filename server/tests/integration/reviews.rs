//! Verified reviews: only the customer of a delivered order with the product may write one,
//! once per product per order; staff publish or refuse it (the author told why, by email),
//! audited; at the account's erasure a published review stays anonymised and the others go.

use crate::support;

use app::clock::Clock as _;
use app::db::entities::{audit_log, email_outbox, order, order_line, review};
use app::i18n::Locale;
use app::reviews::service::{ReviewError, forget_author, publish, refuse, to_review, write};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use support::forms::{account, confirmed_account, staff_session};
use support::shop::delivered_order;
use support::{Backend, spawn};

both_backends!(a_delivered_customer_reviews_once_and_staff_moderate);

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
