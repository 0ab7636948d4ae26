//! `/admin`, the back office: staff only. A customer (or an editor, whose tools are the
//! articles) gets 403; a visitor is sent to sign in. For now it shows the shop at a glance:
//! products on sale, customer accounts, and what is low on stock.

use crate::error::AppError;
use crate::i18n::{Msg, t};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, ForbiddenPage, Loading};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

/// Stock at or under this is "low".
pub const LOW_STOCK: i32 = 5;

/// The shop at a glance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub products_on_sale: u64,
    pub customers: u64,
    /// Name, slug and stock of the active products at or under [`LOW_STOCK`], lowest first.
    pub low_stock: Vec<(String, String, i32)>,
}

/// The signed-in staff member's overview: 401 for a visitor, 403 for any other role.
#[server(prefix = "/api", endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<Overview, AppError> {
    use crate::account::model::Role;
    use crate::catalog::service::{STATUS_ACTIVE, localized};
    use crate::db::entities::{product, user};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
    let state = crate::account::api::ssr::state()?;
    let (_, account) = crate::account::api::ssr::require_account(&state).await?;
    if Role::from_code(&account.role) != Some(Role::Staff) {
        let error = AppError::Forbidden;
        error.set_status();
        return Err(error);
    }
    let locale = crate::i18n::request_locale();
    let products_on_sale = product::Entity::find()
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .count(&state.db)
        .await?;
    let customers = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Customer.code()))
        .count(&state.db)
        .await?;
    let low_stock = product::Entity::find()
        .filter(product::Column::Status.eq(STATUS_ACTIVE))
        .filter(product::Column::Stock.lte(LOW_STOCK))
        .order_by_asc(product::Column::Stock)
        .order_by_asc(product::Column::Id)
        .limit(50)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (localized(locale, p.name_fr, p.name_en), p.slug, p.stock))
        .collect();
    Ok(Overview {
        products_on_sale,
        customers,
        low_stock,
    })
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let overview = OnceResource::new(admin_overview());
    view! {
        <PageMeta title=t(Msg::AdminTitle) description=t(Msg::AdminLead) path="/admin" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Dashboard overview/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! { <Redirect path="/account/sign-in?next=/admin"/> }.into_any()
                    }
                    Err(AppError::Forbidden) => {
                        view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any()
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(overview: Overview) -> impl IntoView {
    let empty = overview.low_stock.is_empty();
    view! {
        <section class="account container">
            <h1>{t(Msg::AdminTitle)}</h1>
            <p>{t(Msg::AdminLead)}</p>
            <div class="account__grid">
                <article class="account__panel">
                    <h2>{t(Msg::AdminProducts)}</h2>
                    <p class="admin__figure" data-testid="products-on-sale">{overview.products_on_sale}</p>
                </article>
                <article class="account__panel">
                    <h2>{t(Msg::AdminCustomers)}</h2>
                    <p class="admin__figure">{overview.customers}</p>
                </article>
            </div>
            <article class="account__panel">
                <h2>{t(Msg::AdminLowStock)}</h2>
                {empty.then(|| view! { <p>{t(Msg::AdminNoLowStock)}</p> })}
                <ul class="admin__list">
                    {overview
                        .low_stock
                        .into_iter()
                        .map(|(name, slug, stock)| view! {
                            <li><a href=format!("/products/{slug}")>{name}</a> " — " {stock}</li>
                        })
                        .collect_view()}
                </ul>
            </article>
        </section>
    }
}
