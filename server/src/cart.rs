//! The cart-reminders job (`app::cart::reminders`): every ten minutes, on every instance (each
//! cart is claimed by a conditional update, so it is reminded once).

use app::state::AppState;
use std::time::Duration;

/// Runs the reminders every ten minutes from two minutes after start.
pub async fn reminders(state: AppState) {
    let every = Duration::from_secs(600);
    let mut tick = tokio::time::interval_at(
        tokio::time::Instant::now() + Duration::from_secs(120),
        every,
    );
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app::cart::reminders::run_reminders(
            &state.db,
            &state.site.public_url,
            state.clock.now(),
        )
        .await
        {
            Ok(0) => {}
            Ok(reminded) => tracing::info!(reminded, "carts reminded"),
            Err(error) => tracing::warn!(%error, "could not remind the carts"),
        }
    }
}
