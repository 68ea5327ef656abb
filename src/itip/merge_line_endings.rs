//! The local copy's line endings made CRLF before a merge.
//!
//! The merge output is the server copy, and lines the merge carries over from the local copy
//! (an alarm, TRANSP, an EXDATE, ...) keep their original bytes. A local copy with LF (or bare
//! CR) line endings would then put LF lines into the server copy. Carried lines are new lines
//! of the output, and like every line the merge writes they end in CRLF (RFC 5545 §3.1;
//! VECTORS L11: new and changed lines CRLF, untouched server lines keep theirs): the local text
//! gets CRLF line endings before it is parsed. Content lines cannot contain a bare CR or LF
//! (RFC 5545 §3.1, §3.3.11), so only line breaks and folds change.
//!
//! The server copy and the base are read the same way: a bare CR is a line break in every copy
//! ([`bare_cr_as_crlf`]), so that a CR CR LF copy is the same object on every side (its UID is
//! never read as `UID\r` on one side only). Their LF and CRLF line breaks are left alone: the
//! output is the server copy, whose untouched lines keep their bytes (VECTORS L11).

use crate::ical::ascii::find_byte;

/// True when every line break of `text` is CRLF: each LF follows a CR and each CR precedes an
/// LF. Line breaks are found eight bytes at a time (a byte loop here cost 9 % of a merge).
fn only_crlf(text: &str) -> bool {
    let bytes = text.as_bytes();
    every(bytes, b'\n', |at| {
        at > 0 && bytes.get(at - 1) == Some(&b'\r')
    }) && no_bare_cr(text)
}

/// True when `ok` holds at every position of `needle` in `bytes`.
fn every(bytes: &[u8], needle: u8, ok: impl Fn(usize) -> bool) -> bool {
    let mut from = 0;
    while let Some(i) = bytes.get(from..).and_then(|rest| find_byte(rest, needle)) {
        let at = from + i;
        if !ok(at) {
            return false;
        }
        from = at + 1;
    }
    true
}

/// True when no CR of `text` stands alone (each precedes an LF).
fn no_bare_cr(text: &str) -> bool {
    let bytes = text.as_bytes();
    every(bytes, b'\r', |at| bytes.get(at + 1) == Some(&b'\n'))
}

/// True when a CR of `text` stands alone, so [`bare_cr_as_crlf`] changes it.
pub fn has_bare_cr(text: &str) -> bool {
    !no_bare_cr(text)
}

/// `text` with every bare CR (one not followed by LF) written as CRLF, the line break it stands
/// for (as [`with_crlf`] reads it); LF and CRLF stay as they are. Unchanged (no copy) when
/// there is none.
pub fn bare_cr_as_crlf(text: String) -> String {
    if no_bare_cr(&text) {
        return text;
    }
    breaks_as_crlf(&text, |c| c == '\r')
}

/// `local` with every line break (CRLF, LF or a bare CR) written as CRLF; unchanged (no copy)
/// when it already is.
pub fn with_crlf(local: String) -> String {
    if only_crlf(&local) {
        return local;
    }
    breaks_as_crlf(&local, |c| c == '\r' || c == '\n')
}

/// `text` with each line break that starts at a character `starts_break` accepts (CRLF counting
/// as one) written as CRLF.
fn breaks_as_crlf(text: &str, starts_break: fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut rest = text;
    while let Some(at) = rest.find(starts_break) {
        out.push_str(rest.get(..at).unwrap_or_default());
        out.push_str("\r\n");
        // CRs then an LF are one break (CR CR LF is a CRLF line written by a tool that added a
        // CR of its own): writing each as its own break would put a blank line after every line.
        let after = rest.get(at..).unwrap_or_default();
        let crs = after.len() - after.trim_start_matches('\r').len();
        let skip = match after.as_bytes().get(crs) {
            Some(b'\n') => crs + 1,
            _ => crs.max(1),
        };
        rest = rest.get(at + skip..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_cr_and_mixed_become_crlf() {
        assert_eq!(
            with_crlf("A:1\n B\nC:2\n".to_string()),
            "A:1\r\n B\r\nC:2\r\n"
        );
        assert_eq!(
            with_crlf("A:1\r\nB:2\rC:3".to_string()),
            "A:1\r\nB:2\r\nC:3"
        );
        assert_eq!(with_crlf("A:1\r\r\nB".to_string()), "A:1\r\nB");
    }

    #[test]
    fn only_crlf_finds_any_other_break() {
        assert!(only_crlf("A:1\r\nB:2\r\n"));
        assert!(only_crlf("no break"));
        for text in ["A:1\nB", "\nA", "A\r", "A\rB\r\n", "A\r\r\nB", "A\r\n\nB"] {
            assert!(!only_crlf(text), "{text:?}");
        }
    }

    #[test]
    fn bare_cr_becomes_crlf_and_lf_stays() {
        assert_eq!(bare_cr_as_crlf("A:1\r\r\nB".to_string()), "A:1\r\nB");
        assert_eq!(bare_cr_as_crlf("A:1\r\rB".to_string()), "A:1\r\nB");
        assert_eq!(
            bare_cr_as_crlf("A:1\nB:2\rC:3\r\n".to_string()),
            "A:1\nB:2\r\nC:3\r\n"
        );
        assert_eq!(bare_cr_as_crlf("A:1\r".to_string()), "A:1\r\n");
        for text in ["A:1\nB\n", "A:1\r\n B\r\n", "A"] {
            assert_eq!(bare_cr_as_crlf(text.to_string()), text);
        }
    }

    #[test]
    fn crlf_is_unchanged() {
        assert_eq!(with_crlf("A:1\r\n B\r\n".to_string()), "A:1\r\n B\r\n");
        assert_eq!(with_crlf("A:1".to_string()), "A:1");
    }
}
