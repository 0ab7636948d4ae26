//! Edge middleware: cross-site request refusal, security headers and cache policy.

use app::security::{CspNonceSlot, content_security_policy};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use std::sync::Arc;

/// What the edge middleware needs, computed once when the router is built.
#[derive(Clone)]
pub struct Edge(Arc<EdgeConfig>);

struct EdgeConfig {
    leptos: leptos::config::LeptosOptions,
    default_csp: HeaderValue,
    hashed_assets: bool,
    secure: bool,
    pkg_prefix: String,
}

impl Edge {
    pub fn new(state: &AppState) -> Edge {
        let options = &state.leptos_options;
        let policy = content_security_policy(None, options);
        Edge(Arc::new(EdgeConfig {
            leptos: options.clone(),
            default_csp: HeaderValue::from_str(&policy).expect("the CSP is plain ASCII"),
            hashed_assets: options.hash_files,
            secure: state.site.secure_cookies,
            pkg_prefix: options.site_pkg_dir_route_base(),
        }))
    }
}

/// Refuses cross-site state changes, then adds security and cache headers to every response.
pub async fn edge(State(edge): State<Edge>, mut request: Request, next: Next) -> Response {
    if is_cross_site_write(&request) {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    let path = request.uri().path().to_owned();
    let nonce_slot = CspNonceSlot::default();
    request.extensions_mut().insert(nonce_slot.clone());
    let mut response = next.run(request).await;
    let config = &edge.0;
    // A rendered page left the nonce its scripts carry; everything else gets the strict default.
    let csp = nonce_slot
        .take()
        .map(|nonce| content_security_policy(Some(&nonce), &config.leptos))
        .and_then(|policy| HeaderValue::from_str(&policy).ok())
        .unwrap_or_else(|| config.default_csp.clone());
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(self)"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if config.secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL)
        && let Some(policy) = cache_policy(&path, config, headers.get(header::CONTENT_TYPE))
    {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Hashed build output never changes under its name; other assets may, pages are per visitor.
fn cache_policy(
    path: &str,
    config: &EdgeConfig,
    content_type: Option<&HeaderValue>,
) -> Option<&'static str> {
    let is_html = content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if path.starts_with(&config.pkg_prefix) && !is_html {
        Some(if config.hashed_assets {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        })
    } else if is_html {
        Some("private, no-cache")
    } else if path.starts_with("/img/") || path == "/favicon.svg" {
        Some("public, max-age=86400")
    } else {
        None
    }
}

/// A state-changing request sent by a browser from another site (`Sec-Fetch-Site`, or failing
/// that `Origin` against `Host`). Requests without either header come from non-browser clients.
fn is_cross_site_write(request: &Request) -> bool {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return false;
    }
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let origin_host = origin.split_once("://").map_or(origin, |(_, host)| host);
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin == "null" || !origin_host.eq_ignore_ascii_case(host)
}

/// The answer to a request whose handler panicked: a plain 500 that says nothing internal.
pub fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    let mut response = Response::new(Body::from(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Erreur</title></head>\
         <body><h1>Une erreur est survenue / Something went wrong</h1>\
         <p><a href=\"/\">Accueil / Home</a></p></body></html>",
    ));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(method).uri("/lang");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn cross_site_posts_are_refused() {
        assert!(is_cross_site_write(&request(
            Method::POST,
            &[("sec-fetch-site", "cross-site")]
        )));
        assert!(is_cross_site_write(&request(
            Method::POST,
            &[("sec-fetch-site", "same-site")]
        )));
        assert!(is_cross_site_write(&request(
            Method::POST,
            &[("origin", "https://evil.example"), ("host", "shop.example")]
        )));
        assert!(is_cross_site_write(&request(
            Method::POST,
            &[("origin", "null"), ("host", "shop.example")]
        )));
    }

    #[test]
    fn same_origin_and_reads_pass() {
        assert!(!is_cross_site_write(&request(
            Method::POST,
            &[("sec-fetch-site", "same-origin")]
        )));
        assert!(!is_cross_site_write(&request(
            Method::POST,
            &[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]
        )));
        assert!(!is_cross_site_write(&request(
            Method::GET,
            &[("sec-fetch-site", "cross-site")]
        )));
        assert!(!is_cross_site_write(&request(Method::POST, &[])));
    }
}
