//! The bot's answers: a question finds an intent in the knowledge base, a quick reply
//! names one, and the find-a-listing dialog runs on the state the client sends back,
//! searching (the search page's own search) only once it is complete.

use super::texts::{question, Text};
use crate::error::Result;
use crate::listings::Listings;
use crate::Services;
use marktchat_shared::bot::knowledge::Action;
use marktchat_shared::bot::protocol::{QuickReply, ResultLink};
use marktchat_shared::bot::{BotServerFrame, FindListing, Matcher, Next, Step};
use marktchat_shared::Language;
use std::sync::Arc;

/// How many listings the dialog answers with.
pub const RESULTS: usize = 5;

/// What the visitor did.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// Wrote something.
    Say(&'a str),
    /// Pressed a quick reply (an intent's id).
    Choose(&'a str),
}

/// The help bot: the knowledge base and the marketplace's listings.
#[derive(Clone)]
pub struct Bot {
    matcher: Arc<Matcher>,
    pub(super) services: Services,
}

impl Bot {
    pub fn new(matcher: Matcher, services: Services) -> Bot {
        Bot { matcher: Arc::new(matcher), services }
    }

    /// The greeting with the suggestions, for a new chat.
    pub fn greeting(&self, language: Language) -> BotServerFrame {
        let kb = self.matcher.knowledge();
        reply(kb.greeting.get(language).clone(), self.suggestions(language))
    }

    /// A quick reply's label: what the visitor "said" by pressing it.
    pub fn label(&self, intent: &str, language: Language) -> Option<String> {
        self.matcher.intent(intent).map(|(_, i)| i.title.get(language).clone())
    }

    /// The answer to `input`, with the dialog's state as the client sent it.
    pub async fn answer(
        &self,
        language: Language,
        input: Input<'_>,
        dialog: Option<FindListing>,
    ) -> Result<BotServerFrame> {
        if let (Some(state), Input::Say(text)) = (dialog, input) {
            return self.dialog(language, state.answer(text)).await;
        }
        let found = match input {
            Input::Choose(id) => self.matcher.intent(id).map(|(i, _)| i),
            Input::Say(text) => self.matcher.find(text).map(|f| f.intent),
        };
        let kb = self.matcher.knowledge();
        let intent = found.map(|i| &kb.intents[i]);
        // "Ich suche ein Fahrrad bis 300 Euro in Berlin": a search said in one go (too
        // long to look like any example) starts the dialog with every answer it gives.
        if let Input::Say(text) = input {
            if intent.is_none_or(|i| i.action == Some(Action::FindListing)) {
                if let Some(next) = FindListing::open(text) {
                    return self.dialog(language, next).await;
                }
            }
        }
        let Some(intent) = intent else {
            return Ok(reply(kb.fallback.get(language).clone(), self.suggestions(language)));
        };
        let quick_replies = self.quick_replies(&intent.quick_replies, language);
        let mut frame = reply(intent.answer.get(language).clone(), quick_replies);
        if intent.action == Some(Action::FindListing) {
            if let BotServerFrame::Reply { dialog, asks, .. } = &mut frame {
                let state = FindListing::default();
                *asks = Some(state.step());
                *dialog = Some(state);
            }
        }
        Ok(frame)
    }

    async fn dialog(&self, language: Language, next: Next) -> Result<BotServerFrame> {
        Ok(match next {
            Next::Ask(step, state) => asking(question(step, language).into(), state),
            Next::Again(step, state, _problem) => asking(
                format!("{} {}", Text::NotUnderstood.get(language), question(step, language)),
                state,
            ),
            Next::Cancelled => {
                reply(Text::Stopped.get(language).into(), self.suggestions(language))
            }
            Next::Search(state) => self.search(language, &state).await?,
        })
    }

    async fn search(&self, language: Language, state: &FindListing) -> Result<BotServerFrame> {
        let Ok(search) = state.search() else {
            // A forged state: start again.
            return Ok(asking(question(Step::What, language).into(), FindListing::default()));
        };
        let page = Listings::new(&self.services.db).search(&search, RESULTS).await?;
        let links: Vec<ResultLink> = page
            .listings
            .iter()
            .map(|l| ResultLink {
                title: l.title.clone(),
                path: format!("/listings/{}", l.id),
                price: l.price.text(language),
            })
            .collect();
        let text = if links.is_empty() { Text::NoResults } else { Text::Results };
        Ok(BotServerFrame::Reply {
            text: text.get(language).into(),
            quick_replies: self.quick_replies(&["find-listing".to_owned()], language),
            links,
            dialog: None,
            asks: None,
            more: Some(state.search_params().url("/search")),
        })
    }

    fn suggestions(&self, language: Language) -> Vec<QuickReply> {
        self.quick_replies(&self.matcher.knowledge().suggestions, language)
    }

    fn quick_replies(&self, ids: &[String], language: Language) -> Vec<QuickReply> {
        ids.iter()
            .filter_map(|id| self.matcher.intent(id))
            .map(|(_, i)| QuickReply { intent: i.id.clone(), label: i.title.get(language).clone() })
            .collect()
    }
}

/// A dialog's question, handing its state back to the client.
fn asking(text: String, state: FindListing) -> BotServerFrame {
    let step = state.step();
    BotServerFrame::Reply {
        text,
        quick_replies: vec![],
        links: vec![],
        dialog: Some(state),
        asks: Some(step),
        more: None,
    }
}

fn reply(text: String, quick_replies: Vec<QuickReply>) -> BotServerFrame {
    BotServerFrame::Reply {
        text,
        quick_replies,
        links: vec![],
        dialog: None,
        asks: None,
        more: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::NewAccount;
    use crate::db::Backend;
    use crate::listings::ListingDraft;
    use marktchat_shared::{CurrentUser, Role};
    use marktchat_test_macros::db_test;

    async fn bot(backend: Backend) -> (Bot, crate::testing::TestDatabase) {
        let (db, guard) = crate::db::test_db(backend).await;
        let services = Services::new(db, crate::Settings::default());
        let matcher = super::super::read_knowledge(super::super::DEFAULT_KNOWLEDGE).unwrap();
        (Bot::new(matcher, services), guard)
    }

    async fn seller_with(bot: &Bot, listings: &[(&str, &str, &str)]) {
        let new =
            NewAccount::parse("sara@example.de", "Sara", "a long enough secret", Language::De)
                .unwrap();
        let p = bot.services.accounts().register(new, None).await.unwrap();
        let sara = CurrentUser {
            id: p.id,
            display_name: p.display_name,
            role: Role::User,
            language: p.language,
            time_zone: None,
        };
        for (title, price, city) in listings {
            let draft =
                ListingDraft::parse(title, "", "fixed", price, "vehicles/bicycles", "10115", city)
                    .unwrap();
            bot.services.listings().create(&sara, draft, Vec::new()).await.unwrap();
        }
    }

    fn text(frame: &BotServerFrame) -> &str {
        match frame {
            BotServerFrame::Reply { text, .. } => text,
            other => panic!("not a reply: {other:?}"),
        }
    }

    fn dialog(frame: &BotServerFrame) -> (Option<FindListing>, Option<Step>) {
        match frame {
            BotServerFrame::Reply { dialog, asks, .. } => (dialog.clone(), *asks),
            other => panic!("not a reply: {other:?}"),
        }
    }

    #[db_test]
    async fn questions_get_answers_and_strangers_get_suggestions(backend: Backend) {
        let (bot, _db) = bot(backend).await;
        let a = bot.answer(Language::De, Input::Say("Ist Vorkasse sicher?"), None).await.unwrap();
        assert!(text(&a).contains("bar bezahlen"), "{a:?}");
        let a =
            bot.answer(Language::En, Input::Say("Is paying in advance safe?"), None).await.unwrap();
        assert!(text(&a).contains("Pay cash") || text(&a).contains("pay cash"), "{a:?}");
        let BotServerFrame::Reply { quick_replies, .. } = &a else { unreachable!() };
        assert_eq!(quick_replies[0].intent, "report-scam");
        let chosen = bot.answer(Language::En, Input::Choose("report-scam"), None).await.unwrap();
        assert!(text(&chosen).contains("block the person"));
        let lost =
            bot.answer(Language::De, Input::Say("Wie wird das Wetter?"), None).await.unwrap();
        let BotServerFrame::Reply { text, quick_replies, .. } = &lost else { unreachable!() };
        assert!(text.contains("nicht verstanden"));
        assert_eq!(quick_replies.len(), 4, "the suggestions");
        assert_eq!(quick_replies[0].label, "Anzeige finden");
        let unknown = bot.answer(Language::De, Input::Choose("nope"), None).await.unwrap();
        assert!(crate::bot::engine::tests::text(&unknown).contains("nicht verstanden"));
    }

    #[db_test]
    async fn the_dialog_gathers_three_answers_then_searches(backend: Backend) {
        let (bot, _db) = bot(backend).await;
        seller_with(
            &bot,
            &[
                ("Rotes Fahrrad", "80", "Berlin"),
                ("Blaues Fahrrad", "300", "Berlin"),
                ("Fahrrad", "50", "Hamburg"),
            ],
        )
        .await;
        let start = bot.answer(Language::De, Input::Say("Ich suche etwas"), None).await.unwrap();
        let (state, asks) = dialog(&start);
        assert_eq!(asks, Some(Step::What));
        let a = bot.answer(Language::De, Input::Say("Fahrrad"), state).await.unwrap();
        let (state, asks) = dialog(&a);
        assert_eq!(
            (asks, text(&a)),
            (Some(Step::MaxPrice), question(Step::MaxPrice, Language::De))
        );
        let again = bot.answer(Language::De, Input::Say("billig"), state.clone()).await.unwrap();
        assert!(text(&again).starts_with("Das habe ich nicht verstanden."));
        assert_eq!(
            dialog(&again),
            (state.clone(), Some(Step::MaxPrice)),
            "the same question again"
        );
        let a = bot.answer(Language::De, Input::Say("bis 100 €"), state).await.unwrap();
        let (state, asks) = dialog(&a);
        assert_eq!(asks, Some(Step::Place));
        let found = bot.answer(Language::De, Input::Say("Berlin"), state).await.unwrap();
        let BotServerFrame::Reply { text, links, dialog, more, .. } = &found else {
            unreachable!()
        };
        assert_eq!(text, "Das habe ich gefunden:");
        assert_eq!(dialog, &None, "the dialog is over");
        let titles: Vec<(&str, &str)> =
            links.iter().map(|l| (l.title.as_str(), l.price.as_str())).collect();
        assert_eq!(titles, [("Rotes Fahrrad", "80 €")], "only what fits all three answers");
        assert!(links[0].path.starts_with("/listings/"));
        assert_eq!(more.as_deref(), Some("/search?q=Fahrrad&max=100&place=Berlin"));
    }

    /// A search said in one sentence fills every answer it gives at once: the bot asks
    /// only for what is missing, or searches straight away.
    #[db_test]
    async fn a_search_in_one_sentence_fills_every_answer(backend: Backend) {
        let (bot, _db) = bot(backend).await;
        seller_with(&bot, &[("Fahrrad", "250", "Berlin"), ("Fahrrad", "500", "Berlin")]).await;
        let say = |text: &'static str| bot.answer(Language::De, Input::Say(text), None);
        let found = say("Ich suche ein Fahrrad bis 300 Euro in Berlin").await.unwrap();
        let BotServerFrame::Reply { links, more, dialog: state, .. } = &found else {
            unreachable!()
        };
        assert_eq!(state, &None, "searched at once: {found:?}");
        assert_eq!(links.len(), 1, "{found:?}");
        assert_eq!(more.as_deref(), Some("/search?q=Fahrrad&max=300&place=Berlin"));
        // Only the item: the price is asked next, not the item again.
        let a = say("Ich suche ein Fahrrad").await.unwrap();
        let (state, asks) = dialog(&a);
        assert_eq!(asks, Some(Step::MaxPrice), "{a:?}");
        assert_eq!(state.unwrap().what.as_deref(), Some("Fahrrad"));
        // A price is no item.
        let a = say("Ich suche etwas bis 400 Euro").await.unwrap();
        let (state, asks) = dialog(&a);
        assert_eq!(asks, Some(Step::What), "{a:?}");
        assert_eq!(state.unwrap().max_price.as_deref(), Some("400"));
        // A question that is no search stays one.
        let a = say("Wie lösche ich mein Konto?").await.unwrap();
        assert_eq!(dialog(&a), (None, None), "{a:?}");
    }

    #[db_test]
    async fn the_dialog_can_be_stopped_and_finds_nothing_politely(backend: Backend) {
        let (bot, _db) = bot(backend).await;
        let start = bot.answer(Language::En, Input::Choose("find-listing"), None).await.unwrap();
        let (state, _) = dialog(&start);
        let stopped = bot.answer(Language::En, Input::Say("cancel"), state.clone()).await.unwrap();
        assert_eq!(text(&stopped), "All right, I stopped searching.");
        assert_eq!(dialog(&stopped), (None, None));
        let mut state = state;
        for answer in ["Sofa", "any", "anywhere"] {
            let a = bot.answer(Language::En, Input::Say(answer), state).await.unwrap();
            state = dialog(&a).0;
            if state.is_none() {
                let BotServerFrame::Reply { text, links, .. } = &a else { unreachable!() };
                assert!(links.is_empty());
                assert!(text.starts_with("I found nothing"));
            }
        }
        assert_eq!(state, None, "searched after the third answer");
    }
}
