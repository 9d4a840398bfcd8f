//! The database: one pool, SQLite (embedded default) or PostgreSQL, chosen by URL.
//!
//! Every query in this crate is written once, in SQL both backends accept, with `$1`
//! placeholders (SQLite understands them too), and runs through `sqlx::Any`. Where
//! the backends really differ (full-text search, later), branch on [`Backend`].

use crate::error::Result;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
    /// What is derived from this database and kept in memory, each part keyed by a
    /// version number stored in the database (so every instance sees a change).
    caches: std::sync::Arc<Caches>,
}

/// Derived data kept per database handle (shared by its clones).
#[derive(Default, Debug)]
pub struct Caches {
    /// The compiled contact rules (`contact_rules`), for one `rules_version`.
    pub(crate) rules: std::sync::Mutex<Option<std::sync::Arc<crate::contact_rules::Current>>>,
}

impl Database {
    /// Connects to `url` (`sqlite://path/to/file.db` or `postgres://…`). For SQLite the
    /// file and its directory are created when missing, WAL mode is switched on and
    /// foreign keys are enforced on every connection.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let (url, backend) = normalise_url(url)?;
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            // A request that cannot get a connection soon is answered 503 (Error::Busy)
            // rather than left waiting.
            .acquire_timeout(Duration::from_secs(3))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // secure_delete: deleted rows are overwritten with zeros, so
                        // a deleted transcript leaves no text in the file.
                        conn.execute(
                            "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                             PRAGMA secure_delete = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        if backend == Backend::Sqlite {
            // Persistent in the file: readers no longer block the writer.
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        Ok(Database { pool, backend, caches: Default::default() })
    }

    /// Applies every migration not yet applied. Safe to run at every start.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        // Data that needs Rust to compute (SQLite's LOWER only folds ASCII).
        let filled = crate::listings::Listings::new(self).backfill_computed_columns().await?;
        if filled > 0 {
            tracing::info!(filled, "town keys and search words filled in for older listings");
        }
        Ok(())
    }

    /// Starts a transaction that writes. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`, waiting up to the busy timeout for another writer), so it
    /// cannot fail halfway with "database is locked" when its first read would have to
    /// become a write on a snapshot another writer has moved past. Every transaction in
    /// this crate writes, so every one starts here.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        let statement = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        Ok(self.pool.begin_with(statement).await?)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn caches(&self) -> &Caches {
        &self.caches
    }

    /// After a deletion that must leave no trace in files (a bot transcript): on
    /// SQLite, copies the write-ahead log into the database file and truncates it, so
    /// the log no longer holds the pages as they were before. Rows are already zeroed
    /// in place (`secure_delete`). PostgreSQL keeps no such copy a dump could show.
    ///
    /// A checkpoint cannot finish while another connection reads an older snapshot
    /// (SQLite answers "busy"); it is tried a few times here, and again every hour
    /// (the server's housekeeping), so a busy moment leaves no copy behind for long.
    pub async fn flush_deleted(&self) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        for attempt in 0..5u64 {
            // One row: busy (0 or 1), pages in the log, pages checkpointed.
            let busy: i64 =
                sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.pool).await?;
            if busy == 0 {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(20 * (attempt + 1))).await;
        }
        tracing::debug!("the write-ahead log is in use; it is flushed at the next housekeeping");
        Ok(())
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// Recognises the backend and, for SQLite, makes sure the file can be created.
fn normalise_url(url: &str) -> Result<(String, Backend)> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let rest = rest.trim_start_matches("//");
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path != ":memory:" && !path.is_empty() {
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        crate::Error::Refused(format!(
                            "cannot create the database directory {}: {e}",
                            dir.display()
                        ))
                    })?;
                }
            }
        }
        let query = if query.contains("mode=") {
            query.to_owned()
        } else if query.is_empty() {
            "mode=rwc".to_owned()
        } else {
            format!("{query}&mode=rwc")
        };
        Ok((format!("sqlite://{path}?{query}"), Backend::Sqlite))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok((url.to_owned(), Backend::Postgres))
    } else {
        Err(crate::Error::Refused(format!(
            "unsupported database URL {url:?}: use sqlite://FILE or postgres://…"
        )))
    }
}

/// A fresh, migrated database on `backend`, for unit tests. Keep the second value
/// alive as long as the database is used (dropping it removes the database).
#[cfg(test)]
pub(crate) async fn test_db(backend: Backend) -> (Database, crate::testing::TestDatabase) {
    crate::testing::TestDatabase::migrated(backend).await
}

/// A value bound to a statement built at run time (search filters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlArg {
    Text(String),
    Int(i64),
}

/// How the database would run `sql`: SQLite's `EXPLAIN QUERY PLAN` details, or
/// PostgreSQL's `EXPLAIN` lines with sequential scans and sorts priced out (so a tiny
/// test table still shows whether an index *can* give the order: a plan that sorts
/// anyway has no such index).
#[cfg(test)]
pub(crate) async fn query_plan(db: &Database, sql: &str, args: Vec<SqlArg>) -> Vec<String> {
    use sqlx::Row;
    let mut conn = db.pool().acquire().await.expect("a connection");
    let explain = match db.backend() {
        Backend::Sqlite => format!("EXPLAIN QUERY PLAN {sql}"),
        Backend::Postgres => {
            conn.execute("SET enable_seqscan = off; SET enable_sort = off").await.unwrap();
            format!("EXPLAIN {sql}")
        }
    };
    let mut query = sqlx::query(&explain);
    for a in args {
        query = match a {
            SqlArg::Text(s) => query.bind(s),
            SqlArg::Int(i) => query.bind(i),
        };
    }
    let rows = query.fetch_all(&mut *conn).await.unwrap_or_else(|e| panic!("{explain}: {e}"));
    if db.backend() == Backend::Postgres {
        conn.execute("RESET enable_seqscan; RESET enable_sort").await.unwrap();
    }
    let column = if db.backend() == Backend::Sqlite { 3 } else { 0 };
    rows.iter().map(|r| r.get::<String, _>(column)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = std::env::temp_dir().join(format!("mc-url-{}", std::process::id()));
        let url = format!("sqlite://{}/x.db", dir.display());
        let (u, b) = normalise_url(&url).unwrap();
        assert_eq!(b, Backend::Sqlite);
        assert!(u.ends_with("x.db?mode=rwc"), "{u}");
        assert!(dir.is_dir());
        let (u, _) = normalise_url("sqlite::memory:").unwrap();
        assert_eq!(u, "sqlite://:memory:?mode=rwc");
        let (u, _) = normalise_url("sqlite://a.db?mode=ro").unwrap();
        assert_eq!(u, "sqlite://a.db?mode=ro");
        assert_eq!(normalise_url("postgres://localhost/x").unwrap().1, Backend::Postgres);
        assert!(normalise_url("mysql://x").is_err());
    }
}
