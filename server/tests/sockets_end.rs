//! A live socket ends when the session behind it ends: logout, a password change (the
//! other sessions), account deletion, expiry. Each closes with
//! `close::SESSION_ENDED`, which tells the browser's client not to reconnect; other
//! sessions and other people stay connected.

mod common;

use common::chat::{Person, Socket};
use common::{db_test, spawn_app, Backend, TestApp};
use marktchat_services::sessions::SESSION_COOKIE;
use marktchat_shared::chat::{close, ClientFrame, ServerFrame};
use marktchat_shared::UserId;
use std::time::{Duration, Instant};

/// The socket is open and answers.
async fn still_open(socket: &mut Socket) {
    socket.send(ClientFrame::Ping).await;
    socket.next_where(|f| *f == ServerFrame::Pong).await;
}

/// `person` on another device: a session of their own.
async fn other_device(app: &TestApp, person: &Person) -> Person {
    let token = app.running.services.sessions().create(&person.id, None).await.unwrap();
    let browser = app.browser();
    browser
        .jar
        .add_cookie_str(&format!("{SESSION_COOKIE}={}", token.0), &app.url("/").parse().unwrap());
    Person { id: person.id.clone(), browser }
}

#[db_test]
async fn logout_closes_that_sessions_sockets_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let phone = other_device(&app, &anna).await;
    let mut tabs = [app.socket(&anna, &[]).await, app.socket(&anna, &[]).await];
    let mut on_phone = app.socket(&phone, &[]).await;
    let mut bert_socket = app.socket(&bert, &[]).await;
    let started = Instant::now();
    let res = anna.browser.call("/api/logout", &[]).await;
    assert!(res.status().is_success(), "{}", res.status());
    for tab in &mut tabs {
        assert_eq!(tab.closed().await, Some(close::SESSION_ENDED));
    }
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    assert!(!close::reconnect_after(close::SESSION_ENDED), "the browser stops");
    // Her phone's session and Bert's go on.
    still_open(&mut on_phone).await;
    still_open(&mut bert_socket).await;
}

#[db_test]
async fn a_password_change_closes_the_other_sessions_sockets(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.person("Anna").await;
    let phone = other_device(&app, &anna).await;
    let mut on_phone = app.socket(&phone, &[]).await;
    // What changing the password does after checking it: a new session here, every
    // other one ended.
    let token = app.running.services.sessions().restart_all(&anna.id).await.unwrap();
    assert_eq!(on_phone.closed().await, Some(close::SESSION_ENDED));
    // The browser that changed it goes on with its new token.
    let here = Person { id: anna.id.clone(), browser: app.browser() };
    here.browser
        .jar
        .add_cookie_str(&format!("{SESSION_COOKIE}={}", token.0), &app.url("/").parse().unwrap());
    still_open(&mut app.socket(&here, &[]).await).await;
}

#[db_test]
async fn deleting_an_account_closes_its_sockets(backend: Backend) {
    let app = spawn_app(backend).await;
    let password = "a long enough secret";
    let browser = app.registered("dora@example.de", "Dora", password).await;
    let (id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE email = 'dora@example.de'")
        .fetch_one(app.running.services.db.pool())
        .await
        .unwrap();
    let dora = Person { id: UserId(id), browser };
    let mut socket = app.socket(&dora, &[]).await;
    let res = dora
        .browser
        .call("/api/profile/delete", &[("current_password", password), ("confirm", "on")])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(socket.closed().await, Some(close::SESSION_ENDED));
}

#[db_test]
async fn a_socket_ends_when_its_session_expires(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.person("Anna").await;
    // Her session runs out in a moment (a month unused, as far as it knows).
    let soon = marktchat_services::clock::now().millis() + 1_500;
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE user_id = $2")
        .bind(soon)
        .bind(&anna.id.0)
        .execute(app.running.services.db.pool())
        .await
        .unwrap();
    let mut socket = app.socket(&anna, &[]).await;
    still_open(&mut socket).await;
    let opened = Instant::now();
    assert_eq!(socket.closed().await, Some(close::SESSION_ENDED));
    assert!(opened.elapsed() < Duration::from_secs(3), "took {:?}", opened.elapsed());
}
