//! The database layer: connection set-up, migrations and SeaORM entities.
//!
//! The same code runs on SQLite (the embedded default) and PostgreSQL (for several stateless
//! instances on one database). SQLite runs in WAL mode with a busy timeout, and write use cases
//! open their transaction with [`begin_write`] so that SQLite takes the write lock at `BEGIN`
//! (`BEGIN IMMEDIATE`) instead of failing with `SQLITE_BUSY` on lock upgrade.

pub mod audit;
pub mod entities;
pub mod json;
pub mod migrations;
pub mod sql;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

/// How long a SQLite connection waits for a lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects to `url` (`sqlite://…` or `postgres://…`) with a pool of at most `max_connections`.
///
/// # Errors
/// Returns the driver's error when the database cannot be reached or opened.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
        });
    Database::connect(options).await
}

/// Applies every pending migration.
///
/// # Errors
/// Returns the first migration error; the failed migration's changes are rolled back.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    migrations::Migrator::up(db, None).await
}

/// `select` holding its rows until the transaction ends: `FOR UPDATE` on PostgreSQL; SQLite
/// needs none, a write transaction ([`begin_write`]) holds the whole database already.
pub fn for_update<E: sea_orm::EntityTrait>(
    select: sea_orm::Select<E>,
    db: &impl sea_orm::ConnectionTrait,
) -> sea_orm::Select<E> {
    use sea_orm::QuerySelect;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        select.lock_exclusive()
    } else {
        select
    }
}

/// Opens a transaction for a use case that writes (`BEGIN IMMEDIATE` on SQLite).
///
/// # Errors
/// Returns the driver's error when no connection or lock could be had in time.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
