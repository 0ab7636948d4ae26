//! Whole storefront pages kept per instance: the home page, listings and product pages, as sent
//! to a visitor without a session.
//!
//! Rendering the page frame alone (header, footer, cookie banner, hydration scripts) costs more
//! than a third of what a page costs once its data is kept (BENCHMARKS.md, 2026-12-03), and it
//! is the same for every such visitor. A page is kept under everything its rendering reads:
//! - the shop's content version ([`app::cache::ContentVersion`]: products, images,
//!   categories, articles), so an edit shows as the page data's does: at once on this instance,
//!   within `APP__CONTENT_CHECK_MS` on the others;
//! - the path with its query, every `Cookie` header (language, consent, cart) and
//!   `Accept-Language`: two requests that agree on these get the same page;
//! - and for at most [`KEEP_SECONDS`] by the shop's clock, for what depends on time alone (an
//!   article scheduled for publication).
//!
//! Never kept: a request with a session (a signed-in customer, a cart being checked out), a
//! form's error in the URL, and any answer but a 200 HTML page that sets no cookie. Each answer
//! from memory carries a fresh script nonce (the kept one is replaced in the HTML and the
//! policy header), so a nonce is never seen twice.

use app::cache::ContentVersion;
use app::clock::Clock;
use app::security::CspNonceSlot;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use http::header::{self, HeaderMap};
use http::{Method, StatusCode};
use std::sync::Arc;

/// A kept page is rendered again after this many seconds whatever happens.
const KEEP_SECONDS: i64 = 10;
/// The pages kept, in bytes of HTML (a page is about 30 KB).
const CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
/// A page larger than this is not kept.
const LARGEST_PAGE: usize = 1024 * 1024;

/// The pages one instance keeps (cheap to clone).
#[derive(Clone)]
pub struct PageHtml(Option<Arc<Inner>>);

struct Inner {
    pages: moka::future::Cache<Key, Arc<Kept>>,
    content: Arc<ContentVersion>,
    clock: Arc<dyn Clock>,
    session_cookie: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct Key {
    version: i64,
    target: String,
    cookies: String,
    languages: String,
}

struct Kept {
    at: DateTime<Utc>,
    nonce: String,
    headers: HeaderMap,
    html: String,
}

impl PageHtml {
    /// Keeps pages unless `enabled` is false.
    pub fn new(
        enabled: bool,
        content: Arc<ContentVersion>,
        clock: Arc<dyn Clock>,
        session_cookie: &'static str,
    ) -> PageHtml {
        PageHtml(enabled.then(|| {
            Arc::new(Inner {
                pages: moka::future::Cache::builder()
                    .weigher(|_: &Key, kept: &Arc<Kept>| {
                        u32::try_from(kept.html.len()).unwrap_or(u32::MAX)
                    })
                    .max_capacity(CAPACITY_BYTES)
                    .build(),
                content,
                clock,
                session_cookie,
            })
        }))
    }
}

/// Answers a storefront page from memory when it can, and keeps what it renders when it may.
pub async fn page_cache(State(pages): State<PageHtml>, request: Request, next: Next) -> Response {
    let Some(inner) = pages.0.as_deref() else {
        return next.run(request).await;
    };
    if !keepable(&request, inner.session_cookie) {
        return next.run(request).await;
    }
    let Ok(version) = inner.content.current().await else {
        return next.run(request).await;
    };
    let key = key(&request, version);
    let now = inner.clock.now();
    let slot = request.extensions().get::<CspNonceSlot>().cloned();
    if let Some(kept) = inner.pages.get(&key).await {
        if now.signed_duration_since(kept.at) < chrono::Duration::seconds(KEEP_SECONDS) {
            return answer(&kept, slot.as_ref());
        }
        inner.pages.invalidate(&key).await;
    }
    let response = next.run(request).await;
    let Some(nonce) = slot.as_ref().and_then(CspNonceSlot::peek) else {
        return response;
    };
    if !keepable_answer(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, LARGEST_PAGE).await {
        Ok(bytes) => bytes,
        Err(error) => {
            // Too large to keep, or the rendering failed half-way: nothing was sent yet.
            tracing::warn!(%error, "a page could not be read whole");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be made.",
            )
                .into_response();
        }
    };
    let Ok(html) = String::from_utf8(bytes.to_vec()) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let kept = Arc::new(Kept {
        at: now,
        nonce,
        headers: parts.headers.clone(),
        html,
    });
    inner.pages.insert(key, kept).await;
    Response::from_parts(parts, Body::from(bytes))
}

/// A GET of the home page, a listing or a product page, without a session or a form's error.
fn keepable(request: &Request, session_cookie: &str) -> bool {
    if request.method() != Method::GET {
        return false;
    }
    let path = request.uri().path();
    let storefront = path == "/"
        || path == "/products"
        || path
            .strip_prefix("/products/")
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'));
    if !storefront || request.uri().query().is_some_and(|q| q.contains("__err")) {
        return false;
    }
    !request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|cookies| {
            app::security::cookie_values(cookies, session_cookie)
                .next()
                .is_some()
        })
}

/// A whole HTML page that sets no cookie.
fn keepable_answer(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
}

fn key(request: &Request, version: i64) -> Key {
    let joined = |name| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join("\n")
    };
    Key {
        version,
        target: request.uri().path_and_query().map_or_else(
            || request.uri().path().to_owned(),
            |p| p.as_str().to_owned(),
        ),
        cookies: joined(header::COOKIE),
        languages: joined(header::ACCEPT_LANGUAGE),
    }
}

/// The kept page with a fresh nonce in its scripts and for the policy header.
fn answer(kept: &Kept, slot: Option<&CspNonceSlot>) -> Response {
    let nonce = leptos::nonce::Nonce::new();
    let html = kept.html.replace(&kept.nonce, &nonce);
    if let Some(slot) = slot {
        slot.put(&nonce);
    }
    let mut response = Response::new(Body::from(Bytes::from(html)));
    *response.headers_mut() = kept.headers.clone();
    response
}
