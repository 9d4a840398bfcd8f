//! The chat load generator: authenticated WebSocket clients in pairs and small groups,
//! sending at a target rate, each message carrying its send time. It counts what
//! arrives where: delivered messages per second, end-to-end latency (p50, p99, max),
//! and messages lost or doubled, with progress while it runs. The same generator
//! drives the app (`/ws`) and the bare relay ([`crate::relay`]).

use futures_util::{SinkExt, StreamExt};
use marktchat_services::conversations::About;
use marktchat_services::Database;
use marktchat_shared::chat::{
    ClientFrame, ClientMessageId, ConversationId, MessageText, ResumeFrom, Seq, ServerFrame,
    PROTOCOL_VERSION,
};
use marktchat_shared::UserId;
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

/// One simulated browser tab: its session cookie (empty for the relay) and the
/// conversation it writes in.
#[derive(Debug, Clone)]
pub struct ClientSpec {
    pub cookie: String,
    pub conversation: ConversationId,
    /// How many sockets are in the conversation (each message reaches all of them).
    pub group: usize,
    /// Its place in the group (0, 1, …): with several servers, members take turns, so
    /// that every message reaches someone on another server.
    pub member: usize,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// The server, or the instances of one installation: a group's members connect to
    /// them in turn (member 0 to the first, member 1 to the second, …).
    pub addrs: Vec<SocketAddr>,
    /// Messages per second over all clients.
    pub rate: f64,
    /// Characters per message.
    pub size: usize,
    pub duration: Duration,
    /// How long to wait for the last messages after sending stops.
    pub drain: Duration,
    /// Print progress every second.
    pub progress: bool,
}

impl Options {
    /// The server `spec`'s client connects to.
    pub fn addr_of(&self, spec: &ClientSpec) -> SocketAddr {
        self.addrs[spec.member % self.addrs.len().max(1)]
    }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub clients: usize,
    pub sent: u64,
    pub acked: u64,
    /// Message frames that arrived (every participant's copy counts).
    pub delivered: u64,
    /// Copies that should have arrived for the acknowledged messages.
    pub expected: u64,
    pub lost: u64,
    pub doubled: u64,
    pub refused: u64,
    /// Sockets the server closed (too far behind) that reconnected and resumed.
    pub reconnects: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Report {
    pub fn delivered_per_sec(&self) -> f64 {
        self.delivered as f64 / self.seconds.max(0.001)
    }
}

#[derive(Default)]
struct Counters {
    sent: AtomicU64,
    acked: AtomicU64,
    delivered: AtomicU64,
    doubled: AtomicU64,
    refused: AtomicU64,
    expected: AtomicU64,
    reconnects: AtomicU64,
}

/// Users with sessions and their conversations in `db`, for `clients` sockets in
/// groups of the sizes in `groups` (repeated: `[2, 3]` makes pairs and threes in turn).
pub async fn prepare_app(
    db: &Database,
    clients: usize,
    groups: &[usize],
) -> anyhow::Result<Vec<ClientSpec>> {
    let services = marktchat_services::Services::new(db.clone(), Default::default());
    let people = create_users(db, clients).await?;
    let mut specs = Vec::with_capacity(clients);
    let mut at = 0;
    for size in group_sizes(clients, groups) {
        let members = &people[at..at + size];
        at += size;
        let conversation = services
            .conversations()
            .find_or_start(&members[0].0, &About::Person(members[1].0.clone()))
            .await?;
        for m in &members[2..] {
            services.conversations().add_participant(&members[0].0, &conversation, &m.0).await?;
        }
        for (member, (_, token)) in members.iter().enumerate() {
            specs.push(ClientSpec {
                cookie: format!("{}={token}", marktchat_services::sessions::SESSION_COOKIE),
                conversation: conversation.clone(),
                group: size,
                member,
            });
        }
    }
    Ok(specs)
}

/// `n` users with live sessions (see `marktchat_services::testing`). Returns ids and
/// session tokens.
pub async fn create_users(db: &Database, n: usize) -> anyhow::Result<Vec<(UserId, String)>> {
    let names = (0..n).map(|i| format!("Last {i}"));
    Ok(marktchat_services::testing::users_with_sessions(db, names).await?)
}

/// Specs for the relay: no cookies, rooms of the same sizes.
pub fn prepare_relay(clients: usize, groups: &[usize]) -> Vec<ClientSpec> {
    let mut specs = Vec::with_capacity(clients);
    for (g, size) in group_sizes(clients, groups).into_iter().enumerate() {
        let room = ConversationId(format!("room-{g}"));
        for member in 0..size {
            specs.push(ClientSpec {
                cookie: String::new(),
                conversation: room.clone(),
                group: size,
                member,
            });
        }
    }
    specs
}

/// Splits `clients` (at least 2) into groups of the sizes in `pattern`, repeated; a
/// last group too small to be one joins the one before.
pub fn group_sizes(clients: usize, pattern: &[usize]) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut left = clients;
    let mut i = 0;
    while left > 0 {
        let want = pattern.get(i % pattern.len().max(1)).copied().unwrap_or(2).max(2);
        i += 1;
        let size = if left - want.min(left) < 2 { left } else { want };
        sizes.push(size);
        left -= size;
    }
    if sizes.last() == Some(&1) && sizes.len() > 1 {
        let one = sizes.pop().unwrap_or(0);
        if let Some(l) = sizes.last_mut() {
            *l += one;
        }
    }
    sizes
}

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a socket and says `Hello` (resuming `resume`), waiting for `Welcome`.
pub async fn open(
    addr: SocketAddr,
    cookie: &str,
    resume: Vec<ResumeFrom>,
) -> anyhow::Result<Stream> {
    let mut request = format!("ws://{addr}/ws").into_client_request()?;
    request.headers_mut().insert("origin", HeaderValue::from_str(&format!("http://{addr}"))?);
    if !cookie.is_empty() {
        request.headers_mut().insert("cookie", HeaderValue::from_str(cookie)?);
    }
    let mut last = None;
    for attempt in 0..5 {
        match tokio_tungstenite::connect_async(request.clone()).await {
            Ok((mut stream, _)) => {
                let hello = ClientFrame::Hello { version: PROTOCOL_VERSION, resume };
                stream.send(Message::text(hello.encode())).await?;
                while let Some(m) = stream.next().await {
                    if let Message::Text(t) = m? {
                        if let Ok(ServerFrame::Welcome { .. }) = ServerFrame::decode(t.as_str()) {
                            return Ok(stream);
                        }
                    }
                }
                anyhow::bail!("the socket closed before Welcome");
            }
            Err(e) => {
                last = Some(e);
                tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
            }
        }
    }
    Err(anyhow::anyhow!("cannot connect: {:?}", last))
}

/// Opens every client's socket (at most 256 connecting at a time), then sends for
/// `duration` at `rate`, waits `drain`, and reports.
pub async fn run(specs: Vec<ClientSpec>, options: &Options) -> anyhow::Result<Report> {
    let counters = Arc::new(Counters::default());
    let started = Instant::now();
    let connecting = Arc::new(tokio::sync::Semaphore::new(256));
    let mut streams = Vec::with_capacity(specs.len());
    {
        let mut opening = Vec::new();
        for spec in &specs {
            let (addr, cookie, conversation) =
                (options.addr_of(spec), spec.cookie.clone(), spec.conversation.clone());
            let connecting = connecting.clone();
            opening.push(tokio::spawn(async move {
                let _permit = connecting.acquire().await;
                open(addr, &cookie, vec![ResumeFrom { conversation, after: Seq(0), last: None }])
                    .await
            }));
        }
        for (i, o) in opening.into_iter().enumerate() {
            streams.push(o.await??);
            if options.progress && (i + 1) % 1000 == 0 {
                eprintln!("    {} sockets open", i + 1);
            }
        }
    }
    if options.progress {
        eprintln!(
            "    {} sockets open after {:.1} s; sending",
            streams.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let clock = Instant::now();
    let per_client_interval = Duration::from_secs_f64(specs.len() as f64 / options.rate.max(0.001));
    let sending_until = clock + options.duration;
    let mut tasks = Vec::with_capacity(specs.len());
    for (i, (spec, stream)) in specs.iter().zip(streams).enumerate() {
        let counters = counters.clone();
        let spec = spec.clone();
        let size = options.size;
        let drain = options.drain;
        // Spread the first sends over one interval.
        let offset = per_client_interval.mul_f64((i as f64 * 0.618_034) % 1.0);
        tasks.push(tokio::spawn(client(
            i,
            options.addr_of(&spec),
            spec,
            stream,
            counters,
            clock,
            offset,
            per_client_interval,
            sending_until,
            drain,
            size,
        )));
    }
    let progress = options.progress.then(|| {
        let counters = counters.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.tick().await;
            loop {
                tick.tick().await;
                eprintln!(
                    "    {:>4.0} s: {} sent, {} acknowledged, {} delivered",
                    clock.elapsed().as_secs_f64(),
                    counters.sent.load(Ordering::Relaxed),
                    counters.acked.load(Ordering::Relaxed),
                    counters.delivered.load(Ordering::Relaxed)
                );
            }
        })
    });
    let mut latencies: Vec<u32> = Vec::new();
    let mut delivered_unique = 0u64;
    for t in tasks {
        let (lat, unique) = t.await??;
        latencies.extend(lat);
        delivered_unique += unique;
    }
    if let Some(p) = progress {
        p.abort();
    }
    let seconds = options.duration.as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let at = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[at] as f64 / 1000.0
    };
    let expected = counters.expected.load(Ordering::Relaxed);
    Ok(Report {
        clients: specs.len(),
        sent: counters.sent.load(Ordering::Relaxed),
        acked: counters.acked.load(Ordering::Relaxed),
        delivered: counters.delivered.load(Ordering::Relaxed),
        expected,
        lost: expected.saturating_sub(delivered_unique),
        doubled: counters.doubled.load(Ordering::Relaxed),
        refused: counters.refused.load(Ordering::Relaxed),
        reconnects: counters.reconnects.load(Ordering::Relaxed),
        seconds,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: latencies.last().map_or(0.0, |m| *m as f64 / 1000.0),
    })
}

/// One client: sends on its schedule, reads everything, and returns the latencies of
/// the others' messages (µs) and how many distinct messages reached it.
#[allow(clippy::too_many_arguments)]
async fn client(
    me: usize,
    addr: SocketAddr,
    spec: ClientSpec,
    stream: Stream,
    counters: Arc<Counters>,
    clock: Instant,
    offset: Duration,
    every: Duration,
    sending_until: Instant,
    drain: Duration,
    size: usize,
) -> anyhow::Result<(Vec<u32>, u64)> {
    let (mut sink, mut stream) = stream.split();
    // The newest message of the conversation this client has: where a resume starts.
    let mut have = 0u64;
    let prefix = format!("c{me}-");
    let padding = "x".repeat(size.saturating_sub(21));
    let mut seen: HashSet<(ConversationId, u64)> = HashSet::new();
    let mut latencies = Vec::new();
    let mut next = tokio::time::Instant::from_std(clock + offset);
    let mut n = 0u64;
    let stop_at = tokio::time::Instant::from_std(sending_until + drain);
    loop {
        let sending = Instant::now() < sending_until;
        tokio::select! {
            _ = tokio::time::sleep_until(next), if sending => {
                let micros = clock.elapsed().as_micros() as u64;
                let frame = ClientFrame::Send {
                    conversation: spec.conversation.clone(),
                    client_id: ClientMessageId::parse(&format!("{prefix}{n}")).expect("an id"),
                    text: MessageText::parse(&format!("{micros:020} {padding}")).expect("a text"),
                };
                n += 1;
                sink.send(Message::text(frame.encode())).await?;
                counters.sent.fetch_add(1, Ordering::Relaxed);
                next += every;
            }
            message = stream.next() => {
                let text = match message {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                        // Closed (a socket that fell behind is closed by the server):
                        // reconnect and resume, as the browser does.
                        let resume = vec![ResumeFrom { conversation: spec.conversation.clone(), after: Seq(have), last: None }];
                        let fresh = open(addr, &spec.cookie, resume).await?;
                        counters.reconnects.fetch_add(1, Ordering::Relaxed);
                        (sink, stream) = fresh.split();
                        continue;
                    }
                    Some(Ok(_)) => continue,
                };
                match ServerFrame::decode(text.as_str()) {
                    Ok(ServerFrame::Message { message }) => {
                        if message.conversation == spec.conversation {
                            have = have.max(message.seq.0);
                        }
                        // A notice (who joined a group while it was set up) is not load.
                        if !message.kind.is_text() {
                            continue;
                        }
                        counters.delivered.fetch_add(1, Ordering::Relaxed);
                        if !seen.insert((message.conversation.clone(), message.seq.0)) {
                            counters.doubled.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        if !message.client_id.as_str().starts_with(&prefix) {
                            let sent: u64 = message.text.as_str()[..20].parse().unwrap_or(0);
                            let now = clock.elapsed().as_micros() as u64;
                            latencies.push(now.saturating_sub(sent).min(u32::MAX as u64) as u32);
                        }
                    }
                    Ok(ServerFrame::Ack { .. }) => {
                        counters.acked.fetch_add(1, Ordering::Relaxed);
                        counters.expected.fetch_add(spec.group as u64, Ordering::Relaxed);
                    }
                    Ok(ServerFrame::Error { .. }) => {
                        counters.refused.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {}
                }
            }
            _ = tokio::time::sleep_until(stop_at) => break,
        }
    }
    let _ = sink.send(Message::Close(None)).await;
    Ok((latencies, seen.len() as u64))
}

/// Opens `n` sockets that only say `Hello` and stay, for memory per idle socket.
pub async fn idle_sockets(
    addr: SocketAddr,
    cookies: &[String],
    progress: bool,
) -> anyhow::Result<Vec<Stream>> {
    let mut out = Vec::with_capacity(cookies.len());
    let connecting = Arc::new(tokio::sync::Semaphore::new(256));
    let mut opening = Vec::new();
    for cookie in cookies {
        let (cookie, connecting) = (cookie.clone(), connecting.clone());
        opening.push(tokio::spawn(async move {
            let _permit = connecting.acquire().await;
            open(addr, &cookie, Vec::new()).await
        }));
    }
    for (i, o) in opening.into_iter().enumerate() {
        out.push(o.await??);
        if progress && (i + 1) % 1000 == 0 {
            eprintln!("    {} idle sockets open", i + 1);
        }
    }
    Ok(out)
}

/// A process's resident memory now and at its peak (VmRSS, VmHWM), in KiB.
pub fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
