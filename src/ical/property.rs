//! One content line: its unfolded text, read lazily, and the original bytes it came from.

use std::fmt;
use std::rc::Rc;

use super::param::{format_param, scan_content_line, Param, Params, ScanError};
use super::text::{escape_text, has_unsafe_control, unescape_text};
use crate::error::{Error, ErrorCode, Result};

/// The original bytes of a line (folding and line ending included), shared with the source.
#[derive(Clone)]
pub(crate) struct RawBytes {
    src: Rc<[u8]>,
    start: usize,
    end: usize,
}

impl RawBytes {
    pub(crate) fn new(src: Rc<[u8]>, start: usize, end: usize) -> Self {
        RawBytes { src, start, end }
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.src.get(self.start..self.end).unwrap_or_default()
    }
}

impl fmt::Debug for RawBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawBytes({}..{})", self.start, self.end)
    }
}

/// The unfolded text of a line: a range of the parsed source when the line had no fold (no copy
/// per line), or its own string once unfolded or changed.
#[derive(Clone)]
pub(crate) enum LineText {
    /// `src[start..end]`, on character boundaries (both ends sit next to line breaks).
    Shared {
        src: Rc<str>,
        start: usize,
        end: usize,
    },
    /// An unfolded or edited line.
    Owned(String),
}

impl LineText {
    /// The line as text.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            LineText::Shared { src, start, end } => src.get(*start..*end).unwrap_or_default(),
            LineText::Owned(text) => text,
        }
    }
}

impl fmt::Debug for LineText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A property (content line). Untouched, it is written back byte-identical; any change makes it
/// written canonically (CRLF, folded at 75 octets).
#[derive(Clone, Debug)]
pub struct Property {
    text: LineText,
    name_end: usize,
    colon: usize,
    line: usize,
    raw: Option<RawBytes>,
}

impl Property {
    /// Parses one unfolded content line (`NAME;PARAM=x:value`). `line` is the 1-based input line
    /// reported in errors (use 0 for lines that come from no input).
    pub fn parse(text: &str, line: usize) -> Result<Property> {
        Self::parse_limited(text.to_string(), line, usize::MAX)
    }

    pub(crate) fn parse_limited(text: String, line: usize, max_params: usize) -> Result<Property> {
        Self::parse_line(LineText::Owned(text), line, max_params)
    }

    /// [`Property::parse_limited`] for text that may still be a range of the source.
    pub(crate) fn parse_line(text: LineText, line: usize, max_params: usize) -> Result<Property> {
        let (name_end, colon) =
            scan_content_line(text.as_str(), max_params).map_err(|e| match e {
                ScanError::Syntax(msg) => Error::at(ErrorCode::Parse, line, msg),
                ScanError::TooManyParams => Error::at(
                    ErrorCode::TooLarge,
                    line,
                    format!("more than {max_params} parameters on one line"),
                ),
            })?;
        Ok(Property {
            text,
            name_end,
            colon,
            line,
            raw: None,
        })
    }

    /// A new property `NAME:value` where `value` is already in its written (escaped) form.
    /// Fails with `UNSAFE_VALUE` if the value has control characters, `PARSE` for a bad name.
    pub fn new(name: &str, raw_value: &str) -> Result<Property> {
        if has_unsafe_control(raw_value) {
            return Err(Error::new(
                ErrorCode::UnsafeValue,
                format!("value for {name} contains a control character"),
            ));
        }
        let prop = Self::parse(&format!("{name}:{raw_value}"), 0)?;
        if prop.name() != name {
            return Err(Error::new(
                ErrorCode::Parse,
                format!("invalid property name {name:?}"),
            ));
        }
        Ok(prop)
    }

    /// A new TEXT property; the value is escaped (line breaks become `\n`).
    pub fn new_text(name: &str, text: &str) -> Result<Property> {
        Self::new(name, &escape_text(text))
    }

    pub(crate) fn with_raw(mut self, raw: RawBytes) -> Self {
        self.raw = Some(raw);
        self
    }

    /// The name as written.
    pub fn name(&self) -> &str {
        self.text.as_str().get(..self.name_end).unwrap_or_default()
    }

    /// Case-insensitive name comparison.
    pub fn is(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name)
    }

    /// The value as written (still escaped for TEXT).
    pub fn value(&self) -> &str {
        self.text.as_str().get(self.colon + 1..).unwrap_or_default()
    }

    /// The value unescaped as TEXT (RFC 5545 §3.3.11).
    pub fn text_value(&self) -> String {
        unescape_text(self.value())
    }

    /// The whole unfolded line without its line ending.
    pub fn text(&self) -> &str {
        self.text.as_str()
    }

    /// The 1-based input line this property started on (0 if it came from no input).
    pub fn line(&self) -> usize {
        self.line
    }

    /// True when the property will be written canonically rather than from its original bytes.
    pub fn is_modified(&self) -> bool {
        self.raw.is_none()
    }

    /// The parameters in written order.
    pub fn params(&self) -> Params<'_> {
        Params::new(self.text.as_str(), self.name_end, self.colon)
    }

    /// The first parameter with this name (case-insensitive).
    pub fn param(&self, name: &str) -> Option<Param<'_>> {
        self.params().find(|p| p.is(name))
    }

    /// The first value of a parameter, RFC 6868-decoded.
    pub fn param_value(&self, name: &str) -> Option<String> {
        self.param(name).map(|p| p.value())
    }

    /// All values of a parameter (multi-valued, e.g. DELEGATED-TO), decoded; empty if absent.
    pub fn param_values(&self, name: &str) -> Vec<String> {
        self.params()
            .filter(|p| p.is(name))
            .flat_map(|p| p.values().map(|v| v.decoded()))
            .collect()
    }

    /// Sets a parameter's values, in place if present (keeping its position and the name's
    /// spelling), else appended after the last parameter. Values are plain text: they are
    /// RFC 6868-encoded and DQUOTEd as needed.
    pub fn set_param(&mut self, name: &str, values: &[&str]) {
        let existing = self.param(name).map(|p| (p.range(), p.name.to_string()));
        match existing {
            Some((range, spelled)) => {
                let written = format_param(&spelled, values);
                self.splice(range, &written);
            }
            None => {
                let written = format!(";{}", format_param(name, values));
                self.splice(self.colon..self.colon, &written);
            }
        }
    }

    /// Removes every parameter with this name; returns whether any was removed.
    pub fn remove_param(&mut self, name: &str) -> bool {
        let mut removed = false;
        while let Some(range) = self.param(name).map(|p| p.range()) {
            // Include the `;` before the parameter.
            self.splice(range.start.saturating_sub(1)..range.end, "");
            removed = true;
        }
        removed
    }

    /// Replaces the value with one already in written form. Fails with `UNSAFE_VALUE` on control
    /// characters (a value can never inject a line).
    pub fn set_value(&mut self, raw_value: &str) -> Result<()> {
        if has_unsafe_control(raw_value) {
            return Err(Error::new(
                ErrorCode::UnsafeValue,
                format!("value for {} contains a control character", self.name()),
            ));
        }
        if raw_value != self.value() {
            let end = self.text.as_str().len();
            self.splice(self.colon + 1..end, raw_value);
        }
        Ok(())
    }

    /// Replaces the value with TEXT, escaped.
    pub fn set_text_value(&mut self, text: &str) {
        let escaped = escape_text(text);
        if escaped != self.value() {
            let end = self.text.as_str().len();
            self.splice(self.colon + 1..end, &escaped);
        }
    }

    /// Replaces the text in `range` and forgets the original bytes.
    fn splice(&mut self, range: std::ops::Range<usize>, with: &str) {
        let removed = range.end.saturating_sub(range.start);
        let text = self.text.as_str();
        if range.end > text.len() || !text.is_char_boundary(range.start) {
            return;
        }
        // The first edit copies the line out of the source.
        let mut owned = match std::mem::replace(&mut self.text, LineText::Owned(String::new())) {
            LineText::Owned(text) => text,
            shared => shared.as_str().to_string(),
        };
        owned.replace_range(range.clone(), with);
        self.text = LineText::Owned(owned);
        if range.start <= self.colon {
            self.colon = (self.colon + with.len()).saturating_sub(removed);
        }
        self.raw = None;
    }

    /// Writes the line: original bytes when untouched, else canonical (folded, CRLF).
    pub fn write_to(&self, out: &mut Vec<u8>) {
        match &self.raw {
            Some(raw) => out.extend_from_slice(raw.bytes()),
            None => super::write::write_folded(self.text.as_str(), out),
        }
    }

    /// The original bytes, when the property is untouched.
    pub fn raw_bytes(&self) -> Option<&[u8]> {
        self.raw.as_ref().map(RawBytes::bytes)
    }
}

/// Equal when the unfolded text is equal (folding and line endings are presentation).
impl PartialEq for Property {
    fn eq(&self, other: &Self) -> bool {
        self.text.as_str() == other.text.as_str()
    }
}

impl Eq for Property {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn set_param_in_place_keeps_the_rest() {
        let mut p = Property::parse(
            "attendee;rsvp=TRUE;partstat=needs-action;CN=\"Doe, J\":mailto:j@x",
            1,
        )
        .unwrap();
        p.set_param("PARTSTAT", &["ACCEPTED"]);
        assert_eq!(
            p.text(),
            "attendee;rsvp=TRUE;partstat=ACCEPTED;CN=\"Doe, J\":mailto:j@x"
        );
        assert!(p.is_modified());
        p.set_param("DELEGATED-TO", &["mailto:a@x"]);
        assert_eq!(p.value(), "mailto:j@x");
        assert!(p
            .text()
            .ends_with(";DELEGATED-TO=\"mailto:a@x\":mailto:j@x"));
        assert!(p.remove_param("rsvp"));
        assert!(p.text().starts_with("attendee;partstat=ACCEPTED;"));
        assert_eq!(p.param_value("cn").unwrap(), "Doe, J");
    }

    #[test]
    fn value_setters() {
        let mut p = Property::new("SUMMARY", "x").unwrap();
        p.set_text_value("a,b\nc");
        assert_eq!(p.value(), "a\\,b\\nc");
        assert_eq!(p.text_value(), "a,b\nc");
        assert_eq!(
            p.set_value("evil\r\nATTENDEE:x").unwrap_err().code,
            ErrorCode::UnsafeValue
        );
        assert!(Property::new("BAD NAME", "x").is_err());
    }
}
