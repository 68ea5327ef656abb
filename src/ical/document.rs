//! A whole iCalendar stream: parsing bytes into the tree and writing it back losslessly.

use std::rc::Rc;

use super::component::{Component, Node, Verbatim};
use super::limits::Limits;
use super::property::{LineText, Property, RawBytes};
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
    /// Bytes parsed (0 when built from nodes): the output buffer starts this large, so writing
    /// an untouched or slightly changed document never regrows and copies it.
    source_len: usize,
}

/// A logical (unfolded) line and where it came from.
struct LogicalLine {
    text: LineText,
    start: usize,
    end: usize,
    line: usize,
}

impl Document {
    /// A document of these nodes, written with CRLF line endings.
    pub fn from_nodes(nodes: Vec<Node>) -> Document {
        Document {
            nodes,
            cr_only: false,
            source_len: 0,
        }
    }

    /// Parses with the default [`Limits`].
    pub fn parse(bytes: &[u8]) -> Result<Document> {
        Self::parse_with(bytes, &Limits::default())
    }

    /// Parses bytes (UTF-8; CRLF or bare LF) into a tree. Errors name the 1-based line.
    pub fn parse_with(bytes: &[u8], limits: &Limits) -> Result<Document> {
        limits.check_bytes(bytes.len())?;
        // Valid UTF-8 as a whole (the usual case): lines without folds are then ranges of this one
        // copy, with no allocation or UTF-8 check per line; the bytes view shares its allocation.
        let text_src: Option<Rc<str>> = std::str::from_utf8(bytes).ok().map(Rc::from);
        let src: Rc<[u8]> = match &text_src {
            Some(text) => Rc::from(text.clone()),
            None => Rc::from(bytes),
        };
        let mut builder = TreeBuilder::new(limits);
        let mut pos = 0;
        if src.starts_with(b"\xEF\xBB\xBF") {
            builder.verbatim(RawBytes::new(src.clone(), 0, 3), 1)?;
            pos = 3;
        }
        let cr_only = !src.contains(&b'\n') && src.contains(&b'\r');
        let mut lines = LineSplitter {
            src: &src,
            text_src: text_src.as_ref(),
            eol: if cr_only { b'\r' } else { b'\n' },
            pos,
            line: 1,
            limits,
        };
        let mut count = 0usize;
        while let Some(logical) = lines.next_line()? {
            count += 1;
            if count > limits.max_lines {
                return Err(Error::at(
                    ErrorCode::TooLarge,
                    logical.line,
                    format!("more than {} lines (limits.maxLines)", limits.max_lines),
                ));
            }
            let raw = RawBytes::new(src.clone(), logical.start, logical.end);
            if logical.text.as_str().is_empty() {
                builder.verbatim(raw, logical.line)?;
                continue;
            }
            let prop =
                Property::parse_line(logical.text, logical.line, limits.max_params)?.with_raw(raw);
            builder.add(prop)?;
        }
        let mut doc = builder.finish()?;
        doc.cr_only = cr_only;
        doc.source_len = bytes.len();
        Ok(doc)
    }

    /// Writes the document: untouched lines byte-identical, changed lines canonical.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.source_len);
        for node in &self.nodes {
            node.write_to(&mut out);
        }
        if self.cr_only {
            // No original byte is an LF here, so only canonical CRLFs (and folds) lose theirs.
            out.retain(|&b| b != b'\n');
        }
        out
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

/// Splits bytes into logical lines: unfolds on bytes (a fold may split a UTF-8 character), then
/// decodes. Each logical line keeps the byte range of its physical lines, line endings included.
struct LineSplitter<'a> {
    src: &'a [u8],
    /// The same bytes as text, when they are valid UTF-8 as a whole.
    text_src: Option<&'a Rc<str>>,
    /// `\n`, or `\r` for old Mac files that have no LF at all.
    eol: u8,
    pos: usize,
    line: usize,
    limits: &'a Limits,
}

impl LineSplitter<'_> {
    /// The next physical line from `pos`: (content range, end including its line ending).
    fn physical(&self, from: usize) -> Option<(usize, usize, usize)> {
        let rest = self.src.get(from..)?;
        if rest.is_empty() {
            return None;
        }
        let (content_end, end) = match rest.iter().position(|&b| b == self.eol) {
            Some(nl) => (from + nl, from + nl + 1),
            None => (from + rest.len(), from + rest.len()),
        };
        let content_end = if self.eol == b'\n'
            && content_end > from
            && self.src.get(content_end - 1) == Some(&b'\r')
        {
            content_end - 1
        } else {
            content_end
        };
        Some((from, content_end, end))
    }

    fn next_line(&mut self) -> Result<Option<LogicalLine>> {
        let Some((start, content_end, mut end)) = self.physical(self.pos) else {
            return Ok(None);
        };
        let first_line = self.line;
        let first = self.src.get(start..content_end).unwrap_or_default();
        if matches!(first.first(), Some(b' ' | b'\t')) {
            return Err(Error::at(
                ErrorCode::Parse,
                first_line,
                "continuation line (starting with a space) with no line to continue",
            ));
        }
        self.line += 1;
        let mut unfolded: Option<Vec<u8>> = None;
        if !first.is_empty() {
            while let Some((s, ce, e)) = self.physical(end) {
                match self.src.get(s) {
                    Some(b' ' | b'\t') => {}
                    _ => break,
                }
                let buf = unfolded.get_or_insert_with(|| first.to_vec());
                buf.extend_from_slice(self.src.get(s + 1..ce).unwrap_or_default());
                if buf.len() > self.limits.max_line_bytes {
                    return Err(Error::at(
                        ErrorCode::TooLarge,
                        first_line,
                        format!(
                            "content line longer than {} bytes (limits.maxLineBytes)",
                            self.limits.max_line_bytes
                        ),
                    ));
                }
                end = e;
                self.line += 1;
            }
        }
        let bytes = unfolded.as_deref().unwrap_or(first);
        if bytes.len() > self.limits.max_line_bytes {
            return Err(Error::at(
                ErrorCode::TooLarge,
                first_line,
                format!(
                    "content line longer than {} bytes (limits.maxLineBytes)",
                    self.limits.max_line_bytes
                ),
            ));
        }
        let text = match (self.text_src, &unfolded) {
            (Some(src), None) => LineText::Shared {
                src: Rc::clone(src),
                start,
                end: content_end,
            },
            _ => self.owned_text(bytes, first_line)?,
        };
        self.pos = end;
        Ok(Some(LogicalLine {
            text,
            start,
            end,
            line: first_line,
        }))
    }

    /// An unfolded line (or any line of input that is not UTF-8 as a whole) as its own string.
    fn owned_text(&self, bytes: &[u8], first_line: usize) -> Result<LineText> {
        match std::str::from_utf8(bytes) {
            Ok(t) => Ok(LineText::Owned(t.to_string())),
            Err(e) => Err(Error::at(
                ErrorCode::Parse,
                first_line,
                format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
            )),
        }
    }
}

/// Builds the tree from a stream of lines, checking BEGIN/END pairing and depth.
struct TreeBuilder<'a> {
    top: Vec<Node>,
    open: Vec<(Property, Vec<Node>)>,
    limits: &'a Limits,
}

impl<'a> TreeBuilder<'a> {
    fn new(limits: &'a Limits) -> Self {
        TreeBuilder {
            top: Vec::new(),
            open: Vec::new(),
            limits,
        }
    }

    fn container(&mut self) -> &mut Vec<Node> {
        match self.open.last_mut() {
            Some((_, children)) => children,
            None => &mut self.top,
        }
    }

    fn verbatim(&mut self, raw: RawBytes, line: usize) -> Result<()> {
        self.container()
            .push(Node::Verbatim(Verbatim { raw, line }));
        Ok(())
    }

    fn add(&mut self, prop: Property) -> Result<()> {
        if prop.is("BEGIN") {
            if prop.value().trim().is_empty() {
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
            self.open.push((prop, Vec::new()));
            return Ok(());
        }
        if prop.is("END") {
            let Some((begin, children)) = self.open.pop() else {
                return Err(Error::at(
                    ErrorCode::Parse,
                    prop.line(),
                    format!("END:{} without a matching BEGIN", prop.value().trim()),
                ));
            };
            if !begin
                .value()
                .trim()
                .eq_ignore_ascii_case(prop.value().trim())
            {
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
            let component = Component::from_parts(begin, prop, children);
            self.container().push(Node::Component(component));
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
        self.container().push(Node::Property(prop));
        Ok(())
    }

    fn finish(self) -> Result<Document> {
        if let Some((begin, _)) = self.open.last() {
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
        if !self.top.iter().any(|n| matches!(n, Node::Component(_))) {
            return Err(Error::new(
                ErrorCode::Parse,
                "no component found (expected BEGIN:VCALENDAR)",
            ));
        }
        Ok(Document::from_nodes(self.top))
    }
}
