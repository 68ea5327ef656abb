//! Reading validators and other headers out of a response's (name, value) pairs.
//!
//! Decisions:
//! - Header names compare case-insensitively (RFC 9110 §5.1): `schedule-tag` is `Schedule-Tag`.
//! - ETag and Schedule-Tag are single-valued. Several different values (repeated lines, or one
//!   line that a `Headers` object joined with ", ") are ambiguous: none is kept, with a warning.
//! - A malformed value is reported as a warning and not kept; it is never repaired.

use super::entity_tag::{parse_entity_tag, trim_ows, EntityTag};
use super::header_list::split_header_list;
use super::schedule_tag::parse_schedule_tag;
use crate::error::Warning;

/// Every value of a header, in order.
pub(crate) fn header_values<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The one value of a single-valued header; `None` (with a warning) when it has several
/// different values.
pub(crate) fn single_header<'a>(
    headers: &'a [(String, String)],
    name: &str,
    warnings: &mut Vec<Warning>,
) -> Option<&'a str> {
    let values = header_values(headers, name);
    let first = *values.first()?;
    if values.iter().all(|v| trim_ows(v) == trim_ows(first)) {
        return Some(first);
    }
    warnings.push(Warning::new(
        "DUPLICATE_HEADER",
        format!(
            "the response has {} different {name} values; none is used",
            values.len()
        ),
        None,
    ));
    None
}

/// Parses a single-valued header that may arrive as one line a `Headers` object joined from
/// repeated lines (`"a", "a"`): RFC 9110 §5.3 makes that the same as the repeated lines, so the
/// value is read like [`single_header`] reads repeated lines (the one value when all are
/// equal). The value as a whole is tried first, since a tag may contain a comma (`"a,b"`).
fn parse_joined<T>(
    value: &str,
    parse: impl Fn(&str) -> crate::error::Result<T>,
) -> crate::error::Result<T> {
    parse(value).or_else(|e| {
        let elements = split_header_list(value);
        match elements.split_first() {
            Some((first, rest)) if !rest.is_empty() && rest.iter().all(|x| x == first) => {
                parse(first).map_err(|_| e)
            }
            _ => Err(e),
        }
    })
}

/// The response's ETag, weak or strong, if present and well-formed.
pub(crate) fn response_etag(
    headers: &[(String, String)],
    warnings: &mut Vec<Warning>,
) -> Option<EntityTag> {
    let value = single_header(headers, "ETag", warnings)?;
    match parse_joined(value, parse_entity_tag) {
        Ok(tag) => Some(tag),
        Err(e) => {
            warnings.push(Warning::new(
                "MALFORMED_ETAG",
                format!("ignored the ETag header: {}", e.message),
                None,
            ));
            None
        }
    }
}

/// The response's Schedule-Tag, if present and well-formed.
pub(crate) fn response_schedule_tag(
    headers: &[(String, String)],
    warnings: &mut Vec<Warning>,
) -> Option<EntityTag> {
    let value = single_header(headers, "Schedule-Tag", warnings)?;
    match parse_joined(value, parse_schedule_tag) {
        Ok(tag) => Some(tag),
        Err(e) => {
            warnings.push(Warning::new(
                "MALFORMED_SCHEDULE_TAG",
                format!(
                    "ignored the Schedule-Tag header: {}; the next write falls back to If-Match",
                    e.message
                ),
                None,
            ));
            None
        }
    }
}
