//! Canonical writing of changed lines: CRLF, folded at 75 octets on UTF-8 character boundaries.

/// Longest physical line in octets, excluding CRLF (RFC 5545 §3.1).
pub const FOLD_AT: usize = 75;

/// Writes one unfolded line folded at [`FOLD_AT`] octets; a continuation starts with one space,
/// which counts toward its 75 octets. Never splits a UTF-8 character.
pub fn write_folded(text: &str, out: &mut Vec<u8>) {
    let mut used = 0;
    for c in text.chars() {
        let len = c.len_utf8();
        if used + len > FOLD_AT {
            out.extend_from_slice(b"\r\n ");
            used = 1;
        }
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        used += len;
    }
    out.extend_from_slice(b"\r\n");
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
    fn short_line_unfolded() {
        let mut out = Vec::new();
        write_folded("A:b", &mut out);
        assert_eq!(out, b"A:b\r\n");
    }
}
