//! Many people at once: every page load gets its page. Rendering builds a page's frame
//! more than once, and leptos_meta reads the `<title>` after rendering, when an earlier
//! build may be gone; reading a disposed signal there panicked about once in a
//! thousand loads under concurrent traffic, which the visitor saw as a broken
//! connection. Not a benchmark: nothing here is timed.

mod common;

use common::{db_test, spawn_app, Backend, PASSWORD};
use reqwest::StatusCode;

#[db_test]
async fn every_one_of_many_concurrent_page_loads_gets_its_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let member = app.registered("viele@example.de", "Vera Viele", PASSWORD).await;
    let visitor = app.browser();
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..24 {
        // Half of them logged in (their frame has the live parts), half visitors.
        let client = if task % 2 == 0 { member.client.clone() } else { visitor.client.clone() };
        let urls: Vec<String> =
            ["/", "/search?q=stuhl", "/c/home-garden"].iter().map(|p| app.url(p)).collect();
        tasks.spawn(async move {
            let mut failures = Vec::new();
            for i in 0..40 {
                let url = &urls[i % urls.len()];
                match client.get(url).send().await {
                    Ok(res) if res.status() == StatusCode::OK => {
                        let body = res.text().await.unwrap_or_default();
                        if !body.contains("</html>") {
                            failures.push(format!("{url}: cut short"));
                        }
                    }
                    Ok(res) => failures.push(format!("{url}: {}", res.status())),
                    Err(e) => failures.push(format!("{url}: {e}")),
                }
            }
            failures
        });
    }
    let mut failures = Vec::new();
    while let Some(done) = tasks.join_next().await {
        failures.extend(done.unwrap());
    }
    assert!(failures.is_empty(), "{} of 960 loads failed: {failures:?}", failures.len());
}
