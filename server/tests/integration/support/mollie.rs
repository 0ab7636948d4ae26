//! A fake of Mollie's Payments API, the subset the client uses: create a payment (with an
//! idempotency key), get a payment, refund a paid payment (not beyond its amount); bearer-key
//! authentication; statuses the test sets; a delay to make the client time out, and an outage
//! (every API call answered with a status such as 503, the hosted pages still up). Its hosted
//! checkout page (`/checkout/{id}`, on the fake's own origin) lets a browser pay, fail or cancel:
//! like Mollie, it then calls the payment's webhook with its id and sends the shopper to its
//! redirect URL.
#![allow(dead_code, reason = "the fake_providers example uses a part of it")]

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The key the fake accepts.
pub const KEY: &str = "test_fakeMollieKey0123456789abcd";

#[derive(Clone, Debug)]
pub struct FakePayment {
    pub id: String,
    pub status: String,
    pub body: Value,
}

/// A request the fake received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub idempotency_key: Option<String>,
    pub body: Value,
}

#[derive(Default)]
struct Fake {
    /// The fake's own origin, where its checkout pages are.
    base: String,
    payments: Vec<FakePayment>,
    by_key: HashMap<String, String>,
    requests: Vec<Recorded>,
    delay: Option<Duration>,
    /// The API's answer to every call during an outage (the hosted pages keep working).
    outage: Option<StatusCode>,
    /// Refunds: (payment id, cents, idempotency key, refund id).
    refunds: Vec<(String, i64, Option<String>, String)>,
}

type Shared = Arc<Mutex<Fake>>;

pub struct FakeMollie {
    pub base: String,
    state: Shared,
}

impl FakeMollie {
    /// The API's base URL, as `APP__MOLLIE_BASE_URL`.
    pub fn url(&self) -> String {
        format!("{}/v2", self.base)
    }

    pub fn set_status(&self, id: &str, status: &str) {
        let mut fake = self.state.lock().unwrap();
        if let Some(p) = fake.payments.iter_mut().find(|p| p.id == id) {
            p.status = status.to_owned();
        }
    }

    pub fn payments(&self) -> Vec<FakePayment> {
        self.state.lock().unwrap().payments.clone()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Refunds made: (payment id, amount in cents).
    pub fn refunds(&self) -> Vec<(String, i64)> {
        self.state
            .lock()
            .unwrap()
            .refunds
            .iter()
            .map(|r| (r.0.clone(), r.1))
            .collect()
    }

    /// Answers every request after `delay` (the work is done at once, as a slow network would).
    pub fn delay(&self, delay: Option<Duration>) {
        self.state.lock().unwrap().delay = delay;
    }

    /// Answers every API call with `status` (a 503, say) until called with `None`; the
    /// hosted checkout pages keep working, as when only Mollie's API is down.
    pub fn outage(&self, status: Option<StatusCode>) {
        self.state.lock().unwrap().outage = status;
    }
}

fn record(state: &Shared, method: &str, path: &str, headers: &HeaderMap, body: Value) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    state.lock().unwrap().requests.push(Recorded {
        method: method.to_owned(),
        path: path.to_owned(),
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        body,
    });
}

fn unauthorized(headers: &HeaderMap) -> Option<Response> {
    let good = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {KEY}"));
    (!good).then(|| {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"status": 401, "title": "Unauthorized Request", "detail": "Missing authentication, or failed to authenticate"})),
        )
            .into_response()
    })
}

fn resource(base: &str, p: &FakePayment) -> Value {
    let mut v = json!({
        "resource": "payment",
        "id": p.id,
        "mode": "test",
        "status": p.status,
        "amount": p.body["amount"],
        "description": p.body["description"],
        "method": p.body["method"],
        "redirectUrl": p.body["redirectUrl"],
        "webhookUrl": p.body["webhookUrl"],
        "_links": {}
    });
    if p.status == "open" {
        v["_links"]["checkout"] =
            json!({"href": format!("{base}/checkout/{}", p.id), "type": "text/html"});
    }
    v
}

async fn pause(state: &Shared) {
    let delay = state.lock().unwrap().delay;
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
}

/// The answer of an API that is down, if it is.
fn down(state: &Shared) -> Option<Response> {
    let status = state.lock().unwrap().outage?;
    Some(
        (
            status,
            Json(json!({"status": status.as_u16(), "title": "Service Unavailable", "detail": "The service is temporarily unavailable"})),
        )
            .into_response(),
    )
}

async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    record(&state, "POST", "/v2/payments", &headers, body.clone());
    if let Some(refused) = unauthorized(&headers).or_else(|| down(&state)) {
        return refused;
    }
    let (base, payment) = {
        let mut fake = state.lock().unwrap();
        let key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let known = key.as_ref().and_then(|k| fake.by_key.get(k).cloned());
        let payment = match known {
            Some(id) => fake.payments.iter().find(|p| p.id == id).cloned().unwrap(),
            None => {
                let id = format!("tr_fake{}", fake.payments.len() + 1);
                let payment = FakePayment {
                    id: id.clone(),
                    status: "open".into(),
                    body,
                };
                fake.payments.push(payment.clone());
                if let Some(key) = key {
                    fake.by_key.insert(key, id);
                }
                payment
            }
        };
        (fake.base.clone(), payment)
    };
    pause(&state).await;
    (StatusCode::CREATED, Json(resource(&base, &payment))).into_response()
}

async fn fetch(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    record(
        &state,
        "GET",
        &format!("/v2/payments/{id}"),
        &headers,
        Value::Null,
    );
    if let Some(refused) = unauthorized(&headers).or_else(|| down(&state)) {
        return refused;
    }
    let (base, payment) = {
        let fake = state.lock().unwrap();
        let found = fake.payments.iter().find(|p| p.id == id).cloned();
        (fake.base.clone(), found)
    };
    pause(&state).await;
    match payment {
        Some(p) => Json(resource(&base, &p)).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"status": 404, "title": "Not Found", "detail": "No payment exists with token"})),
        )
            .into_response(),
    }
}

fn cents(value: &Value) -> Option<i64> {
    let text = value.as_str()?;
    let (whole, part) = text.split_once('.')?;
    Some(whole.parse::<i64>().ok()? * 100 + part.parse::<i64>().ok()?)
}

async fn refund(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    record(
        &state,
        "POST",
        &format!("/v2/payments/{id}/refunds"),
        &headers,
        body.clone(),
    );
    if let Some(refused) = unauthorized(&headers).or_else(|| down(&state)) {
        return refused;
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut fake = state.lock().unwrap();
    if let Some(done) = fake.refunds.iter().find(|r| key.is_some() && r.2 == key) {
        return (
            StatusCode::CREATED,
            Json(json!({"resource": "refund", "id": done.3, "status": "pending"})),
        )
            .into_response();
    }
    let Some(payment) = fake.payments.iter().find(|p| p.id == id).cloned() else {
        return (StatusCode::NOT_FOUND, Json(json!({"status": 404, "title": "Not Found", "detail": "No payment exists with token"}))).into_response();
    };
    let refused = |detail: &str| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"status": 422, "title": "Unprocessable Entity", "detail": detail})),
        )
            .into_response()
    };
    if payment.status != "paid" {
        return refused("The payment cannot be refunded");
    }
    let (Some(asked), Some(paid)) = (
        cents(&body["amount"]["value"]),
        cents(&payment.body["amount"]["value"]),
    ) else {
        return refused("The amount is invalid");
    };
    let done: i64 = fake.refunds.iter().filter(|r| r.0 == id).map(|r| r.1).sum();
    if asked <= 0 || done + asked > paid {
        return refused("The amount is higher than the amount that can be refunded");
    }
    let refund_id = format!("re_fake{}", fake.refunds.len() + 1);
    fake.refunds.push((id, asked, key, refund_id.clone()));
    (
        StatusCode::CREATED,
        Json(json!({"resource": "refund", "id": refund_id, "status": "pending", "amount": body["amount"]})),
    )
        .into_response()
}

/// The hosted checkout page of payment `id`: its amount and three answers.
async fn checkout_page(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let payment = state
        .lock()
        .unwrap()
        .payments
        .iter()
        .find(|p| p.id == id)
        .cloned();
    let Some(payment) = payment else {
        return (StatusCode::NOT_FOUND, "Unknown payment").into_response();
    };
    let amount = payment.body["amount"]["value"].as_str().unwrap_or("?");
    let description = payment.body["description"].as_str().unwrap_or("");
    let body = if payment.status == "open" {
        format!(
            "<form method=\"post\"><button name=\"status\" value=\"paid\">Pay {amount} EUR</button>\
             <button name=\"status\" value=\"failed\">Fail</button>\
             <button name=\"status\" value=\"canceled\">Cancel</button></form>"
        )
    } else {
        format!("<p>This payment is {}.</p>", payment.status)
    };
    axum::response::Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fake Mollie checkout</title></head>\
         <body><h1>Fake Mollie checkout</h1><p>{description}</p>{body}</body></html>"
    ))
    .into_response()
}

#[derive(serde::Deserialize)]
struct Answer {
    status: String,
}

/// The shopper's answer on the hosted page: the payment takes the status, the webhook is
/// called with the payment's id (as Mollie does), then the shopper goes to the redirect URL.
async fn checkout_answer(
    State(state): State<Shared>,
    Path(id): Path<String>,
    axum::Form(answer): axum::Form<Answer>,
) -> Response {
    if !matches!(answer.status.as_str(), "paid" | "failed" | "canceled") {
        return (StatusCode::BAD_REQUEST, "Unknown answer").into_response();
    }
    let payment = {
        let mut fake = state.lock().unwrap();
        let Some(payment) = fake.payments.iter_mut().find(|p| p.id == id) else {
            return (StatusCode::NOT_FOUND, "Unknown payment").into_response();
        };
        if payment.status == "open" {
            payment.status = answer.status;
        }
        payment.clone()
    };
    if let Some(webhook) = payment.body["webhookUrl"].as_str() {
        let sent = reqwest::Client::new()
            .post(webhook)
            .form(&[("id", payment.id.as_str())])
            .send()
            .await;
        if let Err(error) = sent {
            eprintln!("fake Mollie: webhook {webhook} unreachable: {error}");
        }
    }
    let back = payment.body["redirectUrl"].as_str().unwrap_or("/");
    axum::response::Redirect::to(back).into_response()
}

/// The fake's routes: the API under `/v2` and the hosted checkout pages.
fn router(state: Shared) -> Router {
    Router::new()
        .route("/v2/payments", post(create))
        .route("/v2/payments/{id}", get(fetch))
        .route("/v2/payments/{id}/refunds", post(refund))
        .route("/checkout/{id}", get(checkout_page).post(checkout_answer))
        .with_state(state)
}

/// A new fake whose checkout pages are at `base` (the origin it is served on), and its routes.
pub fn fake(base: String) -> (FakeMollie, Router) {
    let state: Shared = Arc::new(Mutex::new(Fake {
        base: base.clone(),
        ..Fake::default()
    }));
    let app = router(state.clone());
    (FakeMollie { base, state }, app)
}

pub async fn start() -> FakeMollie {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (fake, app) = fake(format!("http://{addr}"));
    tokio::spawn(async move {
        axum::serve(listener, app).await.ok();
    });
    fake
}
