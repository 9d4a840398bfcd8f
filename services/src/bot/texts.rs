//! What the bot says besides the knowledge base's answers: the dialog's questions and
//! its few fixed sentences, in both languages.

use marktchat_shared::bot::Step;
use marktchat_shared::Language;

/// The dialog's question for `step`.
pub fn question(step: Step, language: Language) -> &'static str {
    match (step, language) {
        (Step::What, Language::De) => "Was suchst du?",
        (Step::What, Language::En) => "What are you looking for?",
        (Step::MaxPrice, Language::De) => {
            "Wie viel darf es höchstens kosten? (Eine Zahl in Euro, oder „egal“.)"
        }
        (Step::MaxPrice, Language::En) => {
            "What is the most it may cost? (A number in euro, or “any”.)"
        }
        (Step::Place, Language::De) => {
            "Wo? (Ein Ort oder die ersten Ziffern der Postleitzahl, oder „egal“.)"
        }
        (Step::Place, Language::En) => {
            "Where? (A town or the first digits of the postal code, or “anywhere”.)"
        }
        (Step::Complete, Language::De) => "Ich suche …",
        (Step::Complete, Language::En) => "Searching …",
    }
}

/// The bot's fixed sentences.
#[derive(Debug, Clone, Copy)]
pub enum Text {
    NotUnderstood,
    Stopped,
    Results,
    NoResults,
}

impl Text {
    pub fn get(self, language: Language) -> &'static str {
        match (self, language) {
            (Text::NotUnderstood, Language::De) => "Das habe ich nicht verstanden.",
            (Text::NotUnderstood, Language::En) => "I did not get that.",
            (Text::Stopped, Language::De) => "Gut, ich suche nicht weiter.",
            (Text::Stopped, Language::En) => "All right, I stopped searching.",
            (Text::Results, Language::De) => "Das habe ich gefunden:",
            (Text::Results, Language::En) => "Here is what I found:",
            (Text::NoResults, Language::De) => {
                "Dazu habe ich gerade nichts gefunden. Versuch es mit anderen Wörtern, einem höheren Preis oder „egal“ beim Ort."
            }
            (Text::NoResults, Language::En) => {
                "I found nothing for that right now. Try other words, a higher price or “anywhere”."
            }
        }
    }
}
