//! Moving a whole installation: [`export`] writes every table and every stored file
//! to one file; [`import`] reads it into an empty installation, on either database and
//! either storage. So SQLite → PostgreSQL (the way to grow), PostgreSQL → SQLite, and
//! a data folder → an S3 bucket are one command each.
//!
//! The file is JSON Lines, one object a line: a header (format, the schema's migration
//! version, the tables with their row counts), then per table a `table` line with its
//! columns and a `row` line per row (values in column order: numbers, text or null),
//! then a `file` line per stored file (its key and its bytes in base64), then `end`.
//! The export reads one snapshot of the database (a read-only transaction). The import
//! checks the schema version and that the target is empty, writes in transactions of
//! [`BATCH`] rows, and compares every table's count with the header at the end.
//!
//! Derived data is not carried: SQLite's full-text index fills itself from `listings`
//! (triggers), PostgreSQL's `tsvector` column is generated; attempt-limit counts, job
//! claims, connection leases and failed forms on their way back are transient. Sessions are carried only when asked (`sessions`).

use crate::db::{Backend, Database};
use crate::error::{Error, Result};
use crate::storage::Storage;
use base64::Engine;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

/// The tables an export carries, parents before children.
pub const TABLES: &[&str] = &[
    "users",
    "sessions",
    "listings",
    "listing_images",
    "favourites",
    "conversations",
    "conversation_participants",
    "messages",
    "blocks",
    "settings",
    "user_tags",
    "contact_rules",
    "api_clients",
    "audit_log",
    "bot_chats",
    "bot_messages",
    "bot_stats",
];

/// Rows written per transaction on import.
pub const BATCH: usize = 500;
const FORMAT: &str = "marktchat-export";
const VERSION: u32 = 1;

/// One line of the file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Line {
    Header { format: String, version: u32, schema: i64, counts: BTreeMap<String, u64>, files: u64 },
    Table { name: String, columns: Vec<String> },
    Row(Vec<Value>),
    File { key: String, data: String },
    End { counts: BTreeMap<String, u64>, files: u64 },
}

/// What a transfer reports as it goes (a progress bar in the CLI).
pub trait Progress {
    /// A new stage with `total` steps (rows of a table, files).
    fn stage(&mut self, name: &str, total: u64);
    fn advance(&mut self, n: u64);
}

/// No progress shown (tests).
pub struct Quiet;

impl Progress for Quiet {
    fn stage(&mut self, _: &str, _: u64) {}
    fn advance(&mut self, _: u64) {}
}

/// What was moved: rows per table, and files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    pub counts: BTreeMap<String, u64>,
    pub files: u64,
}

/// A column as the target stores it.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    integer: bool,
}

/// The columns of `table` that hold data (not generated ones), in table order.
async fn columns(conn: &mut AnyConnection, backend: Backend, table: &str) -> Result<Vec<Column>> {
    let rows: Vec<(String, String)> = match backend {
        Backend::Sqlite => {
            sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(&mut *conn)
                .await?
        }
        Backend::Postgres => {
            sqlx::query_as(
                "SELECT column_name::text, data_type::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1
                   AND is_generated = 'NEVER' AND data_type <> 'tsvector'
                 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    if rows.is_empty() {
        return Err(Error::inconsistent(format!("the table {table} is missing")));
    }
    Ok(rows
        .into_iter()
        .map(|(name, kind)| Column { integer: kind.to_ascii_lowercase().contains("int"), name })
        .collect())
}

/// The newest migration the database has.
async fn schema_version(conn: &mut AnyConnection) -> Result<i64> {
    let (v,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&mut *conn).await?;
    Ok(v.unwrap_or(0))
}

fn write_line(out: &mut impl Write, line: &Line) -> Result<()> {
    serde_json::to_writer(&mut *out, line)
        .map_err(|e| Error::internal("cannot write the export", e))?;
    out.write_all(b"\n").map_err(|e| Error::internal("cannot write the export", e))
}

/// Writes the whole installation (`db` and the files in `storage`) to `out`. With
/// `sessions`, the sessions too (whoever is logged in stays logged in).
pub async fn export(
    db: &Database,
    storage: &Storage,
    out: &mut impl Write,
    sessions: bool,
    progress: &mut dyn Progress,
) -> Result<Moved> {
    let begin = match db.backend() {
        Backend::Sqlite => "BEGIN",
        Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    let mut tx = db.pool().begin_with(begin).await?;
    let tables: Vec<&str> =
        TABLES.iter().copied().filter(|t| sessions || *t != "sessions").collect();
    let mut counts = BTreeMap::new();
    for table in &tables {
        let (n,): (i64,) =
            sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut *tx).await?;
        counts.insert(table.to_string(), u64::try_from(n).unwrap_or(0));
    }
    let files =
        storage.list("images").await.map_err(|e| Error::internal("cannot list files", e))?;
    let schema = schema_version(&mut tx).await?;
    write_line(
        out,
        &Line::Header {
            format: FORMAT.into(),
            version: VERSION,
            schema,
            counts: counts.clone(),
            files: files.len() as u64,
        },
    )?;
    let mut moved = Moved::default();
    for table in &tables {
        let cols = columns(&mut tx, db.backend(), table).await?;
        progress.stage(table, counts[*table]);
        write_line(
            out,
            &Line::Table {
                name: table.to_string(),
                columns: cols.iter().map(|c| c.name.clone()).collect(),
            },
        )?;
        let list = cols.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT {list} FROM {table}");
        let mut rows = sqlx::query(&sql).fetch(&mut *tx);
        let mut n = 0u64;
        while let Some(row) = rows.try_next().await? {
            let mut values = Vec::with_capacity(cols.len());
            for (i, c) in cols.iter().enumerate() {
                values.push(if c.integer {
                    row.try_get::<Option<i64>, _>(i)?.map_or(Value::Null, Value::from)
                } else {
                    row.try_get::<Option<String>, _>(i)?.map_or(Value::Null, Value::from)
                });
            }
            write_line(out, &Line::Row(values))?;
            n += 1;
            progress.advance(1);
        }
        drop(rows);
        moved.counts.insert(table.to_string(), n);
    }
    tx.commit().await?;
    progress.stage("files", files.len() as u64);
    let b64 = base64::engine::general_purpose::STANDARD;
    for file in &files {
        let Some(bytes) =
            storage.get(&file.key).await.map_err(|e| Error::internal("cannot read a file", e))?
        else {
            // Removed meanwhile by the hourly sweep: nothing shows it.
            progress.advance(1);
            continue;
        };
        write_line(out, &Line::File { key: file.key.clone(), data: b64.encode(bytes) })?;
        moved.files += 1;
        progress.advance(1);
    }
    write_line(out, &Line::End { counts: moved.counts.clone(), files: moved.files })?;
    out.flush().map_err(|e| Error::internal("cannot write the export", e))?;
    if moved.counts != counts {
        return Err(Error::inconsistent(format!(
            "the export read other counts than it found at its start: {:?} vs {counts:?}",
            moved.counts
        )));
    }
    Ok(moved)
}

fn unreadable(line: usize, why: impl std::fmt::Display) -> Error {
    Error::inconsistent(format!("the export file cannot be read at line {line}: {why}"))
}

/// Reads an export into `db` and `storage`. The database must be migrated to the same
/// schema as the export's and hold no data yet (its settings are replaced); files are
/// written whatever the storage holds (they are named by their content).
pub async fn import(
    db: &Database,
    storage: &Storage,
    input: impl BufRead,
    progress: &mut dyn Progress,
) -> Result<Moved> {
    let mut lines = input.lines().enumerate().map(|(i, l)| (i + 1, l));
    let mut next = move || -> Result<Option<(usize, Line)>> {
        match lines.next() {
            None => Ok(None),
            Some((n, Err(e))) => Err(unreadable(n, e)),
            Some((n, Ok(text))) => {
                serde_json::from_str(&text).map(|l| Some((n, l))).map_err(|e| unreadable(n, e))
            }
        }
    };
    let Some((_, Line::Header { format, version, schema, counts, files })) = next()? else {
        return Err(unreadable(1, "no marktchat export header"));
    };
    if format != FORMAT || version != VERSION {
        return Err(unreadable(1, format!("{format} version {version} is not an export of ours")));
    }
    let mut conn = db.pool().acquire().await?;
    let here = schema_version(&mut conn).await?;
    if here != schema {
        return Err(Error::inconsistent(format!(
            "the export has schema version {schema}, this database {here}: import with the \
             version of marktchat that made the export"
        )));
    }
    for table in TABLES.iter().filter(|t| **t != "settings") {
        let (n,): (i64,) =
            sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut *conn).await?;
        if n > 0 {
            return Err(Error::inconsistent(format!(
                "the target is not empty ({table} has {n} rows): import into a fresh database"
            )));
        }
    }
    drop(conn);
    let mut moved = Moved::default();
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut line = next()?;
    while let Some((at, current)) = line.take() {
        match current {
            Line::Table { name, columns: named } => {
                if !TABLES.contains(&name.as_str()) {
                    return Err(unreadable(at, format!("unknown table {name}")));
                }
                progress.stage(&name, counts.get(&name).copied().unwrap_or(0));
                let (n, after) = import_table(db, &name, &named, &mut next, progress).await?;
                moved.counts.insert(name, n);
                line = after;
            }
            Line::File { key, data } => {
                if moved.files == 0 {
                    progress.stage("files", files);
                }
                let bytes = b64.decode(data).map_err(|e| unreadable(at, e))?;
                if !key.starts_with("images/") || key.contains("..") {
                    return Err(unreadable(at, format!("a file outside images/: {key}")));
                }
                storage
                    .put(&key, bytes)
                    .await
                    .map_err(|e| Error::internal("cannot write a file", e))?;
                moved.files += 1;
                progress.advance(1);
                line = next()?;
            }
            Line::End { counts: written, files: files_written } => {
                if written != counts || files_written != moved.files {
                    return Err(unreadable(at, "the export ends with other counts than it began"));
                }
                break;
            }
            Line::Header { .. } | Line::Row(_) => {
                return Err(unreadable(at, "a line out of place"));
            }
        }
        if line.is_none() {
            return Err(unreadable(at, "the file ends before its end line (cut off?)"));
        }
    }
    // Every table holds what the export had.
    for (table, expected) in &counts {
        let (n,): (i64,) =
            sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.pool()).await?;
        if u64::try_from(n).unwrap_or(0) != *expected {
            return Err(Error::inconsistent(format!(
                "after the import {table} has {n} rows, the export {expected}"
            )));
        }
    }
    if db.backend() == Backend::Postgres {
        // Fresh statistics, or the first queries plan for empty tables.
        sqlx::query("ANALYZE").execute(db.pool()).await?;
    }
    Ok(moved)
}

/// Reads the rows after a `table` line into `table`; returns how many, and the line
/// after them.
async fn import_table(
    db: &Database,
    table: &str,
    named: &[String],
    next: &mut impl FnMut() -> Result<Option<(usize, Line)>>,
    progress: &mut dyn Progress,
) -> Result<(u64, Option<(usize, Line)>)> {
    let mut tx = db.begin().await?;
    let target = columns(&mut tx, db.backend(), table).await?;
    let cols: Vec<Column> = named
        .iter()
        .map(|n| {
            target.iter().find(|c| &c.name == n).cloned().ok_or_else(|| {
                Error::inconsistent(format!(
                    "{table}.{n} is in the export but not in this database"
                ))
            })
        })
        .collect::<Result<_>>()?;
    if table == "settings" {
        sqlx::query("DELETE FROM settings").execute(&mut *tx).await?;
    }
    let list = named.join(", ");
    let params = (1..=named.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = format!("INSERT INTO {table} ({list}) VALUES ({params})");
    let mut n = 0u64;
    let mut in_batch = 0;
    loop {
        let line = next()?;
        let Some((at, Line::Row(values))) = line else {
            tx.commit().await?;
            return Ok((n, line));
        };
        if values.len() != cols.len() {
            return Err(unreadable(at, format!("a row of {table} with {} values", values.len())));
        }
        let mut query = sqlx::query(&sql);
        for (value, c) in values.into_iter().zip(&cols) {
            query = match (value, c.integer) {
                (Value::Null, true) => query.bind(None::<i64>),
                (Value::Null, false) => query.bind(None::<String>),
                (Value::Number(v), true) => query.bind(
                    v.as_i64()
                        .ok_or_else(|| unreadable(at, format!("{v} in {table}.{}", c.name)))?,
                ),
                (Value::String(s), false) => query.bind(s),
                (other, _) => {
                    return Err(unreadable(at, format!("{other} does not fit {table}.{}", c.name)))
                }
            };
        }
        query.execute(&mut *tx).await?;
        n += 1;
        in_batch += 1;
        progress.advance(1);
        if in_batch == BATCH {
            tx.commit().await?;
            tx = db.begin().await?;
            in_batch = 0;
        }
    }
}
