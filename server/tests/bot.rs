//! The help bot over its socket, as the widget uses it, with the real server and a
//! fresh database on both backends: storage modes, deleting by code (socket and
//! `/chat/delete`), the admin transcript viewer, limits, the idle timeout, hourly
//! statistics and their CSV.

mod common;

use common::bot::{bot_connect, BotSocket};
use common::{create_admin, db_test, location, spawn_app, spawn_app_with, Backend, PASSWORD};
use marktchat_services::bot::store::{hour_of, Stats, Transcripts};
use marktchat_services::clock::now;
use marktchat_shared::bot::protocol::{BotErrorCode, EndReason};
use marktchat_shared::bot::{BotClientFrame, BotServerFrame, StorageMode};
use marktchat_shared::{Language, Timestamp};
use reqwest::StatusCode;
use std::time::Duration;

/// The id of the stored chat with this code, from the admin list's link.
fn chat_id_in(html: &str, code: &str) -> String {
    let at = html.find(code).unwrap_or_else(|| panic!("{code} is not listed"));
    let link = html[..at].rfind("/admin/bot/chats/").expect("a link to the transcript");
    html[link + "/admin/bot/chats/".len()..].chars().take_while(|c| *c != '"').collect()
}

#[db_test]
async fn a_stored_transcript_is_read_by_admins_and_deleted_by_its_code(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut bot = BotSocket::open(app.addr).await;
    let code = bot.start(Language::De, StorageMode::Stored).await;
    let answer = bot.say("Ist Vorkasse per Überweisung sicher?").await;
    assert!(answer.contains("bar bezahlen"), "{answer}");
    bot.end().await;

    // Admins see it in the list and read it.
    create_admin(&app, "admin@example.org", "Ada");
    let admin = app.browser();
    admin.call("/api/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;
    let (status, list) = admin.html("/admin/bot").await;
    assert_eq!(status, StatusCode::OK);
    let id = chat_id_in(&list, &code.to_string());
    assert!(list.contains("Ist Vorkasse per Überweisung sicher?"), "the first words");
    let (status, page) = admin.html(&format!("/admin/bot/chats/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Ist Vorkasse per Überweisung sicher?"));
    assert!(page.contains("bar bezahlen"));
    // Searching finds it by a word or by its code, and not by other words.
    assert!(admin.html("/admin/bot?q=vorkasse").await.1.contains(&id));
    assert!(admin
        .html(&format!("/admin/bot?q={}", code.to_string().to_lowercase()))
        .await
        .1
        .contains(&id));
    assert!(!admin.html("/admin/bot?q=fahrrad").await.1.contains(&id));

    // Nobody else.
    let user = app.registered("uwe@example.org", "Uwe", PASSWORD).await;
    assert_eq!(user.html(&format!("/admin/bot/chats/{id}")).await.0, StatusCode::FORBIDDEN);
    let anonymous = app.browser().get(&format!("/admin/bot/chats/{id}")).await;
    assert_eq!(anonymous.status(), StatusCode::FOUND);

    // Anyone with the code deletes it on /chat/delete, typed carelessly, without
    // JavaScript; the page then says so neutrally.
    let typed = code.to_string().to_lowercase().replace('-', " ");
    let res =
        app.browser().form_post("/chat/delete", "/api/chat/delete", &[("code", &typed)]).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/chat/delete?done=1");
    let (_, done) = app.browser().html("/chat/delete?done=1").await;
    assert!(done.contains("Falls zu diesem Code ein Verlauf gespeichert war"));
    assert_eq!(admin.html(&format!("/admin/bot/chats/{id}")).await.0, StatusCode::NOT_FOUND);
    assert!(Transcripts::new(&app.running.services.db)
        .list(None, 10, None)
        .await
        .unwrap()
        .is_empty());
}

#[db_test]
async fn the_widget_deletes_earlier_transcripts_and_the_one_button_starts_over(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = &app.running.services.db;
    let transcripts = || Transcripts::new(db);
    // Two earlier stored chats of this browser.
    let mut codes = Vec::new();
    for question in ["Wie lösche ich mein Konto?", "Passwort vergessen"] {
        let mut bot = BotSocket::open(app.addr).await;
        codes.push(bot.start(Language::De, StorageMode::Stored).await.to_string());
        bot.say(question).await;
        bot.end().await;
    }
    assert_eq!(transcripts().list(None, 10, None).await.unwrap().len(), 2);

    let mut bot = BotSocket::open(app.addr).await;
    let current = bot.start(Language::En, StorageMode::Stored).await;
    bot.say("is my chat stored?").await;
    let earlier: Vec<&str> = codes.iter().map(String::as_str).collect();
    assert_eq!(bot.delete(&earlier).await, BotServerFrame::Deleted);
    let left = transcripts().list(None, 10, None).await.unwrap();
    assert_eq!(left.iter().map(|c| c.code).collect::<Vec<_>>(), [current], "only this chat");

    // The one button: ends this chat, deletes it, starts a private one.
    bot.send(BotClientFrame::Forget).await;
    let BotServerFrame::Started { code, mode } = bot.next().await else { panic!("no new chat") };
    assert_ne!(code, current);
    assert_eq!(mode, StorageMode::Private);
    assert!(matches!(bot.next().await, BotServerFrame::Reply { .. }), "greeted");
    assert!(transcripts().list(None, 10, None).await.unwrap().is_empty());
    let reply = bot.say("how do I post a listing?").await;
    assert!(!reply.is_empty());
    assert!(transcripts().list(None, 10, None).await.unwrap().is_empty(), "private: nothing kept");
    bot.end().await;
}

#[db_test]
async fn wrong_codes_get_the_same_answer_and_are_rate_limited(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.bot_codes_per_address = 4).await;
    let mut stored = BotSocket::open(app.addr).await;
    let real = stored.start(Language::De, StorageMode::Stored).await.to_string();
    stored.say("Hallo").await;

    let mut bot = BotSocket::open(app.addr).await;
    let missing = bot.delete(&["K7QM-4XPA-92TD"]).await;
    let garbage = bot.delete(&["not a code at all"]).await;
    let existing = bot.delete(&[&real]).await;
    assert_eq!(missing, BotServerFrame::Deleted);
    assert_eq!(garbage, missing, "a malformed code is answered like a missing one");
    assert_eq!(existing, missing, "and so is one that named a transcript");
    // The page answers alike whether the code named something or not.
    let page = app.browser();
    let res =
        page.form_post("/chat/delete", "/api/chat/delete", &[("code", "ZZZZ-ZZZZ-ZZZZ")]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::FOUND, "/chat/delete?done=1".into()));
    // On the page, something that is not the shape of a code is refused at its field
    // (that says nothing about any chat) and not counted.
    for typo in ["K7QM-4XPA", "K7QM-4XPA-92TU"] {
        let res = page.call("/api/chat/delete", &[("code", typo)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{typo}");
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["Invalid"][0]["field"], "ChatCode", "{err}");
        assert_eq!(err["Invalid"][0]["problem"], "ChatCodeFormat", "{err}");
    }
    // Four codes tried from this address (socket and page together): the fifth waits.
    let limited = bot.delete(&["AAAA-AAAA-AAAA"]).await;
    let BotServerFrame::Error { code: BotErrorCode::RateLimited, retry_after_secs: Some(secs) } =
        limited
    else {
        panic!("not limited: {limited:?}")
    };
    assert!(secs > 0 && secs <= 15 * 60, "{secs}");
    let res = page.call("/api/chat/delete", &[("code", "AAAA-AAAA-AAAA")]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
}

#[db_test]
async fn an_idle_chat_ends_and_is_counted(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.bot.idle = Duration::from_millis(800)).await;
    let mut bot = BotSocket::open(app.addr).await;
    bot.start(Language::En, StorageMode::Private).await;
    // The idle time counts from the visitor's last frame, which the server gets after
    // this instant (taken after the answer, a slow answer would end it "too early").
    let started = std::time::Instant::now();
    bot.say("hello").await;
    assert_eq!(bot.next().await, BotServerFrame::Ended { reason: EndReason::Idle });
    assert!(started.elapsed() >= Duration::from_millis(700), "not before the timeout");
    assert_eq!(bot.next_or_close().await, Err(Some(1000)));
    let hours = Stats::new(&app.running.services.db)
        .hourly(Timestamp(0), Timestamp(i64::MAX))
        .await
        .unwrap();
    let ended: i64 = hours.iter().map(|h| h.counts.chats_ended).sum();
    assert_eq!(ended, 1, "the end is recorded");
}

#[db_test]
async fn statistics_are_hourly_counts_and_admins_download_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let before = hour_of(now());
    for mode in [StorageMode::Stored, StorageMode::Private] {
        let mut bot = BotSocket::open(app.addr).await;
        bot.start(Language::De, mode).await;
        bot.say("Hallo").await;
        bot.say("Danke").await;
        bot.end().await;
    }
    // A socket that just closes (the tab went away) ends its chat too.
    let mut gone = BotSocket::open(app.addr).await;
    gone.start(Language::De, StorageMode::Private).await;
    drop(gone);
    let db = &app.running.services.db;
    let mut total = (0, 0, 0, 0);
    for _ in 0..50 {
        let hours = Stats::new(db).hourly(Timestamp(0), Timestamp(i64::MAX)).await.unwrap();
        assert!(hours.iter().all(|h| h.start % 3_600_000 == 0 && h.start >= before));
        total = hours.iter().fold((0, 0, 0, 0), |t, h| {
            let c = h.counts;
            (
                t.0 + c.chats_started,
                t.1 + c.chats_ended,
                t.2 + c.messages_received,
                t.3 + c.messages_sent,
            )
        });
        if total.1 == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // 3 started, 3 ended; 4 messages in; 3 greetings and 4 replies out.
    assert_eq!(total, (3, 3, 4, 7));

    create_admin(&app, "admin@example.org", "Ada");
    let admin = app.browser();
    admin.call("/api/login", &[("email", "admin@example.org"), ("password", PASSWORD)]).await;
    let res = admin.get("/admin/bot/stats.csv?by=hour").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "period_start_utc,chats_started,chats_ended,messages_received,messages_sent"
    );
    assert!(lines[1].ends_with(":00Z,3,3,4,7") || lines.len() > 2, "{csv}");
    let (status, page) = admin.html("/admin/bot?by=day").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg"), "the chart");
    assert_eq!(admin.get("/admin/bot/stats.csv?by=week").await.status(), StatusCode::BAD_REQUEST);
    let user = app.registered("uwe@example.org", "Uwe", PASSWORD).await;
    assert_eq!(user.get("/admin/bot/stats.csv").await.status(), StatusCode::FORBIDDEN);
    let anonymous = app.browser().get("/admin/bot/stats.csv").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
}

#[db_test]
async fn frames_are_checked_and_limited(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.bot.frames_per_socket_minute = 4;
        c.bot.sockets_per_address = 2;
    })
    .await;
    let mut bot = BotSocket::open(app.addr).await;
    bot.send(BotClientFrame::Say { text: "hi".into(), dialog: None }).await;
    assert!(matches!(
        bot.next().await,
        BotServerFrame::Error { code: BotErrorCode::NotStarted, .. }
    ));
    bot.send_raw("{not json").await;
    assert!(matches!(bot.next().await, BotServerFrame::Error { code: BotErrorCode::BadFrame, .. }));
    bot.send_raw(&format!(r#"{{"type":"say","text":"{}"}}"#, "x".repeat(1001))).await;
    assert!(matches!(bot.next().await, BotServerFrame::Error { code: BotErrorCode::TooLong, .. }));
    bot.start(Language::De, StorageMode::Private).await;
    bot.say("eins").await;
    bot.say("zwei").await;
    // Start, not-started say and three says: the fifth frame this minute waits.
    bot.send(BotClientFrame::Say { text: "drei".into(), dialog: None }).await;
    let _ = bot.next().await;
    bot.send(BotClientFrame::Say { text: "vier".into(), dialog: None }).await;
    assert!(matches!(
        bot.next().await,
        BotServerFrame::Error { code: BotErrorCode::RateLimited, retry_after_secs: Some(_) }
    ));
    // Two sockets from one address at most.
    let second = BotSocket::open(app.addr).await;
    assert_eq!(bot_connect(app.addr, &[]).await.err(), Some(429));
    drop(second);
    // A frame larger than the protocol allows closes the socket.
    bot.send_raw(&"x".repeat(9 * 1024)).await;
    loop {
        match bot.next_or_close().await {
            Ok(_) => continue,
            Err(code) => {
                assert!(matches!(code, Some(1009) | None), "{code:?}");
                break;
            }
        }
    }
}

#[db_test]
async fn the_widget_loads_anywhere_without_cookies(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = app.browser().get("/widget.js").await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers();
    assert!(h["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(h["cross-origin-resource-policy"], "cross-origin");
    assert!(!h.contains_key("set-cookie"));
    assert!(res.text().await.unwrap().contains("widget-chat.js"), "loads the chat on use");
    let chat = app.browser().get("/widget-chat.js?v=1").await;
    assert_eq!(chat.headers()["cross-origin-resource-policy"], "cross-origin");
    assert!(chat.text().await.unwrap().contains("bot/ws"));
    let (status, demo) = app.browser().html("/widget-demo").await;
    assert_eq!(status, StatusCode::OK);
    assert!(demo.contains(r#"src="/widget.js""#));
    // The site's own pages embed the same script.
    let (_, home) = app.browser().html("/").await;
    assert!(home.contains(r#"<script src="/widget.js" async"#), "{home}");
    // The socket takes any origin (the widget lives on other sites) and sets no cookie.
    let mut bot = bot_connect(app.addr, &[("origin", "https://irgendwo.example")]).await.unwrap();
    bot.start(Language::En, StorageMode::Private).await;
}
