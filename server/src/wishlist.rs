//! The back-in-stock alerts job (`app::wishlist::service::dispatch`): every minute, on every
//! instance, for stock that came back other than through this instance's back office (a
//! cancelled order, another instance). Each alert is claimed by a conditional update, so it is
//! sent once.

use app::state::AppState;
use std::time::Duration;

/// Sends the alerts of products back in stock, every minute from 30 seconds after start.
pub async fn stock_alerts(state: AppState) {
    let mut tick = tokio::time::interval_at(
        tokio::time::Instant::now() + Duration::from_secs(30),
        Duration::from_secs(60),
    );
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app::wishlist::service::dispatch(&state.db, &state.site.public_url, state.clock.now())
            .await
        {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "back-in-stock alerts sent"),
            Err(error) => tracing::warn!(%error, "could not send the back-in-stock alerts"),
        }
    }
}
