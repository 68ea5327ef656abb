//! One content line: its unfolded text, read lazily, and the original bytes it came from.

use std::cell::OnceCell;
use std::fmt;
use std::rc::Rc;

use super::ascii::{eq_ignore_case, eq_ignore_case_bytes};
use super::lines::{unfold_into, unfold_text_into, unfolded_tail};
use super::param::{format_param, scan_content_line, Param, Params, ScanError};
use super::source::{offset, within, Source};
use super::text::{escape_text, has_unsafe_control, unescape_text};
use super::write::{LineWriter, Sink};
use crate::error::{Error, ErrorCode, Result};

/// A property (content line). Untouched, it is written back byte-identical; any change makes it
/// written canonically (CRLF, folded at 75 octets).
///
/// Small on purpose, as there is one per input line: offsets are 32 bits, a line without folds
/// is a range of the input, and a folded line is unfolded only when its text is first read.
#[derive(Clone)]
pub struct Property {
    /// The input the line came from (an empty one for lines built in code).
    src: Rc<Source>,
    /// The unfolded text when it is not a range of `src` (see [`Layout`]). Boxed so that the
    /// common case (none) costs one pointer.
    #[allow(clippy::box_collection)]
    unfolded: OnceCell<Box<String>>,
    /// The original bytes are `src[start..raw_end]`, line ending and folds included.
    start: u32,
    raw_end: u32,
    /// Offsets in the unfolded text: end of the name, and the `:` before the value.
    name_end: u32,
    colon: u32,
    /// The 1-based input line (0 for lines from no input).
    line: u32,
    /// Where the text is.
    layout: Layout,
    /// For a folded line: how many bytes of folds lie before its value in the original bytes,
    /// when no fold follows the value's start (the value is then a range of the input); else
    /// [`VALUE_FOLDED`] or [`VALUE_UNKNOWN`].
    value_shift: u16,
}

/// `value_shift` of a folded line whose value has a fold: the value is no range of the input.
pub(crate) const VALUE_FOLDED: u16 = u16::MAX;
/// `value_shift` not worked out (more folds before the value than it can count).
pub(crate) const VALUE_UNKNOWN: u16 = u16::MAX - 1;

/// Where a property's unfolded text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `src[start..raw_end]` minus a line ending of 0, 1 or 2 bytes (a line with no fold).
    Line0,
    Line1,
    Line2,
    /// A folded line (or any line of an input that is not UTF-8 as a whole): `unfolded`, made
    /// from the original bytes on first use; lines end with LF (CRLF) or, in old Mac files, CR.
    FoldedLf,
    FoldedCr,
    /// A changed line or one built in code: `unfolded` only, no original bytes.
    Changed,
}

impl Layout {
    /// The layout of an unfolded line whose line ending is `eol_len` bytes.
    pub(crate) fn line(eol_len: usize) -> Layout {
        match eol_len {
            0 => Layout::Line0,
            1 => Layout::Line1,
            _ => Layout::Line2,
        }
    }
}

/// Where a parsed line sits in its source.
pub(crate) struct SourceLine {
    /// The line's bytes, line ending included, are `src[start..raw_end]`.
    pub(crate) start: u32,
    pub(crate) raw_end: u32,
    pub(crate) layout: Layout,
    /// The 1-based line number of its first physical line.
    pub(crate) line: u32,
    /// See `Property::value_shift` (0 for a line without folds).
    pub(crate) value_shift: u16,
}

impl Property {
    /// Parses one unfolded content line (`NAME;PARAM=x:value`). `line` is the 1-based input line
    /// reported in errors (use 0 for lines that come from no input).
    pub fn parse(text: &str, line: usize) -> Result<Property> {
        let (name_end, colon) = scan(text.as_bytes(), line, usize::MAX)?;
        Ok(Property {
            src: Source::empty(),
            unfolded: OnceCell::from(Box::new(text.to_string())),
            start: 0,
            raw_end: 0,
            name_end: offset(name_end)?,
            colon: offset(colon)?,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            layout: Layout::Changed,
            value_shift: 0,
        })
    }

    /// A line of a parsed input, split at `cut` (name end, colon: see [`scan`]). `text` is its
    /// unfolded text, given only when the input is not UTF-8 as a whole; otherwise the text is
    /// a range of the input or, for a folded line, unfolded from it when first read.
    pub(crate) fn from_source(
        src: &Rc<Source>,
        at: SourceLine,
        cut: (usize, usize),
        text: Option<&str>,
    ) -> Property {
        let unfolded = OnceCell::new();
        if let Some(text) = text {
            let _ = unfolded.set(Box::new(text.to_string()));
        }
        Property {
            src: Rc::clone(src),
            unfolded,
            start: at.start,
            raw_end: at.raw_end,
            name_end: within(cut.0),
            colon: within(cut.1),
            line: at.line,
            layout: at.layout,
            value_shift: at.value_shift,
        }
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
        let mut line = String::with_capacity(name.len() + 1 + raw_value.len());
        line.push_str(name);
        line.push(':');
        line.push_str(raw_value);
        let prop = Self::parse(&line, 0)?;
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

    /// The name as written.
    pub fn name(&self) -> &str {
        let end = self.start.saturating_add(self.name_end);
        match self.layout {
            Layout::Line0 | Layout::Line1 | Layout::Line2 => {
                return self.src.text_at(self.start, end);
            }
            Layout::FoldedLf | Layout::FoldedCr if self.unfolded.get().is_none() => {
                // A name before the first fold is read from the input: no unfolding just to
                // compare names (a fold would show as a line ending among the name's bytes).
                let raw = self.src.bytes_at(self.start, end);
                if !raw.iter().any(|&b| b == b'\n' || b == b'\r') {
                    return self.src.text_at(self.start, end);
                }
            }
            _ => {}
        }
        self.text()
            .get(..self.name_end as usize)
            .unwrap_or_default()
    }

    /// Case-insensitive name comparison.
    #[inline]
    pub fn is(&self, name: &str) -> bool {
        // The name's length is known: most names differ there, without a call or reading the
        // line (inlined, this is one comparison with a constant at most call sites).
        self.name_end as usize == name.len() && self.is_same_length(name)
    }

    /// [`Property::is`] for a name of the same length as this property's.
    fn is_same_length(&self, name: &str) -> bool {
        if self.layout != Layout::Changed {
            // The original bytes start with the name: equal there, it is the name (a fold
            // inside it would be a line ending, which no name has); else only such a fold can
            // hide it.
            let raw = self
                .src
                .bytes_at(self.start, self.start.saturating_add(self.name_end));
            if eq_ignore_case_bytes(raw, name.as_bytes()) {
                return true;
            }
            if !raw.iter().any(|&b| b == b'\n' || b == b'\r') {
                return false;
            }
        }
        eq_ignore_case(self.name(), name)
    }

    /// The value as written (still escaped for TEXT).
    pub fn value(&self) -> &str {
        // A line without folds (most lines): a range of the input, read directly.
        let eol = match self.layout {
            Layout::Line0 => 0,
            Layout::Line1 => 1,
            Layout::Line2 => 2,
            _ => return self.value_of_folded_or_changed(),
        };
        let start = self.start.saturating_add(self.colon).saturating_add(1);
        self.src.text_at(start, self.raw_end.saturating_sub(eol))
    }

    /// [`Property::value`] of a folded or changed line.
    fn value_of_folded_or_changed(&self) -> &str {
        if let Some(value) = self.folded_value_in_source() {
            return value;
        }
        self.text()
            .get(self.colon as usize + 1..)
            .unwrap_or_default()
    }

    /// The value of a folded line not yet unfolded, when no fold follows its `:`: a range of
    /// the input (attendee lines are usually folded in their parameters only).
    fn folded_value_in_source(&self) -> Option<&str> {
        let eol = match self.layout {
            Layout::FoldedLf => b'\n',
            Layout::FoldedCr => b'\r',
            _ => return None,
        };
        if self.unfolded.get().is_some() || self.value_shift == VALUE_FOLDED {
            return None;
        }
        if self.value_shift != VALUE_UNKNOWN {
            // After the last fold: from the value's start to the end of the last physical line
            // (without its line ending, as `unfolded_tail` cuts it).
            let start = self
                .start
                .saturating_add(self.colon)
                .saturating_add(1)
                .saturating_add(u32::from(self.value_shift));
            let mut end = self.raw_end;
            let at = |i: u32| self.src.bytes().get(i as usize).copied();
            if end > start && at(end - 1) == Some(eol) {
                end -= 1;
            }
            if eol == b'\n' && end > start && at(end - 1) == Some(b'\r') {
                end -= 1;
            }
            return self.src.str_at(start, end);
        }
        let raw = self.src.bytes_at(self.start, self.raw_end);
        let tail = unfolded_tail(raw, eol, self.colon as usize + 1)?;
        let start = self.start.saturating_add(within(tail.start));
        let end = self.start.saturating_add(within(tail.end));
        self.src.str_at(start, end)
    }

    /// The value unescaped as TEXT (RFC 5545 §3.3.11).
    pub fn text_value(&self) -> String {
        unescape_text(self.value())
    }

    /// The whole unfolded line without its line ending.
    pub fn text(&self) -> &str {
        let eol = match self.layout {
            Layout::Line0 => 0,
            Layout::Line1 => 1,
            Layout::Line2 => 2,
            Layout::FoldedLf => return self.unfold(b'\n'),
            Layout::FoldedCr => return self.unfold(b'\r'),
            Layout::Changed => return self.unfolded.get().map_or("", |t| t.as_str()),
        };
        self.src
            .text_at(self.start, self.raw_end.saturating_sub(eol))
    }

    /// The text of a folded line, unfolded from the original bytes once.
    fn unfold(&self, eol: u8) -> &str {
        self.unfolded
            .get_or_init(|| Box::new(self.unfolded_string(eol)))
    }

    /// A folded line unfolded from its original bytes.
    fn unfolded_string(&self, eol: u8) -> String {
        if let Some(raw) = self.src.str_at(self.start, self.raw_end) {
            // Unfolding text only removes ASCII: the pieces are text, with no check needed.
            let mut text = String::with_capacity(raw.len());
            unfold_text_into(raw, eol, &mut text);
            return text;
        }
        let raw = self.src.bytes_at(self.start, self.raw_end);
        let mut bytes = Vec::with_capacity(raw.len());
        unfold_into(raw, eol, &mut bytes);
        // Checked at parse time: unfolding text that is UTF-8 as a whole only removes ASCII.
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The 1-based input line this property started on (0 if it came from no input).
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// True when the property will be written canonically rather than from its original bytes.
    pub fn is_modified(&self) -> bool {
        self.layout == Layout::Changed
    }

    /// The parameters in written order.
    pub fn params(&self) -> Params<'_> {
        Params::new(self.text(), self.name_end as usize, self.colon as usize)
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
    /// RFC 6868-encoded and DQUOTEd as needed. A parameter written more than once (invalid,
    /// RFC 5545 §3.2) ends up written once: later copies are removed, so that no reader takes
    /// an old value from them.
    pub fn set_param(&mut self, name: &str, values: &[&str]) {
        let mut same_name = self.params().filter(|p| p.is(name));
        let existing = same_name
            .next()
            .map(|p| (p.range(), format_param(p.name, values)));
        let repeated = same_name.next().is_some();
        match existing {
            Some((range, written)) => {
                let after = range.start + written.len();
                self.splice(range, &written);
                if repeated {
                    self.remove_params_from(name, after);
                }
            }
            None => {
                let mut written = String::from(";");
                written.push_str(&format_param(name, values));
                let colon = self.colon as usize;
                self.splice(colon..colon, &written);
            }
        }
    }

    /// Removes the parameters with this name that start at byte `from` or later, each with the
    /// `;` before it.
    fn remove_params_from(&mut self, name: &str, from: usize) {
        while let Some(later) = self
            .params()
            .find(|p| p.is(name) && p.range().start >= from)
            .map(|p| p.range())
        {
            self.splice(later.start.saturating_sub(1)..later.end, "");
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
            let end = self.text().len();
            self.splice(self.colon as usize + 1..end, raw_value);
        }
        Ok(())
    }

    /// Replaces the value with TEXT, escaped.
    pub fn set_text_value(&mut self, text: &str) {
        let escaped = escape_text(text);
        if escaped != self.value() {
            let end = self.text().len();
            self.splice(self.colon as usize + 1..end, &escaped);
        }
    }

    /// Replaces the text in `range` and forgets the original bytes.
    fn splice(&mut self, range: std::ops::Range<usize>, with: &str) {
        let removed = range.end.saturating_sub(range.start);
        // The first edit copies the line out of the source (a folded line is unfolded into
        // its own string directly, not cached first).
        let cached = self.unfolded.take();
        let from_cell = cached.is_some();
        let mut owned = match cached {
            Some(text) => *text,
            None => match self.layout {
                Layout::FoldedLf => self.unfolded_string(b'\n'),
                Layout::FoldedCr => self.unfolded_string(b'\r'),
                _ => {
                    // Sized for the edit: growing the copy in `replace_range` reallocated it.
                    let text = self.text();
                    let mut owned =
                        String::with_capacity((text.len() + with.len()).saturating_sub(removed));
                    owned.push_str(text);
                    owned
                }
            },
        };
        if range.start > range.end
            || !owned.is_char_boundary(range.start)
            || !owned.is_char_boundary(range.end)
        {
            if from_cell {
                self.unfolded = OnceCell::from(Box::new(owned));
            }
            return;
        }
        owned.replace_range(range.clone(), with);
        self.unfolded = OnceCell::from(Box::new(owned));
        self.layout = Layout::Changed;
        let colon = self.colon as usize;
        if range.start <= colon {
            let moved = (colon + with.len()).saturating_sub(removed);
            self.colon = u32::try_from(moved).unwrap_or(u32::MAX);
        }
    }

    /// Writes the line: original bytes when untouched, else canonical (folded, CRLF).
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut writer = LineWriter::new(out);
        self.write_lines(&mut writer);
        writer.finish();
    }

    /// Hands the line to a writer.
    pub(crate) fn write_lines<'a, S: Sink>(&'a self, writer: &mut LineWriter<'a, '_, S>) {
        if self.is_modified() {
            writer.line(self.text());
        } else {
            writer.raw(&self.src, self.start, self.raw_end);
        }
    }

    /// How many bytes [`Property::write_to`] writes.
    pub fn written_len(&self) -> usize {
        if self.is_modified() {
            super::write::folded_len(self.text())
        } else {
            self.raw_end.saturating_sub(self.start) as usize
        }
    }

    /// Writes the line canonically from its unfolded text when its original bytes are not
    /// UTF-8: a fold may split a multi-octet character (RFC 5545 §3.1 folds octets), which is
    /// valid iCalendar but no text. Returns whether it did.
    pub fn rewrite_if_not_utf8(&mut self) -> bool {
        let split = self
            .raw_bytes()
            .is_some_and(|raw| std::str::from_utf8(raw).is_err());
        if split {
            self.splice(0..0, "");
        }
        split && self.is_modified()
    }

    /// The original bytes, when the property is untouched.
    pub fn raw_bytes(&self) -> Option<&[u8]> {
        (!self.is_modified()).then(|| self.src.bytes_at(self.start, self.raw_end))
    }
}

/// Splits a content line (see [`scan_content_line`]) with errors that name the input line:
/// returns (end of the name, the `:` before the value).
pub(crate) fn scan(text: &[u8], line: usize, max_params: usize) -> Result<(usize, usize)> {
    scan_content_line(text, max_params).map_err(|e| match e {
        ScanError::Syntax(msg) => Error::at(ErrorCode::Parse, line, msg),
        ScanError::TooManyParams => Error::at(
            ErrorCode::TooLarge,
            line,
            format!("more than {max_params} parameters on one line"),
        ),
    })
}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Property")
            .field("text", &self.text())
            .field("line", &self.line)
            .field("modified", &self.is_modified())
            .finish()
    }
}

/// Equal when the unfolded text is equal (folding and line endings are presentation).
impl PartialEq for Property {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl Eq for Property {}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn set_param_in_place_keeps_the_rest() -> TestResult {
        let mut p = Property::parse(
            "attendee;rsvp=TRUE;partstat=needs-action;CN=\"Doe, J\":mailto:j@x",
            1,
        )?;
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
        assert_eq!(p.param_value("cn").ok_or("no CN")?, "Doe, J");
        Ok(())
    }

    #[test]
    fn a_value_read_from_the_input_is_the_value_of_the_unfolded_text() -> TestResult {
        // Lines without folds are read straight from the input: the same value as cut from
        // the unfolded text, whatever the line ending, an empty value or a missing last EOL.
        for input in [
            "BEGIN:VCALENDAR\r\nA:\r\nB;X=\"a:b\":v:w\nC:é\rD:\r\nEND:VCALENDAR",
            "BEGIN:VCALENDAR\nX:1\nY:\r\n long\nEND:VCALENDAR\n",
            "BEGIN:VCALENDAR\rZ:\rEND:VCALENDAR\r",
        ] {
            let doc = crate::ical::Document::parse(input.as_bytes())?;
            let calendar = doc.calendar().ok_or("no VCALENDAR")?;
            let mut seen = 0;
            for p in calendar.properties() {
                let cut = p.text().get(p.colon as usize + 1..).ok_or("no value")?;
                assert_eq!(p.value(), cut, "{input:?} line {}", p.line());
                assert_eq!(p.value(), p.value_of_folded_or_changed(), "{input:?}");
                seen += 1;
            }
            assert!(seen >= 1, "{input:?}");
        }
        Ok(())
    }

    #[test]
    fn value_setters() -> TestResult {
        let mut p = Property::new("SUMMARY", "x")?;
        p.set_text_value("a,b\nc");
        assert_eq!(p.value(), "a\\,b\\nc");
        assert_eq!(p.text_value(), "a,b\nc");
        assert_eq!(
            p.set_value("evil\r\nATTENDEE:x")
                .err()
                .ok_or("expected an error")?
                .code,
            ErrorCode::UnsafeValue
        );
        assert!(Property::new("BAD NAME", "x").is_err());
        Ok(())
    }
}
