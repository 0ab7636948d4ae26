//! Service notices to every customer: staff send one from the back office; it reaches every
//! live account and every address that ordered as a guest in the chosen period, once per
//! address, through the outbox; signed-in customers see it above every page until they
//! acknowledge it, and the acknowledgement is kept as proof, for five years.

use crate::support;

use app::clock::Clock as _;
use app::db::entities::{audit_log, email_outbox, notice_recipient, order, service_notice, user};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use support::forms::{call, confirmed_account, location, page, post_form, staff_session};
use support::shop::delivered_order;
use support::{Backend, spawn};

both_backends!(a_notice_reaches_every_customer_once_and_stays_until_acknowledged);

const PASSWORD: &str = "Sentiers-de-lavande-27";

fn notice<'a>(
    kind: &'a str,
    legal: bool,
    years: &'a str,
    confirm: bool,
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("kind", kind),
        ("subject_fr", "Notre politique de confidentialité évolue"),
        ("subject_en", "Our privacy policy is changing"),
        (
            "body_fr",
            "Bonjour,\n\nNous précisons la durée de conservation de vos données.",
        ),
        (
            "body_en",
            "Hello,\n\nWe now state how long your data is kept.",
        ),
        ("years", years),
    ];
    if legal {
        fields.push(("legal", "on"));
    }
    if confirm {
        fields.push(("confirm", "on"));
    }
    fields
}

async fn a_notice_reaches_every_customer_once_and_stays_until_acknowledged(backend: Backend) {
    let app = spawn(backend).await;
    let now = app.clock.now();
    let reader = confirmed_account(&app, "lectrice@exemple.fr", PASSWORD).await;
    confirmed_account(&app, "autre@exemple.fr", PASSWORD).await;
    confirmed_account(&app, "partie@exemple.fr", PASSWORD).await;
    user::Entity::update_many()
        .col_expr(user::Column::DeletedAt, Expr::value(Some(now)))
        .filter(user::Column::Email.eq("partie@exemple.fr"))
        .exec(&app.db)
        .await
        .unwrap();
    // Guests: one recent, one whose last order is five years old, one account holder who
    // also ordered as a guest, one anonymised.
    delivered_order(&app, "recente@exemple.fr", 1, now).await;
    let old = delivered_order(&app, "ancienne@exemple.fr", 2, now).await;
    let anonymised = delivered_order(&app, "effacee@exemple.fr", 3, now).await;
    delivered_order(&app, "lectrice@exemple.fr", 4, now).await;
    order::Entity::update_many()
        .col_expr(
            order::Column::CreatedAt,
            Expr::value(now - chrono::Duration::days(5 * 365)),
        )
        .filter(order::Column::Id.eq(old.id))
        .exec(&app.db)
        .await
        .unwrap();
    order::Entity::update_many()
        .col_expr(order::Column::Email, Expr::value("guest-r1@erased.invalid"))
        .filter(order::Column::Id.eq(anonymised.id))
        .exec(&app.db)
        .await
        .unwrap();
    let staff = staff_session(&app).await;
    let outbox_before = email_outbox::Entity::find().count(&app.db).await.unwrap();

    // Refused, nothing written: unconfirmed, a bad period, a legal page a breach cannot
    // announce, a missing subject, a visitor.
    for fields in [
        notice("privacy", true, "3", false),
        notice("privacy", true, "0", true),
        notice("breach", true, "3", true),
        notice("nonsense", false, "3", true),
    ] {
        let answer = call(&app, "/api/admin/notices/send", &fields, &staff).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{fields:?}");
    }
    let mut blank = notice("service", false, "3", true);
    blank[2].1 = "  ";
    let answer = call(&app, "/api/admin/notices/send", &blank, &staff).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let answer = call(
        &app,
        "/api/admin/notices/send",
        &notice("privacy", true, "3", true),
        &format!("comptoir_session={reader}"),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        service_notice::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    assert_eq!(
        email_outbox::Entity::find().count(&app.db).await.unwrap(),
        outbox_before
    );

    // Sent: the live accounts (the staff member's too) and the recent guest, once each.
    let answer = post_form(
        &app,
        "/api/admin/notices/send",
        &notice("privacy", true, "3", true),
        &staff,
    )
    .await;
    assert_eq!(location(&answer), "/admin/notices?sent=4");
    let sent = service_notice::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sent.recipients, 4);
    assert_eq!(sent.legal_kind.as_deref(), Some("privacy"));
    assert!(sent.legal_version.is_some());
    let mut to: Vec<String> = email_outbox::Entity::find()
        .filter(email_outbox::Column::Kind.eq("service_notice"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| {
            assert!(m.body_text.contains("Nous précisons") && m.body_text.contains("We now state"));
            assert!(m.body_text.contains(&format!("{}/legal/privacy", app.base)));
            assert!(m.subject.contains("Our privacy policy"));
            m.to_address
        })
        .collect();
    to.sort();
    assert_eq!(
        to,
        [
            "autre@exemple.fr",
            "equipe@exemple.fr",
            "lectrice@exemple.fr",
            "recente@exemple.fr"
        ]
    );
    let logged = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("notice.send"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].subject, format!("notice:{}", sent.id));
    let (status, html) = page(&app, "/admin/notices", &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Notre politique de confidentialité évolue"));

    // The reader sees it above every page until acknowledging it; a visitor never does.
    let cookies = format!("comptoir_session={reader}");
    for path in ["/", "/products"] {
        let (_, html) = page(&app, path, &cookies).await;
        assert!(html.contains("data-testid=\"service-notice\""), "{path}");
        assert!(html.contains("Notre politique de confidentialité évolue"));
    }
    let (_, html) = page(&app, "/", "").await;
    assert!(!html.contains("data-testid=\"service-notice\""));
    let other = call(
        &app,
        "/api/notices/acknowledge",
        &[("id", "999"), ("next", "/")],
        &cookies,
    )
    .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let id = sent.id.to_string();
    let answer = post_form(
        &app,
        "/api/notices/acknowledge",
        &[("id", id.as_str()), ("next", "/products")],
        &cookies,
    )
    .await;
    assert_eq!(location(&answer), "/products");
    let (_, html) = page(&app, "/products", &cookies).await;
    assert!(!html.contains("data-testid=\"service-notice\""));
    let proof = notice_recipient::Entity::find()
        .filter(notice_recipient::Column::Email.eq("lectrice@exemple.fr"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let acknowledged = proof.acknowledged_at.expect("the acknowledgement kept");
    // Acknowledging again keeps the first time.
    app.clock.advance(chrono::Duration::minutes(5));
    post_form(
        &app,
        "/api/notices/acknowledge",
        &[("id", id.as_str()), ("next", "/")],
        &cookies,
    )
    .await;
    let again = notice_recipient::Entity::find_by_id(proof.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.acknowledged_at, Some(acknowledged));

    // A breach notice, without a legal page: a second notice reaches the same addresses, once.
    let answer = post_form(
        &app,
        "/api/admin/notices/send",
        &notice("breach", false, "10", true),
        &staff,
    )
    .await;
    assert_eq!(
        location(&answer),
        "/admin/notices?sent=5",
        "the five-year-old guest too"
    );
    let notices = service_notice::Entity::find()
        .order_by_asc(service_notice::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(notices[1].legal_kind, None);

    // The proof of each notice goes five years after it was sent.
    let kept = app::privacy::service::retention::purge_notice_recipients(
        &app.db,
        app.clock.now() + chrono::Duration::days(4 * 365),
    )
    .await
    .unwrap();
    assert_eq!(kept, 0);
    let gone = app::privacy::service::retention::purge_notice_recipients(
        &app.db,
        app.clock.now() + chrono::Duration::days(5 * 365 + 2),
    )
    .await
    .unwrap();
    assert_eq!(gone, 9);
    assert_eq!(
        notice_recipient::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}
