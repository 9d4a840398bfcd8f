//! A few seconds of what `bench/run ssr` does, so the baseline cannot rot: the app and
//! the bare baseline both answer every benchmarked page, and list the same listings in
//! the same order. (No speed is asserted: that is for the benchmark.)

use marktchat_services::db::Backend;
use marktchat_services::seed::{seed, SeedOptions};
use marktchat_services::testing::TestDatabase;
use marktchat_services::Database;
use marktchat_test_macros::db_test;

/// The listing ids a page links to, in order.
fn listing_ids(html: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for part in html.split("href=\"/listings/").skip(1) {
        let id: String = part.chars().take_while(|c| *c != '"' && *c != '?').collect();
        if id.len() == 36 && ids.last() != Some(&id) {
            ids.push(id);
        }
    }
    ids
}

#[db_test]
async fn app_and_bare_baseline_show_the_same_listings(backend: Backend) {
    let test_db = TestDatabase::create(backend).await;
    let db = Database::connect(&test_db.url).await.unwrap();
    db.migrate().await.unwrap();
    let opts = SeedOptions { users: 20, listings: 400, images: false, seed: 3, password: None };
    seed(&db, None, &opts, &mut |_, _, _| {}).await.unwrap();

    let config = marktchat_server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: test_db.url.clone(),
        data_dir: test_db.dir.path().join("data"),
        site_root: test_db.dir.path().display().to_string(),
        ..marktchat_server::Config::default()
    };
    let app = marktchat_server::spawn(config, std::future::pending()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bare = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, marktchat_bench::router(db)).await });

    let client = reqwest::Client::new();
    let page = |addr: std::net::SocketAddr, path: &str| {
        let request = client.get(format!("http://{addr}{path}"));
        async move {
            let res = request.send().await.unwrap();
            assert!(res.status().is_success(), "{addr}{}: {}", res.url().path(), res.status());
            res.text().await.unwrap()
        }
    };
    let first = listing_ids(&page(app.addr, "/").await);
    assert_eq!(first.len(), marktchat_shared::search::PAGE_SIZE, "a full first page");
    let paths = [
        "/".to_owned(),
        "/search?q=a".to_owned(),
        "/search?sort=price_asc".to_owned(),
        "/search?sort=price_desc".to_owned(),
        "/c/home-garden".to_owned(),
        "/c/electronics/phones".to_owned(),
    ];
    for path in &paths {
        let (ours, theirs) = (page(app.addr, path).await, page(bare, path).await);
        assert_eq!(listing_ids(&ours), listing_ids(&theirs), "{path}");
    }
    let listing = format!("/listings/{}", first[0]);
    page(app.addr, &listing).await;
    page(bare, &listing).await;
}
