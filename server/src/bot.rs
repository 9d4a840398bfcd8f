//! The help bot on the wire: `/bot/ws`, its socket, and the widget's files.
//!
//! The socket is anonymous and separate from the marketplace's `/ws`: no cookie is
//! read or set, and any website may open it (the widget is embedded anywhere), which
//! is safe because it acts for nobody. Frames are `shared::bot::protocol`'s JSON; one
//! task per socket answers them in order through [`marktchat_services::bot::Chat`].
//!
//! Limits: frames per socket and per visitor address, chat codes tried per address
//! (shared with the `/chat/delete` page), open sockets per address. The address is
//! turned into a keyed hash ([`VisitorKey`]) when the socket opens and not kept: it
//! is never logged, stored or written anywhere.
//!
//! A chat ends when the visitor ends it, the socket closes (the tab closed, the page
//! left), nothing came for the idle timeout (default 15 minutes), or the server
//! stops; each end is counted.

use crate::security::client_of;
use crate::startup::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use marktchat_services::bot::{Bot, Chat};
use marktchat_services::rate_limit::{Limits, OpenLimit, VisitorKey};
use marktchat_services::Services;
use marktchat_shared::bot::protocol::{
    BotErrorCode, BotFrameError, EndReason, MAX_BOT_FRAME_BYTES,
};
use marktchat_shared::bot::{BotClientFrame, BotServerFrame};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The widget's scripts (the loader, and the chat it loads when the visitor starts
/// one), the demo page and its style, built into the binary.
const WIDGET_JS: &str = include_str!("../widget/widget.js");
const WIDGET_CHAT_JS: &str = include_str!("../widget/widget-chat.js");
const DEMO_HTML: &str = include_str!("../widget/demo.html");
const DEMO_CSS: &str = include_str!("../widget/demo.css");

/// The default time a chat may stay silent before it ends.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(15 * 60);

/// How the bot's sockets behave.
#[derive(Debug, Clone)]
pub struct BotSettings {
    /// A chat with no frame from the visitor for this long ends.
    pub idle: Duration,
    /// Sockets open at once from one address.
    pub sockets_per_address: usize,
    /// Frames (messages, starts, mode changes) per socket and minute.
    pub frames_per_socket_minute: usize,
}

impl Default for BotSettings {
    fn default() -> Self {
        BotSettings { idle: DEFAULT_IDLE, sockets_per_address: 20, frames_per_socket_minute: 30 }
    }
}

/// The bot and its open sockets, shared by all of them.
#[derive(Clone)]
pub struct BotHub {
    bot: Bot,
    settings: BotSettings,
    /// Open sockets per visitor key, on all instances where limits are shared.
    open: OpenLimit<VisitorKey>,
}

impl BotHub {
    pub fn new(bot: Bot, settings: BotSettings, limits: &Limits) -> BotHub {
        let open = limits.open_limit("bot_socket", settings.sockets_per_address);
        BotHub { bot, settings, open }
    }
}

/// The routes: the socket, the widget's script and the demo page.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/bot/ws", get(upgrade))
        .route("/widget.js", get(|| async { script(WIDGET_JS) }))
        .route("/widget-chat.js", get(|| async { script(WIDGET_CHAT_JS) }))
        .route("/widget-demo", get(|| async { file("text/html; charset=utf-8", DEMO_HTML) }))
        .route("/widget-demo.css", get(|| async { file("text/css; charset=utf-8", DEMO_CSS) }))
}

fn file(content_type: &'static str, body: &'static str) -> Response {
    ([(http::header::CONTENT_TYPE, content_type)], body).into_response()
}

/// A widget script. Other sites load it, so it may be read cross-origin; it is
/// cached briefly, so an update reaches every page within minutes.
fn script(body: &'static str) -> Response {
    let mut res = file("text/javascript; charset=utf-8", body);
    let h = res.headers_mut();
    h.insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("public, max-age=300"));
    h.insert(
        http::HeaderName::from_static("cross-origin-resource-policy"),
        http::HeaderValue::from_static("cross-origin"),
    );
    res
}

async fn upgrade(
    State(state): State<AppState>,
    ws: WebSocketUpgrade,
    request: axum::extract::Request,
) -> Response {
    // The address becomes a key here and is not kept.
    let limits = &state.services.limits;
    let visitor = limits.visitor(
        client_of(&request, &state).addr.unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into()),
    );
    let hub = state.bot.clone();
    let Some(slot) = hub.open.acquire(visitor).await else {
        return (StatusCode::TOO_MANY_REQUESTS, "too many open chats\n").into_response();
    };
    let services = state.services.clone();
    let closing = state.closing.subscribe();
    ws.max_message_size(MAX_BOT_FRAME_BYTES)
        .max_frame_size(MAX_BOT_FRAME_BYTES)
        .read_buffer_size(2 * 1024)
        .write_buffer_size(0)
        .on_upgrade(move |socket| async move {
            Socket { hub, services, visitor, socket, recent: VecDeque::new() }.run(closing).await;
            slot.release().await;
        })
}

struct Socket {
    hub: BotHub,
    services: Services,
    visitor: VisitorKey,
    socket: WebSocket,
    /// When this socket's recent frames came (its own limit).
    recent: VecDeque<Instant>,
}

/// How a socket's loop ends.
enum Stop {
    /// The client closed it or went away: nothing more to send.
    Gone,
    /// We close it: with these frames first, then a close frame.
    Close(Vec<BotServerFrame>, u16, &'static str),
}

impl Socket {
    async fn run(mut self, mut closing: watch::Receiver<bool>) {
        let mut chat = Chat::new(self.hub.bot.clone());
        let idle = self.hub.settings.idle;
        let mut deadline = Instant::now() + idle;
        let stop = loop {
            let message = tokio::select! {
                _ = closing.changed() => break self.ending(&mut chat, EndReason::ServerStopping, 1012, "server restarting").await,
                _ = tokio::time::sleep_until(deadline) => break self.ending(&mut chat, EndReason::Idle, 1000, "idle").await,
                m = self.socket.recv() => m,
            };
            let text = match message {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => {
                    // The tab closed or the page was left: the chat ends quietly.
                    if let Err(e) = chat.end(EndReason::Visitor).await {
                        tracing::warn!(error = %e.report(), "a bot chat's end was not recorded");
                    }
                    break Stop::Gone;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(Message::Binary(_))) => {
                    if self.send(&error(BotErrorCode::BadFrame, None)).await.is_err() {
                        break Stop::Gone;
                    }
                    continue;
                }
                Some(Ok(Message::Text(text))) => text,
            };
            deadline = Instant::now() + idle;
            match self.answer(&mut chat, text.as_str()).await {
                Ok(()) => {}
                Err(stop) => break stop,
            }
        };
        if let Stop::Close(frames, code, reason) = stop {
            self.close(frames, code, reason).await;
        }
    }

    /// Answers one text frame; `Err` when the socket should end.
    async fn answer(&mut self, chat: &mut Chat, text: &str) -> Result<(), Stop> {
        let frame = match BotClientFrame::decode(text) {
            Ok(frame) => frame,
            Err(BotFrameError::TooLarge) => return Err(Stop::Close(vec![], 1009, "too large")),
            Err(BotFrameError::TooLong) => {
                return self.reply(&[error(BotErrorCode::TooLong, None)]).await
            }
            Err(e) => {
                tracing::debug!(error = %e, "an unreadable bot frame");
                return self.reply(&[error(BotErrorCode::BadFrame, None)]).await;
            }
        };
        if let Err(wait) = self.allow(&frame).await {
            let secs = wait.as_secs().max(1);
            return self.reply(&[error(BotErrorCode::RateLimited, Some(secs))]).await;
        }
        match chat.handle(frame).await {
            Ok(answer) if answer.close => Err(Stop::Close(answer.frames, 1000, "chat ended")),
            Ok(answer) => self.reply(&answer.frames).await,
            Err(e) => {
                tracing::error!(error = %e.report(), "a bot frame failed");
                self.reply(&[error(BotErrorCode::Unavailable, None)]).await
            }
        }
    }

    /// Counts the frame against the limits, or says how long to wait.
    async fn allow(&mut self, frame: &BotClientFrame) -> Result<(), Duration> {
        let limits = &self.services.limits;
        match frame {
            BotClientFrame::End => Ok(()),
            // One attempt per request, however many codes (at most fifty) it names:
            // a browser deleting all its earlier chats makes one.
            BotClientFrame::DeleteCodes { .. } => {
                limits.bot_codes.reserve(self.visitor).await.map(|r| r.keep())
            }
            _ => {
                const MINUTE: Duration = Duration::from_secs(60);
                let now = Instant::now();
                while self.recent.front().is_some_and(|t| now - *t >= MINUTE) {
                    self.recent.pop_front();
                }
                if self.recent.len() >= self.hub.settings.frames_per_socket_minute {
                    let oldest = self.recent.front().copied().unwrap_or(now);
                    return Err(MINUTE.saturating_sub(now - oldest));
                }
                limits.bot_messages.reserve(self.visitor).await?.keep();
                self.recent.push_back(now);
                Ok(())
            }
        }
    }

    /// Ends the chat for `reason` and says so before closing.
    async fn ending(
        &mut self,
        chat: &mut Chat,
        reason: EndReason,
        code: u16,
        why: &'static str,
    ) -> Stop {
        match chat.end(reason).await {
            Ok(frames) => Stop::Close(frames, code, why),
            Err(e) => {
                tracing::warn!(error = %e.report(), "a bot chat's end was not recorded");
                Stop::Close(vec![BotServerFrame::Ended { reason }], code, why)
            }
        }
    }

    async fn reply(&mut self, frames: &[BotServerFrame]) -> Result<(), Stop> {
        for frame in frames {
            self.send(frame).await.map_err(|_| Stop::Gone)?;
        }
        Ok(())
    }

    async fn send(&mut self, frame: &BotServerFrame) -> Result<(), axum::Error> {
        self.socket.send(Message::Text(frame.encode().into())).await
    }

    /// Sends the last frames and a close frame, and waits for the client's answer
    /// ([`crate::socket_close`]).
    async fn close(mut self, frames: Vec<BotServerFrame>, code: u16, reason: &'static str) {
        let before = frames.iter().map(|f| Message::Text(f.encode().into())).collect();
        crate::socket_close::close(&mut self.socket, before, code, reason).await;
    }
}

fn error(code: BotErrorCode, retry_after_secs: Option<u64>) -> BotServerFrame {
    BotServerFrame::Error { code, retry_after_secs }
}
