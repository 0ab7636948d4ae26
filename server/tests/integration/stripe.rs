//! The Stripe client against a local fake of Stripe's API: a first payment on the hosted page
//! that saves the card, off-session renewals (paid, declined, authentication required), refunds
//! within what was paid, one object per idempotency key however often a request is retried,
//! and keys that never leak.

use crate::support;

use app::payments::stripe::{Charge, StripeClient, StripeError};
use std::time::Duration;
use support::stripe::{self, FakeStripe, KEY};

fn client(fake: &FakeStripe, key: &str) -> StripeClient {
    StripeClient::new(&fake.url(), key, "whsec_test", Duration::from_secs(1))
}

#[tokio::test]
async fn the_first_payment_saves_the_card_for_renewals() {
    let fake = stripe::start().await;
    let stripe = client(&fake, KEY);
    let customer = stripe
        .create_customer("camille@exemple.fr", "Camille Martin", "cus-1")
        .await
        .unwrap();
    let session = stripe
        .create_checkout_session(
            &customer,
            3400,
            "Abonnement Sérum éclat",
            "CB26-7K3M9Q",
            "https://shop.example/orders/CB26-7K3M9Q?key=k",
            "https://shop.example/checkout?step=review",
            "cs-1",
        )
        .await
        .unwrap();
    assert_eq!(session.status, "open");
    assert!(
        session
            .url
            .as_deref()
            .unwrap()
            .starts_with(&format!("{}/c/pay/", fake.base))
    );
    let asked = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/checkout/sessions")
        .unwrap();
    assert_eq!(
        asked.form["payment_intent_data[setup_future_usage]"],
        "off_session"
    );
    assert_eq!(asked.form["customer"], customer);
    assert_eq!(asked.form["line_items[0][price_data][unit_amount]"], "3400");
    assert_eq!(asked.form["line_items[0][price_data][currency]"], "eur");
    assert_eq!(asked.form["payment_method_types[0]"], "card");

    fake.complete(&session.id);
    let paid = stripe.checkout_session(&session.id).await.unwrap();
    assert_eq!(
        (paid.status.as_str(), paid.payment_status.as_str()),
        ("complete", "paid")
    );
    let card = paid.payment_method.expect("the card is saved");
    assert_eq!(card, "pm_card_visa");
    let intent = stripe
        .payment_intent(paid.payment_intent.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(
        (intent.status.as_str(), intent.amount_cents),
        ("succeeded", 3400)
    );

    // A renewal, charged without the shopper.
    let renewal = stripe
        .charge_off_session(&customer, &card, 3400, "Renouvellement", "sub-1-2026-12")
        .await
        .unwrap();
    let Charge::Succeeded(renewal) = renewal else {
        panic!("the renewal is paid: {renewal:?}");
    };
    assert_eq!(renewal.amount_cents, 3400);
    let charge = fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/payment_intents")
        .unwrap();
    assert_eq!(charge.form["off_session"], "true");
    assert_eq!(charge.form["confirm"], "true");
    // Every POST carried the key and an idempotency key.
    for request in fake.requests() {
        assert_eq!(
            request.authorization.as_deref(),
            Some(format!("Bearer {KEY}").as_str())
        );
        assert!(request.idempotency_key.is_some(), "{}", request.path);
    }
}

#[tokio::test]
async fn a_retried_request_is_one_object() {
    let fake = stripe::start().await;
    let stripe = client(&fake, KEY);
    let first = stripe
        .create_customer("a@exemple.fr", "A", "same")
        .await
        .unwrap();
    let again = stripe
        .create_customer("a@exemple.fr", "A", "same")
        .await
        .unwrap();
    assert_eq!(first, again);
    for _ in 0..3 {
        stripe
            .charge_off_session(&first, "pm_card_visa", 1200, "Renouvellement", "renewal-7")
            .await
            .unwrap();
    }
    assert_eq!(fake.counts(), (1, 0, 1, 0), "one customer, one charge");
}

#[tokio::test]
async fn declines_and_authentication_are_reported() {
    let fake = stripe::start().await;
    let stripe = client(&fake, KEY);
    let customer = stripe
        .create_customer("b@exemple.fr", "B", "c")
        .await
        .unwrap();
    let declined = stripe
        .charge_off_session(&customer, "pm_card_chargeDeclined", 900, "R", "k1")
        .await
        .unwrap();
    assert!(
        matches!(&declined, Charge::Declined { code, payment_intent: Some(_) } if code == "insufficient_funds"),
        "{declined:?}"
    );
    let strong = stripe
        .charge_off_session(&customer, "pm_card_authenticationRequired", 900, "R", "k2")
        .await
        .unwrap();
    assert!(
        matches!(&strong, Charge::Declined { code, .. } if code == "authentication_required"),
        "{strong:?}"
    );
}

#[tokio::test]
async fn refunds_stay_within_what_was_paid() {
    let fake = stripe::start().await;
    let stripe = client(&fake, KEY);
    let customer = stripe
        .create_customer("c@exemple.fr", "C", "c")
        .await
        .unwrap();
    let Charge::Succeeded(paid) = stripe
        .charge_off_session(&customer, "pm_card_visa", 2000, "R", "k")
        .await
        .unwrap()
    else {
        panic!("paid");
    };
    let refund = stripe.refund(&paid.id, 500, "refund-1").await.unwrap();
    assert!(refund.starts_with("re_"));
    assert_eq!(
        stripe.refund(&paid.id, 500, "refund-1").await.unwrap(),
        refund,
        "same key"
    );
    let too_much = stripe.refund(&paid.id, 2000, "refund-2").await;
    assert!(
        matches!(&too_much, Err(StripeError::Refused { code, .. }) if code == "amount_too_large"),
        "{too_much:?}"
    );
    assert_eq!(
        stripe.refund("pi_../../customers", 1, "refund-3").await,
        Err(StripeError::NotFound)
    );
    assert_eq!(fake.counts().3, 1);
}

#[tokio::test]
async fn a_wrong_key_or_a_timeout_says_so_without_the_key() {
    let fake = stripe::start().await;
    let wrong = client(&fake, "sk_test_wrongKeyNeverShown");
    let error = wrong
        .create_customer("d@exemple.fr", "D", "x")
        .await
        .unwrap_err();
    assert!(matches!(error, StripeError::Unavailable(_)), "{error:?}");
    assert!(!error.to_string().contains("wrongKeyNeverShown"));
    fake.delay(Some(Duration::from_millis(1500)));
    let slow = client(&fake, KEY)
        .create_customer("e@exemple.fr", "E", "y")
        .await;
    assert_eq!(
        slow,
        Err(StripeError::Unavailable("Stripe timed out".into()))
    );
}
