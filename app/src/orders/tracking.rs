//! A client of La Poste's tracking API, Suivi v2 (<https://developer.laposte.fr/products/suivi/2>),
//! which follows Colissimo and Chronopost parcels: `GET /idships/{number}` with the key in the
//! `X-Okapi-Key` header answers the shipment's events, each with a code and a date; `DI1` is
//! "delivered to the addressee". The shop asks about its shipped parcels so that a delivery
//! nobody marked still starts the 14 days of withdrawal from the carrier's own date.
//!
//! The key is sent only in its header and never appears in errors, logs or `Debug` output.

use crate::orders::rules::Carrier;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::time::Duration;

/// La Poste's tracking API, unless set otherwise (tests point it at a local fake).
pub const DEFAULT_BASE_URL: &str = "https://api.laposte.fr/suivi/v2";
/// The event code of a parcel delivered to its addressee.
pub const DELIVERED: &str = "DI1";

/// Why the carrier could not say.
#[derive(Debug, thiserror::Error)]
pub enum TrackingError {
    /// Refused our key, or our request.
    #[error("La Poste refused the request ({0})")]
    Refused(u16),
    #[error("La Poste could not be reached or answered badly: {0}")]
    Unavailable(String),
}

/// The La Poste Suivi v2 client.
#[derive(Clone)]
pub struct LaPosteTracking {
    http: reqwest::Client,
    base: String,
    key: String,
}

impl std::fmt::Debug for LaPosteTracking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LaPosteTracking")
            .field("base", &self.base)
            .field("key", &"[redacted]")
            .finish()
    }
}

#[derive(Deserialize)]
struct Answer {
    shipment: Option<Shipment>,
}

#[derive(Deserialize)]
struct Shipment {
    #[serde(default)]
    event: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    code: String,
    date: String,
}

/// The moment `answer` (a Suivi v2 body) says the parcel reached its addressee, if it did.
pub fn delivered_in(answer: &str) -> Result<Option<DateTime<Utc>>, TrackingError> {
    let answer: Answer = serde_json::from_str(answer)
        .map_err(|e| TrackingError::Unavailable(format!("unreadable answer: {e}")))?;
    Ok(answer
        .shipment
        .into_iter()
        .flat_map(|s| s.event)
        .filter(|e| e.code == DELIVERED)
        .filter_map(|e| DateTime::parse_from_rfc3339(&e.date).ok())
        .map(|at| at.with_timezone(&Utc))
        .min())
}

impl LaPosteTracking {
    /// A client of the API at `base` with `key`, each call given up after `timeout`.
    pub fn new(base: &str, key: &str, timeout: Duration) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(timeout)
                .build()
                .unwrap_or_default(),
            base: base.trim_end_matches('/').to_owned(),
            key: key.to_owned(),
        }
    }

    /// Whether La Poste follows `carrier`'s parcels.
    pub fn follows(carrier: Carrier) -> bool {
        matches!(carrier, Carrier::Colissimo | Carrier::Chronopost)
    }

    /// When parcel `number` was delivered, if it was; `None` too for a number La Poste does not
    /// know (yet).
    ///
    /// # Errors
    /// [`TrackingError`] when La Poste refuses or cannot be reached.
    pub async fn delivered(&self, number: &str) -> Result<Option<DateTime<Utc>>, TrackingError> {
        // Tracking numbers are letters and digits (checked when staff typed them).
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Ok(None);
        }
        let answer = self
            .http
            .get(format!("{}/idships/{number}", self.base))
            .query(&[("lang", "fr_FR")])
            .header("Accept", "application/json")
            .header("X-Okapi-Key", &self.key)
            .send()
            .await
            .map_err(|e| {
                TrackingError::Unavailable(crate::payments::transport_failure("La Poste", &e))
            })?;
        let status = answer.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if status.is_client_error() {
            return Err(TrackingError::Refused(status.as_u16()));
        }
        if !status.is_success() {
            return Err(TrackingError::Unavailable(format!("status {status}")));
        }
        let body = answer.text().await.map_err(|e| {
            TrackingError::Unavailable(crate::payments::transport_failure("La Poste", &e))
        })?;
        delivered_in(&body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delivery_is_the_first_di1_event() {
        let body = r#"{"returnCode":200,"shipment":{"idShip":"6A12345678901","isFinal":true,
            "event":[
              {"code":"DI1","label":"Votre colis est livré.","date":"2026-12-01T11:05:00+01:00"},
              {"code":"ET1","label":"En cours de traitement","date":"2026-11-30T06:00:00+01:00"},
              {"code":"PC1","label":"Pris en charge","date":"2026-11-29T18:00:00+01:00"}]}}"#;
        assert_eq!(
            delivered_in(body).unwrap(),
            Some("2026-12-01T10:05:00Z".parse().unwrap())
        );
        let moving =
            r#"{"shipment":{"event":[{"code":"ET1","date":"2026-11-30T06:00:00+01:00"}]}}"#;
        assert_eq!(delivered_in(moving).unwrap(), None);
        // Sent back to the sender is not a delivery to the customer.
        let returned =
            r#"{"shipment":{"event":[{"code":"DI2","date":"2026-11-30T06:00:00+01:00"}]}}"#;
        assert_eq!(delivered_in(returned).unwrap(), None);
        assert!(delivered_in("<html>").is_err());
    }
}
