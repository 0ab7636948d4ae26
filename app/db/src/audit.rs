//! The back office's audit trail: who did what on what, written in the action's own
//! transaction by every domain (the back office reads it).

use crate::entities::audit_log;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};

/// Records that staff member `actor_id` did `action` on `subject` (`order:CB26-…`,
/// `product:12`), with a short `detail` (never a customer's personal details).
///
/// # Errors
/// The database error.
pub async fn record(
    db: &impl ConnectionTrait,
    actor_id: i32,
    action: &str,
    subject: &str,
    detail: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        actor_id: Set(actor_id),
        action: Set(action.to_owned()),
        subject: Set(subject.to_owned()),
        detail: Set(detail.chars().take(2000).collect()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
