//! The HTTP router: Leptos pages and server functions, plain endpoints, and the middleware stack.

mod endpoints;
pub use endpoints::DRAINING;
mod feed;
mod middleware;
mod page_cache;
mod seo;

pub use seo::SITEMAP_SECONDS;

use crate::settings::Settings;
use app::account::service::store::DbSessionStore;
use app::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "comptoir_session";

use app::admin::catalog::upload::IMPORT_MAX_BYTES;

/// Builds the whole application router for `state`.
pub fn router(state: AppState, settings: &Settings, sessions: DbSessionStore) -> Router {
    let max_body_bytes = settings.app.max_body_bytes;
    // Sessions: in the database (every instance shares them), a cookie only once something is
    // stored (a visitor who never signs in gets none), HttpOnly, SameSite=Lax, Secure behind
    // HTTPS, ended after the idle timeout (the absolute one is checked at each request).
    let idle = i64::try_from(settings.app.session_idle_minutes).unwrap_or(60);
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.app.secure())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(idle)));
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let page_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    let edge = middleware::Edge::new(
        &state,
        // Settings::validate refused a bad list at start-up.
        settings.app.trusted_proxies().unwrap_or_default(),
    );
    let page_html = page_cache::PageHtml::new(
        settings.app.page_cache_entries > 0,
        state.content.clone(),
        state.clock.clone(),
        SESSION_COOKIE,
    );
    Router::new()
        .route("/healthz", get(endpoints::healthz))
        .route("/robots.txt", get(seo::robots))
        .route("/sitemap.xml", get(seo::sitemap))
        .route("/sitemaps/pages.xml", get(seo::sitemap_pages))
        .route("/sitemaps/products/{part}", get(seo::sitemap_products))
        .route("/feed.xml", get(feed::feed))
        .route("/media/{name}", get(endpoints::media))
        .route(
            "/admin/articles/{id}/cover",
            post(app::articles::upload::upload_cover),
        )
        .route(
            "/admin/products/{id}/image",
            post(app::admin::catalog::upload::upload_product_image),
        )
        .route(
            "/admin/customers/{id}/export",
            post(app::admin::customers::export_customer),
        )
        .route(
            "/admin/guests/export",
            post(app::admin::customers::export_guest),
        )
        .route(
            "/admin/products/export.csv",
            get(app::admin::exports::export_products),
        )
        .route("/admin/orders/slips.pdf", get(endpoints::list_slips))
        .route(
            "/admin/orders/{number}/slip.pdf",
            get(endpoints::order_slip),
        )
        .route(
            "/admin/orders/export.csv",
            get(app::admin::exports::export_orders),
        )
        .route(
            "/admin/emails/preview",
            get(app::admin::emails::email_preview),
        )
        .route("/lang", post(endpoints::set_language))
        .route(
            "/newsletter/one-click",
            post(endpoints::one_click_unsubscribe),
        )
        .route("/webhooks/{provider}", post(endpoints::payment_webhook))
        .route("/orders/{number}/invoice.pdf", get(endpoints::invoice_pdf))
        .leptos_routes_with_context(&state, routes, context.clone(), page_shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(RequestBodyLimitLayer::new(max_body_bytes))
        // The one request allowed a larger body: a catalogue in CSV.
        .merge(
            Router::new()
                .route(
                    "/admin/products/import/upload",
                    post(app::admin::catalog::upload::upload_product_import),
                )
                .layer(DefaultBodyLimit::max(IMPORT_MAX_BYTES))
                .layer(RequestBodyLimitLayer::new(IMPORT_MAX_BYTES)),
        )
        .layer(
            ServiceBuilder::new()
                // Every log line of a request (an internal error above all) says what was being
                // attempted: the method and the path (never the query, which may hold a key).
                .layer(TraceLayer::new_for_http().make_span_with(
                    |request: &axum::http::Request<axum::body::Body>| {
                        tracing::info_span!(
                            "request",
                            method = %request.method(),
                            path = request.uri().path(),
                        )
                    },
                ))
                .layer(CatchPanicLayer::custom(middleware::panic_response))
                .layer(CompressionLayer::new())
                .layer(axum::middleware::from_fn_with_state(edge, middleware::edge))
                // Inside the edge: a page from memory still gets its headers and a fresh nonce.
                .layer(axum::middleware::from_fn_with_state(
                    page_html,
                    page_cache::page_cache,
                ))
                // Innermost: it needs a response body with a default (the router's own).
                .layer(session_layer),
        )
        .with_state(state)
}
