//! Reading validators and other headers out of a response's (name, value) pairs.
//!
//! Decisions:
//! - Header names compare case-insensitively (RFC 9110 §5.1): `schedule-tag` is `Schedule-Tag`.
//! - ETag, Schedule-Tag and Retry-After are single-valued. Several different values (repeated
//!   lines, or one line that a `Headers` object joined with ", ") are ambiguous: none is kept,
//!   with a warning. Identical repeated values are one value (RFC 9110 §5.3), also when joined:
//!   `30, 30` is 30, and a value with commas of its own (an HTTP-date) is recognised repeated.
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

/// The one value a `Headers` object joined from identical repeated lines: the list elements of
/// `value` are a unit of one or more elements (more for a value with commas of its own, such as
/// the HTTP-date `Wed, 25 Nov 2026 19:00:00 GMT`) repeated, and the unit is returned.
fn repeated_unit(value: &str) -> Option<String> {
    let elements = split_header_list(value);
    let count = elements.len();
    (1..count)
        .filter(|size| count % size == 0)
        .find_map(|size| {
            let unit = elements.get(..size)?;
            elements
                .chunks(size)
                .all(|chunk| chunk == unit)
                .then(|| unit.join(", "))
        })
}

/// Parses a single-valued header that may arrive as one line a `Headers` object joined from
/// repeated lines (`"a", "a"`): RFC 9110 §5.3 makes that the same as the repeated lines, so the
/// value is read like [`single_header`] reads repeated lines (the one value when all are
/// equal). The value as a whole is tried first, since a tag may contain a comma (`"a,b"`).
pub(crate) fn parse_joined<T, E>(
    value: &str,
    parse: impl Fn(&str) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    parse(value).or_else(|e| match repeated_unit(value) {
        Some(unit) => parse(&unit).map_err(|_| e),
        None => Err(e),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_joined_repetition_is_its_unit() {
        assert_eq!(repeated_unit("30, 30"), Some("30".to_string()));
        assert_eq!(
            repeated_unit("\"a\",\"a\", \"a\""),
            Some("\"a\"".to_string())
        );
        let date = "Wed, 25 Nov 2026 19:02:30 GMT";
        assert_eq!(
            repeated_unit(&format!("{date}, {date}")),
            Some(date.to_string())
        );
        for different in [
            "30, 60",
            "30",
            "",
            "Wed, 25 Nov 2026 19:02:30 GMT",
            "1, 1, 2",
        ] {
            assert_eq!(repeated_unit(different), None, "{different:?}");
        }
    }
}
