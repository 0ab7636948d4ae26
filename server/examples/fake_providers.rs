//! The local fakes of Mollie's and Stripe's APIs and hosted pages, as one process on one port
//! (their paths do not overlap), for the browser tests: the shop under test is configured with
//! the fakes' keys and base URLs, and the shopper pays on the fakes' pages, on another origin
//! than the shop's, as with the real providers.
//!
//! `cargo run -p server --example fake_providers -- 127.0.0.1:3190`; Stripe's events go to
//! `FAKE_STRIPE_WEBHOOK_URL`, signed with `FAKE_STRIPE_WEBHOOK_SECRET`.
//!
//! For fault scripts (`scripts/faults.sh`), Mollie's behaviour is set from outside:
//! `POST /_fake/mollie` with the form fields `delay_ms` (every API answer that late, the work
//! done at once; 0: none) and `outage` (every API call answered with this status; 0: none),
//! and `GET /_fake/mollie/payments` lists the payments made (id, status, description).

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
    let (mollie, mollie_routes) = mollie::fake(base.clone());
    let mollie = std::sync::Arc::new(mollie);
    let (stripe, stripe_routes) = stripe::fake(base.clone());
    if let (Ok(url), Ok(secret)) = (
        std::env::var("FAKE_STRIPE_WEBHOOK_URL"),
        std::env::var("FAKE_STRIPE_WEBHOOK_SECRET"),
    ) {
        stripe.send_events_to(&url, &secret);
    }
    let app = mollie_routes
        .merge(stripe_routes)
        .route("/healthz", axum::routing::get(|| async { "ok\n" }))
        .route(
            "/_fake/mollie",
            axum::routing::post(set_mollie).with_state(mollie.clone()),
        )
        .route(
            "/_fake/mollie/payments",
            axum::routing::get(mollie_payments).with_state(mollie),
        );
    println!(
        "fake Mollie (key {}) and Stripe (key {}) on {base}",
        mollie::KEY,
        stripe::KEY
    );
    axum::serve(listener, app).await.expect("serve");
}

#[derive(serde::Deserialize)]
struct MollieMode {
    #[serde(default)]
    delay_ms: u64,
    #[serde(default)]
    outage: u16,
}

/// Sets the fake Mollie's delay and outage (0 for none).
async fn set_mollie(
    axum::extract::State(mollie): axum::extract::State<std::sync::Arc<mollie::FakeMollie>>,
    axum::Form(mode): axum::Form<MollieMode>,
) -> Result<&'static str, (axum::http::StatusCode, &'static str)> {
    let outage = match mode.outage {
        0 => None,
        code => Some(axum::http::StatusCode::from_u16(code).map_err(|_| {
            (
                axum::http::StatusCode::BAD_REQUEST,
                "outage: an HTTP status\n",
            )
        })?),
    };
    mollie.delay((mode.delay_ms > 0).then(|| std::time::Duration::from_millis(mode.delay_ms)));
    mollie.outage(outage);
    Ok("ok\n")
}

/// The payments the fake Mollie holds.
async fn mollie_payments(
    axum::extract::State(mollie): axum::extract::State<std::sync::Arc<mollie::FakeMollie>>,
) -> axum::Json<serde_json::Value> {
    axum::Json(
        mollie
            .payments()
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id,
                    "status": p.status,
                    "description": p.body["description"],
                })
            })
            .collect(),
    )
}
