//! Maps sqlx's PostgreSQL errors into the store's closed set, once.

use haven_store::StoreError;

/// Returns a mapper for errors while working on `what`.
pub(crate) fn map_err(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::RowNotFound => StoreError::not_found(what),
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(e.to_string())
        }
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict { what },
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::not_found(what),
        _ => StoreError::Other(format!("{what}: {e}")),
    }
}
