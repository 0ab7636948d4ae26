//! Edge middleware: the client's address, cross-site request refusal, security headers and
//! cache policy.

use app::security::{ClientIp, CspNonceSlot, content_security_policy};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use std::net::{IpAddr, SocketAddr};
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
    /// `APP__TRUSTED_PROXIES`.
    trusted_proxies: Vec<ipnet::IpNet>,
    /// The database, where the key that signs forms' errors is kept.
    db: sea_orm::DatabaseConnection,
    /// That key, read on first need (shared by every instance; made by the first).
    form_error_key: tokio::sync::OnceCell<Vec<u8>>,
    /// The shop's content version: a request that may have changed something makes this
    /// instance read it again on the next page.
    content: Arc<app::cache::ContentVersion>,
}

/// The setting under which the key that signs forms' errors is kept.
pub const FORM_ERROR_KEY: &str = "form_error_key";

impl EdgeConfig {
    /// The key that signs forms' errors; `None` when the database cannot give it now (an error
    /// is then neither signed nor believed).
    async fn form_error_key(&self) -> Option<&[u8]> {
        self.form_error_key
            .get_or_try_init(|| app::settings::service::shared_key(&self.db, FORM_ERROR_KEY))
            .await
            .inspect_err(|error| tracing::warn!(%error, "the form-error key is unavailable"))
            .ok()
            .map(Vec::as_slice)
    }
}

impl Edge {
    pub fn new(state: &AppState, trusted_proxies: Vec<ipnet::IpNet>) -> Edge {
        let options = &state.leptos_options;
        let policy = content_security_policy(None, options);
        Edge(Arc::new(EdgeConfig {
            leptos: options.clone(),
            default_csp: HeaderValue::from_str(&policy).expect("the CSP is plain ASCII"),
            hashed_assets: options.hash_files,
            secure: state.site.secure_cookies,
            pkg_prefix: options.site_pkg_dir_route_base(),
            trusted_proxies,
            db: state.db.clone(),
            form_error_key: tokio::sync::OnceCell::new(),
            content: state.content.clone(),
        }))
    }
}

/// Refuses cross-site state changes, then adds security and cache headers to every response.
pub async fn edge(State(edge): State<Edge>, mut request: Request, next: Next) -> Response {
    if is_cross_site_write(&request) {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    let config = &edge.0;
    if request.uri().query().is_some_and(|q| q.contains("__err=")) {
        let (method, uri) = (request.method().clone(), request.uri().clone());
        if let Some(clean) = without_forged_error(&method, &uri, config).await {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, clean)]).into_response();
        }
    }
    if let Some(ip) = client_ip(&request, &config.trusted_proxies) {
        request.extensions_mut().insert(ClientIp(ip));
    }
    let path = request.uri().path().to_owned();
    let nonce_slot = CspNonceSlot::default();
    request.extensions_mut().insert(nonce_slot.clone());
    let writes = !request.method().is_safe();
    let mut response = next.run(request).await;
    if writes {
        // Whatever it changed (a product, stock through a checkout) shows on the next page
        // this instance serves.
        config.content.changed();
    }
    sign_form_error(&mut response, config).await;
    // A rendered page left the nonce its scripts carry; everything else gets the strict default.
    let csp = nonce_slot
        .take()
        .map(|nonce| content_security_policy(Some(&nonce), &config.leptos))
        .and_then(|policy| HeaderValue::from_str(&policy).ok())
        .unwrap_or_else(|| config.default_csp.clone());
    let headers = response.headers_mut();
    // A handler that set a policy of its own (an email preview, framed by the back office)
    // keeps it, stricter where it matters; everything else gets the shop's.
    let own_policy = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    if !own_policy {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if !own_policy {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
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

/// For a page request whose form error (`__err`) the shop did not sign: the same address
/// without it, where the browser is sent instead.
async fn without_forged_error(
    method: &Method,
    uri: &http::Uri,
    config: &EdgeConfig,
) -> Option<HeaderValue> {
    use app::security::form_errors;
    if !matches!(*method, Method::GET | Method::HEAD) {
        return None;
    }
    let query = uri.query()?;
    let believed = match config.form_error_key().await {
        Some(key) => !form_errors::is_forged(query, key),
        None => false,
    };
    if believed {
        return None;
    }
    tracing::warn!(path = %uri.path(), "unsigned form error dropped from a link");
    let rest = form_errors::without(query);
    let path = uri.path();
    let clean = if rest.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{rest}")
    };
    HeaderValue::from_str(&clean).ok()
}

/// Signs the form error a redirect carries back to the page (a plain form's refusal).
async fn sign_form_error(response: &mut Response, config: &EdgeConfig) {
    if !response.status().is_redirection() {
        return;
    }
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|location| location.contains("__err="))
        .map(str::to_owned)
    else {
        return;
    };
    let Some(key) = config.form_error_key().await else {
        return;
    };
    let signed = app::security::form_errors::sign(&location, key)
        .and_then(|signed| HeaderValue::from_str(&signed).ok());
    if let Some(signed) = signed {
        response.headers_mut().insert(header::LOCATION, signed);
    }
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

/// The client a request comes from: its TCP peer, unless the peer is a trusted proxy; then the
/// nearest address in `X-Forwarded-For` (read from the right, each proxy appending the address
/// it got the request from) that is not a trusted proxy itself. What a client writes into the
/// header is only ever read past the proxies' own entries, so nobody picks the address counted.
fn client_ip(request: &Request, trusted: &[ipnet::IpNet]) -> Option<IpAddr> {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()?
        .0
        .ip();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let mut client = peer;
    let headers = request.headers().get_all("x-forwarded-for");
    for header in headers.iter().rev() {
        let Ok(text) = header.to_str() else {
            return Some(client);
        };
        for entry in text.rsplit(',') {
            let entry = entry.trim();
            let Some(ip) = entry
                .parse::<IpAddr>()
                .ok()
                .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
            else {
                // Not an address: nothing to its left can be trusted either.
                return Some(client);
            };
            client = ip;
            if !is_trusted(&ip) {
                return Some(ip);
            }
        }
    }
    Some(client)
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

    fn from(peer: &str, forwarded: &[&str]) -> Request {
        let mut builder = Request::builder().uri("/");
        for value in forwarded {
            builder = builder.header("x-forwarded-for", *value);
        }
        let mut request = builder.body(Body::empty()).unwrap();
        request.extensions_mut().insert(axum::extract::ConnectInfo(
            peer.parse::<SocketAddr>().unwrap(),
        ));
        request
    }

    #[test]
    fn the_client_is_the_peer_unless_the_peer_is_a_trusted_proxy() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // Nobody trusted: the header is ignored.
        assert_eq!(
            client_ip(&from("198.51.100.7:5000", &["203.0.113.9"]), &[]),
            ip("198.51.100.7")
        );
        // A client that is not a proxy cannot name another address.
        assert_eq!(
            client_ip(&from("198.51.100.7:5000", &["203.0.113.9"]), &trusted),
            ip("198.51.100.7")
        );
        // Behind the proxy: the address it appended, whatever the client wrote before it.
        assert_eq!(
            client_ip(
                &from("10.0.0.2:5000", &["6.6.6.6, 203.0.113.9, 10.0.0.3"]),
                &trusted
            ),
            ip("203.0.113.9")
        );
        // Several headers read as one list; ports and IPv6 understood.
        assert_eq!(
            client_ip(
                &from("10.0.0.2:5000", &["6.6.6.6", "[2001:db8::1]:443"]),
                &trusted
            ),
            ip("2001:db8::1")
        );
        // A proxy that sent no header: the proxy itself.
        assert_eq!(
            client_ip(&from("10.0.0.2:5000", &[]), &trusted),
            ip("10.0.0.2")
        );
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(
            client_ip(&from("10.0.0.2:5000", &["1.2.3.4, nonsense"]), &trusted),
            ip("10.0.0.2")
        );
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
