//! A fake of La Poste's tracking API, Suivi v2, as the shop uses it: `GET /idships/{number}`
//! with the key in `X-Okapi-Key`, answering the parcel's events (newest first, each a code and
//! an RFC 3339 date), 404 for a number it does not know, 401 without the right key.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const KEY: &str = "fake-okapi-key-0123456789";

/// Each parcel's events (code, RFC 3339 date), newest first.
type Events = HashMap<String, Vec<(String, String)>>;

#[derive(Clone, Default)]
pub struct FakeLaPoste {
    pub base: String,
    /// Parcel number → its events (code, date), newest first.
    parcels: Arc<Mutex<Events>>,
    /// How many times each parcel was asked about.
    pub asked: Arc<Mutex<HashMap<String, usize>>>,
}

impl FakeLaPoste {
    /// Parcel `number` had `code` at `date` (added as its newest event).
    pub fn event(&self, number: &str, code: &str, date: chrono::DateTime<chrono::FixedOffset>) {
        self.parcels
            .lock()
            .unwrap()
            .entry(number.to_owned())
            .or_default()
            .insert(0, (code.to_owned(), date.to_rfc3339()));
    }

    pub fn asked(&self, number: &str) -> usize {
        self.asked.lock().unwrap().get(number).copied().unwrap_or(0)
    }
}

async fn idship(
    State(fake): State<FakeLaPoste>,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Response {
    if headers.get("x-okapi-key").and_then(|v| v.to_str().ok()) != Some(KEY) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({"code": "UNAUTHORIZED", "message": "This action requires an authorization"})),
        )
            .into_response();
    }
    *fake
        .asked
        .lock()
        .unwrap()
        .entry(number.clone())
        .or_default() += 1;
    let Some(events) = fake.parcels.lock().unwrap().get(&number).cloned() else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"returnCode": 104, "returnMessage": "Numéro d'envoi inconnu", "lang": "fr_FR"})),
        )
            .into_response();
    };
    let delivered = events.iter().any(|(code, _)| code == "DI1");
    axum::Json(serde_json::json!({
        "lang": "fr_FR",
        "scope": "open",
        "returnCode": 200,
        "shipment": {
            "idShip": number,
            "holder": 4,
            "product": "colissimo",
            "isFinal": delivered,
            "event": events.iter().map(|(code, date)| serde_json::json!({
                "code": code, "label": "—", "date": date,
            })).collect::<Vec<_>>(),
            "url": format!("https://www.laposte.fr/outils/suivre-vos-envois?code={number}"),
        }
    }))
    .into_response()
}

/// Starts the fake on a free port.
pub async fn start() -> FakeLaPoste {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let fake = FakeLaPoste {
        base: format!("http://{addr}"),
        ..Default::default()
    };
    let app = axum::Router::new()
        .route("/idships/{number}", get(idship))
        .with_state(fake.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.ok();
    });
    fake
}
