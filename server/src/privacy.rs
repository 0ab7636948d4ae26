//! Hourly personal-data housekeeping: inactive accounts warned then erased, cookie-consent
//! proofs dropped once they are no longer needed.

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
        match app::privacy::service::consent::purge_proofs(&state.db, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(records = n, "old cookie-consent proofs dropped"),
            Err(error) => tracing::warn!(%error, "could not drop old consent proofs"),
        }
    }
}
