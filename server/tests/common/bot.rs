//! A help-bot widget as a test drives it: a WebSocket to `/bot/ws` speaking
//! `shared::bot::protocol`.

use futures_util::{SinkExt, StreamExt};
use marktchat_shared::bot::protocol::BOT_PROTOCOL_VERSION;
use marktchat_shared::bot::{BotClientFrame, BotServerFrame, ChatCode, StorageMode};
use marktchat_shared::Language;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

pub type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How long a test waits for a frame that should come.
pub const PATIENCE: Duration = Duration::from_secs(10);

pub struct BotSocket {
    pub stream: Stream,
}

/// Opens `ws://addr/bot/ws` as a widget on another website would (its `Origin`), with
/// extra headers (e.g. `X-Forwarded-For`). `Err(status)` when the upgrade is refused.
pub async fn bot_connect(
    addr: std::net::SocketAddr,
    headers: &[(&'static str, &str)],
) -> Result<BotSocket, u16> {
    let mut request = format!("ws://{addr}/bot/ws").into_client_request().unwrap();
    let h = request.headers_mut();
    h.insert("origin", HeaderValue::from_static("https://fahrradladen.example"));
    for (name, value) in headers {
        h.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((stream, _)) => Ok(BotSocket { stream }),
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
        Err(e) => panic!("cannot connect: {e}"),
    }
}

impl BotSocket {
    pub async fn open(addr: std::net::SocketAddr) -> BotSocket {
        bot_connect(addr, &[]).await.expect("the bot socket opens")
    }

    pub async fn send(&mut self, frame: BotClientFrame) {
        self.send_raw(&frame.encode()).await;
    }

    pub async fn send_raw(&mut self, text: &str) {
        self.stream.send(Message::text(text)).await.expect("the frame is sent");
    }

    /// The next frame, or the close code when the server closed the socket.
    pub async fn next_or_close(&mut self) -> Result<BotServerFrame, Option<u16>> {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.stream.next())
                .await
                .expect("a frame within the patience");
            match message {
                Some(Ok(Message::Text(text))) => {
                    return Ok(BotServerFrame::decode(text.as_str()).expect("a readable frame"))
                }
                Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    pub async fn next(&mut self) -> BotServerFrame {
        self.next_or_close().await.expect("the socket is open")
    }

    /// Starts a chat; returns its code (the greeting is read too).
    pub async fn start(&mut self, language: Language, mode: StorageMode) -> ChatCode {
        self.send(BotClientFrame::Start { version: BOT_PROTOCOL_VERSION, language, mode }).await;
        let code = match self.next().await {
            BotServerFrame::Started { code, mode: m } if m == mode => code,
            other => panic!("not started: {other:?}"),
        };
        assert!(matches!(self.next().await, BotServerFrame::Reply { .. }), "the greeting");
        code
    }

    /// Says `text` and returns the reply's text.
    pub async fn say(&mut self, text: &str) -> String {
        self.send(BotClientFrame::Say { text: text.into(), dialog: None }).await;
        match self.next().await {
            BotServerFrame::Reply { text, .. } => text,
            other => panic!("no reply to {text:?}: {other:?}"),
        }
    }

    /// Deletes transcripts by code; the answer.
    pub async fn delete(&mut self, codes: &[&str]) -> BotServerFrame {
        self.send(BotClientFrame::DeleteCodes {
            codes: codes.iter().map(|c| c.to_string()).collect(),
        })
        .await;
        self.next().await
    }

    /// Ends the chat: `Ended`, then the server closes the socket.
    pub async fn end(mut self) {
        self.send(BotClientFrame::End).await;
        assert!(matches!(self.next().await, BotServerFrame::Ended { .. }));
        assert_eq!(self.next_or_close().await, Err(Some(1000)));
    }
}
