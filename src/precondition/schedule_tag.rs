//! Schedule-Tag values (RFC 6638 §8.2, §8.3): exactly one `opaque-tag`, never weak, never a list.
//!
//! Decisions:
//! - RFC 6638 defines `opaque-tag` by reference to RFC 2616 §3.11, where it is a `quoted-string`:
//!   spaces and backslash quoted-pairs are legal inside it. We accept that grammar (a stricter
//!   RFC 9110 `etagc` check would refuse tags a conforming server may send) and never unescape:
//!   the tag is kept and echoed byte for byte (PROTOCOL.md §1.3, §12 item 9). A value valid under
//!   either grammar is accepted: RFC 9110's (where `"abc\"` is a complete tag ending in a
//!   backslash) or RFC 2616's (where `"a b\"c"` is one tag with an escaped quote).
//! - `W/`, `*` and lists are refused with `BAD_ENTITY_TAG`: If-Schedule-Tag-Match carries exactly
//!   one tag and weakness is not part of its grammar (RFC 6638 §8.3; VECTORS T18, T19).

use super::entity_tag::{
    describe_bad_char, has_xml_escaped_quote, parse_entity_tag, shown, trim_ows, EntityTag,
};
use crate::error::{Error, ErrorCode, Result};

fn bad(message: String) -> Error {
    Error::new(ErrorCode::BadEntityTag, message)
}

/// True for a character allowed unescaped inside an RFC 2616 quoted-string (`qdtext`).
fn is_qdtext(c: char) -> bool {
    matches!(c as u32, 0x09 | 0x20 | 0x21 | 0x23..=0x7E | 0x80..=0xFF)
}

/// True for a character that may follow a backslash in a quoted-pair. RFC 9110 §5.6.4
/// (`HTAB / SP / VCHAR / obs-text`) rather than RFC 2616's `CHAR`: it refuses control characters
/// (never safe in a header) and accepts obs-text, so every RFC 9110 strong ETag, where a
/// backslash is an ordinary character, is also accepted as a Schedule-Tag.
fn is_pair_char(c: char) -> bool {
    matches!(c as u32, 0x09 | 0x20..=0x7E | 0x80..=0xFF)
}

/// Parses one Schedule-Tag value (response header, DAV property text, or the tag to send in
/// If-Schedule-Tag-Match). `weak` is always false. Errors with `BAD_ENTITY_TAG`.
pub fn parse_schedule_tag(value: &str) -> Result<EntityTag> {
    let raw = trim_ows(value);
    if raw.is_empty() {
        return Err(bad(
            "empty Schedule-Tag: it is one quoted string such as \"12345-67890\" (RFC 6638 §8.2)"
                .to_string(),
        ));
    }
    if raw == "*" {
        return Err(bad(
            "\"*\" is not allowed: If-Schedule-Tag-Match takes exactly one tag (RFC 6638 §8.3)"
                .to_string(),
        ));
    }
    if has_xml_escaped_quote(raw) {
        return Err(bad(format!(
            "Schedule-Tag {} contains XML-escaped quotes (&quot;): decode the CALDAV:schedule-tag \
             text as XML first; the value is not repaired",
            shown(raw)
        )));
    }
    if raw.starts_with("W/") || raw.starts_with("w/") {
        return Err(bad(format!(
            "weak Schedule-Tag {}: a Schedule-Tag is never weak and must not be sent with W/ \
             (RFC 6638 §8.2, §8.3)",
            shown(raw)
        )));
    }
    // An RFC 9110 opaque-tag first: there a backslash is an ordinary character, so `"abc\"` is
    // a complete tag that the quoted-string reading below would call unterminated.
    if let Ok(tag) = parse_entity_tag(raw) {
        return Ok(tag);
    }
    let Some(inner) = raw.strip_prefix('"') else {
        return Err(bad(format!(
            "unquoted Schedule-Tag {}: RFC 6638 §8.2 requires a quoted string; the server sent a \
             malformed value and it is not repaired",
            shown(raw)
        )));
    };
    let mut chars = inner.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) if is_pair_char(escaped) => {}
                Some((_, escaped)) => {
                    return Err(bad(format!(
                        "Schedule-Tag {} contains {}",
                        shown(raw),
                        describe_bad_char(escaped)
                    )))
                }
                None => break,
            },
            '"' => {
                let rest = inner.get(at + 1..).unwrap_or_default();
                if !rest.is_empty() {
                    return Err(bad(format!(
                        "Schedule-Tag {} has text after its closing quote: exactly one tag is \
                         allowed, never a list (RFC 6638 §8.3)",
                        shown(raw)
                    )));
                }
                let opaque = inner.get(..at).unwrap_or_default();
                return Ok(EntityTag {
                    raw: raw.to_string(),
                    opaque: opaque.to_string(),
                    weak: false,
                });
            }
            c if is_qdtext(c) => {}
            c => {
                return Err(bad(format!(
                    "Schedule-Tag {} contains {}",
                    shown(raw),
                    describe_bad_char(c)
                )))
            }
        }
    }
    Err(bad(format!(
        "Schedule-Tag {} has no closing DQUOTE",
        shown(raw)
    )))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn rfc_example_tag_is_kept_verbatim() -> TestResult {
        let t = parse_schedule_tag("\"e78f23ed-0188-4bab-938d-2aeb3324c7e8\"")?;
        assert_eq!(t.raw, "\"e78f23ed-0188-4bab-938d-2aeb3324c7e8\"");
        assert_eq!(t.opaque, "e78f23ed-0188-4bab-938d-2aeb3324c7e8");
        assert!(!t.weak);
        Ok(())
    }

    #[test]
    fn quoted_string_spaces_and_pairs_are_accepted_and_not_unescaped() -> TestResult {
        let t = parse_schedule_tag("\"a b\\\"c\"")?;
        assert_eq!(t.raw, "\"a b\\\"c\"");
        assert_eq!(t.opaque, "a b\\\"c");
        Ok(())
    }

    #[test]
    fn a_trailing_backslash_is_an_rfc9110_tag() -> TestResult {
        let t = parse_schedule_tag("\"abc\\\"")?;
        assert_eq!(t.raw, "\"abc\\\"");
        assert_eq!(t.opaque, "abc\\");
        Ok(())
    }

    #[test]
    fn backslash_before_obs_text_is_accepted() -> TestResult {
        let t = parse_schedule_tag("\"\\\u{F8}\"")?;
        assert_eq!(t.opaque, "\\\u{F8}");
        Ok(())
    }

    #[test]
    fn refusals_name_the_problem() -> TestResult {
        let cases = [
            ("", "empty"),
            ("*", "exactly one tag"),
            ("W/\"x\"", "weak"),
            ("w/\"x\"", "weak"),
            ("abc", "unquoted"),
            ("&quot;abc&quot;", "&quot;"),
            ("\"a\", \"b\"", "never a list"),
            ("\"abc", "closing"),
            ("\"abc\\", "closing"),
            ("\"a\u{0}b\"", "U+0000"),
            ("\"a\\\u{1}b\"", "U+0001"),
            ("\"a\\\u{100}b\"", "U+0100"),
            ("\"a\u{100}\"", "U+0100"),
        ];
        for (value, needle) in cases {
            let e = parse_schedule_tag(value).err().ok_or("expected an error")?;
            assert_eq!(e.code, ErrorCode::BadEntityTag);
            assert!(e.message.contains(needle), "{value:?}: {}", e.message);
        }
        Ok(())
    }
}
