//! A small read-only XML document: elements (namespace + local name) and text, just enough for
//! `DAV:error` bodies (RFC 4918 §16). Replaces a general XML crate to keep the package small.
//!
//! Decisions:
//! - Well-formedness is checked (XML 1.0 §2-§4, Namespaces in XML 1.0) and the rules match what
//!   the crate accepted before (roxmltree 0.21, DTDs refused, at most 10,000 nodes), so a body is
//!   refused or read exactly as before:
//!   - a DTD (`<!DOCTYPE`) is an error; the only references are the five predefined entities
//!     (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`) and character references (`&#65;` `&#x41;`);
//!     a character reference to a code point that does not exist reads as U+FFFD, one to a
//!     character XML forbids (`&#0;`) is an error;
//!   - prefixes resolve through the `xmlns:p` / `xmlns` declarations in scope; an unknown prefix
//!     is an error; `xml` is bound for attributes only (an element `xml:x` is an error);
//!     `xmlns=""` gives the empty namespace `Some("")`; on one element a repeated `xmlns:p` is an
//!     error and a repeated `xmlns` is ignored (the first counts);
//!   - at most [`MAX_NODES`] nodes: the document, elements, text runs (text and CDATA between two
//!     tags), comments and processing instructions. This also bounds the nesting depth.
//! - Text is decoded (references, CDATA) but line ends are kept as written: the only reader
//!   collapses whitespace.
//! - Never panics and does bounded work: one pass over the input, no recursion (open elements are
//!   an explicit stack), prefix lookups in a `BTreeMap`, duplicate attributes found by sorting.

use std::collections::BTreeMap;
use std::fmt;

/// The most nodes a document may have, the document node included.
pub(crate) const MAX_NODES: usize = 10_000;
const XML_URI: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_URI: &str = "http://www.w3.org/2000/xmlns/";

/// Why a text is not a well-formed XML document, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    /// What is wrong.
    pub reason: &'static str,
    /// The line of the offending byte.
    pub line: usize,
    /// The column (in characters) of the offending byte.
    pub column: usize,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}:{}", self.reason, self.line, self.column)
    }
}

/// A parsed document: its elements and text runs in document order (comments and processing
/// instructions are checked and counted, not kept).
#[derive(Debug)]
pub(crate) struct Document<'a> {
    nodes: Vec<Entry<'a>>,
    namespaces: Vec<String>,
}

#[derive(Debug)]
struct Entry<'a> {
    kind: Kind<'a>,
    /// The index after this node's last descendant.
    end: usize,
}

#[derive(Debug)]
enum Kind<'a> {
    Element {
        namespace: Option<usize>,
        name: &'a str,
    },
    Text(String),
}

impl<'a> Document<'a> {
    /// Parses a whole document (an optional UTF-8 byte order mark, XML declaration, comments and
    /// processing instructions around exactly one root element).
    pub(crate) fn parse(text: &'a str) -> Result<Self, XmlError> {
        Parser::new(text).document()
    }

    /// The root element.
    pub(crate) fn root_element(&self) -> Node<'_, 'a> {
        Node {
            doc: self,
            index: 0,
        }
    }
}

/// An element or a text run of a [`Document`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'d, 'a> {
    doc: &'d Document<'a>,
    index: usize,
}

impl<'d, 'a> Node<'d, 'a> {
    fn entry(&self) -> Option<&'d Entry<'a>> {
        self.doc.nodes.get(self.index)
    }

    fn end(&self) -> usize {
        let next = self.index.saturating_add(1);
        self.entry().map_or(next, |e| e.end.max(next))
    }

    /// Whether this is an element (not text).
    pub(crate) fn is_element(&self) -> bool {
        matches!(
            self.entry(),
            Some(Entry {
                kind: Kind::Element { .. },
                ..
            })
        )
    }

    /// An element's local name; empty for text.
    pub(crate) fn name(&self) -> &'d str {
        match self.entry() {
            Some(Entry {
                kind: Kind::Element { name, .. },
                ..
            }) => name,
            _ => "",
        }
    }

    /// An element's namespace URI (`None` for no namespace, and for text).
    pub(crate) fn namespace(&self) -> Option<&'d str> {
        match self.entry() {
            Some(Entry {
                kind: Kind::Element {
                    namespace: Some(i), ..
                },
                ..
            }) => self.doc.namespaces.get(*i).map(String::as_str),
            _ => None,
        }
    }

    /// A text run's decoded text; `None` for an element.
    pub(crate) fn text(&self) -> Option<&'d str> {
        match self.entry() {
            Some(Entry {
                kind: Kind::Text(text),
                ..
            }) => Some(text),
            _ => None,
        }
    }

    /// The child nodes, in order.
    pub(crate) fn children(self) -> impl Iterator<Item = Node<'d, 'a>> {
        let end = self.end();
        let doc = self.doc;
        let mut next = self.index.saturating_add(1);
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let node = Node { doc, index: next };
            next = node.end();
            Some(node)
        })
    }

    /// This node and all nodes inside it, in document order.
    pub(crate) fn descendants(self) -> impl Iterator<Item = Node<'d, 'a>> {
        let doc = self.doc;
        (self.index..self.end()).map(move |index| Node { doc, index })
    }
}

/// A prefix (or the default namespace, key `""`) bound on the element at `depth`.
struct Binding {
    depth: usize,
    namespace: usize,
}

/// An element whose end tag is still to come.
struct Open<'a> {
    index: usize,
    prefix: &'a str,
    name: &'a str,
    /// `Parser::declared` length before this element's declarations.
    declared_from: usize,
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    nodes: Vec<Entry<'a>>,
    namespaces: Vec<String>,
    /// Nodes so far, the document node included.
    node_count: usize,
    /// Whether the last node is a text run that more text or CDATA extends.
    in_text: bool,
    open: Vec<Open<'a>>,
    scopes: BTreeMap<&'a str, Vec<Binding>>,
    /// Prefixes bound by the open elements, in order (to unbind at their end).
    declared: Vec<&'a str>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: 0,
            nodes: Vec::new(),
            namespaces: Vec::new(),
            node_count: 1,
            in_text: false,
            open: Vec::new(),
            scopes: BTreeMap::new(),
            declared: Vec::new(),
        }
    }

    // --- reading ---

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn peek_second(&self) -> Option<u8> {
        self.text
            .as_bytes()
            .get(self.pos.saturating_add(1))
            .copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    /// Skips XML whitespace; tells whether there was any.
    fn skip_spaces(&mut self) -> bool {
        let n = self
            .rest()
            .bytes()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
        self.pos += n;
        n > 0
    }

    fn require(&mut self, s: &'static str, reason: &'static str) -> Result<(), XmlError> {
        if !self.starts_with(s) {
            return Err(self.error(reason, self.pos));
        }
        self.pos += s.len();
        Ok(())
    }

    fn error(&self, reason: &'static str, at: usize) -> XmlError {
        let before = self
            .text
            .as_bytes()
            .get(..at.min(self.text.len()))
            .unwrap_or_default();
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let line = 1 + before.iter().filter(|b| **b == b'\n').count();
        let column = 1 + before
            .get(line_start..)
            .unwrap_or_default()
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count();
        XmlError {
            reason,
            line,
            column,
        }
    }

    /// Errors at the first character XML forbids in `s` (which starts at byte `at`).
    fn check_chars(&self, s: &str, at: usize) -> Result<(), XmlError> {
        match s.char_indices().find(|(_, c)| !is_xml_char(*c)) {
            Some((i, _)) => Err(self.error("a character XML does not allow", at + i)),
            None => Ok(()),
        }
    }

    /// Takes the text up to `until` (not included), which must occur; checks its characters.
    fn take_until(&mut self, until: &str, reason: &'static str) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        let Some(len) = rest.find(until) else {
            return Err(self.error(reason, self.text.len()));
        };
        let body = rest.get(..len).unwrap_or_default();
        self.check_chars(body, self.pos)?;
        self.pos += len + until.len();
        Ok(body)
    }

    /// `Name` (XML 1.0 §2.3), colons allowed.
    fn name(&mut self) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        let mut chars = rest.chars();
        let mut len = match chars.next() {
            Some(c) if is_name_start(c) => c.len_utf8(),
            _ => return Err(self.error("a name was expected", self.pos)),
        };
        len += chars
            .take_while(|c| is_name_char(*c))
            .map(char::len_utf8)
            .sum::<usize>();
        self.pos += len;
        Ok(rest.get(..len).unwrap_or_default())
    }

    /// `QName` (Namespaces in XML §4): `(prefix, local)`, prefix empty when there is none.
    fn qname(&mut self) -> Result<(&'a str, &'a str), XmlError> {
        let start = self.pos;
        let rest = self.rest();
        let mut colon = None;
        let mut len = 0;
        for c in rest.chars() {
            if c == ':' {
                if colon.is_some() {
                    return Err(self.error("a name has two colons", start));
                }
                colon = Some(len);
            } else if !is_name_char(c) {
                break;
            }
            len += c.len_utf8();
        }
        self.pos += len;
        let (prefix, local) = match colon {
            Some(at) => (
                rest.get(..at).unwrap_or_default(),
                rest.get(at + 1..len).unwrap_or_default(),
            ),
            None => ("", rest.get(..len).unwrap_or_default()),
        };
        let starts_well = |s: &str| s.chars().next().is_some_and(is_name_start);
        if (!prefix.is_empty() && !starts_well(prefix)) || !starts_well(local) {
            return Err(self.error("a name was expected", start));
        }
        Ok((prefix, local))
    }

    /// `Eq` and a quoted value without `<`: the raw value and where it starts.
    fn quoted_value(&mut self) -> Result<(&'a str, usize), XmlError> {
        self.skip_spaces();
        self.require("=", "'=' was expected")?;
        self.skip_spaces();
        let quote = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return Err(self.error("a quote was expected", self.pos)),
        };
        self.pos += 1;
        let start = self.pos;
        let rest = self.rest();
        let len = rest
            .bytes()
            .position(|b| b == quote || b == b'<')
            .unwrap_or(rest.len());
        let value = rest.get(..len).unwrap_or_default();
        self.check_chars(value, start)?;
        self.pos += len;
        if self.peek() != Some(quote) {
            return Err(self.error("an attribute value is not closed", self.pos));
        }
        self.pos += 1;
        Ok((value, start))
    }

    /// Replaces references; in attribute values also turns tab and line ends into spaces
    /// (XML 1.0 §3.3.3; a reference is kept as the character it names).
    fn decode(&self, raw: &str, at: usize, attribute: bool) -> Result<String, XmlError> {
        let mut out = String::with_capacity(raw.len());
        let mut skip_to = 0;
        for (i, c) in raw.char_indices() {
            if i < skip_to {
                continue;
            }
            match c {
                '&' => {
                    let (decoded, len) = reference(raw.get(i..).unwrap_or_default())
                        .ok_or_else(|| self.error("a malformed or unknown reference", at + i))?;
                    out.push(decoded);
                    skip_to = i + len;
                }
                '\r' if attribute && raw.get(i + 1..).is_some_and(|s| s.starts_with('\n')) => {}
                '\t' | '\n' | '\r' if attribute => out.push(' '),
                c => out.push(c),
            }
        }
        Ok(out)
    }

    // --- nodes ---

    fn count_node(&mut self, at: usize) -> Result<(), XmlError> {
        if self.node_count >= MAX_NODES {
            return Err(self.error("too many nodes", at));
        }
        self.node_count += 1;
        Ok(())
    }

    fn add_text(&mut self, text: &str, at: usize) -> Result<(), XmlError> {
        if self.in_text {
            if let Some(Entry {
                kind: Kind::Text(run),
                ..
            }) = self.nodes.last_mut()
            {
                run.push_str(text);
                return Ok(());
            }
        }
        self.count_node(at)?;
        let index = self.nodes.len();
        self.nodes.push(Entry {
            kind: Kind::Text(text.to_string()),
            end: index + 1,
        });
        self.in_text = true;
        Ok(())
    }

    // --- namespaces ---

    fn bound_here(&self, prefix: &str, depth: usize) -> bool {
        self.scopes
            .get(prefix)
            .and_then(|b| b.last())
            .is_some_and(|b| b.depth == depth)
    }

    fn bind(&mut self, prefix: &'a str, uri: String, depth: usize) {
        let namespace = self.namespaces.len();
        self.namespaces.push(uri);
        self.scopes
            .entry(prefix)
            .or_default()
            .push(Binding { depth, namespace });
        self.declared.push(prefix);
    }

    fn unbind(&mut self, declared_from: usize) {
        for prefix in self.declared.drain(declared_from..) {
            if let Some(bindings) = self.scopes.get_mut(prefix) {
                bindings.pop();
            }
        }
    }

    /// `xmlns:prefix="uri"` (Namespaces in XML §3).
    fn declare(
        &mut self,
        prefix: &'a str,
        uri: String,
        depth: usize,
        at: usize,
    ) -> Result<(), XmlError> {
        let is_xml = uri == XML_URI;
        if uri == XMLNS_URI || (prefix == "xml") != is_xml {
            return Err(self.error("the xml or xmlns namespace is misused", at));
        }
        if self.bound_here(prefix, depth) {
            return Err(self.error("a namespace prefix is declared twice", at));
        }
        if !is_xml {
            self.bind(prefix, uri, depth);
        }
        Ok(())
    }

    /// `xmlns="uri"`: the default namespace (the first declaration on an element counts).
    fn declare_default(&mut self, uri: String, depth: usize, at: usize) -> Result<(), XmlError> {
        if uri == XML_URI || uri == XMLNS_URI {
            return Err(self.error("the xml or xmlns namespace is misused", at));
        }
        if !self.bound_here("", depth) {
            self.bind("", uri, depth);
        }
        Ok(())
    }

    /// The namespace of a prefix in scope (`""`: the default namespace, if any).
    fn resolve(&self, prefix: &str, at: usize) -> Result<Option<usize>, XmlError> {
        match self.scopes.get(prefix).and_then(|b| b.last()) {
            Some(binding) => Ok(Some(binding.namespace)),
            None if prefix.is_empty() => Ok(None),
            None => Err(self.error("an unknown namespace prefix", at)),
        }
    }

    /// Resolves the attributes' prefixes and refuses two with the same expanded name.
    fn check_attributes(&self, attributes: &[(&'a str, &'a str, usize)]) -> Result<(), XmlError> {
        let mut names = Vec::with_capacity(attributes.len());
        for (prefix, local, at) in attributes {
            let uri = match *prefix {
                "" => None,
                "xml" => Some(XML_URI),
                p => self
                    .resolve(p, *at)?
                    .and_then(|i| self.namespaces.get(i))
                    .map(String::as_str),
            };
            names.push((uri, *local, *at));
        }
        names.sort_unstable();
        for pair in names.windows(2) {
            if let [(uri_a, local_a, _), (uri_b, local_b, at)] = pair {
                if uri_a == uri_b && local_a == local_b {
                    return Err(self.error("an attribute is given twice", *at));
                }
            }
        }
        Ok(())
    }

    // --- markup ---

    /// `XMLDecl` (XML 1.0 §2.8), read only when it opens the document.
    fn declaration(&mut self) -> Result<(), XmlError> {
        if !self.starts_with("<?xml ") {
            return Ok(());
        }
        self.pos += 5;
        self.skip_spaces();
        if !self.starts_with("version") {
            return Err(self.error("'version' was expected", self.pos));
        }
        self.pseudo_attribute()?;
        self.declaration_space()?;
        if self.starts_with("encoding") {
            self.pseudo_attribute()?;
            self.declaration_space()?;
        }
        if self.starts_with("standalone") {
            self.pseudo_attribute()?;
        }
        self.skip_spaces();
        self.require("?>", "'?>' was expected")
    }

    fn pseudo_attribute(&mut self) -> Result<(), XmlError> {
        self.qname()?;
        self.quoted_value().map(|_| ())
    }

    fn declaration_space(&mut self) -> Result<(), XmlError> {
        if !self.skip_spaces() && !self.starts_with("?>") && self.peek().is_some() {
            return Err(self.error("whitespace was expected", self.pos));
        }
        Ok(())
    }

    /// Comments, processing instructions and whitespace outside the root element.
    fn misc(&mut self) -> Result<(), XmlError> {
        loop {
            self.skip_spaces();
            if self.starts_with("<!--") {
                self.comment()?;
            } else if self.starts_with("<?") {
                self.processing_instruction()?;
            } else {
                return Ok(());
            }
        }
    }

    fn comment(&mut self) -> Result<(), XmlError> {
        let at = self.pos;
        self.pos += 4;
        let body = self.take_until("-->", "a comment is not closed")?;
        if body.contains("--") || body.ends_with('-') {
            return Err(self.error("a comment contains '--'", at));
        }
        self.in_text = false;
        self.count_node(at)
    }

    fn processing_instruction(&mut self) -> Result<(), XmlError> {
        let at = self.pos;
        if self.starts_with("<?xml ") {
            return Err(self.error("an XML declaration is not at the start", at));
        }
        self.pos += 2;
        self.name()?;
        self.skip_spaces();
        self.take_until("?>", "a processing instruction is not closed")?;
        self.in_text = false;
        self.count_node(at)
    }

    fn cdata(&mut self) -> Result<(), XmlError> {
        let at = self.pos;
        self.pos += 9;
        let body = self.take_until("]]>", "a CDATA section is not closed")?;
        self.add_text(body, at)
    }

    fn text(&mut self) -> Result<(), XmlError> {
        let at = self.pos;
        let rest = self.rest();
        let len = rest.find('<').unwrap_or(rest.len());
        let raw = rest.get(..len).unwrap_or_default();
        self.check_chars(raw, at)?;
        if raw.contains("]]>") {
            return Err(self.error("']]>' is not allowed in text", at));
        }
        self.pos += len;
        if raw.contains('&') {
            let decoded = self.decode(raw, at, false)?;
            self.add_text(&decoded, at)
        } else {
            self.add_text(raw, at)
        }
    }

    /// A start tag or an empty-element tag, with its namespace declarations.
    fn start_tag(&mut self) -> Result<(), XmlError> {
        let at = self.pos;
        self.pos += 1;
        let (prefix, name) = self.qname()?;
        if prefix == "xmlns" {
            return Err(self.error("an element name has the prefix 'xmlns'", at));
        }
        self.in_text = false;
        let depth = self.open.len();
        let declared_from = self.declared.len();
        let mut attributes = Vec::new();
        let open = loop {
            let spaced = self.skip_spaces();
            match self.peek() {
                None => return Err(self.error("a tag is not closed", self.pos)),
                Some(b'/') => {
                    self.pos += 1;
                    self.require(">", "'>' was expected")?;
                    break false;
                }
                Some(b'>') => {
                    self.pos += 1;
                    break true;
                }
                Some(_) => {
                    let attribute_at = self.pos;
                    if !spaced {
                        return Err(self.error("whitespace was expected", attribute_at));
                    }
                    let (a_prefix, a_local) = self.qname()?;
                    let (raw, value_at) = self.quoted_value()?;
                    let value = self.decode(raw, value_at, true)?;
                    if a_prefix == "xmlns" {
                        self.declare(a_local, value, depth, attribute_at)?;
                    } else if a_local == "xmlns" {
                        self.declare_default(value, depth, attribute_at)?;
                    } else {
                        attributes.push((a_prefix, a_local, attribute_at));
                    }
                }
            }
        };
        self.check_attributes(&attributes)?;
        let namespace = self.resolve(prefix, at)?;
        self.count_node(at)?;
        let index = self.nodes.len();
        self.nodes.push(Entry {
            kind: Kind::Element { namespace, name },
            end: index + 1,
        });
        if open {
            self.open.push(Open {
                index,
                prefix,
                name,
                declared_from,
            });
        } else {
            self.unbind(declared_from);
        }
        Ok(())
    }

    fn end_tag(&mut self) -> Result<(), XmlError> {
        let at = self.pos;
        self.pos += 2;
        let (prefix, name) = self.qname()?;
        self.skip_spaces();
        self.require(">", "'>' was expected")?;
        self.in_text = false;
        let Some(open) = self.open.pop() else {
            return Err(self.error("an end tag has no start tag", at));
        };
        if open.prefix != prefix || open.name != name {
            return Err(self.error("an end tag does not match its start tag", at));
        }
        let end = self.nodes.len();
        if let Some(entry) = self.nodes.get_mut(open.index) {
            entry.end = end;
        }
        self.unbind(open.declared_from);
        Ok(())
    }

    /// Everything inside the root element, up to its end tag.
    fn content(&mut self) -> Result<(), XmlError> {
        while !self.open.is_empty() {
            match (self.peek(), self.peek_second()) {
                (None, _) => {
                    return Err(self.error("the root element is not closed", self.pos));
                }
                (Some(b'<'), Some(b'!')) => {
                    if self.starts_with("<!--") {
                        self.comment()?;
                    } else if self.starts_with("<![CDATA[") {
                        self.cdata()?;
                    } else {
                        return Err(self.error("unknown markup", self.pos));
                    }
                }
                (Some(b'<'), Some(b'?')) => self.processing_instruction()?,
                (Some(b'<'), Some(b'/')) => self.end_tag()?,
                (Some(b'<'), Some(_)) => self.start_tag()?,
                (Some(b'<'), None) => return Err(self.error("unknown markup", self.pos)),
                (Some(_), _) => self.text()?,
            }
        }
        Ok(())
    }

    fn document(mut self) -> Result<Document<'a>, XmlError> {
        if self.starts_with("\u{FEFF}") {
            self.pos += 3;
        }
        self.declaration()?;
        self.misc()?;
        self.skip_spaces();
        if self.starts_with("<!DOCTYPE") {
            return Err(self.error("a DTD is not accepted", self.pos));
        }
        if self.peek() == Some(b'<') {
            self.start_tag()?;
            self.content()?;
        }
        self.misc()?;
        if self.pos < self.text.len() {
            return Err(self.error("content after the root element", self.pos));
        }
        if self.nodes.is_empty() {
            return Err(self.error("there is no root element", self.pos));
        }
        Ok(Document {
            nodes: self.nodes,
            namespaces: self.namespaces,
        })
    }
}

/// `Char` (XML 1.0 §2.2); surrogates cannot occur in a `str`.
fn is_xml_char(c: char) -> bool {
    if (c as u32) < 0x20 {
        return matches!(c, '\t' | '\n' | '\r');
    }
    !matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// `NameStartChar` (XML 1.0 §2.3).
fn is_name_start(c: char) -> bool {
    matches!(c, 'A'..='Z' | 'a'..='z' | ':' | '_')
        || matches!(c as u32,
            0xC0..=0xD6
            | 0xD8..=0xF6
            | 0xF8..=0x2FF
            | 0x370..=0x37D
            | 0x37F..=0x1FFF
            | 0x200C..=0x200D
            | 0x2070..=0x218F
            | 0x2C00..=0x2FEF
            | 0x3001..=0xD7FF
            | 0xF900..=0xFDCF
            | 0xFDF0..=0xFFFD
            | 0x10000..=0xEFFFF)
}

/// `NameChar` (XML 1.0 §2.3).
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '0'..='9' | '-' | '.')
        || matches!(c as u32, 0xB7 | 0x300..=0x36F | 0x203F..=0x2040)
}

/// The reference `s` starts with (`&...;`, XML 1.0 §4.1): the character and the length read.
fn reference(s: &str) -> Option<(char, usize)> {
    let rest = s.strip_prefix('&')?;
    if let Some(number) = rest.strip_prefix('#') {
        let (digits, radix, lead) = match number.strip_prefix('x') {
            Some(hex) => (hex, 16, 3),
            None => (number, 10, 2),
        };
        let len = digits
            .bytes()
            .take_while(|b| match radix {
                16 => b.is_ascii_hexdigit(),
                _ => b.is_ascii_digit(),
            })
            .count();
        let value = u32::from_str_radix(digits.get(..len)?, radix).ok()?;
        let c = char::from_u32(value).unwrap_or('\u{FFFD}');
        if !is_xml_char(c) || !digits.get(len..)?.starts_with(';') {
            return None;
        }
        return Some((c, lead + len + 1));
    }
    [
        ("amp;", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
    ]
    .into_iter()
    .find(|(name, _)| rest.starts_with(name))
    .map(|(name, c)| (c, 1 + name.len()))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::test_support::TestResult;

    /// `(namespace, name)` of every element, in document order.
    fn elements(text: &str) -> TestResult<Vec<(Option<String>, String)>> {
        let doc = Document::parse(text).map_err(|e| e.to_string())?;
        Ok(doc
            .root_element()
            .descendants()
            .filter(|n| n.is_element())
            .map(|n| (n.namespace().map(str::to_string), n.name().to_string()))
            .collect())
    }

    fn ns(uri: &str, name: &str) -> (Option<String>, String) {
        (Some(uri.to_string()), name.to_string())
    }

    fn all_text(text: &str) -> TestResult<String> {
        let doc = Document::parse(text).map_err(|e| e.to_string())?;
        let root = doc.root_element();
        Ok(root.descendants().filter_map(|n| n.text()).collect())
    }

    #[test]
    fn prefixes_and_default_namespaces_resolve_in_scope() -> TestResult {
        let text = r#"<D:error xmlns:D="DAV:" xmlns="urn:default">
            <C:valid-calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav"/>
            <plain/>
            <D:x xmlns:D="urn:inner" xmlns="urn:inner-default"><D:y/><z/></D:x>
            <D:after/><after/>
            <none xmlns=""/>
        </D:error>"#;
        assert_eq!(
            elements(text)?,
            vec![
                ns("DAV:", "error"),
                ns("urn:ietf:params:xml:ns:caldav", "valid-calendar-data"),
                ns("urn:default", "plain"),
                ns("urn:inner", "x"),
                ns("urn:inner", "y"),
                ns("urn:inner-default", "z"),
                ns("DAV:", "after"),
                ns("urn:default", "after"),
                // As before: `xmlns=""` is the empty namespace, not "no namespace".
                ns("", "none"),
            ]
        );
        assert_eq!(elements("<e/>")?, vec![(None, "e".to_string())]);
        // A declaration on an empty element does not reach its siblings.
        assert!(Document::parse(r#"<e><p:a xmlns:p="urn:p"/><p:b/></e>"#).is_err());
        Ok(())
    }

    #[test]
    fn declarations_are_checked() -> TestResult {
        for bad in [
            r#"<p:e/>"#,
            r#"<e xmlns:p="urn:a" xmlns:p="urn:b"/>"#,
            r#"<xml:e/>"#,
            r#"<xmlns:e/>"#,
            r#"<e xmlns:xml="urn:x"/>"#,
            r#"<e xmlns:p="http://www.w3.org/XML/1998/namespace"/>"#,
            r#"<e xmlns="http://www.w3.org/XML/1998/namespace"/>"#,
            r#"<e xmlns:p="http://www.w3.org/2000/xmlns/"/>"#,
            r#"<e p:a="1"/>"#,
            r#"<e xmlns:p="urn:x" xmlns:q="urn:x" p:a="1" q:a="2"/>"#,
            r#"<e a="1" a="2"/>"#,
            r#"<e xmlns:="urn:x"/>"#,
        ] {
            assert!(Document::parse(bad).is_err(), "{bad}");
        }
        for good in [
            r#"<e xml:lang="en" xmlns:xml="http://www.w3.org/XML/1998/namespace"/>"#,
            r#"<e xmlns:p="urn:x" a="1" p:a="2"/>"#,
            r#"<e xmlns:p="urn:x"><p:a xmlns:p="urn:y"/></e>"#,
        ] {
            assert!(Document::parse(good).is_ok(), "{good}");
        }
        // A repeated default declaration: the first counts.
        assert_eq!(
            elements(r#"<e xmlns="urn:a" xmlns="urn:b"/>"#)?,
            vec![ns("urn:a", "e")]
        );
        Ok(())
    }

    #[test]
    fn namespace_values_are_normalised_attribute_values() -> TestResult {
        for (value, uri) in [
            ("DAV&#58;", "DAV:"),
            ("&#x44;AV:", "DAV:"),
            ("urn:x&amp;y", "urn:x&y"),
            ("urn:a\tb", "urn:a b"),
            ("urn:a\nb", "urn:a b"),
            ("urn:a\rb", "urn:a b"),
            ("urn:a\r\nb", "urn:a b"),
            ("urn:a&#13;&#10;b", "urn:a\r\nb"),
            ("urn:'>", "urn:'>"),
        ] {
            let text = format!("<e xmlns=\"{value}\"/>");
            assert_eq!(elements(&text)?, vec![ns(uri, "e")], "{value:?}");
        }
        assert_eq!(
            elements("<e xmlns='urn:\"q\"'/>")?,
            vec![ns("urn:\"q\"", "e")]
        );
        assert!(Document::parse("<e xmlns=\"urn:<\"/>").is_err());
        Ok(())
    }

    #[test]
    fn references_in_text_are_decoded() -> TestResult {
        assert_eq!(
            all_text("<e>/a?b=1&amp;c=&lt;2&gt; &quot;&apos; &#65;&#x42;&#x1F600; &#x110000;</e>")?,
            "/a?b=1&c=<2> \"' AB\u{1F600} \u{FFFD}"
        );
        assert_eq!(all_text("<e>&#0000065;</e>")?, "A");
        for bad in [
            "<e>&#0;</e>",
            "<e>&#xFFFE;</e>",
            "<e>&#;</e>",
            "<e>&#x;</e>",
            "<e>&#X41;</e>",
            "<e>&#65</e>",
            "<e>&#99999999999;</e>",
            "<e>&nbsp;</e>",
            "<e>&amp</e>",
            "<e>a & b</e>",
            "<e a='&bogus;'/>",
        ] {
            assert!(Document::parse(bad).is_err(), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn cdata_joins_the_text_run_and_comments_split_it() -> TestResult {
        let doc = Document::parse("<e>a<![CDATA[<b>&amp;]]>c<!-- x -->d<?p?>e<f/>g</e>")
            .map_err(|e| e.to_string())?;
        let texts: Vec<_> = doc
            .root_element()
            .children()
            .map(|n| n.text().unwrap_or("<element>"))
            .collect();
        assert_eq!(texts, vec!["a<b>&amp;c", "d", "e", "<element>", "g"]);
        Ok(())
    }

    #[test]
    fn children_and_descendants_follow_the_tree() -> TestResult {
        let doc =
            Document::parse("<r><a><b/>t<c><d/></c></a><e/></r>").map_err(|e| e.to_string())?;
        let root = doc.root_element();
        let names = |it: &mut dyn Iterator<Item = Node<'_, '_>>| {
            it.map(|n| n.text().unwrap_or(n.name()).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&mut root.children()), vec!["a", "e"]);
        let a = root.children().next().ok_or("no first child")?;
        assert_eq!(names(&mut a.children()), vec!["b", "t", "c"]);
        assert_eq!(names(&mut a.descendants()), vec!["a", "b", "t", "c", "d"]);
        assert_eq!(root.descendants().count(), 7);
        Ok(())
    }

    #[test]
    fn prolog_and_epilog() {
        for good in [
            "\u{FEFF}<e/>",
            "<?xml version=\"1.0\"?><e/>",
            "<?xml version='1.0' encoding='utf-8' standalone='no' ?>\n<!-- c --><?pi x?>\n<e/>\n<!-- c -->",
            "<?xml?><e/>",
            "<?xml-stylesheet href='a'?><e/>",
            "<e/><?pi?>",
        ] {
            assert!(Document::parse(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            "<!-- only a comment -->",
            "<?xml version=\"1.0\"encoding=\"utf-8\"?><e/>",
            "<?xml encoding=\"utf-8\"?><e/>",
            "<?xml version=\"1.0\" standalone=\"yes\" encoding=\"utf-8\"?><e/>",
            "<e/><?xml version=\"1.0\"?>",
            "<!DOCTYPE e><e/>",
            "<!DOCTYPE e [<!ENTITY a \"aaaa\">]><e>&a;</e>",
            "<e/><f/>",
            "<e/>text",
            "<e/>\u{A0}",
            "<!-- a -- b --><e/>",
            "<!-- a ---><e/>",
        ] {
            assert!(Document::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn malformed_input_is_an_error_with_a_position() -> TestResult {
        for bad in [
            "<",
            "<e",
            "<e ",
            "<e a",
            "<e a=",
            "<e a='1",
            "<e a='1'",
            "<e a='1'b='2'/>",
            "<e a='<'/>",
            "<e>",
            "<e></f>",
            "<e></e></e>",
            "<e/></e>",
            "<a:b:c/>",
            "<1e/>",
            "<:/>",
            "<e/ >",
            "<e><!DOCTYPE x></e>",
            "<e><!x></e>",
            "<e>]]></e>",
            "<e><![CDATA[x</e>",
            "<e><!-- x</e>",
            "<e><?p x</e>",
            "<e><??></e>",
            "<e>\u{1}</e>",
            "<e>\u{FFFF}</e>",
            "<e a='\u{0}'/>",
            "<e><",
        ] {
            assert!(Document::parse(bad).is_err(), "{bad:?}");
        }
        let e = Document::parse("<e>\n  <f>\n  </g>\n</e>")
            .err()
            .ok_or("expected an error")?;
        assert_eq!((e.line, e.column), (3, 3));
        assert_eq!(
            e.to_string(),
            "an end tag does not match its start tag at 3:3"
        );
        let e = Document::parse("<e>\u{e9}\u{e9}&x;</e>")
            .err()
            .ok_or("expected an error")?;
        assert_eq!((e.line, e.column), (1, 6));
        Ok(())
    }

    #[test]
    fn odd_but_well_formed_names_and_quotes() -> TestResult {
        assert_eq!(
            elements("<\u{e9}t\u{e9} a-b.c_d='x' e = \"y\" ></\u{e9}t\u{e9}  >")?,
            vec![(None, "\u{e9}t\u{e9}".to_string())]
        );
        // An empty prefix before the colon is read as no prefix (as before).
        assert_eq!(elements("<:e></e>")?, vec![(None, "e".to_string())]);
        assert!(Document::parse("<e>\t\r\n \u{7F}\u{10FFFF}</e>").is_ok());
        Ok(())
    }

    #[test]
    fn deep_nesting_is_a_loop_and_the_node_limit_bounds_it() -> TestResult {
        let depth = MAX_NODES - 1;
        let deep = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let doc = Document::parse(&deep).map_err(|e| e.to_string())?;
        assert_eq!(doc.root_element().descendants().count(), depth);
        assert_eq!(doc.root_element().children().count(), 1);
        let deeper = format!("{}{}", "<a>".repeat(depth + 1), "</a>".repeat(depth + 1));
        let e = Document::parse(&deeper).err().ok_or("expected an error")?;
        assert_eq!(e.reason, "too many nodes");
        let unclosed = "<a>".repeat(100_000);
        assert!(Document::parse(&unclosed).is_err());
        Ok(())
    }

    #[test]
    fn many_declarations_and_attributes_stay_fast_enough_to_finish() -> TestResult {
        // Hostile shapes for a 64 KiB body: thousands of prefixes in scope, thousands of
        // attributes on one element. Work is O(n log n); this only checks the results.
        let prefixes: String = (0..3000)
            .map(|i| format!(" xmlns:p{i}='urn:{i}'"))
            .collect();
        let children: String = (0..3000).map(|i| format!("<p{i}:c/>")).collect();
        let doc_text = format!("<e{prefixes}>{children}</e>");
        let doc = Document::parse(&doc_text).map_err(|e| e.to_string())?;
        let last = doc
            .root_element()
            .children()
            .last()
            .ok_or("no last child")?;
        assert_eq!(last.namespace(), Some("urn:2999"));
        let attributes: String = (0..8000).map(|i| format!(" a{i}='1'")).collect();
        assert!(Document::parse(&format!("<e{attributes}/>")).is_ok());
        assert!(Document::parse(&format!("<e{attributes} a7999='2'/>")).is_err());
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2048,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(doc) = Document::parse(&text) {
                let root = doc.root_element();
                prop_assert!(root.is_element());
                prop_assert!(root.descendants().count() < MAX_NODES);
            }
            let wrapped = format!("<e>{text}</e>");
            let _ = Document::parse(&wrapped);
        }

        #[test]
        fn markup_characters_never_panic(text in "[<>/!?\\[\\]\\-:=\"' &#;xamplgtquo0-9A-Fa-f\\r\\n\u{e9}\u{FEFF}]{0,64}") {
            if let Ok(doc) = Document::parse(&text) {
                let root = doc.root_element();
                let children = root.children().count();
                prop_assert!(children < root.descendants().count());
            }
        }
    }
}
