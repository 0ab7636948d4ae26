//! The emails of a paid order's life: refunds, unavailable items, shipping, delivery, cancellation by the shop.

use super::*;

/// The customer's email for a refund: `money` cents back (to the payment method, or as store
/// credit with `as_credit`), `credit_back` cents of the store credit the items were paid with
/// given back, and the credit note when money was refunded.
pub(crate) async fn refunded(
    db: &impl ConnectionTrait,
    order: &order::Model,
    refund: Refunded<'_>,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), OrderError> {
    let locale = locale(order);
    let amount = eur(from_cents(refund.money), locale);
    let page = link(site, order, "");
    let rewards = format!("{}/account/rewards", site.trim_end_matches('/'));
    let s = seller(db).await?;
    let mut parts = Vec::new();
    if refund.money > 0 {
        parts.push(match (locale, refund.as_credit) {
            (Locale::Fr, false) => format!("Nous vous remboursons {amount} sur votre commande {}, par le moyen de paiement utilisé. Le montant apparaît sur votre compte sous quelques jours selon votre banque.", order.number),
            (Locale::Fr, true) => format!("Nous vous remboursons {amount} sur votre commande {} en avoir boutique : il s'ajoute à votre compte et s'utilise à la dernière étape de votre prochaine commande ({rewards}).", order.number),
            (Locale::En, false) => format!("We are refunding {amount} on your order {}, to the payment method you used. It reaches your account within a few days depending on your bank.", order.number),
            (Locale::En, true) => format!("We are refunding {amount} on your order {} as store credit: it is added to your account and can be used at the last step of your next order ({rewards}).", order.number),
        });
    }
    if refund.credit_back > 0 {
        let back = eur(from_cents(refund.credit_back), locale);
        parts.push(match locale {
            Locale::Fr => format!("L'avoir boutique avec lequel vous aviez réglé ces articles, {back}, est rendu à votre compte ({rewards})."),
            Locale::En => format!("The store credit you paid these items with, {back}, is back in your account ({rewards})."),
        });
    }
    let note = refund
        .credit_note
        .map_or_else(String::new, |n| match locale {
            Locale::Fr => format!("Avoir {n} : {page}\n\n"),
            Locale::En => format!("Credit note {n}: {page}\n\n"),
        });
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Remboursement de votre commande {}", order.number),
            format!(
                "Bonjour {},\n\n{}\n\n{note}Une question ? {} · {}\n",
                order.first_name,
                parts.join("\n\n"),
                s.email,
                s.phone
            ),
        ),
        Locale::En => (
            format!("Refund for your order {}", order.number),
            format!(
                "Hello {},\n\n{}\n\n{note}A question? {} · {}\n",
                order.first_name,
                parts.join("\n\n"),
                s.email,
                s.phone
            ),
        ),
    };
    queue(
        db,
        Email {
            to: &order.email,
            kind: "order_refunded",
            subject,
            body,
            locale,
        },
        now,
    )
    .await?;
    Ok(())
}

/// What a refund gave back, for its email.
pub(crate) struct Refunded<'a> {
    pub money: i64,
    pub as_credit: bool,
    pub credit_back: i64,
    pub credit_note: Option<&'a str>,
}

/// An item of the order cannot be sent in time: when it is expected, and the customer's
/// choice (wait, a store credit, a refund) on the order's page.
pub(crate) async fn unavailable(
    db: &impl ConnectionTrait,
    order: &order::Model,
    name: &str,
    expected_on: chrono::NaiveDate,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), OrderError> {
    let locale = locale(order);
    let s = seller(db).await?;
    let page = format!("{}#unavailable", link(site, order, ""));
    let when = crate::ui::format::long_date(locale, expected_on);
    let credit = order.user_id.is_some();
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Commande {} : un article est indisponible", order.number),
            format!(
                "Bonjour {},\n\nL'article « {name} » de votre commande {} est indisponible pour le moment. Nous l'attendons pour le {when}.\n\nÀ vous de choisir, sur la page de votre commande :\n- attendre son retour : nous l'envoyons dès qu'il arrive ;\n{}- être remboursé de cet article, par le moyen de paiement utilisé.\n\nLe reste de votre commande n'est pas retardé par ce choix.\n\nVotre commande : {page}\n\n{}",
                order.first_name,
                order.number,
                if credit {
                    "- recevoir un avoir boutique de son montant, utilisable sur une prochaine commande ;\n"
                } else {
                    ""
                },
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Order {}: an item is unavailable", order.number),
            format!(
                "Hello {},\n\nThe item \"{name}\" in your order {} is unavailable for now. We expect it on {when}.\n\nYour choice, on your order's page:\n- wait for it: we send it as soon as it arrives;\n{}- a refund of this item, to the payment method you used.\n\nThe rest of your order is not held up by this choice.\n\nYour order: {page}\n\n{}",
                order.first_name,
                order.number,
                if credit {
                    "- store credit for its amount, to use on a next order;\n"
                } else {
                    ""
                },
                signature(&s, locale)
            ),
        ),
    };
    queue(
        db,
        Email {
            to: &order.email,
            kind: "order_item_unavailable",
            subject,
            body,
            locale,
        },
        now,
    )
    .await?;
    Ok(())
}

/// The parcel left: carrier, tracking number and where to follow it.
pub(crate) async fn shipped(
    db: &impl ConnectionTrait,
    order: &order::Model,
    tracking: &crate::orders::model::Tracking,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), OrderError> {
    let s = seller(db).await?;
    let locale = locale(order);
    let page = link(site, order, "");
    let withdraw = format!("{page}#withdraw");
    let summary = summary(db, order).await?;
    let carrier = tracking.carrier.name().unwrap_or(match locale {
        Locale::Fr => "notre transporteur",
        Locale::En => "our carrier",
    });
    let follow = tracking
        .url
        .as_deref()
        .map_or_else(String::new, |url| match locale {
            Locale::Fr => format!("Suivre le colis : {url}\n"),
            Locale::En => format!("Track the parcel: {url}\n"),
        });
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Commande {} expédiée", order.number),
            format!(
                "Bonjour {},\n\nVotre commande {} est partie : le colis est confié à {carrier} sous le numéro de suivi {}.\n{follow}\n{summary}\nVotre commande : {page}\n\nVous pouvez vous rétracter jusqu'à 14 jours après la réception (hors produits d'hygiène descellés) : {withdraw}\nUn article manquant se signale dans les 24 heures suivant la réception.\n\n{}",
                order.first_name,
                order.number,
                tracking.number,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Order {} shipped", order.number),
            format!(
                "Hello {},\n\nYour order {} is on its way: the parcel is with {carrier} under the tracking number {}.\n{follow}\n{summary}\nYour order: {page}\n\nYou may withdraw until 14 days after it arrives (except unsealed hygiene products): {withdraw}\nA missing item is reported within 24 hours of receipt.\n\n{}",
                order.first_name,
                order.number,
                tracking.number,
                signature(&s, locale)
            ),
        ),
    };
    queue(
        db,
        Email {
            to: &order.email,
            kind: "order_shipped",
            subject,
            body,
            locale,
        },
        now,
    )
    .await?;
    Ok(())
}

/// The parcel was delivered: the withdrawal period runs from now.
pub(crate) async fn delivered(
    db: &impl ConnectionTrait,
    order: &order::Model,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), OrderError> {
    let s = seller(db).await?;
    let locale = locale(order);
    let page = link(site, order, "");
    let withdrawal = format!("{}/withdrawal", site.trim_end_matches('/'));
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Commande {} livrée", order.number),
            format!(
                "Bonjour {},\n\nVotre commande {} a été livrée. Nous espérons que nos produits vous plairont.\n\nUn article manque ? Signalez-le dans les 24 heures. Vous changez d'avis ? Vous avez 14 jours pour vous rétracter (produits scellés uniquement) : {withdrawal}\n\nVotre commande : {page}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Order {} delivered", order.number),
            format!(
                "Hello {},\n\nYour order {} has been delivered. We hope you enjoy our products.\n\nAn item missing? Tell us within 24 hours. Changed your mind? You have 14 days to withdraw (sealed products only): {withdrawal}\n\nYour order: {page}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
    };
    queue(
        db,
        Email {
            to: &order.email,
            kind: "order_delivered",
            subject,
            body,
            locale,
        },
        now,
    )
    .await?;
    Ok(())
}

/// The shop cancelled the order (out of stock, or refused as abnormal), with the reason and,
/// when it had been paid, the refund and its credit note.
pub(crate) async fn cancelled_by_shop(
    db: &impl ConnectionTrait,
    order: &order::Model,
    how: super::super::refund::ShopCancel,
    reason: &str,
    refund: Option<(i64, Option<&str>)>,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), OrderError> {
    let s = seller(db).await?;
    let locale = locale(order);
    let page = link(site, order, "");
    // A paid order's refund has its credit note; a payment held before any invoice has none.
    let money_back = refund.map_or_else(String::new, |(cents, note)| {
        let amount = eur(from_cents(cents), locale);
        let note = match (note, locale) {
            (Some(note), Locale::Fr) => format!(" (avoir {note})"),
            (Some(note), Locale::En) => format!(" (credit note {note})"),
            (None, _) => String::new(),
        };
        match locale {
            Locale::Fr => format!(
                "Nous vous remboursons {amount} par le moyen de paiement utilisé{note} ; le montant apparaît sur votre compte sous quelques jours selon votre banque.\n\n"
            ),
            Locale::En => format!(
                "We are refunding {amount} to the payment method you used{note}; it reaches your account within a few days depending on your bank.\n\n"
            ),
        }
    });
    use super::super::refund::ShopCancel;
    let (subject, body) = match (locale, how) {
        (Locale::Fr, ShopCancel::LateDelivery) => (
            format!("Commande {} annulée à votre demande", order.number),
            format!(
                "Bonjour {},\n\nComme vous nous l'avez demandé, votre commande {} est annulée : {reason}\nNous vous prions de nous excuser pour ce retard. Si le colis vous parvient malgré tout, vous pouvez le refuser ou nous le renvoyer à nos frais.\n\n{money_back}Votre commande : {page}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        (Locale::En, ShopCancel::LateDelivery) => (
            format!("Order {} cancelled at your request", order.number),
            format!(
                "Hello {},\n\nAs you asked, your order {} is cancelled: {reason}\nWe apologise for the delay. Should the parcel reach you all the same, you may refuse it or send it back at our expense.\n\n{money_back}Your order: {page}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        (Locale::Fr, ShopCancel::Cancelled) => (
            format!("Commande {} annulée", order.number),
            format!(
                "Bonjour {},\n\nNous avons dû annuler votre commande {} : {reason}\nNous vous prions de nous en excuser.\n\n{money_back}Votre commande : {page}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        (Locale::Fr, ShopCancel::Refused) => (
            format!("Commande {} non acceptée", order.number),
            format!(
                "Bonjour {},\n\nNous ne pouvons pas donner suite à votre commande {} : {reason}\n\n{money_back}Votre commande : {page}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        (Locale::En, ShopCancel::Cancelled) => (
            format!("Order {} cancelled", order.number),
            format!(
                "Hello {},\n\nWe had to cancel your order {}: {reason}\nWe apologise for this.\n\n{money_back}Your order: {page}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        (Locale::En, ShopCancel::Refused) => (
            format!("Order {} not accepted", order.number),
            format!(
                "Hello {},\n\nWe cannot accept your order {}: {reason}\n\n{money_back}Your order: {page}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
    };
    queue(
        db,
        Email {
            to: &order.email,
            kind: match how {
                ShopCancel::Refused => "order_refused",
                ShopCancel::Cancelled => "order_cancelled",
                ShopCancel::LateDelivery => "order_cancelled_late",
            },
            subject,
            body,
            locale,
        },
        now,
    )
    .await?;
    Ok(())
}
