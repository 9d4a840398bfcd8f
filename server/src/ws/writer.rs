//! A socket's writing half: the reader's answers, the user's live events (each shown
//! conversation kept complete and in order, completed from the database where the
//! events left a gap), the unread total, pings, and the checks that end the socket
//! (its session, the server going down).

use super::*;

/// Why catching up stopped.
enum Stop {
    Refused(Error),
    End(End),
}

/// Sends the reader's answers and the user's live events.
pub(super) struct Writer {
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
    pub(super) fn new(
        services: Services,
        user: UserId,
        token_hash: String,
        sink: SplitSink<WebSocket, Message>,
    ) -> Writer {
        Writer {
            services,
            user,
            token_hash,
            session_check: None,
            sink,
            cursors: HashMap::new(),
            unread: None,
            muted: HashSet::new(),
            unread_sent: None,
            unread_due: None,
            recount: true,
        }
    }

    /// Sends a close frame with `code` and `reason` (the reader then waits for the
    /// client's answer).
    pub(super) async fn close(&mut self, code: u16, reason: &'static str) {
        tracing::debug!(code, reason, "closing the socket");
        socket_close::send_close(&mut self.sink, Vec::new(), code, reason).await;
    }
    pub(super) async fn serve(
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
                    Some(Out::Resume(from)) => self.resume(from).await,
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
    pub(super) async fn check_session(&mut self) -> Result<(), End> {
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
    /// and keeps it complete from now on. A copy that is not the database's history
    /// (see `shared::chat`) gets `Reset` instead.
    pub(super) async fn resume(&mut self, from: ResumeFrom) -> Result<(), End> {
        let ResumeFrom { conversation, after, last } = from;
        if !self.cursors.contains_key(&conversation) && self.cursors.len() >= MAX_RESUME {
            return self
                .send_frame(&ServerFrame::Error {
                    code: ErrorCode::BadFrame,
                    client_id: None,
                    retry_after_secs: None,
                })
                .await;
        }
        let same = self
            .services
            .conversations()
            .same_history(&self.user, &conversation, after, last.as_ref())
            .await;
        match same {
            Ok(true) => {}
            Ok(false) => {
                self.cursors.remove(&conversation);
                return self.send_frame(&ServerFrame::Reset { conversation }).await;
            }
            Err(e) => return self.send_frame(&refusal(e, None)).await,
        }
        // Whatever this socket already sent counts as had.
        let after = self.cursors.get(&conversation).map_or(after, |k| (*k).max(after));
        match self.catch_up(&conversation, after).await {
            Ok(last) => {
                self.cursors.insert(conversation.clone(), last);
                self.send_read_marks(conversation).await
            }
            Err(Stop::Refused(e)) => self.send_frame(&refusal(e, None)).await,
            Err(Stop::End(end)) => Err(end),
        }
    }

    /// After a catch-up: how far the others have read. A page is rendered before its
    /// socket opens, and a read receipt given in between would otherwise show only
    /// after a reload. (The client keeps the furthest mark it has seen.)
    async fn send_read_marks(&mut self, conversation: ConversationId) -> Result<(), End> {
        let marks = match self.services.conversations().read_marks(&self.user, &conversation).await
        {
            Ok(marks) => marks,
            Err(e) => return self.send_frame(&refusal(e, None)).await,
        };
        for (user, up_to) in marks {
            let frame = ServerFrame::Read { conversation: conversation.clone(), user, up_to };
            self.send_frame(&frame).await?;
        }
        Ok(())
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

    pub(super) async fn send_unread(&mut self) -> Result<(), End> {
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

    pub(super) async fn send_frame(&mut self, frame: &ServerFrame) -> Result<(), End> {
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
