//! The parsed input, kept once and shared by every line that still points into it: untouched
//! lines are byte ranges of it, never copies.

use std::rc::Rc;

use crate::error::{Error, ErrorCode, Result};

/// The bytes a document was parsed from.
#[derive(Debug)]
pub(crate) enum Source {
    /// Valid UTF-8 as a whole (the usual case): unfolded lines are ranges of this text.
    Text(String),
    /// Not UTF-8 as a whole (e.g. a fold that splits a character): only the original bytes are
    /// shared; each line's text is its own decoded string.
    Bytes(Vec<u8>),
}

impl Source {
    /// Takes the input without copying it.
    pub(crate) fn new(bytes: Vec<u8>) -> Source {
        match String::from_utf8(bytes) {
            Ok(text) => Source::Text(text),
            Err(e) => Source::Bytes(e.into_bytes()),
        }
    }

    /// Takes text without copying or checking it again.
    pub(crate) fn from_text(text: String) -> Source {
        Source::Text(text)
    }

    /// A source of no bytes, for lines that come from no input.
    pub(crate) fn empty() -> Rc<Source> {
        Rc::new(Source::Bytes(Vec::new()))
    }

    /// All the bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Source::Text(text) => text.as_bytes(),
            Source::Bytes(bytes) => bytes,
        }
    }

    /// The whole input as text, when it is UTF-8.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Source::Text(text) => Some(text),
            Source::Bytes(_) => None,
        }
    }

    /// `bytes[start..end]` (empty when out of range).
    pub(crate) fn bytes_at(&self, start: u32, end: u32) -> &[u8] {
        self.bytes()
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// `text[start..end]` (empty when out of range, off a character boundary or not text).
    pub(crate) fn text_at(&self, start: u32, end: u32) -> &str {
        self.str_at(start, end).unwrap_or_default()
    }

    /// `text[start..end]`, when the source is text and the range is on character boundaries.
    pub(crate) fn str_at(&self, start: u32, end: u32) -> Option<&str> {
        self.text()?.get(start as usize..end as usize)
    }
}

/// An offset within an input already checked with [`offset`] (so it fits).
pub(crate) fn within(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A byte offset or count as stored in the tree (32 bits keep the nodes small). Inputs are far
/// below this (`limits.maxBytes`, 16 MiB by default); anything larger is `TOO_LARGE`.
pub(crate) fn offset(n: usize) -> Result<u32> {
    u32::try_from(n).map_err(|_| {
        Error::new(
            ErrorCode::TooLarge,
            format!("input of {n} bytes or more: at most 4 GiB can be parsed"),
        )
    })
}
