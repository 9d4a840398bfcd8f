//! `marktchat export` and `marktchat import`, as an operator runs them: a whole
//! installation goes SQLite → PostgreSQL → SQLite and loses nothing (every table,
//! compared row by row, and every picture), and a target that is not empty is refused.
//! It needs PostgreSQL, so it runs as `…::postgres` (`--db sqlite` leaves it out).

mod common;

use marktchat_services::conversations::About;
use marktchat_services::db::Backend;
use marktchat_services::images::ImageStore;
use marktchat_services::testing::TestDatabase;
use marktchat_services::transfer::TABLES;
use marktchat_services::{Database, Services, Settings};
use marktchat_shared::chat::{ClientMessageId, MessageText, Seq};
use marktchat_shared::{CurrentUser, Language, Role, UserId};
use sqlx::Row;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn marktchat(args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_marktchat"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("marktchat runs");
    eprintln!("marktchat {}:\n{}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    out
}

fn run(args: &[&str]) {
    let out = marktchat(args);
    assert!(out.status.success(), "marktchat {} failed", args.join(" "));
}

/// Something in every table an export carries.
async fn fill(db: &Database, data: &Path) {
    let store = ImageStore::in_data_dir(data);
    let opts = marktchat_services::seed::SeedOptions {
        users: 6,
        listings: 30,
        images: true,
        seed: 5,
        password: None,
    };
    marktchat_services::seed::seed(db, Some(&store), &opts, &mut |_, _, _| {}).await.unwrap();
    let services =
        Services::new(db.clone(), Settings { data_dir: data.into(), ..Default::default() });
    let people = marktchat_services::testing::users_with_sessions(
        db,
        ["Bea Buyer".to_owned(), "Carl".to_owned()],
    )
    .await
    .unwrap();
    let (buyer, carl) = (people[0].0.clone(), people[1].0.clone());
    let (listing, seller): (String, String) = sqlx::query_as(
        "SELECT id, seller_id FROM listings WHERE status = 'active' ORDER BY id LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let text = |t: &str| MessageText::parse(t).unwrap();
    let id = |t: &str| ClientMessageId::parse(t).unwrap();
    let sent = services
        .start_conversation(&buyer, &About::Listing(listing.clone()), &id("t1"), &text("Noch da?"))
        .await
        .unwrap();
    let c = sent.message.conversation;
    services
        .send_message(&UserId(seller.clone()), &c, &id("t2"), &text("Ja, gern."))
        .await
        .unwrap();
    services.mark_read(&buyer, &c, Seq(2)).await.unwrap();
    services.set_blocked(&carl, &buyer, true).await.unwrap();
    let me = CurrentUser {
        id: buyer.clone(),
        display_name: "Bea".into(),
        role: Role::User,
        language: Language::De,
        time_zone: None,
    };
    services.listings().set_favourite(&me, &listing, true).await.unwrap();
    let rules = marktchat_services::contact_rules::ContactRules::new(db);
    let operator = marktchat_services::audit::Actor::Operator;
    let berlin = marktchat_shared::rules::Tag::parse("Berlin").unwrap();
    rules.set_user_tags(&operator, &buyer, &[berlin]).await.unwrap();
    let draft = marktchat_shared::rules::draft::RuleDraft::check_form(
        "hasTag(Berlin)",
        &["Stuttgart".to_owned()],
        Some("Berlin schreibt nach Stuttgart"),
    )
    .unwrap();
    rules.create_rule(&operator, draft).await.unwrap();
    rules.set_restrictions(&operator, true).await.unwrap();
    marktchat_services::api_clients::ApiClients::new(db)
        .create("directory", &[marktchat_services::api_clients::Scope::UserRead])
        .await
        .unwrap();
    let chat = uuid::Uuid::new_v4();
    let at = marktchat_services::clock::now();
    let transcripts = marktchat_services::bot::store::Transcripts::new(db);
    transcripts.open(&chat, Language::De, at).await.unwrap();
    transcripts
        .append(
            &chat,
            1,
            &[marktchat_services::bot::store::Line {
                at: at.0,
                sender: marktchat_services::bot::store::Sender::Visitor,
                text: "Wie lösche ich mein Konto?".into(),
                links: vec![],
            }],
        )
        .await
        .unwrap();
    marktchat_services::bot::store::Stats::new(db)
        .count(
            at,
            marktchat_services::bot::store::Counts {
                chats_started: 1,
                chats_ended: 1,
                messages_received: 1,
                messages_sent: 1,
            },
        )
        .await
        .unwrap();
}

/// Every row of every table, as text, sorted (SQLite: every column).
async fn dump(db: &Database) -> BTreeMap<&'static str, Vec<String>> {
    let mut all = BTreeMap::new();
    for table in TABLES {
        let rows =
            sqlx::query(&format!("SELECT * FROM {table}")).fetch_all(db.pool()).await.unwrap();
        let mut lines: Vec<String> = rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| match row.try_get::<Option<i64>, _>(i) {
                        Ok(v) => format!("{v:?}"),
                        Err(_) => format!("{:?}", row.try_get::<Option<String>, _>(i).unwrap()),
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        lines.sort();
        all.insert(*table, lines);
    }
    all
}

/// The rows of each table in an export file, sorted.
fn rows_in(file: &Path) -> BTreeMap<String, Vec<String>> {
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    for line in std::fs::read_to_string(file).unwrap().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(name) = value.pointer("/table/name").and_then(|v| v.as_str()) {
            current = name.to_owned();
            tables.entry(current.clone()).or_default();
        } else if let Some(row) = value.get("row") {
            tables.get_mut(&current).unwrap().push(row.to_string());
        }
    }
    for rows in tables.values_mut() {
        rows.sort();
    }
    tables
}

/// Every file under `dir`, relative, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                found.insert(p.strip_prefix(dir).unwrap().to_owned(), std::fs::read(&p).unwrap());
            }
        }
    }
    found
}

mod a_round_trip_sqlite_postgres_sqlite_loses_nothing {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let source = TestDatabase::create(Backend::Sqlite).await;
        let source_data = source.dir.path().join("data");
        let db = Database::connect(&source.url).await.unwrap();
        db.migrate().await.unwrap();
        fill(&db, &source_data).await;
        let before = dump(&db).await;
        for (table, rows) in &before {
            assert!(!rows.is_empty(), "the test fills {table}");
        }

        let middle = TestDatabase::create(Backend::Postgres).await;
        let back = TestDatabase::create(Backend::Sqlite).await;
        let work = tempfile::tempdir().unwrap();
        let (first, second) = (work.path().join("first.jsonl"), work.path().join("second.jsonl"));
        let path = |p: &Path| p.to_str().unwrap().to_owned();
        let (middle_data, back_data) =
            (middle.dir.path().join("data"), back.dir.path().join("data"));
        run(&[
            "export",
            "--database-url",
            &source.url,
            "--data-dir",
            &path(&source_data),
            "--out",
            &path(&first),
            "--sessions",
        ]);
        run(&[
            "import",
            "--database-url",
            &middle.url,
            "--data-dir",
            &path(&middle_data),
            "--in",
            &path(&first),
        ]);
        run(&[
            "export",
            "--database-url",
            &middle.url,
            "--data-dir",
            &path(&middle_data),
            "--out",
            &path(&second),
            "--sessions",
        ]);
        run(&[
            "import",
            "--database-url",
            &back.url,
            "--data-dir",
            &path(&back_data),
            "--in",
            &path(&second),
        ]);

        // PostgreSQL held every row of every table (each exported column).
        assert_eq!(rows_in(&first), rows_in(&second));
        // Back on SQLite: every column of every row as it was.
        let back_db = Database::connect(&back.url).await.unwrap();
        let after = dump(&back_db).await;
        for table in TABLES {
            assert_eq!(before[table], after[table], "{table}");
        }
        // Every picture, byte for byte, on each side.
        let pictures = files(&source_data);
        assert!(pictures.len() >= 2, "{pictures:?}");
        assert_eq!(pictures, files(&middle_data));
        assert_eq!(pictures, files(&back_data));
        // The search index was rebuilt from the listings: a word of a listing finds the
        // same listings as before.
        let (text,): (String,) =
            sqlx::query_as("SELECT search_text FROM listings ORDER BY id LIMIT 1")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let word = text.split_whitespace().next().expect("an indexed word").to_owned();
        let search = |db: Database, word: String| async move {
            let found: Vec<(i64,)> = sqlx::query_as(
                "SELECT rowid FROM listings_fts WHERE listings_fts MATCH $1 ORDER BY rowid",
            )
            .bind(format!("{word}*"))
            .fetch_all(db.pool())
            .await
            .unwrap();
            found.len()
        };
        let found = search(db.clone(), word.clone()).await;
        assert!(found > 0, "{word}");
        assert_eq!(found, search(back_db.clone(), word).await);

        // A target that is not empty is refused, and says why.
        let out = marktchat(&[
            "import",
            "--database-url",
            &back.url,
            "--data-dir",
            &path(&back_data),
            "--in",
            &path(&first),
        ]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
        // An existing file is never overwritten by an export.
        let out = marktchat(&["export", "--database-url", &back.url, "--out", &path(&first)]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("must not exist"));
    }
}
