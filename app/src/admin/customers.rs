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

/// A page of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerList {
    pub rows: Vec<CustomerRow>,
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
    Ok(CustomerList {
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
        addresses,
        orders,
        subscriptions,
    })
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
    use crate::account::model::Role;
    use axum::response::IntoResponse;
    use http::StatusCode;
    let staff = match crate::account::api::ssr::account_of(&state, &session).await {
        Ok(Some(account)) if Role::from_code(&account.role) == Some(Role::Staff) => account,
        Ok(Some(_)) => {
            return (
                StatusCode::FORBIDDEN,
                "Réservé à l'équipe de la boutique.\n",
            )
                .into_response();
        }
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Connectez-vous.\n").into_response(),
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response(),
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
        Ok(document) => (
            [
                (http::header::CONTENT_TYPE, "application/json".to_owned()),
                (
                    http::header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"comptoir-donnees-client-{id}-{}.json\"",
                        now.format("%Y-%m-%d")
                    ),
                ),
                (http::header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            document.to_string(),
        )
            .into_response(),
        Err(AppError::NotFound) => (StatusCode::NOT_FOUND, "no such customer\n").into_response(),
        Err(error) => {
            tracing::error!(%error, "customer export");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
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
    let bad = |msg: Msg| AppError::BadRequest(locale.t(msg).to_owned()).answered();
    let reason = reason.trim();
    if reason.chars().count() < 5 || reason.chars().count() > 500 {
        return Err(bad(Msg::ErrDeletionReason));
    }
    if confirm.is_none() {
        return Err(bad(Msg::ErrDeletionConfirm));
    }
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

/// `/admin/customers`.
#[component]
pub fn AdminCustomersPage() -> impl IntoView {
    let locale = use_locale();
    let (q, page) = use_query_map().with_untracked(|m| {
        (
            m.get("q").unwrap_or_default(),
            m.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        )
    });
    let list = OnceResource::new(admin_customers(q, page));
    view! {
        <PageMeta title=locale.t(Msg::AdminCustomers) description=locale.t(Msg::AdminCustomers) path="/admin/customers" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <Customers list locale/> }.into_any(),
                    Err(error) => super::gate(error, "/admin/customers"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Customers(list: CustomerList, locale: Locale) -> impl IntoView {
    let query = {
        let q = list.q.clone();
        move |page: u64| {
            format!(
                "/admin/customers?q={}&page={page}",
                crate::catalog::rules::encode_query_value(&q)
            )
        }
    };
    let previous = (list.page > 1).then(|| query(list.page - 1));
    let next = list.has_more.then(|| query(list.page + 1));
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
            <h1>{locale.t(Msg::AdminCustomers)}</h1>
            <form class="admin-filters" method="get" action="/admin/customers">
                <div class="field">
                    <label for="c-q">{locale.t(Msg::AdminCustomerSearch)}</label>
                    <input id="c-q" name="q" type="search" value=list.q.clone() autocomplete="off"/>
                </div>
                <button class="button button--small" type="submit">{locale.t(Msg::AdminFilter)}</button>
            </form>
            {list.rows.is_empty().then(|| view! { <p class="account__empty">{locale.t(Msg::AdminCustomersNone)}</p> })}
            <div class="table-scroll">
                <table class="admin-table" data-testid="admin-customers">
                    <thead><tr>
                        <th scope="col">{locale.t(Msg::AdminProductName)}</th>
                        <th scope="col">"E-mail"</th>
                        <th scope="col">{locale.t(Msg::AdminSince)}</th>
                    </tr></thead>
                    <tbody>
                        {list.rows.into_iter().map(|r| view! {
                            <tr>
                                <td><a href=format!("/admin/customers/{}", r.id)>{r.name}</a>
                                    {r.deleted.then(|| view! { " " <span class="badge">{locale.t(Msg::AdminDeletedAccount)}</span> })}
                                </td>
                                <td>{r.email}</td>
                                <td>{paris_time(locale, r.created_at)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <nav class="pagination" aria-label=locale.t(Msg::AdminCustomers)>
                {previous.map(|href| view! { <a class="button button--small" href=href>"←"</a> })}
                {next.map(|href| view! { <a class="button button--small" href=href>"→"</a> })}
            </nav>
        </section>
    }
}

/// `/admin/customers/{id}`.
#[component]
pub fn AdminCustomerPage() -> impl IntoView {
    let locale = use_locale();
    let raw = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let id = raw.parse::<i32>().ok();
    let customer = OnceResource::new(async move {
        match id {
            Some(id) => admin_customer(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let back = format!("/admin/customers/{raw}");
    view! {
        <PageMeta title=locale.t(Msg::AdminCustomers) description=locale.t(Msg::AdminCustomers) path=back.clone() noindex=true/>
        <Suspense fallback=Loading>
            {move || {
                let back = back.clone();
                Suspend::new(async move {
                    match customer.await {
                        Ok(customer) => view! { <Customer customer locale/> }.into_any(),
                        Err(error) => super::gate(error, &back),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Customer(customer: CustomerView, locale: Locale) -> impl IntoView {
    let delete = ServerAction::<DeleteCustomer>::new();
    let error = error_of(delete);
    let id = customer.id;
    let deletable = customer.deleted_at.is_none() && customer.role == "customer";
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a>" › "<a href="/admin/customers">{locale.t(Msg::AdminCustomers)}</a></p>
            <h1>{customer.name.clone()}</h1>
            {customer.deleted_at.map(|at| view! {
                <p class="notice" data-testid="deleted">{locale.t(Msg::AdminDeletedAccount)}" — "{paris_time(locale, at)}</p>
            })}
            <div class="account__grid">
                <article class="account__panel">
                    <h2>{locale.t(Msg::AdminCustomer)}</h2>
                    <dl class="facts">
                        <div><dt>"E-mail"</dt><dd>{customer.email.clone()}{(!customer.verified).then(|| format!(" ({})", locale.t(Msg::AdminUnverified)))}</dd></div>
                        <div><dt>{locale.t(Msg::AdminPhone)}</dt><dd>{customer.phone.clone().unwrap_or_else(|| "—".into())}</dd></div>
                        <div><dt>{locale.t(Msg::AdminSince)}</dt><dd>{paris_time(locale, customer.created_at)}</dd></div>
                        <div><dt>{locale.t(Msg::AdminLastSignIn)}</dt><dd>{customer.last_sign_in_at.map_or_else(|| "—".into(), |at| paris_time(locale, at))}</dd></div>
                        <div><dt>{locale.t(Msg::AdminRole)}</dt><dd>{customer.role.clone()}</dd></div>
                        <div><dt>{locale.t(Msg::AdminAddresses)}</dt><dd>{customer.addresses}</dd></div>
                        <div><dt>{locale.t(Msg::NewsletterTitle)}</dt><dd>{if customer.newsletter { "✓" } else { "—" }}</dd></div>
                    </dl>
                </article>
                <article class="account__panel">
                    <h2>{locale.t(Msg::AdminDataRequests)}</h2>
                    <p>{locale.t(Msg::AdminDataRequestsLead)}</p>
                    <form method="post" action=format!("/admin/customers/{id}/export")>
                        <button class="button button--small" type="submit">{locale.t(Msg::AdminExportData)}</button>
                    </form>
                    {deletable.then(|| view! {
                        <details class="admin-move">
                            <summary>{locale.t(Msg::AdminDeleteAccount)}</summary>
                            <ActionForm action=delete attr:class="checkout-form">
                                <FormError error/>
                                <input type="hidden" name="id" value=id.to_string()/>
                                <div class="field">
                                    <label for="delete-reason">{locale.t(Msg::AdminDeletionReason)}</label>
                                    <input id="delete-reason" name="reason" type="text" required=true minlength="5" maxlength="500" autocomplete="off"/>
                                </div>
                                <label class="checkbox">
                                    <input type="checkbox" name="confirm" required=true/>
                                    " "{locale.t(Msg::AdminDeletionConfirm)}
                                </label>
                                <button class="button button--danger" type="submit">{locale.t(Msg::AdminDeleteAccount)}</button>
                            </ActionForm>
                        </details>
                    })}
                </article>
            </div>
            <article class="account__panel">
                <h2>{locale.t(Msg::AdminOrders)}</h2>
                {customer.orders.is_empty().then(|| view! { <p>"—"</p> })}
                <ul class="admin__list" data-testid="customer-orders">
                    {customer.orders.into_iter().map(|o| view! {
                        <li>
                            <a href=format!("/admin/orders/{}", o.number)>{o.number.clone()}</a>
                            {format!(" — {} — {} — {}", crate::orders::pages::short_date(&o.created_at, locale), locale.t(status_label(o.status)), money(locale, o.total))}
                        </li>
                    }).collect_view()}
                </ul>
            </article>
            <article class="account__panel">
                <h2>{locale.t(Msg::AdminSubscriptions)}</h2>
                {customer.subscriptions.is_empty().then(|| view! { <p>"—"</p> })}
                <ul class="admin__list">
                    {customer.subscriptions.into_iter().map(|s| view! {
                        <li>
                            {format!("{} × {} — ", s.quantity, s.product_name)}
                            {locale.t(crate::subscriptions::pages::status_label(s.status))}
                            {s.next_delivery.map(|d| format!(" — {}", d.format("%d/%m/%Y")))}
                        </li>
                    }).collect_view()}
                </ul>
            </article>
            <p><a href=format!("/admin/audit?subject=customer%3A{id}")>{locale.t(Msg::AuditTitle)}</a></p>
        </section>
    }
}
