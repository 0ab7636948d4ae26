//! The session store: `tower-sessions` records in the `sessions` table, so every server instance
//! sees every session. The signed-in account's id is copied out of the record into its own
//! column, so an account's sessions can be listed and ended together.

use crate::db::entities::session;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// The session key holding the signed-in account's id.
pub const USER_ID: &str = "user_id";

/// Sessions in the database.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> DbSessionStore {
        DbSessionStore { db }
    }

    /// Deletes the sessions whose time is over; returns how many.
    ///
    /// # Errors
    /// The database error.
    pub async fn delete_expired(&self) -> Result<u64, DbErr> {
        Ok(session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(Utc::now()))
            .exec(&self.db)
            .await?
            .rows_affected)
    }

    fn row(record: &Record) -> session_store::Result<session::ActiveModel> {
        let now = Utc::now();
        Ok(session::ActiveModel {
            id: Set(record.id.to_string()),
            user_id: Set(record
                .data
                .get(USER_ID)
                .and_then(serde_json::Value::as_i64)
                .and_then(|id| i32::try_from(id).ok())),
            data: Set(serde_json::to_string(&record.data)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?),
            expires_at: Set(chrono_time(record.expiry_date)),
            created_at: Set(now),
            updated_at: Set(now),
        })
    }
}

fn chrono_time(at: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_else(Utc::now)
}

fn offset_time(at: DateTime<Utc>) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(at.timestamp())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

fn backend(err: DbErr) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    /// Inserts a new session, drawing a new id in the (astronomically unlikely) event of a clash.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let inserted = session::Entity::insert(Self::row(record)?)
                .on_conflict(
                    OnConflict::column(session::Column::Id)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        session::Entity::insert(Self::row(record)?)
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .update_columns([
                        session::Column::UserId,
                        session::Column::Data,
                        session::Column::ExpiresAt,
                        session::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = session::Entity::find_by_id(id.to_string())
            .filter(session::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date: offset_time(row.expires_at),
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
