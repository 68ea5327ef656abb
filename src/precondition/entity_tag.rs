//! Entity tags (RFC 9110 §8.8.3): parse one tag, keep it verbatim, compare strong or weak.
//!
//! Grammar: `entity-tag = [ weak ] opaque-tag`, `weak = %s"W/"` (case-sensitive),
//! `opaque-tag = DQUOTE *etagc DQUOTE`, `etagc = %x21 / %x23-7E / obs-text`.
//! Strings here hold header bytes as Latin-1 code points (what a browser exposes for a
//! ByteString), so obs-text is U+0080..=U+00FF and anything above U+00FF cannot be a header byte.
//!
//! Decisions:
//! - Surrounding OWS (SP / HTAB) is not part of a field value (RFC 9110 §5.5) and is trimmed;
//!   `raw` is everything else, byte for byte, so it can be echoed to a server that compares raw
//!   strings (PROTOCOL.md §1.3).
//! - Comma and backslash are ordinary `etagc` characters: `"a,b"` and `"a\b"` are single tags and
//!   backslash is never unescaped (RFC 9110 §8.8.3 note).
//! - Values that broken servers send are refused with `BAD_ENTITY_TAG` and a message saying what is
//!   wrong (unquoted, `&quot;` left over from XML, lower-case `w/`); they are never "repaired",
//!   because a repaired tag would not be what the server compares against.

use crate::error::{Error, ErrorCode, Result};

/// One parsed entity tag: the verbatim header form, the characters between the quotes, and weakness.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct EntityTag {
    /// The tag exactly as received (without surrounding whitespace), including `W/` and the quotes.
    pub raw: String,
    /// The characters between the quotes (the `opaque-tag` without its DQUOTEs).
    pub opaque: String,
    /// True for a weak validator (`W/"..."`).
    pub weak: bool,
}

impl EntityTag {
    /// Strong comparison (RFC 9110 §8.8.3.2): both strong and the opaque tags are identical.
    pub fn strong_eq(&self, other: &EntityTag) -> bool {
        !self.weak && !other.weak && self.opaque == other.opaque
    }

    /// Weak comparison (RFC 9110 §8.8.3.2): the opaque tags are identical, weakness ignored.
    pub fn weak_eq(&self, other: &EntityTag) -> bool {
        self.opaque == other.opaque
    }
}

/// Trims optional whitespace (SP / HTAB, RFC 9110 §5.6.3) from both ends.
pub(crate) fn trim_ows(value: &str) -> &str {
    value.trim_matches(|c| c == ' ' || c == '\t')
}

/// A value for an error message: quoted with Rust escapes (so control characters show as `\r`,
/// `\n`, ...) and cut after 80 characters.
pub(crate) fn shown(value: &str) -> String {
    let mut cut: String = value.chars().take(80).collect();
    if cut.len() < value.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

/// True for a character allowed between the quotes of an entity tag (`etagc`).
fn is_etagc(c: char) -> bool {
    matches!(c as u32, 0x21 | 0x23..=0x7E | 0x80..=0xFF)
}

/// Why a character cannot be inside an entity tag, for the error message.
pub(crate) fn describe_bad_char(c: char) -> String {
    let code = c as u32;
    match c {
        '"' => "a DQUOTE inside the tag (is this a list of tags? lists are parsed with \
                parse_entity_tag_list)"
            .to_string(),
        ' ' | '\t' => "whitespace inside the quotes (not allowed in an entity tag)".to_string(),
        _ if code < 0x20 || code == 0x7F => format!("the control character U+{code:04X}"),
        _ if code <= 0xFF => format!("the character U+{code:04X} where it is not allowed"),
        _ => format!("the character U+{code:04X}, which is not a single header byte (0x21-0xFF)"),
    }
}

/// True when the value carries XML escapes of a quote: a DAV:getetag text that was not decoded.
pub(crate) fn has_xml_escaped_quote(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.contains("&quot;") || lower.contains("&#34;") || lower.contains("&#x22;")
}

fn bad(message: String) -> Error {
    Error::new(ErrorCode::BadEntityTag, message)
}

/// Parses one entity tag (`ETag` header value, a member of an If-Match list, a decoded
/// DAV:getetag). Errors with `BAD_ENTITY_TAG` naming the problem.
pub fn parse_entity_tag(value: &str) -> Result<EntityTag> {
    let raw = trim_ows(value);
    if raw.is_empty() {
        return Err(bad(
            "empty value: an entity tag is a quoted string such as \"abc\" or W/\"abc\" (RFC 9110 §8.8.3)"
                .to_string(),
        ));
    }
    if raw == "*" {
        return Err(bad(
            "\"*\" is not an entity tag: it only stands alone as a whole If-Match / If-None-Match value"
                .to_string(),
        ));
    }
    if has_xml_escaped_quote(raw) {
        return Err(bad(format!(
            "entity tag {} contains XML-escaped quotes (&quot;): decode the DAV:getetag text as XML \
             first; the value is not repaired",
            shown(raw)
        )));
    }
    let (weak, rest) = if let Some(rest) = raw.strip_prefix("W/") {
        (true, rest)
    } else if raw.starts_with("w/") {
        return Err(bad(format!(
            "entity tag {}: the weak prefix is case-sensitive and must be \"W/\" (RFC 9110 §8.8.3)",
            shown(raw)
        )));
    } else {
        (false, raw)
    };
    let Some(after_open) = rest.strip_prefix('"') else {
        return Err(bad(format!(
            "unquoted entity tag {}: RFC 9110 §8.8.3 requires DQUOTEs (\"abc\"); the server sent a \
             malformed value and it is not repaired",
            shown(raw)
        )));
    };
    let Some(opaque) = after_open.strip_suffix('"') else {
        return Err(bad(format!(
            "entity tag {} has no closing DQUOTE",
            shown(raw)
        )));
    };
    if let Some(c) = opaque.chars().find(|c| !is_etagc(*c)) {
        return Err(bad(format!(
            "entity tag {} contains {}",
            shown(raw),
            describe_bad_char(c)
        )));
    }
    Ok(EntityTag {
        raw: raw.to_string(),
        opaque: opaque.to_string(),
        weak,
    })
}

/// Compares two entity tags (RFC 9110 §8.8.3.2): strong comparison unless `weak` is true.
/// Errors with `BAD_ENTITY_TAG` when either value is malformed.
pub fn compare_entity_tags(a: &str, b: &str, weak: bool) -> Result<bool> {
    let a = parse_entity_tag(a)?;
    let b = parse_entity_tag(b)?;
    Ok(if weak { a.weak_eq(&b) } else { a.strong_eq(&b) })
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn err_message(value: &str) -> TestResult<String> {
        let e = parse_entity_tag(value).err().ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::BadEntityTag, "{value:?}");
        Ok(e.message)
    }

    #[test]
    fn strong_tag_keeps_raw_and_opaque() -> TestResult {
        let t = parse_entity_tag("\"abc\"")?;
        assert_eq!(t.raw, "\"abc\"");
        assert_eq!(t.opaque, "abc");
        assert!(!t.weak);
        Ok(())
    }

    #[test]
    fn surrounding_ows_is_not_part_of_the_value() -> TestResult {
        let t = parse_entity_tag(" \t\"abc\"\t ")?;
        assert_eq!(t.raw, "\"abc\"");
        Ok(())
    }

    #[test]
    fn comma_and_backslash_are_ordinary_characters() -> TestResult {
        let t = parse_entity_tag("\"a,b\\c\"")?;
        assert_eq!(t.opaque, "a,b\\c");
        assert_eq!(t.raw, "\"a,b\\c\"");
        Ok(())
    }

    #[test]
    fn w_and_slash_inside_the_quotes_are_ordinary() -> TestResult {
        let t = parse_entity_tag("\"W/x\"")?;
        assert!(!t.weak);
        assert_eq!(t.opaque, "W/x");
        Ok(())
    }

    #[test]
    fn malformed_values_name_the_problem() -> TestResult {
        assert!(err_message("")?.contains("empty"));
        assert!(err_message("*")?.contains("not an entity tag"));
        assert!(err_message("abc")?.contains("unquoted"));
        assert!(err_message("&quot;abc&quot;")?.contains("&quot;"));
        assert!(err_message("&#34;abc&#34;")?.contains("XML"));
        assert!(err_message("w/\"abc\"")?.contains("case-sensitive"));
        assert!(err_message("\"abc")?.contains("closing"));
        assert!(err_message("\"")?.contains("closing"));
        assert!(err_message("W/abc")?.contains("unquoted"));
        assert!(err_message("\"a b\"")?.contains("whitespace"));
        assert!(err_message("\"a\",\"b\"")?.contains("list"));
        assert!(err_message("\"a\u{1}b\"")?.contains("U+0001"));
        assert!(err_message("\"a\u{7F}b\"")?.contains("U+007F"));
        assert!(err_message("\"a\u{20AC}b\"")?.contains("U+20AC"));
        Ok(())
    }

    #[test]
    fn control_characters_are_escaped_in_messages() -> TestResult {
        let m = err_message("abc\r\nX-Evil: 1")?;
        assert!(!m.contains('\r') && !m.contains('\n'), "{m}");
        Ok(())
    }

    #[test]
    fn long_values_are_cut_in_messages() -> TestResult {
        let long = "x".repeat(500);
        assert!(err_message(&long)?.len() < 300);
        Ok(())
    }

    #[test]
    fn compare_rejects_malformed() -> TestResult {
        let e = compare_entity_tags("abc", "\"abc\"", false)
            .err()
            .ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::BadEntityTag);
        Ok(())
    }
}
