//! Each page runs each query once per request. Server-side rendering builds a page's
//! components more than once; before the per-request cache (`app::api::ctx`), every
//! query of a page ran three times. This test counts the SQL statements sqlx runs for
//! one request of each page, on both databases.
//!
//! The count is process-wide (sqlx reports statements through `tracing`, target
//! `sqlx::query`), so this file holds this one test and its two runs take turns.

mod common;

use common::{db_test, spawn_app, Backend, PASSWORD};
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
/// The statements themselves, for the failure message.
static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" || field.name() == "db.statement" {
            self.0.push_str(&format!("{value:?} "));
        }
    }
}
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut summary = Summary(String::new());
        event.record(&mut summary);
        // A new connection's own setup (SQLite pragmas, PostgreSQL settings) is not
        // the page's doing.
        let statement = summary.0.trim_start_matches(['"', ' ']);
        if statement.starts_with("PRAGMA") || statement.starts_with("SET ") {
            return;
        }
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
        SEEN.lock().unwrap().push(summary.0);
    }
}

fn count_statements() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let filter = tracing_subscriber::filter::Targets::new()
            .with_target("sqlx::query", tracing::Level::TRACE);
        let subscriber = tracing_subscriber::registry().with(CountStatements.with_filter(filter));
        tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");
    });
}

/// The statement count once it stops moving: SQLite's driver runs statements on a
/// worker thread and may log one a moment after its result reached the page.
async fn settled_count() -> usize {
    let mut last = STATEMENTS.load(Ordering::SeqCst);
    for _ in 0..20 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let now = STATEMENTS.load(Ordering::SeqCst);
        if now == last {
            return now;
        }
        last = now;
    }
    last
}

#[db_test]
async fn every_page_runs_each_query_once(backend: Backend) {
    count_statements();
    let _turn = ONE_AT_A_TIME.lock().await;
    let app = spawn_app(backend).await;
    let seller = app.registered("seller@example.de", "Sabine Seller", PASSWORD).await;
    let form = reqwest::multipart::Form::new()
        .text("title", "Holzstuhl")
        .text("description", "Ein Stuhl")
        .text("price_kind", "fixed")
        .text("price", "20")
        .text("category", "home-garden/furniture")
        .text("postal_code", "10115")
        .text("city", "Berlin");
    let res = seller
        .client
        .post(app.url("/api/listings/save"))
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let id: String = res.json().await.unwrap();
    let me: serde_json::Value = seller.call("/api/profile/me", &[]).await.json().await.unwrap();
    let me = me["id"].as_str().expect("my id").to_owned();

    // Someone else, so the directory has a "Message" button to decide.
    let other = app.registered("other@example.de", "Otto Other", PASSWORD).await;
    let other: serde_json::Value = other.call("/api/profile/me", &[]).await.json().await.unwrap();
    let other = other["id"].as_str().expect("their id").to_owned();

    // The compiled contact rules are loaded once per change of them, not per page: load
    // them before counting.
    seller.html("/users").await;

    let visitor = app.browser();
    // (page, who asks, statements): a visitor has no session to look up; a logged-in
    // member's request first reads their session (one statement), and the header counts
    // their unread messages (one more). Search and category pages count their results
    // (one more); the start page's latest listings do not.
    let pages: Vec<(String, &common::Browser, usize)> = vec![
        ("/".into(), &visitor, 1),
        ("/search?q=stuhl".into(), &visitor, 2),
        ("/search?sort=price_asc".into(), &visitor, 2),
        ("/c/home-garden".into(), &visitor, 2),
        (format!("/listings/{id}"), &visitor, 2),
        // A member's page: the member (with how active they are), their recent reply
        // times, a page of their listings and how many in all.
        (format!("/users/{me}"), &visitor, 4),
        ("/".into(), &seller, 3),
        // The seller's own listing: also who wrote about it (to mark it sold to one).
        (format!("/listings/{id}"), &seller, 6),
        ("/profile".into(), &seller, 4),
        ("/profile?section=listings".into(), &seller, 4),
        ("/profile?section=watch-list".into(), &seller, 3),
        // The directory's "Message" buttons: the direct conversations, the blocks and
        // the contact rules' version, for the whole page at once.
        ("/users".into(), &seller, 7),
        (format!("/users/{other}"), &seller, 9),
        ("/messages".into(), &seller, 3),
    ];
    for (path, who, expected) in pages {
        let before = STATEMENTS.load(Ordering::SeqCst);
        SEEN.lock().unwrap().clear();
        let (status, _) = who.html(&path).await;
        let ran = settled_count().await - before;
        assert_eq!(status, reqwest::StatusCode::OK, "{path}");
        let seen = SEEN.lock().unwrap().join("\n");
        assert_eq!(ran, expected, "{path}: {ran} statements, expected {expected}:\n{seen}");
    }
}
