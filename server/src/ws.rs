//! `/ws`: the live side of conversations. One socket per browser tab, authenticated
//! by the session cookie, refused unless its `Origin` is this site. Frames are
//! `shared::chat`'s `ClientFrame` / `ServerFrame` as JSON text.
//!
//! Each socket has two tasks. The reader takes the client's frames (storing messages
//! can take a moment) and hands its answers to the writer; the writer sends them, and
//! the user's live events. The writer subscribes to those events *before* anything is
//! read from the database, so nothing published in between is missed. For every
//! conversation the client shows (`Hello`'s resume list, later `Resume` frames) the
//! task keeps the last sequence number it sent: a live message that leaves a gap is
//! completed from the database first, one already sent is skipped. A socket whose
//! events pile up (a slow client) is dropped by the bus and closed with
//! [`CLOSE_BEHIND`]; the client reconnects and resumes. The database is the truth;
//! events only make things fast.

use crate::security::{client_of, from_this_site};
use crate::startup::AppState;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use marktchat_services::events::{Event, Published, Subscription};
use marktchat_services::{Error, RequestSession, Services};
use marktchat_shared::chat::{
    ClientFrame, ClientMessageId, ConversationId, ErrorCode, FrameError, Seq, ServerFrame,
    MAX_FRAME_BYTES, MAX_RESUME, PROTOCOL_VERSION,
};
use marktchat_shared::UserId;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

pub use marktchat_shared::chat::close::{
    BEHIND as CLOSE_BEHIND, PROTOCOL as CLOSE_PROTOCOL, RESTART as CLOSE_RESTART,
    SESSION_ENDED as CLOSE_SESSION_ENDED, TOO_MANY as CLOSE_TOO_MANY,
};
use marktchat_shared::chat::close::{GOING_AWAY as CLOSE_GOING_AWAY, TOO_LARGE as CLOSE_TOO_LARGE};

/// How long a new socket may take to say `Hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings, and how long a silent client is kept.
const PING_EVERY: Duration = Duration::from_secs(25);
const SILENT_FOR: Duration = Duration::from_secs(70);
/// Unread totals are sent (and, when needed, counted again) at most this often.
const UNREAD_DELAY: Duration = Duration::from_millis(150);
/// A socket's read buffer: frames are small (a message is at most 4,000 characters),
/// and idle sockets should cost little memory. Larger frames still fit (it grows).
const READ_BUFFER: usize = 4 * 1024;
/// The most messages sent in one go while catching a conversation up.
const CATCH_UP_PAGE: usize = 500;
/// Typing notices passed on per conversation and socket, at most one per this long.
const TYPING_EVERY: Duration = Duration::from_secs(2);
/// How long one frame may take to go out. A client that stops reading fills its
/// connection's buffers; past this it is dropped (it resumes when it comes back), and
/// nobody else waits for it.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// The most sockets one user may have open at once on one instance (tabs and devices
/// together). Every socket costs two tasks and a subscription: past this, a new socket
/// is closed at once with [`CLOSE_TOO_MANY`].
pub const MAX_SOCKETS_PER_USER: usize = 32;
/// The most sockets one instance keeps open unless configured (`--max-sockets`).
pub const DEFAULT_MAX_SOCKETS: usize = 50_000;

/// Tells open sockets that the server is going down, and counts each user's sockets.
#[derive(Clone)]
pub struct Closing {
    tx: Arc<watch::Sender<bool>>,
    /// Open sockets per user (only touched when a socket opens or closes).
    per_user: Arc<std::sync::Mutex<HashMap<UserId, usize>>>,
    /// The most sockets this instance keeps open.
    max: usize,
}

impl Default for Closing {
    fn default() -> Self {
        Closing::with_max(DEFAULT_MAX_SOCKETS)
    }
}

/// One open socket of a user; counted until dropped.
struct SocketSlot {
    per_user: Arc<std::sync::Mutex<HashMap<UserId, usize>>>,
    user: UserId,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut map = self.per_user.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.user) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.user);
            }
        }
    }
}

impl Closing {
    /// At most `max` sockets open at once on this instance.
    pub fn with_max(max: usize) -> Closing {
        Closing { tx: Arc::new(watch::channel(false).0), per_user: Default::default(), max }
    }

    /// Every socket sends a close frame and ends.
    pub fn close_all(&self) {
        self.tx.send_replace(true);
    }

    /// How many sockets are still open.
    pub fn open_sockets(&self) -> usize {
        self.tx.receiver_count()
    }

    pub(crate) fn subscribe(&self) -> watch::Receiver<bool> {
        self.tx.subscribe()
    }

    /// A slot for one more socket of `user`, unless they, or this instance, have the
    /// most already.
    fn slot(&self, user: &UserId) -> Option<SocketSlot> {
        let mut map = self.per_user.lock().unwrap_or_else(|p| p.into_inner());
        if self.open_sockets() >= self.max {
            return None;
        }
        let n = map.entry(user.clone()).or_default();
        if *n >= MAX_SOCKETS_PER_USER {
            return None;
        }
        *n += 1;
        Some(SocketSlot { per_user: self.per_user.clone(), user: user.clone() })
    }
}

pub async fn upgrade(
    State(state): State<AppState>,
    Extension(session): Extension<RequestSession>,
    ws: WebSocketUpgrade,
    request: axum::extract::Request,
) -> Response {
    let https = client_of(&request, &state).https;
    let headers = request.headers();
    let has_origin = headers.contains_key(http::header::ORIGIN);
    if !has_origin || !from_this_site(headers, https, state.services.settings.public_url.as_deref())
    {
        tracing::warn!(origin = ?headers.get(http::header::ORIGIN), "WebSocket from another site refused");
        return (StatusCode::FORBIDDEN, "cross-site WebSocket refused\n").into_response();
    }
    let (Some(user), Some(token_hash)) = (session.user, session.token_hash) else {
        return (StatusCode::UNAUTHORIZED, "log in first\n").into_response();
    };
    let ws = ws
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0);
    let Some(slot) = state.closing.slot(&user.id) else {
        // Upgraded and closed at once: a browser sees the close code (an HTTP
        // refusal of the upgrade reaches its script only as "abnormal closure").
        tracing::warn!(user = %user.id, "too many sockets: closed at once");
        return ws.on_upgrade(|mut socket| async move {
            let frame = CloseFrame {
                code: CLOSE_TOO_MANY,
                reason: Utf8Bytes::from_static("too many open connections"),
            };
            let _ =
                tokio::time::timeout(CLOSE_WAIT, socket.send(Message::Close(Some(frame)))).await;
            // Wait for the client's answer, briefly: dropping at once would reset.
            let _ = tokio::time::timeout(CLOSE_WAIT, socket.recv()).await;
        });
    };
    let services = state.services.clone();
    let closing = state.closing.subscribe();
    ws.on_upgrade(move |socket| {
        let span = tracing::info_span!("ws", user = %user.id);
        let connection = async move {
            run(services, Who { user: user.id, token_hash }, socket, closing).await;
            drop(slot);
        };
        tracing::Instrument::instrument(connection, span)
    })
}

/// Whose socket it is: the user, and the session that opened it (the socket ends
/// with that session).
struct Who {
    user: UserId,
    token_hash: String,
}

/// Why a socket ended.
#[derive(Debug)]
enum End {
    /// The client closed it or went away.
    Gone,
    /// Closed by us with a code and reason.
    Close(u16, &'static str),
}

/// What the reader hands the writer.
enum Out {
    Frame(ServerFrame),
    /// The client shows this conversation from `after` on.
    Resume(ConversationId, Seq),
    End(End),
}

/// How many answers may wait for the writer (the reader waits beyond that, and so
/// does the client: backpressure, not memory).
const OUT_QUEUE: usize = 64;

async fn run(services: Services, who: Who, socket: WebSocket, mut closing: watch::Receiver<bool>) {
    let Who { user, token_hash } = who;
    // Subscribe before reading anything: no event can fall between the two.
    let mut events = services.events.subscribe(&user);
    let (sink, mut stream) = socket.split();
    let mut writer = Writer {
        services: services.clone(),
        user: user.clone(),
        token_hash,
        session_check: None,
        sink,
        cursors: HashMap::new(),
        unread: None,
        muted: HashSet::new(),
        unread_sent: None,
        unread_due: None,
        recount: true,
    };
    let started = match writer.check_session().await {
        Ok(()) => handshake(&mut writer, &mut stream).await,
        Err(end) => Err(end),
    };
    let (end, mut reading) = match started {
        Err(end) => (end, None),
        Ok(()) => {
            let (tx, rx) = mpsc::channel(OUT_QUEUE);
            let budget = FrameBudget::new(services.settings.limits.messages_per_minute);
            let reader = Reader {
                services,
                user,
                out: tx,
                member_of: HashMap::new(),
                typing_sent: HashMap::new(),
                budget,
            };
            let reading = tokio::spawn(reader.run(stream));
            (writer.serve(rx, &mut events, &mut closing).await, Some(reading))
        }
    };
    if let End::Close(code, reason) = end {
        close(&mut writer, code, reason).await;
        // The closing handshake: the reader goes on until the client's close frame (it
        // has no one to hand frames to any more). Dropping the connection with the
        // client's frames unread would reset it instead.
        if let Some(reading) = reading.as_mut() {
            if tokio::time::timeout(CLOSE_WAIT, reading).await.is_err() {
                tracing::debug!("no close frame from the client in time");
            }
        }
    }
    if let Some(reading) = reading {
        reading.abort();
    }
}

/// How long a closing socket waits for its close frame to go out, and then for the
/// client's answer.
const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// Sends a close frame with `code` and `reason`.
async fn close(writer: &mut Writer, code: u16, reason: &'static str) {
    tracing::debug!(code, reason, "closing the socket");
    let frame = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
    if tokio::time::timeout(CLOSE_WAIT, writer.sink.send(Message::Close(Some(frame))))
        .await
        .is_err()
    {
        tracing::debug!(code, "the close frame did not go out in time");
    }
}

/// Waits for `Hello`, answers `Welcome`, and catches up what the client asked for.
async fn handshake(writer: &mut Writer, stream: &mut SplitStream<WebSocket>) -> Result<(), End> {
    let first = tokio::time::timeout(HELLO_TIMEOUT, next_frame(stream))
        .await
        .map_err(|_| End::Close(CLOSE_PROTOCOL, "no hello"))??;
    let hello = match first {
        Ok(ClientFrame::Hello { version, resume }) => Some((version, resume)),
        _ => None,
    };
    let Some((version, resume)) = hello else {
        writer
            .send_frame(&ServerFrame::Error { code: ErrorCode::BadFrame, client_id: None })
            .await?;
        return Err(End::Close(CLOSE_PROTOCOL, "hello first"));
    };
    if version != PROTOCOL_VERSION {
        writer
            .send_frame(&ServerFrame::Error {
                code: ErrorCode::UnsupportedVersion,
                client_id: None,
            })
            .await?;
        return Err(End::Close(CLOSE_PROTOCOL, "unsupported version"));
    }
    writer.send_frame(&ServerFrame::Welcome { version: PROTOCOL_VERSION }).await?;
    for r in resume {
        writer.resume(r.conversation, r.after).await?;
    }
    writer.send_unread().await
}

/// The next frame: `Ok(Ok(frame))`, `Ok(Err(refusal))` for one that cannot be read
/// (answered, the socket goes on), `Ok(Err(None))`-like control frames are skipped.
async fn next_frame(
    stream: &mut SplitStream<WebSocket>,
) -> Result<Result<ClientFrame, ServerFrame>, End> {
    loop {
        let message = match tokio::time::timeout(SILENT_FOR, stream.next()).await {
            Err(_) => return Err(End::Close(CLOSE_GOING_AWAY, "silent too long")),
            Ok(None | Some(Err(_))) => return Err(End::Gone),
            Ok(Some(Ok(m))) => m,
        };
        let text = match message {
            Message::Text(text) => text,
            Message::Close(_) => return Err(End::Gone),
            Message::Ping(_) | Message::Pong(_) => continue,
            Message::Binary(_) => {
                return Ok(Err(ServerFrame::Error { code: ErrorCode::BadFrame, client_id: None }))
            }
        };
        return match ClientFrame::decode(text.as_str()) {
            Ok(frame) => Ok(Ok(frame)),
            Err(FrameError::TooLarge) => Err(End::Close(CLOSE_TOO_LARGE, "frame too large")),
            Err(e) => {
                tracing::debug!(error = %e, "bad frame");
                Ok(Err(ServerFrame::Error { code: ErrorCode::BadFrame, client_id: None }))
            }
        };
    }
}

/// What a refused request is answered with. Faults of the server's own are logged.
fn refusal(e: Error, client_id: Option<ClientMessageId>) -> ServerFrame {
    let code = match &e {
        Error::NotFound | Error::Unauthorized | Error::Forbidden => ErrorCode::NotFound,
        Error::ReadOnly | Error::CannotMessage => ErrorCode::CannotSend,
        Error::RateLimited { .. } => ErrorCode::RateLimited,
        Error::Invalid(_) => ErrorCode::BadFrame,
        Error::Busy { .. } => ErrorCode::Unavailable,
        other => {
            tracing::error!(error = %other.report(), "a socket frame failed");
            ErrorCode::Unavailable
        }
    };
    ServerFrame::Error { code, client_id }
}

/// Takes the client's frames and does what they ask.
struct Reader {
    services: Services,
    user: UserId,
    out: mpsc::Sender<Out>,
    /// Conversations this user is known to be in, with who else is (for typing).
    member_of: HashMap<ConversationId, Vec<UserId>>,
    typing_sent: HashMap<ConversationId, Instant>,
    budget: FrameBudget,
}

/// Every client frame costs work (a query, a write, a catch-up): a socket may send
/// [`FRAMES_PER_SECOND`] on average, in bursts of up to [`FRAME_BURST`] (a whole
/// outbox resent after a reconnect fits), plus what the message limit allows
/// (`--messages-per-minute`, on top in both). Past it a frame is answered
/// `RateLimited` and not done; the client sends it again later.
struct FrameBudget {
    tokens: f64,
    at: Instant,
    per_second: f64,
    burst: f64,
}

/// The frames a socket may send per second, on average.
pub const FRAMES_PER_SECOND: f64 = 20.0;
/// The most frames a socket may send at once.
pub const FRAME_BURST: f64 = (marktchat_shared::outbox::OUTBOX_LIMIT + 50) as f64;

impl FrameBudget {
    fn new(messages_per_minute: usize) -> FrameBudget {
        let per_second = FRAMES_PER_SECOND + messages_per_minute as f64 / 60.0;
        let burst = FRAME_BURST + messages_per_minute as f64;
        FrameBudget { tokens: burst, at: Instant::now(), per_second, burst }
    }

    /// Takes one frame's worth, if there is one.
    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.at).as_secs_f64() * self.per_second;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

impl Reader {
    async fn run(mut self, mut stream: SplitStream<WebSocket>) {
        loop {
            let out = match next_frame(&mut stream).await {
                Err(end) => Some(Out::End(end)),
                Ok(Err(refused)) => Some(Out::Frame(refused)),
                Ok(Ok(frame)) if self.budget.take() => self.handle(frame).await,
                Ok(Ok(frame)) => {
                    let client_id = match frame {
                        ClientFrame::Send { client_id, .. } => Some(client_id),
                        _ => None,
                    };
                    Some(Out::Frame(ServerFrame::Error { code: ErrorCode::RateLimited, client_id }))
                }
            };
            let Some(out) = out else { continue };
            let ended = matches!(out, Out::End(_));
            let sent = self.out.send(out).await.is_ok();
            if ended {
                return;
            }
            if !sent {
                // The writer is closing the socket: read what the client still sends,
                // unanswered, up to its close frame. Leaving its frames unread would
                // turn our close into a reset, which can make the client lose the
                // frames we sent last, the close frame among them.
                while let Some(Ok(message)) = stream.next().await {
                    if let Message::Close(_) = message {
                        return;
                    }
                }
                return;
            }
        }
    }

    async fn handle(&mut self, frame: ClientFrame) -> Option<Out> {
        match frame {
            ClientFrame::Hello { .. } => {
                Some(Out::Frame(ServerFrame::Error { code: ErrorCode::BadFrame, client_id: None }))
            }
            ClientFrame::Resume { conversation, after } => Some(Out::Resume(conversation, after)),
            ClientFrame::Send { conversation, client_id, text } => {
                let sent =
                    self.services.send_message(&self.user, &conversation, &client_id, &text).await;
                Some(Out::Frame(match sent {
                    Ok(sent) => ServerFrame::Ack { conversation, client_id, seq: sent.message.seq },
                    Err(e) => refusal(e, Some(client_id)),
                }))
            }
            ClientFrame::Typing { conversation } => {
                self.typing(conversation).await.err().map(Out::Frame)
            }
            ClientFrame::Read { conversation, up_to } => {
                match self.services.mark_read(&self.user, &conversation, up_to).await {
                    Ok(()) => None,
                    Err(e) => Some(Out::Frame(refusal(e, None))),
                }
            }
            ClientFrame::Ping => Some(Out::Frame(ServerFrame::Pong)),
        }
    }

    /// Passes a typing notice on to the others in the conversation (throttled).
    async fn typing(&mut self, conversation: ConversationId) -> Result<(), ServerFrame> {
        if self.typing_sent.get(&conversation).is_some_and(|t| t.elapsed() < TYPING_EVERY) {
            return Ok(());
        }
        if !self.member_of.contains_key(&conversation) {
            let participants = self
                .services
                .conversations()
                .participants(&conversation)
                .await
                .map_err(|e| refusal(e, None))?;
            if !participants.contains(&self.user) {
                return Err(refusal(Error::NotFound, None));
            }
            if self.member_of.len() >= MAX_RESUME {
                self.member_of.clear();
            }
            self.member_of.insert(conversation.clone(), participants);
        }
        if self.typing_sent.len() >= MAX_RESUME {
            self.typing_sent.clear();
        }
        self.typing_sent.insert(conversation.clone(), Instant::now());
        let others: Vec<UserId> =
            self.member_of[&conversation].iter().filter(|u| **u != self.user).cloned().collect();
        self.services.events.publish(
            &others,
            Event::Frame(ServerFrame::Typing { conversation, user: self.user.clone() }),
        );
        Ok(())
    }
}

/// Why catching up stopped.
enum Stop {
    Refused(Error),
    End(End),
}

/// Sends the reader's answers and the user's live events.
struct Writer {
    services: Services,
    user: UserId,
    /// The session that opened the socket.
    token_hash: String,
    /// When to look at the session again: when it would expire unless used.
    session_check: Option<Instant>,
    sink: SplitSink<WebSocket, Message>,
    /// Per shown conversation: the last sequence number sent on this socket.
    cursors: HashMap<ConversationId, Seq>,
    /// The user's unread total as this socket knows it: counted in the database when
    /// needed (connect, a read, a mute), one more for each message from someone else
    /// in between (no query per message).
    unread: Option<u64>,
    /// The user's muted conversations (their messages do not count).
    muted: HashSet<ConversationId>,
    unread_sent: Option<u64>,
    unread_due: Option<Instant>,
    /// The next unread update counts in the database again.
    recount: bool,
}

impl Writer {
    async fn serve(
        &mut self,
        mut answers: mpsc::Receiver<Out>,
        events: &mut Subscription,
        closing: &mut watch::Receiver<bool>,
    ) -> End {
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        loop {
            let unread_due = self.unread_due;
            let session_check = self.session_check;
            let step = tokio::select! {
                out = answers.recv() => match out {
                    Some(Out::Frame(frame)) => self.send_frame(&frame).await,
                    Some(Out::Resume(conversation, after)) => self.resume(conversation, after).await,
                    Some(Out::End(end)) => Err(end),
                    None => Err(End::Gone),
                },
                event = events.recv() => match event {
                    Ok(Some(event)) => self.deliver(&event).await,
                    Ok(None) => Err(End::Close(CLOSE_RESTART, "server going down")),
                    Err(_lagged) => Err(End::Close(CLOSE_BEHIND, "too far behind; resume")),
                },
                () = async { tokio::time::sleep_until(unread_due.unwrap_or_else(Instant::now)).await },
                    if unread_due.is_some() => {
                    self.unread_due = None;
                    self.send_unread().await
                }
                () = async { tokio::time::sleep_until(session_check.unwrap_or_else(Instant::now)).await },
                    if session_check.is_some() => self.check_session().await,
                _ = ping.tick() => self.send(Message::Ping(Default::default())).await,
                () = async { let _ = closing.wait_for(|c| *c).await; } => {
                    Err(End::Close(CLOSE_RESTART, "server restarting"))
                }
            };
            if let Err(end) = step {
                return end;
            }
        }
    }

    /// Ends the socket if its session has ended; otherwise looks again when the
    /// session would expire unless used (another tab may use it meanwhile).
    async fn check_session(&mut self) -> Result<(), End> {
        match self.services.sessions().live_until(&self.token_hash).await {
            Ok(Some(until)) => {
                let left = until.saturating_sub(marktchat_services::clock::now().millis());
                let left = Duration::from_millis(u64::try_from(left).unwrap_or(0));
                self.session_check = Some(Instant::now() + left + Duration::from_millis(50));
                Ok(())
            }
            Ok(None) => Err(End::Close(CLOSE_SESSION_ENDED, "session ended")),
            Err(e) => {
                // The database is unreachable for a moment: look again soon.
                tracing::warn!(error = %e.report(), "cannot check the socket's session");
                self.session_check = Some(Instant::now() + Duration::from_secs(5));
                Ok(())
            }
        }
    }

    /// The client shows `conversation` and has it up to `after`: sends what is missing
    /// and keeps it complete from now on.
    async fn resume(&mut self, conversation: ConversationId, after: Seq) -> Result<(), End> {
        if !self.cursors.contains_key(&conversation) && self.cursors.len() >= MAX_RESUME {
            return self
                .send_frame(&ServerFrame::Error { code: ErrorCode::BadFrame, client_id: None })
                .await;
        }
        // Whatever this socket already sent counts as had.
        let after = self.cursors.get(&conversation).map_or(after, |k| (*k).max(after));
        match self.catch_up(&conversation, after).await {
            Ok(last) => {
                self.cursors.insert(conversation, last);
                Ok(())
            }
            Err(Stop::Refused(e)) => self.send_frame(&refusal(e, None)).await,
            Err(Stop::End(end)) => Err(end),
        }
    }

    /// Sends every message of `conversation` after `after`, in order; returns the last
    /// sequence number sent (or `after`).
    async fn catch_up(&mut self, conversation: &ConversationId, after: Seq) -> Result<Seq, Stop> {
        let mut last = after;
        loop {
            let page = self
                .services
                .conversations()
                .messages_after(&self.user, conversation, last, CATCH_UP_PAGE)
                .await
                .map_err(Stop::Refused)?;
            let full = page.len() == CATCH_UP_PAGE;
            for message in page {
                last = message.seq;
                self.send_frame(&ServerFrame::Message { message }).await.map_err(Stop::End)?;
            }
            if !full {
                return Ok(last);
            }
        }
    }

    /// Passes a published event on, keeping shown conversations complete and in order.
    async fn deliver(&mut self, published: &Arc<Published>) -> Result<(), End> {
        match &published.event {
            Event::UnreadChanged => {
                self.recount = true;
                self.unread_soon();
                Ok(())
            }
            Event::SessionsEnded => self.check_session().await,
            Event::Frame(ServerFrame::Message { message }) => {
                if message.sender.as_ref() != Some(&self.user)
                    && !self.muted.contains(&message.conversation)
                {
                    self.unread = self.unread.map(|n| n + 1);
                    self.unread_soon();
                }
                let conversation = &message.conversation;
                match self.cursors.get(conversation).copied() {
                    Some(have) if message.seq <= have => Ok(()),
                    Some(have) if message.seq > have.next() => {
                        // Something came in between that this socket has not seen.
                        match self.catch_up(conversation, have).await {
                            Ok(last) => {
                                self.cursors.insert(conversation.clone(), last);
                                Ok(())
                            }
                            Err(Stop::Refused(e)) => self.send_frame(&refusal(e, None)).await,
                            Err(Stop::End(end)) => Err(end),
                        }
                    }
                    Some(_) => {
                        self.cursors.insert(conversation.clone(), message.seq);
                        self.send_published(published).await
                    }
                    None => self.send_published(published).await,
                }
            }
            Event::Frame(ServerFrame::ParticipantLeft { conversation, user })
                if user == &self.user =>
            {
                self.cursors.remove(conversation);
                self.send_published(published).await
            }
            Event::Frame(_) => self.send_published(published).await,
        }
    }

    fn unread_soon(&mut self) {
        if self.unread_due.is_none() {
            self.unread_due = Some(Instant::now() + UNREAD_DELAY);
        }
    }

    async fn send_unread(&mut self) -> Result<(), End> {
        if self.recount || self.unread.is_none() {
            let conversations = self.services.conversations();
            let counted = match conversations.unread_total(&self.user).await {
                Ok(t) => conversations.muted(&self.user).await.map(|m| (t, m)),
                Err(e) => Err(e),
            };
            match counted {
                Ok((total, muted)) => {
                    self.unread = Some(total);
                    self.muted = muted;
                    self.recount = false;
                }
                Err(e) => {
                    tracing::warn!(error = %e.report(), "cannot count unread messages");
                    return Ok(());
                }
            }
        }
        let Some(total) = self.unread else { return Ok(()) };
        if self.unread_sent != Some(total) {
            self.unread_sent = Some(total);
            self.send_frame(&ServerFrame::Unread { total }).await?;
        }
        Ok(())
    }

    async fn send_published(&mut self, published: &Published) -> Result<(), End> {
        match &published.encoded {
            Some(text) => self.send(Message::Text(text.as_str().into())).await,
            None => Ok(()),
        }
    }

    async fn send_frame(&mut self, frame: &ServerFrame) -> Result<(), End> {
        self.send(Message::Text(frame.encode().into())).await
    }

    async fn send(&mut self, message: Message) -> Result<(), End> {
        match tokio::time::timeout(WRITE_TIMEOUT, self.sink.send(message)).await {
            Ok(sent) => sent.map_err(|_| End::Gone),
            Err(_) => {
                tracing::info!("a socket stopped reading: dropped");
                Err(End::Gone)
            }
        }
    }
}
