//! Accounts over HTTP against the real server: registration, login, sessions, rate
//! limits, protected pages, profile settings, directory, export and deletion.

mod common;

use common::{db_test, location, set_cookies, spawn_app, Backend, PASSWORD};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;

#[db_test]
async fn health_check_answers_ok(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, body) = app.browser().html("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.trim(), "ok");
}

#[db_test]
async fn registration_logs_in_with_a_safe_session_cookie(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.browser();
    let res = b.register("Anna@Example.de", "Anna Schmidt", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/profile");
    let cookies = set_cookies(&res);
    let session =
        cookies.iter().find(|c| c.starts_with("marktchat_session=")).expect("session cookie set");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    assert!(session.contains("Path=/"), "{session}");
    assert!(!session.contains("Secure"), "plain HTTP must not get Secure: {session}");

    let (status, html) = b.html("/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Anna Schmidt"));
    assert!(html.contains("anna@example.de") || html.contains("Anna Schmidt"));
}

/// Behind a TLS-terminating proxy that marktchat is told to trust, cookies are
/// `Secure`; the same header from anyone else changes nothing (see security.rs).
#[db_test]
async fn session_cookie_is_secure_behind_an_https_proxy(backend: Backend) {
    let app = common::spawn_app_with(backend, |c| {
        c.trust_proxy = true;
        c.public_url = Some("http://marktchat.test".into());
    })
    .await;
    let res = app
        .browser()
        .client
        .post(app.url("/api/register"))
        .header("x-forwarded-proto", "https")
        .header("origin", format!("https://{}", app.addr))
        .header("accept", "application/json")
        .form(&[("email", "s@example.de"), ("display_name", "Sec"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookies = set_cookies(&res);
    assert!(cookies.iter().any(|c| c.starts_with("marktchat_session=") && c.contains("; Secure")));
}

/// The names the member directory lists (its links to profiles).
/// The names the directory lists (each row's profile link; its "Message" button
/// leads to the same profile, to `#contact-text`, and is not a name).
fn listed_members(html: &str) -> Vec<String> {
    html.split("<a href=\"/users/")
        .skip(1)
        .filter(|rest| rest.split_once('"').is_some_and(|(href, _)| !href.contains('#')))
        .filter_map(|rest| {
            let text = rest.split_once('>')?.1;
            Some(text.split_once('<')?.0.to_owned())
        })
        .collect()
}

#[db_test]
async fn registration_errors_are_clear_and_not_500(backend: Backend) {
    let app = spawn_app(backend).await;
    app.registered("taken@example.de", "First", PASSWORD).await;
    let b = app.browser();

    let res = b
        .call(
            "/api/register",
            &[("email", "TAKEN@example.de"), ("display_name", "Second"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(res.text().await.unwrap(), "\"EmailTaken\"");

    let res = b
        .call(
            "/api/register",
            &[("email", "new@example.de"), ("display_name", "New"), ("password", "short")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["Invalid"][0]["field"], "Password");
    assert_eq!(err["Invalid"][0]["problem"]["TooShort"]["min"], 10);

    let res = b
        .call(
            "/api/register",
            &[("email", "not-an-email"), ("display_name", "New"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["Invalid"][0]["field"], "Email");

    // Without JavaScript: back to the form, which then shows the message.
    let res = b.register("taken@example.de", "Second", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let back = location(&res);
    // (the error and what was typed are kept for that page, not put in its address)
    assert_eq!(back, format!("{}/register", b.base));
    assert!(set_cookies(&res).iter().all(|c| !c.starts_with("marktchat_session")), "no session");
    let path = back.trim_start_matches(&b.base);
    let (status, html) = b.html(path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Für diese E-Mail-Adresse gibt es schon ein Konto"), "{html}");
}

#[db_test]
async fn wrong_password_is_refused_without_a_session(backend: Backend) {
    let app = spawn_app(backend).await;
    app.registered("anna@example.de", "Anna", PASSWORD).await;
    let b = app.browser();
    let res = b
        .call("/api/login", &[("email", "anna@example.de"), ("password", "wrong password!")])
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookies(&res).is_empty());
    assert_eq!(res.text().await.unwrap(), "\"WrongCredentials\"");
    // unknown accounts get the very same answer
    let res = b.call("/api/login", &[("email", "nobody@example.de"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.text().await.unwrap(), "\"WrongCredentials\"");

    let res = b
        .form_post(
            "/login",
            "/api/login",
            &[("email", "anna@example.de"), ("password", "wrong password!"), ("next", "")],
        )
        .await;
    let back = location(&res);
    let (_, html) = b.html(back.trim_start_matches(&b.base)).await;
    assert!(html.contains("E-Mail-Adresse oder Passwort stimmt nicht."));
    assert_eq!(b.get("/profile").await.status(), StatusCode::FOUND);
}

#[db_test]
async fn login_logout_round_trip(backend: Backend) {
    let app = spawn_app(backend).await;
    app.registered("anna@example.de", "Anna", PASSWORD).await;
    let b = app.browser();
    let res = b
        .form_post(
            "/login",
            "/api/login",
            &[("email", "anna@example.de"), ("password", PASSWORD), ("next", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/");
    let (_, html) = b.html("/").await;
    assert!(html.contains("Anna"));
    assert!(html.contains("Abmelden"));

    let old_cookie =
        set_cookies(&res).into_iter().find(|c| c.starts_with("marktchat_session=")).unwrap();
    let token = old_cookie.split(';').next().unwrap().to_owned();

    let res = b.form_post("/", "/api/logout", &[]).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/?logged_out=1");
    assert!(set_cookies(&res).iter().any(|c| c.contains("Max-Age=0")));
    // The old token is dead on the server, not just forgotten by the browser.
    let mut h = HeaderMap::new();
    h.insert("cookie", HeaderValue::from_str(&token).unwrap());
    let fresh = app.browser();
    let res = fresh.get_with("/profile", h).await;
    assert_eq!(res.status(), StatusCode::FOUND);
}

#[db_test]
async fn protected_pages_redirect_to_login_and_back(backend: Backend) {
    let app = spawn_app(backend).await;
    app.registered("anna@example.de", "Anna", PASSWORD).await;
    let b = app.browser();
    for (page, next) in
        [("/profile", "%2Fprofile"), ("/users?q=an", "%2Fusers%3Fq%3Dan"), ("/admin", "%2Fadmin")]
    {
        let res = b.get(page).await;
        assert_eq!(res.status(), StatusCode::FOUND, "{page}");
        assert_eq!(location(&res), format!("/login?next={next}"), "{page}");
    }
    let (status, html) = b.html("/login?next=%2Fprofile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"next\"") && html.contains("value=\"/profile\""));
    let res = b
        .form_post(
            "/login?next=%2Fprofile",
            "/api/login",
            &[("email", "anna@example.de"), ("password", PASSWORD), ("next", "/profile")],
        )
        .await;
    assert_eq!(location(&res), "/profile");
    // Foreign targets are not followed.
    let res = b
        .call(
            "/api/login",
            &[("email", "anna@example.de"), ("password", PASSWORD), ("next", "//evil.example/")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("location").unwrap(), "/");
}

#[db_test]
async fn login_is_rate_limited_per_account(backend: Backend) {
    let app = spawn_app(backend).await;
    app.registered("anna@example.de", "Anna", PASSWORD).await;
    let b = app.browser();
    for _ in 0..5 {
        let res = b
            .call("/api/login", &[("email", "anna@example.de"), ("password", "guess guess guess")])
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now.
    let res = b.call("/api/login", &[("email", "anna@example.de"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let err: serde_json::Value = res.json().await.unwrap();
    let wait = err["TooManyAttempts"]["retry_after_secs"].as_u64().unwrap();
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
    assert!(set_cookies(
        &b.call("/api/login", &[("email", "anna@example.de"), ("password", PASSWORD)]).await
    )
    .is_empty());
    // Other accounts are unaffected.
    app.registered("ben@example.de", "Ben", PASSWORD).await;
    let res = b.call("/api/login", &[("email", "ben@example.de"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[db_test]
async fn profile_settings_change_name_and_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.registered("anna@example.de", "Anna", PASSWORD).await;
    let res = b
        .form_post(
            "/profile",
            "/api/profile/update",
            &[
                ("display_name", "  Anna   Berlin "),
                ("location", "Berlin-Kreuzberg"),
                ("bio", "Verkaufe Fahrräder."),
                ("language", "en"),
                ("notify_messages", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/profile?saved=profile");
    let (_, html) = b.html("/profile?saved=profile").await;
    assert!(html.contains("lang=\"en\""));
    assert!(html.contains("Saved."));
    assert!(html.contains("value=\"Anna Berlin\""));
    assert!(html.contains("Berlin-Kreuzberg"));

    let res = b
        .call(
            "/api/profile/update",
            &[("display_name", "A"), ("location", ""), ("bio", ""), ("language", "de")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = b
        .call(
            "/api/profile/update",
            &[("display_name", "Anna"), ("location", ""), ("bio", ""), ("language", "xx")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Anonymous callers cannot change anything.
    let res = app
        .browser()
        .call(
            "/api/profile/update",
            &[("display_name", "Hacker"), ("location", ""), ("bio", ""), ("language", "de")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[db_test]
async fn password_change_requires_the_current_one_and_ends_other_sessions(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.registered("anna@example.de", "Anna", PASSWORD).await;
    let other = app.browser();
    other.call("/api/login", &[("email", "anna@example.de"), ("password", PASSWORD)]).await;
    assert_eq!(other.get("/profile").await.status(), StatusCode::OK);

    let res = a
        .call(
            "/api/profile/password",
            &[("current_password", "not my password"), ("new_password", "a brand new secret")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = a
        .call(
            "/api/profile/password",
            &[("current_password", PASSWORD), ("new_password", "a brand new secret")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(a.get("/profile").await.status(), StatusCode::OK);
    assert_eq!(other.get("/profile").await.status(), StatusCode::FOUND);
    let res = app
        .browser()
        .call("/api/login", &[("email", "anna@example.de"), ("password", "a brand new secret")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[db_test]
async fn directory_and_public_profiles(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.registered("anna@example.de", "Anna Schmidt", PASSWORD).await;
    app.registered("ben@example.de", "Ben Müller", PASSWORD).await;
    let (status, html) = b.html("/users?q=m%C3%BCller").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed_members(&html), ["Ben Müller"]);
    let (_, html) = b.html("/users").await;
    assert_eq!(listed_members(&html), ["Anna Schmidt", "Ben Müller"]);

    let res = b.call("/api/users/list", &[("q", "SCHMIDT"), ("page", "1")]).await;
    let directory: serde_json::Value = res.json().await.unwrap();
    let page = &directory["page"];
    assert_eq!(page["total"], 1);
    let id = page["users"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(directory["write"], serde_json::json!(["Oneself"]), "no button for oneself");

    // Public profile: anyone may look.
    let (status, html) = app.browser().html(&format!("/users/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Anna Schmidt") && html.contains("Mitglied seit"));
    let (status, html) = app.browser().html("/users/does-not-exist").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Dieses Mitglied gibt es nicht"));

    // The directory itself is for members only.
    let res = app.browser().call("/api/users/list", &[("q", ""), ("page", "1")]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[db_test]
async fn unknown_pages_are_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, html) = app.browser().html("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Seite nicht gefunden"));
}

#[db_test]
async fn export_and_delete_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.registered("anna@example.de", "Anna", PASSWORD).await;

    let res = b.get("/account/export").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let data: serde_json::Value = res.json().await.unwrap();
    assert_eq!(data["account"]["email"], "anna@example.de");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
    let text = data.to_string();
    assert!(!text.contains("argon2"), "no password hash in the export");

    let res = app.browser().get("/account/export").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login?next=%2Faccount%2Fexport");

    // Not without the confirmation, not with a wrong password.
    let res = b.call("/api/profile/delete", &[("current_password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = b
        .call("/api/profile/delete", &[("current_password", "wrong password"), ("confirm", "yes")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(b.get("/profile").await.status(), StatusCode::OK);

    let res = b
        .form_post(
            "/profile",
            "/api/profile/delete",
            &[("current_password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/?deleted=1");
    assert_eq!(b.get("/profile").await.status(), StatusCode::FOUND);
    let res = app
        .browser()
        .call("/api/login", &[("email", "anna@example.de"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[db_test]
async fn admin_area_is_for_admins_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = app.registered("user@example.de", "User", PASSWORD).await;
    let (status, html) = user.html("/admin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("Kein Zugriff"));

    // The first admin is made on the command line.
    let out = common::create_admin(&app, "admin@example.de", "Admin");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let id = stdout.lines().last().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(id.matches('-').count(), 4);

    let admin = app.browser();
    admin.call("/api/login", &[("email", "admin@example.de"), ("password", PASSWORD)]).await;
    let (status, html) = admin.html("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Verwaltung"));
    // The printed id is the new account's.
    let (status, html) = admin.html(&format!("/users/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Admin</h1>"), "{html}");
}

#[db_test]
async fn cli_reports_bad_input_clearly(backend: Backend) {
    let app = spawn_app(backend).await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_marktchat"))
            .args(args)
            .env("MARKTCHAT_DATABASE_URL", &app.db_url)
            .output()
            .unwrap()
    };
    let out = run(&["user", "create", "--email", "x", "--name", "X Y", "--password", PASSWORD]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--email") && err.contains("not a valid e-mail"), "{err}");
    let out = run(&["user", "create", "--email", "a@b.de", "--name", "X Y", "--password", "short"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--password"));
    let ok = run(&["user", "create", "--email", "a@b.de", "--name", "X Y", "--password", PASSWORD]);
    assert!(ok.status.success());
    let again =
        run(&["user", "create", "--email", "A@b.de", "--name", "X Y", "--password", PASSWORD]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already registered"));
    let out = run(&["migrate"]);
    assert!(out.status.success());
}

#[db_test]
async fn a_visitor_chooses_the_language_without_an_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.browser();
    let (_, html) = b.html("/search").await;
    assert!(html.contains(r#"<html lang="de""#) && html.contains(">English</button>"), "{html}");
    // A plain form post (no JavaScript needed) sets a cookie and goes back.
    let res = b
        .form_post("/search", "/api/language", &[("language", "en"), ("back", "/search?q=sofa")])
        .await;
    assert_eq!(location(&res), "/search?q=sofa");
    let cookie = set_cookies(&res).join("; ");
    assert!(cookie.contains("marktchat_lang=en") && cookie.contains("HttpOnly"), "{cookie}");
    let (_, html) = b.html("/search").await;
    assert!(html.contains(r#"<html lang="en""#) && html.contains(">Deutsch</button>"), "{html}");
    // Registering keeps it as the new account's language.
    let res = b.register("lang@example.de", "Lang", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let (_, html) = b.html("/profile").await;
    assert!(html.contains(r#"<html lang="en""#), "{html}");
    assert!(!html.contains(">Deutsch</button>"), "members choose in their profile");
    // Not a language: the user's mistake, not a crash; a foreign `back` goes home.
    let res = app.browser().call("/api/language", &[("language", "fr")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .browser()
        .form_post("/", "/api/language", &[("language", "de"), ("back", "//evil.example")])
        .await;
    assert_eq!(location(&res), "/");
}

#[db_test]
async fn a_failed_form_without_javascript_keeps_the_address_and_name(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.browser();
    let res = b.register("kim@example.de", "Kim Keep", "abcdefghij").await;
    let back = location(&res).trim_start_matches(&b.base).to_owned();
    // Personal data travels in a short-lived HttpOnly cookie, not in the URL.
    assert!(!back.contains("kim") && !back.contains("Keep"), "{back}");
    let cookie = set_cookies(&res).join("\n");
    assert!(cookie.contains("marktchat_typed=") && cookie.contains("HttpOnly"), "{cookie}");
    assert!(!cookie.contains("abcdefghij"), "never the password: {cookie}");
    let (_, html) = b.html(&back).await;
    assert!(html.contains(r#"value="kim@example.de""#), "{html}");
    assert!(html.contains(r#"value="Kim Keep""#), "{html}");
    assert!(html.contains("Zu leicht zu erraten"), "{html}");
    // Taken once: the form comes back empty the next time.
    let (_, html) = b.html(&back).await;
    assert!(!html.contains("kim@example.de"), "{html}");
    // The login form keeps the address too.
    let res = b
        .form_post(
            "/login",
            "/api/login",
            &[("email", "kim@example.de"), ("password", "wrong guess 1")],
        )
        .await;
    let (_, html) = b.html(location(&res).trim_start_matches(&b.base)).await;
    assert!(html.contains(r#"value="kim@example.de""#), "{html}");
    // With JavaScript nothing is kept: the form never left the page.
    let res = b
        .call(
            "/api/register",
            &[("email", "x@example.de"), ("display_name", "X"), ("password", "kurz")],
        )
        .await;
    assert!(set_cookies(&res).iter().all(|c| !c.contains("marktchat_typed")));
}
