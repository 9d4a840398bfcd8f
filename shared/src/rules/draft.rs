//! A rule as a client sends it (the Sync API, the admin's form, the admin's editor
//! as it is typed), checked in one place: the condition parses, the outcome is 1–100
//! distinct tags, the description at most 500 characters. And a user's tag list:
//! 0–100 distinct tags.

use super::{parse, Condition, ParseError, Rule, Tag, TagError};
use crate::validation::{Field, FieldProblem, Invalid, Problems};

/// The most tags a user may have.
pub const MAX_USER_TAGS: usize = 100;
/// The most outcome tags a rule may have.
pub const MAX_OUTCOME_TAGS: usize = 100;
/// The longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// A rule as a client sends it, already checked (`RuleDraft::check`).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDraft {
    pub condition_text: String,
    pub condition: Condition,
    pub outcome: Vec<Tag>,
    pub description: Option<String>,
}

/// What is wrong with a submitted rule, and where.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftError {
    Condition(ParseError),
    /// An outcome tag is not a tag; `index` is its place in the list.
    OutcomeTag {
        index: usize,
        error: TagError,
    },
    OutcomeEmpty,
    OutcomeTooLong,
    OutcomeDuplicate {
        tag: String,
    },
    DescriptionTooLong,
}

impl std::fmt::Display for DraftError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DraftError::Condition(e) => write!(f, "{e}"),
            DraftError::OutcomeTag { index, error } => write!(f, "outcome[{index}]: {error}"),
            DraftError::OutcomeEmpty => f.write_str("the outcome needs at least one tag"),
            DraftError::OutcomeTooLong => {
                write!(f, "the outcome has more than {MAX_OUTCOME_TAGS} tags")
            }
            DraftError::OutcomeDuplicate { tag } => {
                write!(f, "the outcome names the tag {tag:?} twice")
            }
            DraftError::DescriptionTooLong => {
                write!(f, "the description is longer than {MAX_DESCRIPTION_CHARS} characters")
            }
        }
    }
}

impl DraftError {
    /// The form field at fault and why, for a form that shows each problem beside its
    /// field (the Sync API answers with the error itself).
    pub fn field_problem(&self) -> FieldProblem {
        let (field, problem) = match self {
            DraftError::Condition(_) => (Field::Condition, Invalid::ConditionSyntax),
            DraftError::OutcomeTag { .. } => (Field::Outcome, Invalid::TagFormat),
            DraftError::OutcomeEmpty => (Field::Outcome, Invalid::Empty),
            DraftError::OutcomeTooLong => {
                (Field::Outcome, Invalid::TooMany { max: MAX_OUTCOME_TAGS })
            }
            DraftError::OutcomeDuplicate { .. } => (Field::Outcome, Invalid::Duplicate),
            DraftError::DescriptionTooLong => {
                (Field::Description, Invalid::TooLong { max: MAX_DESCRIPTION_CHARS })
            }
        };
        FieldProblem { field, problem }
    }
}

impl RuleDraft {
    /// Checks a rule as the admin's form sends it, reporting every field's problem at
    /// once (condition, outcome, description), where [`check`](Self::check) stops at
    /// the first. An empty condition is `Empty`, not a syntax error.
    pub fn check_form(
        condition: &str,
        outcome: &[String],
        description: Option<&str>,
    ) -> Result<RuleDraft, Problems> {
        let mut problems = Problems::default();
        if condition.trim().is_empty() {
            // Recorded first, so the syntax error below does not replace it.
            problems.add(Field::Condition, Invalid::Empty);
        }
        let mut record = |e: DraftError| {
            let p = e.field_problem();
            problems.add(p.field, p.problem);
        };
        let parsed = parse(condition).map_err(|e| record(DraftError::Condition(e))).ok();
        let tags = Self::check_outcome(outcome).map_err(&mut record).ok();
        if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
            record(DraftError::DescriptionTooLong);
        }
        problems.result(parsed.zip(tags)).map(|(condition_parsed, outcome)| RuleDraft {
            condition_text: condition.to_owned(),
            condition: condition_parsed,
            outcome,
            description: description.map(str::to_owned),
        })
    }

    /// Checks a rule as sent: the condition parses, the outcome is 1–100 distinct
    /// valid tags, the description is at most 500 characters.
    pub fn check(
        condition: &str,
        outcome: &[String],
        description: Option<&str>,
    ) -> Result<RuleDraft, DraftError> {
        let parsed = parse(condition).map_err(DraftError::Condition)?;
        let tags = Self::check_outcome(outcome)?;
        if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
            return Err(DraftError::DescriptionTooLong);
        }
        Ok(RuleDraft {
            condition_text: condition.to_owned(),
            condition: parsed,
            outcome: tags,
            description: description.map(str::to_owned),
        })
    }
}

impl RuleDraft {
    /// Checks an outcome alone: 1–100 valid tags, none twice.
    pub fn check_outcome(outcome: &[String]) -> Result<Vec<Tag>, DraftError> {
        if outcome.is_empty() {
            return Err(DraftError::OutcomeEmpty);
        }
        if outcome.len() > MAX_OUTCOME_TAGS {
            return Err(DraftError::OutcomeTooLong);
        }
        let mut tags = Vec::with_capacity(outcome.len());
        for (index, t) in outcome.iter().enumerate() {
            let tag = Tag::parse(t).map_err(|error| DraftError::OutcomeTag { index, error })?;
            if tags.contains(&tag) {
                return Err(DraftError::OutcomeDuplicate { tag: t.clone() });
            }
            tags.push(tag);
        }
        Ok(tags)
    }

    /// The rule this draft would be under the id `id` (previews use made-up ids).
    pub fn into_rule(self, id: String) -> Rule {
        Rule { id, condition: self.condition, outcome: self.outcome }
    }
}

/// Tags as typed into one field: separated by commas or white space.
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What is wrong with a user's tag list, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagListError {
    #[error("a user has at most {MAX_USER_TAGS} tags")]
    TooMany,
    #[error("{error}")]
    Invalid { index: usize, error: TagError },
    #[error("the tag {tag:?} is given twice")]
    Duplicate { index: usize, tag: String },
}

impl TagListError {
    /// What is wrong, for the form field that holds the list.
    pub fn problem(&self) -> Invalid {
        match self {
            TagListError::TooMany => Invalid::TooMany { max: MAX_USER_TAGS },
            TagListError::Invalid { .. } => Invalid::TagFormat,
            TagListError::Duplicate { .. } => Invalid::Duplicate,
        }
    }

    /// The place in the list at fault, if one is.
    pub fn index(&self) -> Option<usize> {
        match self {
            TagListError::TooMany => None,
            TagListError::Invalid { index, .. } | TagListError::Duplicate { index, .. } => {
                Some(*index)
            }
        }
    }
}

/// A user's tags as sent: 0–100 valid tags, none twice.
pub fn tag_list(list: &[String]) -> Result<Vec<Tag>, TagListError> {
    if list.len() > MAX_USER_TAGS {
        return Err(TagListError::TooMany);
    }
    let mut out: Vec<Tag> = Vec::with_capacity(list.len());
    for (index, t) in list.iter().enumerate() {
        let tag = Tag::parse(t).map_err(|error| TagListError::Invalid { index, error })?;
        if out.contains(&tag) {
            return Err(TagListError::Duplicate { index, tag: t.clone() });
        }
        out.push(tag);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn drafts_are_checked_whole() {
        let d = RuleDraft::check("hasTag(A)", &strings(&["B", "C"]), Some("d")).unwrap();
        assert_eq!(d.outcome.len(), 2);
        assert!(matches!(
            RuleDraft::check("hasTag(", &strings(&["B"]), None),
            Err(DraftError::Condition(_))
        ));
        assert_eq!(RuleDraft::check("hasTag(A)", &[], None), Err(DraftError::OutcomeEmpty));
        assert!(matches!(
            RuleDraft::check("hasTag(A)", &strings(&["B", "x y"]), None),
            Err(DraftError::OutcomeTag { index: 1, .. })
        ));
        assert!(matches!(
            RuleDraft::check("hasTag(A)", &strings(&["B", "B"]), None),
            Err(DraftError::OutcomeDuplicate { .. })
        ));
        let long = "d".repeat(MAX_DESCRIPTION_CHARS + 1);
        assert_eq!(
            RuleDraft::check("hasTag(A)", &strings(&["B"]), Some(&long)),
            Err(DraftError::DescriptionTooLong)
        );
    }

    #[test]
    fn the_form_gets_every_problem_at_once() {
        let long = "d".repeat(MAX_DESCRIPTION_CHARS + 1);
        let all = RuleDraft::check_form("all(hasTag(A)", &strings(&["B", "x;y"]), Some(&long))
            .unwrap_err();
        assert_eq!(all.fields(), [Field::Condition, Field::Outcome, Field::Description]);
        assert_eq!(all.get(Field::Condition), Some(Invalid::ConditionSyntax));
        assert_eq!(all.get(Field::Outcome), Some(Invalid::TagFormat));
        let empty = RuleDraft::check_form("  ", &[], None).unwrap_err();
        assert_eq!(empty.get(Field::Condition), Some(Invalid::Empty));
        assert_eq!(empty.get(Field::Outcome), Some(Invalid::Empty));
        let twice = RuleDraft::check_form("hasTag(A)", &strings(&["B", "B"]), None).unwrap_err();
        assert_eq!(twice.fields(), [Field::Outcome]);
        assert_eq!(twice.get(Field::Outcome), Some(Invalid::Duplicate));
        // What passes the form passes the API's check, and is the same draft.
        let form = RuleDraft::check_form("hasTag(A)", &strings(&["B"]), Some("d")).unwrap();
        assert_eq!(Ok(form), RuleDraft::check("hasTag(A)", &strings(&["B"]), Some("d")));
    }

    #[test]
    fn tag_lists_and_typed_tags() {
        assert_eq!(split_tags(" Sued, West  Nord,"), ["Sued", "West", "Nord"]);
        assert_eq!(tag_list(&strings(&["A", "B"])).unwrap().len(), 2);
        assert_eq!(tag_list(&strings(&["A", "Mün"])).unwrap_err().index(), Some(1));
        assert!(matches!(
            tag_list(&strings(&["A", "A"])),
            Err(TagListError::Duplicate { index: 1, .. })
        ));
        let many: Vec<String> = (0..=MAX_USER_TAGS).map(|i| format!("t{i}")).collect();
        assert_eq!(tag_list(&many), Err(TagListError::TooMany));
        assert_eq!(tag_list(&many).unwrap_err().problem(), Invalid::TooMany { max: MAX_USER_TAGS });
        assert_eq!(tag_list(&strings(&["Mün"])).unwrap_err().problem(), Invalid::TagFormat);
    }
}
