//! The closing handshake of the server's WebSockets (`/ws` and `/bot/ws`), written
//! once: send a close frame (with whatever must go first), then read on, unanswered,
//! until the client's close frame. Dropping a connection whose client frames are
//! unread resets it instead of closing it cleanly. Both steps are bounded by
//! [`CLOSE_WAIT`]: a client that does not answer costs at most twice that.

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use std::time::Duration;

/// How long a closing socket waits for its close frame to go out, and then for the
/// client's answer.
pub const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// Sends `before` (the last frames), then a close frame with `code` and `reason`.
/// `false` when that did not go out in time (the connection is gone or stuck).
pub async fn send_close<S>(
    sink: &mut S,
    before: Vec<Message>,
    code: u16,
    reason: &'static str,
) -> bool
where
    S: Sink<Message, Error = axum::Error> + Unpin,
{
    let goodbye = async {
        for message in before {
            sink.send(message).await?;
        }
        let frame = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
        sink.send(Message::Close(Some(frame))).await
    };
    let sent = matches!(tokio::time::timeout(CLOSE_WAIT, goodbye).await, Ok(Ok(())));
    if !sent {
        tracing::debug!(code, "the close frame did not go out in time");
    }
    sent
}

/// Reads on until the client's close frame (or the end, or [`CLOSE_WAIT`]), dropping
/// what comes before it.
pub async fn await_close<S>(stream: &mut S)
where
    S: Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    let answered = tokio::time::timeout(CLOSE_WAIT, async {
        while let Some(Ok(message)) = stream.next().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
    if answered.is_err() {
        tracing::debug!("no close frame from the client in time");
    }
}

/// The whole handshake on an unsplit socket.
pub async fn close<S>(socket: &mut S, before: Vec<Message>, code: u16, reason: &'static str)
where
    S: Sink<Message, Error = axum::Error> + Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    if send_close(socket, before, code, reason).await {
        await_close(socket).await;
    }
}
