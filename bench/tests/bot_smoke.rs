//! A few seconds of `bench/run bot`, so the load generator and the bare baseline cannot
//! rot: on the app (both databases, both storage modes) and on the bare baseline, every
//! chat starts and every question gets exactly its answer. (No speed is asserted.)

use marktchat_bench::botload::{self, Options, Report};
use marktchat_services::db::Backend;
use marktchat_services::testing::TestDatabase;
use marktchat_shared::bot::StorageMode;
use marktchat_test_macros::db_test;
use std::time::Duration;

async fn load(addr: std::net::SocketAddr, mode: StorageMode) -> Report {
    let options = Options {
        addr,
        chats: 30,
        pause: Duration::from_millis(200),
        duration: Duration::from_secs(2),
        mode,
        progress: false,
    };
    botload::run(&options).await.unwrap()
}

fn every_question_answered(report: &Report) {
    assert_eq!(report.started, report.chats as u64, "{report:?}");
    assert!(report.questions >= report.chats as u64, "{report:?}");
    assert_eq!(report.replies, report.questions, "{report:?}");
    assert_eq!(report.errors, 0, "{report:?}");
    assert!(report.p50_ms > 0.0 && report.p50_ms <= report.p99_ms, "{report:?}");
}

#[db_test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_answers_every_question_of_many_chats(backend: Backend) {
    let test_db = TestDatabase::create(backend).await;
    let config = marktchat_server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: test_db.url.clone(),
        data_dir: test_db.dir.path().join("data"),
        site_root: test_db.dir.path().display().to_string(),
        // All chats come from 127.0.0.1, as under bench/run bot.
        bot: marktchat_server::bot::BotSettings {
            sockets_per_address: 1_000,
            ..Default::default()
        },
        bot_messages_per_address_minute: 100_000,
        ..marktchat_server::Config::default()
    };
    let app = marktchat_server::spawn(config, std::future::pending()).await.unwrap();
    every_question_answered(&load(app.addr, StorageMode::Stored).await);
    every_question_answered(&load(app.addr, StorageMode::Private).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bare_baseline_speaks_the_same_frames() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, botload::bare_router()).await });
    every_question_answered(&load(addr, StorageMode::Stored).await);
}
