//! `/admin/customers` (search by name or email) and `/admin/customers/{id}`: the account, its
//! orders and subscriptions, and the data requests staff handle on a customer's behalf (the
//! export as a download, the deletion), both in the audit log.

use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::orders::model::OrderSummary;
use crate::orders::pages::status_label;
use crate::subscriptions::model::SubscriptionView;
use crate::ui::Loading;
use crate::ui::format::{money, paris_time};
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

mod pages;
pub use pages::*;

/// Accounts per page of the list.
pub const CUSTOMERS_PAGE: u64 = 50;

/// A row of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub deleted: bool,
}

/// An address that ordered without an account (its orders have no account), found by the
/// search: staff export or erase it on the person's request, as the person can by email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestRow {
    pub email: String,
    pub orders: i64,
    pub last_order_at: chrono::DateTime<chrono::Utc>,
}

/// Guest addresses shown for one search (the first page only).
pub const GUESTS_SHOWN: u64 = 20;

/// A page of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerList {
    pub rows: Vec<CustomerRow>,
    /// Guest addresses matching the search (none without one).
    pub guests: Vec<GuestRow>,
    pub q: String,
    pub page: u64,
    pub has_more: bool,
}

/// One account as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerView {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub verified: bool,
    pub role: String,
    pub newsletter: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_sign_in_at: Option<chrono::DateTime<chrono::Utc>>,
    pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Since when the customer objects to marketing and audience measurement.
    pub objected_at: Option<chrono::DateTime<chrono::Utc>>,
    pub addresses: u64,
    pub orders: Vec<OrderSummary>,
    pub subscriptions: Vec<SubscriptionView>,
}

#[cfg(feature = "ssr")]
async fn customer_model(
    db: &sea_orm::DatabaseConnection,
    id: i32,
) -> Result<crate::db::entities::user::Model, AppError> {
    use crate::db::entities::user;
    use sea_orm::EntityTrait;
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound.answered())
}

/// The accounts, newest first, for staff; `q` matches a name or an email.
#[server(prefix = "/api", endpoint = "admin/customers")]
pub async fn admin_customers(q: String, page: u64) -> Result<CustomerList, AppError> {
    use crate::db::entities::user;
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let state = super::require_staff().await?;
    let page = page.max(1);
    let q: String = q.trim().chars().take(100).collect();
    let mut find = user::Entity::find();
    if !q.is_empty() {
        let mut any = Condition::any().add(user::Column::Email.contains(q.to_lowercase()));
        // Each word of the query in the first or last name.
        let mut names = Condition::all();
        for word in q.split_whitespace() {
            names = names.add(
                Condition::any()
                    .add(user::Column::FirstName.contains(word))
                    .add(user::Column::LastName.contains(word)),
            );
        }
        any = any.add(names);
        find = find.filter(any);
    }
    let mut rows = find
        .order_by_desc(user::Column::Id)
        .offset((page - 1).saturating_mul(CUSTOMERS_PAGE))
        .limit(CUSTOMERS_PAGE + 1)
        .all(&state.db)
        .await?;
    let has_more = rows.len() as u64 > CUSTOMERS_PAGE;
    rows.truncate(CUSTOMERS_PAGE as usize);
    let guests = if q.is_empty() || page > 1 {
        Vec::new()
    } else {
        guest_addresses(&state.db, &q).await?
    };
    Ok(CustomerList {
        guests,
        rows: rows
            .into_iter()
            .map(|u| CustomerRow {
                id: u.id,
                name: format!("{} {}", u.first_name, u.last_name),
                email: u.email,
                created_at: u.created_at,
                deleted: u.deleted_at.is_some(),
            })
            .collect(),
        q,
        page,
        has_more,
    })
}

/// The addresses of guest orders (no account) whose address contains `q`, or whose buyer's
/// names contain each of its words, latest order first; anonymised orders are left out.
#[cfg(feature = "ssr")]
async fn guest_addresses(
    db: &sea_orm::DatabaseConnection,
    q: &str,
) -> Result<Vec<GuestRow>, AppError> {
    use crate::db::entities::order;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let mut names = Condition::all();
    for word in q.split_whitespace() {
        names = names.add(
            Condition::any()
                .add(order::Column::FirstName.contains(word))
                .add(order::Column::LastName.contains(word)),
        );
    }
    let rows: Vec<(String, i64, chrono::DateTime<chrono::Utc>)> = order::Entity::find()
        .select_only()
        .column(order::Column::Email)
        .column_as(Expr::col(order::Column::Id).count(), "orders")
        .column_as(Expr::col(order::Column::CreatedAt).max(), "last_order_at")
        .filter(order::Column::UserId.is_null())
        .filter(
            order::Column::Email
                .ends_with(crate::privacy::service::retention::ERASED_DOMAIN)
                .not(),
        )
        .filter(
            Condition::any()
                .add(order::Column::Email.contains(q.to_lowercase()))
                .add(names),
        )
        .group_by(order::Column::Email)
        .order_by_desc(Expr::col(order::Column::CreatedAt).max())
        .limit(GUESTS_SHOWN)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(email, orders, last_order_at)| GuestRow {
            email,
            orders,
            last_order_at,
        })
        .collect())
}

/// Account `id` with its orders and subscriptions.
#[server(prefix = "/api", endpoint = "admin/customer")]
pub async fn admin_customer(id: i32) -> Result<CustomerView, AppError> {
    use crate::db::entities::address;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let state = super::require_staff().await?;
    let u = customer_model(&state.db, id).await?;
    let verified = u.email_verified_at.map(|_| u.email.clone());
    let orders = crate::orders::service::view::account_orders(
        &state.db,
        u.id,
        verified.as_deref(),
        state.clock.now(),
    )
    .await?;
    let subscriptions = crate::subscriptions::service::of_user(
        &state.db,
        u.id,
        crate::i18n::request_locale(),
        state.clock.now(),
    )
    .await?;
    let addresses = address::Entity::find()
        .filter(address::Column::UserId.eq(u.id))
        .count(&state.db)
        .await?;
    Ok(CustomerView {
        id: u.id,
        name: format!("{} {}", u.first_name, u.last_name),
        email: u.email,
        phone: u.phone,
        verified: u.email_verified_at.is_some(),
        role: u.role,
        newsletter: u.newsletter,
        created_at: u.created_at,
        last_sign_in_at: u.last_sign_in_at,
        deleted_at: u.deleted_at,
        objected_at: u.objected_at,
        addresses,
        orders,
        subscriptions,
    })
}

/// The staff member behind a download request, or the answer refusing it.
#[cfg(feature = "ssr")]
pub async fn staff_for_download(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
) -> Result<crate::db::entities::user::Model, axum::response::Response> {
    use crate::account::model::Role;
    use axum::response::IntoResponse;
    use http::StatusCode;
    match crate::account::api::ssr::account_of(state, session).await {
        Ok(Some(account)) if Role::from_code(&account.role) == Some(Role::Staff) => Ok(account),
        Ok(Some(_)) => Err((
            StatusCode::FORBIDDEN,
            "Réservé à l'équipe de la boutique.\n",
        )
            .into_response()),
        Ok(None) => Err((StatusCode::UNAUTHORIZED, "Connectez-vous.\n").into_response()),
        Err(_) => Err((StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()),
    }
}

/// The JSON download of an export, named `{name}-{date}.json`.
#[cfg(feature = "ssr")]
fn export_download(
    document: &serde_json::Value,
    name: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (http::header::CONTENT_TYPE, "application/json".to_owned()),
            (
                http::header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{name}-{}.json\"",
                    now.format("%Y-%m-%d")
                ),
            ),
            (http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        document.to_string(),
    )
        .into_response()
}

/// `POST /admin/customers/{id}/export`: everything the shop holds about account `id`,
/// downloaded by staff for the customer, and logged. A POST (a form's button), never a link:
/// it writes the audit log, and a GET could be set off by any page (an image) a staff member
/// opens, filling the log with exports nobody asked for.
#[cfg(feature = "ssr")]
pub async fn export_customer(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
    axum::extract::Path(id): axum::extract::Path<i32>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::StatusCode;
    let staff = match staff_for_download(&state, &session).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let now = state.clock.now();
    let exported = async {
        let account = customer_model(&state.db, id).await?;
        let document =
            crate::privacy::service::data::export(&state.db, &account, None, now).await?;
        super::audit::record(
            &state.db,
            staff.id,
            "customer.export",
            &format!("customer:{id}"),
            "",
            now,
        )
        .await?;
        Ok::<_, AppError>(document)
    }
    .await;
    match exported {
        Ok(document) => export_download(&document, &format!("comptoir-donnees-client-{id}"), now),
        Err(AppError::NotFound) => (StatusCode::NOT_FOUND, "no such customer\n").into_response(),
        Err(error) => {
            tracing::error!(%error, "customer export");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
}

/// The reason staff give for an erasure done on a person's request (5 to 500 characters, how
/// and when it was asked), once the confirmation box is ticked.
#[cfg(feature = "ssr")]
fn erasure_request<'a>(
    locale: Locale,
    reason: &'a str,
    confirm: Option<&str>,
) -> Result<&'a str, AppError> {
    let bad = |msg: Msg| AppError::BadRequest(locale.t(msg).to_owned()).answered();
    let reason = reason.trim();
    if reason.chars().count() < 5 || reason.chars().count() > 500 {
        return Err(bad(Msg::ErrDeletionReason));
    }
    if confirm.is_none() {
        return Err(bad(Msg::ErrDeletionConfirm));
    }
    Ok(reason)
}

/// Deletes customer account `id` on the customer's request (`reason`: how and when it was
/// asked), once `confirm` is ticked. Only customer accounts; refused while an order is on its
/// way.
#[server(prefix = "/api", endpoint = "admin/customers/delete")]
pub async fn delete_customer(
    id: i32,
    reason: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    use crate::account::model::Role;
    use crate::privacy::service::erasure::{DeletionError, delete_for_customer};
    let (state, staff) = super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let reason = erasure_request(locale, &reason, confirm.as_deref())?;
    let account = customer_model(&state.db, id).await?;
    if Role::from_code(&account.role) != Some(Role::Customer) || account.deleted_at.is_some() {
        return Err(AppError::Conflict(locale.t(Msg::ErrNotACustomer).to_owned()).answered());
    }
    match delete_for_customer(&state.db, &account, reason, staff.id, state.clock.now()).await {
        Ok(()) => {}
        Err(DeletionError::OrderInProgress) => {
            return Err(
                AppError::Conflict(locale.t(Msg::ErrCustomerOrderInProgress).into()).answered(),
            );
        }
        Err(DeletionError::Account(error)) => return Err(AppError::internal(error)),
    }
    leptos_axum::redirect(&format!("/admin/customers/{id}"));
    Ok(())
}

/// Records (`object` = `yes`) or withdraws (`no`) customer `id`'s objection to marketing and
/// audience measurement on their request (`reason`: how and when it was asked), in the audit
/// log.
#[server(prefix = "/api", endpoint = "admin/customers/objection")]
pub async fn customer_objection(id: i32, object: String, reason: String) -> Result<(), AppError> {
    let (state, staff) = super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let reason = reason.trim();
    if reason.chars().count() < 5 || reason.chars().count() > 500 {
        return Err(AppError::BadRequest(locale.t(Msg::ErrDeletionReason).to_owned()).answered());
    }
    let object = match object.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest("object: yes or no".into()).answered()),
    };
    let account = customer_model(&state.db, id).await?;
    if account.deleted_at.is_some() {
        return Err(AppError::Conflict(locale.t(Msg::ErrNotACustomer).to_owned()).answered());
    }
    let now = state.clock.now();
    if crate::privacy::service::objection::set_objection(&state.db, &account, object, now).await? {
        super::audit::record(
            &state.db,
            staff.id,
            if object {
                "customer.objection"
            } else {
                "customer.objection_withdrawn"
            },
            &format!("customer:{id}"),
            reason,
            now,
        )
        .await?;
    }
    leptos_axum::redirect(&format!("/admin/customers/{id}"));
    Ok(())
}

/// The form of the guest data requests: the address.
#[cfg(feature = "ssr")]
#[derive(Debug, Deserialize)]
pub struct GuestForm {
    pub email: String,
}

/// The guest address staff act for: one that guest orders were placed with.
#[cfg(feature = "ssr")]
async fn guest_address(db: &sea_orm::DatabaseConnection, email: &str) -> Result<String, AppError> {
    use crate::db::entities::order;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let email = email.trim().to_lowercase();
    let orders = order::Entity::find()
        .filter(order::Column::Email.eq(email.as_str()))
        .filter(order::Column::UserId.is_null())
        .count(db)
        .await?;
    if orders == 0 || email.ends_with(crate::privacy::service::retention::ERASED_DOMAIN) {
        return Err(AppError::NotFound);
    }
    Ok(email)
}

/// `POST /admin/guests/export` (form: `email`): everything the shop holds under a guest
/// address, downloaded by staff for the person, and logged (under the address's digest).
#[cfg(feature = "ssr")]
pub async fn export_guest(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
    axum::extract::Form(form): axum::extract::Form<GuestForm>,
) -> axum::response::Response {
    use crate::privacy::service::guest::{By, export};
    use axum::response::IntoResponse;
    use http::StatusCode;
    let staff = match staff_for_download(&state, &session).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let now = state.clock.now();
    let exported = async {
        let email = guest_address(&state.db, &form.email).await?;
        let by = By::Staff {
            id: staff.id,
            reason: "",
        };
        Ok::<_, AppError>(export(&state.db, by, &email, now).await?)
    }
    .await;
    match exported {
        Ok(document) => export_download(&document, "comptoir-donnees-invite", now),
        Err(AppError::NotFound) => (
            StatusCode::NOT_FOUND,
            "no guest orders under this address\n",
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "guest export");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
}

/// Erases what the shop holds under guest address `email` on the person's request (`reason`:
/// how and when it was asked), once `confirm` is ticked: the same erasure as the person's own
/// by email, logged. Refused while one of its orders is on its way.
#[server(prefix = "/api", endpoint = "admin/guests/erase")]
pub async fn erase_guest(
    email: String,
    reason: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    use crate::privacy::service::data::EraseError;
    use crate::privacy::service::guest::{By, erase};
    let (state, staff) = super::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let reason = erasure_request(locale, &reason, confirm.as_deref())?;
    let email = guest_address(&state.db, &email)
        .await
        .map_err(AppError::answered)?;
    let by = By::Staff {
        id: staff.id,
        reason,
    };
    match erase(&state.db, by, &email, locale, state.clock.now()).await {
        Ok(()) => {}
        Err(EraseError::OrderInProgress) => {
            return Err(
                AppError::Conflict(locale.t(Msg::ErrCustomerOrderInProgress).into()).answered(),
            );
        }
        Err(EraseError::Database(error)) => return Err(error.into()),
    }
    leptos_axum::redirect("/admin/customers?erased=1");
    Ok(())
}
