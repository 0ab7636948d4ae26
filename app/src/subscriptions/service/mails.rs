//! The subscription emails, in the language the subscription was taken in, queued in the
//! transaction of the event they report. Transactional: they cannot be opted out of.

use super::Cancelled;
use crate::db::entities::{order, product, subscription};
use crate::email::{Email, queue};
use crate::i18n::Locale;
use crate::orders::model::Seller;
use crate::settings::service::seller;
use crate::subscriptions::rules::cancellation_deadline;
use crate::ui::format::{day, money, paris_time};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

fn locale(model: &subscription::Model) -> Locale {
    Locale::from_code(&model.locale).unwrap_or(Locale::Fr)
}

fn page(site: &str) -> String {
    format!("{}/account/subscriptions", site.trim_end_matches('/'))
}

fn signature(s: &Seller, locale: Locale) -> String {
    match locale {
        Locale::Fr => format!("Une question ? {} · {}\n\n{}\n", s.email, s.phone, s.name),
        Locale::En => format!("A question? {} · {}\n\n{}\n", s.email, s.phone, s.name),
    }
}

async fn product_name(
    db: &impl ConnectionTrait,
    model: &subscription::Model,
) -> Result<String, DbErr> {
    Ok(product::Entity::find_by_id(model.product_id)
        .one(db)
        .await?
        .map(|p| p.sold_name(locale(model) == crate::i18n::Locale::En))
        .unwrap_or_default())
}

/// The subscription's customer's address (none once the account is gone).
async fn recipient(
    db: &impl ConnectionTrait,
    model: &subscription::Model,
) -> Result<Option<String>, DbErr> {
    Ok(crate::db::entities::user::Entity::find_by_id(model.user_id)
        .one(db)
        .await?
        .map(|u| u.email))
}

async fn send(
    db: &impl ConnectionTrait,
    to: &str,
    kind: &str,
    subject: String,
    body: String,
    locale: Locale,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    queue(
        db,
        Email {
            to,
            kind,
            subject,
            body,
            locale,
        },
        now,
    )
    .await
}

/// Before a delivery: what it will cost, and until when it can be cancelled or changed.
pub(crate) async fn reminder(
    db: &impl ConnectionTrait,
    model: &subscription::Model,
    to: &str,
    product: &product::Model,
    price: Option<Decimal>,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let s = seller(db).await?;
    let locale = locale(model);
    let name = product.sold_name(locale == crate::i18n::Locale::En);
    let on = day(model.next_delivery_on);
    let deadline = paris_time(locale, cancellation_deadline(model.next_delivery_on));
    let link = page(site);
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Votre prochaine livraison d'abonnement le {on}"),
            format!(
                "Bonjour {},\n\nVotre abonnement {} × {name} sera renouvelé pour une livraison le {on}.\n{}\nVous pouvez le modifier ou le résilier sans frais jusqu'au {deadline} : {link}\nPassé ce délai, cette livraison est préparée et débitée sur la carte enregistrée.\n\n{}",
                model.first_name,
                model.quantity,
                price.map_or_else(
                    || "Le montant vous sera confirmé avec la commande.".to_owned(),
                    |p| format!(
                        "Montant au prix actuel, livraison comprise : {}.",
                        money(locale, p)
                    )
                ),
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Your next subscription delivery on {on}"),
            format!(
                "Hello {},\n\nYour subscription {} × {name} will renew for a delivery on {on}.\n{}\nYou can change or cancel it free of charge until {deadline}: {link}\nAfter that, this delivery is prepared and charged to the card on file.\n\n{}",
                model.first_name,
                model.quantity,
                price.map_or_else(
                    || "The amount will be confirmed with the order.".to_owned(),
                    |p| format!(
                        "Amount at today's price, shipping included: {}.",
                        money(locale, p)
                    )
                ),
                signature(&s, locale)
            ),
        ),
    };
    send(db, to, "subscription_reminder", subject, body, locale, now).await
}

/// The customer cancelled: at once, or after the delivery already on its way.
pub(crate) async fn cancelled(
    db: &impl ConnectionTrait,
    model: &subscription::Model,
    outcome: Cancelled,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let s = seller(db).await?;
    let locale = locale(model);
    let name = product_name(db, model).await?;
    let Some(to) = recipient(db, model).await? else {
        return Ok(());
    };
    let link = page(site);
    let when = match (outcome, locale) {
        (Cancelled::Now, Locale::Fr) => {
            "Elle prend effet immédiatement : plus rien ne sera livré ni débité.".to_owned()
        }
        (Cancelled::Now, Locale::En) => {
            "It takes effect at once: nothing more will be delivered or charged.".to_owned()
        }
        (Cancelled::AfterDelivery(on), Locale::Fr) => format!(
            "Votre demande est arrivée moins de 3 jours avant la livraison du {} : celle-ci part comme prévu, et l'abonnement s'arrête ensuite.",
            day(on)
        ),
        (Cancelled::AfterDelivery(on), Locale::En) => format!(
            "Your request arrived less than 3 days before the delivery of {}: that delivery goes out as planned, and the subscription ends after it.",
            day(on)
        ),
    };
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Résiliation de votre abonnement {name}"),
            format!(
                "Bonjour {},\n\nNous avons bien reçu la résiliation de votre abonnement {name}.\n{when}\n\nVos abonnements : {link}\n\n{}",
                model.first_name,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Your {name} subscription is cancelled"),
            format!(
                "Hello {},\n\nWe have received the cancellation of your {name} subscription.\n{when}\n\nYour subscriptions: {link}\n\n{}",
                model.first_name,
                signature(&s, locale)
            ),
        ),
    };
    send(
        db,
        &to,
        "subscription_cancelled",
        subject,
        body,
        locale,
        now,
    )
    .await
}

/// The shop ended the subscription.
pub(crate) async fn ended_by_shop(
    db: &impl ConnectionTrait,
    model: &subscription::Model,
    reason: &str,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let s = seller(db).await?;
    let locale = locale(model);
    let name = product_name(db, model).await?;
    let Some(to) = recipient(db, model).await? else {
        return Ok(());
    };
    let link = page(site);
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Fin de votre abonnement {name}"),
            format!(
                "Bonjour {},\n\nNous mettons fin à votre abonnement {name} : plus rien ne sera livré ni débité à ce titre.\nMotif : {reason}\n\nVos abonnements : {link}\n\n{}",
                model.first_name,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Your {name} subscription has ended"),
            format!(
                "Hello {},\n\nWe are ending your {name} subscription: nothing more will be delivered or charged for it.\nReason: {reason}\n\nYour subscriptions: {link}\n\n{}",
                model.first_name,
                signature(&s, locale)
            ),
        ),
    };
    send(db, &to, "subscription_ended", subject, body, locale, now).await
}

/// A delivery skipped: the product was out of stock when it was due.
pub(crate) async fn skipped(
    db: &impl ConnectionTrait,
    model: &subscription::Model,
    to: &str,
    skipped: NaiveDate,
    next: NaiveDate,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let s = seller(db).await?;
    let locale = locale(model);
    let name = product_name(db, model).await?;
    let link = page(site);
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Livraison du {} reportée : {name} en rupture", day(skipped)),
            format!(
                "Bonjour {},\n\n{name} est en rupture de stock : la livraison du {} de votre abonnement n'aura pas lieu et rien ne vous est débité. La suivante reste prévue le {}.\n\nVos abonnements : {link}\n\n{}",
                model.first_name,
                day(skipped),
                day(next),
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Delivery of {} skipped: {name} out of stock", day(skipped)),
            format!(
                "Hello {},\n\n{name} is out of stock: your subscription's delivery of {} will not take place and nothing is charged. The next one is still planned on {}.\n\nYour subscriptions: {link}\n\n{}",
                model.first_name,
                day(skipped),
                day(next),
                signature(&s, locale)
            ),
        ),
    };
    send(db, to, "subscription_skipped", subject, body, locale, now).await
}

/// The product is no longer offered this way: the subscription ends.
pub(crate) async fn no_longer_offered(
    db: &impl ConnectionTrait,
    model: &subscription::Model,
    to: &str,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let s = seller(db).await?;
    let locale = locale(model);
    let name = product_name(db, model).await?;
    let shop = format!("{}/products", site.trim_end_matches('/'));
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Fin de votre abonnement {name}"),
            format!(
                "Bonjour {},\n\n{name} n'est plus proposé en abonnement (ou plus livré à votre adresse) : votre abonnement prend fin et rien ne vous est débité.\n\nDécouvrir nos produits : {shop}\n\n{}",
                model.first_name,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Your {name} subscription has ended"),
            format!(
                "Hello {},\n\n{name} is no longer offered by subscription (or no longer delivered to your address): your subscription ends and nothing is charged.\n\nOur products: {shop}\n\n{}",
                model.first_name,
                signature(&s, locale)
            ),
        ),
    };
    send(db, to, "subscription_ended", subject, body, locale, now).await
}

fn order_link(site: &str, order: &order::Model) -> String {
    format!(
        "{}{}",
        site.trim_end_matches('/'),
        crate::orders::service::pay::order_path(order)
    )
}

/// A renewal charge was declined; it is tried again at `retry`.
pub(crate) async fn charge_failed(
    db: &impl ConnectionTrait,
    model: &subscription::Model,
    order: &order::Model,
    retry: DateTime<Utc>,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let s = seller(db).await?;
    let locale = locale(model);
    let when = paris_time(locale, retry);
    let link = order_link(site, order);
    let amount = money(locale, crate::money::from_cents(order.total_cents));
    let (subject, body) = match locale {
        Locale::Fr => (
            format!(
                "Paiement refusé pour votre commande d'abonnement {}",
                order.number
            ),
            format!(
                "Bonjour {},\n\nVotre banque a refusé le paiement de {amount} pour la commande {} de votre abonnement. Nous réessaierons le {when}.\nVous pouvez aussi la régler dès maintenant avec une autre carte, qui sera alors gardée pour les prochaines livraisons : {link}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!(
                "Payment declined for your subscription order {}",
                order.number
            ),
            format!(
                "Hello {},\n\nYour bank declined the payment of {amount} for your subscription's order {}. We will try again on {when}.\nYou can also pay it now with another card, which is then kept for the next deliveries: {link}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
    };
    send(
        db,
        &order.email,
        "subscription_payment_failed",
        subject,
        body,
        locale,
        now,
    )
    .await
}

/// Every charge of a renewal failed: the order is cancelled and the subscription suspended.
pub(crate) async fn suspended(
    db: &impl ConnectionTrait,
    model: &subscription::Model,
    order: &order::Model,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let s = seller(db).await?;
    let locale = locale(model);
    let name = product_name(db, model).await?;
    let link = page(site);
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Abonnement {name} suspendu : paiement impossible"),
            format!(
                "Bonjour {},\n\nMalgré plusieurs tentatives, le paiement de la commande {} n'a pas abouti : elle est annulée, rien ne vous a été débité, et votre abonnement {name} est suspendu.\nPour le reprendre, abonnez-vous de nouveau depuis la page du produit ; vous pouvez aussi le résilier : {link}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("{name} subscription suspended: payment not possible"),
            format!(
                "Hello {},\n\nDespite several attempts, the payment for order {} did not go through: it is cancelled, nothing was charged, and your {name} subscription is suspended.\nTo take it up again, subscribe anew from the product page; you can also cancel it: {link}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
    };
    send(
        db,
        &order.email,
        "subscription_suspended",
        subject,
        body,
        locale,
        now,
    )
    .await
}
