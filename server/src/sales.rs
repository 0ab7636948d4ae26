//! The sales job (`app::promotions::service::sales::apply`): on every instance, from 30 seconds
//! after start, at each sale's start and end to the second, and every minute besides (a sale scheduled or cancelled on
//! another instance, a clock moved). Each product's change is a conditional update, so
//! instances running it together write it once.

use app::promotions::service::sales::{apply_now, next_change};
use app::state::AppState;
use std::time::Duration;

/// The longest wait between two runs.
const AT_MOST: Duration = Duration::from_secs(60);

/// Puts the sales' prices in force now and at every start and end to come.
pub async fn sales(state: AppState) {
    // Like the other jobs, a moment after start (the instance is serving by then).
    tokio::time::sleep(Duration::from_secs(30)).await;
    loop {
        let now = state.clock.now();
        match apply_now(&state.db, now).await {
            Ok(0) => {}
            Ok(changed) => tracing::info!(changed, "sale prices put in force"),
            Err(error) => tracing::warn!(%error, "could not put the sale prices in force"),
        }
        let wait = match next_change(&state.db, now).await {
            Ok(Some(next)) => (next - state.clock.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(AT_MOST),
            Ok(None) => AT_MOST,
            Err(error) => {
                tracing::warn!(%error, "could not read when the next sale starts or ends");
                AT_MOST
            }
        };
        // A moment past the boundary, so the run sees the sale started (or ended).
        tokio::time::sleep(wait + Duration::from_millis(50)).await;
    }
}
