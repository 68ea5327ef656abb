//! A whole iCalendar stream: parsing bytes into the tree and writing it back losslessly.

use std::rc::Rc;

use super::ascii::{eq_ignore_case, find_byte, trim};
use super::component::{Component, ComponentKind, Node, Verbatim};
use super::limits::Limits;
use super::lines::{unfold_into, LineSplitter, LogicalLine};
use super::property::{scan, Layout, Property, SourceLine, VALUE_FOLDED, VALUE_UNKNOWN};
use super::source::{offset, within, Source};
use super::write::LineWriter;
use crate::error::{Error, ErrorCode, Result};

/// A parsed iCalendar stream (usually one VCALENDAR), lossless: untouched lines are written back
/// byte-identical, with their folding and line endings.
///
/// ```js
/// // Every export parses with this; e.g. a reply keeps every other line byte-identical:
/// const { data } = attendeeReply({ data: ics, me: "mailto:w@example.com", partstat: "ACCEPTED" });
/// ```
#[derive(Clone, Debug)]
pub struct Document {
    /// Top-level nodes: components and verbatim bytes (empty lines, a byte-order mark).
    pub nodes: Vec<Node>,
    /// The input ended its lines with a bare CR and had no LF (old Mac files): changed lines
    /// are then written with CR too, or the output would no longer split into the same lines.
    cr_only: bool,
    /// The input this document was parsed from (none for one built from nodes).
    input: Option<Rc<Source>>,
}

/// Calendar data handed over whole, so that the parsed document keeps it as its source
/// without a copy.
#[derive(Debug)]
pub enum Input {
    /// Text, UTF-8 by its type: it needs no check before parsing (e.g. a JS string).
    Text(String),
    /// Bytes, UTF-8 or not: checked once before parsing.
    Bytes(Vec<u8>),
}

impl Input {
    /// The bytes of the data.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Input::Text(text) => text.as_bytes(),
            Input::Bytes(bytes) => bytes,
        }
    }

    /// The data as bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Input::Text(text) => text.into_bytes(),
            Input::Bytes(bytes) => bytes,
        }
    }
}

impl Document {
    /// A document of these nodes, written with CRLF line endings.
    pub fn from_nodes(nodes: Vec<Node>) -> Document {
        Document {
            nodes,
            cr_only: false,
            input: None,
        }
    }

    /// Parses with the default [`Limits`].
    pub fn parse(bytes: &[u8]) -> Result<Document> {
        Self::parse_with(bytes, &Limits::default())
    }

    /// Parses bytes (UTF-8; CRLF or bare LF) into a tree. Errors name the 1-based line.
    pub fn parse_with(bytes: &[u8], limits: &Limits) -> Result<Document> {
        limits.check_bytes(bytes.len())?;
        Self::parse_owned_with(bytes.to_vec(), limits)
    }

    /// [`Document::parse_with`] that keeps `bytes` as the source instead of copying them: the
    /// tree's untouched lines are ranges of this one buffer.
    pub fn parse_owned_with(bytes: Vec<u8>, limits: &Limits) -> Result<Document> {
        Self::parse_input_with(Input::Bytes(bytes), limits)
    }

    /// [`Document::parse_owned_with`] for data that may already be text: text is kept as the
    /// source without checking it is UTF-8 again (its type says so).
    pub fn parse_input_with(input: Input, limits: &Limits) -> Result<Document> {
        let len = input.as_bytes().len();
        limits.check_bytes(len)?;
        offset(len)?;
        let src = Rc::new(match input {
            Input::Text(text) => Source::from_text(text),
            Input::Bytes(bytes) => Source::new(bytes),
        });
        let all = src.bytes();
        let mut builder = TreeBuilder::new(limits);
        let mut pos = 0;
        if all.starts_with(b"\xEF\xBB\xBF") {
            builder.verbatim(Verbatim::new(&src, 0, 3, 1));
            pos = 3;
        }
        let cr_only = !all.contains(&b'\n') && all.contains(&b'\r');
        let eol = if cr_only { b'\r' } else { b'\n' };
        let mut lines = LineSplitter::new(all, pos, eol, limits);
        let mut count = 0usize;
        // Folded lines are unfolded here, one at a time, only to be checked and split.
        let mut scratch = Vec::new();
        while let Some(logical) = lines.next_line()? {
            count += 1;
            if count > limits.max_lines {
                return Err(Error::at(
                    ErrorCode::TooLarge,
                    logical.line,
                    format!("more than {} lines (limits.maxLines)", limits.max_lines),
                ));
            }
            if !logical.folded && logical.content_end == logical.start {
                builder.verbatim(Verbatim::new(
                    &src,
                    within(logical.start),
                    within(logical.end),
                    u32::try_from(logical.line).unwrap_or(u32::MAX),
                ));
                continue;
            }
            let lines_eol = lines.eol();
            builder.add(line_property(
                &src,
                &logical,
                lines_eol,
                &mut scratch,
                limits.max_params,
            )?)?;
        }
        let mut doc = builder.finish()?;
        doc.cr_only = cr_only;
        doc.input = Some(src);
        Ok(doc)
    }

    /// Writes the document: untouched lines byte-identical, changed lines canonical. The output
    /// is allocated once, sized from the input.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.output_capacity());
        let mut writer = LineWriter::new(&mut out);
        for node in &self.nodes {
            node.write_lines(&mut writer);
        }
        writer.finish();
        if self.cr_only {
            // No original byte is an LF here, so only canonical CRLFs (and folds) lose theirs.
            out.retain(|&b| b != b'\n');
        }
        out
    }

    /// [`Document::to_bytes`] as a string, without checking the written bytes again: `None`
    /// when they are not UTF-8 (only possible when the input was not).
    pub fn to_text(&self) -> Option<String> {
        let mut out = String::with_capacity(self.output_capacity());
        let mut writer = LineWriter::new(&mut out);
        for node in &self.nodes {
            node.write_lines(&mut writer);
        }
        if !writer.finish() {
            return None;
        }
        if self.cr_only {
            out.retain(|c| c != '\n');
        }
        Some(out)
    }

    /// Room for the written document: for a parsed one its input's size and a little more (an
    /// answer or a merge changes a few lines; measuring every node first was 2 % of the native
    /// instructions of a round trip of a 1.6 KB invitation), else the exact size. A larger
    /// output grows once or twice.
    fn output_capacity(&self) -> usize {
        match &self.input {
            Some(src) => {
                let len = src.bytes().len();
                len + len / 64 + 256
            }
            None => self.nodes.iter().map(Node::written_len).sum(),
        }
    }

    /// Text of the document even when its input was not UTF-8 as written (a fold splitting a
    /// character, RFC 5545 §3.1): such lines are written canonically (unfolded and refolded
    /// between characters). `None` only when bytes outside content lines are not UTF-8, which a
    /// parsed document never has (they are line endings and a byte-order mark).
    pub fn to_text_rewriting(&mut self) -> Option<String> {
        if let Some(text) = self.to_text() {
            return Some(text);
        }
        self.nodes.iter_mut().for_each(|n| {
            n.rewrite_lines_not_utf8();
        });
        self.to_text()
    }

    /// True when `bytes` are exactly the input this document was parsed from (false for a
    /// document built from nodes): whether writing it changed anything, without keeping a
    /// second copy of the input.
    pub fn is_input(&self, bytes: &[u8]) -> bool {
        self.input
            .as_ref()
            .is_some_and(|src| super::ascii::bytes_eq(src.bytes(), bytes))
    }

    /// The top-level components.
    pub fn components(&self) -> impl Iterator<Item = &Component> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Component(c) => Some(c),
            _ => None,
        })
    }

    /// The first VCALENDAR.
    pub fn calendar(&self) -> Option<&Component> {
        self.components().find(|c| c.is("VCALENDAR"))
    }

    /// The first VCALENDAR, mutable.
    pub fn calendar_mut(&mut self) -> Option<&mut Component> {
        self.nodes.iter_mut().find_map(|n| match n {
            Node::Component(c) if c.is("VCALENDAR") => Some(c),
            _ => None,
        })
    }
}

/// The property of a logical line. Its text stays in the source: a line without folds of an
/// input that is UTF-8 as a whole is a range of it, and a folded one is unfolded (into
/// `scratch`) only when its name and parameters do not fit on its first physical line. Only an
/// input that is not UTF-8 as a whole gets a decoded copy of each line.
fn line_property(
    src: &Rc<Source>,
    logical: &LogicalLine,
    eol: u8,
    scratch: &mut Vec<u8>,
    max_params: usize,
) -> Result<Property> {
    let line = logical.line;
    let mut at = SourceLine {
        start: within(logical.start),
        raw_end: within(logical.end),
        layout: Layout::line(logical.end - logical.content_end),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        value_shift: 0,
    };
    let folded_layout = if eol == b'\n' {
        Layout::FoldedLf
    } else {
        Layout::FoldedCr
    };
    if src.text().is_some() {
        let first = src
            .bytes()
            .get(logical.start..logical.content_end)
            .unwrap_or_default();
        if !logical.folded {
            return Ok(Property::from_source(
                src,
                at,
                scan(first, line, max_params)?,
                None,
            ));
        }
        at.layout = folded_layout;
        // Scanning stops at the first unquoted ':'; when that is on the first physical line the
        // unfolded text starts with the same bytes, so the cut is the same.
        let on_first = if find_byte(first, b':').is_some() {
            scan(first, line, max_params).ok()
        } else {
            None
        };
        let cut = match on_first {
            Some(cut) => cut,
            None => {
                // Unfolding text that is UTF-8 as a whole only removes ASCII: no check needed.
                unfold_line(src, logical, eol, scratch);
                scan(scratch, line, max_params)?
            }
        };
        at.value_shift = value_shift(logical, cut.1);
        return Ok(Property::from_source(src, at, cut, None));
    }
    at.layout = folded_layout;
    at.value_shift = VALUE_UNKNOWN;
    let text = unfold_text(src, logical, eol, scratch)?;
    let cut = scan(text.as_bytes(), line, max_params)?;
    Ok(Property::from_source(src, at, cut, Some(text)))
}

/// Where a folded line's value starts in its original bytes, as the bytes of folds before it
/// (see `Property::value_shift`): found from its last physical line, which the splitter knows.
fn value_shift(logical: &LogicalLine, colon: usize) -> u16 {
    let (from, to) = logical.last;
    // The unfolded offset where the last physical line's content starts.
    let last_at = logical.len.saturating_sub(to.saturating_sub(from));
    let value_at = colon + 1;
    if value_at < last_at {
        return VALUE_FOLDED;
    }
    (from + (value_at - last_at))
        .checked_sub(logical.start + value_at)
        .and_then(|shift| u16::try_from(shift).ok())
        .filter(|&shift| shift < VALUE_UNKNOWN)
        .unwrap_or(VALUE_UNKNOWN)
}

/// A logical line unfolded into `scratch` ([`unfold_into`]); a line with one fold (the usual
/// case) is its first content and its last content, which the splitter found already.
fn unfold_line(src: &Source, logical: &LogicalLine, eol: u8, scratch: &mut Vec<u8>) {
    scratch.clear();
    if logical.folds == 1 {
        let bytes = src.bytes();
        let first = bytes.get(logical.start..logical.content_end);
        let last = bytes.get(logical.last.0..logical.last.1);
        scratch.extend_from_slice(first.unwrap_or_default());
        scratch.extend_from_slice(last.unwrap_or_default());
    } else {
        unfold_into(raw_bytes(src, logical), eol, scratch);
    }
}

/// The bytes of a logical line, line endings and folds included.
fn raw_bytes<'a>(src: &'a Source, logical: &LogicalLine) -> &'a [u8] {
    src.bytes()
        .get(logical.start..logical.end)
        .unwrap_or_default()
}

/// A logical line unfolded into `scratch` and decoded.
fn unfold_text<'a>(
    src: &Source,
    logical: &LogicalLine,
    eol: u8,
    scratch: &'a mut Vec<u8>,
) -> Result<&'a str> {
    unfold_line(src, logical, eol, scratch);
    std::str::from_utf8(scratch).map_err(|e| {
        Error::at(
            ErrorCode::Parse,
            logical.line,
            format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
        )
    })
}

/// Builds the tree from a stream of lines, checking BEGIN/END pairing and depth.
struct TreeBuilder<'a> {
    /// The top-level nodes, then the children of each open component in turn: a component's
    /// children move out at its END into a vector of exactly their number.
    nodes: Vec<Node>,
    /// The open components: their BEGIN line, what it names and where their children start in
    /// `nodes`.
    open: Vec<(Property, ComponentKind, usize)>,
    limits: &'a Limits,
}

impl<'a> TreeBuilder<'a> {
    fn new(limits: &'a Limits) -> Self {
        // Room for a small object and its nesting up front: growing from nothing took four
        // reallocations on a typical invitation.
        TreeBuilder {
            nodes: Vec::with_capacity(32),
            open: Vec::with_capacity(4),
            limits,
        }
    }

    fn verbatim(&mut self, verbatim: Verbatim) {
        self.nodes.push(Node::Verbatim(verbatim));
    }

    fn add(&mut self, prop: Property) -> Result<()> {
        if prop.is("BEGIN") {
            let name = trim(prop.value());
            if name.is_empty() {
                return Err(Error::at(
                    ErrorCode::Parse,
                    prop.line(),
                    "BEGIN without a component name",
                ));
            }
            if self.open.len() >= self.limits.max_depth {
                return Err(Error::at(
                    ErrorCode::TooLarge,
                    prop.line(),
                    format!(
                        "components nested deeper than {} (limits.maxDepth)",
                        self.limits.max_depth
                    ),
                ));
            }
            let kind = ComponentKind::of(name);
            self.open.push((prop, kind, self.nodes.len()));
            return Ok(());
        }
        if prop.is("END") {
            let Some((begin, kind, first)) = self.open.pop() else {
                return Err(Error::at(
                    ErrorCode::Parse,
                    prop.line(),
                    format!("END:{} without a matching BEGIN", prop.value().trim()),
                ));
            };
            let end_name = trim(prop.value());
            let matches = match kind.name() {
                Some(known) => eq_ignore_case(known, end_name),
                None => eq_ignore_case(trim(begin.value()), end_name),
            };
            if !matches {
                return Err(Error::at(
                    ErrorCode::Parse,
                    prop.line(),
                    format!(
                        "END:{} does not match BEGIN:{} (line {})",
                        prop.value().trim(),
                        begin.value().trim(),
                        begin.line()
                    ),
                ));
            }
            let children: Vec<Node> = self.nodes.drain(first.min(self.nodes.len())..).collect();
            let component = Component::from_parts_of(kind, begin, prop, children);
            self.nodes.push(Node::Component(component));
            return Ok(());
        }
        if self.open.is_empty() {
            return Err(Error::at(
                ErrorCode::Parse,
                prop.line(),
                format!(
                    "{} outside any component (expected BEGIN:VCALENDAR)",
                    prop.name()
                ),
            ));
        }
        self.nodes.push(Node::Property(prop));
        Ok(())
    }

    fn finish(mut self) -> Result<Document> {
        if let Some((begin, _, _)) = self.open.last() {
            return Err(Error::at(
                ErrorCode::Parse,
                begin.line(),
                format!(
                    "BEGIN:{} is never closed (missing END:{}; the input may be truncated)",
                    begin.value().trim(),
                    begin.value().trim()
                ),
            ));
        }
        if !self.nodes.iter().any(|n| matches!(n, Node::Component(_))) {
            return Err(Error::new(
                ErrorCode::Parse,
                "no component found (expected BEGIN:VCALENDAR)",
            ));
        }
        // The stack of children held every line of the widest component at some point: give a
        // large one's room back (a small one is not worth a reallocation).
        if self.nodes.capacity() > 64 {
            self.nodes.shrink_to_fit();
        }
        Ok(Document::from_nodes(self.nodes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn change_summary(doc: &mut Document) -> TestResult {
        let event = doc
            .calendar_mut()
            .ok_or("no VCALENDAR")?
            .components_mut()
            .next()
            .ok_or("no VEVENT")?;
        event.set_value("SUMMARY", &format!("{}é", "x".repeat(80)))?;
        Ok(())
    }

    #[test]
    fn text_is_the_bytes_as_a_string() -> TestResult {
        for input in [
            "\u{feff}BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:a\r\nDESCRIPTION:déjà\r\n  vu\r\n\r\nEND:VEVENT\r\nEND:VCALENDAR",
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:a\nX-A:b\n c\nEND:VEVENT\nEND:VCALENDAR\n",
            "BEGIN:VCALENDAR\rBEGIN:VEVENT\rSUMMARY:a\rX-A:b\r c\rEND:VEVENT\rEND:VCALENDAR\r",
        ] {
            let mut doc = Document::parse(input.as_bytes())?;
            assert_eq!(doc.to_text().ok_or("not UTF-8 text")?, input);
            change_summary(&mut doc)?;
            let bytes = doc.to_bytes();
            if input.contains('\n') {
                // The output buffer was sized exactly (CR-only output drops the LFs after).
                let len: usize = doc.nodes.iter().map(Node::written_len).sum();
                assert_eq!(bytes.len(), len);
            }
            assert_eq!(doc.to_text().ok_or("not UTF-8 text")?.as_bytes(), bytes.as_slice());
        }
        Ok(())
    }

    /// Untouched lines next to each other in one input are copied together; lines of another
    /// input never join them, even where the offsets would line up.
    #[test]
    fn lines_of_two_inputs_are_written_from_their_own_bytes() -> TestResult {
        let mut a = Document::parse(b"BEGIN:VCALENDAR\r\nX:1\r\nEND:VCALENDAR\r\n")?;
        let b = Document::parse(b"BEGIN:VCALENDAR\r\nX:1\r\nY:2\r\nEND:VCALENDAR\r\n")?;
        let y = b
            .calendar()
            .ok_or("no VCALENDAR")?
            .property("Y")
            .ok_or("no Y")?
            .clone();
        a.calendar_mut().ok_or("no VCALENDAR")?.push_property(y);
        let expected = "BEGIN:VCALENDAR\r\nX:1\r\nY:2\r\nEND:VCALENDAR\r\n";
        assert_eq!(a.to_bytes(), expected.as_bytes());
        assert_eq!(a.to_text().ok_or("not UTF-8 text")?, expected);
        let mut one = Vec::new();
        a.calendar().ok_or("no VCALENDAR")?.write_to(&mut one);
        assert_eq!(one, expected.as_bytes());
        Ok(())
    }

    /// Data handed over as text or bytes parses as borrowed bytes do, and the document knows
    /// its input (to tell whether writing changed anything).
    #[test]
    fn handed_over_data_parses_in_place() -> TestResult {
        let input = "BEGIN:VCALENDAR\r\nX-A:déjà\r\n  vu\r\nEND:VCALENDAR\r\n";
        for data in [
            Input::Text(input.to_string()),
            Input::Bytes(input.as_bytes().to_vec()),
        ] {
            let mut doc = Document::parse_input_with(data, &Limits::default())?;
            assert_eq!(doc.to_text().ok_or("not UTF-8 text")?, input);
            assert!(doc.is_input(input.as_bytes()));
            doc.calendar_mut()
                .ok_or("no VCALENDAR")?
                .set_value("X-A", "x")?;
            assert!(!doc.is_input(&doc.to_bytes()));
        }
        let limits = Limits {
            max_bytes: 4,
            ..Limits::default()
        };
        let error = Document::parse_input_with(Input::Text(input.to_string()), &limits);
        assert_eq!(
            error.err().ok_or("expected an error")?.code,
            ErrorCode::TooLarge
        );
        assert!(!Document::from_nodes(Vec::new()).is_input(b""));
        Ok(())
    }

    /// A folded line's value read from the input (after its last fold) is the value of its
    /// unfolded text, wherever the folds are and however lines end.
    #[test]
    fn values_after_folds_are_read_from_the_input() -> TestResult {
        let lines = [
            "ATTENDEE;CN=\"Doe, J: x\";PARTSTAT=ACCEPTED:mailto:j@example.com",
            "DESCRIPTION:déjà vu\\, café",
            "X-A:",
            "X-B;P=1:v",
        ];
        for text in lines {
            let cuts: Vec<usize> = (1..text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let mut folds: Vec<Vec<usize>> = cuts.iter().map(|&i| vec![i]).collect();
            for &i in &cuts {
                for &j in cuts.iter().filter(|&&j| j > i).step_by(3) {
                    folds.push(vec![i, j]);
                    folds.push(vec![i, i, j]);
                }
            }
            for at in &folds {
                for (eol, cont, end) in [("\r\n", " ", "\r\n"), ("\n", "\t", ""), ("\r", " ", "\r")]
                {
                    let mut line = String::new();
                    let mut from = 0;
                    for &i in at {
                        line.push_str(&text[from..i]);
                        line.push_str(eol);
                        line.push_str(cont);
                        from = i;
                    }
                    line.push_str(&text[from..]);
                    let input = format!("BEGIN:VCALENDAR{eol}{line}{eol}END:VCALENDAR{end}");
                    let doc = Document::parse(input.as_bytes())?;
                    assert_eq!(doc.to_bytes(), input.as_bytes());
                    let p = doc
                        .calendar()
                        .ok_or("no VCALENDAR")?
                        .properties()
                        .next()
                        .ok_or("no property")?;
                    let expected = &text[text.find(':').ok_or("no colon")? + 1..];
                    let expected = if text.starts_with("ATTENDEE") {
                        "mailto:j@example.com"
                    } else {
                        expected
                    };
                    assert_eq!(p.clone().value(), expected, "{input:?}");
                    assert_eq!(p.text(), text, "{input:?}");
                    assert_eq!(p.value(), expected, "{input:?}");
                }
            }
        }
        Ok(())
    }

    #[test]
    fn a_fold_inside_a_character_is_kept_but_is_no_text() -> TestResult {
        let input = b"BEGIN:VCALENDAR\r\nX-A:d\xC3\r\n \xA9j\xC3\xA0\r\nEND:VCALENDAR\r\n";
        let doc = Document::parse(input)?;
        let cal = doc.calendar().ok_or("no VCALENDAR")?;
        assert_eq!(cal.value_of("X-A"), Some("déjà"));
        assert_eq!(doc.to_bytes(), input);
        assert_eq!(doc.to_text(), None);
        Ok(())
    }

    #[test]
    fn folded_names_and_parameters_read_unfolded() -> TestResult {
        let input = "BEGIN:VCALENDAR\r\nATTEN\r\n DEE;CN=\"A\r\n B\";RSVP=TRUE:mailto:a@\r\n x\r\nEND:VCALENDAR\r\n";
        let doc = Document::parse(input.as_bytes())?;
        let p = doc
            .calendar()
            .ok_or("no VCALENDAR")?
            .property("ATTENDEE")
            .ok_or("no ATTENDEE")?;
        assert_eq!(p.param_value("CN").as_deref(), Some("AB"));
        assert_eq!(p.value(), "mailto:a@x");
        assert!(!p.is_modified());
        assert_eq!(doc.to_bytes(), input.as_bytes());
        Ok(())
    }
}
