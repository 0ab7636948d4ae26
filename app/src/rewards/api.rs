//! Server functions: a customer's referral and points, and staff's reward settings.

use super::{AccountRewards, RewardsForm};
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in customer's referral code, share link, referrals, credit and points.
#[server(prefix = "/api", endpoint = "account/rewards")]
pub async fn my_rewards() -> Result<AccountRewards, AppError> {
    let state = crate::state::app_state()?;
    let (_, user) = crate::account::api::ssr::require_account(&state).await?;
    crate::security::no_store();
    Ok(super::service::account_rewards(&state.db, &user, &state.site.public_url).await?)
}

/// The reward settings as saved (the defaults until then), for staff.
#[server(prefix = "/api", endpoint = "admin/rewards")]
pub async fn admin_rewards() -> Result<RewardsForm, AppError> {
    let state = crate::account::api::ssr::require_staff_state().await?;
    Ok(RewardsForm::of(&super::service::settings(&state.db).await?))
}

/// Saves the reward settings, every field checked. Referrals already placed keep the credit
/// they were placed with.
#[server(prefix = "/api", endpoint = "admin/rewards/save")]
pub async fn save_rewards(form: RewardsForm) -> Result<(), AppError> {
    use crate::promotions::rules::Benefit;
    let (state, staff) = crate::account::api::ssr::staff_member().await?;
    let locale = crate::i18n::request_locale();
    let settings = super::rules::check(&form)
        .map_err(|message| AppError::BadRequest(locale.t(message).to_owned()).answered())?;
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    crate::settings::service::put(&txn, super::service::REWARDS, &settings, now).await?;
    let welcome = match settings.welcome {
        Benefit::Percent(p) => format!("{} %", p.normalize()),
        Benefit::Amount(a) => format!("{} €", a.normalize()),
    };
    crate::db::audit::record(
        &txn,
        staff.id,
        "rewards.update",
        "settings:rewards",
        &format!(
            "welcome {welcome} — sponsor credit {} € — {} pt/€ — {} pts = {} €",
            settings.sponsor_credit.normalize(),
            settings.points_per_euro,
            settings.voucher_points,
            settings.voucher_value.normalize()
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    leptos_axum::redirect("/admin/rewards?saved=1");
    Ok(())
}
