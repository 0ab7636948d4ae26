//! The server functions of the orders' back office: the filtered list, one order with its history, and staff's moves.

use super::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::super::OrderFilter;
    use crate::clock::paris_midnight;
    use crate::db::entities::order;
    use crate::orders::model::OrderStatus;
    use crate::pricing::{Destination, PaymentMethod, Region};
    use sea_orm::{ColumnTrait, Condition, QueryFilter, Select};

    fn region(code: &str) -> Option<Region> {
        match code {
            "metropolitan" => Some(Region::MetropolitanFrance),
            "overseas" => Some(Region::Overseas),
            "eu" => Some(Region::Eu),
            "world" => Some(Region::World),
            _ => None,
        }
    }

    fn day(text: &str) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
    }

    /// `filter` cleaned (unknown values dropped, so the page shows what applies) and as a
    /// query on the orders.
    pub fn apply(
        mut filter: OrderFilter,
        mut find: Select<order::Entity>,
    ) -> (OrderFilter, Select<order::Entity>) {
        if filter.status == "action" {
            find = find.filter(
                order::Column::Status.is_in(super::super::AWAITING_STAFF.iter().map(|s| s.code())),
            );
        } else if let Some(status) = OrderStatus::from_code(&filter.status) {
            find = find.filter(order::Column::Status.eq(status.code()));
        } else {
            filter.status.clear();
        }
        match day(&filter.from) {
            Some(from) => find = find.filter(order::Column::CreatedAt.gte(paris_midnight(from))),
            None => filter.from.clear(),
        }
        match day(&filter.to).and_then(|d| d.succ_opt()) {
            Some(after) => find = find.filter(order::Column::CreatedAt.lt(paris_midnight(after))),
            None => filter.to.clear(),
        }
        match PaymentMethod::from_code(&filter.method) {
            Some(method) => find = find.filter(order::Column::PaymentMethod.eq(method.code())),
            None => filter.method.clear(),
        }
        if let Some(region) = region(&filter.destination) {
            let codes: Vec<&str> = Destination::all()
                .filter(|d| d.region() == region)
                .map(Destination::code)
                .collect();
            find = find.filter(order::Column::Destination.is_in(codes));
        } else if let Some(destination) = Destination::parse(&filter.destination) {
            filter.destination = destination.code().to_owned();
            find = find.filter(order::Column::Destination.eq(destination.code()));
        } else {
            filter.destination.clear();
        }
        filter.q = filter.q.trim().chars().take(100).collect();
        if !filter.q.is_empty() {
            let q = filter.q.clone();
            find = find.filter(
                Condition::any()
                    .add(order::Column::Number.eq(q.to_uppercase()))
                    .add(order::Column::Email.contains(q.to_lowercase())),
            );
        }
        (filter, find)
    }
}

/// The orders, newest first, for staff.
#[server(prefix = "/api", endpoint = "admin/orders")]
pub async fn admin_orders(filter: OrderFilter) -> Result<AdminOrderList, AppError> {
    use crate::db::entities::order;
    use crate::money::from_cents;
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    let state = super::super::require_staff().await?;
    let page = filter.page.max(1);
    let (mut filter, find) = ssr::apply(filter, order::Entity::find());
    filter.page = page;
    let mut rows = find
        .order_by_desc(order::Column::Id)
        .offset((page - 1).saturating_mul(ORDERS_PAGE))
        .limit(ORDERS_PAGE + 1)
        .all(&state.db)
        .await?;
    let has_more = rows.len() as u64 > ORDERS_PAGE;
    rows.truncate(ORDERS_PAGE as usize);
    Ok(AdminOrderList {
        rows: rows
            .into_iter()
            .map(|o| AdminOrderRow {
                name: format!("{} {}", o.first_name, o.last_name),
                status: OrderStatus::from_code(&o.status).unwrap_or(OrderStatus::PendingPayment),
                method: PaymentMethod::from_code(&o.payment_method).unwrap_or(PaymentMethod::Card),
                total: from_cents(o.total_cents),
                number: o.number,
                created_at: o.created_at,
                email: o.email,
                destination: o.destination,
            })
            .collect(),
        filter,
        has_more,
    })
}

/// Order `number` with everything staff need to handle it.
#[server(prefix = "/api", endpoint = "admin/order")]
pub async fn admin_order(number: String) -> Result<StaffOrderView, AppError> {
    use crate::db::entities::{audit_log, order_event, user};
    use crate::orders::service::{refund, view};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let state = super::super::require_staff().await?;
    let found = view::find_for(
        &state.db,
        &number,
        &view::Viewer {
            staff: true,
            ..Default::default()
        },
    )
    .await?;
    let mut order = view::order_view(&state.db, &found, state.clock.now()).await?;
    let (refunds, left) = refund::refunds_of(&state.db, &found).await?;
    let move_key = crate::orders::api::ssr::new_key();
    order.refunds = refunds;
    order.refundable = (left > 0 && refund::refundable_status(&found.status))
        .then(|| crate::money::from_cents(left));
    order.refund_key = move_key.clone();
    order.can_record_payment = order.instructions.is_some();
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(found.id))
        .order_by_asc(order_event::Column::Id)
        .all(&state.db)
        .await?;
    let people_ids: Vec<i32> = events
        .iter()
        .filter_map(|e| e.actor.strip_prefix("staff:")?.parse().ok())
        .chain(found.user_id)
        .collect();
    let people = if people_ids.is_empty() {
        Vec::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(people_ids))
            .all(&state.db)
            .await?
    };
    let events = events
        .into_iter()
        .filter_map(|e| {
            let actor = e
                .actor
                .strip_prefix("staff:")
                .and_then(|id| id.parse::<i32>().ok())
                .and_then(|id| people.iter().find(|u| u.id == id))
                .map_or_else(|| e.actor.clone(), |u| u.email.clone());
            Some(AdminEvent {
                at: e.created_at,
                from: e.from_status.as_deref().and_then(OrderStatus::from_code),
                to: OrderStatus::from_code(&e.to_status)?,
                actor,
                note: e.note,
            })
        })
        .collect();
    let customer = found.user_id.and_then(|id| {
        people
            .iter()
            .find(|u| u.id == id)
            .map(|u| (u.id, format!("{} {}", u.first_name, u.last_name)))
    });
    let audit_rows = audit_log::Entity::find()
        .filter(audit_log::Column::Subject.eq(format!("order:{}", found.number)))
        .order_by_desc(audit_log::Column::Id)
        .limit(100)
        .all(&state.db)
        .await?;
    Ok(StaffOrderView {
        moves: StaffMove::open_from(order.status),
        order,
        customer,
        events,
        move_key,
        audit: super::super::audit::entries(&state.db, audit_rows).await?,
    })
}

/// Staff move order `number` (`action`: prepare, ship, deliver, cancel, refuse). Shipping needs
/// a carrier and a tracking number; a cancellation or refusal a reason, told to the customer.
#[server(prefix = "/api", endpoint = "admin/orders/move")]
pub async fn move_order(
    number: String,
    action: String,
    #[server(default)] carrier: String,
    #[server(default)] tracking_number: String,
    #[server(default)] reason: String,
    idempotency_key: String,
) -> Result<(), AppError> {
    use crate::orders::rules::clean_tracking_number;
    use crate::orders::service::staff::{MoveRequest, apply};
    let (state, staff) = super::super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let bad = |msg: Msg| AppError::BadRequest(locale.t(msg).to_owned()).answered();
    let action = StaffMove::from_code(&action).ok_or_else(|| bad(Msg::ErrInvalidRequest))?;
    let parcel = if action == StaffMove::Ship {
        let carrier = Carrier::from_code(&carrier).ok_or_else(|| bad(Msg::ErrCarrier))?;
        let number =
            clean_tracking_number(&tracking_number).ok_or_else(|| bad(Msg::ErrTrackingNumber))?;
        Some((carrier, number))
    } else {
        None
    };
    let reason = reason.trim();
    if matches!(action, StaffMove::Cancel | StaffMove::Refuse)
        && (reason.chars().count() < 5 || reason.chars().count() > 500)
    {
        return Err(bad(Msg::ErrCancelReason));
    }
    let key = crate::orders::api::ssr::idempotency_key(&idempotency_key)?;
    apply(
        &state.db,
        &state.payments,
        state.order_hooks.as_ref(),
        &state.site.public_url,
        &MoveRequest {
            number: &number,
            action,
            parcel,
            reason,
            staff_id: staff.id,
            idempotency_key: key,
            now: state.clock.now(),
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/orders/{number}"));
    Ok(())
}

/// Staff mark line `line_id` of order `number` unavailable until `expected_on`
/// (`YYYY-MM-DD`, today to a year ahead): the customer is emailed and chooses on the order's
/// page.
#[server(prefix = "/api", endpoint = "admin/orders/unavailable")]
pub async fn mark_unavailable(
    number: String,
    line_id: i32,
    expected_on: String,
) -> Result<(), AppError> {
    use crate::orders::service::view;
    let (state, staff) = super::super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let now = state.clock.now();
    let today = crate::clock::paris_today(now);
    let expected_on = chrono::NaiveDate::parse_from_str(expected_on.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d >= today && *d <= today + chrono::Duration::days(365))
        .ok_or_else(|| AppError::BadRequest(locale.t(Msg::ErrExpectedOn).to_owned()).answered())?;
    let found = view::find_for(
        &state.db,
        &number,
        &view::Viewer {
            staff: true,
            ..Default::default()
        },
    )
    .await?;
    let actor = format!("staff:{}", staff.id);
    crate::orders::service::unavailable::mark(
        &state.db,
        &state.site.public_url,
        &found,
        line_id,
        expected_on,
        &actor,
        now,
    )
    .await?;
    super::super::audit::record(
        &state.db,
        staff.id,
        "order.unavailable",
        &format!("order:{number}"),
        &format!("line {line_id} — {expected_on}"),
        now,
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/orders/{number}"));
    Ok(())
}
