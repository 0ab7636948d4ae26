//! A fake of Stripe's API, the subset the client uses: customers, Checkout Sessions (completed
//! by the test), off-session PaymentIntents with Stripe's test cards (`pm_card_visa` pays,
//! `pm_card_chargeDeclined` and `pm_card_authenticationRequired` do not), refunds within what
//! was paid; customers deleted (`DELETE /v1/customers/{id}`); an outage the test switches on
//! (every API call answers 503); bearer-key authentication; a stored answer per idempotency key, as Stripe keeps.
//! Its hosted Checkout page (`/c/pay/{id}`, on the fake's own origin) lets a browser pay with
//! the test card or go back: like Stripe, it then sends the signed `checkout.session.completed`
//! event to the endpoint it was given and sends the shopper to the session's success URL.
#![allow(dead_code, reason = "the fake_providers example uses a part of it")]

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The secret key the fake accepts.
pub const KEY: &str = "sk_test_fakeStripeKey0123456789";

/// A request the fake received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub path: String,
    pub authorization: Option<String>,
    pub idempotency_key: Option<String>,
    pub form: HashMap<String, String>,
}

#[derive(Default)]
struct Fake {
    /// The fake's own origin, where its Checkout pages are.
    base: String,
    /// Where signed events go, and the endpoint's signing secret.
    webhook: Option<(String, String)>,
    customers: Vec<Value>,
    sessions: Vec<Value>,
    intents: Vec<Value>,
    refunds: Vec<Value>,
    answers: HashMap<(String, String), (u16, Value)>,
    requests: Vec<Recorded>,
    delay: Option<Duration>,
    /// The customers deleted, in order.
    deleted: Vec<String>,
    /// Every API call answers 503.
    outage: bool,
}

type Shared = Arc<Mutex<Fake>>;

pub struct FakeStripe {
    pub base: String,
    state: Shared,
}

impl FakeStripe {
    /// The API's base URL.
    pub fn url(&self) -> String {
        format!("{}/v1", self.base)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let fake = self.state.lock().unwrap();
        (
            fake.customers.len(),
            fake.sessions.len(),
            fake.intents.len(),
            fake.refunds.len(),
        )
    }

    /// The ids of the customers deleted, in order.
    pub fn deleted_customers(&self) -> Vec<String> {
        self.state.lock().unwrap().deleted.clone()
    }

    /// Whether the customer `id` exists (made and not deleted).
    pub fn has_customer(&self, id: &str) -> bool {
        let fake = self.state.lock().unwrap();
        fake.customers.iter().any(|c| c["id"] == id) && !fake.deleted.iter().any(|d| d == id)
    }

    /// Stripe down (every API call answers 503) or back.
    pub fn outage(&self, down: bool) {
        self.state.lock().unwrap().outage = down;
    }

    pub fn delay(&self, delay: Option<Duration>) {
        self.state.lock().unwrap().delay = delay;
    }

    /// Sends the events of the hosted page to `url`, signed with `secret` (the endpoint's).
    pub fn send_events_to(&self, url: &str, secret: &str) {
        self.state.lock().unwrap().webhook = Some((url.to_owned(), secret.to_owned()));
    }

    /// The shopper pays on the hosted page with the test card `pm_card_visa`.
    pub fn complete(&self, session_id: &str) {
        self.complete_with(session_id, "pm_card_visa");
    }

    /// The shopper pays on the hosted page with the test card `card` (kept for later).
    pub fn complete_with(&self, session_id: &str, card: &str) {
        let mut fake = self.state.lock().unwrap();
        let n = fake.intents.len() + 1;
        let Some(index) = fake.sessions.iter().position(|s| s["id"] == session_id) else {
            return;
        };
        let amount = fake.sessions[index]["amount_total"].clone();
        let intent = json!({"id": format!("pi_fake{n}"), "object": "payment_intent", "status": "succeeded", "amount": amount, "payment_method": card});
        fake.intents.push(intent.clone());
        let session = &mut fake.sessions[index];
        session["status"] = json!("complete");
        session["payment_status"] = json!("paid");
        session["url"] = Value::Null;
        session["payment_intent"] = intent["id"].clone();
    }
}

fn refused(status: StatusCode, kind: &str, code: &str, message: &str) -> (u16, Value) {
    (
        status.as_u16(),
        json!({"error": {"type": kind, "code": code, "message": message}}),
    )
}

/// Records the request, checks the key, and replays the stored answer of a known idempotency
/// key; otherwise runs `work` and stores its answer.
async fn handle(
    state: &Shared,
    path: &str,
    headers: &HeaderMap,
    form: HashMap<String, String>,
    work: impl FnOnce(&mut Fake, &HashMap<String, String>) -> (u16, Value),
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let key = header("idempotency-key");
    let answer = {
        let mut fake = state.lock().unwrap();
        fake.requests.push(Recorded {
            path: path.to_owned(),
            authorization: header("authorization"),
            idempotency_key: key.clone(),
            form: form.clone(),
        });
        if header("authorization") != Some(format!("Bearer {KEY}")) {
            refused(
                StatusCode::UNAUTHORIZED,
                "invalid_request_error",
                "api_key_invalid",
                "Invalid API Key provided",
            )
        } else if let Some(stored) = key
            .as_ref()
            .and_then(|k| fake.answers.get(&(path.to_owned(), k.clone())).cloned())
        {
            stored
        } else {
            let answer = work(&mut fake, &form);
            if let Some(k) = key {
                fake.answers.insert((path.to_owned(), k), answer.clone());
            }
            answer
        }
    };
    let delay = state.lock().unwrap().delay;
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    (StatusCode::from_u16(answer.0).unwrap(), Json(answer.1)).into_response()
}

async fn customers(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    handle(&s, "/v1/customers", &headers, form, |fake, form| {
        let customer = json!({"id": format!("cus_fake{}", fake.customers.len() + 1), "object": "customer", "email": form.get("email")});
        fake.customers.push(customer.clone());
        (200, customer)
    })
    .await
}

async fn sessions(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    handle(&s, "/v1/checkout/sessions", &headers, form, |fake, form| {
        let id = format!("cs_test_fake{}", fake.sessions.len() + 1);
        let amount: i64 = form
            .get("line_items[0][price_data][unit_amount]")
            .and_then(|a| a.parse().ok())
            .unwrap_or(0);
        let session = json!({"id": id, "object": "checkout.session", "url": format!("{}/c/pay/{id}", fake.base), "status": "open", "payment_status": "unpaid", "payment_intent": null, "customer": form.get("customer"), "amount_total": amount, "success_url": form.get("success_url"), "cancel_url": form.get("cancel_url")});
        fake.sessions.push(session.clone());
        (200, session)
    })
    .await
}

async fn session(State(s): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let fake = s.lock().unwrap();
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {KEY}"))
    {
        let (code, body) = refused(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "api_key_invalid",
            "Invalid API Key provided",
        );
        return (StatusCode::from_u16(code).unwrap(), Json(body)).into_response();
    }
    let Some(mut session) = fake
        .sessions
        .iter()
        .find(|x| x["id"] == id.as_str())
        .cloned()
    else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": {"type": "invalid_request_error", "code": "resource_missing"}})),
        )
            .into_response();
    };
    // `expand[]=payment_intent`.
    if let Some(intent) = fake
        .intents
        .iter()
        .find(|i| i["id"] == session["payment_intent"])
    {
        session["payment_intent"] = intent.clone();
    }
    Json(session).into_response()
}

async fn intent(State(s): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {KEY}"))
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"type": "invalid_request_error"}})),
        )
            .into_response();
    }
    let found = s
        .lock()
        .unwrap()
        .intents
        .iter()
        .find(|i| i["id"] == id.as_str())
        .cloned();
    match found {
        Some(intent) => Json(intent).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": {"type": "invalid_request_error", "code": "resource_missing"}})),
        )
            .into_response(),
    }
}

async fn intents(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    handle(&s, "/v1/payment_intents", &headers, form, |fake, form| {
        let id = format!("pi_fake{}", fake.intents.len() + 1);
        let amount: i64 = form.get("amount").and_then(|a| a.parse().ok()).unwrap_or(0);
        let method = form.get("payment_method").cloned().unwrap_or_default();
        let (status, code) = match method.as_str() {
            "pm_card_chargeDeclined" => ("requires_payment_method", Some(("card_declined", "insufficient_funds"))),
            "pm_card_authenticationRequired" => ("requires_payment_method", Some(("authentication_required", "authentication_required"))),
            _ => ("succeeded", None),
        };
        let intent = json!({"id": id, "object": "payment_intent", "status": status, "amount": amount, "payment_method": method, "customer": form.get("customer")});
        fake.intents.push(intent.clone());
        match code {
            None => (200, intent),
            Some((code, decline)) => (
                402,
                json!({"error": {"type": "card_error", "code": code, "decline_code": decline, "message": "Your card was declined.", "payment_intent": intent}}),
            ),
        }
    })
    .await
}

async fn refunds(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    handle(&s, "/v1/refunds", &headers, form, |fake, form| {
        let intent_id = form.get("payment_intent").cloned().unwrap_or_default();
        let amount: i64 = form.get("amount").and_then(|a| a.parse().ok()).unwrap_or(0);
        let Some(paid) = fake.intents.iter().find(|i| i["id"] == intent_id.as_str() && i["status"] == "succeeded").and_then(|i| i["amount"].as_i64()) else {
            return refused(StatusCode::NOT_FOUND, "invalid_request_error", "resource_missing", "No such payment_intent");
        };
        let done: i64 = fake.refunds.iter().filter(|r| r["payment_intent"] == intent_id.as_str()).filter_map(|r| r["amount"].as_i64()).sum();
        if amount <= 0 || done + amount > paid {
            return refused(StatusCode::BAD_REQUEST, "invalid_request_error", "amount_too_large", "Refund amount is greater than unrefunded amount on charge");
        }
        let refund = json!({"id": format!("re_fake{}", fake.refunds.len() + 1), "object": "refund", "amount": amount, "payment_intent": intent_id, "status": "succeeded"});
        fake.refunds.push(refund.clone());
        (200, refund)
    })
    .await
}

/// `DELETE /v1/customers/{id}`: deleted once; then, as Stripe, "no such customer".
async fn delete_customer(
    State(s): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut fake = s.lock().unwrap();
    fake.requests.push(Recorded {
        path: format!("DELETE /v1/customers/{id}"),
        authorization: None,
        idempotency_key: None,
        form: HashMap::new(),
    });
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {KEY}"))
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"type": "invalid_request_error"}})),
        )
            .into_response();
    }
    let known = fake.customers.iter().any(|c| c["id"] == id.as_str());
    if !known || fake.deleted.contains(&id) {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": {"type": "invalid_request_error", "code": "resource_missing", "message": format!("No such customer: '{id}'")}})),
        )
            .into_response();
    }
    fake.deleted.push(id.clone());
    Json(json!({"id": id, "object": "customer", "deleted": true})).into_response()
}

/// Answers 503 to every API call while the test has Stripe down.
async fn outage(
    State(s): State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if s.lock().unwrap().outage && request.uri().path().starts_with("/v1/") {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"error": {"type": "api_error", "message": "Service unavailable"}})),
        )
            .into_response();
    }
    next.run(request).await
}

/// The hosted Checkout page of session `id`: its amount, "pay" with the test card, "back".
async fn checkout_page(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let found = s
        .lock()
        .unwrap()
        .sessions
        .iter()
        .find(|x| x["id"] == id.as_str())
        .cloned();
    let Some(session) = found else {
        return (StatusCode::NOT_FOUND, "Unknown session").into_response();
    };
    let cents = session["amount_total"].as_i64().unwrap_or(0);
    let body = if session["status"] == "open" {
        format!(
            "<form method=\"post\"><button name=\"answer\" value=\"pay\">Pay {}.{:02} EUR</button>\
             <button name=\"answer\" value=\"back\">Back</button></form>",
            cents / 100,
            cents % 100
        )
    } else {
        "<p>This session is complete.</p>".to_owned()
    };
    axum::response::Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fake Stripe Checkout</title></head>\
         <body><h1>Fake Stripe Checkout</h1>{body}</body></html>"
    ))
    .into_response()
}

#[derive(serde::Deserialize)]
struct Answer {
    answer: String,
}

/// The shopper's answer: paid with `pm_card_visa` (the card kept), the signed
/// `checkout.session.completed` event sent, then the success URL; or back to the cancel URL.
async fn checkout_answer(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Form(answer): Form<Answer>,
) -> Response {
    let fake = FakeStripe {
        base: String::new(),
        state: s.clone(),
    };
    let Some(session) = s
        .lock()
        .unwrap()
        .sessions
        .iter()
        .find(|x| x["id"] == id.as_str())
        .cloned()
    else {
        return (StatusCode::NOT_FOUND, "Unknown session").into_response();
    };
    if answer.answer != "pay" {
        let back = session["cancel_url"].as_str().unwrap_or("/");
        return axum::response::Redirect::to(back).into_response();
    }
    if session["status"] == "open" {
        fake.complete(&id);
    }
    let webhook = s.lock().unwrap().webhook.clone();
    if let Some((url, secret)) = webhook {
        let event = json!({
            "id": format!("evt_fake_{id}"),
            "object": "event",
            "type": "checkout.session.completed",
            "data": {"object": {"id": id, "object": "checkout.session"}},
        })
        .to_string();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or_default())
            .unwrap_or_default();
        let sent = reqwest::Client::new()
            .post(&url)
            .header("content-type", "application/json")
            .header(
                "stripe-signature",
                app::payments::stripe::sign(&secret, now, event.as_bytes()),
            )
            .body(event)
            .send()
            .await;
        if let Err(error) = sent {
            eprintln!("fake Stripe: webhook {url} unreachable: {error}");
        }
    }
    let back = session["success_url"]
        .as_str()
        .unwrap_or("/")
        .replace("{CHECKOUT_SESSION_ID}", &id);
    axum::response::Redirect::to(&back).into_response()
}

/// The fake's routes: the API under `/v1` and the hosted Checkout pages.
fn router(state: Shared) -> Router {
    Router::new()
        .route("/v1/customers", post(customers))
        .route("/v1/customers/{id}", axum::routing::delete(delete_customer))
        .route("/v1/checkout/sessions", post(sessions))
        .route("/v1/checkout/sessions/{id}", get(session))
        .route("/v1/payment_intents", post(intents))
        .route("/v1/payment_intents/{id}", get(intent))
        .route("/v1/refunds", post(refunds))
        .route("/c/pay/{id}", get(checkout_page).post(checkout_answer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), outage))
        .with_state(state)
}

/// A new fake whose Checkout pages are at `base` (the origin it is served on), and its routes.
pub fn fake(base: String) -> (FakeStripe, Router) {
    let state: Shared = Arc::new(Mutex::new(Fake {
        base: base.clone(),
        ..Fake::default()
    }));
    let app = router(state.clone());
    (FakeStripe { base, state }, app)
}

pub async fn start() -> FakeStripe {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (fake, app) = fake(format!("http://{addr}"));
    tokio::spawn(async move {
        axum::serve(listener, app).await.ok();
    });
    fake
}
