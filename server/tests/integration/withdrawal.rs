//! The online withdrawal function and the missing-item claim: without signing in (order
//! number and email), open 14 days from delivery (day 14 yes, day 15 no) and 24 hours for a
//! missing item, sealed items only, two confirmation steps and an emailed receipt; staff
//! refund the price and, for the whole order, the initial delivery, with a credit note.

use crate::support;

use app::db::entities::{credit_note, email_outbox, order, order_event, withdrawal_request};
use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use support::forms::{call, location, post_form, set_cookie, staff_session};
use support::shop::*;
use support::{Backend, TestApp, spawn};

both_backends!(
    withdrawal_is_accepted_on_day_14_and_refunded_by_staff,
    withdrawal_is_refused_on_day_15_and_for_the_wrong_address,
    opened_items_are_refused_and_a_missing_item_has_24_hours,
);

const EMAIL: &str = "retour@exemple.fr";

/// Noon in Paris, `days` days before today (Paris).
fn paris_noon_days_ago(days: i64) -> DateTime<Utc> {
    let today = app::subscriptions::rules::paris_today(Utc::now());
    chrono_tz::Europe::Paris
        .from_local_datetime(
            &(today - Duration::days(days))
                .and_hms_opt(12, 0, 0)
                .unwrap(),
        )
        .unwrap()
        .with_timezone(&Utc)
}

/// Step 1 without JavaScript; returns the browser's session cookie.
async fn start(app: &TestApp, number: &str, email: &str, kind: &str) -> Result<String, String> {
    let answer = call(
        app,
        "/api/withdrawal/start",
        &[("number", number), ("email", email), ("kind", kind)],
        "",
    )
    .await;
    if answer.status() != StatusCode::OK {
        return Err(answer.text().await.unwrap());
    }
    let (session, _) = set_cookie(answer.headers(), SESSION).expect("a session");
    Ok(format!("{SESSION}={session}"))
}

fn picks(lines: &[(i32, &'static str, Option<&'static str>)]) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (i, (id, quantity, sealed)) in lines.iter().enumerate() {
        fields.push((format!("lines[{i}][line_id]"), id.to_string()));
        fields.push((format!("lines[{i}][quantity]"), (*quantity).to_owned()));
        if let Some(sealed) = sealed {
            fields.push((format!("lines[{i}][sealed]"), (*sealed).to_owned()));
        }
    }
    fields
}

async fn status_of(app: &TestApp, id: i32) -> String {
    order::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn line_ids(app: &TestApp, order: &order::Model) -> Vec<i32> {
    use app::db::entities::order_line;
    let mut lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .all(&app.db)
        .await
        .unwrap();
    lines.sort_by_key(|l| l.id);
    lines.into_iter().map(|l| l.id).collect()
}

async fn withdrawal_is_accepted_on_day_14_and_refunded_by_staff(backend: Backend) {
    let app = spawn(backend).await;
    let order = delivered_order(&app, EMAIL, 1, paris_noon_days_ago(14)).await;
    let ids = line_ids(&app, &order).await;
    // Say it was a referred person's first order: the sponsor's credit was earned with it.
    support::forms::confirmed_account(&app, "parrain@exemple.fr", "plume-encre-papier-42").await;
    let sponsor = support::forms::account(&app, "parrain@exemple.fr").await;
    let referral = app::db::entities::referral::ActiveModel {
        sponsor_id: Set(sponsor.id),
        referee_email: Set(EMAIL.into()),
        referee_user_id: Set(None),
        order_id: Set(order.id),
        status: Set("earned".into()),
        credit_cents: Set(1000),
        credit_order_id: Set(None),
        created_at: Set(order.created_at),
        updated_at: Set(order.created_at),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();

    // Without signing in, the number typed in lower case.
    let answer = post_form(
        &app,
        "/api/withdrawal/start",
        &[
            ("number", &order.number.to_lowercase()),
            ("email", "Retour@Exemple.fr"),
            ("kind", "withdrawal"),
        ],
        "",
    )
    .await;
    assert_eq!(location(&answer), "/withdrawal?step=lines");
    let (session, _) = set_cookie(answer.headers(), SESSION).unwrap();
    let me = format!("{SESSION}={session}");
    let page = app
        .get_with(
            "/withdrawal?step=lines",
            &[
                (reqwest::header::COOKIE, me.as_str()),
                (reqwest::header::ACCEPT, "text/html"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Sérum") && page.contains("scellés"),
        "the lines, with the seal box"
    );

    // Step 2: everything, sealed; step 3: the summary, then the confirmation.
    let fields = picks(&[(ids[0], "1", Some("yes")), (ids[1], "2", Some("yes"))]);
    let answer = post_form(&app, "/api/withdrawal/review", &pairs(&fields), &me).await;
    assert_eq!(location(&answer), "/withdrawal?step=confirm");
    assert!(
        withdrawal_request::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty(),
        "nothing is recorded before the confirmation"
    );
    let summary = app
        .get_with(
            "/withdrawal?step=confirm",
            &[
                (reqwest::header::COOKIE, me.as_str()),
                (reqwest::header::ACCEPT, "text/html"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(summary.contains("Confirmer ma rétractation"));
    let answer = post_form(&app, "/api/withdrawal/confirm", &[], &me).await;
    let done = location(&answer);
    assert!(done.starts_with("/withdrawal?done=R-"), "{done}");

    let request = withdrawal_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(request.kind, "withdrawal");
    // The whole order: the items and the initial delivery.
    assert_eq!(request.refund_cents, order.total_cents);
    let receipt = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("withdrawal_receipt"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a receipt");
    assert_eq!(receipt.to_address, EMAIL);
    assert!(receipt.body_text.contains(&request.reference));
    assert_eq!(status_of(&app, order.id).await, "withdrawn");
    // Withdrawn: the referral is reversed, its credit never to be spent.
    let referral = app::db::entities::referral::Entity::find_by_id(referral.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(referral.status, "reversed");
    // The session's request is over: confirming again finds nothing.
    let again = call(&app, "/api/withdrawal/confirm", &[], &me).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    // Nothing left to withdraw on this order.
    let me = start(&app, &order.number, EMAIL, "withdrawal")
        .await
        .unwrap();
    let fields = picks(&[(ids[0], "1", Some("yes"))]);
    let answer = call(&app, "/api/withdrawal/review", &pairs(&fields), &me).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);

    // Staff see it and refund it once, with a credit note.
    let staff = staff_session(&app).await;
    let customer_try = call(
        &app,
        "/api/admin/withdrawals/refund",
        &[("id", &request.id.to_string())],
        &me,
    )
    .await;
    assert_eq!(customer_try.status(), StatusCode::UNAUTHORIZED);
    let list = app
        .get_with(
            "/admin/withdrawals",
            &[
                (reqwest::header::COOKIE, staff.as_str()),
                (reqwest::header::ACCEPT, "text/html"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains(&request.reference));
    for _ in 0..2 {
        let answer = post_form(
            &app,
            "/api/admin/withdrawals/refund",
            &[("id", &request.id.to_string())],
            &staff,
        )
        .await;
        assert!(location(&answer).starts_with("/admin/withdrawals"));
    }
    let request = withdrawal_request::Entity::find_by_id(request.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(request.status, "refunded");
    let notes = credit_note::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(notes.len(), 1, "one refund, one credit note");
    assert_eq!(
        status_of(&app, order.id).await,
        "refunded",
        "refunded whole"
    );
}

async fn withdrawal_is_refused_on_day_15_and_for_the_wrong_address(backend: Backend) {
    let app = spawn(backend).await;
    let late = delivered_order(&app, EMAIL, 1, paris_noon_days_ago(15)).await;
    let refused = start(&app, &late.number, EMAIL, "withdrawal")
        .await
        .unwrap_err();
    assert!(refused.contains("délai est dépassé"), "{refused}");
    let order = delivered_order(&app, EMAIL, 2, paris_noon_days_ago(3)).await;
    // The wrong address and an unknown number get the same answer.
    let a = start(&app, &order.number, "autre@exemple.fr", "withdrawal")
        .await
        .unwrap_err();
    let b = start(&app, "CB99-NOPE00", EMAIL, "withdrawal")
        .await
        .unwrap_err();
    assert_eq!(a, b);
    // Not paid: no contract to withdraw from yet.
    let serum = product_by_slug(&app, "serum-eclat-vitamine-c").await;
    let cookies = fill(&app, &format!("FR~{}x1", serum.id), EMAIL, "FR", "card").await;
    place(&app, &cookies, &key(3)).await;
    let pending = orders(&app).await.pop().unwrap();
    let early = start(&app, &pending.number, EMAIL, "withdrawal")
        .await
        .unwrap_err();
    assert!(early.contains("pas payée"), "{early}");
    let bad_kind = call(
        &app,
        "/api/withdrawal/start",
        &[
            ("number", &order.number),
            ("email", EMAIL),
            ("kind", "refund-me"),
        ],
        "",
    )
    .await;
    assert_eq!(bad_kind.status(), StatusCode::BAD_REQUEST);
    // No request in progress: nothing to show or confirm.
    assert_eq!(
        call(&app, "/api/withdrawal/confirm", &[], "")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn opened_items_are_refused_and_a_missing_item_has_24_hours(backend: Backend) {
    let app = spawn(backend).await;
    let order = delivered_order(&app, EMAIL, 1, Utc::now() - Duration::hours(23)).await;
    let ids = line_ids(&app, &order).await;
    let me = start(&app, &order.number, EMAIL, "withdrawal")
        .await
        .unwrap();
    let fields = picks(&[(ids[0], "1", None)]);
    let answer = call(&app, "/api/withdrawal/review", &pairs(&fields), &me).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(answer.text().await.unwrap().contains("L221-28"));
    let fields = picks(&[(ids[1], "3", Some("yes"))]);
    let answer = call(&app, "/api/withdrawal/review", &pairs(&fields), &me).await;
    assert_eq!(
        answer.status(),
        StatusCode::BAD_REQUEST,
        "more than ordered"
    );

    // A missing magnesium, 23 hours after delivery: its price, no delivery.
    let me = start(&app, &order.number, EMAIL, "missing_item")
        .await
        .unwrap();
    let fields = picks(&[(ids[1], "1", None)]);
    let answer = call(&app, "/api/withdrawal/review", &pairs(&fields), &me).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let answer = call(&app, "/api/withdrawal/confirm", &[], &me).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let claim = withdrawal_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claim.kind, "missing_item");
    let magnesium = product_by_slug(&app, "magnesium-marin-b6").await;
    assert_eq!(claim.refund_cents, magnesium.price_cents);
    assert_eq!(
        status_of(&app, order.id).await,
        "delivered",
        "a missing item is no withdrawal"
    );

    // Withdrawing the serum marks the order withdrawn; the last magnesium can follow it.
    for (line, quantity) in [(ids[0], "1"), (ids[1], "1")] {
        let me = start(&app, &order.number, EMAIL, "withdrawal")
            .await
            .unwrap();
        let fields = picks(&[(line, quantity, Some("yes"))]);
        let answer = call(&app, "/api/withdrawal/review", &pairs(&fields), &me).await;
        assert_eq!(answer.status(), StatusCode::OK);
        let answer = call(&app, "/api/withdrawal/confirm", &[], &me).await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(status_of(&app, order.id).await, "withdrawn");
    }
    let moves: Vec<(String, Option<String>)> = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(order.id))
        .filter(order_event::Column::ToStatus.eq("withdrawn"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.note))
        .collect();
    assert_eq!(moves.len(), 1, "withdrawn once");
    assert_eq!(moves[0].0, "customer");
    assert!(moves[0].1.as_deref().unwrap_or("").starts_with("R-"));

    // 25 hours after delivery: too late for a missing item.
    let late = delivered_order(&app, EMAIL, 2, Utc::now() - Duration::hours(25)).await;
    let refused = start(&app, &late.number, EMAIL, "missing_item")
        .await
        .unwrap_err();
    assert!(refused.contains("délai est dépassé"), "{refused}");
}
