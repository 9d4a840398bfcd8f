//! The security fixes from the review, each against the real server: cross-site
//! requests, proxy headers, bounded password hashing and login limits, malformed
//! uploads, decompression bombs, upload rates, session rotation and lifetime, and the
//! security headers on every response.

mod common;

use common::{
    db_test, location, set_cookies, spawn_app, spawn_app_with, Backend, TestApp, PASSWORD,
};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, ORIGIN};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use std::time::Duration;

/// A client with no `Origin` and no cookies: what another site's page, or a script,
/// can make a browser send.
fn bare_client() -> Client {
    Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn session_token(cookies: &[String]) -> Option<String> {
    cookies.iter().find_map(|c| {
        let value = c.strip_prefix("marktchat_session=")?.split(';').next()?;
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// Whether `token` still names a live session (a page that needs a login answers).
async fn logged_in_with(app: &TestApp, token: &str) -> bool {
    let res = bare_client()
        .get(app.url("/profile"))
        .header("cookie", format!("marktchat_session={token}"))
        .send()
        .await
        .unwrap();
    res.status() == StatusCode::OK
}

#[db_test]
async fn cross_site_requests_are_refused_and_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let victim = app.registered("victim@example.de", "Victim", PASSWORD).await;
    app.registered("attacker@example.de", "Attacker", PASSWORD).await;
    let login = [("email", "attacker@example.de"), ("password", PASSWORD), ("next", "")];

    // Login CSRF: another site's form logs the victim into the attacker's account.
    let res = victim
        .client
        .post(app.url("/api/login"))
        .header(ORIGIN, "http://evil.example")
        .header(ACCEPT, "text/html")
        .form(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(set_cookies(&res).is_empty(), "no session handed out");
    let (_, html) = victim.html("/profile").await;
    assert!(html.contains("Victim") && !html.contains("Attacker"), "still the victim");

    // Forced logout from another site.
    let res = victim
        .client
        .post(app.url("/api/logout"))
        .header(ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(victim.get("/profile").await.status(), StatusCode::OK, "still logged in");

    // The same through Sec-Fetch-Site, and with neither header.
    for (name, value) in [("sec-fetch-site", "cross-site"), ("sec-fetch-site", "same-site")] {
        let res = bare_client()
            .post(app.url("/api/login"))
            .header(name, value)
            .form(&login)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{name}: {value}");
    }
    let res = bare_client().post(app.url("/api/login")).form(&login).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no Origin, no Sec-Fetch-Site");
    // An upload from elsewhere is refused before it is read.
    let res = victim
        .client
        .post(app.url("/api/listings/save"))
        .header(ORIGIN, "http://evil.example")
        .multipart(Form::new().text("title", "Fremd"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The site's own requests pass: by Origin (the harness's browsers send it, as
    // real ones do), or by Sec-Fetch-Site when a browser sends no Origin.
    let res = bare_client()
        .post(app.url("/api/login"))
        .header("sec-fetch-site", "same-origin")
        .header(ACCEPT, "text/html")
        .form(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let res = victim.form_post("/profile", "/api/logout", &[]).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_ne!(victim.get("/profile").await.status(), StatusCode::OK, "logged out");
}

#[db_test]
async fn proxy_headers_are_believed_only_behind_a_trusted_proxy(backend: Backend) {
    let register = |app: &TestApp, email: &str, headers: &[(&'static str, &str)]| {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
            if *k == "x-forwarded-proto" {
                // the browser is on the HTTPS side of the proxy
                let origin = format!("https://{}", app.addr);
                map.insert(ORIGIN, HeaderValue::from_str(&origin).unwrap());
            }
        }
        let request = app
            .browser()
            .client
            .post(app.url("/api/register"))
            .headers(map)
            .header(ACCEPT, "application/json")
            .form(&[("email", email), ("display_name", "Proxy Test"), ("password", PASSWORD)]);
        async move { request.send().await.unwrap() }
    };
    let https = [("x-forwarded-proto", "https")];

    // Without --trust-proxy: the headers are anyone's to write and change nothing.
    let app = spawn_app_with(backend, |c| c.registrations_per_hour = 2).await;
    let res = register(&app, "a@example.de", &https).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(set_cookies(&res).iter().all(|c| !c.contains("Secure")), "not HTTPS");
    assert!(res.headers().get("strict-transport-security").is_none());
    register(&app, "b@example.de", &[("x-forwarded-for", "198.51.100.1")]).await;
    let res = register(&app, "c@example.de", &[("x-forwarded-for", "198.51.100.2")]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "all from the one peer");
    assert!(res.headers().get("retry-after").is_some());

    // With it: HTTPS from X-Forwarded-Proto, the client from the rightmost entry.
    let app = spawn_app_with(backend, |c| {
        c.trust_proxy = true;
        c.public_url = Some("http://marktchat.test".into());
        c.registrations_per_hour = 2;
    })
    .await;
    let res = register(&app, "s@example.de", &https).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(set_cookies(&res)
        .iter()
        .any(|c| c.starts_with("marktchat_session=") && c.contains("; Secure")));
    assert!(res.headers().get("strict-transport-security").is_some());
    // The spoofed leftmost entries differ; the address our proxy added is the same.
    for (i, spoofed) in ["203.0.113.1", "203.0.113.2", "203.0.113.3"].iter().enumerate() {
        let chain = format!("{spoofed}, 198.51.100.7");
        let res = register(&app, &format!("x{i}@example.de"), &[("x-forwarded-for", &chain)]).await;
        let expected = if i < 2 { StatusCode::OK } else { StatusCode::TOO_MANY_REQUESTS };
        assert_eq!(res.status(), expected, "{chain}");
    }
    let res =
        register(&app, "y@example.de", &[("x-forwarded-for", "198.51.100.7, 198.51.100.8")]).await;
    assert_eq!(res.status(), StatusCode::OK, "another client");
    // IPv6 clients count per /64 network.
    for (i, ip) in ["2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:ffff::3"].iter().enumerate()
    {
        let res = register(&app, &format!("v{i}@example.de"), &[("x-forwarded-for", ip)]).await;
        let expected = if i < 2 { StatusCode::OK } else { StatusCode::TOO_MANY_REQUESTS };
        assert_eq!(res.status(), expected, "{ip}");
    }
    let res = register(&app, "w@example.de", &[("x-forwarded-for", "2001:db8:5:7::1")]).await;
    assert_eq!(res.status(), StatusCode::OK, "another /64");
}

/// A burst of 50 simultaneous wrong passwords for one account: at most 5 are checked,
/// the rest are refused before any password work.
#[db_test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_guesses_for_one_account_is_judged_at_most_five_times(backend: Backend) {
    let app = spawn_app(backend).await;
    app.registered("target@example.de", "Target", PASSWORD).await;
    let attacker = std::sync::Arc::new(app.browser());
    let tries: Vec<_> = (0..50)
        .map(|_| {
            let b = attacker.clone();
            tokio::spawn(async move {
                b.call("/api/login", &[("email", "target@example.de"), ("password", "wrong guess")])
                    .await
                    .status()
            })
        })
        .collect();
    let mut judged = 0;
    for t in tries {
        match t.await.unwrap() {
            StatusCode::UNAUTHORIZED => judged += 1,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!((1..=5).contains(&judged), "{judged} guesses were checked");
}

/// Password change and account deletion count wrong current passwords too.
#[db_test]
async fn wrong_current_passwords_are_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.registered("p@example.de", "Paula Pass", PASSWORD).await;
    for _ in 0..5 {
        let res = b
            .call(
                "/api/profile/password",
                &[("current_password", "not the password"), ("new_password", "a new long secret")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let res =
        b.call("/api/profile/delete", &[("current_password", PASSWORD), ("confirm", "on")]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(b.get("/profile").await.status(), StatusCode::OK, "the account is still there");
}

#[db_test]
async fn malformed_multipart_bodies_get_400_not_a_crash(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.registered("m@example.de", "Mia Multipart", PASSWORD).await;
    let variants = [
        "multipart/form-data ; boundary=x",
        "multipart/form-data;boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; charset=utf-8",
        "multipart/form-data",
        "multipart/mixed; boundary=x",
        "multipart/; boundary=x",
        "text/plain; boundary=x",
        "multipart/form-data; boundary=x; boundary=y",
        "multipart/form-data; boundary==",
        "Multipart/Form-Data ;boundary=x",
    ];
    for ct in variants {
        let res = b
            .client
            .post(app.url("/api/listings/save"))
            .header("content-type", ct)
            .body("--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nLampe\r\n--x--\r\n")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{ct:?}: the connection was dropped: {e}"));
        assert!(
            res.status() == StatusCode::BAD_REQUEST
                || res.status() == StatusCode::UNPROCESSABLE_ENTITY,
            "{ct:?}: {}",
            res.status()
        );
    }
    let res = b.client.post(app.url("/api/listings/save")).body("x").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "no content type at all");
    assert_eq!(b.get("/healthz").await.status(), StatusCode::OK);
}

fn listing_form(files: Vec<Vec<u8>>) -> Form {
    let mut form = Form::new();
    for (k, v) in [
        ("title", "Lampe"),
        ("description", ""),
        ("price_kind", "free"),
        ("price", ""),
        ("category", "home-garden/furniture"),
        ("postal_code", "10115"),
        ("city", "Berlin"),
    ] {
        form = form.text(k, v);
    }
    for bytes in files {
        form = form.part("images", Part::bytes(bytes).file_name("bild.png"));
    }
    form
}

#[db_test]
async fn decompression_bombs_get_the_image_field_error(backend: Backend) {
    use marktchat_services::images::samples::png_bomb;
    let app = spawn_app(backend).await;
    let b = app.registered("bomb@example.de", "Bo Bomb", PASSWORD).await;
    for bomb in [png_bomb(100_000, 100_000, 8), png_bomb(6000, 6000, 16)] {
        let res = b
            .client
            .post(app.url("/api/listings/save"))
            .header(ACCEPT, "application/json")
            .multipart(listing_form(vec![bomb]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: serde_json::Value = res.json().await.unwrap();
        assert_eq!(error["Invalid"][0]["field"], "Images", "{error}");
        assert_eq!(error["Invalid"][0]["problem"], "ImageDimensions", "{error}");
    }
    assert!(!app.data_dir().join("images").exists(), "nothing was stored");
}

#[db_test]
async fn uploads_are_limited_per_user_and_hour(backend: Backend) {
    use marktchat_services::images::samples::encoded;
    let app = spawn_app(backend).await;
    let b = app.registered("u@example.de", "Uwe Upload", PASSWORD).await;
    let save = |n: usize| {
        let files = (0..n).map(|i| encoded(8 + i as u32, 8, image::ImageFormat::Png)).collect();
        b.client
            .post(app.url("/api/listings/save"))
            .header(ACCEPT, "application/json")
            .multipart(listing_form(files))
            .send()
    };
    for _ in 0..10 {
        assert_eq!(save(10).await.unwrap().status(), StatusCode::OK);
    }
    let res = save(1).await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "the 101st image in an hour");
    assert!(res.headers().get("retry-after").is_some());
    // a listing without pictures is still fine
    assert_eq!(save(0).await.unwrap().status(), StatusCode::OK);
}

#[db_test]
async fn sessions_get_a_new_token_on_every_login_and_password_change(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.browser();
    let res = b.register("r@example.de", "Rita Rotation", PASSWORD).await;
    let first = session_token(&set_cookies(&res)).expect("a session cookie");
    // logging in again in the same browser: a new token, the old one ends
    let res = b
        .form_post(
            "/login",
            "/api/login",
            &[("email", "r@example.de"), ("password", PASSWORD), ("next", "")],
        )
        .await;
    assert_eq!(location(&res), "/");
    let second = session_token(&set_cookies(&res)).expect("a new session cookie");
    assert_ne!(first, second);
    assert!(!logged_in_with(&app, &first).await, "the old token is gone");
    assert!(logged_in_with(&app, &second).await);
    let cookie = set_cookies(&res).join(";");
    assert!(cookie.contains(&format!("Max-Age={}", 90 * 24 * 3600)), "{cookie}");

    // another device, then a password change here: here continues with a new token,
    // the other device is logged out
    let other = app.browser();
    other.call("/api/login", &[("email", "r@example.de"), ("password", PASSWORD)]).await;
    assert_eq!(other.get("/profile").await.status(), StatusCode::OK);
    let res = b
        .call(
            "/api/profile/password",
            &[("current_password", PASSWORD), ("new_password", "another long secret")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let third = session_token(&set_cookies(&res)).expect("a new token after the change");
    assert!(!logged_in_with(&app, &second).await);
    assert!(logged_in_with(&app, &third).await);
    assert_ne!(other.get("/profile").await.status(), StatusCode::OK, "the other device is out");
}

#[db_test]
async fn every_response_carries_the_security_headers(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.browser();
    let page = b.get("/").await;
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let html = page.text().await.unwrap();
    let nonce = csp
        .split_whitespace()
        .find_map(|w| w.strip_prefix("'nonce-")?.strip_suffix('\'').map(str::to_owned))
        .expect("a nonce in the CSP");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries it");
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{csp}");
    let again = b.get("/").await;
    assert!(
        !again.headers()["content-security-policy"].to_str().unwrap().contains(&nonce),
        "fresh"
    );

    for path in ["/", "/healthz", "/images/nothing.jpg", "/no/such/page", "/search?q=x"] {
        let res = b.get(path).await;
        let h = res.headers();
        assert!(h.contains_key("content-security-policy"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert!(!h.contains_key("strict-transport-security"), "{path}: plain HTTP");
    }
    let failed = b.call("/api/login", &[("email", "x@example.de"), ("password", "wrong")]).await;
    assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    assert!(failed.headers().contains_key("content-security-policy"));
    let refused = bare_client().post(app.url("/api/logout")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(refused.headers()["x-content-type-options"], "nosniff");

    // served over HTTPS (the public URL says so): HSTS too
    let app =
        spawn_app_with(backend, |c| c.public_url = Some("https://markt.example.org".into())).await;
    let res = app.browser().get("/healthz").await;
    assert!(res.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
}

/// 300 simultaneous wrong logins, each for another account from another address (so
/// no attempt limit stops them): password hashing is bounded, the server keeps
/// answering, and its memory stays small. Unbounded, this took 5.3 GB.
#[db_test(flavor = "multi_thread", worker_threads = 2)]
async fn password_hashing_cannot_exhaust_the_machine(backend: Backend) {
    let server = common::ServerProcess::start(
        backend,
        &["--trust-proxy", "--public-url", "http://marktchat.test"],
    )
    .await;
    let client = Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let origin = server.url("");
    // What the process uses anyway, with one password checked.
    let one = client
        .post(server.url("/api/login"))
        .header(ORIGIN, origin.trim_end_matches('/'))
        .form(&[("email", "nobody@example.de"), ("password", "wrong guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), StatusCode::UNAUTHORIZED);
    let baseline = server.peak_memory_kib();
    let logins: Vec<_> = (0..300u32)
        .map(|i| {
            let request = client
                .post(server.url("/api/login"))
                .header(ORIGIN, origin.trim_end_matches('/'))
                .header(ACCEPT, "application/json")
                .header(
                    "x-forwarded-for",
                    format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256),
                )
                .form(&[
                    ("email", format!("nobody{i}@example.de")),
                    ("password", "wrong guess".into()),
                ]);
            tokio::spawn(async move { request.send().await.map(|r| r.status()) })
        })
        .collect();
    // the server answers while the burst is under way
    tokio::time::sleep(Duration::from_millis(50)).await;
    let health = client.get(server.url("/healthz")).timeout(Duration::from_secs(5)).send().await;
    assert_eq!(health.unwrap().status(), StatusCode::OK, "health during the burst");
    let mut statuses = std::collections::BTreeMap::new();
    for l in logins {
        let status = l.await.unwrap().expect("every request is answered");
        assert!(
            [
                StatusCode::UNAUTHORIZED,
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(&status),
            "{status}"
        );
        *statuses.entry(status.as_u16()).or_insert(0) += 1;
    }
    assert!(statuses.get(&503).copied().unwrap_or(0) > 0, "some were refused: {statuses:?}");
    let peak = server.peak_memory_kib();
    let (baseline, peak) = (baseline / 1024, peak / 1024);
    eprintln!("300 logins: {statuses:?}, peak memory {peak} MiB (before: {baseline} MiB)");
    // One hash per core at 19 MiB, plus 300 connections in flight (about 250 MiB in a
    // debug build); unbounded, every one of the 300 took its 19 MiB: gigabytes.
    assert!(peak - baseline < 512, "peak {peak} MiB, before {baseline} MiB ({statuses:?})");
    assert_eq!(client.get(server.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
}
