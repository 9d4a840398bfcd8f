//! Several instances of one installation: one PostgreSQL database, live events over a
//! throwaway NATS server (`common::nats`), each instance with its own data folder and
//! process state. Several instances are PostgreSQL's mode (SQLite is one process), so
//! these tests run on PostgreSQL only; they are named `…::postgres` like the second
//! half of every `#[db_test]`, and `--db sqlite` leaves them out.

mod common;

use common::chat::{texts, Socket};
use common::nats::NatsServer;
use common::{spawn_app_with, Backend, TestApp};
use marktchat_server::startup::NatsConfig;
use marktchat_server::Config;
use marktchat_shared::chat::{close, ServerFrame};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const SECRET: &str = "the same secret on every instance, 32+ characters";

fn on_nats(nats: &NatsServer) -> impl Fn(&mut Config) + '_ {
    move |c: &mut Config| {
        c.nats = Some(NatsConfig { url: nats.url(), subject: "marktchat.test".into() });
        c.limit_secret = Some(SECRET.into());
        c.messages_per_minute = 10_000;
    }
}

/// One test of several instances at a time: each starts two or three servers with up
/// to 16 PostgreSQL connections each; all of them at once come close to the test
/// server's connection limit and share two cores.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Two instances of one installation on PostgreSQL and `nats`.
async fn two_instances(nats: &NatsServer) -> (TestApp, TestApp) {
    let a = spawn_app_with(Backend::Postgres, on_nats(nats)).await;
    let b = a.another_instance("data-b", on_nats(nats)).await;
    (a, b)
}

mod messages_and_unread_counts_cross_instances {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let _one = ONE_AT_A_TIME.lock().await;
        let nats = NatsServer::start().await;
        let (a, b) = two_instances(&nats).await;
        let (buyer, seller) = (a.person("Bea Buyer").await, a.person("Sven Seller").await);
        let c = a.direct(&buyer, &seller).await;
        // The buyer is on instance A, the seller on B.
        let mut on_a = a.socket(&buyer, &[(&c, 0)]).await;
        let mut on_b = b.socket(&seller, &[(&c, 0)]).await;
        on_a.send_text(&c, "m1", "Ist das Rad noch da?").await;
        on_a.ack("m1").await;
        let got = on_b.messages(1).await;
        assert_eq!(texts(&got), ["Ist das Rad noch da?"]);
        // The seller's unread badge on B counts it.
        let unread =
            on_b.next_where(|f| matches!(f, ServerFrame::Unread { total } if *total > 0)).await;
        assert_eq!(unread, ServerFrame::Unread { total: 1 });
        on_b.send_text(&c, "s1", "Ja, noch da.").await;
        on_b.ack("s1").await;
        // (The buyer's own message may have come before its ack, which skipped it.)
        let answer = on_a
            .next_where(|f| matches!(f, ServerFrame::Message { message } if message.seq.0 == 2))
            .await;
        let ServerFrame::Message { message } = answer else { unreachable!() };
        assert_eq!(message.text.as_str(), "Ja, noch da.");
        // Typing crosses too.
        on_b.send(marktchat_shared::chat::ClientFrame::Typing { conversation: c.clone() }).await;
        on_a.next_where(|f| matches!(f, ServerFrame::Typing { .. })).await;
    }
}

mod messages_sent_during_a_nats_outage_arrive_once_after_it {
    use super::*;

    /// Reads messages of the seller's side as a browser would: on every close it
    /// reconnects (to the same instance) and resumes after the last one it has.
    async fn read_until(
        app: &TestApp,
        person: &common::chat::Person,
        c: &marktchat_shared::chat::ConversationId,
        socket: &mut Socket,
        seen: &mut Vec<String>,
        want: usize,
        closes: &mut Vec<Option<u16>>,
    ) {
        while seen.len() < want {
            match socket.next_or_close().await {
                Ok(ServerFrame::Message { message }) => {
                    seen.push(message.text.as_str().to_owned());
                }
                Ok(_) => {}
                Err(code) => {
                    closes.push(code);
                    // Sequence numbers count from 1 without gaps: `seen.len()` is the
                    // last one had.
                    *socket = reconnect(app, person, c, seen.len() as u64).await;
                }
            }
        }
    }

    async fn reconnect(
        app: &TestApp,
        person: &common::chat::Person,
        c: &marktchat_shared::chat::ConversationId,
        after: u64,
    ) -> Socket {
        app.socket(person, &[(c, after)]).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let _one = ONE_AT_A_TIME.lock().await;
        let mut nats = NatsServer::start().await;
        let (a, b) = two_instances(&nats).await;
        let (buyer, seller) = (a.person("Bea Buyer").await, a.person("Sven Seller").await);
        let c = a.direct(&buyer, &seller).await;
        let mut on_a = a.socket(&buyer, &[(&c, 0)]).await;
        let mut on_b = b.socket(&seller, &[(&c, 0)]).await;
        on_a.send_text(&c, "m1", "eins").await;
        on_a.ack("m1").await;
        let mut seen = Vec::new();
        let mut closes = Vec::new();
        read_until(&b, &seller, &c, &mut on_b, &mut seen, 1, &mut closes).await;

        // NATS goes away for five seconds; the buyer goes on writing.
        nats.stop();
        let outage = Instant::now();
        // Each instance lags its sockets: the buyer's closes with "behind" and he
        // reconnects; his messages are stored and acknowledged meanwhile.
        assert_eq!(on_a.closed().await, Some(close::BEHIND));
        on_a = a.socket(&buyer, &[(&c, 1)]).await;
        for (id, text) in [("m2", "zwei"), ("m3", "drei")] {
            on_a.send_text(&c, id, text).await;
            on_a.ack(id).await;
        }
        tokio::time::sleep(Duration::from_secs(5).saturating_sub(outage.elapsed())).await;
        nats.start_again().await;
        // The seller, without any reload of hers, gets both once NATS is back (her
        // client reconnects on "behind" and resumes).
        read_until(&b, &seller, &c, &mut on_b, &mut seen, 3, &mut closes).await;
        assert_eq!(seen, ["eins", "zwei", "drei"], "each message once, in order");
        assert!(
            closes.iter().all(|c| *c == Some(close::BEHIND)),
            "closed only to resume: {closes:?}"
        );
        // Live again across instances, without reconnecting any more.
        on_a.send_text(&c, "m4", "vier").await;
        on_a.ack("m4").await;
        read_until(&b, &seller, &c, &mut on_b, &mut seen, 4, &mut closes).await;
        assert_eq!(seen.last().map(String::as_str), Some("vier"));
    }
}

mod logout_on_one_instance_closes_the_socket_on_another_within_a_second {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let _one = ONE_AT_A_TIME.lock().await;
        let nats = NatsServer::start().await;
        let (a, b) = two_instances(&nats).await;
        let anna = a.person("Anna").await;
        let mut on_b = b.socket(&anna, &[]).await;
        let started = Instant::now();
        let res = anna.browser.call("/api/logout", &[]).await;
        assert!(res.status().is_success(), "{}", res.status());
        assert_eq!(on_b.closed().await, Some(close::SESSION_ENDED));
        let took = started.elapsed();
        assert!(took < Duration::from_secs(1), "closed after {took:?}");
        // And the old cookie opens no new socket.
        assert_eq!(b.ws_raw(&anna, Some(&b.origin())).await.err(), Some(401));
    }
}

mod open_sockets_count_per_user_and_visitor_across_instances {
    use super::*;
    use common::bot::{bot_connect, BotSocket};
    use marktchat_server::ws::MAX_SOCKETS_PER_USER;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let _one = ONE_AT_A_TIME.lock().await;
        let nats = NatsServer::start().await;
        let (a, b) = two_instances(&nats).await;
        let anna = a.person("Anna").await;
        // Half of Anna's sockets on each instance: together they reach the cap,
        let mut open = Vec::new();
        for i in 0..MAX_SOCKETS_PER_USER {
            let on = if i % 2 == 0 { &a } else { &b };
            open.push(on.ws_raw(&anna, Some(&on.origin())).await.unwrap());
        }
        // and one more is closed at once on either.
        for on in [&a, &b] {
            let stream = on.ws_raw(&anna, Some(&on.origin())).await.unwrap();
            let mut refused = Socket { stream, user: anna.id.clone() };
            assert_eq!(refused.next_or_close().await.unwrap_err(), Some(close::TOO_MANY));
        }
        // A socket closed on A frees a place on B.
        drop(open.remove(0));
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let mut s = Socket {
                stream: b.ws_raw(&anna, Some(&b.origin())).await.unwrap(),
                user: anna.id.clone(),
            };
            s.send(marktchat_shared::chat::ClientFrame::Hello { version: 1, resume: vec![] }).await;
            match s.next_or_close().await {
                Ok(frame) => {
                    assert_eq!(frame, ServerFrame::Welcome { version: 1 });
                    break;
                }
                Err(code) => {
                    assert_eq!(code, Some(close::TOO_MANY));
                    assert!(Instant::now() < deadline, "the place was not given back");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
        // The help bot's open chats per address likewise (20 by default).
        let mut chats = Vec::new();
        for i in 0..20 {
            chats.push(BotSocket::open(if i % 2 == 0 { a.addr } else { b.addr }).await);
        }
        assert_eq!(bot_connect(a.addr, &[]).await.err(), Some(429));
        assert_eq!(bot_connect(b.addr, &[]).await.err(), Some(429));
    }
}

mod wrong_passwords_count_across_instances {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let _one = ONE_AT_A_TIME.lock().await;
        let nats = NatsServer::start().await;
        let (a, b) = two_instances(&nats).await;
        a.registered("anna@example.de", "Anna", "a long enough secret").await;
        let (on_a, on_b) = (a.browser(), b.browser());
        for i in 0..5 {
            let browser = if i % 2 == 0 { &on_a } else { &on_b };
            let res = browser
                .call("/api/login", &[("email", "anna@example.de"), ("password", "wrong guess!")])
                .await;
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {}", i + 1);
        }
        // The 6th is refused on whichever instance gets it, the right password too.
        for browser in [&on_b, &on_a] {
            let res = browser
                .call(
                    "/api/login",
                    &[("email", "anna@example.de"), ("password", "a long enough secret")],
                )
                .await;
            assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        }
    }
}

mod three_processes_share_sessions_pictures_and_conversations {
    use super::*;
    use common::chat::open_socket;
    use common::s3::S3Server;
    use common::{browser_for, Browser, ServerProcess};
    use marktchat_services::testing::TestDatabase;
    use reqwest::multipart::{Form, Part};
    use std::sync::Arc;

    /// One person's browsers on each instance, sharing their cookies (one site behind a
    /// load balancer).
    fn browsers(
        instances: &[&ServerProcess],
        token: &str,
    ) -> (Arc<reqwest::cookie::Jar>, Vec<Browser>) {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let site = instances[0].url("/").parse().unwrap();
        jar.add_cookie_str(
            &format!("{}={token}", marktchat_services::sessions::SESSION_COOKIE),
            &site,
        );
        let all = instances.iter().map(|i| browser_for(&i.url(""), jar.clone())).collect();
        (jar, all)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let _one = ONE_AT_A_TIME.lock().await;
        let nats = NatsServer::start().await;
        let s3 = S3Server::start(&["pictures"]).await;
        let db = Arc::new(TestDatabase::create(Backend::Postgres).await);
        let env = s3.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let nats_url = nats.url();
        let args = [
            "--nats-url",
            &nats_url,
            "--limit-secret",
            SECRET,
            "--storage-url",
            "s3://pictures",
            "--messages-per-minute",
            "1000",
        ];
        let mut a = ServerProcess::start_on(db.clone(), "data-a", &args, &env, "info").await;
        let b = ServerProcess::start_on(db.clone(), "data-b", &args, &env, "info").await;
        let c = ServerProcess::start_on(db.clone(), "data-c", &args, &env, "info").await;
        let database = marktchat_services::Database::connect(&db.url).await.unwrap();
        let people = marktchat_services::testing::users_with_sessions(
            &database,
            ["Bea Buyer".to_owned(), "Sven Seller".to_owned()],
        )
        .await
        .unwrap();
        let [(buyer, buyer_token), (seller, seller_token)] = <[_; 2]>::try_from(people).unwrap();
        let (buyer_cookies, buyer_at) = browsers(&[&a, &b, &c], &buyer_token);
        let (_, seller_at) = browsers(&[&a, &b, &c], &seller_token);

        // The seller posts a listing with a picture through B.
        let png = marktchat_services::images::samples::encoded(40, 30, image::ImageFormat::Png);
        let mut form = Form::new();
        for (k, v) in [
            ("title", "Rotes Fahrrad"),
            ("description", "Gut erhalten"),
            ("price_kind", "fixed"),
            ("price", "120"),
            ("category", "vehicles/bicycles"),
            ("postal_code", "10115"),
            ("city", "Berlin"),
        ] {
            form = form.text(k, v);
        }
        form = form.part("images", Part::bytes(png).file_name("rad.png"));
        let res = seller_at[1]
            .client
            .post(b.url("/api/listings/save"))
            .header(reqwest::header::ACCEPT, "application/json")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let listing: String = res.json().await.unwrap();
        // Anyone may read it on any instance.
        let res = buyer_at[2].call("/api/listings/get", &[("id", &listing)]).await;
        let saved: serde_json::Value = res.json().await.unwrap();
        let hash = saved["listing"]["images"][0]["hash"].as_str().unwrap().to_owned();
        // A shows it, from the object store, with the caching headers of a local file.
        let res = buyer_at[0].get(&format!("/images/{hash}.jpg")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()["cache-control"].to_str().unwrap(),
            "public, max-age=31536000, immutable"
        );
        let served = res.bytes().await.unwrap();
        let stored = std::fs::read(
            s3.root.path().join("pictures/images").join(&hash[..2]).join(format!("{hash}.jpg")),
        )
        .expect("the picture is in the bucket");
        assert_eq!(served.as_ref(), stored.as_slice());
        for data in ["data-a", "data-b", "data-c"] {
            assert!(!db.dir.path().join(data).join("images").exists(), "no picture on {data}");
        }

        // The buyer (on A) writes to the seller (on B): live both ways, badge too.
        let mut seller_socket =
            open_socket(b.addr, &seller_at[1].cookie_header(), &seller, &[]).await;
        let res = buyer_at[0]
            .call(
                "/api/conversations/contact",
                &[("listing", &listing), ("client_id", "first-1"), ("text", "Noch da?")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let conversation = marktchat_shared::chat::ConversationId(res.json().await.unwrap());
        let got = seller_socket.messages(1).await;
        assert_eq!(texts(&got), ["Noch da?"]);
        seller_socket.next_where(|f| matches!(f, ServerFrame::Unread { total: 1 })).await;
        let mut buyer_socket =
            open_socket(a.addr, &buyer_at[0].cookie_header(), &buyer, &[(&conversation, 1)]).await;
        seller_socket.send_text(&conversation, "answer-1", "Ja!").await;
        seller_socket.ack("answer-1").await;
        assert_eq!(texts(&buyer_socket.messages(1).await), ["Ja!"]);

        // A dies (SIGKILL). The buyer's next page, on C, still has his session, and the
        // conversation is whole.
        a.kill();
        drop(buyer_socket);
        let (status, html) = buyer_at[2].html(&format!("/messages/{}", conversation.0)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Noch da?") && html.contains("Ja!"), "the whole conversation");
        assert!(html.contains("Rotes Fahrrad"));
        drop(buyer_cookies);
    }
}
