//! Writing lines out: untouched lines as their original bytes, a run of them that sits together
//! in one input copied at once; changed lines canonically (CRLF, folded at 75 octets on UTF-8
//! character boundaries).

use super::source::Source;

/// Longest physical line in octets, excluding CRLF (RFC 5545 §3.1).
pub const FOLD_AT: usize = 75;

/// Where written lines go: bytes, or text.
pub(crate) trait Sink {
    /// Appends `src[start..end]`; `false` (nothing appended) when it cannot go here.
    fn raw(&mut self, src: &Source, start: u32, end: u32) -> bool;
    /// Appends one unfolded line, folded.
    fn line(&mut self, text: &str);
}

impl Sink for Vec<u8> {
    fn raw(&mut self, src: &Source, start: u32, end: u32) -> bool {
        self.extend_from_slice(src.bytes_at(start, end));
        true
    }

    fn line(&mut self, text: &str) {
        write_folded(text, self);
    }
}

impl Sink for String {
    fn raw(&mut self, src: &Source, start: u32, end: u32) -> bool {
        // An input that is not text as a whole (a fold splitting a character) still has runs
        // of lines that are: those are checked here.
        let text = match src.str_at(start, end) {
            Some(text) => Some(text),
            None => std::str::from_utf8(src.bytes_at(start, end)).ok(),
        };
        match text {
            Some(text) => {
                self.push_str(text);
                true
            }
            None => false,
        }
    }

    fn line(&mut self, text: &str) {
        write_folded_text(text, self);
    }
}

/// Writes a tree's lines in order into a [`Sink`], joining original bytes that follow each
/// other in the same input into one copy.
pub(crate) struct LineWriter<'a, 's, S: Sink> {
    sink: &'s mut S,
    /// Original bytes not yet copied: `src[start..end]`.
    run: Option<(&'a Source, u32, u32)>,
    ok: bool,
}

impl<'a, 's, S: Sink> LineWriter<'a, 's, S> {
    /// A writer appending to `sink`.
    pub(crate) fn new(sink: &'s mut S) -> Self {
        LineWriter {
            sink,
            run: None,
            ok: true,
        }
    }

    /// Original bytes `src[start..end]`.
    pub(crate) fn raw(&mut self, src: &'a Source, start: u32, end: u32) {
        if let Some((run_src, _, run_end)) = &mut self.run {
            if std::ptr::eq(*run_src, src) && *run_end == start {
                *run_end = end;
                return;
            }
        }
        self.flush();
        self.run = Some((src, start, end));
    }

    /// A changed or new line, written canonically.
    pub(crate) fn line(&mut self, text: &str) {
        self.flush();
        self.sink.line(text);
    }

    fn flush(&mut self) {
        if let Some((src, start, end)) = self.run.take() {
            self.ok &= self.sink.raw(src, start, end);
        }
    }

    /// Writes what is pending; `false` when some original bytes could not go into the sink.
    pub(crate) fn finish(mut self) -> bool {
        self.flush();
        self.ok
    }
}

/// Writes one unfolded line folded at [`FOLD_AT`] octets; a continuation starts with one space,
/// which counts toward its 75 octets. Never splits a UTF-8 character.
pub fn write_folded(text: &str, out: &mut Vec<u8>) {
    fold(text, |piece| out.extend_from_slice(piece.as_bytes()));
}

/// [`write_folded`] into a string.
pub fn write_folded_text(text: &str, out: &mut String) {
    fold(text, |piece| out.push_str(piece));
}

/// Hands `put` the physical lines of `text` folded, with their line endings.
fn fold(text: &str, mut put: impl FnMut(&str)) {
    for (i, piece) in fold_pieces(text).enumerate() {
        if i > 0 {
            put("\r\n ");
        }
        put(piece);
    }
    put("\r\n");
}

/// How many bytes [`write_folded`] writes for `text`.
pub fn folded_len(text: &str) -> usize {
    let folds = fold_pieces(text).count().saturating_sub(1);
    text.len() + 3 * folds + 2
}

/// The pieces of `text` that go on one physical line each: the longest prefix that fits (75
/// octets on the first line, 74 after the leading space of a continuation) and ends on a
/// character boundary.
fn fold_pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    let mut room = FOLD_AT;
    std::iter::from_fn(move || {
        let current = rest?;
        let mut end = room.min(current.len());
        while !current.is_char_boundary(end) {
            end -= 1;
        }
        let (piece, after) = current.split_at(end);
        rest = (!after.is_empty()).then_some(after);
        room = FOLD_AT - 1;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l1_multibyte_at_the_fold_moves_to_the_next_line() {
        let text = format!("SUMMARY:{}é rest", "x".repeat(66)); // é at octets 75-76
        let mut out = Vec::new();
        write_folded(&text, &mut out);
        let s = String::from_utf8(out).unwrap_or_default();
        let lines: Vec<&str> = s.split("\r\n").collect();
        assert_eq!(lines.first().map(|l| l.len()), Some(74));
        assert!(lines.get(1).is_some_and(|l| l.starts_with(" é")));
        assert!(s.split("\r\n").all(|l| l.len() <= FOLD_AT));
        assert_eq!(s.replace("\r\n ", ""), format!("{text}\r\n"));
    }

    #[test]
    fn folded_len_counts_what_is_written() {
        for text in [
            String::new(),
            "A:b".to_string(),
            "x".repeat(75),
            "x".repeat(76),
            "é".repeat(200),
            format!("S:{}", "ab€".repeat(90)),
        ] {
            let mut out = Vec::new();
            write_folded(&text, &mut out);
            assert_eq!(folded_len(&text), out.len(), "{text:?}");
            let s = String::from_utf8(out).unwrap_or_default();
            assert!(s.split("\r\n").all(|l| l.len() <= FOLD_AT));
            assert_eq!(s.replace("\r\n ", ""), format!("{text}\r\n"));
        }
    }

    #[test]
    fn short_line_unfolded() {
        let mut out = Vec::new();
        write_folded("A:b", &mut out);
        assert_eq!(out, b"A:b\r\n");
    }
}
