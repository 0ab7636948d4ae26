//! The local fakes of Mollie's and Stripe's APIs and hosted pages, as one process on one port
//! (their paths do not overlap), for the browser tests: the shop under test is configured with
//! the fakes' keys and base URLs, and the shopper pays on the fakes' pages, on another origin
//! than the shop's, as with the real providers.
//!
//! `cargo run -p server --example fake_providers -- 127.0.0.1:3190`; Stripe's events go to
//! `FAKE_STRIPE_WEBHOOK_URL`, signed with `FAKE_STRIPE_WEBHOOK_SECRET`.

#[path = "../tests/integration/support/mollie.rs"]
mod mollie;
#[path = "../tests/integration/support/stripe.rs"]
mod stripe;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3190".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .unwrap_or_else(|e| panic!("cannot listen on {addr}: {e}"));
    let base = format!("http://{addr}");
    let (_mollie, mollie_routes) = mollie::fake(base.clone());
    let (stripe, stripe_routes) = stripe::fake(base.clone());
    if let (Ok(url), Ok(secret)) = (
        std::env::var("FAKE_STRIPE_WEBHOOK_URL"),
        std::env::var("FAKE_STRIPE_WEBHOOK_SECRET"),
    ) {
        stripe.send_events_to(&url, &secret);
    }
    let app = mollie_routes
        .merge(stripe_routes)
        .route("/healthz", axum::routing::get(|| async { "ok\n" }));
    println!(
        "fake Mollie (key {}) and Stripe (key {}) on {base}",
        mollie::KEY,
        stripe::KEY
    );
    axum::serve(listener, app).await.expect("serve");
}
