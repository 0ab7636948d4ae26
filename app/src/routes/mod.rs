//! The document shell and the route table.

mod layout;
use crate::account::pages::{
    AccountPage, AddressEditPage, AddressesPage, CheckEmailPage, ConfirmEmailChangePage,
    NewPasswordPage, ProfilePage, ResetPage, SecurityPage, SignInPage, SignUpPage, VerifyPage,
};
use crate::admin::audit::AuditPageView;
use crate::admin::catalog::{
    AdminCategoriesPage, AdminProductImportPage, AdminProductPage, AdminProductsPage,
};
use crate::admin::customers::{AdminCustomerPage, AdminCustomersPage};
use crate::admin::orders::{AdminOrderPage, AdminOrdersPage};
use crate::admin::seller::AdminSellerPage;
use crate::admin::shipping::AdminShippingPage;
use crate::admin::vat::AdminVatPage;
use crate::admin::{AdminNoticesPage, AdminPage, EmailsAdminPage, OutboxAdminPage};
use crate::articles::admin::{AdminArticleEditPage, AdminArticlesPage};
use crate::articles::pages::{ArticlePage, ArticlesPage};
use crate::cart::pages::CartPage;
use crate::catalog::pages::{ProductPage, ProductsPage};
use crate::home::HomePage;
use crate::legal::pages::{AdminLegalEditPage, AdminLegalPage, LegalPage};
use crate::newsletter::pages::{
    AdminNewsletterPage, NewsletterCheckEmailPage, NewsletterConfirmPage, NewsletterUnsubscribePage,
};
use crate::orders::pages::{
    AccountInvoicesPage, AccountOrdersPage, CheckoutPage, DemoPayPage, InvoicePage, OrderPage,
    PaymentHandOffPage,
};
use crate::privacy::pages::{AccountDeletedPage, AccountPrivacyPage, PrivacyRequestPage};
use crate::promotions::admin::AdminPromotionsPage;
use crate::promotions::sales::AdminSalesPage;
use crate::reviews::pages::{AccountReviewsPage, AdminReviewsPage};
use crate::rewards::pages::{AccountRewardsPage, AdminRewardsPage};
use crate::subscriptions::pages::{AccountSubscriptionsPage, AdminSubscriptionsPage};
use crate::ui::NotFoundPage;
use crate::wishlist::pages::{AccountWishlistPage, StockAlertConfirmPage};
use crate::withdrawal::pages::{AdminWithdrawalsPage, WithdrawalPage};
use layout::Layout;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around every page (server only).
///
/// It negotiates the language and creates the CSP nonce for this response, leaving it in the
/// request's [`crate::security::CspNonceSlot`] for the edge middleware that sends the header.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use crate::i18n::Locale;
    use leptos_meta::{HashedStylesheet, MetaTags};

    let locale = crate::i18n::request_locale();
    provide_context::<Locale>(locale);
    leptos::nonce::provide_nonce();
    let parts = use_context::<http::request::Parts>();
    if let (Some(nonce), Some(slot)) = (
        leptos::nonce::use_nonce(),
        parts
            .as_ref()
            .and_then(|p| p.extensions.get::<crate::security::CspNonceSlot>()),
    ) {
        slot.put(&nonce);
    }
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::VARY,
            http::HeaderValue::from_static("Cookie, Accept-Language"),
        );
    }
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#2f4a3a"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="main-css"/>
                <crate::ui::hydration::IslandScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The route table. Pages that load data render with `SsrMode::Async` so their status code
/// (404, 500) is known before the first byte is sent.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/products") view=ProductsPage ssr=SsrMode::Async/>
                    <Route path=path!("/products/:slug") view=ProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/articles") view=ArticlesPage ssr=SsrMode::Async/>
                    <Route path=path!("/articles/:slug") view=ArticlePage ssr=SsrMode::Async/>
                    <Route path=path!("/cart") view=CartPage ssr=SsrMode::Async/>
                    <Route path=path!("/checkout") view=CheckoutPage ssr=SsrMode::Async/>
                    <Route path=path!("/orders/:number") view=OrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/orders/:number/invoice") view=InvoicePage ssr=SsrMode::Async/>
                    <Route path=path!("/orders/:number/pay") view=PaymentHandOffPage ssr=SsrMode::Async/>
                    <Route path=path!("/pay/demo/:id") view=DemoPayPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/sign-up") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/check-email") view=CheckEmailPage/>
                    <Route path=path!("/account/verify") view=VerifyPage/>
                    <Route path=path!("/account/reset") view=ResetPage/>
                    <Route path=path!("/account/reset/new") view=NewPasswordPage/>
                    <Route path=path!("/account/security") view=SecurityPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/profile") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/account/email/confirm") view=ConfirmEmailChangePage/>
                    <Route path=path!("/account/addresses") view=AddressesPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/orders") view=AccountOrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/invoices") view=AccountInvoicesPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/privacy") view=AccountPrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/deleted") view=AccountDeletedPage/>
                    <Route path=path!("/privacy/request") view=PrivacyRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/subscriptions") view=AccountSubscriptionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/rewards") view=AccountRewardsPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/addresses/:id") view=AddressEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/newsletter/check-email") view=NewsletterCheckEmailPage/>
                    <Route path=path!("/newsletter/confirm") view=NewsletterConfirmPage/>
                    <Route path=path!("/newsletter/unsubscribe") view=NewsletterUnsubscribePage/>
                    <Route path=path!("/admin/newsletter") view=AdminNewsletterPage ssr=SsrMode::Async/>
                    <Route path=path!("/withdrawal") view=WithdrawalPage/>
                    <Route path=path!("/admin/withdrawals") view=AdminWithdrawalsPage ssr=SsrMode::Async/>
                    <Route path=path!("/legal/:kind") view=LegalPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/articles") view=AdminArticlesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/articles/:id") view=AdminArticleEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/legal") view=AdminLegalPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/legal/:kind") view=AdminLegalEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/outbox") view=OutboxAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/emails") view=EmailsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/notices") view=AdminNoticesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/reviews") view=AdminReviewsPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/reviews") view=AccountReviewsPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/wishlist") view=AccountWishlistPage ssr=SsrMode::Async/>
                    <Route path=path!("/stock-alerts/confirm") view=StockAlertConfirmPage/>
                    <Route path=path!("/admin/orders") view=AdminOrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/orders/:number") view=AdminOrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=AuditPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products") view=AdminProductsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products/import") view=AdminProductImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products/:id") view=AdminProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/categories") view=AdminCategoriesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/shipping") view=AdminShippingPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/vat") view=AdminVatPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/seller") view=AdminSellerPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/promotions") view=AdminPromotionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/sales") view=AdminSalesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/rewards") view=AdminRewardsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/customers") view=AdminCustomersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/customers/:id") view=AdminCustomerPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/subscriptions") view=AdminSubscriptionsPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
