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

    fn expect(&mut self, s: &'static str, reason: &'static str) -> Result<(), XmlError> {
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
        self.expect("=", "'=' was expected")?;
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
            return Err(self.error("more than 10000 nodes", at));
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
        self.expect("?>", "'?>' was expected")
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
                    self.expect(">", "'>' was expected")?;
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
        self.expect(">", "'>' was expected")?;
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
