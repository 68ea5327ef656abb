//! Parameters of a content line, read lazily from the line's text (RFC 5545 §3.1, §3.2).

use std::borrow::Cow;
use std::ops::Range;

use super::ascii::{eq_ignore_case, find_byte};
use super::text::decode_param_value;

/// One parameter as written: `NAME=value` or `NAME="a","b"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param<'a> {
    /// The name as written (compare with [`Param::is`]).
    pub name: &'a str,
    /// Everything after `=`, quotes included, as written.
    pub raw_values: &'a str,
    /// Byte range of `NAME=...` within the property's unfolded text (without the leading `;`).
    pub span: (usize, usize),
}

/// One value of a (possibly multi-valued) parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamValue<'a> {
    /// The value without its surrounding DQUOTEs, still RFC 6868-encoded.
    pub raw: &'a str,
    /// Whether the value was DQUOTEd.
    pub quoted: bool,
}

impl<'a> ParamValue<'a> {
    /// The value with RFC 6868 `^` escapes decoded.
    pub fn decoded(&self) -> String {
        decode_param_value(self.raw)
    }

    /// [`ParamValue::decoded`], borrowed when there is no `^` escape (the usual case).
    pub fn decoded_str(&self) -> Cow<'a, str> {
        if self.raw.contains('^') {
            Cow::Owned(decode_param_value(self.raw))
        } else {
            Cow::Borrowed(self.raw)
        }
    }
}

impl<'a> Param<'a> {
    /// Case-insensitive name comparison.
    pub fn is(&self, name: &str) -> bool {
        eq_ignore_case(self.name, name)
    }

    /// The values, split on commas outside quotes.
    pub fn values(&self) -> ParamValues<'a> {
        ParamValues {
            rest: self.raw_values,
            done: false,
        }
    }

    /// The first value, decoded.
    pub fn value(&self) -> String {
        self.values()
            .next()
            .map(|v| v.decoded())
            .unwrap_or_default()
    }

    /// Byte range within the property text.
    pub fn range(&self) -> Range<usize> {
        self.span.0..self.span.1
    }
}

/// Iterator over the values of one parameter.
#[derive(Debug, Clone)]
pub struct ParamValues<'a> {
    rest: &'a str,
    done: bool,
}

impl<'a> Iterator for ParamValues<'a> {
    type Item = ParamValue<'a>;

    fn next(&mut self) -> Option<ParamValue<'a>> {
        if self.done {
            return None;
        }
        let (value, after) = if let Some(inner) = self.rest.strip_prefix('"') {
            let close = inner.find('"').unwrap_or(inner.len());
            let value = ParamValue {
                raw: inner.get(..close).unwrap_or_default(),
                quoted: true,
            };
            (value, inner.get(close + 1..).unwrap_or_default())
        } else {
            let end = unquoted_end(self.rest);
            let value = ParamValue {
                raw: self.rest.get(..end).unwrap_or_default(),
                quoted: false,
            };
            (value, self.rest.get(end..).unwrap_or_default())
        };
        match after.strip_prefix(',') {
            Some(next) => self.rest = next,
            None => self.done = true,
        }
        Some(value)
    }
}

/// True when `bytes[pos]` starts a backslash pair that unquoted parameter values keep as is:
/// `\;`, `\,` or `\\` (invalid, but Apple writes `\;`). A backslash before anything else, a
/// `:` included, is an ordinary character. The scanner and the iterators share this one rule, so
/// they always agree where a parameter and the value end.
fn escaped_pair(bytes: &[u8], pos: usize) -> bool {
    matches!(bytes.get(pos), Some(b'\\')) && matches!(bytes.get(pos + 1), Some(b';' | b',' | b'\\'))
}

/// Byte classes for the scanner: bit 1 ends or escapes an unquoted parameter value (`,` `;` `:`
/// `\`), bit 2 is a name byte (see [`is_name_byte`]).
// Built at compile time: an index out of range would fail the build, it cannot run.
#[allow(clippy::indexing_slicing)]
static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if matches!(c, b',' | b';' | b':' | b'\\') {
            table[b] |= 1;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'/') {
            table[b] |= 2;
        }
        b += 1;
    }
    table
};

fn class(b: u8) -> u8 {
    CLASSES.get(usize::from(b)).copied().unwrap_or(0)
}

/// Where an unquoted parameter value that starts `bytes` ends: the first `,` `;` or `:` not
/// inside a backslash pair (see [`escaped_pair`]), or the length.
fn unquoted_stop(bytes: &[u8]) -> usize {
    // Four bytes at a time while none of them stops or escapes: values are mostly letters, and
    // one branch per four bytes instead of per byte makes this about a third cheaper.
    let mut i = 0;
    for chunk in bytes.chunks_exact(4) {
        if let [a, b, c, d] = *chunk {
            if (class(a) | class(b) | class(c) | class(d)) & 1 != 0 {
                break;
            }
        }
        i += 4;
    }
    while let Some(&b) = bytes.get(i) {
        if class(b) & 1 == 0 {
            i += 1;
        } else if b != b'\\' {
            return i;
        } else {
            i += if escaped_pair(bytes, i) { 2 } else { 1 };
        }
    }
    bytes.len()
}

/// End of an unquoted value: the first `,` not inside a backslash pair.
fn unquoted_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b',' => return i,
            _ if escaped_pair(bytes, i) => i += 2,
            _ => i += 1,
        }
    }
    s.len()
}

/// Iterator over the parameters of a validated content line.
#[derive(Debug, Clone)]
pub struct Params<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
}

impl<'a> Params<'a> {
    /// Parameters between `name_end` (a `;` or the `:`) and `colon` in `text`, which was
    /// validated by [`scan_content_line`].
    pub(crate) fn new(text: &'a str, name_end: usize, colon: usize) -> Self {
        Params {
            text,
            pos: name_end,
            end: colon,
        }
    }
}

impl<'a> Iterator for Params<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        let bytes = self.text.as_bytes();
        if self.pos >= self.end || !matches!(bytes.get(self.pos), Some(b';')) {
            return None;
        }
        let start = self.pos + 1;
        let eq = start
            + bytes
                .get(start..self.end)?
                .iter()
                .position(|&b| b == b'=')?;
        let values_end = skip_values(bytes, eq + 1, self.end);
        self.pos = values_end;
        Some(Param {
            name: self.text.get(start..eq)?,
            raw_values: self.text.get(eq + 1..values_end)?,
            span: (start, values_end),
        })
    }
}

/// From `pos` (just after `=`), skips the values of one parameter; returns the index of the `;`
/// or `:` that follows (or `end`).
/// Follows the grammar of [`scan_content_line`]: a value is quoted only when `"` opens it.
fn skip_values(bytes: &[u8], mut pos: usize, end: usize) -> usize {
    loop {
        if matches!(bytes.get(pos), Some(b'"')) {
            let close = bytes
                .get(pos + 1..end)
                .and_then(|rest| find_byte(rest, b'"'));
            match close {
                Some(c) => pos += c + 2,
                None => return end,
            }
        } else if pos < end {
            // A validated line has its `:` at `end`, so no backslash pair straddles it.
            pos += unquoted_stop(bytes.get(pos..).unwrap_or_default());
        }
        if pos < end && matches!(bytes.get(pos), Some(b',')) {
            pos += 1;
            continue;
        }
        return pos.min(end);
    }
}

/// Why a content line could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScanError {
    /// The line breaks the grammar; the message says how.
    Syntax(String),
    /// More parameters than the limit.
    TooManyParams,
}

/// Splits `name *(";" param) ":" value`: returns `(name_end, colon)`. The first unquoted `:`
/// ends the parameters.
pub(crate) fn scan_content_line(
    text: &(impl AsRef<[u8]> + ?Sized),
    max_params: usize,
) -> Result<(usize, usize), ScanError> {
    let bytes = text.as_ref();
    // One pass over the name: it ends at the first byte that is no name byte.
    let no_colon = || ScanError::Syntax("content line has no ':'".into());
    let name_end = bytes
        .iter()
        .position(|&b| !is_name_byte(b))
        .ok_or_else(no_colon)?;
    match bytes.get(name_end) {
        Some(b';' | b':') if name_end == 0 => {
            return Err(ScanError::Syntax("content line has no name".into()));
        }
        Some(b';' | b':') => {}
        Some(&bad) => {
            let rest = bytes.get(name_end..).unwrap_or_default();
            if !rest.iter().any(|&b| b == b';' || b == b':') {
                return Err(no_colon());
            }
            return Err(ScanError::Syntax(format!(
                "invalid character {:?} in property name",
                char::from(bad)
            )));
        }
        None => return Err(no_colon()),
    }
    let mut pos = name_end;
    let mut count = 0usize;
    while matches!(bytes.get(pos), Some(b';')) {
        count += 1;
        if count > max_params {
            return Err(ScanError::TooManyParams);
        }
        let start = pos + 1;
        let rest = bytes.get(start..).unwrap_or_default();
        let eq = rest
            .iter()
            .position(|&b| b == b'=' || b == b';' || b == b':')
            .filter(|&i| matches!(rest.get(i), Some(b'=')))
            .ok_or_else(|| ScanError::Syntax("parameter without '='".into()))?;
        if eq == 0 {
            return Err(ScanError::Syntax("parameter without a name".into()));
        }
        pos = start + eq + 1;
        loop {
            if matches!(bytes.get(pos), Some(b'"')) {
                let close = bytes
                    .get(pos + 1..)
                    .and_then(|r| find_byte(r, b'"'))
                    .ok_or_else(|| {
                        ScanError::Syntax("unterminated quoted parameter value".into())
                    })?;
                pos += close + 2;
            } else {
                // Apple writes `\;` inside unquoted values (invalid, but real): it is kept.
                pos += unquoted_stop(bytes.get(pos..).unwrap_or_default());
            }
            if matches!(bytes.get(pos), Some(b',')) {
                pos += 1;
                continue;
            }
            break;
        }
    }
    match bytes.get(pos) {
        Some(b':') => Ok((name_end, pos)),
        Some(_) => Err(ScanError::Syntax(
            "unexpected character after a quoted parameter value".into(),
        )),
        None => Err(ScanError::Syntax(
            "content line has no ':' before its value".into(),
        )),
    }
}

/// Bytes accepted in a property or parameter name: RFC 5545 allows ALPHA, DIGIT and `-`; `_`,
/// `.` and `/` are tolerated because real producers write them.
fn is_name_byte(b: u8) -> bool {
    class(b) & 2 != 0
}

/// Parameters whose values are URIs and must always be DQUOTEd (RFC 5545 §3.2).
pub(crate) fn always_quoted(name: &str) -> bool {
    [
        "DELEGATED-TO",
        "DELEGATED-FROM",
        "MEMBER",
        "SENT-BY",
        "DIR",
        "ALTREP",
    ]
    .iter()
    .any(|n| n.eq_ignore_ascii_case(name))
}

/// Writes `NAME=v1,v2` canonically: RFC 6868 encoding, DQUOTEs when a value has `:` `;` `,` or the
/// parameter is a URI parameter.
pub(crate) fn format_param(name: &str, values: &[&str]) -> String {
    let force = always_quoted(name);
    let mut out = String::with_capacity(name.len() + 16);
    out.push_str(name);
    out.push('=');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Printable ASCII without `^` or `"` encodes to itself (the usual PARTSTAT or address).
        if v.bytes()
            .all(|b| matches!(b, b' '..=b'~') && b != b'^' && b != b'"')
        {
            let quote = force || v.bytes().any(|b| matches!(b, b':' | b';' | b','));
            if quote {
                out.push('"');
            }
            out.push_str(v);
            if quote {
                out.push('"');
            }
            continue;
        }
        let encoded = super::text::encode_param_value(v);
        if force || encoded.contains([':', ';', ',']) {
            out.push('"');
            out.push_str(&encoded);
            out.push('"');
        } else {
            out.push_str(&encoded);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    type ParamList = Vec<(String, Vec<(String, bool)>)>;

    fn params(text: &str) -> TestResult<ParamList> {
        let (n, c) = scan_content_line(text, 100).map_err(|e| format!("{e:?}"))?;
        Ok(Params::new(text, n, c)
            .map(|p| {
                (
                    p.name.to_string(),
                    p.values().map(|v| (v.decoded(), v.quoted)).collect(),
                )
            })
            .collect())
    }

    /// The parameters the iterator yields cover exactly what the scanner put before the colon.
    fn assert_scanner_and_iterator_agree(text: &str) -> TestResult<usize> {
        let (n, colon) = scan_content_line(text, 100).map_err(|e| format!("{e:?}"))?;
        let mut at = n;
        for p in Params::new(text, n, colon) {
            assert_eq!(p.span.0, at + 1, "{text:?}: a gap before {:?}", p.name);
            at = p.span.1;
        }
        assert_eq!(at, colon, "{text:?}: the parameters end before the colon");
        Ok(colon)
    }

    /// Regression (merge fuzz target): the scanner read `\:` as an escape and ended the
    /// parameters at a later colon, the iterator stopped at the first one; a rewritten
    /// ATTENDEE line then lost its value and the output no longer parsed.
    #[test]
    fn scanner_and_iterator_agree_on_backslashes_and_quotes() -> TestResult {
        let t = "ATTENDEE;RSVP=\\0\\:mailto:w@example.com";
        let colon = assert_scanner_and_iterator_agree(t)?;
        assert_eq!(&t[colon + 1..], "mailto:w@example.com");
        for t in [
            "X;A=a\\;b;B=c:v",
            "X;A=a\\,b,c;B=\"q;:\",d:v",
            "X;A=a\\\\;B=c:v",
            "X;A=a\\:v",
            "X;A=a\"b;B=c\":v",
            "X;A=,;B=\"\":v",
            "X;A=\\",
        ] {
            if scan_content_line(t, 100).is_ok() {
                assert_scanner_and_iterator_agree(t)?;
            }
        }
        // `\;` stays inside the value (Apple), `\:` does not.
        assert_eq!(params("X;A=a\\;b:v")?[0].1[0].0, "a\\;b");
        assert_eq!(params("X;A=a\\:b:v")?[0].1[0].0, "a\\");
        Ok(())
    }

    /// The byte loop [`unquoted_stop`] replaces.
    fn unquoted_stop_by_bytes(bytes: &[u8]) -> usize {
        let mut pos = 0;
        while let Some(&b) = bytes.get(pos) {
            if b == b',' || b == b';' || b == b':' {
                break;
            }
            pos += if escaped_pair(bytes, pos) { 2 } else { 1 };
        }
        pos.min(bytes.len())
    }

    /// [`format_param`] as it was before its fast path for printable ASCII.
    fn format_param_by_chars(name: &str, values: &[&str]) -> String {
        let encoded: Vec<String> = values
            .iter()
            .map(|v| super::super::text::encode_param_value(v))
            .map(
                |e| match always_quoted(name) || e.contains([':', ';', ',']) {
                    true => format!("\"{e}\""),
                    false => e,
                },
            )
            .collect();
        format!("{name}={}", encoded.join(","))
    }

    proptest::proptest! {
        #[test]
        fn formatting_printable_ascii_is_encoding_it(
            name in "(PARTSTAT|MEMBER|CN|sent-by)",
            values in proptest::collection::vec("[ -~\t\r\n\u{80}-\u{a0}é]{0,6}", 1..3),
        ) {
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(format_param(&name, &refs), format_param_by_chars(&name, &refs));
        }

        #[test]
        fn unquoted_stop_is_the_byte_loop(
            // Single stops, escapes and letters, and runs of letters that fill the four-byte
            // steps.
            text in "([a;:,\\\\=\"é]|abcd|ab\\\\;|aéb){0,16}",
        ) {
            proptest::prop_assert_eq!(
                unquoted_stop(text.as_bytes()),
                unquoted_stop_by_bytes(text.as_bytes())
            );
        }

        #[test]
        fn scanner_and_iterator_agree_on_any_line(rest in "[A;:,=\"\\\\^a]{0,24}") {
            let text = format!("X;{rest}");
            if scan_content_line(&text, 100).is_ok() {
                assert_scanner_and_iterator_agree(&text)
                    .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            }
        }
    }

    #[test]
    fn quoted_colon_does_not_end_params() -> TestResult {
        let t =
            "ATTENDEE;CN=\"Doe, John: Boss\";DELEGATED-TO=\"mailto:a@x\",\"mailto:b@x\":mailto:j@x";
        let (_, colon) = scan_content_line(t, 100).map_err(|e| format!("{e:?}"))?;
        assert_eq!(&t[colon + 1..], "mailto:j@x");
        assert_eq!(
            params(t)?,
            vec![
                ("CN".into(), vec![("Doe, John: Boss".into(), true)]),
                (
                    "DELEGATED-TO".into(),
                    vec![("mailto:a@x".into(), true), ("mailto:b@x".into(), true)]
                ),
            ]
        );
        Ok(())
    }

    #[test]
    fn caret_escapes_decode() -> TestResult {
        let t = "ATTENDEE;CN=George Herman ^'Babe^' Ruth:mailto:b@x";
        assert_eq!(params(t)?[0].1[0].0, "George Herman \"Babe\" Ruth");
        Ok(())
    }

    #[test]
    fn apple_backslash_semicolon_in_unquoted_value() -> TestResult {
        let t = "X-APPLE-STRUCTURED-LOCATION;X-TITLE=Haupt 1-5\\; 4041 Linz;X-R=7:geo:1,2";
        let p = params(t)?;
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].1[0].0, "Haupt 1-5\\; 4041 Linz");
        Ok(())
    }

    #[test]
    fn errors() {
        assert!(scan_content_line("NOCOLON", 10).is_err());
        assert!(scan_content_line(":value", 10).is_err());
        assert!(scan_content_line("A;B:c", 10).is_err());
        assert!(scan_content_line("A;B=\"open:c", 10).is_err());
        assert_eq!(
            scan_content_line("A;B=1;C=2;D=3:x", 2),
            Err(ScanError::TooManyParams)
        );
    }

    #[test]
    fn formatting_quotes_when_needed() {
        assert_eq!(format_param("CN", &["Doe, Jane"]), "CN=\"Doe, Jane\"");
        assert_eq!(format_param("PARTSTAT", &["ACCEPTED"]), "PARTSTAT=ACCEPTED");
        assert_eq!(
            format_param("DELEGATED-TO", &["mailto:a@x", "mailto:b@x"]),
            "DELEGATED-TO=\"mailto:a@x\",\"mailto:b@x\""
        );
        assert_eq!(format_param("CN", &["say \"hi\""]), "CN=say ^'hi^'");
    }
}
