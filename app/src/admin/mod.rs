//! `/admin`, the back office: staff only. A customer (or an editor, whose tools are the
//! articles) gets 403; a visitor is sent to sign in. For now it shows the shop at a glance
//! (products on sale, customer accounts, what is low on stock) and the email outbox.

pub mod audit;

pub mod charts;
mod dashboard;
pub mod emails;
#[cfg(feature = "ssr")]
pub mod exports;
mod notices;
mod outbox;
pub use dashboard::*;
pub use emails::EmailsAdminPage;
pub use notices::*;
pub use outbox::*;
pub mod catalog;
pub mod customers;
pub mod orders;
pub mod seller;
pub mod shipping;
pub mod vat;

use crate::error::AppError;
use crate::i18n::{Msg, t};
use crate::ui::seo::PageMeta;
use crate::ui::{ErrorPage, ForbiddenPage, Loading};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

/// Stock at or under this is "low".
pub const LOW_STOCK: i32 = 5;

/// Days of audience shown on the dashboard.
pub const AUDIENCE_DAYS: i64 = 30;

#[cfg(feature = "ssr")]
pub(crate) use crate::account::api::ssr::{require_staff_state as require_staff, staff_member};
pub(crate) use crate::ui::gate;

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
                        // Editors' part of the back office is the articles.
                        let role = crate::account::api::current_account()
                            .await
                            .ok()
                            .flatten()
                            .map(|account| account.role);
                        if role == Some(crate::account::model::Role::Editor) {
                            view! { <Redirect path="/admin/articles"/> }.into_any()
                        } else {
                            view! { <ForbiddenPage message=Msg::AdminForbidden/> }.into_any()
                        }
                    }
                    Err(_) => view! { <ErrorPage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The back office's sections, at the top of the dashboard.
const SECTIONS: [(&str, Msg); 19] = [
    ("/admin/orders", Msg::AdminOrders),
    ("/admin/products", Msg::AdminCatalogue),
    ("/admin/customers", Msg::AdminCustomers),
    ("/admin/withdrawals", Msg::AdminWithdrawals),
    ("/admin/subscriptions", Msg::AdminSubscriptions),
    ("/admin/articles", Msg::AdminArticles),
    ("/admin/outbox", Msg::OutboxTitle),
    ("/admin/emails", Msg::EmailsTitle),
    ("/admin/newsletter", Msg::NewsletterTitle),
    ("/admin/notices", Msg::AdminNotices),
    ("/admin/reviews", Msg::AdminReviews),
    ("/admin/legal", Msg::AdminLegal),
    ("/admin/promotions", Msg::AdminPromotions),
    ("/admin/sales", Msg::AdminSales),
    ("/admin/rewards", Msg::AdminRewards),
    ("/admin/shipping", Msg::AdminShipping),
    ("/admin/vat", Msg::AdminVat),
    ("/admin/seller", Msg::AdminSeller),
    ("/admin/audit", Msg::AuditTitle),
];
