//! The privacy proof (spec/webchat.md, "What proves it"). The real `marktchat`
//! binary, logging everything down to `debug`, runs three chats:
//!
//! - a private chat, including a complete find-a-listing dialog;
//! - a stored chat, deleted afterwards by its code;
//! - a stored chat from a distinctive client address (`X-Forwarded-For` with
//!   `--trust-proxy`), which stays.
//!
//! Then the database as files (SQLite: the database, its WAL and shared memory) or as
//! a dump (PostgreSQL: `pg_dump`) and the whole server log are read. The private and
//! deleted texts and the address appear nowhere; the kept chat's text is found (so
//! the search itself works); statistics rows hold whole hours and counts only.

mod common;

use common::bot::bot_connect;
use common::{db_test, Backend, ServerProcess};
use marktchat_shared::bot::{BotClientFrame, BotServerFrame, FindListing, StorageMode};
use marktchat_shared::Language;
use sqlx::{Column, Row};

const PRIVATE: &str = "Zebrafink-Privatsache-4711";
const PRIVATE_SEARCH: &str = "Nashornvogel";
const DELETED: &str = "Okapi-Geheimnis-0815";
const KEPT: &str = "Guerteltier-gespeichert-2342";
const ADDRESS: &str = "203.0.113.77";

/// Says `text` with the dialog state so far; the reply's new state.
async fn step(
    bot: &mut common::bot::BotSocket,
    text: &str,
    dialog: Option<FindListing>,
) -> Option<FindListing> {
    bot.send(BotClientFrame::Say { text: text.into(), dialog }).await;
    match bot.next().await {
        BotServerFrame::Reply { dialog, .. } => dialog,
        other => panic!("no reply: {other:?}"),
    }
}

/// Everything the database holds, as bytes: its files, or a dump.
fn database_bytes(server: &ServerProcess, backend: Backend) -> Vec<u8> {
    match backend {
        Backend::Sqlite => {
            let files = server.database_files();
            assert!(files.iter().any(|f| f.to_string_lossy().ends_with("marktchat.db-wal")));
            files.iter().flat_map(|f| std::fs::read(f).unwrap()).collect()
        }
        Backend::Postgres => {
            let out = std::process::Command::new(pg_dump())
                .args(["--no-owner", "--dbname", server.database_url()])
                .output()
                .expect("pg_dump runs");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        }
    }
}

/// `pg_dump` from PATH, or from Debian's versioned PostgreSQL directory.
fn pg_dump() -> std::path::PathBuf {
    let on_path = std::process::Command::new("pg_dump").arg("--version").output();
    if on_path.is_ok_and(|o| o.status.success()) {
        return "pg_dump".into();
    }
    let mut found: Vec<_> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin/pg_dump"))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop().expect("pg_dump is installed (PostgreSQL's client programs)")
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[db_test]
async fn private_and_deleted_chats_and_addresses_leave_no_trace(backend: Backend) {
    let server = ServerProcess::start_logging(
        backend,
        &["--trust-proxy", "--public-url", "http://marktchat.test"],
        "debug",
    )
    .await;

    // 1. A private chat, with a whole find-a-listing dialog.
    let mut private = bot_connect(server.addr, &[]).await.unwrap();
    private.start(Language::De, StorageMode::Private).await;
    private.say(&format!("Hallo, {PRIVATE}")).await;
    private.send(BotClientFrame::Choose { intent: "find-listing".into(), dialog: None }).await;
    let BotServerFrame::Reply { dialog, .. } = private.next().await else { panic!("no dialog") };
    let dialog = step(&mut private, PRIVATE_SEARCH, dialog).await;
    let dialog = step(&mut private, "egal", dialog).await;
    let done = step(&mut private, "egal", dialog).await;
    assert_eq!(done, None, "the dialog searched");
    private.end().await;

    // 2. A stored chat, then deleted by its code.
    let mut stored = bot_connect(server.addr, &[]).await.unwrap();
    let code = stored.start(Language::De, StorageMode::Stored).await;
    stored.say(&format!("Frage zu {DELETED}")).await;
    stored.end().await;
    let mut later = bot_connect(server.addr, &[]).await.unwrap();
    assert_eq!(later.delete(&[&code.to_string()]).await, BotServerFrame::Deleted);
    drop(later);

    // 3. A stored chat from a distinctive address; it stays.
    let mut kept = bot_connect(server.addr, &[("x-forwarded-for", ADDRESS)]).await.unwrap();
    kept.start(Language::De, StorageMode::Stored).await;
    kept.say(&format!("Frage zu {KEPT}")).await;
    kept.end().await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let data = database_bytes(&server, backend);
    assert!(contains(&data, KEPT), "the scan finds what is kept");
    let log = server.log();
    assert!(log.contains("/bot/ws"), "the log covers the chats");
    for secret in [PRIVATE, PRIVATE_SEARCH, DELETED, ADDRESS] {
        assert!(!contains(&data, secret), "{secret} is in the database");
        assert!(!log.contains(secret), "{secret} is in the server log");
    }

    // Statistics rows: an hour and four counts, nothing else.
    let db = marktchat_services::Database::connect(server.database_url()).await.unwrap();
    let rows = sqlx::query("SELECT * FROM bot_stats").fetch_all(db.pool()).await.unwrap();
    assert!(!rows.is_empty());
    for row in &rows {
        let columns: Vec<&str> = row.columns().iter().map(|c| c.name()).collect();
        assert_eq!(
            columns,
            ["hour", "chats_started", "chats_ended", "messages_received", "messages_sent"]
        );
        let hour: i64 = row.get("hour");
        assert_eq!(hour % 3_600_000, 0, "whole hours only");
    }
    let started: i64 = rows.iter().map(|r| r.get::<i64, _>("chats_started")).sum();
    assert_eq!(started, 3);
}
