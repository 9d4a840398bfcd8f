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
use crate::socket_close;
use crate::startup::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use marktchat_services::events::{Event, Published, Subscription};
use marktchat_services::rate_limit::{Limits, OpenLimit, OpenSlot};
use marktchat_services::{Error, RequestSession, Services};
use marktchat_shared::chat::{
    ClientFrame, ClientMessageId, ConversationId, ErrorCode, FrameError, ResumeFrom, Seq,
    ServerFrame, MAX_FRAME_BYTES, MAX_RESUME, PROTOCOL_VERSION,
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

mod reader;
mod writer;
use reader::Reader;
pub use reader::{FRAMES_PER_SECOND, FRAME_BURST};
use writer::Writer;

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

/// The most sockets one user may have open at once, on all instances together (tabs
/// and devices). Every socket costs two tasks and a subscription: past this, a new socket
/// is closed at once with [`CLOSE_TOO_MANY`].
pub const MAX_SOCKETS_PER_USER: usize = 32;
/// The most sockets one instance keeps open unless configured (`--max-sockets`).
pub const DEFAULT_MAX_SOCKETS: usize = 50_000;

/// Tells open sockets that the server is going down, and counts the open sockets: all
/// of this instance's, and each user's on all instances
/// ([`marktchat_services::rate_limit::OpenLimit`]).
#[derive(Clone)]
pub struct Closing {
    tx: Arc<watch::Sender<bool>>,
    /// Open sockets per user, on all instances where limits are shared.
    per_user: OpenLimit<String>,
    /// The most sockets this instance keeps open.
    max: usize,
}

impl Closing {
    /// At most `max` sockets open at once on this instance, and
    /// [`MAX_SOCKETS_PER_USER`] per user (counted as `limits` count).
    pub fn new(max: usize, limits: &Limits) -> Closing {
        Closing {
            tx: Arc::new(watch::channel(false).0),
            per_user: limits.open_limit("socket", MAX_SOCKETS_PER_USER),
            max,
        }
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

    /// A place for one more socket of `user`, unless they (on all instances), or this
    /// instance, have the most already.
    async fn slot(&self, user: &UserId) -> Option<OpenSlot<String>> {
        if self.open_sockets() >= self.max {
            return None;
        }
        self.per_user.acquire(user.0.clone()).await
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
    let Some(slot) = state.closing.slot(&user.id).await else {
        // Upgraded and closed at once: a browser sees the close code (an HTTP
        // refusal of the upgrade reaches its script only as "abnormal closure").
        tracing::warn!(user = %user.id, "too many sockets: closed at once");
        return ws.on_upgrade(|mut socket| async move {
            let reason = "too many open connections";
            socket_close::close(&mut socket, Vec::new(), CLOSE_TOO_MANY, reason).await;
        });
    };
    let services = state.services.clone();
    let closing = state.closing.subscribe();
    ws.on_upgrade(move |socket| {
        let span = tracing::info_span!("ws", user = %user.id);
        let connection = async move {
            run(services, Who { user: user.id, token_hash }, socket, closing).await;
            slot.release().await;
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
    /// The client shows this conversation from here on.
    Resume(ResumeFrom),
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
    let mut writer = Writer::new(services.clone(), user.clone(), token_hash, sink);
    let started = match writer.check_session().await {
        Ok(()) => handshake(&mut writer, &mut stream).await,
        Err(end) => Err(end),
    };
    let (end, mut reading) = match started {
        Err(end) => (end, None),
        Ok(()) => {
            let (tx, rx) = mpsc::channel(OUT_QUEUE);
            let reader = Reader::new(services, user, tx);
            let reading = tokio::spawn(reader.run(stream));
            (writer.serve(rx, &mut events, &mut closing).await, Some(reading))
        }
    };
    if let End::Close(code, reason) = end {
        writer.close(code, reason).await;
        // The closing handshake (`crate::socket_close`): the reader goes on until the
        // client's close frame (it has no one to hand frames to any more).
        if let Some(reading) = reading.as_mut() {
            if tokio::time::timeout(socket_close::CLOSE_WAIT, reading).await.is_err() {
                tracing::debug!("no close frame from the client in time");
            }
        }
    }
    if let Some(reading) = reading {
        reading.abort();
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
            .send_frame(&ServerFrame::Error {
                code: ErrorCode::BadFrame,
                client_id: None,
                retry_after_secs: None,
            })
            .await?;
        return Err(End::Close(CLOSE_PROTOCOL, "hello first"));
    };
    if version != PROTOCOL_VERSION {
        writer
            .send_frame(&ServerFrame::Error {
                code: ErrorCode::UnsupportedVersion,
                client_id: None,
                retry_after_secs: None,
            })
            .await?;
        return Err(End::Close(CLOSE_PROTOCOL, "unsupported version"));
    }
    writer.send_frame(&ServerFrame::Welcome { version: PROTOCOL_VERSION }).await?;
    for r in resume {
        writer.resume(r).await?;
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
                return Ok(Err(ServerFrame::Error {
                    code: ErrorCode::BadFrame,
                    client_id: None,
                    retry_after_secs: None,
                }))
            }
        };
        return match ClientFrame::decode(text.as_str()) {
            Ok(frame) => Ok(Ok(frame)),
            Err(FrameError::TooLarge) => Err(End::Close(CLOSE_TOO_LARGE, "frame too large")),
            Err(e) => {
                tracing::debug!(error = %e, "bad frame");
                Ok(Err(ServerFrame::Error {
                    code: ErrorCode::BadFrame,
                    client_id: None,
                    retry_after_secs: None,
                }))
            }
        };
    }
}

/// What a refused request is answered with. Faults of the server's own are logged.
fn refusal(e: Error, client_id: Option<ClientMessageId>) -> ServerFrame {
    let retry_after_secs = match &e {
        Error::RateLimited { retry_after } | Error::Busy { retry_after } => {
            Some(retry_after.as_secs_f64().ceil().max(1.0) as u64)
        }
        _ => None,
    };
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
    ServerFrame::Error { code, client_id, retry_after_secs }
}
