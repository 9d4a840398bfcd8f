use super::*;
use crate::accounts::NewAccount;
use crate::db::Backend;
use crate::events::Event;
use crate::listings::ListingDraft;
use crate::Services;
use marktchat_shared::chat::{MessageKind, ServerFrame};
use marktchat_shared::conversation::{ConversationView, InboxFilter, InboxTab};
use marktchat_shared::{CurrentUser, Language, Role};
use marktchat_test_macros::db_test;

struct World {
    services: Services,
    _db: crate::testing::TestDatabase,
}

async fn world(backend: Backend) -> World {
    let (db, guard) = crate::db::test_db(backend).await;
    World { services: Services::new(db, crate::Settings::default()), _db: guard }
}

impl World {
    fn conversations(&self) -> Conversations<'_> {
        self.services.conversations()
    }

    async fn user(&self, name: &str) -> CurrentUser {
        let local: String =
            name.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
        let email = format!("{local}@example.de");
        let new = NewAccount::parse(&email, name, "a long enough secret", Language::De).unwrap();
        let p = self.services.accounts().register(new, None).await.unwrap();
        CurrentUser {
            id: p.id,
            display_name: p.display_name,
            role: Role::User,
            language: p.language,
            time_zone: None,
        }
    }

    async fn listing(&self, seller: &CurrentUser, title: &str) -> String {
        let draft =
            ListingDraft::parse(title, "", "fixed", "10", "vehicles/bicycles", "10115", "Berlin")
                .unwrap();
        self.services.listings().create(seller, draft, Vec::new()).await.unwrap().id
    }

    async fn send(&self, from: &CurrentUser, id: &ConversationId, cid: &str, text: &str) -> Sent {
        // Times are milliseconds: two sends in one would tie, and the inbox's order of
        // tied conversations is by their random ids. Tests name an order, so time moves.
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        self.services
            .send_message(&from.id, id, &client_id(cid), &MessageText::parse(text).unwrap())
            .await
            .unwrap()
    }
}

fn client_id(s: &str) -> ClientMessageId {
    ClientMessageId::parse(s).unwrap()
}

/// The messages' texts; a notice as `[joined]` or `[left]`.
fn texts(view: &ConversationView) -> Vec<&str> {
    view.messages
        .iter()
        .map(|m| match m.kind {
            MessageKind::Text => m.text.as_str(),
            MessageKind::Joined { .. } => "[joined]",
            MessageKind::Left => "[left]",
        })
        .collect()
}

#[db_test]
async fn contacting_about_a_listing_twice_opens_the_same_conversation(backend: Backend) {
    let w = world(backend).await;
    let (seller, buyer) = (w.user("Sara").await, w.user("Bert").await);
    let listing = w.listing(&seller, "Rotes Fahrrad").await;
    let about = About::Listing(listing.clone());
    let c = w.conversations();
    assert_eq!(c.existing(&buyer.id, &about).await.unwrap(), None);
    let first = c.find_or_start(&buyer.id, &about).await.unwrap();
    let again = c.find_or_start(&buyer.id, &about).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(c.existing(&buyer.id, &about).await.unwrap(), Some(first.clone()));
    let mut people = c.participants(&first).await.unwrap();
    people.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected = vec![buyer.id.clone(), seller.id.clone()];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(people, expected);

    // The database itself refuses a second conversation for the same three.
    let duplicate = sqlx::query(
        "INSERT INTO conversations (id, listing_id, buyer_id, seller_id, last_activity, created_at)
         VALUES ('x', $1, $2, $3, 0, 0)",
    )
    .bind(&listing)
    .bind(&buyer.id.0)
    .bind(&seller.id.0)
    .execute(w.services.db.pool())
    .await
    .unwrap_err();
    assert_eq!(Unique::violated_by(&duplicate), Some(Unique::ListingConversation));

    // Not about one's own listing, not about one that is not on offer.
    assert!(matches!(c.find_or_start(&seller.id, &about).await, Err(Error::CannotMessage)));
    assert!(matches!(
        c.find_or_start(&buyer.id, &About::Listing("nope".into())).await,
        Err(Error::NotFound)
    ));
    let hidden = w.listing(&seller, "Altes Sofa").await;
    w.services.set_listing_status(&seller, &hidden, ListingStatus::Inactive).await.unwrap();
    assert!(matches!(
        c.find_or_start(&buyer.id, &About::Listing(hidden)).await,
        Err(Error::NotFound)
    ));
    // Direct conversations: one per pair, whoever starts it.
    let d1 = c.find_or_start(&buyer.id, &About::Person(seller.id.clone())).await.unwrap();
    let d2 = c.find_or_start(&seller.id, &About::Person(buyer.id.clone())).await.unwrap();
    assert_eq!(d1, d2);
    assert_ne!(d1, first);
    assert!(matches!(
        c.find_or_start(&buyer.id, &About::Person(buyer.id.clone())).await,
        Err(Error::CannotMessage)
    ));
}

#[db_test]
async fn messages_are_numbered_and_a_resend_is_stored_once(backend: Backend) {
    let w = world(backend).await;
    let (seller, buyer) = (w.user("Sara").await, w.user("Bert").await);
    let listing = w.listing(&seller, "Rotes Fahrrad").await;
    let hello = MessageText::parse("  Hallo, ist das noch da?  ").unwrap();
    let sent = w
        .services
        .start_conversation(&buyer.id, &About::Listing(listing), &client_id("m-1"), &hello)
        .await
        .unwrap();
    let id = sent.message.conversation.clone();
    assert_eq!(sent.message.seq, Seq(1));
    assert!(sent.stored_now);
    assert_eq!(sent.message.text.as_str(), "Hallo, ist das noch da?");
    let reply = w.send(&seller, &id, "s-1", "Ja!").await;
    assert_eq!(reply.message.seq, Seq(2));
    // The same client id again: the stored message, nothing new.
    let again = w.send(&buyer, &id, "m-1", "something else").await;
    assert!(!again.stored_now);
    assert_eq!(again.message, sent.message);
    // Another sender may use the same client id.
    let other = w.send(&seller, &id, "m-1", "Abholung in Berlin").await;
    assert_eq!(other.message.seq, Seq(3));
    let view = w.conversations().view(&buyer.id, &id, None).await.unwrap();
    assert_eq!(texts(&view), ["Hallo, ist das noch da?", "Ja!", "Abholung in Berlin"]);
    assert!(view.can_send);
    // The id of one conversation's message cannot be reused in another.
    let direct = w
        .conversations()
        .find_or_start(&buyer.id, &About::Person(seller.id.clone()))
        .await
        .unwrap();
    let reuse = w
        .services
        .send_message(&buyer.id, &direct, &client_id("m-1"), &MessageText::parse("x").unwrap())
        .await;
    assert_eq!(
        reuse.unwrap_err().problem_for(marktchat_shared::Field::Message),
        Some(marktchat_shared::Invalid::Duplicate)
    );
    // Resume: exactly what came after.
    let after = w.conversations().messages_after(&seller.id, &id, Seq(1), 100).await.unwrap();
    assert_eq!(after.iter().map(|m| m.seq.0).collect::<Vec<_>>(), [2, 3]);
}

#[db_test]
async fn only_participants_see_or_write_a_conversation(backend: Backend) {
    let w = world(backend).await;
    let (seller, buyer, eve) = (w.user("Sara").await, w.user("Bert").await, w.user("Eve").await);
    let listing = w.listing(&seller, "Rotes Fahrrad").await;
    let id = w.conversations().find_or_start(&buyer.id, &About::Listing(listing)).await.unwrap();
    w.send(&buyer, &id, "m1", "Hallo").await;
    let c = w.conversations();
    assert!(matches!(c.view(&eve.id, &id, None).await, Err(Error::NotFound)));
    assert!(matches!(c.messages_after(&eve.id, &id, Seq(0), 10).await, Err(Error::NotFound)));
    assert!(matches!(
        c.send(&eve.id, &id, &client_id("e1"), &MessageText::parse("hi").unwrap()).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(c.mark_read(&eve.id, &id, Seq(1)).await, Err(Error::NotFound)));
    assert!(matches!(c.set_archived(&eve.id, &id, true).await, Err(Error::NotFound)));
    assert!(matches!(c.delete_for_me(&eve.id, &id).await, Err(Error::NotFound)));
    assert!(matches!(c.add_participant(&eve.id, &id, &eve.id).await, Err(Error::NotFound)));
    assert!(matches!(c.leave(&eve.id, &id).await, Err(Error::NotFound)));
    let unknown = ConversationId("no-such-conversation".into());
    assert!(matches!(c.view(&buyer.id, &unknown, None).await, Err(Error::NotFound)));
}

#[db_test]
async fn history_pages_go_back_in_time(backend: Backend) {
    let w = world(backend).await;
    let (a, b) = (w.user("Anna").await, w.user("Bert").await);
    let id = w.conversations().find_or_start(&a.id, &About::Person(b.id.clone())).await.unwrap();
    for i in 1..=(HISTORY_PAGE + 5) {
        w.conversations()
            .send(
                &a.id,
                &id,
                &client_id(&format!("m{i}")),
                &MessageText::parse(&format!("{i}")).unwrap(),
            )
            .await
            .unwrap();
    }
    let newest = w.conversations().view(&b.id, &id, None).await.unwrap();
    assert_eq!(newest.messages.len(), HISTORY_PAGE);
    assert!(newest.more_before);
    assert_eq!(newest.messages.first().unwrap().seq, Seq(6));
    assert_eq!(newest.last_seq(), Seq(HISTORY_PAGE as u64 + 5));
    let older = w.conversations().view(&b.id, &id, Some(Seq(6))).await.unwrap();
    assert_eq!(texts(&older), ["1", "2", "3", "4", "5"]);
    assert!(!older.more_before);
}

#[db_test]
async fn the_inbox_shows_unread_counts_archive_mute_and_delete_for_me(backend: Backend) {
    let w = world(backend).await;
    let (seller, b1, b2) = (w.user("Sara").await, w.user("Bert").await, w.user("Carl").await);
    let bike = w.listing(&seller, "Rotes Fahrrad").await;
    let sofa = w.listing(&seller, "Altes Sofa").await;
    let c1 = w.conversations().find_or_start(&b1.id, &About::Listing(bike.clone())).await.unwrap();
    let c2 = w.conversations().find_or_start(&b2.id, &About::Listing(bike.clone())).await.unwrap();
    let c3 = w.conversations().find_or_start(&b1.id, &About::Listing(sofa.clone())).await.unwrap();
    w.send(&b1, &c1, "a", "Fahrrad?").await;
    w.send(&b1, &c3, "b", "Sofa?").await;
    w.send(&b2, &c2, "c", "Fahrrad noch da?").await;
    w.send(&b2, &c2, "d", "Hallo?").await;
    let c = w.conversations();
    let inbox = c.inbox(&seller.id, InboxTab::Active).await.unwrap();
    let rows: Vec<(&str, &str, u64)> = inbox
        .iter()
        .map(|e| {
            (
                e.listing.as_ref().unwrap().title.as_str(),
                e.others[0].name.as_deref().unwrap(),
                e.unread,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [("Rotes Fahrrad", "Carl", 2), ("Altes Sofa", "Bert", 1), ("Rotes Fahrrad", "Bert", 1)]
    );
    assert_eq!(inbox[0].last_message.as_ref().unwrap().text, "Hallo?");
    assert!(!inbox[0].last_message.as_ref().unwrap().from_me);
    assert_eq!(c.unread_total(&seller.id).await.unwrap(), 4);
    // The sender has nothing unread of their own.
    assert_eq!(c.unread_total(&b2.id).await.unwrap(), 0);

    // Reading moves the mark forward only, and never past the newest message.
    assert_eq!(c.mark_read(&seller.id, &c2, Seq(1)).await.unwrap(), Some(Seq(1)));
    assert_eq!(c.mark_read(&seller.id, &c2, Seq(1)).await.unwrap(), None);
    assert_eq!(c.mark_read(&seller.id, &c2, Seq(99)).await.unwrap(), Some(Seq(2)));
    assert_eq!(c.unread_total(&seller.id).await.unwrap(), 2);
    // Muted conversations do not count in the badge.
    c.set_muted(&seller.id, &c1, true).await.unwrap();
    assert_eq!(c.unread_total(&seller.id).await.unwrap(), 1);

    // Archive is per person; a new message brings the conversation back.
    c.set_archived(&seller.id, &c3, true).await.unwrap();
    let active = c.inbox(&seller.id, InboxTab::Active).await.unwrap();
    assert!(active.iter().all(|e| e.conversation != c3));
    let archived = c.inbox(&seller.id, InboxTab::Archived).await.unwrap();
    assert_eq!(archived.iter().map(|e| &e.conversation).collect::<Vec<_>>(), [&c3]);
    assert_eq!(
        c.inbox(&b1.id, InboxTab::Active).await.unwrap().len(),
        2,
        "the other side keeps it"
    );
    w.send(&b1, &c3, "e", "Noch Interesse?").await;
    assert!(c
        .inbox(&seller.id, InboxTab::Active)
        .await
        .unwrap()
        .iter()
        .any(|e| e.conversation == c3));

    // Delete for me: gone from the inbox and history; the other side keeps theirs.
    c.delete_for_me(&seller.id, &c3).await.unwrap();
    assert!(c
        .inbox(&seller.id, InboxTab::Active)
        .await
        .unwrap()
        .iter()
        .all(|e| e.conversation != c3));
    assert_eq!(texts(&c.view(&b1.id, &c3, None).await.unwrap()).len(), 2);
    w.send(&b1, &c3, "f", "Hallo?").await;
    assert_eq!(texts(&c.view(&seller.id, &c3, None).await.unwrap()), ["Hallo?"]);
    let back = c.inbox(&seller.id, InboxTab::Active).await.unwrap();
    let row = back.iter().find(|e| e.conversation == c3).unwrap();
    assert_eq!(row.unread, 1);
}

#[db_test]
async fn a_listing_that_goes_closes_its_conversations_and_coming_back_reopens_them(
    backend: Backend,
) {
    let w = world(backend).await;
    let (seller, buyer) = (w.user("Sara").await, w.user("Bert").await);
    let listing = w.listing(&seller, "Rotes Fahrrad").await;
    let id =
        w.conversations().find_or_start(&buyer.id, &About::Listing(listing.clone())).await.unwrap();
    w.send(&buyer, &id, "a", "Hallo").await;
    let mut events = w.services.events.subscribe(&buyer.id);
    w.services.set_listing_status(&seller, &listing, ListingStatus::Inactive).await.unwrap();
    // The page's header hears of the new state, then the conversation closes.
    let frame = events.recv().await.unwrap().unwrap();
    assert_eq!(
        frame.event,
        Event::Frame(ServerFrame::ListingChanged {
            conversation: id.clone(),
            status: ListingStatus::Inactive
        })
    );
    let frame = events.recv().await.unwrap().unwrap();
    assert_eq!(
        frame.event,
        Event::Frame(ServerFrame::Closed {
            conversation: id.clone(),
            reason: ClosedReason::ListingDeactivated
        })
    );
    let view = w.conversations().view(&buyer.id, &id, None).await.unwrap();
    assert_eq!(view.closed, Some(ClosedReason::ListingDeactivated));
    assert!(view.archived && !view.can_send);
    for user in [&buyer, &seller] {
        let result = w
            .services
            .send_message(&user.id, &id, &client_id("late"), &MessageText::parse("x").unwrap())
            .await;
        assert!(matches!(result, Err(Error::ReadOnly)), "{result:?}");
        assert_eq!(w.conversations().inbox(&user.id, InboxTab::Archived).await.unwrap().len(), 1);
    }
    w.services.set_listing_status(&seller, &listing, ListingStatus::Active).await.unwrap();
    assert!(w.conversations().view(&buyer.id, &id, None).await.unwrap().can_send);
    w.services.set_listing_status(&seller, &listing, ListingStatus::Sold).await.unwrap();
    let view = w.conversations().view(&seller.id, &id, None).await.unwrap();
    assert_eq!(view.closed, Some(ClosedReason::ListingSold));
}

/// "Sold" names the buyer among the people who wrote: their conversation stays open
/// (the deal is still to finish) and shows the listing sold; the others close.
#[db_test]
async fn a_listing_sold_to_one_buyer_keeps_their_conversation_open(backend: Backend) {
    let w = world(backend).await;
    let seller = w.user("Sara").await;
    let (bert, carl, dora) = (w.user("Bert").await, w.user("Carl").await, w.user("Dora").await);
    let listing = w.listing(&seller, "Rotes Fahrrad").await;
    let about = About::Listing(listing.clone());
    let with_bert = w.conversations().find_or_start(&bert.id, &about).await.unwrap();
    let with_carl = w.conversations().find_or_start(&carl.id, &about).await.unwrap();
    w.send(&bert, &with_bert, "b", "Nehme ich!").await;
    w.send(&carl, &with_carl, "c", "Noch da?").await;
    let buyers = w.conversations().buyers(&listing).await.unwrap();
    let names: Vec<_> = buyers.iter().map(|p| p.name.as_deref().unwrap_or_default()).collect();
    assert_eq!(names, ["Bert", "Carl"]);

    // Only someone who wrote can be the buyer; nothing changes otherwise.
    let refused = w.services.mark_sold(&seller, &listing, Some(&dora.id)).await;
    assert!(
        matches!(&refused, Err(Error::Invalid(p)) if p.iter().any(|f| f.field == marktchat_shared::Field::Buyer && f.problem == marktchat_shared::Invalid::NotABuyer)),
        "{refused:?}"
    );
    assert!(w.conversations().view(&bert.id, &with_bert, None).await.unwrap().can_send);

    let mut bert_hears = w.services.events.subscribe(&bert.id);
    let sold = w.services.mark_sold(&seller, &listing, Some(&bert.id)).await.unwrap();
    assert_eq!(sold.status, ListingStatus::Sold);
    let frame = bert_hears.recv().await.unwrap().unwrap();
    assert_eq!(
        frame.event,
        Event::Frame(ServerFrame::ListingChanged {
            conversation: with_bert.clone(),
            status: ListingStatus::Sold
        })
    );
    let bought = w.conversations().view(&bert.id, &with_bert, None).await.unwrap();
    assert_eq!((bought.closed, bought.can_send, bought.archived), (None, true, false));
    assert_eq!(bought.listing.unwrap().status, Some(ListingStatus::Sold), "the header says sold");
    w.send(&seller, &with_bert, "s", "Abholung morgen?").await;
    let other = w.conversations().view(&carl.id, &with_carl, None).await.unwrap();
    assert_eq!(other.closed, Some(ClosedReason::ListingSold));
    assert!(!other.can_send && other.archived);

    // Back on offer: everything open again; sold to "someone else": all close.
    w.services.set_listing_status(&seller, &listing, ListingStatus::Active).await.unwrap();
    assert!(w.conversations().view(&carl.id, &with_carl, None).await.unwrap().can_send);
    w.services.mark_sold(&seller, &listing, None).await.unwrap();
    for (who, id) in [(&bert, &with_bert), (&carl, &with_carl)] {
        let view = w.conversations().view(&who.id, id, None).await.unwrap();
        assert_eq!(view.closed, Some(ClosedReason::ListingSold));
    }
    // Only the seller (or an admin) marks it sold.
    let refused = w.services.mark_sold(&bert, &listing, Some(&bert.id)).await;
    assert!(refused.is_err());
}

#[db_test]
async fn a_blocked_person_can_neither_write_nor_start(backend: Backend) {
    let w = world(backend).await;
    let (a, b) = (w.user("Anna").await, w.user("Bert").await);
    let id = w.conversations().find_or_start(&b.id, &About::Person(a.id.clone())).await.unwrap();
    w.send(&b, &id, "1", "Hallo").await;
    w.services.set_blocked(&a.id, &b.id, true).await.unwrap();
    let c = w.conversations();
    assert!(c.has_blocked(&a.id, &b.id).await.unwrap());
    let refused = c.send(&b.id, &id, &client_id("2"), &MessageText::parse("Hallo?").unwrap()).await;
    assert!(matches!(refused, Err(Error::CannotMessage)));
    assert!(!c.view(&b.id, &id, None).await.unwrap().can_send);
    assert!(!c.may_start_conversation(&b.id, &a.id).await.unwrap());
    let listing = w.listing(&a, "Rotes Fahrrad").await;
    assert!(matches!(
        c.find_or_start(&b.id, &About::Listing(listing)).await,
        Err(Error::CannotMessage)
    ));
    assert_eq!(c.blocked_by(&a.id).await.unwrap()[0].name.as_deref(), Some("Bert"));
    w.services.set_blocked(&a.id, &b.id, false).await.unwrap();
    assert!(c.blocked_by(&a.id).await.unwrap().is_empty());
    w.send(&b, &id, "2", "Hallo?").await;
}

#[db_test]
async fn a_deleted_accounts_messages_stay_from_a_deleted_user(backend: Backend) {
    let w = world(backend).await;
    let (seller, buyer) = (w.user("Sara").await, w.user("Bert").await);
    let listing = w.listing(&seller, "Rotes Fahrrad").await;
    let id =
        w.conversations().find_or_start(&buyer.id, &About::Listing(listing.clone())).await.unwrap();
    w.send(&buyer, &id, "1", "Hallo").await;
    w.send(&seller, &id, "2", "Ja, noch da").await;
    w.services.delete_account(&seller.id, "a long enough secret").await.unwrap();
    let view = w.conversations().view(&buyer.id, &id, None).await.unwrap();
    // Their leaving shows as a notice, from "a deleted user" like their messages.
    assert_eq!(texts(&view), ["Hallo", "Ja, noch da", "[left]"]);
    assert_eq!(view.messages[0].sender, Some(buyer.id.clone()));
    assert_eq!(view.messages[1].sender, None, "from a deleted user");
    assert_eq!(view.messages[2].sender, None, "from a deleted user");
    let seller_row = view.participants.iter().find(|p| p.person.id == seller.id).unwrap();
    assert_eq!(seller_row.person.name, None);
    assert!(seller_row.left);
    assert_eq!(view.closed, Some(ClosedReason::ListingDeleted));
    assert!(!view.can_send);
    // The listing's title stays in the inbox.
    let archived = w.conversations().inbox(&buyer.id, InboxTab::Archived).await.unwrap();
    assert_eq!(archived[0].listing.as_ref().unwrap().title, "Rotes Fahrrad");
    assert_eq!(archived[0].listing.as_ref().unwrap().status, None);
    assert_eq!(archived[0].others[0].name, None);
}

#[db_test]
async fn groups_add_people_and_people_leave(backend: Backend) {
    let w = world(backend).await;
    let (a, b, c3) = (w.user("Anna").await, w.user("Bert").await, w.user("Carl").await);
    let id = w.conversations().find_or_start(&a.id, &About::Person(b.id.clone())).await.unwrap();
    w.send(&a, &id, "1", "Hallo").await;
    let mut carl = w.services.events.subscribe(&c3.id);
    let mut bert = w.services.events.subscribe(&b.id);
    w.services.add_participant(&a.id, &id, &c3.id).await.unwrap();
    // Everyone in it, the newcomer too, sees the notice live: who added whom.
    for tab in [&mut carl, &mut bert] {
        let received = tab.recv().await.unwrap().unwrap();
        let Event::Frame(ServerFrame::Message { message }) = &received.event else {
            panic!("the notice comes first");
        };
        assert_eq!(message.kind, MessageKind::Joined { person: c3.id.clone() });
        assert_eq!(message.sender.as_ref(), Some(&a.id));
        assert!(matches!(
            tab.recv().await.unwrap().unwrap().event,
            Event::Frame(ServerFrame::ParticipantAdded { .. })
        ));
    }
    // Adding someone already in it changes nothing and tells nobody.
    w.services.add_participant(&b.id, &id, &c3.id).await.unwrap();
    let sent = w.send(&c3, &id, "c1", "Hallo zusammen").await;
    assert_eq!(sent.participants.len(), 3);
    // The pair's direct conversation is a new one now.
    let direct =
        w.conversations().find_or_start(&a.id, &About::Person(b.id.clone())).await.unwrap();
    assert_ne!(direct, id);
    w.services.leave_conversation(&b.id, &id).await.unwrap();
    assert!(matches!(w.conversations().view(&b.id, &id, None).await, Err(Error::NotFound)));
    let view = w.conversations().view(&a.id, &id, None).await.unwrap();
    assert!(view.participants.iter().any(|p| p.person.id == b.id && p.left));
    assert!(view.can_send);
    assert_eq!(texts(&view), ["Hallo", "[joined]", "Hallo zusammen", "[left]"]);
    let left = view.messages.last().unwrap();
    assert_eq!(left.sender.as_ref(), Some(&b.id));
    // The same history for the newcomer, from their joining on; and Bert, back again,
    // reads on from his return, not what was said while he was away.
    let carl_sees = w.conversations().view(&c3.id, &id, None).await.unwrap();
    assert_eq!(texts(&carl_sees), ["[joined]", "Hallo zusammen", "[left]"]);
    w.send(&a, &id, "2", "Nur unter uns zweien").await;
    w.services.add_participant(&a.id, &id, &b.id).await.unwrap();
    let bert_sees = w.conversations().view(&b.id, &id, None).await.unwrap();
    assert_eq!(texts(&bert_sees), ["[joined]"]);
}

#[db_test]
async fn sending_tells_every_tab_of_every_participant(backend: Backend) {
    let w = world(backend).await;
    let (a, b) = (w.user("Anna").await, w.user("Bert").await);
    let id = w.conversations().find_or_start(&a.id, &About::Person(b.id.clone())).await.unwrap();
    let mut b_tab = w.services.events.subscribe(&b.id);
    let mut a_other_tab = w.services.events.subscribe(&a.id);
    let sent = w.send(&a, &id, "1", "Hallo").await;
    for tab in [&mut b_tab, &mut a_other_tab] {
        let event = tab.recv().await.unwrap().unwrap();
        assert_eq!(
            event.event,
            Event::Frame(ServerFrame::Message { message: sent.message.clone() })
        );
        assert_eq!(tab.recv().await.unwrap().unwrap().event, Event::UnreadChanged);
    }
    w.services.mark_read(&b.id, &id, Seq(1)).await.unwrap();
    let event = a_other_tab.recv().await.unwrap().unwrap();
    assert_eq!(
        event.event,
        Event::Frame(ServerFrame::Read {
            conversation: id.clone(),
            user: b.id.clone(),
            up_to: Seq(1)
        })
    );
}

#[db_test]
async fn sending_is_limited_per_person(backend: Backend) {
    let (db, _guard) = crate::db::test_db(backend).await;
    let limits = crate::rate_limit::LimitSettings { messages_per_minute: 3, ..Default::default() };
    let w = World {
        services: Services::new(db, crate::Settings { limits, ..Default::default() }),
        _db: _guard,
    };
    let (a, b) = (w.user("Anna").await, w.user("Bert").await);
    let id = w.conversations().find_or_start(&a.id, &About::Person(b.id.clone())).await.unwrap();
    for i in 0..3 {
        w.send(&a, &id, &format!("m{i}"), "Hallo").await;
    }
    // A resend of a stored message does not count and still answers.
    assert!(!w.send(&a, &id, "m0", "Hallo").await.stored_now);
    let refused = w
        .services
        .send_message(&a.id, &id, &client_id("m3"), &MessageText::parse("zu viel").unwrap())
        .await;
    assert!(matches!(refused, Err(Error::RateLimited { .. })), "{refused:?}");
    assert_eq!(w.conversations().view(&b.id, &id, None).await.unwrap().messages.len(), 3);
    // The other person is not affected.
    w.send(&b, &id, "b0", "Hallo zurück").await;
}

#[db_test]
async fn a_listing_conversation_stays_between_buyer_and_seller(backend: Backend) {
    let w = world(backend).await;
    let (seller, buyer, carl) = (w.user("Sara").await, w.user("Bert").await, w.user("Carl").await);
    let listing = w.listing(&seller, "Rotes Fahrrad").await;
    let id = w.conversations().find_or_start(&buyer.id, &About::Listing(listing)).await.unwrap();
    w.send(&buyer, &id, "m1", "Abholung bei mir: Hauptstraße 1").await;
    for actor in [&seller, &buyer] {
        let refused = w.services.add_participant(&actor.id, &id, &carl.id).await.unwrap_err();
        assert_eq!(
            refused.problem_for(marktchat_shared::Field::Participant),
            Some(marktchat_shared::Invalid::ListingConversation)
        );
    }
    assert!(matches!(w.conversations().view(&carl.id, &id, None).await, Err(Error::NotFound)));
    assert_eq!(w.conversations().participants(&id).await.unwrap().len(), 2);
}

#[db_test]
async fn a_newcomer_reads_from_the_moment_they_joined(backend: Backend) {
    let w = world(backend).await;
    let (a, b, c3) = (w.user("Anna").await, w.user("Bert").await, w.user("Carl").await);
    let id = w.conversations().find_or_start(&a.id, &About::Person(b.id.clone())).await.unwrap();
    w.send(&a, &id, "1", "Nur für Bert: meine Nummer").await;
    w.services.add_participant(&a.id, &id, &c3.id).await.unwrap();
    // Nothing from before: the notice that they were added is the first thing they
    // see (and it is news to them: one unread).
    let seen = w.conversations().view(&c3.id, &id, None).await.unwrap();
    assert_eq!(texts(&seen), ["[joined]"]);
    assert_eq!(w.conversations().unread_total(&c3.id).await.unwrap(), 1);
    let resumed = w.conversations().messages_after(&c3.id, &id, Seq(0), 10).await.unwrap();
    assert_eq!(resumed.len(), 1);
    assert_eq!(resumed[0].kind, MessageKind::Joined { person: c3.id.clone() });
    // The one who added them has seen their own notice; the other has not.
    assert_eq!(w.conversations().unread_total(&a.id).await.unwrap(), 0);
    assert_eq!(w.conversations().unread_total(&b.id).await.unwrap(), 2);
    w.send(&a, &id, "2", "Hallo Carl").await;
    let seen = w.conversations().view(&c3.id, &id, None).await.unwrap();
    assert_eq!(texts(&seen), ["[joined]", "Hallo Carl"]);
    assert_eq!(w.conversations().unread_total(&c3.id).await.unwrap(), 2);
    // The others still have everything.
    let anna = w.conversations().view(&a.id, &id, None).await.unwrap();
    assert_eq!(texts(&anna), ["Nur für Bert: meine Nummer", "[joined]", "Hallo Carl"]);
}

#[db_test]
async fn a_block_stops_messages_both_ways(backend: Backend) {
    let w = world(backend).await;
    let (a, b) = (w.user("Anna").await, w.user("Bert").await);
    let id = w.conversations().find_or_start(&a.id, &About::Person(b.id.clone())).await.unwrap();
    w.send(&b, &id, "b1", "Hallo").await;
    w.services.set_blocked(&a.id, &b.id, true).await.unwrap();
    let text = MessageText::parse("Noch da?").unwrap();
    for (who, cid) in [(&a, "a1"), (&b, "b2")] {
        let sent = w.conversations().send(&who.id, &id, &client_id(cid), &text).await;
        assert!(matches!(sent, Err(Error::CannotMessage)), "{}: {sent:?}", who.display_name);
        let view = w.conversations().view(&who.id, &id, None).await.unwrap();
        assert!(!view.can_send, "{} may not write", who.display_name);
        let typing = w.conversations().typing_recipients(&who.id, &id).await.unwrap();
        assert!(typing.is_empty(), "{}'s typing reaches nobody", who.display_name);
    }
    // A resend of what was stored before the block is still answered.
    assert!(w.conversations().send(&b.id, &id, &client_id("b1"), &text).await.is_ok());
    w.services.set_blocked(&a.id, &b.id, false).await.unwrap();
    w.send(&a, &id, "a1", "Doch, schreib mir.").await;
    w.send(&b, &id, "b2", "Danke!").await;
}

#[db_test]
async fn the_inbox_finds_titles_names_and_words_and_filters_unread(backend: Backend) {
    let w = world(backend).await;
    let (sara, bert, carl, eve) = (
        w.user("Sara").await,
        w.user("Bert").await,
        w.user("Carla Ölmann").await,
        w.user("Eve").await,
    );
    let bike = w.listing(&sara, "Rotes Fahrrad").await;
    let about_bike =
        w.conversations().find_or_start(&bert.id, &About::Listing(bike)).await.unwrap();
    w.send(&bert, &about_bike, "b1", "Sind die Äpfel im Korb dabei? 50% Rabatt?").await;
    let direct =
        w.conversations().find_or_start(&sara.id, &About::Person(carl.id.clone())).await.unwrap();
    w.send(&sara, &direct, "s1", "Hallo Carla").await;
    // Someone else's conversation with the same words is never found.
    let other =
        w.conversations().find_or_start(&eve.id, &About::Person(bert.id.clone())).await.unwrap();
    w.send(&eve, &other, "e1", "Fahrrad Äpfel Carla").await;

    let sara_id = &sara.id;
    let find = |words: &str, unread_only: bool| {
        let filter = InboxFilter { tab: InboxTab::Active, unread_only, words: words.into() };
        let c = w.conversations();
        async move {
            c.inbox_filtered(sara_id, &filter)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.conversation)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find("fahrRAD", false).await, vec![about_bike.clone()], "the listing's title");
    assert_eq!(find("ölmann", false).await, vec![direct.clone()], "a name, with an umlaut");
    assert_eq!(find("äpfel", false).await, vec![about_bike.clone()], "a message's words");
    assert_eq!(find("50%", false).await, vec![about_bike.clone()], "% is looked for as itself");
    assert!(find("5_%", false).await.is_empty(), "_ too");
    assert!(find("Eve", false).await.is_empty());
    assert_eq!(find("  ", false).await.len(), 2, "no words: everything");
    // Unread only: Sara has read her own message, not Bert's.
    assert_eq!(find("", true).await, vec![about_bike.clone()]);
    w.services.mark_read(&sara.id, &about_bike, Seq(1)).await.unwrap();
    assert!(find("", true).await.is_empty());
    // What was deleted for her is not searched.
    w.conversations().delete_for_me(&sara.id, &about_bike).await.unwrap();
    w.send(&bert, &about_bike, "b2", "Noch da?").await;
    assert!(find("äpfel", false).await.is_empty());
    assert_eq!(find("noch da", true).await, vec![about_bike]);
}
