//! Entity-tag list headers (`If-Match`, `If-None-Match`): `"*" / #entity-tag` (RFC 9110 §13.1.1,
//! §13.1.2).
//!
//! Decisions:
//! - Elements are split on commas **outside** DQUOTEs only (`"a,b"` is one tag); backslash is not
//!   an escape in RFC 9110 entity tags, so it does not protect a quote.
//! - Empty elements and OWS around elements are tolerated (RFC 9110 §5.6.1.2).
//! - Repeated header lines are one list, as if joined with commas (RFC 9110 §5.2, §5.3).
//! - `*` together with tags (or twice) is a syntax error (RFC 9110 §13.1.1 note), not "any".
//! - A list with no elements at all is returned as an empty `Tags` list; what it means is the
//!   caller's decision.

use super::entity_tag::{parse_entity_tag, shown, trim_ows, EntityTag};
use crate::error::{Error, ErrorCode, Result};

/// A parsed If-Match / If-None-Match value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntityTagList {
    /// `*`: any current representation.
    Any,
    /// A list of entity tags, in order.
    Tags(Vec<EntityTag>),
}

/// Splits one header line into list elements: on commas outside DQUOTEs, each trimmed of OWS,
/// empty elements dropped.
pub fn split_header_list(value: &str) -> Vec<&str> {
    let mut elements = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (at, c) in value.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                elements.push(value.get(start..at).unwrap_or_default());
                start = at + 1;
            }
            _ => {}
        }
    }
    elements.push(value.get(start..).unwrap_or_default());
    elements
        .into_iter()
        .map(trim_ows)
        .filter(|e| !e.is_empty())
        .collect()
}

/// Parses the lines of one If-Match / If-None-Match header (one line, or several repeated lines).
/// Errors with `BAD_ENTITY_TAG` for a malformed member or `*` mixed with tags.
pub fn parse_entity_tag_list<S: AsRef<str>>(lines: &[S]) -> Result<EntityTagList> {
    let elements: Vec<&str> = lines
        .iter()
        .flat_map(|line| split_header_list(line.as_ref()))
        .collect();
    let stars = elements.iter().filter(|e| **e == "*").count();
    if stars > 0 {
        if elements.len() == 1 {
            return Ok(EntityTagList::Any);
        }
        let joined = elements.join(", ");
        return Err(Error::new(
            ErrorCode::BadEntityTag,
            format!(
                "list {} mixes \"*\" with entity tags (or repeats it): \"*\" must stand alone \
                 (RFC 9110 §13.1.1)",
                shown(&joined)
            ),
        ));
    }
    elements
        .into_iter()
        .map(parse_entity_tag)
        .collect::<Result<Vec<_>>>()
        .map(EntityTagList::Tags)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn raws(list: EntityTagList) -> Vec<String> {
        match list {
            EntityTagList::Tags(tags) => tags.into_iter().map(|t| t.raw).collect(),
            EntityTagList::Any => vec!["*".to_string()],
        }
    }

    #[test]
    fn split_keeps_commas_inside_quotes() {
        assert_eq!(
            split_header_list("\"a,b\", W/\"c\""),
            vec!["\"a,b\"", "W/\"c\""]
        );
    }

    #[test]
    fn a_single_star_is_any() -> TestResult {
        assert_eq!(parse_entity_tag_list(&[" * "])?, EntityTagList::Any);
        Ok(())
    }

    #[test]
    fn star_twice_is_rejected() {
        assert!(parse_entity_tag_list(&["*, *"]).is_err());
    }

    #[test]
    fn star_on_a_repeated_line_is_rejected() -> TestResult {
        let e = parse_entity_tag_list(&["\"a\"", "*"])
            .err()
            .ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::BadEntityTag);
        Ok(())
    }

    #[test]
    fn only_empty_elements_is_an_empty_list() -> TestResult {
        assert_eq!(
            parse_entity_tag_list(&[" , ,"])?,
            EntityTagList::Tags(vec![])
        );
        Ok(())
    }

    #[test]
    fn a_malformed_member_fails_the_whole_list() -> TestResult {
        let e = parse_entity_tag_list(&["\"a\", b"])
            .err()
            .ok_or("expected an error")?;
        assert!(e.message.contains("unquoted"), "{}", e.message);
        Ok(())
    }

    #[test]
    fn weak_members_are_kept_verbatim() -> TestResult {
        assert_eq!(
            raws(parse_entity_tag_list(&["W/\"1\",\"2\""])?),
            vec!["W/\"1\"", "\"2\""]
        );
        Ok(())
    }
}
