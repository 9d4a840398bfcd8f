//! The built front end goes over the wire compressed and is revalidated with a 304;
//! pages and JSON are compressed by `Accept-Encoding`.

mod common;

use common::{db_test, spawn_app_with, Backend};
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, IF_MODIFIED_SINCE, LAST_MODIFIED,
};
use reqwest::StatusCode;

#[db_test]
async fn front_end_files_are_compressed_and_revalidated(backend: Backend) {
    // A stand-in for the WASM bundle: large and compressible, like the real one.
    let wasm: Vec<u8> = (0..400_000u32).map(|i| (i % 251) as u8 / 3).collect();
    let app = spawn_app_with(backend, |c| {
        let pkg = std::path::Path::new(&c.site_root).join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("marktchat.wasm"), &wasm).unwrap();
        // Built a while ago: the compressed copies made at startup are newer files,
        // yet must answer with the same Last-Modified.
        let built = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        let file = std::fs::File::options().write(true).open(pkg.join("marktchat.wasm")).unwrap();
        file.set_modified(built).unwrap();
        std::fs::write(pkg.join("marktchat.js"), "export default function init() {}\n".repeat(500))
            .unwrap();
    })
    .await;
    let client = reqwest::Client::builder().no_gzip().no_brotli().build().unwrap();
    let get = |path: &str, encoding: &str| {
        client.get(app.url(path)).header(ACCEPT_ENCODING, encoding).send()
    };

    for (encoding, expected) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let res = get("/pkg/marktchat.wasm", encoding).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[CONTENT_ENCODING], expected, "{encoding}");
        assert_eq!(res.headers()["content-type"], "application/wasm");
        let body = res.bytes().await.unwrap();
        assert!(body.len() < wasm.len() / 4, "{encoding}: {} bytes", body.len());
    }
    // Without Accept-Encoding: the file as it is.
    let plain = get("/pkg/marktchat.wasm", "identity").await.unwrap();
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let last_modified = plain.headers()[LAST_MODIFIED].clone();
    assert_eq!(plain.headers()[CACHE_CONTROL], "public, no-cache");
    assert_eq!(plain.bytes().await.unwrap(), wasm);

    // A browser that has it asks again and gets "not modified", no body.
    let again = client
        .get(app.url("/pkg/marktchat.wasm"))
        .header(ACCEPT_ENCODING, "br")
        .header(IF_MODIFIED_SINCE, last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());

    // Pages are compressed too.
    let page = get("/", "gzip").await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(get("/pkg/nothing.js", "br").await.unwrap().status(), StatusCode::NOT_FOUND);
}
