//! Every email the shop sends, written by the very code that sends it, for a sample customer
//! and order: the order and its lines are written in a transaction that is rolled back once
//! the emails are read, so nothing of the sample stays (not even in the outbox).

use crate::db::entities::{
    email_outbox, invoice, order, order_line, product, review, subscription, user,
    withdrawal_request,
};
use crate::email::Email;
use crate::i18n::Locale;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};

/// A sample email, as the outbox would hold it.
pub struct Sample {
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub locale: Locale,
}

const TO: &str = "camille.martin@exemple.fr";

fn address() -> String {
    serde_json::to_string(&crate::orders::model::AddressSnapshot {
        first_name: "Camille".into(),
        last_name: "Martin".into(),
        company: None,
        line1: "12 rue des Lilas".into(),
        line2: None,
        postal_code: "69002".into(),
        city: "Lyon".into(),
        country: "FR".into(),
        phone: None,
    })
    .unwrap_or_default()
}

fn sample_order(locale: Locale, now: DateTime<Utc>) -> order::Model {
    order::Model {
        id: 0,
        number: "CB26-EXEMPL".into(),
        idempotency_key: format!("sample-{}", now.timestamp_micros()),
        user_id: None,
        email: TO.into(),
        locale: locale.code().into(),
        status: "paid".into(),
        payment_method: "bank_transfer".into(),
        destination: "FR".into(),
        vat_mode: "included".into(),
        terms_version: "exemple".into(),
        title: None,
        first_name: "Camille".into(),
        last_name: "Martin".into(),
        phone: None,
        delivery_address: address(),
        billing_address: address(),
        subtotal_cents: 0,
        discount_cents: 0,
        shipping_cents: 490,
        total_cents: 490,
        vat_lines: "[]".into(),
        adjustments: "[]".into(),
        access_key: "exemple".into(),
        created_at: now,
        updated_at: now,
        paid_at: Some(now),
        payment_due_at: now + Duration::days(7),
        subscription_id: None,
        period_on: None,
        charge_attempts: 0,
        next_charge_at: None,
        tracking_carrier: None,
        tracking_number: None,
        tracking_checked_at: None,
        vat_country: Some("FR".into()),
    }
}

/// Writes the sample order with a line for each of `products` (two of each); the order as
/// stored.
async fn write_order(
    txn: &impl ConnectionTrait,
    customer: &user::Model,
    locale: Locale,
    products: &[product::Model],
    now: DateTime<Utc>,
) -> Result<order::Model, DbErr> {
    let mut model = sample_order(locale, now);
    model.user_id = Some(customer.id);
    let lines: i64 = products.iter().map(|p| 2 * p.price_cents).sum();
    model.subtotal_cents = lines;
    model.total_cents = lines + model.shipping_cents;
    let mut active = model.into_active_model();
    active.id = sea_orm::ActiveValue::NotSet;
    let order = active.insert(txn).await?;
    for product in products {
        order_line::ActiveModel {
            order_id: sea_orm::ActiveValue::Set(order.id),
            product_id: sea_orm::ActiveValue::Set(product.id),
            sku: sea_orm::ActiveValue::Set(product.sku.clone()),
            name: sea_orm::ActiveValue::Set(product.sold_name(locale == Locale::En)),
            quantity: sea_orm::ActiveValue::Set(2),
            catalogue_price_cents: sea_orm::ActiveValue::Set(product.price_cents),
            unit_price_cents: sea_orm::ActiveValue::Set(product.price_cents),
            vat_rate_bp: sea_orm::ActiveValue::Set(product.vat_rate_bp),
            total_cents: sea_orm::ActiveValue::Set(2 * product.price_cents),
            paid_cents: sea_orm::ActiveValue::Set(2 * product.price_cents),
            credit_cents: sea_orm::ActiveValue::Set(0),
            every_months: sea_orm::ActiveValue::Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(order)
}

fn sample_subscription(
    customer: &user::Model,
    order: &order::Model,
    product: &product::Model,
    now: DateTime<Utc>,
) -> subscription::Model {
    let today = crate::clock::paris_today(now);
    subscription::Model {
        id: 0,
        user_id: customer.id,
        product_id: product.id,
        quantity: 1,
        every_months: 2,
        anchor_on: today,
        last_period_on: today,
        next_delivery_on: today + Duration::days(10),
        status: "active".into(),
        ends_after: None,
        provider: "demo".into(),
        mandate: String::new(),
        origin_order_id: order.id,
        locale: order.locale.clone(),
        destination: "FR".into(),
        title: None,
        first_name: order.first_name.clone(),
        last_name: order.last_name.clone(),
        phone: None,
        delivery_address: order.delivery_address.clone(),
        billing_address: order.billing_address.clone(),
        reminded_for: None,
        created_at: now,
        updated_at: now,
        ended_at: None,
        end_reason: None,
    }
}

/// The sample customer, written in the transaction (their referral email reads their orders).
async fn write_user(txn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<user::Model, DbErr> {
    let mut model = crate::privacy::service::guest::stand_in(TO, now);
    model.first_name = "Camille".into();
    model.last_name = "Martin".into();
    let mut active = model.into_active_model();
    active.id = sea_orm::ActiveValue::NotSet;
    active.insert(txn).await
}

/// Every email the shop sends, in `locale`, for the sample customer. Empty when the shop has no
/// product to put in the sample order.
///
/// # Errors
/// The database error (nothing is written either way).
pub async fn samples(
    db: &DatabaseConnection,
    site: &str,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Vec<Sample>, DbErr> {
    let site = site.trim_end_matches('/');
    let products = product::Entity::find()
        .filter(product::Column::VariantOf.is_null())
        .order_by_asc(product::Column::Id)
        .limit(2)
        .all(db)
        .await?;
    let Some(first) = products.first().cloned() else {
        return Ok(Vec::new());
    };
    let link = |path: &str| format!("{site}{path}?token=exemple");
    let seller = crate::settings::service::seller(db).await?;
    let txn = crate::db::begin_write(db).await?;
    let before = email_outbox::Entity::find()
        .select_only()
        .column_as(email_outbox::Column::Id.max(), "id")
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await?
        .flatten()
        .unwrap_or(0);
    let written = async {
        let sample_user = write_user(&txn, now).await?;
        // A newsletter as staff might write one.
        let campaign = match locale {
            Locale::Fr => ("Les nouveautés de décembre", format!("Bonjour,\n\nCe mois-ci, trois nouveaux soins pour l'hiver et un article sur le magnésium.\n\nDécouvrir les nouveautés : {site}/products\nLire l'article : {site}/articles")),
            Locale::En => ("What's new in December", format!("Hello,\n\nThis month, three new winter care products and an article on magnesium.\n\nSee what's new: {site}/products\nRead the article: {site}/articles")),
        };
        let order = write_order(&txn, &sample_user, locale, &products, now).await?;
        let order_error = |e: crate::orders::service::OrderError| DbErr::Custom(e.to_string());
        // Emails made by a pure function are queued here, as their senders queue them.
        let mut direct: Vec<Email<'_>> = vec![
            crate::account::service::mails::verify(TO, "Camille", &link("/account/verify"), locale),
            crate::account::service::mails::already_registered(
                TO,
                &format!("{site}/account/sign-in"),
                &format!("{site}/account/forgot-password"),
                locale,
            ),
            crate::account::service::mails::reset(TO, &link("/account/reset-password"), locale),
            crate::account::service::mails::password_changed(
                TO,
                &format!("{site}/account/forgot-password"),
                locale,
            ),
            crate::account::service::mails::change_email(
                TO,
                &link("/account/confirm-email"),
                locale,
            ),
            crate::account::service::mails::email_change_notice(
                TO,
                "camille.nouvelle@exemple.fr",
                true,
                &format!("{site}/account/forgot-password"),
                locale,
            ),
            crate::newsletter::service::confirm_email(TO, &link("/newsletter/confirm"), locale),
            crate::wishlist::service::confirm_email(
                TO,
                &first.sold_name(locale == Locale::En),
                &link("/stock-alerts/confirm"),
                locale,
            ),
            crate::wishlist::service::back_email(
                TO,
                &first.sold_name(locale == Locale::En),
                &format!("{site}/products/{}", first.slug),
                locale,
            ),
            crate::cart::reminders::reminder(
                TO,
                "Camille",
                &[(first.sold_name(locale == Locale::En), 2)],
                locale,
                site,
            ),
            crate::privacy::service::guest::link_email(TO, &link("/privacy/guest"), locale),
            crate::privacy::service::guest::account_email(TO, site, locale),
            crate::privacy::service::guest::erased_email(TO, locale),
            crate::privacy::service::erasure::deleted_email(TO, "Camille", locale, false),
            crate::newsletter::service::campaign_email(TO, campaign.0, &campaign.1, &format!("{site}/newsletter/unsubscribe?key=exemple"), locale),
        ];
        direct.push(crate::privacy::service::erasure::warning_email(
            &sample_user,
            site,
            now + Duration::days(30),
        ));
        let review = review::Model {
            id: 0,
            product_id: first.id,
            order_id: order.id,
            user_id: None,
            rating: 2,
            body: match locale {
                Locale::Fr => "Achetez plutôt chez www.autre-boutique.example !".into(),
                Locale::En => "Buy it at www.other-shop.example instead!".into(),
            },
            author_name: "Camille".into(),
            locale: locale.code().into(),
            status: "refused".into(),
            refusal_reason: None,
            created_at: now,
            moderated_at: Some(now),
            moderated_by: None,
        };
        let reason = match locale {
            Locale::Fr => "Un avis ne peut pas renvoyer vers une autre boutique.",
            Locale::En => "A review cannot send readers to another shop.",
        };
        direct.push(crate::reviews::service::refusal_email(
            TO, &review, reason, locale,
        ));
        let request = withdrawal_request::Model {
            id: 0,
            reference: "RT26-EXEMPL".into(),
            order_id: order.id,
            kind: "withdrawal".into(),
            status: "open".into(),
            lines: "[]".into(),
            refund_cents: first.price_cents,
            credit_cents: 0,
            vat_split: None,
            created_at: now,
            refund_due_at: None,
            handled_at: None,
            handled_by: None,
        };
        let declared = [crate::withdrawal::rules::DeclaredLine {
            line_id: 0,
            name: first.sold_name(locale == Locale::En),
            quantity: 1,
            unit_price_cents: first.price_cents,
        }];
        direct.push(crate::withdrawal::service::receipt(
            &order,
            &request,
            crate::withdrawal::rules::RequestKind::Withdrawal,
            &declared,
            &seller,
        ));
        for email in direct {
            crate::email::queue(&txn, email, now).await?;
        }

        use crate::orders::service::mails as orders;
        orders::awaiting_payment(&txn, &order, site, now)
            .await
            .map_err(order_error)?;
        let invoice = invoice::Model {
            id: 0,
            number: "F2026-000123".into(),
            order_id: order.id,
            issued_at: now,
            total_cents: order.total_cents,
            document: String::new(),
        };
        orders::confirmed(&txn, &order, &invoice, site, now)
            .await
            .map_err(order_error)?;
        orders::cancelled_unpaid(&txn, &order, site, now)
            .await
            .map_err(order_error)?;
        let tracking = crate::orders::model::Tracking {
            carrier: crate::orders::model::Carrier::Colissimo,
            number: "6A12345678901".into(),
            url: crate::orders::model::Carrier::Colissimo.tracking_url("6A12345678901"),
        };
        orders::shipped(&txn, &order, &tracking, site, now)
            .await
            .map_err(order_error)?;
        orders::delivered(&txn, &order, site, now)
            .await
            .map_err(order_error)?;
        orders::unavailable(
            &txn,
            &order,
            &first.sold_name(locale == Locale::En),
            crate::clock::paris_today(now) + Duration::days(12),
            site,
            now,
        )
        .await
        .map_err(order_error)?;
        orders::refunded(
            &txn,
            &order,
            orders::Refunded {
                money: first.price_cents,
                as_credit: false,
                credit_back: 0,
                credit_note: Some("AV2026-000045"),
            },
            site,
            now,
        )
        .await
        .map_err(order_error)?;
        let reason = match locale {
            Locale::Fr => "Ce produit n'est plus fabriqué.",
            Locale::En => "This product is no longer made.",
        };
        orders::cancelled_by_shop(
            &txn,
            &order,
            crate::orders::service::refund::ShopCancel::Cancelled,
            reason,
            Some((order.total_cents, None)),
            site,
            now,
        )
        .await
        .map_err(order_error)?;

        use crate::subscriptions::service::mails as subscriptions;
        let subscription = sample_subscription(&sample_user, &order, &first, now);
        let next = subscription.next_delivery_on;
        subscriptions::reminder(
            &txn,
            &subscription,
            TO,
            &first,
            Some(rust_decimal::Decimal::new(first.price_cents, 2)),
            site,
            now,
        )
        .await?;
        subscriptions::skipped(
            &txn,
            &subscription,
            TO,
            next,
            next + Duration::days(61),
            site,
            now,
        )
        .await?;
        subscriptions::charge_failed(
            &txn,
            &subscription,
            &order,
            now + Duration::days(2),
            site,
            now,
        )
        .await?;
        subscriptions::suspended(&txn, &subscription, &order, site, now).await?;
        subscriptions::cancelled(
            &txn,
            &subscription,
            crate::subscriptions::service::Cancelled::AfterDelivery(next),
            site,
            now,
        )
        .await?;
        crate::rewards::service::ledger::credit_email(&txn, &sample_user, 500, site, now).await?;

        email_outbox::Entity::find()
            .filter(email_outbox::Column::Id.gt(before))
            .order_by_asc(email_outbox::Column::Id)
            .all(&txn)
            .await
    }
    .await;
    // Nothing of the sample stays, whatever happened.
    txn.rollback().await?;
    Ok(written?
        .into_iter()
        .map(|email| Sample {
            kind: email.kind,
            subject: email.subject,
            body: email.body_text,
            locale: Locale::from_code(&email.locale).unwrap_or(locale),
        })
        .collect())
}
