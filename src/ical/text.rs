//! TEXT value escaping (RFC 5545 §3.3.11) and parameter value encoding (RFC 6868).

/// Escapes a TEXT value: `\` `;` `,` are backslash-escaped and line breaks (CRLF, LF or CR)
/// become `\n`. Other control characters (except HTAB) are removed, since TEXT cannot carry them.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Unescapes a TEXT value: `\\` `\;` `\,` `\n` `\N`; an unknown escape such as `\:` is kept as is.
pub fn unescape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(e @ ('\\' | ';' | ',')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a multi-valued TEXT value (e.g. CATEGORIES) on unescaped commas, unescaping each part.
pub fn split_text_list(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, b) in value.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b',' => {
                parts.push(unescape_text(value.get(start..i).unwrap_or_default()));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(unescape_text(value.get(start..).unwrap_or_default()));
    parts
}

/// Decodes an RFC 6868 parameter value: `^n` newline, `^^` caret, `^'` DQUOTE; an unknown `^x`
/// stays as is.
pub fn decode_param_value(value: &str) -> String {
    if !value.contains('^') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '^' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('n') => {
                chars.next();
                out.push('\n');
            }
            Some('^') => {
                chars.next();
                out.push('^');
            }
            Some('\'') => {
                chars.next();
                out.push('"');
            }
            _ => out.push('^'),
        }
    }
    out
}

/// Encodes a parameter value per RFC 6868: newline `^n`, `^` `^^`, DQUOTE `^'`. Other control
/// characters (except HTAB) are removed: a parameter value cannot carry them.
pub fn encode_param_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' => out.push_str("^^"),
            '"' => out.push_str("^'"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("^n");
            }
            '\n' => out.push_str("^n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// True when plain text (a comment, an alarm description) holds a control character TEXT cannot
/// carry: CR and LF are written as `\n` and TAB as itself (RFC 5545 §3.3.11), any other one has
/// no TEXT form.
pub fn has_control_outside_text(value: &str) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\r' | '\n' | '\t'))
}

/// True when `value` holds a character that would break a content line or a header: any control
/// character except HTAB (CR, LF and NUL included).
pub fn has_unsafe_control(value: &str) -> bool {
    // Byte by byte while ASCII (the usual case); the C1 controls (U+0080-U+009F) need decoding.
    match value.bytes().position(|b| !(0x20..0x7f).contains(&b)) {
        None => false,
        Some(at) => value
            .get(at..)
            .unwrap_or_default()
            .chars()
            .any(|c| c.is_control() && c != '\t'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trip_l6() {
        let plain = "a;b,c\\d\nx:y";
        let escaped = escape_text(plain);
        assert_eq!(escaped, "a\\;b\\,c\\\\d\\nx:y");
        assert_eq!(unescape_text(&escaped), plain);
        assert_eq!(unescape_text("line\\Nnext"), "line\nnext");
    }

    #[test]
    fn unknown_escape_kept() {
        assert_eq!(unescape_text("a\\:b\\"), "a\\:b\\");
    }

    #[test]
    fn crlf_becomes_one_escape_and_controls_dropped() {
        assert_eq!(escape_text("a\r\nb\rc\u{0}d"), "a\\nb\\ncd");
    }

    #[test]
    fn text_list_split() {
        assert_eq!(split_text_list("a\\,b,c"), vec!["a,b", "c"]);
    }

    #[test]
    fn rfc6868() {
        assert_eq!(
            decode_param_value("George Herman ^'Babe^' Ruth"),
            "George Herman \"Babe\" Ruth"
        );
        assert_eq!(decode_param_value("a^nb^^c^x"), "a\nb^c^x");
        assert_eq!(encode_param_value("a\nb^c\"d"), "a^nb^^c^'d");
        assert_eq!(
            decode_param_value(&encode_param_value("x^\"\ny")),
            "x^\"\ny"
        );
    }

    #[test]
    fn unsafe_controls() {
        assert!(has_unsafe_control("a\rb"));
        assert!(has_unsafe_control("a\u{0}"));
        assert!(!has_unsafe_control("a\tb é"));
        // The ASCII fast path agrees with the character definition, C1 controls and DEL included.
        for s in [
            "",
            "plain",
            "é\u{85}",
            "x\u{7f}",
            "tab\t",
            "\u{9f}é",
            "ü\u{a0}",
            "\u{1b}[0m",
        ] {
            let by_chars = s.chars().any(|c| c.is_control() && c != '\t');
            assert_eq!(has_unsafe_control(s), by_chars, "{s:?}");
        }
    }
}
