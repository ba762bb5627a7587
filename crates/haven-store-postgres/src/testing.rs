//! Throwaway databases for tests: each test gets a database of its own on the server named by
//! `HAVEN_TEST_POSTGRES_URL`, so tests run in parallel and leave nothing behind.

use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::{ConnectOptions, Connection};
use uuid::Uuid;

use crate::PostgresStore;

/// The variable naming the test server.
pub const TEST_URL_VAR: &str = "HAVEN_TEST_POSTGRES_URL";

/// Whether this run must cover PostgreSQL (in CI, or when the developer asks), in which case
/// a missing server is an error rather than a skip.
pub fn postgres_required() -> bool {
    let set =
        |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    set("CI") || set("HAVEN_REQUIRE_POSTGRES")
}

/// A fresh, migrated database on the test server.
#[derive(Debug)]
pub struct TestPostgres {
    admin: PgConnectOptions,
    name: String,
    store: PostgresStore,
    url: String,
}

impl TestPostgres {
    /// Creates a database for one test. `Ok(None)` when no test server is configured and this
    /// run does not require one; `Err` says what went wrong otherwise.
    pub async fn create() -> Result<Option<Self>, String> {
        let Ok(url) = std::env::var(TEST_URL_VAR) else {
            if postgres_required() {
                return Err(format!(
                    "{TEST_URL_VAR} is not set, and this run must cover PostgreSQL: \
                     run scripts/test, which starts a throwaway server"
                ));
            }
            eprintln!("note: {TEST_URL_VAR} is not set; this PostgreSQL test did not run");
            return Ok(None);
        };
        let admin: PgConnectOptions = url
            .parse()
            .map_err(|e| format!("{TEST_URL_VAR} is not a valid PostgreSQL URL: {e}"))?;
        let name = format!("haven_test_{}", Uuid::new_v4().simple());
        let mut conn = admin
            .connect()
            .await
            .map_err(|e| format!("cannot connect to the test PostgreSQL server: {e}"))?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .map_err(|e| format!("cannot create test database {name}: {e}"))?;
        conn.close().await.ok();
        let options = admin.clone().database(&name);
        let store = PostgresStore {
            pool: PgPool::connect_with(options.clone())
                .await
                .map_err(|e| format!("cannot connect to test database {name}: {e}"))?,
        };
        store.migrate().await.map_err(|e| e.to_string())?;
        let url = database_url(&url, &name);
        Ok(Some(Self {
            admin,
            name,
            store,
            url,
        }))
    }

    /// The store on the fresh database.
    pub fn store(&self) -> &PostgresStore {
        &self.store
    }

    /// A URL for the fresh database, for starting a Haven process on it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Closes connections and drops the database.
    pub async fn drop_database(self) {
        self.store.pool.close().await;
        if let Ok(mut conn) = self.admin.connect().await {
            let _ = sqlx::query(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn)
            .await;
            conn.close().await.ok();
        }
    }
}

/// `url` with its database name replaced by `name`.
fn database_url(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    // The path starts at the first '/' after "scheme://authority".
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            database_url(
                "postgres://u:p@127.0.0.1:5433/postgres?sslmode=disable",
                "t1"
            ),
            "postgres://u:p@127.0.0.1:5433/t1?sslmode=disable"
        );
        assert_eq!(
            database_url("postgres://localhost", "t2"),
            "postgres://localhost/t2"
        );
    }
}
