//! A few seconds of `bench/run chat`, so the load generator and the relay cannot rot:
//! on the app (both databases) and on the bare relay, every acknowledged message
//! reaches every socket of its conversation exactly once. (No speed is asserted.)

use marktchat_bench::chatload::{self, Options};
use marktchat_services::db::Backend;
use marktchat_services::testing::TestDatabase;
use marktchat_test_macros::db_test;
use std::time::Duration;

fn options(addr: std::net::SocketAddr) -> Options {
    Options {
        addrs: vec![addr],
        rate: 200.0,
        size: 100,
        duration: Duration::from_secs(2),
        drain: Duration::from_secs(2),
        progress: false,
    }
}

#[db_test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_loses_and_doubles_nothing_under_load(backend: Backend) {
    let test_db = TestDatabase::create(backend).await;
    let config = marktchat_server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: test_db.url.clone(),
        data_dir: test_db.dir.path().join("data"),
        site_root: test_db.dir.path().display().to_string(),
        messages_per_minute: 100_000,
        ..marktchat_server::Config::default()
    };
    let app = marktchat_server::spawn(config, std::future::pending()).await.unwrap();
    let specs = chatload::prepare_app(&app.services.db, 40, &[2, 2, 3]).await.unwrap();
    let report = chatload::run(specs, &options(app.addr)).await.unwrap();
    assert!(report.acked > 0, "{report:?}");
    assert_eq!(report.refused, 0, "{report:?}");
    assert_eq!(report.acked, report.sent, "{report:?}");
    assert_eq!((report.lost, report.doubled), (0, 0), "{report:?}");
    assert_eq!(report.delivered, report.expected, "{report:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bare_relay_speaks_the_same_frames() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, marktchat_bench::relay::router()).await });
    let specs = chatload::prepare_relay(40, &[2, 2, 3]);
    let report = chatload::run(specs, &options(addr)).await.unwrap();
    assert!(report.acked > 0, "{report:?}");
    assert_eq!((report.lost, report.doubled), (0, 0), "{report:?}");
    assert_eq!(report.delivered, report.expected, "{report:?}");
}

#[test]
fn groups_are_split_as_asked_and_nobody_is_alone() {
    assert_eq!(chatload::group_sizes(7, &[2, 2, 3]), [2, 2, 3]);
    assert_eq!(chatload::group_sizes(5, &[2]), [2, 3]);
    assert_eq!(chatload::group_sizes(4, &[3]), [4]);
    assert_eq!(chatload::group_sizes(2, &[2, 3]), [2]);
}
