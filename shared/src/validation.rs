//! Why a value was rejected, as data: the server sends these, the UI translates them.

use serde::{Deserialize, Serialize};

/// The form field a validation problem belongs to, so the UI can show the message
/// next to that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    Email,
    DisplayName,
    Password,
    CurrentPassword,
    NewPassword,
    Location,
    Bio,
    Language,
    Confirmation,
    Title,
    Description,
    Price,
    Category,
    PostalCode,
    City,
    Status,
    Images,
    Query,
    MinPrice,
    MaxPrice,
    Place,
    /// A chat message's text.
    Message,
    /// The person to add to a conversation.
    Participant,
    /// A help-bot chat code typed in to delete its transcript.
    ChatCode,
}

impl Field {
    /// The HTML `name`/`id` the forms use for this field.
    pub fn name(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::DisplayName => "display_name",
            Field::Password => "password",
            Field::CurrentPassword => "current_password",
            Field::NewPassword => "new_password",
            Field::Location => "location",
            Field::Bio => "bio",
            Field::Language => "language",
            Field::Confirmation => "confirm",
            Field::Title => "title",
            Field::Description => "description",
            Field::Price => "price",
            Field::Category => "category",
            Field::PostalCode => "postal_code",
            Field::City => "city",
            Field::Status => "status",
            Field::Images => "images",
            Field::Query => "q",
            Field::MinPrice => "min",
            Field::MaxPrice => "max",
            Field::Place => "place",
            Field::Message => "text",
            Field::Participant => "participant",
            Field::ChatCode => "code",
        }
    }
}

/// A reason a value is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Invalid {
    #[error("must not be empty")]
    Empty,
    #[error("must have at least {min} characters")]
    TooShort { min: usize },
    #[error("must have at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control characters")]
    ControlCharacters,
    #[error("is not a valid e-mail address")]
    EmailFormat,
    #[error("is too easy to guess")]
    PasswordTooCommon,
    #[error("must not be the same as the e-mail address")]
    PasswordIsEmail,
    #[error("is not a supported language")]
    UnknownLanguage,
    #[error("must be confirmed")]
    NotConfirmed,
    #[error("is not a valid price")]
    PriceFormat,
    #[error("is too high a price")]
    PriceTooHigh,
    #[error("is zero: that is \"free\"")]
    PriceZero,
    #[error("is not a valid postal code (five digits)")]
    PostalCodeFormat,
    #[error("is no German postal code (none starts with 00)")]
    PostalCodeUnknown,
    #[error("is not a known category")]
    UnknownCategory,
    #[error("must be a subcategory")]
    CategoryNotSpecific,
    #[error("cannot change to that status now")]
    StatusChange,
    #[error("is not a JPEG, PNG or WebP image")]
    ImageFormat,
    #[error("is larger than {max_mb} MB")]
    ImageTooLarge { max_mb: usize },
    #[error("has too many pixels")]
    ImageDimensions,
    #[error("has more than {max} images")]
    TooManyImages { max: usize },
    #[error("is below the lowest price")]
    PriceRange,
    /// A chat message id already used for another conversation.
    #[error("is already used")]
    Duplicate,
    #[error("has more than {max} entries")]
    TooMany { max: usize },
    /// No member has this name or profile link.
    #[error("names no member")]
    NoSuchPerson,
    /// Several members have this name: a profile link tells them apart.
    #[error("names several members")]
    AmbiguousName,
    /// Not the shape of a help-bot chat code (12 letters and digits of its alphabet).
    #[error("is not a chat code (12 letters and digits)")]
    ChatCodeFormat,
}

/// A one-line text as every single-line field takes it: no control characters, runs of
/// whitespace collapsed to one space, `min..=max` characters (nothing at all is `Empty`).
pub(crate) fn single_line(input: &str, min: usize, max: usize) -> Result<String, Invalid> {
    if has_control_chars(input, false) {
        return Err(Invalid::ControlCharacters);
    }
    let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
    match char_len(&s) {
        0 => Err(Invalid::Empty),
        n if n < min => Err(Invalid::TooShort { min }),
        n if n > max => Err(Invalid::TooLong { max }),
        _ => Ok(s),
    }
}

/// A multi-line text: line breaks and tabs allowed (CRLF becomes LF), other control
/// characters not, trimmed, at most `max` characters; may be empty.
pub(crate) fn multi_line(input: &str, max: usize) -> Result<String, Invalid> {
    if has_control_chars(input, true) {
        return Err(Invalid::ControlCharacters);
    }
    let s = input.replace("\r\n", "\n");
    let s = s.trim();
    if char_len(s) > max {
        return Err(Invalid::TooLong { max });
    }
    Ok(s.to_owned())
}

/// Counts characters (Unicode scalar values), the unit users see for length limits.
pub(crate) fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Control characters other than the ordinary line breaks and tabs of multi-line text.
pub(crate) fn has_control_chars(s: &str, allow_newlines: bool) -> bool {
    s.chars().any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
}
