//! The shared conformance suite against PostgreSQL: a fresh database per test.

// Test code: a failed unwrap is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haven_store::conformance::TestDatabase;
use haven_store::{Store, conformance_suite};
use haven_store_postgres::testing::TestPostgres;

struct Fresh(TestPostgres);

#[async_trait::async_trait]
impl TestDatabase for Fresh {
    fn store(&self) -> &dyn Store {
        self.0.store()
    }

    async fn finish(self) {
        self.0.drop_database().await;
    }
}

async fn fresh() -> Option<Fresh> {
    TestPostgres::create().await.unwrap().map(Fresh)
}

conformance_suite!(fresh);
