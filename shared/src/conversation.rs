//! What the inbox and a conversation page show: the data both the server (rendering)
//! and the browser (live updates) work with, and the small rules over it: grouping
//! the inbox by listing, a message's delivery state, the links in a message's text.

use crate::chat::{ChatMessage, ClosedReason, ConversationId, Seq};
use crate::listing::{ImageRef, ListingStatus};
use crate::{Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// Someone in a conversation. `name` is `None` for a deleted account ("a deleted user").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: UserId,
    pub name: Option<String>,
}

/// The listing a conversation is about, as far as it still exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingRef {
    pub id: String,
    pub title: String,
    /// `None` once the listing is gone for good (deleted with its seller's account).
    pub status: Option<ListingStatus>,
    pub cover: Option<ImageRef>,
    /// Its price, while the listing exists.
    #[serde(default)]
    pub price: Option<crate::listing::Price>,
}

impl ListingRef {
    /// Whether the listing page can still be opened by everyone.
    pub fn is_public(&self) -> bool {
        self.status.is_some_and(|s| s.is_public())
    }
}

/// A participant as a conversation page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub person: Person,
    /// They have read everything up to here.
    pub last_read: Seq,
    /// They left (or their account was deleted).
    pub left: bool,
}

/// One row of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxEntry {
    pub conversation: ConversationId,
    pub listing: Option<ListingRef>,
    /// Everyone but the viewer who is still in it (or was, for a conversation where
    /// everyone else left).
    pub others: Vec<Person>,
    pub last_message: Option<LastMessage>,
    pub unread: u64,
    pub last_activity: Timestamp,
    pub closed: Option<ClosedReason>,
    pub muted: bool,
}

/// The newest message, as the inbox previews it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastMessage {
    pub from_me: bool,
    pub text: String,
    pub sent_at: Timestamp,
    /// It is a notice (someone joined or left), not something a person wrote.
    #[serde(default)]
    pub notice: bool,
}

/// Which inbox tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxTab {
    #[default]
    Active,
    Archived,
}

impl InboxTab {
    pub fn parse(s: &str) -> InboxTab {
        if s == "archived" {
            InboxTab::Archived
        } else {
            InboxTab::Active
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InboxTab::Active => "active",
            InboxTab::Archived => "archived",
        }
    }
}

/// What the inbox shows: a tab, only conversations with unread messages, and words to
/// look for in the listing's title, the others' names and the messages' text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InboxFilter {
    pub tab: InboxTab,
    pub unread_only: bool,
    /// As typed (at most [`MAX_INBOX_SEARCH_CHARS`] characters are used).
    pub words: String,
}

/// The longest inbox search that is looked for.
pub const MAX_INBOX_SEARCH_CHARS: usize = 100;

/// The SQL `LIKE` pattern (with `\` as its escape character) that finds `words` in a
/// lower-cased text, or `None` when there is nothing to look for. Both databases must
/// find the same: SQLite's `LOWER` folds only ASCII letters, so every other character
/// matches as `_` (any one character: "äpfel" finds "Äpfel", and "Apfel" too); `%`,
/// `_` and `\` typed are looked for as themselves.
pub fn inbox_search_pattern(words: &str) -> Option<String> {
    let words: String = words.trim().chars().take(MAX_INBOX_SEARCH_CHARS).collect();
    let words = words.trim();
    if words.is_empty() {
        return None;
    }
    let mut pattern = String::with_capacity(words.len() + 8);
    pattern.push('%');
    let folded: String = words
        .chars()
        .map(|c| if c.is_ascii() { c.to_ascii_lowercase() } else { '\u{FFFF}' })
        .collect();
    // Escaped first, so the `_` standing for a non-ASCII letter stays a wildcard.
    pattern.push_str(&crate::search::escape_like(&folded).replace('\u{FFFF}', "_"));
    pattern.push('%');
    Some(pattern)
}

/// A group of inbox rows: one listing's conversations, or the direct ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxGroup {
    /// `None`: the "Direct" group.
    pub listing: Option<ListingRef>,
    pub entries: Vec<InboxEntry>,
}

/// Groups inbox rows by listing, keeping the order they come in (newest activity
/// first): a group stands where its newest conversation would, and within a group the
/// rows keep their order. Conversations without a listing form one "Direct" group.
pub fn group_by_listing(entries: Vec<InboxEntry>) -> Vec<InboxGroup> {
    let mut groups: Vec<InboxGroup> = Vec::new();
    for entry in entries {
        let key = entry.listing.as_ref().map(|l| l.id.clone());
        match groups.iter_mut().find(|g| g.listing.as_ref().map(|l| &l.id) == key.as_ref()) {
            Some(group) => group.entries.push(entry),
            None => {
                groups.push(InboxGroup { listing: entry.listing.clone(), entries: vec![entry] })
            }
        }
    }
    groups
}

/// A conversation page: who is in it, its state and its newest messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationView {
    pub id: ConversationId,
    pub listing: Option<ListingRef>,
    pub participants: Vec<Participant>,
    /// Oldest first.
    pub messages: Vec<ChatMessage>,
    /// Older messages exist before the first one shown.
    pub more_before: bool,
    pub closed: Option<ClosedReason>,
    pub archived: bool,
    pub muted: bool,
    /// Whether the viewer may write here now; `false` with `closed: None` means
    /// someone in it blocked the viewer (shown neutrally).
    pub can_send: bool,
    /// The viewer sells the listing it is about.
    #[serde(default)]
    pub selling: bool,
}

/// A ready-made message a person can send with one tap (in their language: the app's
/// text table has the words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuickReply {
    /// The buyer's first question: "Ist der Artikel noch da?"
    StillThere,
    /// The seller's answers.
    YesStillThere,
    SorryGone,
}

/// The quick replies a conversation offers its viewer now, given its `messages` so far
/// (oldest first; `from_start`: nothing older exists): the buyer who has not written
/// yet may ask whether the thing is still there; the seller, while the last word is
/// the buyer's, may answer yes or no. Nothing in a direct conversation, nor where the
/// viewer cannot write.
pub fn quick_replies(
    view: &ConversationView,
    messages: &[ChatMessage],
    from_start: bool,
    me: &UserId,
) -> &'static [QuickReply] {
    if view.listing.is_none() || !view.can_send || view.closed.is_some() {
        return &[];
    }
    let mut texts = messages.iter().filter(|m| m.kind.is_text());
    if view.selling {
        match texts.next_back() {
            Some(last) if last.sender.as_ref() != Some(me) => {
                &[QuickReply::YesStillThere, QuickReply::SorryGone]
            }
            _ => &[],
        }
    } else if from_start && !texts.any(|m| m.sender.as_ref() == Some(me)) {
        &[QuickReply::StillThere]
    } else {
        &[]
    }
}

impl ConversationView {
    /// The newest sequence number shown.
    pub fn last_seq(&self) -> Seq {
        self.messages.last().map(|m| m.seq).unwrap_or_default()
    }

    pub fn person(&self, id: &UserId) -> Option<&Person> {
        self.participants.iter().map(|p| &p.person).find(|p| &p.id == id)
    }
}

/// Where one's own message stands, as its sender sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    /// In the outbox, not yet acknowledged by the server.
    Sending,
    /// Stored on the server.
    Sent,
    /// Every other current participant has read it.
    Read,
}

/// The delivery state of a stored message `seq` of `me`, given how far the others
/// have read.
pub fn delivery(seq: Seq, me: &UserId, participants: &[Participant]) -> Delivery {
    let mut others = participants.iter().filter(|p| &p.person.id != me && !p.left).peekable();
    if others.peek().is_none() {
        return Delivery::Sent;
    }
    if others.all(|p| p.last_read >= seq) {
        Delivery::Read
    } else {
        Delivery::Sent
    }
}

/// A piece of message text: plain text or a web link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPart<'a> {
    Text(&'a str),
    Link(&'a str),
}

/// Splits message text into plain parts and `http(s)://` links, so that the links can
/// be made clickable while everything else stays text. Trailing punctuation
/// (`.,;:!?)`) is not part of a link.
pub fn linkify(text: &str) -> Vec<TextPart<'_>> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let start = ["https://", "http://"].iter().filter_map(|p| find_ascii_ci(rest, p)).min();
        let Some(start) = start else { break };
        let tail = &rest[start..];
        let mut end = tail
            .char_indices()
            .find(|&(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .map_or(tail.len(), |(i, _)| i);
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', '!', '?', ')', '\'']) {
            end -= 1;
        }
        let link = &tail[..end];
        let scheme_len = if link.to_ascii_lowercase().starts_with("https://") { 8 } else { 7 };
        if link.len() <= scheme_len {
            // "http://" alone: text.
            let cut = start + scheme_len.min(tail.len());
            parts.push(TextPart::Text(&rest[..cut]));
            rest = &rest[cut..];
            continue;
        }
        if start > 0 {
            parts.push(TextPart::Text(&rest[..start]));
        }
        parts.push(TextPart::Link(link));
        rest = &tail[end..];
    }
    if !rest.is_empty() {
        parts.push(TextPart::Text(rest));
    }
    parts
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::{ClientMessageId, MessageText};

    fn person(id: &str) -> Person {
        Person { id: UserId(id.into()), name: Some(id.into()) }
    }

    fn entry(conv: &str, listing: Option<&str>) -> InboxEntry {
        InboxEntry {
            conversation: ConversationId(conv.into()),
            listing: listing.map(|id| ListingRef {
                id: id.into(),
                title: format!("Listing {id}"),
                status: Some(ListingStatus::Active),
                cover: None,
                price: None,
            }),
            others: vec![person("b")],
            last_message: None,
            unread: 0,
            last_activity: Timestamp(0),
            closed: None,
            muted: false,
        }
    }

    #[test]
    fn the_inbox_groups_by_listing_in_order_of_newest_activity() {
        let groups = group_by_listing(vec![
            entry("1", Some("bike")),
            entry("2", None),
            entry("3", Some("sofa")),
            entry("4", Some("bike")),
            entry("5", None),
        ]);
        let shape: Vec<(Option<&str>, Vec<&str>)> = groups
            .iter()
            .map(|g| {
                (
                    g.listing.as_ref().map(|l| l.id.as_str()),
                    g.entries.iter().map(|e| e.conversation.0.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![(Some("bike"), vec!["1", "4"]), (None, vec!["2", "5"]), (Some("sofa"), vec!["3"]),]
        );
    }

    #[test]
    fn a_message_is_read_when_every_other_current_participant_read_it() {
        let me = UserId("me".into());
        let p = |id: &str, read: u64, left: bool| Participant {
            person: person(id),
            last_read: Seq(read),
            left,
        };
        let two = [p("me", 5, false), p("b", 3, false)];
        assert_eq!(delivery(Seq(3), &me, &two), Delivery::Read);
        assert_eq!(delivery(Seq(4), &me, &two), Delivery::Sent);
        let group = [p("me", 5, false), p("b", 5, false), p("c", 1, false)];
        assert_eq!(delivery(Seq(4), &me, &group), Delivery::Sent);
        let left = [p("me", 5, false), p("b", 5, false), p("c", 1, true)];
        assert_eq!(delivery(Seq(4), &me, &left), Delivery::Read);
        assert_eq!(delivery(Seq(4), &me, &[p("me", 5, false)]), Delivery::Sent);
    }

    #[test]
    fn links_are_found_and_everything_else_stays_text() {
        use TextPart::*;
        assert_eq!(linkify("no links here"), vec![Text("no links here")]);
        assert_eq!(
            linkify("see https://example.org/a?b=1. Thanks"),
            vec![Text("see "), Link("https://example.org/a?b=1"), Text(". Thanks")]
        );
        assert_eq!(
            linkify("(HTTP://x.de) and http://y.de/<b>"),
            vec![Text("("), Link("HTTP://x.de"), Text(") and "), Link("http://y.de/"), Text("<b>")]
        );
        assert_eq!(linkify("http:// alone"), vec![Text("http://"), Text(" alone")]);
        assert_eq!(linkify("javascript:alert(1)"), vec![Text("javascript:alert(1)")]);
        assert_eq!(linkify("ünï https://ä.de"), vec![Text("ünï "), Link("https://ä.de")]);
    }

    #[test]
    fn views_find_people_and_their_last_sequence() {
        let msg = |seq| ChatMessage {
            conversation: ConversationId("c".into()),
            seq: Seq(seq),
            client_id: ClientMessageId::parse(&format!("m{seq}")).unwrap(),
            sender: Some(UserId("b".into())),
            text: MessageText::parse("hi").unwrap(),
            sent_at: Timestamp(0),
            kind: Default::default(),
        };
        let view = ConversationView {
            id: ConversationId("c".into()),
            listing: None,
            participants: vec![Participant { person: person("b"), last_read: Seq(0), left: false }],
            messages: vec![msg(1), msg(2)],
            more_before: false,
            closed: None,
            archived: false,
            muted: false,
            can_send: true,
            selling: false,
        };
        assert_eq!(view.last_seq(), Seq(2));
        assert_eq!(view.person(&UserId("b".into())).and_then(|p| p.name.clone()), Some("b".into()));
        assert!(view.person(&UserId("x".into())).is_none());
    }

    #[test]
    fn quick_replies_ask_first_and_answer_the_buyer() {
        let (buyer, seller) = (UserId("b".into()), UserId("s".into()));
        let msg = |seq, from: &UserId, kind: crate::chat::MessageKind| ChatMessage {
            conversation: ConversationId("c".into()),
            seq: Seq(seq),
            client_id: ClientMessageId::parse(&format!("m{seq}")).unwrap(),
            sender: Some(from.clone()),
            text: MessageText::parse("hi").unwrap(),
            sent_at: Timestamp(0),
            kind,
        };
        let text = crate::chat::MessageKind::Text;
        let listing = ListingRef {
            id: "l".into(),
            title: "Stuhl".into(),
            status: Some(ListingStatus::Active),
            cover: None,
            price: None,
        };
        let view = |messages: Vec<ChatMessage>, selling| ConversationView {
            id: ConversationId("c".into()),
            listing: Some(listing.clone()),
            participants: vec![],
            messages,
            more_before: false,
            closed: None,
            archived: false,
            muted: false,
            can_send: true,
            selling,
        };
        use QuickReply::*;
        // The buyer has not asked yet; once they wrote, nothing.
        assert_eq!(quick_replies(&view(vec![], false), &[], true, &buyer), [StillThere]);
        let asked = vec![msg(1, &buyer, text.clone())];
        assert!(quick_replies(&view(vec![], false), &asked, true, &buyer).is_empty());
        // The seller answers the buyer's last word, not their own.
        assert_eq!(
            quick_replies(&view(vec![], true), &asked, true, &seller),
            [YesStillThere, SorryGone]
        );
        let answered = vec![msg(1, &buyer, text.clone()), msg(2, &seller, text.clone())];
        assert!(quick_replies(&view(vec![], true), &answered, true, &seller).is_empty());
        // A notice is nobody's word.
        let noticed =
            vec![msg(1, &buyer, text.clone()), msg(2, &seller, crate::chat::MessageKind::Left)];
        assert_eq!(
            quick_replies(&view(vec![], true), &noticed, true, &seller),
            [YesStillThere, SorryGone]
        );
        // Read-only, or a direct conversation: none.
        let mut closed = view(vec![], true);
        closed.closed = Some(ClosedReason::ListingSold);
        assert!(quick_replies(&closed, &asked, true, &seller).is_empty());
        let mut direct = view(vec![], false);
        direct.listing = None;
        assert!(quick_replies(&direct, &[], true, &buyer).is_empty());
        // Older messages not loaded: the buyer may have asked already.
        assert!(quick_replies(&view(vec![], false), &[], false, &buyer).is_empty());
    }

    #[test]
    fn inbox_search_patterns_match_alike_on_both_databases() {
        assert_eq!(inbox_search_pattern("  "), None);
        assert_eq!(inbox_search_pattern(" Fahrrad "), Some("%fahrrad%".into()));
        assert_eq!(inbox_search_pattern("Äpfel"), Some("%_pfel%".into()));
        assert_eq!(inbox_search_pattern("50%_a\\b"), Some("%50\\%\\_a\\\\b%".into()));
        let long = "x".repeat(500);
        assert_eq!(inbox_search_pattern(&long).unwrap().len(), MAX_INBOX_SEARCH_CHARS + 2);
    }
}
