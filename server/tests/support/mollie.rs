//! A fake of Mollie's Payments API, the subset the client uses: create a payment (with an
//! idempotency key), get a payment; bearer-key authentication; statuses the test sets; and a
//! delay to make the client time out.
#![allow(dead_code, reason = "only the payment-provider tests start it")]

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
    payments: Vec<FakePayment>,
    by_key: HashMap<String, String>,
    requests: Vec<Recorded>,
    delay: Option<Duration>,
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

    /// Answers every request after `delay` (the work is done at once, as a slow network would).
    pub fn delay(&self, delay: Option<Duration>) {
        self.state.lock().unwrap().delay = delay;
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

fn resource(p: &FakePayment) -> Value {
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
        v["_links"]["checkout"] = json!({"href": format!("https://www.mollie.com/checkout/select-method/{}", p.id), "type": "text/html"});
    }
    v
}

async fn pause(state: &Shared) {
    let delay = state.lock().unwrap().delay;
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
}

async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    record(&state, "POST", "/v2/payments", &headers, body.clone());
    if let Some(refused) = unauthorized(&headers) {
        return refused;
    }
    let payment = {
        let mut fake = state.lock().unwrap();
        let key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let known = key.as_ref().and_then(|k| fake.by_key.get(k).cloned());
        match known {
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
        }
    };
    pause(&state).await;
    (StatusCode::CREATED, Json(resource(&payment))).into_response()
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
    if let Some(refused) = unauthorized(&headers) {
        return refused;
    }
    let payment = state
        .lock()
        .unwrap()
        .payments
        .iter()
        .find(|p| p.id == id)
        .cloned();
    pause(&state).await;
    match payment {
        Some(p) => Json(resource(&p)).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"status": 404, "title": "Not Found", "detail": "No payment exists with token"})),
        )
            .into_response(),
    }
}

pub async fn start() -> FakeMollie {
    let state: Shared = Arc::default();
    let app = Router::new()
        .route("/v2/payments", post(create))
        .route("/v2/payments/{id}", get(fetch))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.ok();
    });
    FakeMollie {
        base: format!("http://{addr}"),
        state,
    }
}
