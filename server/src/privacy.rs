//! Hourly personal-data housekeeping: inactive accounts warned then erased, and every
//! retention period of `app::privacy::rules::RETENTION` applied.

use app::state::AppState;
use std::time::Duration;

/// Every hour from a minute after start (any instance may run it: each warning is claimed by a
/// conditional update, each erasure is one transaction on rows that only it changes).
pub async fn housekeeping(state: AppState) {
    let hour = Duration::from_secs(3600);
    let mut every_hour =
        tokio::time::interval_at(tokio::time::Instant::now() + Duration::from_secs(60), hour);
    every_hour.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every_hour.tick().await;
        let now = state.clock.now();
        match app::privacy::service::erasure::run_inactivity(
            &state.db,
            &state.site.public_url,
            state.privacy.inactivity_grace_days,
            now,
        )
        .await
        {
            Ok(round) if round == Default::default() => {}
            Ok(round) => tracing::info!(?round, "inactive accounts handled"),
            Err(error) => tracing::warn!(%error, "could not handle inactive accounts"),
        }
        match app::privacy::service::retention::run_retention(
            &state.db,
            now,
            state.privacy.guest_retention_months,
        )
        .await
        {
            Ok(round) if round == Default::default() => {}
            Ok(round) => tracing::info!(?round, "personal data past its retention handled"),
            Err(error) => tracing::warn!(%error, "could not apply the retention periods"),
        }
    }
}

/// Sends the deletions asked of Stripe for erased customers every minute (any instance may: each
/// request is claimed with a lease), when Stripe is configured; otherwise they wait.
pub async fn processors(state: AppState) {
    let Some(stripe) = state.payments.stripe.clone() else {
        return;
    };
    let minute = Duration::from_secs(60);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + minute, minute);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match app::privacy::service::processors::send_due(
            &state.db,
            Some(&stripe),
            state.clock.now(),
        )
        .await
        {
            Ok(round) if round == Default::default() => {}
            Ok(round) => tracing::info!(?round, "deletions asked of Stripe"),
            Err(error) => tracing::warn!(%error, "could not send the deletions asked of Stripe"),
        }
    }
}
