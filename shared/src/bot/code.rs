//! Chat codes: the short code a visitor notes to delete a help-bot transcript later,
//! e.g. `K7QM-4XPA-92TD`.
//!
//! A code is the Crockford base32 of the chat id's last 60 bits. Those bits are random
//! in every version-4 UUID (the version and variant bits sit before them), so a code
//! carries 60 random bits: guessing one among a million chats takes about 10¹² tries.
//! Reading is forgiving: any case; `I` and `L` read as `1`, `O` as `0`; spaces and
//! hyphens anywhere. Anything else is refused, never read as some other code.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Crockford's alphabet: digits and letters without I, L, O and U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols in a code (5 bits each).
const SYMBOLS: usize = 12;
const BITS: u32 = 5 * SYMBOLS as u32;
const MASK: u64 = (1 << BITS) - 1;
/// The longest text read as a code (a code with generous spacing); longer is refused
/// before any work.
const MAX_INPUT: usize = 64;

/// The code of one help-bot chat: 60 bits, shown as three groups of four symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChatCode(u64);

/// Why a text is not a chat code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a chat code has 12 letters and digits, {0} given")]
    Length(usize),
    #[error("{0:?} is not used in chat codes")]
    Symbol(char),
}

impl ChatCode {
    /// The code of the chat with this id (the UUID's 16 bytes, in order).
    pub fn of_chat(id: &[u8; 16]) -> ChatCode {
        ChatCode(u64::from_be_bytes(id[8..16].try_into().expect("eight bytes")) & MASK)
    }

    /// Reads a code as a person typed it (see the module's notes on forgiveness).
    pub fn parse(input: &str) -> Result<ChatCode, CodeError> {
        if input.len() > MAX_INPUT {
            return Err(CodeError::Length(input.chars().filter(|c| c.is_alphanumeric()).count()));
        }
        let mut value: u64 = 0;
        let mut count = 0;
        for c in input.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let digit = symbol_value(c).ok_or(CodeError::Symbol(c))?;
            count += 1;
            if count <= SYMBOLS {
                value = value << 5 | u64::from(digit);
            }
        }
        if count != SYMBOLS {
            return Err(CodeError::Length(count));
        }
        Ok(ChatCode(value))
    }

    /// The 60 bits, for storing and finding the chat.
    pub fn bits(self) -> u64 {
        self.0
    }

    /// The code with these 60 bits (higher bits are ignored).
    pub fn from_bits(bits: u64) -> ChatCode {
        ChatCode(bits & MASK)
    }

    /// Whether this is the code of the chat with id `id`.
    pub fn belongs_to(self, id: &[u8; 16]) -> bool {
        ChatCode::of_chat(id) == self
    }
}

fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        c => c,
    };
    ALPHABET.iter().position(|a| char::from(*a) == c).map(|p| p as u8)
}

impl fmt::Display for ChatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for i in 0..SYMBOLS {
            if i > 0 && i % 4 == 0 {
                f.write_str("-")?;
            }
            let shift = 5 * (SYMBOLS - 1 - i);
            let digit = (self.0 >> shift) & 31;
            write!(f, "{}", char::from(ALPHABET[digit as usize]))?;
        }
        Ok(())
    }
}

impl TryFrom<String> for ChatCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ChatCode::parse(&s)
    }
}

impl From<ChatCode> for String {
    fn from(code: ChatCode) -> String {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A version-4 UUID's bytes: the version nibble and the variant bits set.
    fn uuid4(mut bytes: [u8; 16]) -> [u8; 16] {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        bytes
    }

    #[test]
    fn the_example_reads_and_prints_back() {
        let code = ChatCode::parse("K7QM-4XPA-92TD").unwrap();
        assert_eq!(code.to_string(), "K7QM-4XPA-92TD");
    }

    #[test]
    fn a_code_is_the_last_sixty_bits_of_the_id() {
        let id = uuid4([0xff; 16]);
        let code = ChatCode::of_chat(&id);
        assert_eq!(code.bits(), (1 << 60) - 1);
        assert_eq!(code.to_string(), "ZZZZ-ZZZZ-ZZZZ");
        assert!(code.belongs_to(&id));
        let mut other = id;
        other[15] ^= 1;
        assert!(!code.belongs_to(&other));
        assert_eq!(ChatCode::of_chat(&uuid4([0; 16])).to_string(), "0000-0000-0000");
    }

    #[test]
    fn typing_is_forgiven() {
        let code = ChatCode::parse("K7QM-4XPA-92TD").unwrap();
        for typed in ["k7qm4xpa92td", " K7QM 4XPA 92TD ", "k7qm-4xpa-92td", "K7-QM4X-PA92-TD"] {
            assert_eq!(ChatCode::parse(typed), Ok(code), "{typed:?}");
        }
        let ones = ChatCode::parse("1111-0000-AAAA").unwrap();
        assert_eq!(ChatCode::parse("ilIL-oOoO-aaaa"), Ok(ones), "I and L are 1, O is 0");
    }

    #[test]
    fn bad_codes_are_refused() {
        assert_eq!(ChatCode::parse(""), Err(CodeError::Length(0)));
        assert_eq!(ChatCode::parse("K7QM-4XPA-92T"), Err(CodeError::Length(11)));
        assert_eq!(ChatCode::parse("K7QM-4XPA-92TDD"), Err(CodeError::Length(13)));
        assert_eq!(ChatCode::parse("K7QM-4XPA-92TU"), Err(CodeError::Symbol('U')));
        assert_eq!(ChatCode::parse("K7QM_4XPA_92TD"), Err(CodeError::Symbol('_')));
        assert_eq!(ChatCode::parse("K7QM-4XPA-92TÄ"), Err(CodeError::Symbol('Ä')));
        assert!(ChatCode::parse(&"A".repeat(10_000)).is_err(), "long input is refused");
        assert!(serde_json::from_str::<ChatCode>("\"nope\"").is_err());
    }

    #[test]
    fn serde_uses_the_printed_form() {
        let code = ChatCode::parse("K7QM-4XPA-92TD").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"K7QM-4XPA-92TD\"");
        assert_eq!(serde_json::from_str::<ChatCode>("\"k7qm 4xpa 92td\"").unwrap(), code);
    }

    proptest! {
        #[test]
        fn every_id_round_trips(bytes in any::<[u8; 16]>()) {
            let id = uuid4(bytes);
            let code = ChatCode::of_chat(&id);
            let printed = code.to_string();
            prop_assert_eq!(printed.len(), 14);
            prop_assert_eq!(ChatCode::parse(&printed), Ok(code));
            prop_assert_eq!(ChatCode::parse(&printed.to_lowercase()), Ok(code));
            prop_assert_eq!(ChatCode::from_bits(code.bits()), code);
        }

        #[test]
        fn reading_never_panics(s in "\\PC{0,80}") {
            let _ = ChatCode::parse(&s);
        }
    }
}
