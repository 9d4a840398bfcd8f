//! The bare baseline for the chat benchmark: an axum WebSocket relay with the same
//! frames and the same fan-out as `/ws`, and nothing else: no authentication, no
//! storage, no resume. A client's `Hello` names the rooms it joins (its "resume"
//! list); a `Send` gets an `Ack` with the room's next number and goes, as a `Message`,
//! to every socket in the room (the sender's too, as the app does for other tabs).

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use marktchat_shared::chat::{
    ChatMessage, ClientFrame, ConversationId, Seq, ServerFrame, MAX_FRAME_BYTES, PROTOCOL_VERSION,
};
use marktchat_shared::{Timestamp, UserId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

#[derive(Default)]
struct Room {
    next: AtomicU64,
    members: Mutex<Vec<(u64, mpsc::Sender<Arc<str>>)>>,
}

#[derive(Clone, Default)]
struct Rooms {
    rooms: Arc<Mutex<HashMap<ConversationId, Arc<Room>>>>,
    next_socket: Arc<AtomicU64>,
}

impl Rooms {
    fn room(&self, id: &ConversationId) -> Arc<Room> {
        self.rooms.lock().unwrap().entry(id.clone()).or_default().clone()
    }
}

pub fn router() -> Router {
    Router::new().route("/ws", get(upgrade)).with_state(Rooms::default())
}

async fn upgrade(State(rooms): State<Rooms>, ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(MAX_FRAME_BYTES).on_upgrade(move |socket| serve(rooms, socket))
}

async fn serve(rooms: Rooms, socket: WebSocket) {
    let id = rooms.next_socket.fetch_add(1, Ordering::Relaxed);
    let (mut sink, mut stream) = socket.split();
    // The same bound per socket as the app's bus.
    let (tx, mut rx) = mpsc::channel::<Arc<str>>(256);
    let writer = tokio::spawn(async move {
        while let Some(text) = rx.recv().await {
            if sink.send(Message::Text(text.as_ref().into())).await.is_err() {
                return;
            }
        }
    });
    let mut joined: Vec<Arc<Room>> = Vec::new();
    while let Some(Ok(message)) = stream.next().await {
        let Message::Text(text) = message else { continue };
        let Ok(frame) = ClientFrame::decode(text.as_str()) else { continue };
        match frame {
            ClientFrame::Hello { resume, .. } => {
                for r in resume {
                    let room = rooms.room(&r.conversation);
                    room.members.lock().unwrap().push((id, tx.clone()));
                    joined.push(room);
                }
                let welcome = ServerFrame::Welcome { version: PROTOCOL_VERSION }.encode();
                let _ = tx.send(welcome.into()).await;
            }
            ClientFrame::Send { conversation, client_id, text } => {
                let room = rooms.room(&conversation);
                let seq = Seq(room.next.fetch_add(1, Ordering::Relaxed) + 1);
                let ack = ServerFrame::Ack {
                    conversation: conversation.clone(),
                    client_id: client_id.clone(),
                    seq,
                };
                let _ = tx.send(ack.encode().into()).await;
                let message = ServerFrame::Message {
                    message: ChatMessage {
                        conversation,
                        seq,
                        client_id,
                        sender: Some(UserId(format!("socket-{id}"))),
                        text,
                        sent_at: Timestamp(0),
                        kind: Default::default(),
                    },
                };
                let encoded: Arc<str> = message.encode().into();
                let members = room.members.lock().unwrap().clone();
                for (_, member) in members {
                    // Like the app: never wait for a slow socket.
                    let _ = member.try_send(encoded.clone());
                }
            }
            ClientFrame::Ping => {
                let _ = tx.send(ServerFrame::Pong.encode().into()).await;
            }
            ClientFrame::Resume { .. } | ClientFrame::Typing { .. } | ClientFrame::Read { .. } => {}
        }
    }
    for room in joined {
        room.members.lock().unwrap().retain(|(s, _)| *s != id);
    }
    writer.abort();
}
