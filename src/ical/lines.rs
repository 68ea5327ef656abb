//! Splitting input bytes into logical (unfolded) content lines, each with the byte range of the
//! physical lines it came from (RFC 5545 §3.1).

use std::ops::Range;

use super::ascii::find_byte;
use super::limits::Limits;
use crate::error::{Error, ErrorCode, Result};

/// A logical line: the byte range of its physical lines.
pub(crate) struct LogicalLine {
    /// Start of the first physical line.
    pub(crate) start: usize,
    /// End of the first physical line's content (before its line ending).
    pub(crate) content_end: usize,
    /// End of the last physical line, line ending included.
    pub(crate) end: usize,
    /// Continuation lines followed: the text is `src[start..end]` unfolded ([`unfold_into`]).
    pub(crate) folded: bool,
    /// How many continuation lines followed.
    pub(crate) folds: usize,
    /// The length of the unfolded text.
    pub(crate) len: usize,
    /// The content of the last physical line (a continuation without its leading space or
    /// tab, or the only line): `src[last.0..last.1]`, the end of the unfolded text.
    pub(crate) last: (usize, usize),
    /// The 1-based number of the first physical line.
    pub(crate) line: usize,
}

/// Splits bytes into logical lines, finding folds on bytes (a fold may split a UTF-8
/// character); the caller unfolds and decodes.
pub(crate) struct LineSplitter<'a> {
    src: &'a [u8],
    /// `\n`, or `\r` for old Mac files that have no LF at all.
    eol: u8,
    pos: usize,
    line: usize,
    limits: &'a Limits,
}

impl<'a> LineSplitter<'a> {
    /// Lines of `src` from byte `pos` (after a byte-order mark), ending in `eol`.
    pub(crate) fn new(src: &'a [u8], pos: usize, eol: u8, limits: &'a Limits) -> Self {
        LineSplitter {
            src,
            eol,
            pos,
            line: 1,
            limits,
        }
    }

    /// The physical line from `from`: (content end, end including its line ending).
    fn physical(&self, from: usize) -> Option<(usize, usize)> {
        let rest = self.src.get(from..).filter(|r| !r.is_empty())?;
        let (content_end, end) = match find_byte(rest, self.eol) {
            Some(nl) => (from + nl, from + nl + 1),
            None => (from + rest.len(), from + rest.len()),
        };
        let content_end = if self.eol == b'\n'
            && content_end > from
            && matches!(self.src.get(content_end - 1), Some(b'\r'))
        {
            content_end - 1
        } else {
            content_end
        };
        Some((content_end, end))
    }

    /// The line ending byte.
    pub(crate) fn eol(&self) -> u8 {
        self.eol
    }

    /// The next logical line, or `None` at the end of the input.
    pub(crate) fn next_line(&mut self) -> Result<Option<LogicalLine>> {
        let start = self.pos;
        let Some((content_end, mut end)) = self.physical(start) else {
            return Ok(None);
        };
        let first_line = self.line;
        if matches!(self.src.get(start), Some(b' ' | b'\t')) {
            return Err(Error::at(
                ErrorCode::Parse,
                first_line,
                "continuation line (starting with a space) with no line to continue",
            ));
        }
        self.line += 1;
        // The unfolded length: the first content, then each continuation without its space.
        let mut len = content_end - start;
        let mut folds = 0;
        let mut last = (start, content_end);
        if content_end > start {
            while matches!(self.src.get(end), Some(b' ' | b'\t')) {
                let Some((ce, e)) = self.physical(end) else {
                    break;
                };
                folds += 1;
                last = (end + 1, ce.max(end + 1));
                len += ce.saturating_sub(end + 1);
                if len > self.limits.max_line_bytes {
                    return Err(self.too_long(first_line));
                }
                end = e;
                self.line += 1;
            }
        }
        if len > self.limits.max_line_bytes {
            return Err(self.too_long(first_line));
        }
        self.pos = end;
        Ok(Some(LogicalLine {
            start,
            content_end,
            end,
            folded: folds > 0,
            folds,
            len,
            last,
            line: first_line,
        }))
    }

    fn too_long(&self, line: usize) -> Error {
        Error::at(
            ErrorCode::TooLarge,
            line,
            format!(
                "content line longer than {} bytes (limits.maxLineBytes)",
                self.limits.max_line_bytes
            ),
        )
    }
}

/// Appends the unfolded content of a logical line's bytes `raw` (line endings and folds
/// included) to `out`: each physical line without its line ending (`eol`, with one CR before an
/// LF), continuations without their leading space or tab.
pub(crate) fn unfold_into(raw: &[u8], eol: u8, out: &mut Vec<u8>) {
    for piece in unfolded_pieces(raw, eol) {
        out.extend_from_slice(raw.get(piece).unwrap_or_default());
    }
}

/// [`unfold_into`] for text: the pieces are cut next to ASCII line endings and fold spaces, so
/// they are text too and need no UTF-8 check.
pub(crate) fn unfold_text_into(raw: &str, eol: u8, out: &mut String) {
    for piece in unfolded_pieces(raw.as_bytes(), eol) {
        out.push_str(raw.get(piece).unwrap_or_default());
    }
}

/// The ranges of `raw` that make up its unfolded content (see [`unfold_into`]).
fn unfolded_pieces(raw: &[u8], eol: u8) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = Some(0);
    std::iter::from_fn(move || {
        let start = pos.filter(|&p| p < raw.len())?;
        let rest = raw.get(start..).unwrap_or_default();
        let (mut end, after) = match find_byte(rest, eol) {
            Some(i) => (start + i, Some(start + i + 1)),
            None => (raw.len(), None),
        };
        if eol == b'\n' && end > start && matches!(raw.get(end - 1), Some(b'\r')) {
            end -= 1;
        }
        // Continuations lose their leading space or tab.
        let from = if start == 0 { 0 } else { (start + 1).min(end) };
        pos = after;
        Some(from..end)
    })
}

/// Where the unfolded content from offset `from` to its end lies in `raw` (the bytes of a
/// logical line, as for [`unfold_into`]), when it is one piece: no fold after `from`.
pub(crate) fn unfolded_tail(raw: &[u8], eol: u8, from: usize) -> Option<Range<usize>> {
    let mut pos = 0;
    // The unfolded offset where the current physical line's content starts.
    let mut unfolded = 0;
    loop {
        let content_start = if pos == 0 { 0 } else { pos + 1 };
        let (line_end, next) = match find_byte(raw.get(pos..)?, eol) {
            Some(i) => (pos + i, pos + i + 1),
            None => (raw.len(), raw.len()),
        };
        let content_end =
            if eol == b'\n' && line_end > pos && matches!(raw.get(line_end - 1), Some(b'\r')) {
                line_end - 1
            } else {
                line_end
            }
            .max(content_start);
        let len = content_end - content_start;
        if next >= raw.len() {
            let skip = from.checked_sub(unfolded).filter(|&s| s <= len)?;
            return Some(content_start + skip..content_end);
        }
        if from < unfolded + len {
            return None;
        }
        unfolded += len;
        pos = next;
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn unfolding_drops_line_endings_and_one_leading_space() {
        let mut out = Vec::new();
        unfold_into(b"A:b\r\n c\r\n\t\td\n e\r\n", b'\n', &mut out);
        assert_eq!(out, b"A:bc\tde");
        out.clear();
        unfold_into(b"A:b\r c\r", b'\r', &mut out);
        assert_eq!(out, b"A:bc");
        out.clear();
        unfold_into(b"A:x\ry\n z", b'\n', &mut out);
        assert_eq!(out, b"A:x\ryz");
        // Text unfolds to the same pieces.
        for (raw, eol) in [
            ("A:bé\r\n c\r\n\t\td\n e\r\n", b'\n'),
            ("A:b\r c\r", b'\r'),
            ("A:x\ry\n z", b'\n'),
            ("A:\r\n \r\n\r\n  ü\r", b'\n'),
            ("", b'\n'),
        ] {
            let mut bytes = Vec::new();
            unfold_into(raw.as_bytes(), eol, &mut bytes);
            let mut text = String::new();
            unfold_text_into(raw, eol, &mut text);
            assert_eq!(text.as_bytes(), bytes, "{raw:?}");
        }
    }

    #[test]
    fn an_unfolded_tail_is_found_in_the_raw_bytes() {
        // (raw, eol, where the last physical line's content starts in the unfolded text)
        for (raw, eol, last) in [
            (&b"A;B=1\r\n ;C=2:mailto:x@y\r\n"[..], b'\n', 5),
            (b"A;B=1\n ;C=2:mailto:x@\n y\n", b'\n', 19),
            (b"A:\r\n value", b'\n', 2),
            (b"A;B=\r c:d\r", b'\r', 4),
            (b"A:b\r\n \r\n c\r\n", b'\n', 3),
            (b"A:b\r\n", b'\n', 0),
        ] {
            let mut unfolded = Vec::new();
            unfold_into(raw, eol, &mut unfolded);
            for from in 0..=unfolded.len() + 1 {
                let tail = unfolded_tail(raw, eol, from);
                assert_eq!(
                    tail.is_some(),
                    from >= last && from <= unfolded.len(),
                    "{raw:?} {from}"
                );
                if let Some(range) = tail {
                    assert_eq!(raw[range], unfolded[from..], "{raw:?} {from}");
                }
            }
        }
    }
}
