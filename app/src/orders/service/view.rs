//! Who may see an order, and the order as its page shows it.

use super::OrderError;
use super::invoice::{addresses, vat_lines, vat_mode};
use crate::catalog::rules::{cents_to_decimal, vat_percent};
use crate::db::entities::{invoice, order, order_event, order_line};
use crate::orders::model::{OrderLineView, OrderStatus, OrderView, PaymentInstructions};
use crate::orders::rules::{SELLER_BIC, SELLER_IBAN, is_order_number, seller};
use crate::pricing::PaymentMethod;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// Who asks to see an order.
#[derive(Clone, Copy, Debug, Default)]
pub struct Viewer<'a> {
    /// The signed-in account, with its address when verified.
    pub account: Option<(i32, Option<&'a str>)>,
    /// The key from the order's link.
    pub key: Option<&'a str>,
    pub staff: bool,
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether `viewer` may see `order`: its account, the account whose verified address placed it
/// as a guest, the holder of its link, or staff.
pub fn may_see(order: &order::Model, viewer: &Viewer<'_>) -> bool {
    if viewer.staff {
        return true;
    }
    if viewer
        .key
        .is_some_and(|key| same_secret(key, &order.access_key))
    {
        return true;
    }
    match viewer.account {
        Some((id, _)) if order.user_id == Some(id) => true,
        Some((_, Some(email))) => order.user_id.is_none() && order.email == email,
        _ => false,
    }
}

/// Order `number` if `viewer` may see it; [`OrderError::NotFound`] otherwise (whether it exists
/// or not).
///
/// # Errors
/// [`OrderError::NotFound`], or the database error.
pub async fn find_for(
    db: &impl ConnectionTrait,
    number: &str,
    viewer: &Viewer<'_>,
) -> Result<order::Model, OrderError> {
    if !is_order_number(number) {
        return Err(OrderError::NotFound);
    }
    order::Entity::find()
        .filter(order::Column::Number.eq(number))
        .one(db)
        .await?
        .filter(|order| may_see(order, viewer))
        .ok_or(OrderError::NotFound)
}

/// `order` as its page shows it.
///
/// # Errors
/// The database error.
pub async fn order_view(
    db: &impl ConnectionTrait,
    order: &order::Model,
) -> Result<OrderView, OrderError> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?;
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(order.id))
        .order_by_asc(order_event::Column::Id)
        .all(db)
        .await?;
    let invoice_number = invoice::Entity::find()
        .filter(invoice::Column::OrderId.eq(order.id))
        .one(db)
        .await?
        .map(|i| i.number);
    let status = OrderStatus::from_code(&order.status).unwrap_or(OrderStatus::PendingPayment);
    let method = PaymentMethod::from_code(&order.payment_method).unwrap_or(PaymentMethod::Card);
    let offline = matches!(method, PaymentMethod::BankTransfer | PaymentMethod::Cheque);
    let pending = status == OrderStatus::PendingPayment;
    let (delivery, billing) = addresses(order);
    let s = seller();
    Ok(OrderView {
        number: order.number.clone(),
        status,
        created_at: order.created_at.to_rfc3339(),
        email: order.email.clone(),
        payment_method: method,
        destination: order.destination.clone(),
        vat_mode: vat_mode(order),
        delivery,
        billing,
        lines: lines
            .iter()
            .map(|l| OrderLineView {
                name: l.name.clone(),
                sku: l.sku.clone(),
                quantity: u32::try_from(l.quantity).unwrap_or(0),
                unit_price: cents_to_decimal(l.unit_price_cents),
                total: cents_to_decimal(l.total_cents),
                vat_rate: vat_percent(l.vat_rate_bp),
            })
            .collect(),
        subtotal: cents_to_decimal(order.subtotal_cents),
        discount: cents_to_decimal(order.discount_cents),
        shipping: cents_to_decimal(order.shipping_cents),
        vat: vat_lines(order),
        total: cents_to_decimal(order.total_cents),
        instructions: (pending && offline).then(|| PaymentInstructions {
            method,
            payee: s.name.clone(),
            iban: SELLER_IBAN.to_owned(),
            bic: SELLER_BIC.to_owned(),
            postal_address: s.address.join(", "),
            reference: order.number.clone(),
            amount: cents_to_decimal(order.total_cents),
        }),
        can_pay: pending && !offline,
        can_record_payment: false,
        invoice_number,
        link_query: format!("?key={}", order.access_key),
        history: events
            .iter()
            .filter_map(|e| {
                OrderStatus::from_code(&e.to_status).map(|s| (e.created_at.to_rfc3339(), s))
            })
            .collect(),
    })
}
