//! Background work on orders: asking the provider about payments still open (a lost
//! notification), cancelling the orders whose payment never came, and the subscriptions'
//! reminders, renewal orders and charges.

use app::state::AppState;
use std::time::Duration;

/// Every minute from a minute after start, cancels the orders whose payment is overdue and gives their stock back (any
/// instance may run it: each cancellation is a conditional update, made once).
pub async fn expire_unpaid_orders(state: AppState) {
    let minute = Duration::from_secs(60);
    let mut every_minute = tokio::time::interval_at(tokio::time::Instant::now() + minute, minute);
    every_minute.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every_minute.tick().await;
        match app::orders::service::pay::reconcile_open_payments(
            &state.db,
            &state.payments,
            state.order_hooks.as_ref(),
            &state.site.public_url,
            chrono::Duration::minutes(2),
            state.clock.now(),
        )
        .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(payments = n, "open payments checked with the provider"),
            Err(error) => tracing::warn!(%error, "could not reconcile open payments"),
        }
        match app::orders::service::lifecycle::expire_unpaid(
            &state.db,
            &state.payments,
            state.order_hooks.as_ref(),
            &state.site.public_url,
            state.clock.now(),
        )
        .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(orders = n, "unpaid orders cancelled, stock released"),
            Err(error) => tracing::warn!(%error, "could not cancel unpaid orders"),
        }
        match app::subscriptions::service::renew::run(
            &state.db,
            &state.payments,
            &state.site.public_url,
            state.subscriptions.reminder_days,
            state.clock.now(),
        )
        .await
        {
            Ok(round) if round == app::subscriptions::service::renew::Round::default() => {}
            Ok(round) => tracing::info!(?round, "subscriptions renewed"),
            Err(error) => tracing::warn!(%error, "could not run the subscription renewals"),
        }
    }
}

/// Every hour from five minutes after start, asks La Poste about the shipped parcels it
/// follows and marks delivered those it delivered, at its own date (any instance may run it:
/// each parcel is claimed before it is asked about).
pub async fn follow_parcels(state: AppState) {
    let Some(carrier) = state.tracking.clone() else {
        return;
    };
    let hour = Duration::from_secs(3600);
    let mut every_hour =
        tokio::time::interval_at(tokio::time::Instant::now() + Duration::from_secs(300), hour);
    every_hour.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every_hour.tick().await;
        match app::orders::service::delivery::follow(
            &state.db,
            &carrier,
            &state.site.public_url,
            state.clock.now(),
        )
        .await
        {
            Ok(round) if round.asked == 0 => {}
            Ok(round) => tracing::info!(?round, "parcels followed with La Poste"),
            Err(error) => tracing::warn!(%error, "could not follow the parcels"),
        }
    }
}
