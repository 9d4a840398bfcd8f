//! Real WebSocket clients for the chat tests: they speak `shared::chat` frames over
//! `/ws`, with the session cookie and `Origin` a browser would send.

use super::{Browser, TestApp};
use futures_util::{SinkExt, StreamExt};
use marktchat_services::conversations::About;
use marktchat_shared::chat::{
    ChatMessage, ClientFrame, ClientMessageId, ConversationId, MessageText, ResumeFrom, Seq,
    ServerFrame, PROTOCOL_VERSION,
};
use marktchat_shared::UserId;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

pub type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Someone with a session: their id and a browser that carries their cookie.
pub struct Person {
    pub id: UserId,
    pub browser: Browser,
}

impl TestApp {
    /// A user with a live session, made without the registration form (fast).
    pub async fn person(&self, name: &str) -> Person {
        let (id, token) =
            marktchat_services::testing::user_with_session(&self.running.services, name).await;
        let browser = self.browser();
        browser.jar.add_cookie_str(
            &format!("{}={token}", marktchat_services::sessions::SESSION_COOKIE),
            &self.url("/").parse().unwrap(),
        );
        Person { id, browser }
    }

    /// A listing of `seller`'s (a bicycle in Berlin), and the seller as the services
    /// see them.
    pub async fn listing_of(
        &self,
        seller: &Person,
        title: &str,
    ) -> (marktchat_shared::CurrentUser, marktchat_shared::listing::Listing) {
        let actor = marktchat_shared::CurrentUser {
            id: seller.id.clone(),
            display_name: "Seller".into(),
            role: marktchat_shared::Role::User,
            language: marktchat_shared::Language::De,
            time_zone: None,
        };
        let draft = marktchat_services::listings::ListingDraft::parse(
            title,
            "",
            "fixed",
            "10",
            "vehicles/bicycles",
            "10115",
            "Berlin",
        )
        .unwrap();
        let listing = self.running.services.listings().create(&actor, draft, vec![]).await.unwrap();
        (actor, listing)
    }

    /// A direct conversation between two people.
    pub async fn direct(&self, a: &Person, b: &Person) -> ConversationId {
        self.running
            .services
            .conversations()
            .find_or_start(&a.id, &About::Person(b.id.clone()))
            .await
            .unwrap()
    }

    /// Opens `/ws` as `person`'s browser would, without saying anything yet.
    pub async fn ws_raw(&self, person: &Person, origin: Option<&str>) -> Result<Stream, u16> {
        ws_connect(self.addr, &person.browser.cookie_header(), origin).await
    }

    /// A socket that said `Hello` (resuming `resume`) and got `Welcome`.
    pub async fn socket(&self, person: &Person, resume: &[(&ConversationId, u64)]) -> Socket {
        open_socket(self.addr, &person.browser.cookie_header(), &person.id, resume).await
    }
}

/// Opens `ws://addr/ws` with a `Cookie` header and (optionally) an `Origin`.
pub async fn ws_connect(
    addr: std::net::SocketAddr,
    cookie: &str,
    origin: Option<&str>,
) -> Result<Stream, u16> {
    let mut request = format!("ws://{addr}/ws").into_client_request().unwrap();
    let headers = request.headers_mut();
    headers.insert("cookie", HeaderValue::from_str(cookie).unwrap());
    if let Some(origin) = origin {
        headers.insert("origin", HeaderValue::from_str(origin).unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((stream, _)) => Ok(stream),
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
        Err(e) => panic!("cannot connect: {e}"),
    }
}

/// A socket to the server at `addr` that said `Hello` and got `Welcome`.
pub async fn open_socket(
    addr: std::net::SocketAddr,
    cookie: &str,
    user: &UserId,
    resume: &[(&ConversationId, u64)],
) -> Socket {
    let origin = format!("http://{addr}");
    let stream = ws_connect(addr, cookie, Some(&origin)).await.expect("the socket opens");
    let mut socket = Socket { stream, user: user.clone() };
    socket
        .send(ClientFrame::Hello {
            version: PROTOCOL_VERSION,
            resume: resume
                .iter()
                .map(|(c, after)| ResumeFrom {
                    conversation: (*c).clone(),
                    after: Seq(*after),
                    last: None,
                })
                .collect(),
        })
        .await;
    let welcome = socket.next().await;
    assert_eq!(welcome, ServerFrame::Welcome { version: PROTOCOL_VERSION });
    socket
}

pub struct Socket {
    pub stream: Stream,
    pub user: UserId,
}

/// How long a test waits for a frame that should come.
pub const PATIENCE: Duration = Duration::from_secs(10);

impl Socket {
    pub async fn send(&mut self, frame: ClientFrame) {
        self.stream.send(Message::text(frame.encode())).await.expect("the frame is sent");
    }

    pub async fn send_text(&mut self, conversation: &ConversationId, client_id: &str, text: &str) {
        self.send(ClientFrame::Send {
            conversation: conversation.clone(),
            client_id: ClientMessageId::parse(client_id).unwrap(),
            text: MessageText::parse(text).unwrap(),
        })
        .await;
    }

    /// The next frame, or `None` when the server closed the socket (with its code).
    pub async fn next_or_close(&mut self) -> Result<ServerFrame, Option<u16>> {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.stream.next())
                .await
                .expect("a frame within the patience");
            match message {
                Some(Ok(Message::Text(text))) => {
                    return Ok(ServerFrame::decode(text.as_str()).expect("a readable frame"))
                }
                Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    /// Reads frames until the server closes the socket; returns its close code.
    pub async fn closed(&mut self) -> Option<u16> {
        loop {
            if let Err(code) = self.next_or_close().await {
                return code;
            }
        }
    }

    pub async fn next(&mut self) -> ServerFrame {
        self.next_or_close().await.expect("the socket is open")
    }

    /// The next frame for which `keep` holds; others are skipped.
    pub async fn next_where(&mut self, keep: impl Fn(&ServerFrame) -> bool) -> ServerFrame {
        loop {
            let frame = self.next().await;
            if keep(&frame) {
                return frame;
            }
        }
    }

    /// The next `n` messages (other frames skipped).
    pub async fn messages(&mut self, n: usize) -> Vec<ChatMessage> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            if let ServerFrame::Message { message } =
                self.next_where(|f| matches!(f, ServerFrame::Message { .. })).await
            {
                out.push(message);
            }
        }
        out
    }

    /// The ack for `client_id` (other frames skipped); panics on an error frame for it.
    pub async fn ack(&mut self, client_id: &str) -> Seq {
        loop {
            match self.next().await {
                ServerFrame::Ack { client_id: c, seq, .. } if c.as_str() == client_id => {
                    return seq
                }
                ServerFrame::Error { code, client_id: Some(c), .. } if c.as_str() == client_id => {
                    panic!("{client_id} refused: {code:?}")
                }
                _ => {}
            }
        }
    }

    /// Nothing but `allowed` frames arrive within `wait`.
    pub async fn quiet_for(&mut self, wait: Duration, allowed: impl Fn(&ServerFrame) -> bool) {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Err(_) => return,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let frame = ServerFrame::decode(text.as_str()).unwrap();
                    assert!(allowed(&frame), "unexpected frame {frame:?}");
                }
                Ok(Some(Ok(_))) => {}
                Ok(other) => panic!("the socket ended: {other:?}"),
            }
        }
    }
}

pub fn texts(messages: &[ChatMessage]) -> Vec<&str> {
    messages.iter().map(|m| m.text.as_str()).collect()
}
