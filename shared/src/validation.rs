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
    /// The time zone a person reads times in (profile).
    TimeZone,
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
    /// Whom a listing was sold to.
    Buyer,
    /// A help-bot chat code typed in to delete its transcript.
    ChatCode,
    /// A contact rule's condition (`any(hasTag(Berlin), hasTag(Munich))`).
    Condition,
    /// A contact rule's outcome: the tags it lets people reach.
    Outcome,
    /// A person's tags, as the admin types them.
    Tags,
    /// "Why can't A contact B": A's e-mail address.
    From,
    /// "Why can't A contact B": B's e-mail address.
    To,
    /// An API client's name.
    ClientName,
    /// An API client's scopes (checkboxes).
    Scopes,
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
            Field::TimeZone => "time_zone",
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
            Field::Buyer => "buyer",
            Field::ChatCode => "code",
            Field::Condition => "condition",
            Field::Outcome => "outcome",
            Field::Tags => "tags",
            Field::From => "from",
            Field::To => "to",
            Field::ClientName => "name",
            Field::Scopes => "scopes",
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
    #[error("is too easy to guess ({0:?})")]
    PasswordWeak(crate::password_strength::Weakness),
    #[error("must not be the same as the e-mail address")]
    PasswordIsEmail,
    #[error("is not a supported language")]
    UnknownLanguage,
    #[error("is not a known time zone")]
    UnknownTimeZone,
    #[error("did not write about this listing")]
    NotABuyer,
    #[error("must be confirmed")]
    NotConfirmed,
    #[error("is not a valid price")]
    PriceFormat,
    #[error("is too high a price")]
    PriceTooHigh,
    #[error("is zero: that is \"free\"")]
    PriceZero,
    /// An amount typed while "free" was chosen.
    #[error("has an amount, but \"free\" was chosen")]
    PriceWithFree,
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
    /// People are added to direct conversations only: one about a listing stays
    /// between buyer and seller.
    #[error("is a conversation about a listing, which stays between buyer and seller")]
    ListingConversation,
    /// Several members have this name: a profile link tells them apart.
    #[error("names several members")]
    AmbiguousName,
    /// Not the shape of a help-bot chat code (12 letters and digits of its alphabet).
    #[error("is not a chat code (12 letters and digits)")]
    ChatCodeFormat,
    /// A rule condition that does not parse; where and why, the parser says again
    /// wherever the text is shown.
    #[error("is not a valid condition")]
    ConditionSyntax,
    /// A tag with a character other than A-Z, a-z, 0-9, - and _, or too long.
    #[error("has a tag that is not one (A-Z, a-z, 0-9, - and _, at most 50 characters)")]
    TagFormat,
    /// The same as it is now (a new e-mail address that is the current one).
    #[error("is the same as now")]
    Unchanged,
}

/// One field's problem: where to show it, and what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: Field,
    pub problem: Invalid,
}

/// Every problem a submitted form has, at most one per field, in the order the form
/// asks for them: a person sees them all at once and fixes them in one round.
///
/// Collect with [`Problems::check`], which hands back the value when it was fine, then
/// finish with [`Problems::result`]:
///
/// ```
/// use marktchat_shared::{Field, Problems};
/// use marktchat_shared::listing::{City, ListingTitle};
/// let mut problems = Problems::default();
/// let title = problems.check(Field::Title, ListingTitle::parse("Ab"));
/// let city = problems.check(Field::City, City::parse(""));
/// let both = problems.result(title.zip(city));
/// assert_eq!(both.unwrap_err().fields(), vec![Field::Title, Field::City]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    /// A single problem.
    pub fn one(field: Field, problem: Invalid) -> Self {
        Problems(vec![FieldProblem { field, problem }])
    }

    /// Records `field`'s problem, unless the field already has one (the first found
    /// is the one to fix first).
    pub fn add(&mut self, field: Field, problem: Invalid) {
        if self.get(field).is_none() {
            self.0.push(FieldProblem { field, problem });
        }
    }

    /// The value if `result` is fine; otherwise records its problem for `field`.
    pub fn check<T>(&mut self, field: Field, result: Result<T, Invalid>) -> Option<T> {
        result.map_err(|problem| self.add(field, problem)).ok()
    }

    /// Adds every problem of `other` (for fields that have none yet).
    pub fn extend(&mut self, other: Problems) {
        for p in other.0 {
            self.add(p.field, p.problem);
        }
    }

    /// `value` when nothing was wrong, else every problem. `value` is `None` exactly
    /// when a [`check`](Self::check) failed, i.e. when there are problems.
    pub fn result<T>(self, value: Option<T>) -> Result<T, Problems> {
        match value {
            Some(v) if self.is_empty() => Ok(v),
            _ => Err(self),
        }
    }

    /// `field`'s problem, if it has one.
    pub fn get(&self, field: Field) -> Option<Invalid> {
        self.0.iter().find(|p| p.field == field).map(|p| p.problem)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldProblem> {
        self.0.iter()
    }

    /// The first problem (`Empty` if there is none): for a caller that asked about one
    /// field only.
    pub fn first_problem(&self) -> Invalid {
        self.0.first().map_or(Invalid::Empty, |p| p.problem)
    }

    /// The fields with a problem, in order.
    pub fn fields(&self) -> Vec<Field> {
        self.0.iter().map(|p| p.field).collect()
    }
}

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", p.field.name(), p.problem)?;
        }
        Ok(())
    }
}

/// A name or label of 1 to `max` characters on one line (see [`single_line`]), for
/// values that have no type of their own, such as an API client's name.
pub fn one_line(input: &str, max: usize) -> Result<String, Invalid> {
    single_line(input, 1, max)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_keep_the_first_per_field_in_order() {
        let mut p = Problems::default();
        assert_eq!(p.check(Field::Title, Ok::<_, Invalid>(1)), Some(1));
        assert!(p.is_empty());
        assert_eq!(p.check::<()>(Field::Price, Err(Invalid::PriceFormat)), None);
        p.add(Field::City, Invalid::Empty);
        p.add(Field::Price, Invalid::Empty);
        assert_eq!(p.fields(), vec![Field::Price, Field::City]);
        assert_eq!(p.get(Field::Price), Some(Invalid::PriceFormat));
        assert_eq!(p.get(Field::Title), None);
        assert_eq!(p.to_string(), "price: is not a valid price; city: must not be empty");
        assert_eq!(p.clone().result(Some(())), Err(p));
        assert_eq!(Problems::default().result(Some(5)), Ok(5));
    }

    #[test]
    fn problems_travel_as_a_list_of_field_and_problem() {
        let mut p = Problems::one(Field::Title, Invalid::TooShort { min: 3 });
        p.extend(Problems::one(Field::City, Invalid::Empty));
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"[{"field":"Title","problem":{"TooShort":{"min":3}}},{"field":"City","problem":"Empty"}]"#
        );
        assert_eq!(serde_json::from_str::<Problems>(&json).unwrap(), p);
    }
}
