//! One visitor's chat with the bot, as its socket carries it but without the socket:
//! the frames the widget sends go in, the frames to answer with come out. What is
//! kept follows the storage mode; every step is counted in the hourly statistics.
//!
//! The server's socket handler adds what needs the connection: limits per connection
//! and per address, the idle timeout, closing.

use super::store::{Counts, Line, Sender, Stats, Transcripts};
use super::{Bot, Input};
use crate::clock::now;
use crate::error::Result;
use marktchat_shared::bot::protocol::{BotErrorCode, EndReason, BOT_PROTOCOL_VERSION};
use marktchat_shared::bot::{
    guess_language, BotClientFrame, BotServerFrame, ChatCode, StorageMode,
};
use marktchat_shared::Language;

/// The chat running on one socket, if one is.
pub struct Chat {
    bot: Bot,
    current: Option<Current>,
}

struct Current {
    id: uuid::Uuid,
    /// The widget's language (the transcript's).
    language: Language,
    /// The language the visitor writes in, as far as their messages tell
    /// ([`guess_language`]); the widget's until one does. The bot answers in it.
    speaks: Language,
    mode: StorageMode,
    /// The transcript has a row (the chat was stored at some point).
    kept: bool,
    /// The next line's number in the transcript.
    seq: i64,
}

/// What to send back, and whether the socket should close after it.
#[derive(Debug, Default)]
pub struct Answer {
    pub frames: Vec<BotServerFrame>,
    pub close: bool,
}

impl Answer {
    fn send(frames: Vec<BotServerFrame>) -> Answer {
        Answer { frames, close: false }
    }

    fn error(code: BotErrorCode) -> Answer {
        Answer::send(vec![BotServerFrame::Error { code, retry_after_secs: None }])
    }
}

impl Chat {
    pub fn new(bot: Bot) -> Chat {
        Chat { bot, current: None }
    }

    /// Whether a chat runs.
    pub fn is_running(&self) -> bool {
        self.current.is_some()
    }

    /// The running chat's code.
    pub fn code(&self) -> Option<ChatCode> {
        self.current.as_ref().map(|c| ChatCode::of_chat(c.id.as_bytes()))
    }

    /// Answers one frame from the widget. `DeleteCodes` needs no running chat; the
    /// caller limits how often it comes.
    pub async fn handle(&mut self, frame: BotClientFrame) -> Result<Answer> {
        match frame {
            BotClientFrame::Start { version, language, mode } => {
                if version != BOT_PROTOCOL_VERSION {
                    return Ok(Answer::error(BotErrorCode::UnsupportedVersion));
                }
                let mut frames = Vec::new();
                if self.current.is_some() {
                    frames.extend(self.end(EndReason::Visitor).await?);
                }
                frames.extend(self.start(language, mode).await?);
                Ok(Answer::send(frames))
            }
            BotClientFrame::DeleteCodes { codes } => {
                let codes: Vec<ChatCode> =
                    codes.iter().filter_map(|c| ChatCode::parse(c).ok()).collect();
                self.transcripts().delete_by_codes(&codes).await?;
                Ok(Answer::send(vec![BotServerFrame::Deleted]))
            }
            frame => {
                if self.current.is_none() {
                    return Ok(Answer::error(BotErrorCode::NotStarted));
                }
                self.in_chat(frame).await
            }
        }
    }

    async fn in_chat(&mut self, frame: BotClientFrame) -> Result<Answer> {
        match frame {
            BotClientFrame::Say { text, dialog } => {
                let text = text.trim();
                if text.is_empty() {
                    return Ok(Answer::error(BotErrorCode::BadFrame));
                }
                let current = self.current.as_mut().expect("a running chat");
                if let Some(language) = guess_language(text) {
                    current.speaks = language;
                }
                let language = current.speaks;
                let reply = self.bot.answer(language, Input::Say(text), dialog).await?;
                self.exchange(text.to_owned(), &reply).await?;
                Ok(Answer::send(vec![reply]))
            }
            BotClientFrame::Choose { intent, dialog } => {
                let language = self.current.as_ref().map_or(Language::De, |c| c.speaks);
                let label = self.bot.label(&intent, language).unwrap_or_else(|| intent.clone());
                let reply = self.bot.answer(language, Input::Choose(&intent), dialog).await?;
                self.exchange(label, &reply).await?;
                Ok(Answer::send(vec![reply]))
            }
            BotClientFrame::SetMode { mode } => {
                let db = self.bot.services.db.clone();
                let current = self.current.as_mut().expect("a running chat");
                if mode == StorageMode::Stored && !current.kept {
                    Transcripts::new(&db).open(&current.id, current.language, now()).await?;
                    current.kept = true;
                }
                current.mode = mode;
                Ok(Answer::send(vec![BotServerFrame::ModeSet { mode }]))
            }
            BotClientFrame::Forget => {
                let language = self.language();
                let Some(current) = self.current.take() else {
                    return Ok(Answer::error(BotErrorCode::NotStarted));
                };
                if current.kept {
                    let code = ChatCode::of_chat(current.id.as_bytes());
                    self.transcripts().delete_by_codes(&[code]).await?;
                }
                Stats::new(&self.bot.services.db)
                    .count(now(), Counts { chats_ended: 1, ..Counts::default() })
                    .await?;
                let frames = self.start(language, StorageMode::Private).await?;
                Ok(Answer::send(frames))
            }
            BotClientFrame::End => {
                let frames = self.end(EndReason::Visitor).await?;
                Ok(Answer { frames, close: true })
            }
            BotClientFrame::Start { .. } | BotClientFrame::DeleteCodes { .. } => {
                unreachable!("handled before")
            }
        }
    }

    /// Ends the running chat (the visitor left, the socket closed, it was idle or the
    /// server stops): counted, its transcript (if kept) marked ended. The frame to
    /// tell the widget, if a chat ran.
    pub async fn end(&mut self, reason: EndReason) -> Result<Vec<BotServerFrame>> {
        let Some(current) = self.current.take() else { return Ok(Vec::new()) };
        let at = now();
        if current.kept {
            self.transcripts().close(&current.id, at).await?;
        }
        Stats::new(&self.bot.services.db)
            .count(at, Counts { chats_ended: 1, ..Counts::default() })
            .await?;
        Ok(vec![BotServerFrame::Ended { reason }])
    }

    async fn start(
        &mut self,
        language: Language,
        mode: StorageMode,
    ) -> Result<Vec<BotServerFrame>> {
        let id = uuid::Uuid::new_v4();
        let at = now();
        let greeting = self.bot.greeting(language);
        let mut current = Current { id, language, speaks: language, mode, kept: false, seq: 0 };
        if mode == StorageMode::Stored {
            let transcripts = self.transcripts();
            transcripts.open(&id, language, at).await?;
            transcripts.append(&id, 0, &[bot_line(at, &greeting)]).await?;
            current.kept = true;
            current.seq = 1;
        }
        Stats::new(&self.bot.services.db)
            .count(at, Counts { chats_started: 1, messages_sent: 1, ..Counts::default() })
            .await?;
        self.current = Some(current);
        let code = ChatCode::of_chat(id.as_bytes());
        Ok(vec![BotServerFrame::Started { code, mode }, greeting])
    }

    /// Keeps what the visitor said and the reply, in the stored mode, and counts both.
    async fn exchange(&mut self, said: String, reply: &BotServerFrame) -> Result<()> {
        let db = self.bot.services.db.clone();
        let current = self.current.as_mut().expect("a running chat");
        let at = now();
        if current.mode == StorageMode::Stored {
            let lines = [
                Line { at: at.0, sender: Sender::Visitor, text: said, links: vec![] },
                bot_line(at, reply),
            ];
            Transcripts::new(&db).append(&current.id, current.seq, &lines).await?;
            current.seq += 2;
        }
        Stats::new(&db)
            .count(at, Counts { messages_received: 1, messages_sent: 1, ..Counts::default() })
            .await
    }

    fn language(&self) -> Language {
        self.current.as_ref().map_or(Language::De, |c| c.language)
    }

    fn transcripts(&self) -> Transcripts<'_> {
        Transcripts::new(&self.bot.services.db)
    }
}

/// A reply as a transcript line: its text and links.
fn bot_line(at: marktchat_shared::Timestamp, reply: &BotServerFrame) -> Line {
    let (text, links) = match reply {
        BotServerFrame::Reply { text, links, .. } => (text.clone(), links.clone()),
        other => (format!("{other:?}"), vec![]),
    };
    Line { at: at.0, sender: Sender::Bot, text, links }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::store::{daily, hour_of, HOUR_MS};
    use crate::db::Backend;
    use crate::Services;
    use marktchat_shared::bot::Step;
    use marktchat_shared::Timestamp;
    use marktchat_test_macros::db_test;

    async fn chat(backend: Backend) -> (Chat, crate::Database, crate::testing::TestDatabase) {
        let (db, guard) = crate::db::test_db(backend).await;
        let services = Services::new(db.clone(), crate::Settings::default());
        let matcher = super::super::read_knowledge(super::super::DEFAULT_KNOWLEDGE).unwrap();
        (Chat::new(Bot::new(matcher, services)), db, guard)
    }

    fn start(language: Language, mode: StorageMode) -> BotClientFrame {
        BotClientFrame::Start { version: BOT_PROTOCOL_VERSION, language, mode }
    }

    fn say(text: &str) -> BotClientFrame {
        BotClientFrame::Say { text: text.into(), dialog: None }
    }

    fn started(answer: &Answer) -> (ChatCode, StorageMode) {
        match answer.frames.first() {
            Some(BotServerFrame::Started { code, mode }) => (*code, *mode),
            other => panic!("not started: {other:?}"),
        }
    }

    async fn totals(db: &crate::Database) -> Counts {
        let hours = Stats::new(db).hourly(Timestamp(0), Timestamp(i64::MAX)).await.unwrap();
        let mut all = Counts::default();
        for h in &hours {
            assert_eq!(h.start % HOUR_MS, 0, "whole hours only");
            all.add(&h.counts);
        }
        all
    }

    /// The bot answers in the language of the question, and stays with it while the
    /// answers say nothing about the language ("Berlin", "50").
    #[db_test]
    async fn answers_come_in_the_language_of_the_question(backend: Backend) {
        let (mut chat, _db, _guard) = chat(backend).await;
        chat.handle(start(Language::De, StorageMode::Private)).await.unwrap();
        let reply = |a: &Answer| match a.frames.first() {
            Some(BotServerFrame::Reply { text, dialog, .. }) => (text.clone(), dialog.clone()),
            other => panic!("not a reply: {other:?}"),
        };
        let (text, _) = reply(&chat.handle(say("Is paying in advance safe?")).await.unwrap());
        assert!(text.to_lowercase().contains("pay cash"), "{text}");
        let (text, dialog) =
            reply(&chat.handle(say("I am looking for a bike under 100 euros")).await.unwrap());
        assert_eq!(text, super::super::texts::question(Step::Place, Language::En), "{text}");
        let dialog = dialog.expect("the dialog goes on");
        assert_eq!(
            (dialog.what.as_deref(), dialog.max_price.as_deref()),
            (Some("bike"), Some("100"))
        );
        let (text, _) = reply(
            &chat
                .handle(BotClientFrame::Say { text: "Berlin".into(), dialog: Some(dialog) })
                .await
                .unwrap(),
        );
        assert!(text.contains("nothing") || text.contains("found"), "still English: {text}");
        let (text, _) = reply(&chat.handle(say("Ist Vorkasse sicher?")).await.unwrap());
        assert!(text.contains("bar bezahlen"), "German again: {text}");
    }

    #[db_test]
    async fn a_stored_chat_is_kept_until_its_code_deletes_it(backend: Backend) {
        let (mut chat, db, _guard) = chat(backend).await;
        let a = chat.handle(start(Language::De, StorageMode::Stored)).await.unwrap();
        let (code, mode) = started(&a);
        assert_eq!(mode, StorageMode::Stored);
        assert!(matches!(&a.frames[1], BotServerFrame::Reply { .. }), "the greeting");
        chat.handle(say("Ist Vorkasse sicher?")).await.unwrap();
        chat.handle(BotClientFrame::Choose { intent: "report-scam".into(), dialog: None })
            .await
            .unwrap();
        let transcripts = Transcripts::new(&db);
        let list = transcripts.list(None, 10, None).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].code, list[0].messages), (code, 5));
        assert_eq!(list[0].first_words.as_deref(), Some("Ist Vorkasse sicher?"));
        let t = transcripts.get(&list[0].id).await.unwrap().unwrap();
        let said: Vec<(Sender, &str)> =
            t.lines.iter().map(|l| (l.sender, l.text.as_str())).collect();
        assert_eq!(said[1], (Sender::Visitor, "Ist Vorkasse sicher?"));
        assert_eq!(said[3], (Sender::Visitor, "Betrug melden"), "a quick reply by its label");
        assert!(said[2].1.contains("bar bezahlen"), "{said:?}");
        // Found by a word and by its code, typed carelessly.
        assert_eq!(transcripts.list(Some("VORKASSE"), 10, None).await.unwrap().len(), 1);
        let sloppy = code.to_string().to_lowercase().replace('-', " ").replace('1', "l");
        assert_eq!(transcripts.list(Some(&sloppy), 10, None).await.unwrap().len(), 1);
        assert!(transcripts.list(Some("Fahrrad"), 10, None).await.unwrap().is_empty());
        // The visitor ends the chat; later, the code deletes it.
        let end = chat.handle(BotClientFrame::End).await.unwrap();
        assert!(end.close);
        assert!(matches!(end.frames[..], [BotServerFrame::Ended { reason: EndReason::Visitor }]));
        assert!(transcripts.get(&list[0].id).await.unwrap().unwrap().chat.ended_at.is_some());
        let mut later = Chat::new(chat.bot.clone());
        let d = later
            .handle(BotClientFrame::DeleteCodes { codes: vec![sloppy, "nonsense".into()] })
            .await
            .unwrap();
        assert!(matches!(d.frames[..], [BotServerFrame::Deleted]));
        assert!(transcripts.list(None, 10, None).await.unwrap().is_empty());
        let c = totals(&db).await;
        assert_eq!(
            (c.chats_started, c.chats_ended, c.messages_received, c.messages_sent),
            (1, 1, 2, 3),
            "counts stay after the transcript is gone"
        );
    }

    #[db_test]
    async fn a_private_chat_keeps_nothing_but_counts(backend: Backend) {
        let (mut chat, db, _guard) = chat(backend).await;
        let a = chat.handle(start(Language::En, StorageMode::Private)).await.unwrap();
        assert_eq!(started(&a).1, StorageMode::Private);
        let r = chat.handle(say("how do I delete my account")).await.unwrap();
        assert!(matches!(&r.frames[0], BotServerFrame::Reply { .. }));
        chat.end(EndReason::Idle).await.unwrap();
        assert!(Transcripts::new(&db).list(None, 10, None).await.unwrap().is_empty());
        let c = totals(&db).await;
        assert_eq!(
            (c.chats_started, c.chats_ended, c.messages_received, c.messages_sent),
            (1, 1, 1, 2)
        );
    }

    #[db_test]
    async fn switching_modes_keeps_only_what_was_said_while_stored(backend: Backend) {
        let (mut chat, db, _guard) = chat(backend).await;
        chat.handle(start(Language::En, StorageMode::Private)).await.unwrap();
        chat.handle(say("first, private")).await.unwrap();
        let m = chat.handle(BotClientFrame::SetMode { mode: StorageMode::Stored }).await.unwrap();
        assert!(matches!(m.frames[..], [BotServerFrame::ModeSet { mode: StorageMode::Stored }]));
        chat.handle(say("second, stored")).await.unwrap();
        chat.handle(BotClientFrame::SetMode { mode: StorageMode::Private }).await.unwrap();
        chat.handle(say("third, private")).await.unwrap();
        chat.handle(BotClientFrame::SetMode { mode: StorageMode::Stored }).await.unwrap();
        chat.handle(say("fourth, stored")).await.unwrap();
        let transcripts = Transcripts::new(&db);
        let list = transcripts.list(None, 10, None).await.unwrap();
        assert_eq!(list.len(), 1, "one chat, one row");
        assert_eq!(list[0].code, chat.code().unwrap());
        let t = transcripts.get(&list[0].id).await.unwrap().unwrap();
        let visitor: Vec<&str> =
            t.lines.iter().filter(|l| l.sender == Sender::Visitor).map(|l| &*l.text).collect();
        assert_eq!(visitor, ["second, stored", "fourth, stored"]);
        assert_eq!(t.lines.len(), 4, "and the two replies");
    }

    #[db_test]
    async fn the_one_button_ends_deletes_and_starts_private(backend: Backend) {
        let (mut chat, db, _guard) = chat(backend).await;
        let first = started(&chat.handle(start(Language::De, StorageMode::Stored)).await.unwrap());
        chat.handle(say("Mein Konto löschen")).await.unwrap();
        assert_eq!(Transcripts::new(&db).list(None, 10, None).await.unwrap().len(), 1);
        let a = chat.handle(BotClientFrame::Forget).await.unwrap();
        let (code, mode) = started(&a);
        assert_ne!(code, first.0, "a new chat");
        assert_eq!(mode, StorageMode::Private);
        assert!(matches!(&a.frames[1], BotServerFrame::Reply { .. }), "greeted again");
        assert!(!a.close);
        assert!(Transcripts::new(&db).list(None, 10, None).await.unwrap().is_empty());
        chat.handle(say("still here")).await.unwrap();
        assert!(Transcripts::new(&db).list(None, 10, None).await.unwrap().is_empty());
        let c = totals(&db).await;
        assert_eq!((c.chats_started, c.chats_ended), (2, 1));
    }

    #[db_test]
    async fn frames_out_of_turn_are_refused(backend: Backend) {
        let (mut chat, _db, _guard) = chat(backend).await;
        let a = chat.handle(say("hello")).await.unwrap();
        assert!(matches!(
            a.frames[..],
            [BotServerFrame::Error { code: BotErrorCode::NotStarted, .. }]
        ));
        let old = BotClientFrame::Start {
            version: 99,
            language: Language::De,
            mode: StorageMode::Stored,
        };
        let a = chat.handle(old).await.unwrap();
        assert!(matches!(
            a.frames[..],
            [BotServerFrame::Error { code: BotErrorCode::UnsupportedVersion, .. }]
        ));
        assert!(!chat.is_running());
        chat.handle(start(Language::De, StorageMode::Private)).await.unwrap();
        let blank = chat.handle(say("   ")).await.unwrap();
        assert!(matches!(
            blank.frames[..],
            [BotServerFrame::Error { code: BotErrorCode::BadFrame, .. }]
        ));
        assert!(chat.end(EndReason::Idle).await.unwrap().len() == 1);
        assert!(chat.end(EndReason::Idle).await.unwrap().is_empty(), "ended once");
    }

    #[db_test]
    async fn statistics_are_counted_per_hour(backend: Backend) {
        let (_chat, db, _guard) = chat(backend).await;
        let stats = Stats::new(&db);
        let day = 1_795_478_400_000; // 2026-11-24T00:00Z
        let one = Counts { messages_received: 1, ..Counts::default() };
        stats.count(Timestamp(day + 5 * HOUR_MS + 59_000), one).await.unwrap();
        stats.count(Timestamp(day + 5 * HOUR_MS + 3_599_999), one).await.unwrap();
        stats
            .count(Timestamp(day + 6 * HOUR_MS), Counts { chats_started: 2, ..one })
            .await
            .unwrap();
        stats.count(Timestamp(day + 30 * HOUR_MS), one).await.unwrap();
        let hours = stats.hourly(Timestamp(day), Timestamp(day + 48 * HOUR_MS)).await.unwrap();
        let got: Vec<(i64, i64, i64)> = hours
            .iter()
            .map(|h| {
                ((h.start - day) / HOUR_MS, h.counts.messages_received, h.counts.chats_started)
            })
            .collect();
        assert_eq!(got, [(5, 2, 0), (6, 1, 2), (30, 1, 0)]);
        assert_eq!(hour_of(Timestamp(day + 5 * HOUR_MS + 1)), day + 5 * HOUR_MS);
        let days = daily(&hours);
        assert_eq!(days.len(), 2);
        assert_eq!((days[0].start, days[0].counts.messages_received), (day, 3));
        let csv = super::super::store::csv(&days);
        assert_eq!(
            csv,
            "period_start_utc,chats_started,chats_ended,messages_received,messages_sent\n\
             2026-11-24T00:00Z,2,0,3,0\n2026-11-25T00:00Z,0,0,1,0\n"
        );
        let later = stats.hourly(Timestamp(day + 6 * HOUR_MS), Timestamp(day + 7 * HOUR_MS));
        assert_eq!(later.await.unwrap().len(), 1, "from and to bound the hours");
    }
}
