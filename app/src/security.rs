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

/// The values of cookie `name` in a `Cookie` header (`a=1; b=2`), in order.
pub fn cookie_values<'a>(header: &'a str, name: &str) -> impl Iterator<Item = &'a str> {
    header.split(';').filter_map(move |pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}
