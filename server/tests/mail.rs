//! Mail through a real SMTP conversation (a throwaway server in the test): a forgotten
//! password reset through the mailed link, and mails that wait out an SMTP outage.

mod common;

use common::smtp::Smtp;
use common::*;
use reqwest::StatusCode;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a brand new secret";

/// The parts of a received mail a test looks at.
struct Mail {
    to: String,
    subject: String,
    text: String,
    html: String,
}

fn parse(raw: &[u8]) -> Mail {
    let m = mail_parser::MessageParser::default().parse(raw).expect("a mail");
    let to = m.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or("").to_owned();
    Mail {
        to,
        subject: m.subject().unwrap_or("").to_owned(),
        text: m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        html: m.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
    }
}

/// The reset link in a mail's text.
fn link_in(mail: &Mail) -> String {
    let start = mail.text.find("http").expect("a link in the mail");
    mail.text[start..].split_whitespace().next().unwrap().to_owned()
}

async fn with_smtp(backend: Backend, smtp: &Smtp) -> TestApp {
    let url = smtp.url();
    spawn_app_with(backend, move |c| c.smtp_url = Some(url)).await
}

async fn forgot(b: &Browser, email: &str) -> reqwest::Response {
    b.form_post("/password/forgot", "/api/password/forgot", &[("email", email)]).await
}

#[db_test]
async fn a_forgotten_password_is_reset_through_the_mailed_link_once(backend: Backend) {
    let smtp = Smtp::start(0).await;
    let app = with_smtp(backend, &smtp).await;
    let old_session = app.registered("anna@example.de", "Anna <3", PASSWORD).await;
    let b = app.browser();
    // The same answer for an address nobody has: no mail, no hint.
    let unknown = forgot(&b, "niemand@example.de").await;
    let known = forgot(&b, "Anna@Example.de").await;
    for res in [&unknown, &known] {
        assert_eq!(res.status(), StatusCode::FOUND);
        assert_eq!(location(res), "/password/forgot?sent=1");
    }
    let (_, html) = b.html("/password/forgot?sent=1").await;
    assert!(html.contains("Wenn ein Konto diese Adresse hat"), "{html}");
    let mails = smtp.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.received().len(), 1, "one mail: none for the unknown address");
    let mail = parse(&mails[0]);
    assert_eq!(mail.to, "anna@example.de");
    assert_eq!(mail.subject, "Passwort zurücksetzen");
    assert!(mail.html.contains("Anna &lt;3"), "the name is escaped in HTML: {}", mail.html);
    let link = link_in(&mail);
    let prefix = format!("{}/password/reset?token=", b.base);
    assert!(link.starts_with(&prefix), "{link}");
    assert!(mail.html.contains(&link), "the HTML part has the same link");
    // The sent mail no longer holds the link in the database.
    let (text,): (String,) = sqlx::query_as("SELECT body_text FROM mail_queue")
        .fetch_one(app.running.services.db.pool())
        .await
        .unwrap();
    assert_eq!(text, "");

    // Opening the link: the token leaves the address bar for a cookie.
    let path = &link[b.base.len()..];
    let res = b.get(path).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/password/reset");
    assert!(set_cookies(&res).iter().any(|c| c.starts_with("marktchat_reset=")
        && c.contains("HttpOnly")
        && c.contains("Max-Age=3600")));
    let (status, html) = b.html("/password/reset").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"new_password\""), "{html}");
    assert!(html.contains("Für das Konto a•••@example.de"), "the page names the account");
    // A weak password is refused with the reason; the link still works after.
    let res = b.call("/api/password/reset", &[("new_password", "kurz")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = b
        .form_post("/password/reset", "/api/password/reset", &[("new_password", NEW_PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/profile?saved=password");
    assert_eq!(b.get("/profile").await.status(), StatusCode::OK, "logged in");
    // Every other session ended; the old password is refused, the new one works.
    assert_eq!(old_session.get("/profile").await.status(), StatusCode::FOUND);
    let login = |password: &'static str| {
        let b = app.browser();
        async move {
            b.call("/api/login", &[("email", "anna@example.de"), ("password", password)])
                .await
                .status()
        }
    };
    assert_eq!(login(PASSWORD).await, StatusCode::UNAUTHORIZED);
    assert_eq!(login(NEW_PASSWORD).await, StatusCode::OK);
    // The link is dead: a second use says so, with the way to a new one.
    let again = app.browser();
    assert_eq!(again.get(path).await.status(), StatusCode::FOUND);
    let (_, html) = again.html("/password/reset").await;
    assert!(html.contains("abgelaufen oder wurde schon benutzt"), "{html}");
    assert!(html.contains("href=\"/password/forgot\""));
    let res = again.call("/api/password/reset", &[("new_password", "yet another secret")]).await;
    assert_eq!(res.status(), StatusCode::GONE);
    // Asking again and again for one address is limited (three an hour, counted
    // whether or not an account has it).
    for _ in 0..2 {
        assert_eq!(forgot(&b, "anna@example.de").await.status(), StatusCode::FOUND);
    }
    let res = b.call("/api/password/forgot", &[("email", "anna@example.de")]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = b.call("/api/password/forgot", &[("email", "kein-at-zeichen")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[db_test]
async fn mails_wait_out_an_smtp_outage_and_go_out_once(backend: Backend) {
    let mut smtp = Smtp::down(Smtp::free_port().await);
    let app = with_smtp(backend, &smtp).await;
    let people = ["a@example.de", "b@example.de", "c@example.de"];
    for (i, email) in people.iter().enumerate() {
        app.registered(email, &format!("Person {i}"), PASSWORD).await;
        assert_eq!(forgot(&app.browser(), email).await.status(), StatusCode::FOUND);
    }
    // The server is down: the mails wait, tried and due again later.
    let db = app.running.services.db.pool();
    let tried = || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM mail_queue WHERE attempts > 0 AND sent_at IS NULL",
        )
        .fetch_one(db)
        .await
        .unwrap();
        n
    };
    let end = tokio::time::Instant::now() + Duration::from_secs(15);
    while tried().await == 0 && tokio::time::Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(tried().await > 0, "the sender tried while the server was down");
    assert_eq!(
        marktchat_services::mail::queue::waiting(&app.running.services.db).await.unwrap(),
        3
    );
    // It comes back; the backoff has passed (moved forward here, not waited for).
    smtp.listen().await;
    sqlx::query("UPDATE mail_queue SET next_attempt_at = 0").execute(db).await.unwrap();
    let got = smtp.wait_for(3, Duration::from_secs(20)).await;
    assert_eq!(got.len(), 3);
    // Two more rounds: nothing goes twice.
    tokio::time::sleep(marktchat_services::mail::ROUND_EVERY * 2).await;
    let mut to: Vec<String> = smtp.received().iter().map(|m| parse(m).to).collect();
    to.sort();
    assert_eq!(to, people);
    assert_eq!(
        marktchat_services::mail::queue::waiting(&app.running.services.db).await.unwrap(),
        0
    );
}

#[db_test]
async fn a_new_address_counts_once_confirmed_through_its_link_and_the_old_one_is_told(
    backend: Backend,
) {
    let smtp = Smtp::start(0).await;
    let app = with_smtp(backend, &smtp).await;
    let anna = app.registered("anna@example.de", "Anna", PASSWORD).await;
    app.registered("bert@example.de", "Bert", PASSWORD).await;
    let change = |password: &'static str, email: &'static str| {
        let anna = &anna;
        async move {
            anna.call("/api/profile/email", &[("current_password", password), ("email", email)])
                .await
                .status()
        }
    };
    assert_eq!(change("falsch geraten", "anna@neu.example").await, StatusCode::FORBIDDEN);
    assert_eq!(change(PASSWORD, "anna@example.de").await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(change(PASSWORD, "bert@example.de").await, StatusCode::CONFLICT);
    let res = anna
        .form_post(
            "/profile",
            "/api/profile/email",
            &[("current_password", PASSWORD), ("email", "Anna@Neu.example")],
        )
        .await;
    assert_eq!(location(&res), "/profile?saved=email");
    let mails: Vec<Mail> =
        smtp.wait_for(2, Duration::from_secs(10)).await.iter().map(|m| parse(m)).collect();
    assert_eq!(mails.len(), 2);
    let confirm =
        mails.iter().find(|m| m.to == "anna@neu.example").expect("a mail to the new address");
    let notice = mails.iter().find(|m| m.to == "anna@example.de").expect("a notice to the old one");
    assert_eq!(confirm.subject, "Neue E-Mail-Adresse bestätigen");
    assert!(
        notice.text.contains("anna@neu.example") && notice.text.contains("Passwort vergessen?")
    );
    assert!(!notice.text.contains("/email/confirm"), "the old address gets no link");
    // Until confirmed, the old address is still the login.
    let login = |email: &'static str| {
        let b = app.browser();
        async move { b.call("/api/login", &[("email", email), ("password", PASSWORD)]).await.status() }
    };
    assert_eq!(login("anna@neu.example").await, StatusCode::UNAUTHORIZED);
    // Opened on another device, not logged in: the page asks, the button confirms.
    let link = link_in(confirm);
    let phone = app.browser();
    let path = &link[phone.base.len()..];
    assert!(path.starts_with("/email/confirm?token="), "{link}");
    let res = phone.get(path).await;
    assert_eq!(location(&res), "/email/confirm");
    let (_, html) = phone.html("/email/confirm").await;
    assert!(html.contains("anna@neu.example") && html.contains("Adresse bestätigen"), "{html}");
    assert_eq!(
        login("anna@neu.example").await,
        StatusCode::UNAUTHORIZED,
        "opening changes nothing"
    );
    let res = phone.form_post("/email/confirm", "/api/email/confirm", &[]).await;
    assert_eq!(location(&res), "/email/confirm?done=1");
    assert_eq!(login("anna@neu.example").await, StatusCode::OK);
    assert_eq!(login("anna@example.de").await, StatusCode::UNAUTHORIZED);
    // The link is used up.
    let again = app.browser();
    again.get(path).await;
    let (_, html) = again.html("/email/confirm").await;
    assert!(html.contains("abgelaufen oder wurde schon benutzt"), "{html}");
    assert_eq!(again.call("/api/email/confirm", &[]).await.status(), StatusCode::GONE);
    // Nobody can have us mail one address again and again (three links an hour), nor
    // ask for changes without end (five an hour).
    for _ in 0..3 {
        assert_eq!(change(PASSWORD, "ziel@example.org").await, StatusCode::OK);
    }
    assert_eq!(change(PASSWORD, "ziel@example.org").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(change(PASSWORD, "noch-eine@example.org").await, StatusCode::TOO_MANY_REQUESTS);
}

#[db_test]
async fn a_reset_ends_a_pending_change_of_address_and_a_change_ends_reset_links(backend: Backend) {
    let smtp = Smtp::start(0).await;
    let app = with_smtp(backend, &smtp).await;
    app.registered("anna@example.de", "Anna", PASSWORD).await;
    let services = &app.running.services;
    let (user,): (String,) = sqlx::query_as("SELECT id FROM users WHERE email = 'anna@example.de'")
        .fetch_one(services.db.pool())
        .await
        .unwrap();
    let user = marktchat_shared::UserId(user);
    let token_of = |mail: &Mail| link_in(mail).rsplit('=').next().unwrap().to_owned();
    let mail_to = |n: usize, to: &'static str| {
        let smtp = &smtp;
        async move {
            let got = smtp.wait_for(n, Duration::from_secs(10)).await;
            got.iter().map(|m| parse(m)).rfind(|m| m.to == to).expect("a mail")
        }
    };
    // Someone with the password asks to move the account; the owner resets it.
    services.request_email_change(&user, PASSWORD, "dieb@example.org").await.unwrap();
    let change = token_of(&mail_to(2, "dieb@example.org").await);
    services.request_password_reset("anna@example.de", None).await.unwrap();
    let reset = token_of(&mail_to(3, "anna@example.de").await);
    assert!(services.email_change_pending(&change).await.unwrap().is_some());
    services.reset_password(&reset, NEW_PASSWORD).await.unwrap();
    assert_eq!(services.email_change_pending(&change).await.unwrap(), None);
    // A changed password ends it too.
    services.request_email_change(&user, NEW_PASSWORD, "dieb@example.org").await.unwrap();
    let change = token_of(&mail_to(5, "dieb@example.org").await);
    services.accounts().change_password(&user, NEW_PASSWORD, "yet another secret").await.unwrap();
    assert_eq!(services.email_change_pending(&change).await.unwrap(), None);
    // A confirmed change ends the reset links mailed to the old address.
    services.request_password_reset("anna@example.de", None).await.unwrap();
    let reset = token_of(&mail_to(6, "anna@example.de").await);
    services.request_email_change(&user, "yet another secret", "anna@neu.example").await.unwrap();
    let change = token_of(&mail_to(8, "anna@neu.example").await);
    assert!(services.reset_link_account(&reset).await.unwrap().is_some());
    services.confirm_email_change(&change).await.unwrap();
    assert!(services.reset_link_account(&reset).await.unwrap().is_none());
}
