//! Conversation changes that others must hear of at once: each stores through
//! [`crate::conversations`] first, and only once that is committed publishes the live
//! events on the [`crate::events::Bus`]. Pages (server functions), the WebSocket and
//! the command line all go through these, so every way in behaves the same.

use crate::conversations::{About, Affected, PeopleChanged, Sent};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::Services;
use marktchat_shared::chat::{
    ClientMessageId, ClosedReason, ConversationId, MessageText, Seq, ServerFrame,
};
use marktchat_shared::listing::{Listing, ListingStatus};
use marktchat_shared::{CurrentUser, UserId};

impl Services {
    pub fn conversations(&self) -> crate::conversations::Conversations<'_> {
        let appender = self
            .appender
            .get_or_init(|| crate::conversations::append::Appender::start(self.db.clone()));
        crate::conversations::Conversations::with_appender(&self.db, appender)
    }

    /// Counts one message against the sender's allowance.
    async fn message_allowance(
        &self,
        sender: &UserId,
    ) -> Result<crate::rate_limit::Held<'_, String>> {
        self.limits
            .messages
            .reserve(sender.0.clone())
            .await
            .map_err(|retry_after| Error::RateLimited { retry_after })
    }

    /// Stores a message and tells every participant's open tabs. A resend of a
    /// stored message (same client id) stores nothing, counts nothing against the
    /// allowance, and is announced again (a tab that missed it gets it now; the others
    /// already have that sequence number and ignore it).
    pub async fn send_message(
        &self,
        sender: &UserId,
        conversation: &ConversationId,
        client_id: &ClientMessageId,
        text: &MessageText,
    ) -> Result<Sent> {
        let conversations = self.conversations();
        let allowance = match self.message_allowance(sender).await {
            Ok(a) => a,
            // Over the limit: a resend of a stored message is still answered.
            Err(limited) => {
                match conversations.already_sent(sender, conversation, client_id).await? {
                    Some(sent) => {
                        self.announce(&sent);
                        return Ok(sent);
                    }
                    None => return Err(limited),
                }
            }
        };
        let sent = conversations.send(sender, conversation, client_id, text).await?;
        if sent.stored_now {
            allowance.keep();
        }
        self.announce(&sent);
        Ok(sent)
    }

    /// Starts (or finds) the conversation about `about` and sends its first message.
    pub async fn start_conversation(
        &self,
        actor: &UserId,
        about: &About,
        client_id: &ClientMessageId,
        text: &MessageText,
    ) -> Result<Sent> {
        // Checked before anything is created: no empty conversation from a refused send.
        drop(self.message_allowance(actor).await?);
        let id = self.conversations().find_or_start(actor, about).await?;
        self.send_message(actor, &id, client_id, text).await
    }

    fn announce(&self, sent: &Sent) {
        self.events.publish(
            &sent.participants,
            Event::Frame(ServerFrame::Message { message: sent.message.clone() }),
        );
        self.events.publish(&sent.participants, Event::UnreadChanged);
    }

    /// Marks a conversation read up to `up_to` and tells everyone in it (read receipts)
    /// and the reader's other tabs (their badge).
    pub async fn mark_read(
        &self,
        user: &UserId,
        conversation: &ConversationId,
        up_to: Seq,
    ) -> Result<()> {
        if let Some(up_to) = self.conversations().mark_read(user, conversation, up_to).await? {
            let participants = self.conversations().participants(conversation).await?;
            self.events.publish(
                &participants,
                Event::Frame(ServerFrame::Read {
                    conversation: conversation.clone(),
                    user: user.clone(),
                    up_to,
                }),
            );
            self.events.publish(std::slice::from_ref(user), Event::UnreadChanged);
        }
        Ok(())
    }

    /// Tells the user's own tabs that a conversation changed for them.
    fn changed_for(&self, user: &UserId, conversation: &ConversationId) {
        let to = std::slice::from_ref(user);
        self.events
            .publish(to, Event::Frame(ServerFrame::Changed { conversation: conversation.clone() }));
        self.events.publish(to, Event::UnreadChanged);
    }

    pub async fn set_archived(
        &self,
        user: &UserId,
        conversation: &ConversationId,
        on: bool,
    ) -> Result<()> {
        self.conversations().set_archived(user, conversation, on).await?;
        self.changed_for(user, conversation);
        Ok(())
    }

    pub async fn set_muted(
        &self,
        user: &UserId,
        conversation: &ConversationId,
        on: bool,
    ) -> Result<()> {
        self.conversations().set_muted(user, conversation, on).await?;
        self.changed_for(user, conversation);
        Ok(())
    }

    pub async fn delete_conversation_for_me(
        &self,
        user: &UserId,
        conversation: &ConversationId,
    ) -> Result<()> {
        self.conversations().delete_for_me(user, conversation).await?;
        self.changed_for(user, conversation);
        Ok(())
    }

    pub async fn add_participant(
        &self,
        actor: &UserId,
        conversation: &ConversationId,
        target: &UserId,
    ) -> Result<()> {
        let changed = self.conversations().add_participant(actor, conversation, target).await?;
        self.announce_people(
            &changed,
            ServerFrame::ParticipantAdded {
                conversation: conversation.clone(),
                user: target.clone(),
            },
            &[],
        );
        Ok(())
    }

    pub async fn leave_conversation(
        &self,
        user: &UserId,
        conversation: &ConversationId,
    ) -> Result<()> {
        let changed = self.conversations().leave(user, conversation).await?;
        self.announce_people(
            &changed,
            ServerFrame::ParticipantLeft { conversation: conversation.clone(), user: user.clone() },
            std::slice::from_ref(user),
        );
        Ok(())
    }

    /// Tells everyone in a conversation (and `also`, who just left it) that the people
    /// in it changed: the notice as a message, then `frame`, and their unread counts.
    fn announce_people(&self, changed: &PeopleChanged, frame: ServerFrame, also: &[UserId]) {
        let Some(notice) = &changed.notice else { return };
        let mut everyone = changed.participants.clone();
        everyone.extend_from_slice(also);
        self.events.publish(
            &changed.participants,
            Event::Frame(ServerFrame::Message { message: notice.clone() }),
        );
        self.events.publish(&everyone, Event::Frame(frame));
        self.events.publish(&everyone, Event::UnreadChanged);
    }

    /// Blocks or unblocks a person; the pages of the conversations the two share change.
    pub async fn set_blocked(&self, blocker: &UserId, blocked: &UserId, on: bool) -> Result<()> {
        let shared = if on {
            self.conversations().block(blocker, blocked).await?
        } else {
            self.conversations().unblock(blocker, blocked).await?
        };
        for Affected { conversation, .. } in shared {
            for user in [blocker, blocked] {
                self.events.publish(
                    std::slice::from_ref(user),
                    Event::Frame(ServerFrame::Changed { conversation: conversation.clone() }),
                );
            }
        }
        Ok(())
    }

    /// Changes a listing's status (seller or admin). A listing that is no longer on
    /// offer closes its conversations; one on offer again reopens them. Open pages
    /// hear of it at once.
    pub async fn set_listing_status(
        &self,
        actor: &CurrentUser,
        id: &str,
        next: ListingStatus,
    ) -> Result<Listing> {
        self.change_listing_status(actor, id, next, None).await
    }

    /// Marks a listing sold to `buyer`, one of the people who wrote about it (`None`:
    /// someone else). The buyer's conversation stays open (there is a deal to finish);
    /// the others close, as for any sold listing.
    pub async fn mark_sold(
        &self,
        actor: &CurrentUser,
        id: &str,
        buyer: Option<&UserId>,
    ) -> Result<Listing> {
        if let Some(buyer) = buyer {
            let buyers = self.conversations().buyers(id).await?;
            if !buyers.iter().any(|p| &p.id == buyer) {
                return Err(Error::invalid(marktchat_shared::Field::Buyer)(
                    marktchat_shared::Invalid::NotABuyer,
                ));
            }
        }
        self.change_listing_status(actor, id, ListingStatus::Sold, buyer).await
    }

    async fn change_listing_status(
        &self,
        actor: &CurrentUser,
        id: &str,
        next: ListingStatus,
        buyer: Option<&UserId>,
    ) -> Result<Listing> {
        let listing = self.listings().set_status_sold_to(actor, id, next, buyer).await?;
        // Every conversation about it shows the listing's state, live.
        for a in self.conversations().about_listing(id).await? {
            self.events.publish(
                &a.participants,
                Event::Frame(ServerFrame::ListingChanged {
                    conversation: a.conversation,
                    status: next,
                }),
            );
        }
        match ClosedReason::for_listing(next) {
            Some(reason) => {
                for a in self.conversations().close_for_listing(id, reason, buyer).await? {
                    self.publish_closed(a, reason);
                }
            }
            None => {
                for a in self.conversations().reopen_for_listing(id).await? {
                    self.events.publish(
                        &a.participants,
                        Event::Frame(ServerFrame::Reopened { conversation: a.conversation }),
                    );
                }
            }
        }
        Ok(listing)
    }

    fn publish_closed(&self, a: Affected, reason: ClosedReason) {
        self.events.publish(
            &a.participants,
            Event::Frame(ServerFrame::Closed { conversation: a.conversation, reason }),
        );
        self.events.publish(&a.participants, Event::UnreadChanged);
    }

    /// Deletes an account for good after checking its password. Its messages stay for
    /// the others, from "a deleted user"; the conversations about its listings close.
    pub async fn delete_account(&self, id: &UserId, password: &str) -> Result<()> {
        let accounts = self.accounts();
        accounts.check_password(id, password).await?;
        let (closed, left) = self.conversations().account_deleted(id).await?;
        for a in closed {
            self.publish_closed(a, ClosedReason::ListingDeleted);
        }
        for (conversation, changed) in left {
            self.announce_people(
                &changed,
                ServerFrame::ParticipantLeft { conversation, user: id.clone() },
                &[],
            );
        }
        accounts.delete_checked(id).await?;
        // Its sessions went with it: its open sockets close.
        self.events.publish(std::slice::from_ref(id), Event::SessionsEnded);
        Ok(())
    }
}
