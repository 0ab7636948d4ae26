//! `/admin/sales`: the price reductions, scheduled, running and past, a form to schedule one,
//! and cancelling one. Every change is in the audit log; the prices it moves are in each
//! product's price history.

use super::rules::Scope;
use super::rules::sales::{Cut, SaleForm, SaleState};
use crate::error::AppError;
use crate::i18n::{Locale, Msg, use_locale};
use crate::ui::Loading;
use crate::ui::format::{money, paris_time};
use crate::ui::forms::{FormError, error_of};
use crate::ui::seo::PageMeta;
use leptos::form::ActionForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A sale as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleRow {
    pub id: i32,
    pub name: String,
    pub cut: Cut,
    pub scope: Scope,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub state: SaleState,
    /// Products whose price it sets now.
    pub products: u64,
}

/// Every sale, the latest starts first (staff).
#[server(prefix = "/api", endpoint = "admin/sales")]
pub async fn admin_sales() -> Result<Vec<SaleRow>, AppError> {
    let (state, _) = crate::account::api::ssr::staff_member().await?;
    let now = state.clock.now();
    let rows: Result<Vec<SaleRow>, sea_orm::DbErr> = super::service::sales::listed(&state.db)
        .await?
        .into_iter()
        .map(|(m, products)| {
            let rule = super::service::sales::rule(&m)?;
            Ok(SaleRow {
                id: m.id,
                state: super::rules::sales::sale_state(
                    m.starts_at,
                    m.ends_at,
                    m.cancelled_at.is_some(),
                    now,
                ),
                name: rule.name,
                cut: rule.cut,
                scope: rule.scope,
                starts_at: m.starts_at,
                ends_at: m.ends_at,
                products,
            })
        })
        .collect();
    Ok(rows?)
}

/// Schedules a sale from `form` (staff); one starting now moves the prices at once.
#[server(prefix = "/api", endpoint = "admin/sales/create")]
pub async fn create_sale(form: SaleForm) -> Result<(), AppError> {
    use super::rules::sales::SaleField;
    use super::service::SaveError;
    let (state, staff) = crate::account::api::ssr::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let bad = |text: String| AppError::BadRequest(text).answered();
    let now = state.clock.now();
    let (rule, slugs) = super::rules::sales::check_sale(&form, now).map_err(|field| {
        bad(locale
            .t(match field {
                SaleField::Name => Msg::ErrSaleName,
                SaleField::Amount => Msg::ErrSaleAmount,
                SaleField::Start => Msg::ErrSaleStart,
                SaleField::End => Msg::ErrSaleEnd,
                SaleField::Scope => Msg::ErrPromoScope,
            })
            .to_owned())
    })?;
    let txn = crate::db::begin_write(&state.db).await?;
    let created = super::service::sales::create(&txn, rule.clone(), &slugs, now)
        .await
        .map_err(|e| match e {
            SaveError::UnknownSlug(slug) => {
                bad(format!("{} {slug}", locale.t(Msg::ErrPromoUnknownSlug)))
            }
            SaveError::Taken => bad(locale.t(Msg::ErrSaleName).to_owned()),
            SaveError::Database(e) => e.into(),
        })?;
    crate::db::audit::record(
        &txn,
        staff.id,
        "sale.create",
        &format!("sale:{}", created.id),
        &format!(
            "{} · {} · {} → {}",
            rule.name,
            describe_cut(rule.cut, Locale::En),
            rule.starts_at.to_rfc3339(),
            rule.ends_at.to_rfc3339()
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    leptos_axum::redirect("/admin/sales?saved=1");
    Ok(())
}

/// Cancels sale `id` (staff): scheduled, it never starts; running, it ends now.
#[server(prefix = "/api", endpoint = "admin/sales/cancel")]
pub async fn cancel_sale(id: i32) -> Result<(), AppError> {
    let (state, staff) = crate::account::api::ssr::staff_member().await?;
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let sale = super::service::sales::cancel(&txn, id, now)
        .await
        .map_err(|e| match e {
            sea_orm::DbErr::RecordNotFound(_) => AppError::NotFound.answered(),
            other => other.into(),
        })?;
    crate::db::audit::record(
        &txn,
        staff.id,
        "sale.cancel",
        &format!("sale:{}", sale.id),
        &sale.name,
        now,
    )
    .await?;
    txn.commit().await?;
    leptos_axum::redirect("/admin/sales");
    Ok(())
}

/// A cut in words: "−20 %" or "19,90 €".
pub fn describe_cut(cut: Cut, locale: Locale) -> String {
    match cut {
        Cut::Percent(bp) => format!("−{} %", crate::money::from_basis_points(bp).normalize()),
        Cut::NewPrice(cents) => money(locale, crate::money::from_cents(cents)),
    }
}

fn describe_scope(scope: &Scope, locale: Locale) -> String {
    match scope {
        Scope::All => locale.t(Msg::PromoScopeAll).to_owned(),
        Scope::Products(ids) => format!("{} ({})", locale.t(Msg::PromoScopeProducts), ids.len()),
        Scope::Categories(ids) => {
            format!("{} ({})", locale.t(Msg::PromoScopeCategories), ids.len())
        }
    }
}

#[component]
fn CreateForm(locale: Locale) -> impl IntoView {
    let create = ServerAction::<CreateSale>::new();
    let error = error_of(create);
    let text = move |name: &'static str, label: Msg, kind: &'static str, required: bool| {
        let id = format!("sale-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{locale.t(label)}</label>
                <input id=id name=format!("form[{name}]") type=kind required=required autocomplete="off"/>
            </div>
        }
    };
    view! {
        <ActionForm action=create attr:class="checkout-form" attr:data-testid="sale-form">
            <FormError error/>
            {text("name", Msg::SaleName, "text", true)}
            <div class="admin-pair">
                <div class="field">
                    <label for="sale-kind">{locale.t(Msg::SaleKind)}</label>
                    <select id="sale-kind" name="form[kind]">
                        <option value="percent">{locale.t(Msg::SaleKindPercent)}</option>
                        <option value="price">{locale.t(Msg::SaleKindPrice)}</option>
                    </select>
                </div>
                {text("amount", Msg::SaleAmount, "text", true)}
            </div>
            <div class="admin-pair">
                {text("starts_at", Msg::SaleStartsAt, "datetime-local", false)}
                {text("ends_at", Msg::SaleEndsAt, "datetime-local", true)}
            </div>
            <div class="admin-pair">
                <div class="field">
                    <label for="sale-scope">{locale.t(Msg::PromoScope)}</label>
                    <select id="sale-scope" name="form[scope]">
                        <option value="products">{locale.t(Msg::PromoScopeProducts)}</option>
                        <option value="categories">{locale.t(Msg::PromoScopeCategories)}</option>
                        <option value="all">{locale.t(Msg::PromoScopeAll)}</option>
                    </select>
                </div>
                {text("scope_slugs", Msg::PromoScopeSlugs, "text", false)}
            </div>
            <button class="button button--primary" type="submit">{locale.t(Msg::SaleCreate)}</button>
        </ActionForm>
    }
}

#[component]
fn Cancel(id: i32, locale: Locale) -> impl IntoView {
    let cancel = ServerAction::<CancelSale>::new();
    view! {
        <ActionForm action=cancel>
            <input type="hidden" name="id" value=id.to_string()/>
            <button class="button button--small" type="submit">{locale.t(Msg::SaleCancel)}</button>
        </ActionForm>
    }
}

/// `/admin/sales`.
#[component]
pub fn AdminSalesPage() -> impl IntoView {
    let locale = use_locale();
    let rows = OnceResource::new(admin_sales());
    let saved = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("saved").is_some());
    view! {
        <PageMeta title=locale.t(Msg::AdminSales) description=locale.t(Msg::AdminSalesLead) path="/admin/sales" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! {
                        <section class="account container admin">
                            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a></p>
                            <h1>{locale.t(Msg::AdminSales)}</h1>
                            <p>{locale.t(Msg::AdminSalesLead)}</p>
                            {saved.then(|| view! { <p class="notice notice--info" role="status">{locale.t(Msg::AdminSaved)}</p> })}
                            <article class="account__panel">
                                {rows.is_empty().then(|| view! { <p>{locale.t(Msg::SaleNone)}</p> })}
                                {(!rows.is_empty()).then(|| view! {
                                    <div class="table-scroll">
                                        <table class="admin-table" data-testid="sales">
                                            <thead><tr>
                                                <th scope="col">{locale.t(Msg::SaleName)}</th>
                                                <th scope="col">{locale.t(Msg::SaleCut)}</th>
                                                <th scope="col">{locale.t(Msg::PromoScope)}</th>
                                                <th scope="col">{locale.t(Msg::SalePeriod)}</th>
                                                <th scope="col">{locale.t(Msg::SaleStatus)}</th>
                                                <th scope="col">{locale.t(Msg::SaleProducts)}</th>
                                                <th scope="col"><span class="visually-hidden">{locale.t(Msg::SaleCancel)}</span></th>
                                            </tr></thead>
                                            <tbody>
                                                {rows.iter().map(|row| view! {
                                                    <tr>
                                                        <td><strong>{row.name.clone()}</strong></td>
                                                        <td>{describe_cut(row.cut, locale)}</td>
                                                        <td>{describe_scope(&row.scope, locale)}</td>
                                                        <td>{paris_time(locale, row.starts_at)}" → "{paris_time(locale, row.ends_at)}</td>
                                                        <td>{locale.t(match row.state {
                                                            SaleState::Scheduled => Msg::SaleScheduled,
                                                            SaleState::Running => Msg::SaleRunning,
                                                            SaleState::Ended => Msg::SaleEnded,
                                                            SaleState::Cancelled => Msg::SaleCancelled,
                                                        })}</td>
                                                        <td class="admin-table__number">{row.products}</td>
                                                        <td>{matches!(row.state, SaleState::Scheduled | SaleState::Running)
                                                            .then(|| view! { <Cancel id=row.id locale/> })}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                })}
                            </article>
                            <article class="account__panel">
                                <h2>{locale.t(Msg::SaleNew)}</h2>
                                <CreateForm locale/>
                            </article>
                        </section>
                    }.into_any(),
                    Err(error) => crate::ui::gate(error, "/admin/sales"),
                }
            })}
        </Suspense>
    }
}
