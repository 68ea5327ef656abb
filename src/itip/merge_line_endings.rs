//! The local copy's line endings adjusted to the server copy's before a merge.
//!
//! The merge output is the server copy, and lines the merge carries over from the local copy
//! (an alarm, TRANSP, an EXDATE, ...) keep their original bytes. A local copy with LF (or bare
//! CR) line endings would then put LF lines into a CRLF server copy. RFC 5545 §3.1 ends every
//! content line with CRLF, so carried lines take the server copy's line ending instead: the
//! local text is rewritten to that ending before it is parsed. Content lines cannot contain a
//! bare CR or LF (RFC 5545 §3.1, §3.3.11), so only line breaks and folds change.

/// A line ending style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    CrLf,
    Lf,
    Cr,
}

impl Ending {
    fn as_str(self) -> &'static str {
        match self {
            Ending::CrLf => "\r\n",
            Ending::Lf => "\n",
            Ending::Cr => "\r",
        }
    }
}

/// The ending of the first line break of `text`, if it has one.
fn first_ending(text: &str) -> Option<Ending> {
    let bytes = text.as_bytes();
    let at = bytes.iter().position(|b| *b == b'\r' || *b == b'\n')?;
    Some(match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'\r'), Some(b'\n')) => Ending::CrLf,
        (Some(b'\r'), _) => Ending::Cr,
        _ => Ending::Lf,
    })
}

/// True when every line break of `text` is `ending`.
fn uses_only(text: &str, ending: Ending) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(at, b)| match (b, ending) {
        (b'\r', Ending::CrLf) => bytes.get(at + 1) == Some(&b'\n'),
        (b'\n', Ending::CrLf) => at > 0 && bytes.get(at - 1) == Some(&b'\r'),
        (b'\r', Ending::Lf) | (b'\n', Ending::Cr) => false,
        _ => true,
    })
}

/// `local` with every line break (CRLF, LF or a bare CR) written as the server copy's first one.
/// Unchanged (no copy) when it already uses that ending, or when the server copy has no line
/// break.
pub fn like_server(local: String, server: &str) -> String {
    let Some(ending) = first_ending(server) else {
        return local;
    };
    if uses_only(&local, ending) {
        return local;
    }
    let mut out = String::with_capacity(local.len() + local.len() / 32);
    let mut rest = local.as_str();
    while let Some(at) = rest.find(['\r', '\n']) {
        out.push_str(rest.get(..at).unwrap_or_default());
        out.push_str(ending.as_str());
        let skip = if rest.get(at..at + 2) == Some("\r\n") {
            2
        } else {
            1
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
    fn lf_local_takes_crlf_from_the_server() {
        assert_eq!(
            like_server("A:1\n B\nC:2\n".to_string(), "X:1\r\nY:2\r\n"),
            "A:1\r\n B\r\nC:2\r\n"
        );
    }

    #[test]
    fn crlf_and_bare_cr_local_take_lf_from_the_server() {
        assert_eq!(
            like_server("A:1\r\nB:2\rC:3".to_string(), "X:1\nY:2\n"),
            "A:1\nB:2\nC:3"
        );
    }

    #[test]
    fn same_ending_or_no_server_line_break_is_unchanged() {
        assert_eq!(like_server("A:1\r\n".to_string(), "X\r\n"), "A:1\r\n");
        assert_eq!(like_server("A:1\n".to_string(), "X"), "A:1\n");
        assert_eq!(like_server("A:1\n".to_string(), "X\rY\r"), "A:1\r");
    }
}
