//! A socket's reading half: the client's frames, within the socket's frame budget,
//! done in order (a message stored, a read mark set, a typing notice passed on); the
//! answers go to the writer.

use super::*;

/// Takes the client's frames and does what they ask.
pub(super) struct Reader {
    services: Services,
    user: UserId,
    out: mpsc::Sender<Out>,
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
    pub(super) fn new(services: Services, user: UserId, out: mpsc::Sender<Out>) -> Reader {
        let budget = FrameBudget::new(services.settings.limits.messages_per_minute);
        Reader { services, user, out, typing_sent: HashMap::new(), budget }
    }

    pub(super) async fn run(mut self, mut stream: SplitStream<WebSocket>) {
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
                    Some(Out::Frame(ServerFrame::Error {
                        code: ErrorCode::RateLimited,
                        client_id,
                        // the budget refills a frame in well under a second
                        retry_after_secs: Some(1),
                    }))
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
            ClientFrame::Hello { .. } => Some(Out::Frame(ServerFrame::Error {
                code: ErrorCode::BadFrame,
                client_id: None,
                retry_after_secs: None,
            })),
            ClientFrame::Resume { conversation, after, last } => {
                Some(Out::Resume(ResumeFrom { conversation, after, last }))
            }
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

    /// Passes a typing notice on to the others in the conversation (throttled). Who
    /// may hear it is asked each time: after a block or a leave, no more notices.
    async fn typing(&mut self, conversation: ConversationId) -> Result<(), ServerFrame> {
        if self.typing_sent.get(&conversation).is_some_and(|t| t.elapsed() < TYPING_EVERY) {
            return Ok(());
        }
        let others = self
            .services
            .conversations()
            .typing_recipients(&self.user, &conversation)
            .await
            .map_err(|e| refusal(e, None))?;
        if self.typing_sent.len() >= MAX_RESUME {
            self.typing_sent.clear();
        }
        self.typing_sent.insert(conversation.clone(), Instant::now());
        if !others.is_empty() {
            self.services.events.publish(
                &others,
                Event::Frame(ServerFrame::Typing { conversation, user: self.user.clone() }),
            );
        }
        Ok(())
    }
}
