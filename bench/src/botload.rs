//! The help bot's load generator and its bare baseline.
//!
//! [`run`] opens `chats` anonymous sockets to `/bot/ws`, starts a chat on each (in the
//! mode asked for) and has every chat ask a question, wait for the answer, pause and
//! ask the next, like a visitor reading the answers. The questions go round a fixed
//! list in German and English: questions the knowledge base answers, one it does not
//! (the fallback) and a quick reply. The reply latency is the time from sending a
//! question to its answer's arrival.
//!
//! [`bare_router`] is the baseline: an axum WebSocket endpoint that reads the same
//! frames and answers every question at once with the same fixed reply, with no
//! matching, no storage and no limits. What the app does on top of that is what the
//! ratio measures.

use axum::extract::ws::{Message as AxumMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use marktchat_shared::bot::protocol::{BOT_PROTOCOL_VERSION, MAX_BOT_FRAME_BYTES};
use marktchat_shared::bot::{BotClientFrame, BotServerFrame, ChatCode, StorageMode};
use marktchat_shared::Language;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// What a chat asks, in turn (starting at a different place for each chat).
const QUESTIONS: &[(Language, Ask)] = &[
    (Language::De, Ask::Say("Wie erstelle ich eine Anzeige?")),
    (Language::De, Ask::Say("Ist Vorkasse sicher?")),
    (Language::De, Ask::Choose("report-scam")),
    (Language::De, Ask::Say("Wie lösche ich mein Konto?")),
    (Language::De, Ask::Say("Was kostet ein Rasenmäher auf dem Mond?")),
    (Language::En, Ask::Say("How do I post a listing?")),
    (Language::En, Ask::Say("Is paying in advance safe?")),
    (Language::En, Ask::Say("How do I delete my account?")),
];

#[derive(Debug, Clone, Copy)]
enum Ask {
    Say(&'static str),
    Choose(&'static str),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub addr: SocketAddr,
    /// Chats open at once.
    pub chats: usize,
    /// The pause between an answer and the next question.
    pub pause: Duration,
    pub duration: Duration,
    pub mode: StorageMode,
    pub progress: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub chats: usize,
    /// Chats that got `started`.
    pub started: u64,
    pub questions: u64,
    pub replies: u64,
    /// Error frames (rate limits, refusals) and sockets that closed early.
    pub errors: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Report {
    pub fn replies_per_sec(&self) -> f64 {
        self.replies as f64 / self.seconds.max(0.001)
    }
}

#[derive(Default)]
struct Counters {
    started: AtomicU64,
    questions: AtomicU64,
    replies: AtomicU64,
    errors: AtomicU64,
}

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Runs the load and returns what it measured.
pub async fn run(options: &Options) -> anyhow::Result<Report> {
    let counters = Arc::new(Counters::default());
    // Open every socket first (a few at a time), so the measured part has them all.
    let connecting = Arc::new(tokio::sync::Semaphore::new(64));
    let mut opening = Vec::with_capacity(options.chats);
    for _ in 0..options.chats {
        let (addr, connecting) = (options.addr, connecting.clone());
        opening.push(tokio::spawn(async move {
            let _permit = connecting.acquire().await;
            let url = format!("ws://{addr}/bot/ws");
            anyhow::Ok(tokio_tungstenite::connect_async(url).await?.0)
        }));
    }
    let mut sockets = Vec::with_capacity(options.chats);
    for o in opening {
        sockets.push(o.await??);
    }
    if options.progress {
        eprintln!("    {} sockets open", sockets.len());
    }

    let clock = Instant::now();
    let until = clock + options.duration;
    let spread = options.pause.max(Duration::from_millis(10));
    let mut chats = Vec::with_capacity(sockets.len());
    for (i, socket) in sockets.into_iter().enumerate() {
        let counters = counters.clone();
        // Chats begin spread over one pause, so the questions do not come in waves.
        let offset = spread.mul_f64(i as f64 / options.chats.max(1) as f64);
        let (pause, mode) = (options.pause, options.mode);
        chats.push(tokio::spawn(async move {
            chat(i, socket, counters, clock + offset, until, pause, mode).await
        }));
    }
    let progress = options.progress.then(|| {
        let counters = counters.clone();
        tokio::spawn(async move {
            let mut last = 0;
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let now = counters.replies.load(Ordering::Relaxed);
                eprintln!(
                    "    {:>4.0} s: {} replies/s, {} errors",
                    clock.elapsed().as_secs_f64(),
                    now - last,
                    counters.errors.load(Ordering::Relaxed)
                );
                last = now;
            }
        })
    });
    let mut latencies: Vec<u32> = Vec::new();
    for c in chats {
        match c.await? {
            Ok(mut l) => latencies.append(&mut l),
            Err(e) => {
                counters.errors.fetch_add(1, Ordering::Relaxed);
                if options.progress {
                    eprintln!("    a chat failed: {e}");
                }
            }
        }
    }
    if let Some(p) = progress {
        p.abort();
    }
    let seconds = clock.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| {
        if latencies.is_empty() {
            return 0.0;
        }
        let at = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[at] as f64 / 1000.0
    };
    Ok(Report {
        chats: options.chats,
        started: counters.started.load(Ordering::Relaxed),
        questions: counters.questions.load(Ordering::Relaxed),
        replies: counters.replies.load(Ordering::Relaxed),
        errors: counters.errors.load(Ordering::Relaxed),
        seconds,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: latencies.last().map_or(0.0, |m| *m as f64 / 1000.0),
    })
}

/// One visitor: starts, then asks, waits for the answer, pauses, until `until`.
/// Returns the reply latencies in µs.
async fn chat(
    me: usize,
    socket: Stream,
    counters: Arc<Counters>,
    begin: Instant,
    until: Instant,
    pause: Duration,
    mode: StorageMode,
) -> anyhow::Result<Vec<u32>> {
    let (mut sink, mut stream) = socket.split();
    tokio::time::sleep_until(begin.into()).await;
    let language = QUESTIONS[me % QUESTIONS.len()].0;
    let start = BotClientFrame::Start { version: BOT_PROTOCOL_VERSION, language, mode };
    sink.send(Message::text(start.encode())).await?;
    let mut latencies = Vec::new();
    let mut asked: Option<Instant> = None;
    // The bot greets after `started`; the first question waits for the greeting.
    let mut greeted = false;
    let mut n = me;
    let mut next = tokio::time::Instant::now();
    loop {
        let deadline = tokio::time::Instant::from_std(until);
        tokio::select! {
            _ = tokio::time::sleep_until(next), if greeted && asked.is_none() && next < deadline => {
                let frame = match QUESTIONS[n % QUESTIONS.len()].1 {
                    Ask::Say(text) => BotClientFrame::Say { text: text.to_owned(), dialog: None },
                    Ask::Choose(intent) => BotClientFrame::Choose { intent: intent.to_owned(), dialog: None },
                };
                n += 1;
                sink.send(Message::text(frame.encode())).await?;
                counters.questions.fetch_add(1, Ordering::Relaxed);
                asked = Some(Instant::now());
            }
            message = stream.next() => {
                let text = match message {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                        anyhow::bail!("the socket closed");
                    }
                    Some(Ok(_)) => continue,
                };
                match BotServerFrame::decode(text.as_str()) {
                    Ok(BotServerFrame::Started { .. }) => {
                        counters.started.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(BotServerFrame::Reply { .. }) if !greeted => {
                        greeted = true;
                        next = tokio::time::Instant::now();
                    }
                    Ok(BotServerFrame::Reply { .. }) => {
                        if let Some(at) = asked.take() {
                            counters.replies.fetch_add(1, Ordering::Relaxed);
                            latencies.push(at.elapsed().as_micros().min(u32::MAX as u128) as u32);
                            next = tokio::time::Instant::now() + pause;
                        }
                    }
                    Ok(BotServerFrame::Error { .. }) => {
                        counters.errors.fetch_add(1, Ordering::Relaxed);
                        asked = None;
                        next = tokio::time::Instant::now() + pause;
                    }
                    _ => {}
                }
            }
            _ = tokio::time::sleep_until(deadline), if asked.is_none() => break,
            // An answer still on its way at the end is waited for, up to 5 s.
            _ = tokio::time::sleep_until(deadline + Duration::from_secs(5)) => break,
        }
    }
    let _ = sink.send(Message::text(BotClientFrame::End.encode())).await;
    let _ = sink.send(Message::Close(None)).await;
    Ok(latencies)
}

/// The bare baseline: `/bot/ws` with the same frames, answering every question at once
/// with one fixed reply.
pub fn bare_router() -> Router {
    Router::new().route("/bot/ws", get(bare_upgrade))
}

async fn bare_upgrade(ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(MAX_BOT_FRAME_BYTES).on_upgrade(bare_chat)
}

async fn bare_chat(mut socket: WebSocket) {
    let fixed = |text: &str| {
        BotServerFrame::Reply {
            text: text.to_owned(),
            quick_replies: Vec::new(),
            links: Vec::new(),
            dialog: None,
            asks: None,
            more: None,
        }
        .encode()
    };
    let greeting = fixed("Hello! I am a bot.");
    let reply = fixed(
        "An answer of about the length of the knowledge base's answers, with a sentence \
         or two of advice and nothing looked up.",
    );
    while let Some(Ok(message)) = socket.next().await {
        let AxumMessage::Text(text) = message else { continue };
        let answers = match BotClientFrame::decode(text.as_str()) {
            // Like the app: `started`, then the greeting.
            Ok(BotClientFrame::Start { mode, .. }) => vec![
                BotServerFrame::Started { code: ChatCode::from_bits(0x0123_4567_89ab_cdef), mode }
                    .encode(),
                greeting.clone(),
            ],
            Ok(BotClientFrame::Say { .. } | BotClientFrame::Choose { .. }) => vec![reply.clone()],
            Ok(BotClientFrame::End) => return,
            _ => continue,
        };
        for answer in answers {
            if socket.send(AxumMessage::Text(answer.into())).await.is_err() {
                return;
            }
        }
    }
}
