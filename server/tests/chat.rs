//! Conversations live over `/ws`: real server, real WebSocket clients, both databases.

mod common;

use common::chat::{texts, Socket};
use common::*;
use futures_util::SinkExt;
use marktchat_shared::chat::{ClientFrame, ClosedReason, ErrorCode, Seq, ServerFrame};
use marktchat_shared::listing::ListingStatus;
use std::collections::HashSet;
use std::time::Duration;

fn is_message(f: &ServerFrame) -> bool {
    matches!(f, ServerFrame::Message { .. })
}

#[db_test]
async fn two_people_exchange_messages_both_ways(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let c = app.direct(&anna, &bert).await;
    let mut a = app.socket(&anna, &[(&c, 0)]).await;
    let mut b = app.socket(&bert, &[(&c, 0)]).await;
    a.send_text(&c, "a-1", "Hallo Bert").await;
    assert_eq!(a.ack("a-1").await, Seq(1));
    let got = b.messages(1).await;
    assert_eq!(texts(&got), ["Hallo Bert"]);
    assert_eq!(got[0].sender.as_ref(), Some(&anna.id));
    // Bert reads it: Anna gets the receipt.
    b.send(ClientFrame::Read { conversation: c.clone(), up_to: Seq(1) }).await;
    let read = a.next_where(|f| matches!(f, ServerFrame::Read { .. })).await;
    assert_eq!(
        read,
        ServerFrame::Read { conversation: c.clone(), user: bert.id.clone(), up_to: Seq(1) }
    );
    b.send_text(&c, "b-1", "Hallo Anna").await;
    assert_eq!(b.ack("b-1").await, Seq(2));
    // Anna's socket also carried her own message (for her other tabs); now Bert's.
    let got = a.messages(1).await;
    assert_eq!(texts(&got), ["Hallo Anna"]);
    // Her badge counts Bert's message.
    assert_eq!(
        a.next_where(|f| matches!(f, ServerFrame::Unread { .. })).await,
        ServerFrame::Unread { total: 1 }
    );
    // Typing reaches the other side only.
    a.send(ClientFrame::Typing { conversation: c.clone() }).await;
    let typing = b.next_where(|f| matches!(f, ServerFrame::Typing { .. })).await;
    assert_eq!(typing, ServerFrame::Typing { conversation: c.clone(), user: anna.id.clone() });
    a.quiet_for(Duration::from_millis(300), |f| !matches!(f, ServerFrame::Typing { .. })).await;
}

#[db_test]
async fn a_page_whose_socket_opens_late_still_learns_what_was_read(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let c = app.direct(&anna, &bert).await;
    let mut a = app.socket(&anna, &[(&c, 0)]).await;
    a.send_text(&c, "a-1", "Hallo Bert").await;
    assert_eq!(a.ack("a-1").await, Seq(1));
    // Anna's page is rendered; Bert reads before her page's socket is live.
    let mut b = app.socket(&bert, &[(&c, 0)]).await;
    b.messages(1).await;
    b.send(ClientFrame::Read { conversation: c.clone(), up_to: Seq(1) }).await;
    b.quiet_for(Duration::from_millis(200), |f| !is_message(f)).await;
    let mut page = app.socket(&anna, &[]).await;
    page.send(ClientFrame::Resume { conversation: c.clone(), after: Seq(1), last: None }).await;
    assert_eq!(
        page.next_where(|f| matches!(f, ServerFrame::Read { .. })).await,
        ServerFrame::Read { conversation: c.clone(), user: bert.id.clone(), up_to: Seq(1) }
    );
    // Bert's page likewise: Anna has read up to her own message.
    let mut bert_page = app.socket(&bert, &[]).await;
    bert_page
        .send(ClientFrame::Resume { conversation: c.clone(), after: Seq(1), last: None })
        .await;
    assert_eq!(
        bert_page.next_where(|f| matches!(f, ServerFrame::Read { .. })).await,
        ServerFrame::Read { conversation: c.clone(), user: anna.id.clone(), up_to: Seq(1) }
    );
}

#[db_test]
async fn a_resend_with_the_same_id_is_stored_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let c = app.direct(&anna, &bert).await;
    let mut a = app.socket(&anna, &[(&c, 0)]).await;
    let mut b = app.socket(&bert, &[(&c, 0)]).await;
    a.send_text(&c, "same-id", "Hallo").await;
    let first = a.ack("same-id").await;
    a.send_text(&c, "same-id", "Hallo").await;
    assert_eq!(a.ack("same-id").await, first);
    a.send_text(&c, "next", "Noch da?").await;
    assert_eq!(a.ack("next").await, first.next());
    assert_eq!(texts(&b.messages(2).await), ["Hallo", "Noch da?"]);
    b.quiet_for(Duration::from_millis(300), |f| !is_message(f)).await;
    let stored: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM messages")
        .fetch_one(app.running.services.db.pool())
        .await
        .unwrap();
    assert_eq!(stored.0, 2);
}

#[db_test]
async fn resuming_after_a_disconnect_delivers_exactly_what_was_missed(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let c = app.direct(&anna, &bert).await;
    let mut a = app.socket(&anna, &[(&c, 0)]).await;
    let mut b = app.socket(&bert, &[(&c, 0)]).await;
    for i in 1..=3 {
        a.send_text(&c, &format!("m{i}"), &format!("vorher {i}")).await;
        a.ack(&format!("m{i}")).await;
    }
    let had = b.messages(3).await;
    drop(b);
    for i in 4..=8 {
        a.send_text(&c, &format!("m{i}"), &format!("verpasst {i}")).await;
        a.ack(&format!("m{i}")).await;
    }
    let mut b = app.socket(&bert, &[(&c, had.last().unwrap().seq.0)]).await;
    let missed = b.messages(5).await;
    assert_eq!(missed.iter().map(|m| m.seq.0).collect::<Vec<_>>(), [4, 5, 6, 7, 8]);
    assert_eq!(texts(&missed)[0], "verpasst 4");
    b.quiet_for(Duration::from_millis(300), |f| !is_message(f)).await;
    // A conversation opened later: `Resume` brings it up to date the same way.
    let mut late = app.socket(&bert, &[]).await;
    late.send(ClientFrame::Resume { conversation: c.clone(), after: Seq(6), last: None }).await;
    assert_eq!(late.messages(2).await.iter().map(|m| m.seq.0).collect::<Vec<_>>(), [7, 8]);
}

#[db_test]
async fn a_third_person_can_neither_subscribe_nor_write(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert, eve) =
        (app.person("Anna").await, app.person("Bert").await, app.person("Eve").await);
    let c = app.direct(&anna, &bert).await;
    let mut a = app.socket(&anna, &[(&c, 0)]).await;
    a.send_text(&c, "a1", "geheim").await;
    a.ack("a1").await;
    let mut e = app.socket(&eve, &[(&c, 0)]).await;
    assert_eq!(
        e.next_where(|f| !matches!(f, ServerFrame::Unread { .. })).await,
        ServerFrame::Error { code: ErrorCode::NotFound, client_id: None, retry_after_secs: None }
    );
    e.send_text(&c, "e1", "Hallo?").await;
    assert!(matches!(
        e.next_where(|f| !matches!(f, ServerFrame::Unread { .. })).await,
        ServerFrame::Error { code: ErrorCode::NotFound, client_id: Some(_), .. }
    ));
    e.send(ClientFrame::Typing { conversation: c.clone() }).await;
    assert!(matches!(e.next().await, ServerFrame::Error { code: ErrorCode::NotFound, .. }));
    e.send(ClientFrame::Read { conversation: c.clone(), up_to: Seq(1) }).await;
    assert!(matches!(e.next().await, ServerFrame::Error { code: ErrorCode::NotFound, .. }));
    // And nothing of the conversation reaches her.
    a.send_text(&c, "a2", "immer noch geheim").await;
    a.ack("a2").await;
    e.quiet_for(Duration::from_millis(400), |f| !is_message(f)).await;
}

#[db_test]
async fn a_flood_of_frames_is_answered_rate_limited_and_the_socket_goes_on(backend: Backend) {
    use marktchat_server::ws::FRAME_BURST;
    let app = spawn_app(backend).await;
    let anna = app.person("Anna").await;
    let mut s = app.socket(&anna, &[]).await;
    // The budget is FRAME_BURST plus the message limit (60 a minute by default).
    let n = FRAME_BURST as usize + 160;
    for _ in 0..n {
        s.send(ClientFrame::Ping).await;
    }
    let (mut answered, mut limited) = (0, 0);
    while answered + limited < n {
        match s.next().await {
            ServerFrame::Pong => answered += 1,
            ServerFrame::Error { code: ErrorCode::RateLimited, client_id: None, .. } => {
                limited += 1
            }
            _ => {}
        }
    }
    assert!(answered >= FRAME_BURST as usize, "a burst passes: {answered}");
    assert!(limited > 0, "past the burst, frames are refused: {answered} answered");
    // The socket goes on, and the budget refills.
    tokio::time::sleep(Duration::from_millis(300)).await;
    s.send(ClientFrame::Ping).await;
    s.next_where(|f| *f == ServerFrame::Pong).await;
}

#[db_test]
async fn past_the_message_limit_the_answer_says_when_sending_resumes(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.messages_per_minute = 3).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let c = app.direct(&anna, &bert).await;
    let mut a = app.socket(&anna, &[]).await;
    for i in 1..=3 {
        a.send_text(&c, &format!("m{i}"), "schnell").await;
        a.ack(&format!("m{i}")).await;
    }
    a.send_text(&c, "m4", "zu schnell").await;
    let refused = a.next_where(|f| matches!(f, ServerFrame::Error { .. })).await;
    let ServerFrame::Error { code, client_id, retry_after_secs: Some(secs) } = refused else {
        panic!("no time to wait given: {refused:?}")
    };
    assert_eq!(
        (code, client_id.as_ref().map(|c| c.as_str())),
        (ErrorCode::RateLimited, Some("m4"))
    );
    assert!((1..=60).contains(&secs), "{secs}");
    // The same limit for a reply posted as a form: 429, with the time in Retry-After.
    let res = anna
        .browser
        .call(
            "/api/conversations/send",
            &[("conversation", c.0.as_str()), ("client_id", "f1"), ("text", "per Formular")],
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
}

#[db_test]
async fn sockets_from_other_sites_or_without_a_session_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.person("Anna").await;
    assert_eq!(app.ws_raw(&anna, Some("https://evil.example")).await.err(), Some(403));
    assert_eq!(app.ws_raw(&anna, None).await.err(), Some(403));
    let stranger = common::chat::Person { id: anna.id.clone(), browser: app.browser() };
    assert_eq!(app.ws_raw(&stranger, Some(&app.origin())).await.err(), Some(401));
    // One user's sockets are bounded; closing one frees its place.
    let mut open = Vec::new();
    for _ in 0..marktchat_server::ws::MAX_SOCKETS_PER_USER {
        open.push(app.ws_raw(&anna, Some(&app.origin())).await.unwrap());
    }
    // Past the cap the socket opens and is closed at once, with a code a browser sees.
    let stream = app.ws_raw(&anna, Some(&app.origin())).await.unwrap();
    let mut refused = Socket { stream, user: anna.id.clone() };
    assert_eq!(refused.next_or_close().await.unwrap_err(), Some(4002));
    drop(open);
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The first frame must be Hello, in a version the server speaks.
    let stream = app.ws_raw(&anna, Some(&app.origin())).await.unwrap();
    let mut s = Socket { stream, user: anna.id.clone() };
    s.send(ClientFrame::Hello { version: 99, resume: vec![] }).await;
    assert_eq!(
        s.next().await,
        ServerFrame::Error {
            code: ErrorCode::UnsupportedVersion,
            client_id: None,
            retry_after_secs: None
        }
    );
    assert_eq!(s.next_or_close().await.unwrap_err(), Some(1002));
    // Garbage is refused without ending the socket.
    let mut s = app.socket(&anna, &[]).await;
    s.stream.send(tokio_tungstenite::tungstenite::Message::text("{not json")).await.unwrap();
    assert_eq!(
        s.next_where(|f| !matches!(f, ServerFrame::Unread { .. })).await,
        ServerFrame::Error { code: ErrorCode::BadFrame, client_id: None, retry_after_secs: None }
    );
    s.send(ClientFrame::Ping).await;
    assert_eq!(s.next().await, ServerFrame::Pong);
}

#[db_test]
async fn a_listing_that_goes_makes_its_conversations_read_only_live(backend: Backend) {
    let app = spawn_app(backend).await;
    let (sara, bert) = (app.person("Sara").await, app.person("Bert").await);
    let services = &app.running.services;
    let (seller, listing) = app.listing_of(&sara, "Rotes Fahrrad").await;
    let about = marktchat_services::conversations::About::Listing(listing.id.clone());
    let c = services.conversations().find_or_start(&bert.id, &about).await.unwrap();
    let mut b = app.socket(&bert, &[(&c, 0)]).await;
    b.send_text(&c, "b1", "Noch da?").await;
    b.ack("b1").await;
    services.set_listing_status(&seller, &listing.id, ListingStatus::Inactive).await.unwrap();
    assert_eq!(
        b.next_where(|f| matches!(f, ServerFrame::Closed { .. })).await,
        ServerFrame::Closed { conversation: c.clone(), reason: ClosedReason::ListingDeactivated }
    );
    b.send_text(&c, "b2", "Hallo?").await;
    assert!(matches!(
        b.next_where(|f| matches!(f, ServerFrame::Error { .. })).await,
        ServerFrame::Error { code: ErrorCode::CannotSend, client_id: Some(_), .. }
    ));
}

#[db_test]
async fn blocking_stops_writing_and_unblocking_allows_it_again(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let c = app.direct(&anna, &bert).await;
    let mut b = app.socket(&bert, &[(&c, 0)]).await;
    app.running.services.set_blocked(&anna.id, &bert.id, true).await.unwrap();
    assert_eq!(
        b.next_where(|f| matches!(f, ServerFrame::Changed { .. })).await,
        ServerFrame::Changed { conversation: c.clone() }
    );
    b.send_text(&c, "b1", "Hallo?").await;
    assert!(matches!(
        b.next_where(|f| matches!(f, ServerFrame::Error { .. })).await,
        ServerFrame::Error { code: ErrorCode::CannotSend, client_id: Some(_), .. }
    ));
    app.running.services.set_blocked(&anna.id, &bert.id, false).await.unwrap();
    b.send_text(&c, "b1", "Hallo?").await;
    assert_eq!(b.ack("b1").await, Seq(1));
}

#[db_test]
async fn blocking_and_leaving_stop_typing_notices_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert, carl) =
        (app.person("Anna").await, app.person("Bert").await, app.person("Carl").await);
    let c = app.direct(&anna, &bert).await;
    app.running.services.add_participant(&anna.id, &c, &carl.id).await.unwrap();
    let mut a = app.socket(&anna, &[(&c, 0)]).await;
    let mut b = app.socket(&bert, &[(&c, 0)]).await;
    let typing = |f: &ServerFrame| matches!(f, ServerFrame::Typing { .. });
    // Bert's notice reaches Anna while nothing stands between them.
    b.send(ClientFrame::Typing { conversation: c.clone() }).await;
    assert_eq!(
        a.next_where(typing).await,
        ServerFrame::Typing { conversation: c.clone(), user: bert.id.clone() }
    );
    // Anna blocks him: his next notice (after the throttle) reaches nobody.
    app.running.services.set_blocked(&anna.id, &bert.id, true).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    b.send(ClientFrame::Typing { conversation: c.clone() }).await;
    a.quiet_for(Duration::from_millis(500), |f| !typing(f)).await;
    app.running.services.set_blocked(&anna.id, &bert.id, false).await.unwrap();
    // Carl leaves: his socket's notices are refused, and reach nobody.
    let mut k = app.socket(&carl, &[(&c, 0)]).await;
    k.send(ClientFrame::Typing { conversation: c.clone() }).await;
    a.next_where(typing).await;
    app.running.services.leave_conversation(&carl.id, &c).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    k.send(ClientFrame::Typing { conversation: c.clone() }).await;
    assert!(matches!(
        k.next_where(|f| matches!(f, ServerFrame::Error { .. })).await,
        ServerFrame::Error { code: ErrorCode::NotFound, client_id: None, retry_after_secs: None }
    ));
    a.quiet_for(Duration::from_millis(500), |f| !typing(f)).await;
}

#[db_test]
async fn a_copy_from_before_a_database_restore_is_reset_not_skipped(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let c = app.direct(&anna, &bert).await;
    let mut a = app.socket(&anna, &[(&c, 0)]).await;
    for i in 1..=3 {
        a.send_text(&c, &format!("m{i}"), &format!("vorher {i}")).await;
        a.ack(&format!("m{i}")).await;
    }
    let resume = |after: u64, last: &str| ClientFrame::Resume {
        conversation: c.clone(),
        after: Seq(after),
        last: Some(marktchat_shared::chat::ClientMessageId::parse(last).unwrap()),
    };
    let reset = ServerFrame::Reset { conversation: c.clone() };
    let not_unread = |f: &ServerFrame| !matches!(f, ServerFrame::Unread { .. });
    // Bert's copy matches the database: resumed, nothing to send yet.
    let mut b = app.socket(&bert, &[]).await;
    b.send(resume(2, "m2")).await;
    assert_eq!(texts(&b.messages(1).await), ["vorher 3"]);
    // The database is restored from a backup taken after the 2nd message: the 3rd is
    // gone, and the next one written gets its number.
    let db = app.running.services.db.pool();
    sqlx::query("DELETE FROM messages WHERE conversation_id = $1 AND seq = 3")
        .bind(&c.0)
        .execute(db)
        .await
        .unwrap();
    sqlx::query("UPDATE conversations SET last_seq = 2 WHERE id = $1")
        .bind(&c.0)
        .execute(db)
        .await
        .unwrap();
    // A client holding the lost message is told so before the number is given again,
    let mut stale = app.socket(&bert, &[]).await;
    stale.send(resume(3, "m3")).await;
    assert_eq!(stale.next_where(not_unread).await, reset);
    // and after: the 3rd number now names another message, which it would skip.
    a.send_text(&c, "m3b", "nach der Wiederherstellung").await;
    assert_eq!(a.ack("m3b").await, Seq(3));
    let mut stale = app.socket(&bert, &[]).await;
    stale.send(resume(3, "m3")).await;
    assert_eq!(stale.next_where(not_unread).await, reset);
    stale.quiet_for(Duration::from_millis(300), |f| !is_message(f)).await;
    // Loaded afresh (what the page does on `Reset`), the copy is the server's again.
    stale.send(resume(3, "m3b")).await;
    a.send_text(&c, "m4", "weiter").await;
    a.ack("m4").await;
    assert_eq!(texts(&stale.messages(1).await), ["weiter"]);
    // An older client that names no message is reset when it holds more than exists.
    let mut old = app.socket(&bert, &[(&c, 9)]).await;
    assert_eq!(old.next_where(not_unread).await, reset);
    // And nobody learns anything of a conversation that is not theirs.
    let eve = app.person("Eve").await;
    let mut e = app.socket(&eve, &[]).await;
    e.send(resume(3, "m3")).await;
    assert_eq!(
        e.next_where(not_unread).await,
        ServerFrame::Error { code: ErrorCode::NotFound, client_id: None, retry_after_secs: None }
    );
}

#[db_test]
async fn a_slow_reader_does_not_hold_up_the_others(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.messages_per_minute = 100_000).await;
    let (anna, bert, carl) =
        (app.person("Anna").await, app.person("Bert").await, app.person("Carl").await);
    let c = app.direct(&anna, &bert).await;
    app.running.services.add_participant(&anna.id, &c, &carl.id).await.unwrap();
    // Carl opens a socket and then reads nothing for a long while.
    let mut slow = app.socket(&carl, &[(&c, 0)]).await;
    let mut fast = app.socket(&bert, &[(&c, 0)]).await;
    let mut a = app.socket(&anna, &[(&c, 0)]).await;
    let big = "x".repeat(3900);
    const N: usize = 600;
    let started = tokio::time::Instant::now();
    for i in 0..N {
        a.send_text(&c, &format!("m{i}"), &big).await;
        a.ack(&format!("m{i}")).await;
    }
    // Bert got everything while Carl read nothing.
    let got = fast.messages(N).await;
    assert_eq!(got.last().unwrap().seq, Seq(N as u64));
    let took = started.elapsed();
    // Carl now reads: everything arrives, or he is told he fell behind, and a resume
    // delivers the rest. Either way, each message exactly once.
    let mut seen = Vec::new();
    loop {
        match slow.next_or_close().await {
            Ok(ServerFrame::Message { message }) => {
                seen.push(message.seq.0);
                if seen.len() == N {
                    break;
                }
            }
            Ok(_) => {}
            Err(code) => {
                // Told it fell behind, or (its connection clogged past the write
                // timeout) dropped without a word.
                assert!(matches!(code, Some(4000) | None), "closed for falling behind: {code:?}");
                let after = seen.last().copied().unwrap_or(0);
                slow = app.socket(&carl, &[(&c, after)]).await;
            }
        }
    }
    assert_eq!(seen, (1..=N as u64).collect::<Vec<_>>());
    eprintln!("{N} messages reached the fast reader in {took:?}");
}

#[db_test]
async fn a_hundred_clients_each_message_exactly_once_to_everyone(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.messages_per_minute = 100_000).await;
    const CLIENTS: usize = 100;
    const EACH: usize = 100;
    let mut people = Vec::new();
    for i in 0..CLIENTS {
        people.push(app.person(&format!("Person {i}")).await);
    }
    // Pairs: 0–1, 2–3, …
    let mut conversations = Vec::new();
    for pair in people.chunks(2) {
        conversations.push(app.direct(&pair[0], &pair[1]).await);
    }
    let mut tasks = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let c = conversations[i / 2].clone();
        let mut socket = app.socket(person, &[(&c, 0)]).await;
        tasks.push(tokio::spawn(async move {
            let mut seqs = Vec::new();
            let mut acked = 0;
            for m in 0..EACH {
                socket.send_text(&c, &format!("c{i}-{m}"), &format!("{i}/{m}")).await;
            }
            // Both sides' messages reach both sides: 2 × EACH each.
            while seqs.len() < 2 * EACH || acked < EACH {
                match socket.next().await {
                    ServerFrame::Message { message } => seqs.push(message.seq.0),
                    ServerFrame::Ack { .. } => acked += 1,
                    ServerFrame::Error { code, .. } => panic!("refused: {code:?}"),
                    _ => {}
                }
            }
            seqs
        }));
    }
    for task in tasks {
        let seqs = task.await.unwrap();
        let unique: HashSet<_> = seqs.iter().collect();
        assert_eq!(unique.len(), seqs.len(), "no message twice");
        assert_eq!(seqs, (1..=2 * EACH as u64).collect::<Vec<_>>(), "all, in order");
    }
}

#[db_test(flavor = "multi_thread")]
async fn a_restart_loses_no_acknowledged_message(backend: Backend) {
    use common::chat::open_socket;
    let mut server = ServerProcess::start(backend, &["--messages-per-minute", "10000"]).await;
    let db = marktchat_services::Database::connect(server.database_url()).await.unwrap();
    let services = marktchat_services::Services::new(db, Default::default());
    let (anna, anna_token) =
        marktchat_services::testing::user_with_session(&services, "Anna").await;
    let (bert, bert_token) =
        marktchat_services::testing::user_with_session(&services, "Bert").await;
    let cookie = |t: &str| format!("{}={t}", marktchat_services::sessions::SESSION_COOKIE);
    let c = services
        .conversations()
        .find_or_start(&anna, &marktchat_services::conversations::About::Person(bert.clone()))
        .await
        .unwrap();
    let mut a = open_socket(server.addr, &cookie(&anna_token), &anna, &[(&c, 0)]).await;
    let mut b = open_socket(server.addr, &cookie(&bert_token), &bert, &[(&c, 0)]).await;
    for i in 1..=5 {
        a.send_text(&c, &format!("m{i}"), &format!("Nachricht {i}")).await;
        a.ack(&format!("m{i}")).await;
    }
    let before = b.messages(3).await;
    // The outbox: everything sent, acknowledged or not yet.
    for i in 6..=10 {
        a.send_text(&c, &format!("m{i}"), &format!("Nachricht {i}")).await;
    }
    server.restart().await;
    // The old sockets were closed by the server ("restarting"), not cut off.
    loop {
        match a.next_or_close().await {
            Ok(_) => {}
            Err(code) => {
                assert_eq!(code, Some(1012), "closed for a restart");
                break;
            }
        }
    }
    // The client resends what is not acknowledged; the resend of a stored one is
    // answered with its stored number.
    let mut a = open_socket(server.addr, &cookie(&anna_token), &anna, &[(&c, 10)]).await;
    for i in 6..=10 {
        a.send_text(&c, &format!("m{i}"), &format!("Nachricht {i}")).await;
        a.ack(&format!("m{i}")).await;
    }
    let mut b = open_socket(
        server.addr,
        &cookie(&bert_token),
        &bert,
        &[(&c, before.last().unwrap().seq.0)],
    )
    .await;
    let rest = b.messages(7).await;
    assert_eq!(rest.iter().map(|m| m.seq.0).collect::<Vec<_>>(), (4..=10).collect::<Vec<_>>());
    let all: Vec<String> = before.iter().chain(&rest).map(|m| m.text.as_str().to_owned()).collect();
    assert_eq!(all, (1..=10).map(|i| format!("Nachricht {i}")).collect::<Vec<_>>());
    b.quiet_for(Duration::from_millis(300), |f| !is_message(f)).await;
}

/// The conversation pages and server functions, as a browser without JavaScript uses them.
mod pages {
    use super::*;
    use reqwest::StatusCode;

    fn form_value(html: &str, name: &str) -> String {
        let at =
            html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no {name} field"));
        let rest = &html[at..];
        let v = &rest[rest.find("value=\"").unwrap() + 7..];
        v[..v.find('"').unwrap()].to_owned()
    }

    #[db_test]
    async fn the_recipient_is_warned_of_paying_off_the_site_and_the_sender_is_not(
        backend: Backend,
    ) {
        let app = spawn_app(backend).await;
        let (sara, bert) = (app.person("Sara").await, app.person("Bert").await);
        let (_, listing) = app.listing_of(&sara, "Altes Sofa").await;
        let page = format!("/listings/{}", listing.id);
        let contact = |text: &'static str| {
            let (page, listing) = (page.clone(), listing.id.clone());
            let bert = &bert;
            async move {
                let (_, html) = bert.browser.html(&page).await;
                let client_id = form_value(&html, "client_id");
                let form =
                    [("listing", listing.as_str()), ("client_id", &client_id), ("text", text)];
                let res = bert.browser.form_post(&page, "/api/conversations/contact", &form).await;
                assert_eq!(res.status(), StatusCode::FOUND);
                location(&res)
            }
        };
        let conversation =
            contact("Preis 1.200 €, Abholung in 10115 Berlin am 01.05. um 18 Uhr?").await;
        let (_, html) = sara.browser.html(&conversation).await;
        assert!(!html.contains("Sicherheitshinweis"), "prices, postal codes and dates are fine");
        let id = conversation.trim_start_matches("/messages/").to_owned();
        let client_id = form_value(&html, "client_id");
        let text =
            "Zahl lieber per PayPal Freunde an paypal.me/bert123, oder WhatsApp 0176 1234567";
        let form = [("conversation", id.as_str()), ("client_id", &client_id), ("text", text)];
        let res = bert.browser.form_post(&conversation, "/api/conversations/send", &form).await;
        assert_eq!(res.status(), StatusCode::FOUND);
        let (_, html) = sara.browser.html(&conversation).await;
        assert_eq!(html.matches("class=\"safety-note\"").count(), 1, "{html}");
        assert!(html.contains("Bezahle nie per PayPal Freunde"));
        assert!(html.contains("Dieser Link führt weg von marktchat"));
        assert!(html.contains("Bleib für Absprachen und Bezahlung hier im Chat"));
        let (_, html) = bert.browser.html(&conversation).await;
        assert!(html.contains("paypal.me/bert123"));
        assert!(!html.contains("Sicherheitshinweis"), "the sender is never told");
    }

    #[db_test]
    async fn contact_from_a_listing_read_and_reply_without_javascript(backend: Backend) {
        let app = spawn_app(backend).await;
        let (sara, bert) = (app.person("Sara").await, app.person("Bert").await);
        let (_, listing) = app.listing_of(&sara, "Rotes Fahrrad").await;
        let page = format!("/listings/{}", listing.id);
        let (_, html) = bert.browser.html(&page).await;
        assert!(html.contains("Verkäufer kontaktieren"), "the contact form is on the listing");
        let client_id = form_value(&html, "client_id");
        let form = [
            ("listing", listing.id.as_str()),
            ("client_id", &client_id),
            ("text", "Ist das <b>Rad</b> noch da? https://example.org/x"),
        ];
        let res = bert.browser.form_post(&page, "/api/conversations/contact", &form).await;
        assert_eq!(res.status(), StatusCode::FOUND);
        let conversation = location(&res);
        assert!(conversation.starts_with("/messages/"), "{conversation}");
        // The same form sent again: the same message, not a second one.
        let res = bert.browser.form_post(&page, "/api/conversations/contact", &form).await;
        assert_eq!(location(&res), conversation);
        // The listing now offers the conversation instead of a new one.
        let (_, html) = bert.browser.html(&page).await;
        assert!(html.contains(&format!("href=\"{conversation}\"")));

        // Sara sees it, grouped under the listing, with the text escaped and the link live.
        let (status, inbox) = sara.browser.html("/messages").await;
        assert_eq!(status, StatusCode::OK);
        assert!(inbox.contains("Rotes Fahrrad") && inbox.contains("Bert"));
        assert!(inbox.contains("badge unread-total"), "one unread message in the header");
        let (status, html) = sara.browser.html(&conversation).await;
        assert_eq!(status, StatusCode::OK);
        // The page that shows the message read it: its header counts it read already.
        assert!(!html.contains("badge unread-total"), "the badge is not a page behind");
        assert!(html.contains("Ist das &lt;b&gt;Rad&lt;/b&gt; noch da?"), "text, not HTML");
        assert!(!html.contains("<b>Rad</b>"));
        assert!(html.contains("<a href=\"https://example.org/x\""));
        assert_eq!(html.matches("class=\"message theirs\"").count(), 1);
        // She replies with a plain form post and lands back in the conversation.
        let id = conversation.trim_start_matches("/messages/").to_owned();
        let reply_id = form_value(&html, "client_id");
        let res = sara
            .browser
            .form_post(
                &conversation,
                "/api/conversations/send",
                &[("conversation", &id), ("client_id", &reply_id), ("text", "Ja, ist noch da.")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FOUND);
        assert!(location(&res).starts_with(&conversation));
        let (_, html) = bert.browser.html(&conversation).await;
        assert!(html.contains("Ja, ist noch da."));
        // An empty message is refused with a message, nothing stored.
        let res = sara
            .browser
            .call(
                "/api/conversations/send",
                &[("conversation", &id), ("client_id", "x-1"), ("text", "   ")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[db_test]
    async fn others_get_not_found_from_pages_and_server_functions(backend: Backend) {
        let app = spawn_app(backend).await;
        let (anna, bert, eve) =
            (app.person("Anna").await, app.person("Bert").await, app.person("Eve").await);
        let c = app.direct(&anna, &bert).await;
        let mut a = app.socket(&anna, &[]).await;
        a.send_text(&c, "a1", "geheim").await;
        a.ack("a1").await;
        let page = format!("/messages/{}", c.0);
        let (status, html) = eve.browser.html(&page).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!html.contains("geheim"));
        let res = eve.browser.call("/api/conversations/get", &[("id", &c.0)]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = eve
            .browser
            .call(
                "/api/conversations/send",
                &[("conversation", &c.0), ("client_id", "e1"), ("text", "hi")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        for action in
            ["/api/conversations/archive", "/api/conversations/mute", "/api/conversations/leave"]
        {
            let res = eve.browser.call(action, &[("id", &c.0)]).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{action}");
        }
        let (_, inbox) = eve.browser.html("/messages").await;
        assert!(!inbox.contains("geheim"));
        // Logged out: asked to log in, nothing shown.
        let (_, html) = app.browser().html(&page).await;
        assert!(!html.contains("geheim"));
        // From another site: refused before anything happens.
        let res = anna
            .browser
            .client
            .post(app.url("/api/conversations/send"))
            .header("origin", "https://evil.example")
            .form(&[("conversation", c.0.as_str()), ("client_id", "x"), ("text", "hi")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }

    #[db_test]
    async fn a_deleted_accounts_messages_show_from_a_deleted_user(backend: Backend) {
        let app = spawn_app(backend).await;
        let bert = app.person("Bert").await;
        let anna = app.registered("anna@example.de", "Anna Alt", PASSWORD).await;
        let anna_id: (String,) =
            sqlx::query_as("SELECT id FROM users WHERE email = 'anna@example.de'")
                .fetch_one(app.running.services.db.pool())
                .await
                .unwrap();
        let anna_id = marktchat_shared::UserId(anna_id.0);
        let c = app
            .running
            .services
            .conversations()
            .find_or_start(
                &anna_id,
                &marktchat_services::conversations::About::Person(bert.id.clone()),
            )
            .await
            .unwrap();
        let text = marktchat_shared::chat::MessageText::parse("Hallo von Anna").unwrap();
        let cid = marktchat_shared::chat::ClientMessageId::parse("a1").unwrap();
        app.running.services.send_message(&anna_id, &c, &cid, &text).await.unwrap();
        let res = anna
            .form_post(
                "/profile",
                "/api/profile/delete",
                &[("current_password", PASSWORD), ("confirm", "1")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FOUND, "the account is deleted");
        let (status, html) = bert.browser.html(&format!("/messages/{}", c.0)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Hallo von Anna"));
        assert!(html.contains("ein gelöschtes Konto"));
        assert!(!html.contains("Anna Alt"));
    }

    #[db_test]
    async fn adding_a_person_by_name_or_profile_link(backend: Backend) {
        let app = spawn_app(backend).await;
        let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
        let carl = app.person("Carl Neu").await;
        let (_twin1, _twin2) = (app.person("Zwilling").await, app.person("Zwilling").await);
        let c = app.direct(&anna, &bert).await;
        let page = format!("/messages/{}", c.0);
        let add = |person: &str| {
            let form = [("id", c.0.clone()), ("person", person.to_owned())];
            let browser = &anna.browser;
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                browser.call("/api/conversations/add", &form).await
            }
        };
        assert_eq!(add("Niemand Bekanntes").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(add("zwilling").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(add("/users/not-a-member").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = carl.browser.html(&page).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "not in it yet");
        // By name, ignoring case and extra spaces; then it is a group of three.
        assert!(add("  carl   neu ").await.status().is_success());
        let (status, html) = carl.browser.html(&page).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Anna") && html.contains("Bert"));
        // Someone outside cannot add people.
        let res = carl
            .browser
            .call("/api/conversations/add", &[("id", "no-such"), ("person", "Anna")])
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        // By profile link.
        let dora = app.person("Dora").await;
        let link = app.url(&format!("/users/{}", dora.id.0));
        assert!(add(&link).await.status().is_success());
        assert_eq!(dora.browser.html(&page).await.0, StatusCode::OK);
    }

    #[db_test]
    async fn archive_delete_and_block_work_as_plain_forms(backend: Backend) {
        let app = spawn_app(backend).await;
        let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
        let c = app.direct(&anna, &bert).await;
        let mut a = app.socket(&anna, &[]).await;
        a.send_text(&c, "a1", "Hallo Bert").await;
        a.ack("a1").await;
        let page = format!("/messages/{}", c.0);
        let post = |action: &'static str, form: Vec<(&'static str, String)>| {
            let (browser, page) = (&bert.browser, page.clone());
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                browser.form_post(&page, action, &form).await
            }
        };
        // Archive: out of the active tab, into the archive.
        let res =
            post("/api/conversations/archive", vec![("id", c.0.clone()), ("on", "1".into())]).await;
        assert_eq!((res.status(), location(&res)), (StatusCode::FOUND, page.clone()));
        assert!(!bert.browser.html("/messages").await.1.contains("Hallo Bert"));
        assert!(bert.browser.html("/messages?tab=archived").await.1.contains("Hallo Bert"));
        // Delete needs the confirmation; without it, back to the form with the error.
        let res = post("/api/conversations/delete", vec![("id", c.0.clone())]).await;
        assert_eq!(res.status(), StatusCode::FOUND);
        assert!(location(&res).ends_with(&page), "{}", location(&res));
        let (_, html) = bert.browser.html(&page).await;
        assert!(
            html.contains("Bitte bestätige das Löschen mit dem Häkchen."),
            "on the form: {html}"
        );
        let res =
            post("/api/conversations/delete", vec![("id", c.0.clone()), ("confirm", "1".into())])
                .await;
        assert_eq!(location(&res), "/messages?deleted=1");
        assert!(!bert.browser.html("/messages?tab=archived").await.1.contains("Hallo Bert"));
        assert!(anna.browser.html(&page).await.1.contains("Hallo Bert"), "Anna keeps hers");
        // Block from the conversation: Anna can no longer write; the profile lists her.
        let res = post(
            "/api/conversations/block",
            vec![("user", anna.id.0.clone()), ("on", "1".into()), ("next", page.clone())],
        )
        .await;
        assert_eq!(location(&res), page);
        a.send_text(&c, "a2", "Hallo?").await;
        assert!(matches!(
            a.next_where(|f| matches!(f, ServerFrame::Error { .. })).await,
            ServerFrame::Error { code: ErrorCode::CannotSend, .. }
        ));
        let (_, profile) = bert.browser.html("/profile").await;
        assert!(profile.contains("Anna"), "the blocked list names her");
        // Unblock from the profile.
        let res = post(
            "/api/conversations/block",
            vec![("user", anna.id.0.clone()), ("next", "/profile#blocked".into())],
        )
        .await;
        assert_eq!(location(&res), "/profile#blocked");
        a.send_text(&c, "a3", "Jetzt wieder?").await;
        assert_eq!(a.ack("a3").await, Seq(2));
    }

    /// "Sold" from the listing page, as a plain form: to one of the people who wrote
    /// (offered by name), never to anyone else; their conversation stays open.
    #[db_test]
    async fn a_listing_is_sold_to_one_of_the_people_who_wrote(backend: Backend) {
        let app = spawn_app(backend).await;
        let (sara, bert, carl) =
            (app.person("Sara").await, app.person("Bert").await, app.person("Carl").await);
        let (_, listing) = app.listing_of(&sara, "Rotes Fahrrad").await;
        let about = marktchat_services::conversations::About::Listing(listing.id.clone());
        let conversations = app.running.services.conversations();
        let with_bert = conversations.find_or_start(&bert.id, &about).await.unwrap();
        let page = format!("/listings/{}", listing.id);
        let (_, html) = sara.browser.html(&page).await;
        assert!(html.contains(&format!(r#"<option value="{}">"#, bert.id.0)), "{html}");
        assert!(!html.contains(&carl.id.0), "only who wrote is offered");
        let sell = |buyer: String| {
            let (browser, id) = (&sara.browser, listing.id.clone());
            async move {
                browser
                    .form_post(
                        &format!("/listings/{id}"),
                        "/api/listings/status",
                        &[("id", id.as_str()), ("status", "sold"), ("buyer", buyer.as_str())],
                    )
                    .await
            }
        };
        // Carl never wrote: refused at the field, nothing sold.
        let res = sell(carl.id.0.clone()).await;
        assert!(location(&res).ends_with(&page), "{}", location(&res));
        let (_, html) = sara.browser.html(&page).await;
        assert!(html.contains("an jemanden, der dir zu dieser Anzeige geschrieben hat"), "{html}");
        // A buyer with any other change is refused too.
        let res = sara
            .browser
            .call(
                "/api/listings/status",
                &[("id", &listing.id), ("status", "reserved"), ("buyer", &bert.id.0)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = sell(bert.id.0.clone()).await;
        assert_eq!(location(&res), format!("{page}?status=sold"));
        let view = conversations.view(&bert.id, &with_bert, None).await.unwrap();
        assert!(view.can_send && view.closed.is_none(), "the buyer's conversation stays open");
        // Only the seller sells.
        let res = bert
            .browser
            .call("/api/listings/status", &[("id", &listing.id), ("status", "active")])
            .await;
        assert_ne!(res.status(), StatusCode::OK);
    }
}

/// A conversation page hands its messages to the browser twice: as HTML and as the
/// live island's props (JSON in an attribute). A message that looks like markup stays
/// text in both.
#[db_test]
async fn a_hostile_message_stays_text_in_the_page_and_in_the_island_props(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let c = app.direct(&anna, &bert).await;
    let hostile = r#""'><img src=x onerror=alert(1)></leptos-island><script>alert(2)</script>"#;
    let text = marktchat_shared::chat::MessageText::parse(hostile).unwrap();
    let cid = marktchat_shared::chat::ClientMessageId::parse("h1").unwrap();
    app.running.services.send_message(&anna.id, &c, &cid, &text).await.unwrap();
    let (status, html) = bert.browser.html(&format!("/messages/{}", c.0)).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(html.contains("<leptos-island") && html.contains("data-props=\""), "an island: {html}");
    assert!(!html.contains("<img src=x"), "no element from the message: {html}");
    assert!(!html.contains("<script>alert(2)"), "no script from the message: {html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "the message as text: {html}");
}

/// Times on pages are on the reader's clock: the profile's zone, else the browser's
/// (the cookie the page's script sets), else Europe/Berlin. An unknown zone is refused
/// at its field, and a forged cookie counts for nothing.
#[db_test]
async fn pages_show_times_in_the_readers_zone(backend: Backend) {
    use marktchat_services::zones::{known, offset_at};
    use marktchat_shared::Zone;
    use reqwest::StatusCode;
    let app = spawn_app(backend).await;
    let (anna, bert) = (app.person("Anna").await, app.person("Bert").await);
    let c = app.direct(&anna, &bert).await;
    let mut a = app.socket(&anna, &[(&c, 0)]).await;
    a.send_text(&c, "a-1", "Wann passt es dir?").await;
    a.ack("a-1").await;
    let sent =
        app.running.services.conversations().messages_after(&bert.id, &c, Seq(0), 1).await.unwrap();
    let at = sent[0].sent_at;
    // What a reader in `zone` must see: "HH:MM" and the instant it stands for.
    let shown = |zone: Zone| {
        let local = at.local(offset_at(zone, at));
        format!(
            "<time datetime=\"{}\">{:02}:{:02}</time>",
            at.iso_minute_utc(),
            local.hour,
            local.minute
        )
    };
    let page = format!("/messages/{}", c.0);
    let time_of = |html: &str| {
        let start = html.find("<time datetime=").expect("the message has a time");
        html[start..].split_inclusive("</time>").next().unwrap().to_owned()
    };

    // Nothing known yet: Berlin.
    let (_, html) = bert.browser.html(&page).await;
    assert_eq!(time_of(&html), shown(Zone::DEFAULT));
    // The browser said Kolkata (UTC+05:30 all year).
    let kolkata = known("Asia/Kolkata").unwrap();
    let url = app.url("/").parse().unwrap();
    bert.browser.jar.add_cookie_str("marktchat_tz=Asia%2FKolkata", &url);
    let (_, html) = bert.browser.html(&page).await;
    assert_eq!(time_of(&html), shown(kolkata));
    assert_ne!(shown(kolkata), shown(Zone::DEFAULT), "the zones differ at any instant");
    // The inbox too (date and time).
    let (_, inbox) = bert.browser.html("/messages").await;
    let local = at.local(offset_at(kolkata, at));
    assert!(inbox.contains(&format!("{:02}:{:02}</time>", local.hour, local.minute)), "{inbox}");

    // The profile's zone wins over the browser's.
    let profile = |zone: &'static str| {
        [
            ("display_name", "Bert"),
            ("location", ""),
            ("bio", ""),
            ("language", "de"),
            ("time_zone", zone),
        ]
    };
    let res = bert.browser.call("/api/profile/update", &profile("America/Sao_Paulo")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_, html) = bert.browser.html(&page).await;
    assert_eq!(time_of(&html), shown(known("America/Sao_Paulo").unwrap()));
    let (_, form) = bert.browser.html("/profile").await;
    assert!(form.contains("<option value=\"America/Sao_Paulo\" selected"), "the form shows it");

    // Unknown zones are refused at the field; the setting stays.
    for bad in ["Europe/Atlantis", "../../etc/localtime", "Europe/Berlin<script>"] {
        let res = bert.browser.call("/api/profile/update", &profile(bad)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let (_, html) = bert.browser.html(&page).await;
    assert_eq!(time_of(&html), shown(known("America/Sao_Paulo").unwrap()));

    // Back to "as my browser says"; a forged cookie then counts for nothing.
    let res = bert.browser.call("/api/profile/update", &profile("")).await;
    assert_eq!(res.status(), StatusCode::OK);
    bert.browser.jar.add_cookie_str("marktchat_tz=..%2F..%2Fetc%2Fpasswd", &url);
    let (status, html) = bert.browser.html(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(time_of(&html), shown(Zone::DEFAULT));
}
