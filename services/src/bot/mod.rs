//! The help bot's server side.
//!
//! - this file: the knowledge base, a TOML file the operator may replace with their
//!   own, and a default built in (`knowledge.toml`, about thirty intents in German
//!   and English); matching itself is [`marktchat_shared::bot::Matcher`];
//! - [`engine`]: the answers, and the find-a-listing dialog's search;
//! - [`texts`]: the dialog's questions and the bot's fixed sentences;
//! - [`chat`]: one visitor's chat as its socket carries it: storage modes, the one
//!   button, deleting by code;
//! - [`store`]: stored transcripts and the hourly statistics.

pub mod chat;
pub mod engine;
pub mod store;
pub mod texts;

pub use chat::{Answer, Chat};
pub use engine::{Bot, Input};

use marktchat_shared::bot::{KnowledgeBase, KnowledgeError, Matcher};
use std::path::Path;

/// The knowledge base that ships with marktchat.
pub const DEFAULT_KNOWLEDGE: &str = include_str!("knowledge.toml");

/// Why a knowledge base file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeFileError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{0}")]
    Syntax(#[from] toml::de::Error),
    #[error("{0}")]
    Content(#[from] KnowledgeError),
}

/// Reads a knowledge base from TOML text and checks it.
pub fn read_knowledge(text: &str) -> Result<Matcher, KnowledgeFileError> {
    let kb: KnowledgeBase = toml::from_str(text)?;
    Ok(Matcher::new(kb)?)
}

/// The knowledge base at `path`, or the default one.
pub async fn load_knowledge(path: Option<&Path>) -> Result<Matcher, KnowledgeFileError> {
    match path {
        None => read_knowledge(DEFAULT_KNOWLEDGE),
        Some(path) => {
            let text = tokio::fs::read_to_string(path).await.map_err(|source| {
                KnowledgeFileError::Read { path: path.display().to_string(), source }
            })?;
            read_knowledge(&text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(m: &Matcher, question: &str) -> Option<String> {
        m.find(question).map(|f| m.knowledge().intents[f.intent].id.clone())
    }

    #[test]
    fn the_default_knowledge_base_reads() {
        let m = read_knowledge(DEFAULT_KNOWLEDGE).unwrap();
        assert!(m.knowledge().intents.len() >= 30);
    }

    /// Each example finds its own intent: no two intents fight over a phrasing.
    #[test]
    fn every_example_finds_its_own_intent() {
        let m = read_knowledge(DEFAULT_KNOWLEDGE).unwrap();
        let mut wrong = Vec::new();
        for intent in &m.knowledge().intents {
            for example in intent.examples.de.iter().chain(&intent.examples.en) {
                let got = answer(&m, example);
                if got.as_deref() != Some(intent.id.as_str()) {
                    wrong.push(format!("{example:?} → {got:?}, not {}", intent.id));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn questions_as_visitors_ask_them() {
        let m = read_knowledge(DEFAULT_KNOWLEDGE).unwrap();
        for (question, intent) in [
            ("Hallo", "greeting"),
            ("wie kann ich ein inserat aufgeben", "post-listing"),
            ("Ist Vorkasse per Überweisung sicher?", "safety-payment"),
            ("Passwort vergessen, was tun?", "login-problem"),
            ("Mein Konto loeschen", "delete-account"),
            ("Wird dieser Chat gespeichert?", "privacy-chat"),
            ("how do i delete my acount", "delete-account"),
            ("can I upload photos", "listing-photos"),
            ("I think this ad is a scam", "report-scam"),
            ("what is the chat code", "chat-code"),
            ("thank you!", "thanks"),
            ("I'm looking for a bike", "find-listing"),
        ] {
            assert_eq!(answer(&m, question).as_deref(), Some(intent), "{question:?}");
        }
        assert_eq!(answer(&m, "Wie wird das Wetter?"), None);
    }

    #[test]
    fn a_broken_file_says_what_is_wrong() {
        let err = read_knowledge("intents = [").unwrap_err();
        assert!(matches!(err, KnowledgeFileError::Syntax(_)), "{err}");
        let bad = DEFAULT_KNOWLEDGE.replace("id = \"thanks\"", "id = \"greeting\"");
        let err = read_knowledge(&bad).unwrap_err();
        assert_eq!(err.to_string(), "intent \"greeting\" is there twice");
    }
}
