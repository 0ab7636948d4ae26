//! The Content-Security-Policy of the store, shared by pages and the server's other responses.

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
