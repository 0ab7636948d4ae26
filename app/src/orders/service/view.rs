//! Who may see an order, and the order as its page shows it.

use super::OrderError;
use super::invoice::{addresses, vat_lines, vat_mode};
use crate::db::entities::{invoice, order, order_event, order_line};
use crate::money::{from_basis_points, from_cents};
use crate::orders::model::{
    OrderLineView, OrderStatus, OrderSummary, OrderView, PaymentInstructions, Tracking,
    WithdrawalWindow,
};
use crate::orders::rules::{Carrier, is_order_number};
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

/// The most orders an account's list shows.
pub const ACCOUNT_ORDERS: u64 = 200;

/// The orders of account `user_id`, newest first: those it placed, and those placed as a guest
/// with its address once verified (`verified_email`).
///
/// # Errors
/// The database error.
pub async fn account_orders(
    db: &impl ConnectionTrait,
    user_id: i32,
    verified_email: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<OrderSummary>, OrderError> {
    use sea_orm::{Condition, QuerySelect};
    let mut mine = Condition::any().add(order::Column::UserId.eq(user_id));
    if let Some(email) = verified_email {
        mine = mine.add(
            Condition::all()
                .add(order::Column::UserId.is_null())
                .add(order::Column::Email.eq(email)),
        );
    }
    let orders = order::Entity::find()
        .filter(mine)
        .order_by_desc(order::Column::CreatedAt)
        .order_by_desc(order::Column::Id)
        .limit(ACCOUNT_ORDERS)
        .all(db)
        .await?;
    let ids: Vec<i32> = orders.iter().map(|o| o.id).collect();
    let (lines, invoices) = if ids.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            order_line::Entity::find()
                .filter(order_line::Column::OrderId.is_in(ids.clone()))
                .all(db)
                .await?,
            invoice::Entity::find()
                .filter(invoice::Column::OrderId.is_in(ids))
                .all(db)
                .await?,
        )
    };
    let mut summaries: Vec<OrderSummary> = orders
        .iter()
        .map(|o| {
            let invoice = invoices.iter().find(|i| i.order_id == o.id);
            OrderSummary {
                number: o.number.clone(),
                created_at: o.created_at.to_rfc3339(),
                status: OrderStatus::from_code(&o.status).unwrap_or(OrderStatus::PendingPayment),
                total: from_cents(o.total_cents),
                items: lines
                    .iter()
                    .filter(|l| l.order_id == o.id)
                    .map(|l| u32::try_from(l.quantity).unwrap_or(0))
                    .sum(),
                invoice_number: invoice.map(|i| i.number.clone()),
                invoice_issued_at: invoice.map(|i| i.issued_at.to_rfc3339()),
                link_query: format!("?key={}", o.access_key),
                withdrawal: None,
            }
        })
        .collect();
    for (order, summary) in orders.iter().zip(summaries.iter_mut()) {
        summary.withdrawal = super::after_sales::withdrawal_window(db, order, now)
            .await?
            .map(|until| WithdrawalWindow {
                until: until.map(|at| at.to_rfc3339()),
            });
    }
    Ok(summaries)
}

/// Order `id` as stored now (after a change made to one already found).
///
/// # Errors
/// [`OrderError::NotFound`], or the database error.
pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<order::Model, OrderError> {
    order::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(OrderError::NotFound)
}

/// The parcel of a shipped `order`.
pub fn tracking(order: &order::Model) -> Option<Tracking> {
    let carrier = Carrier::from_code(order.tracking_carrier.as_deref()?)?;
    let number = order.tracking_number.clone()?;
    Some(Tracking {
        carrier,
        url: carrier.tracking_url(&number),
        number,
    })
}

/// `order` as its page shows it.
///
/// # Errors
/// The database error.
pub async fn order_view(
    db: &impl ConnectionTrait,
    order: &order::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<OrderView, OrderError> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?;
    let taken = super::after_sales::taken_back(db, order.id).await?;
    let returned = crate::orders::after_sales::taken_units(&taken);
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
    // The lines, their returns and the history are here already: the withdrawal's window
    // comes from them.
    let delivered = events
        .iter()
        .rev()
        .find(|e| e.to_status == OrderStatus::Delivered.code())
        .map(|e| e.created_at);
    let sold: Vec<_> = lines.iter().map(super::after_sales::sold_line).collect();
    let withdrawal = super::after_sales::open_window(
        order,
        delivered,
        crate::orders::after_sales::anything_left(&sold, &taken),
        now,
    );
    let method = PaymentMethod::from_code(&order.payment_method).unwrap_or(PaymentMethod::Card);
    let offline = matches!(method, PaymentMethod::BankTransfer | PaymentMethod::Cheque);
    let pending = status == OrderStatus::PendingPayment;
    let (delivery, billing) = addresses(order);
    let settings = crate::settings::service::seller_settings(db).await?;
    let s = &settings.seller;
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
                line_id: l.id,
                returned: u32::try_from(returned.get(&l.id).copied().unwrap_or(0)).unwrap_or(0),
                name: l.name.clone(),
                sku: l.sku.clone(),
                quantity: u32::try_from(l.quantity).unwrap_or(0),
                unit_price: from_cents(l.unit_price_cents),
                total: from_cents(l.total_cents),
                vat_rate: from_basis_points(l.vat_rate_bp),
            })
            .collect(),
        subtotal: from_cents(order.subtotal_cents),
        discount: from_cents(order.discount_cents),
        adjustments: super::adjustments(order)?,
        shipping: from_cents(order.shipping_cents),
        vat: vat_lines(order)?,
        total: from_cents(order.total_cents),
        instructions: (pending && offline).then(|| PaymentInstructions {
            method,
            payee: s.name.clone(),
            iban: settings.bank.iban.clone(),
            bic: settings.bank.bic.clone(),
            postal_address: s.address.join(", "),
            reference: order.number.clone(),
            amount: from_cents(order.total_cents),
        }),
        can_pay: pending && !offline,
        can_record_payment: false,
        refunds: Vec::new(),
        refundable: None,
        refund_key: String::new(),
        invoice_number,
        link_query: format!("?key={}", order.access_key),
        history: events
            .iter()
            .filter_map(|e| {
                OrderStatus::from_code(&e.to_status).map(|s| (e.created_at.to_rfc3339(), s))
            })
            .collect(),
        tracking: tracking(order),
        shop_cancelled: status == OrderStatus::Cancelled
            && events.last().is_some_and(|e| e.actor.starts_with("staff:")),
        seller_contact: (s.email.clone(), s.phone.clone()),
        withdrawal: withdrawal.map(|until| WithdrawalWindow {
            until: until.map(|at| at.to_rfc3339()),
        }),
        delivery_due: order
            .paid_at
            .map(|paid| crate::orders::rules::delivery_due(paid).to_rfc3339()),
        late: crate::orders::rules::delivery_late(status, order.paid_at, now),
        unavailable: super::unavailable::of_order(db, order.id)
            .await?
            .into_iter()
            .map(|u| crate::orders::model::UnavailableView {
                line_id: u.order_line_id,
                name: lines
                    .iter()
                    .find(|l| l.id == u.order_line_id)
                    .map(|l| l.name.clone())
                    .unwrap_or_default(),
                expected_on: u.expected_on.to_string(),
                choice: u.choice,
            })
            .collect(),
        has_account: order.user_id.is_some(),
    })
}
