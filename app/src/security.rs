//! The Content-Security-Policy of the store, shared by pages and the server's other responses,
//! and the reading of request cookies.
//!
//! The server's edge middleware owns the header. For each request it puts an empty
//! [`CspNonceSlot`] into the request's extensions; the page shell drops the nonce it gave its
//! scripts into that slot, and the middleware builds the policy from it once the response is
//! ready. (Carrying the header through Leptos' `ResponseOptions` instead lost it on some
//! responses, and the browser then blocked the page's own scripts.)

/// Where the page shell leaves this response's script nonce for the edge middleware.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, Default)]
pub struct CspNonceSlot(std::sync::Arc<std::sync::Mutex<Option<String>>>);

#[cfg(feature = "ssr")]
impl CspNonceSlot {
    /// Records the nonce the page's scripts carry.
    pub fn put(&self, nonce: &str) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(nonce.to_owned());
        }
    }

    /// The nonce recorded for this response, left in place.
    pub fn peek(&self) -> Option<String> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }

    /// The nonce recorded for this response, if a page was rendered.
    pub fn take(&self) -> Option<String> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// The policy: our own origin only, scripts only with this response's nonce, WebAssembly allowed
/// through `'wasm-unsafe-eval'`, no framing. In development the live-reload socket is allowed.
#[cfg(feature = "ssr")]
pub fn content_security_policy(
    nonce: Option<&str>,
    options: &leptos::config::LeptosOptions,
) -> String {
    let script = match nonce {
        Some(nonce) => format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
    };
    let connect = if std::env::var("LEPTOS_WATCH").is_ok() {
        format!(
            "connect-src 'self' ws://{}:{}",
            options.site_addr.ip(),
            options.reload_port
        )
    } else {
        "connect-src 'self'".to_owned()
    };
    format!(
        "default-src 'self'; {script}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         {connect}; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The address of the client a request comes from, as the server's edge worked it out: the
/// TCP peer, or behind a trusted proxy the client that proxy names. Every per-client limit
/// counts against it.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// Pages of a checkout, an order or an account's money are never stored by the browser or a
/// proxy.
#[cfg(feature = "ssr")]
pub fn no_store() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
}

/// The address of the client of the current request (behind a trusted proxy, the client it
/// names; else the TCP peer), for per-client limits.
#[cfg(feature = "ssr")]
pub async fn client_ip() -> Option<std::net::IpAddr> {
    use leptos::prelude::use_context;
    if let Some(parts) = use_context::<http::request::Parts>()
        && let Some(ClientIp(ip)) = parts.extensions.get().copied()
    {
        return Some(ip);
    }
    leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|info| info.0.ip())
}

/// Leptos carries a plain form's error back to the page in the URL (`?__path=…&__err=…`), and
/// the page shows it in the form's error box: anyone could send a link that shows their own
/// text there ("your account is locked, call …"). The server signs the `__err` it puts in a
/// redirect with a key only the shop's instances share, and a page request whose `__err` does
/// not carry a good signature is sent to the same address without it.
#[cfg(feature = "ssr")]
pub mod form_errors {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use hmac::{Hmac, Mac};
    use sha2::Sha256;

    /// The query parameters Leptos and this module add.
    const PARAMS: [&str; 3] = ["__path", "__err", "__sig"];

    /// The raw (still percent-encoded) value of `name` in `query`.
    fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
    }

    /// Signatures are the first 16 bytes of an HMAC-SHA256.
    const SIGNATURE_BYTES: usize = 16;

    fn mac(key: &[u8], path: &str, error: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
        mac.update(path.as_bytes());
        mac.update(b"\n");
        mac.update(error.as_bytes());
        mac
    }

    fn signature(key: &[u8], path: &str, error: &str) -> String {
        let digest = mac(key, path, error).finalize().into_bytes();
        URL_SAFE_NO_PAD.encode(&digest[..SIGNATURE_BYTES])
    }

    /// `location` (a redirect's target) with its `__err` signed, when it has one.
    pub fn sign(location: &str, key: &[u8]) -> Option<String> {
        let (_, query) = location.split_once('?')?;
        let query = query.split('#').next().unwrap_or(query);
        let error = param(query, "__err")?;
        let path = param(query, "__path").unwrap_or_default();
        let (before, fragment) = match location.split_once('#') {
            Some((before, fragment)) => (before, Some(fragment)),
            None => (location, None),
        };
        let mut signed = format!("{before}&__sig={}", signature(key, path, error));
        if let Some(fragment) = fragment {
            signed.push('#');
            signed.push_str(fragment);
        }
        Some(signed)
    }

    /// Whether `query` carries an `__err` this shop did not sign (to be dropped).
    pub fn is_forged(query: &str, key: &[u8]) -> bool {
        let Some(error) = param(query, "__err") else {
            return false;
        };
        let path = param(query, "__path").unwrap_or_default();
        let given = param(query, "__sig").and_then(|sig| URL_SAFE_NO_PAD.decode(sig).ok());
        // Compared in constant time by the MAC itself.
        !given.is_some_and(|given| {
            given.len() == SIGNATURE_BYTES
                && mac(key, path, error).verify_truncated_left(&given).is_ok()
        })
    }

    /// `query` without the form-error parameters (empty when nothing else is left).
    pub fn without(query: &str) -> String {
        query
            .split('&')
            .filter(|pair| {
                let name = pair.split('=').next().unwrap_or_default();
                !pair.is_empty() && !PARAMS.contains(&name)
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

        #[test]
        fn only_errors_the_shop_signed_are_shown() {
            let location = "http://shop.example/account/sign-in?next=%2Fcart&__path=%2Fapi%2Faccount%2Fsign-in&__err=RXJyZXVy";
            let signed = sign(location, KEY).expect("an error to sign");
            let query = signed.split_once('?').unwrap().1;
            assert!(!is_forged(query, KEY));
            // Another text, another key, or no signature at all: forged.
            assert!(is_forged(&query.replace("RXJyZXVy", "QXR0YWNr"), KEY));
            assert!(is_forged(query, b"another key, another shop......"));
            assert!(is_forged(
                "__path=%2Fapi%2Faccount%2Fsign-in&__err=QXR0YWNr",
                KEY
            ));
            assert!(!is_forged("next=%2Fcart", KEY));
            assert_eq!(without(query), "next=%2Fcart");
            assert_eq!(without("__err=x&__sig=y"), "");
            assert_eq!(sign("http://shop.example/?a=1", KEY), None);
        }
    }
}

/// The values of cookie `name` in a `Cookie` header (`a=1; b=2`), in order.
pub fn cookie_values<'a>(header: &'a str, name: &str) -> impl Iterator<Item = &'a str> {
    header.split(';').filter_map(move |pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}
