//! The order emails, in the language the order was placed in, queued in the transaction of the
//! event they report.

use super::OrderError;
use super::invoice::{addresses, vat_mode};
use crate::db::entities::{invoice, order, order_line};
use crate::email::{Email, queue, queue_with_invoice};
use crate::i18n::Locale;
use crate::money::from_cents;
use crate::orders::model::Seller;
use crate::pricing::{Destination, PaymentMethod, VatMode};
use crate::settings::service::{seller, seller_settings};
use crate::ui::format::money;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

mod after_payment;
pub(crate) use after_payment::*;

fn eur(amount: rust_decimal::Decimal, locale: Locale) -> String {
    money(locale, amount)
}

fn locale(order: &order::Model) -> Locale {
    Locale::from_code(&order.locale).unwrap_or(Locale::Fr)
}

fn link(site: &str, order: &order::Model, suffix: &str) -> String {
    format!(
        "{}/orders/{}{suffix}?key={}",
        site.trim_end_matches('/'),
        order.number,
        order.access_key
    )
}

/// The seller's contact lines, closing every order email.
fn signature(s: &Seller, locale: Locale) -> String {
    match locale {
        Locale::Fr => format!(
            "Une question sur votre commande ? Écrivez-nous à {} ou appelez le {} (du lundi au vendredi, 9 h – 17 h).\n\n{} — {}\n{}\n",
            s.email,
            s.phone,
            s.name,
            s.legal_form,
            s.address.join(", ")
        ),
        Locale::En => format!(
            "A question about your order? Write to {} or call {} (Monday to Friday, 9 am – 5 pm, Paris time).\n\n{} — {}\n{}\n",
            s.email,
            s.phone,
            s.name,
            s.legal_form,
            s.address.join(", ")
        ),
    }
}

/// The order's lines and totals as text.
async fn summary(db: &impl ConnectionTrait, order: &order::Model) -> Result<String, OrderError> {
    let locale = locale(order);
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?;
    let mut text = String::new();
    for line in &lines {
        text.push_str(&format!(
            "  {} × {} — {}\n",
            line.quantity,
            line.name,
            eur(from_cents(line.total_cents), locale)
        ));
    }
    for adjustment in &super::adjustments(order)? {
        text.push_str(&format!(
            "  {} — {}\n",
            adjustment.label,
            eur(-adjustment.amount, locale)
        ));
    }
    let (shipping, total, vat_note) = match locale {
        Locale::Fr => (
            "Livraison",
            "Total",
            match vat_mode(order) {
                VatMode::Included => "TVA incluse",
                VatMode::Excluded => "hors TVA ; droits de douane et taxes locales à votre charge",
            },
        ),
        Locale::En => (
            "Shipping",
            "Total",
            match vat_mode(order) {
                VatMode::Included => "VAT included",
                VatMode::Excluded => "VAT excluded; customs duties and local taxes are yours",
            },
        ),
    };
    text.push_str(&format!(
        "  {shipping} — {}\n  {total} — {} ({vat_note})\n",
        eur(from_cents(order.shipping_cents), locale),
        eur(from_cents(order.total_cents), locale)
    ));
    let (delivery, _) = addresses(order);
    let country = Destination::parse(&delivery.country)
        .map_or_else(|| delivery.country.clone(), |d| d.name(locale).to_owned());
    let label = match locale {
        Locale::Fr => "Livraison à",
        Locale::En => "Delivery to",
    };
    text.push_str(&format!(
        "\n{label} :\n  {}\n",
        delivery.lines(&country).join("\n  ")
    ));
    Ok(text)
}

/// An order paid by bank transfer or cheque: how to pay, and by when.
pub(crate) async fn awaiting_payment(
    db: &impl ConnectionTrait,
    order: &order::Model,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), OrderError> {
    let locale = locale(order);
    let amount = eur(from_cents(order.total_cents), locale);
    let due = order.payment_due_at.format("%d/%m/%Y");
    let settings = seller_settings(db).await?;
    let (s, bank) = (settings.seller, settings.bank);
    let how = match (PaymentMethod::from_code(&order.payment_method), locale) {
        (Some(PaymentMethod::Cheque), Locale::Fr) => format!(
            "Envoyez un chèque de {amount} à l'ordre de {}, en inscrivant au dos le numéro {}, à :\n  {}\n",
            s.name,
            order.number,
            s.address.join("\n  ")
        ),
        (Some(PaymentMethod::Cheque), Locale::En) => format!(
            "Send a cheque for {amount} payable to {}, with the number {} written on the back, to:\n  {}\n",
            s.name,
            order.number,
            s.address.join("\n  ")
        ),
        (_, Locale::Fr) => format!(
            "Faites un virement de {amount} à {} — IBAN {}, BIC {} — avec la référence {}.\n",
            s.name, bank.iban, bank.bic, order.number
        ),
        (_, Locale::En) => format!(
            "Make a transfer of {amount} to {} — IBAN {}, BIC {} — with the reference {}.\n",
            s.name, bank.iban, bank.bic, order.number
        ),
    };
    let summary = summary(db, order).await?;
    let page = link(site, order, "");
    let (subject, body) = match locale {
        Locale::Fr => (
            format!(
                "Commande {} enregistrée : en attente de votre paiement",
                order.number
            ),
            format!(
                "Bonjour {},\n\nMerci pour votre commande {}. Elle sera confirmée et préparée dès réception de votre paiement.\n\n{how}\nSans paiement reçu le {due}, la commande sera annulée.\n\n{summary}\nSuivre votre commande : {page}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Order {} received: awaiting your payment", order.number),
            format!(
                "Hello {},\n\nThank you for your order {}. It will be confirmed and prepared as soon as your payment arrives.\n\n{how}\nIf no payment has arrived by {due}, the order will be cancelled.\n\n{summary}\nFollow your order: {page}\n\n{}",
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
            kind: "order_awaiting_payment",
            subject,
            body,
            locale,
        },
        now,
    )
    .await?;
    Ok(())
}

/// The order is paid: confirmation, with the invoice.
pub(crate) async fn confirmed(
    db: &impl ConnectionTrait,
    order: &order::Model,
    invoice: &invoice::Model,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), OrderError> {
    let s = seller(db).await?;
    let locale = locale(order);
    let summary = summary(db, order).await?;
    let page = link(site, order, "");
    let pdf = link(site, order, "/invoice.pdf");
    let withdraw = format!("{page}#withdraw");
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Commande {} confirmée", order.number),
            format!(
                "Bonjour {},\n\nNous avons bien reçu votre paiement : votre commande {} est confirmée et part en préparation.\n\n{summary}\nVotre facture {} est jointe à ce message, avec les conditions générales de vente que vous avez acceptées et le formulaire de rétractation ; la facture reste téléchargeable ici : {pdf}\nSuivre votre commande : {page}\n\nVous pouvez vous rétracter dès maintenant et jusqu'à 14 jours après la réception (hors produits d'hygiène descellés) : {withdraw}\n\n{}",
                order.first_name,
                order.number,
                invoice.number,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Order {} confirmed", order.number),
            format!(
                "Hello {},\n\nWe have received your payment: your order {} is confirmed and being prepared.\n\n{summary}\nYour invoice {} is attached to this message, with the terms of sale you accepted and the withdrawal form; you can also download the invoice here: {pdf}\nFollow your order: {page}\n\nYou may withdraw from now until 14 days after receipt (except unsealed hygiene products): {withdraw}\n\n{}",
                order.first_name,
                order.number,
                invoice.number,
                signature(&s, locale)
            ),
        ),
    };
    queue_with_invoice(
        db,
        Email {
            to: &order.email,
            kind: "order_confirmed",
            subject,
            body,
            locale,
        },
        Some(invoice.id),
        Some(&order.terms_version),
        now,
    )
    .await?;
    Ok(())
}

/// The payment failed or never came: the order is cancelled.
pub(crate) async fn cancelled_unpaid(
    db: &impl ConnectionTrait,
    order: &order::Model,
    site: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), OrderError> {
    let s = seller(db).await?;
    let locale = locale(order);
    let shop = format!("{}/products", site.trim_end_matches('/'));
    let (subject, body) = match locale {
        Locale::Fr => (
            format!("Commande {} annulée : paiement non abouti", order.number),
            format!(
                "Bonjour {},\n\nLe paiement de votre commande {} n'a pas abouti (refusé, abandonné ou non reçu à temps) : la commande est annulée et rien ne vous a été débité.\n\nVos produits vous attendent toujours : {shop}\n\n{}",
                order.first_name,
                order.number,
                signature(&s, locale)
            ),
        ),
        Locale::En => (
            format!("Order {} cancelled: payment not completed", order.number),
            format!(
                "Hello {},\n\nThe payment for your order {} did not go through (declined, abandoned or not received in time): the order is cancelled and nothing was charged.\n\nYour products are still here: {shop}\n\n{}",
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
            kind: "order_payment_failed",
            subject,
            body,
            locale,
        },
        now,
    )
    .await?;
    Ok(())
}
