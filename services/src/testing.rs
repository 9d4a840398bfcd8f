//! Fresh databases for tests, on either backend (feature `test-support`, and this
//! crate's own tests). Every database test is written once and run on both backends
//! with `#[db_test]` (crate `marktchat-test-macros`).
//!
//! - SQLite: a new file in a temporary directory.
//! - PostgreSQL: a new database on the server named by `MARKTCHAT_TEST_DATABASE_URL`
//!   (`./scripts/test.sh` starts a throwaway server and sets it), dropped when the
//!   [`TestDatabase`] is dropped. Without that variable the PostgreSQL half of a test
//!   fails with a message saying how to get one; it never skips silently.

use crate::db::{Backend, Database};

/// The variable naming the PostgreSQL server tests create their databases on.
pub const POSTGRES_URL_VAR: &str = "MARKTCHAT_TEST_DATABASE_URL";

/// A database that exists for one test. Keep it alive while the test runs.
pub struct TestDatabase {
    pub backend: Backend,
    /// What to pass to [`Database::connect`] or `marktchat serve --database-url`.
    pub url: String,
    /// A scratch directory that lives as long as the database (the SQLite file is in
    /// it; tests may put other files there too).
    pub dir: tempfile::TempDir,
    /// `(server URL, database name)` of a PostgreSQL database to drop afterwards.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// Creates an empty database (not yet migrated).
    pub async fn create(backend: Backend) -> TestDatabase {
        let dir = tempfile::tempdir().expect("a temporary directory");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}/marktchat.db", dir.path().display());
                TestDatabase { backend, url, dir, postgres: None }
            }
            Backend::Postgres => {
                let server = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
                    panic!(
                        "this test runs on PostgreSQL and {POSTGRES_URL_VAR} is not set. \
                         `./scripts/test.sh --only rust` starts a throwaway server and sets it; \
                         or point it at a server where this user may create databases; \
                         or run the SQLite half only: `cargo test -- --skip ::postgres`"
                    )
                });
                let name = format!("marktchat_test_{}", uuid::Uuid::new_v4().simple());
                admin(&server, &format!("CREATE DATABASE {name}")).await;
                let url = with_database(&server, &name);
                TestDatabase { backend, url, dir, postgres: Some((server, name)) }
            }
        }
    }

    /// Creates the database, connects and migrates it.
    pub async fn migrated(backend: Backend) -> (Database, TestDatabase) {
        let test_db = TestDatabase::create(backend).await;
        let db = Database::connect(&test_db.url).await.expect("the test database opens");
        db.migrate().await.expect("the test database migrates");
        (db, test_db)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else { return };
        // Drop runs outside async code (or inside a runtime that is shutting down):
        // a thread with its own runtime does the round trip.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for dropping the test database")
                .block_on(admin(&server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        })
        .join();
        if dropped.is_err() && !std::thread::panicking() {
            panic!("could not drop a test database");
        }
    }
}

/// Runs one statement on the server's maintenance connection.
async fn admin(server: &str, sql: &str) {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(server).await.unwrap_or_else(|e| {
        panic!("cannot reach the PostgreSQL test server ({POSTGRES_URL_VAR}): {e}")
    });
    conn.execute(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

/// The server URL with its database name replaced: `postgres://u@h:5/postgres?x=1`
/// → `postgres://u@h:5/<name>?x=1`.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

/// A user straight in the database (no password hashing: they cannot log in with a
/// password) with a live session, for tests that need many people quickly. Returns the
/// user's id and the session cookie's value.
pub async fn user_with_session(
    services: &crate::Services,
    name: &str,
) -> (marktchat_shared::UserId, String) {
    users_with_sessions(&services.db, [name.to_owned()]).await.expect("a test user").remove(0)
}

/// Like [`user_with_session`] for many people at once (batches of 500 per
/// transaction), for load generators that need thousands.
pub async fn users_with_sessions(
    db: &Database,
    names: impl IntoIterator<Item = String>,
) -> crate::Result<Vec<(marktchat_shared::UserId, String)>> {
    let now = crate::clock::now().millis();
    let names: Vec<String> = names.into_iter().collect();
    let mut out = Vec::with_capacity(names.len());
    for batch in names.chunks(500) {
        let mut tx = db.begin().await?;
        for name in batch {
            let id = uuid::Uuid::new_v4().to_string();
            let token = crate::sessions::SessionToken::generate();
            sqlx::query(
                "INSERT INTO users (id, email, display_name, name_key, password_hash, role,
                                    language, notify_messages, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, '!', 'user', 'de', 1, $5, $5)",
            )
            .bind(&id)
            .bind(format!("{id}@example.test"))
            .bind(name)
            .bind(name.to_lowercase())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let user = marktchat_shared::UserId(id);
            crate::sessions::insert_session(&mut tx, &user, &token, now).await?;
            out.push((user, token.0));
        }
        tx.commit().await?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(with_database("postgres://u@h:5/postgres", "x"), "postgres://u@h:5/x");
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
        assert_eq!(
            with_database("postgres:///postgres?host=/tmp/pg&port=5433", "x"),
            "postgres:///x?host=/tmp/pg&port=5433"
        );
        assert_eq!(
            with_database("postgresql://u:p@h/db?sslmode=disable", "y"),
            "postgresql://u:p@h/y?sslmode=disable"
        );
    }
}
