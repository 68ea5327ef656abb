//! Calendar-user address normalisation for comparison (PROTOCOL.md §8). The original spelling is
//! always what gets written back; this only produces a comparison key.

use super::ascii::{eq_ignore_case, eq_ignore_case_bytes, lacks_byte, trim};

/// The comparison key of a calendar-user address:
/// - `mailto:` (any case): the whole address percent-decoded and lower-cased;
/// - `urn:` addresses (e.g. `urn:uuid:`): lower-cased;
///
/// Lower-casing is ASCII only: `Ü` and `ü` stay different. Mailbox local parts are formally
/// case-sensitive (RFC 5321 §2.4, RFC 6531 for non-ASCII ones); ignoring ASCII case follows
/// common practice (PROTOCOL.md §8), and Unicode case tables would cost the package ~16 KB gzip.
/// Other rules:
/// - `http:`/`https:`: scheme and host lower-cased, one trailing `/` removed;
/// - a bare path (`/principals/users/a/`): one trailing `/` removed;
/// - a bare `user@host` (no scheme) is read as `mailto:user@host`;
/// - anything else: scheme lower-cased, the rest exact.
///
/// Surrounding whitespace is ignored. To compare, prefer [`address_has_key`] and
/// [`same_address`]: they build no string.
pub fn normalize_address(address: &str) -> String {
    Key::of(address).into_string()
}

/// True when `address` normalises to `key` (a [`normalize_address`] result), without building
/// the address's key (only `%`-escapes and non-ASCII mailto/urn addresses need a copy).
pub fn address_has_key(address: &str, key: &str) -> bool {
    Key::of(address).equals(key)
}

/// True when `address` normalises to one of `keys` ([`address_has_key`] for a set).
pub fn address_has_any_key<S: AsRef<str>>(address: &str, keys: &[S]) -> bool {
    // Most addresses compared are other attendees' `mailto:`s: one whose key would have a
    // length no key has is not among them, without building its key.
    if let Some(len) = plain_mailto_key_len(address) {
        if !keys.iter().any(|key| key.as_ref().len() == len) {
            return false;
        }
    }
    let of = Key::of(address);
    keys.iter().any(|key| of.equals(key.as_ref()))
}

/// The length of the key of a `mailto:` address that its key only lower-cases (no
/// surrounding space, no `%`-escape): its own length. `None` for any other address.
fn plain_mailto_key_len(address: &str) -> Option<usize> {
    let bytes = address.as_bytes();
    let scheme = bytes.get(..7)?;
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    (eq_ignore_case_bytes(scheme, b"mailto:")
        && visible(bytes.get(7))
        && visible(bytes.last())
        && lacks_byte(address, b'%'))
    .then_some(bytes.len())
}

/// True for a `mailto:` address (scheme in any case, surrounding space ignored): the form iMIP
/// needs (RFC 6047 §2.3) and SENT-BY takes (RFC 5545 §3.2.18).
pub fn is_mailto(address: &str) -> bool {
    address
        .trim()
        .as_bytes()
        .get(..7)
        .is_some_and(|scheme| eq_ignore_case_bytes(scheme, b"mailto:"))
}

/// True when two addresses name the same calendar user (see [`normalize_address`]).
pub fn same_address(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (Key::of(a), Key::of(b)) {
        (Key::Owned(a), b) => b.equals(&a),
        (a, Key::Owned(b)) => a.equals(&b),
        (a, b) => a.len() == b.len() && a.bytes().eq(b.bytes()),
    }
}

/// A comparison key: most often pieces of the address itself, some lower-cased on the fly.
enum Key<'a> {
    /// The key is these pieces in order (unused ones are empty).
    Pieces([Piece<'a>; 4]),
    /// Keys that change length: percent-decoded addresses.
    Owned(String),
}

/// A piece of a key.
#[derive(Clone, Copy)]
enum Piece<'a> {
    /// As written.
    Exact(&'a str),
    /// ASCII letters lower-cased (other bytes as written).
    Lower(&'a str),
}

impl<'a> Piece<'a> {
    fn text(self) -> &'a str {
        match self {
            Piece::Exact(s) | Piece::Lower(s) => s,
        }
    }

    fn bytes(self) -> impl Iterator<Item = u8> + 'a {
        let lower = matches!(self, Piece::Lower(_));
        self.text()
            .bytes()
            .map(move |b| if lower { b.to_ascii_lowercase() } else { b })
    }
}

impl<'a> Key<'a> {
    /// The key of an address (the rules of [`normalize_address`]).
    fn of(address: &'a str) -> Key<'a> {
        use Piece::{Exact, Lower};
        let none = Exact("");
        let address = trim(address);
        let colon = address.bytes().position(|b| b == b':');
        let Some((scheme, rest)) =
            colon.and_then(|i| Some((address.get(..i)?, address.get(i + 1..)?)))
        else {
            if address.contains('@') && !address.starts_with('/') {
                return Key::mailto(address);
            }
            return Key::Pieces([Exact(strip_one_slash(address)), none, none, none]);
        };
        if eq_ignore_case(scheme, "mailto") {
            return Key::mailto(trim(rest));
        }
        if eq_ignore_case(scheme, "urn") {
            return Key::Pieces([Exact("urn:"), Lower(rest), none, none]);
        }
        if eq_ignore_case(scheme, "http") || eq_ignore_case(scheme, "https") {
            let rest = strip_one_slash(rest);
            let (authority, path) = match rest.strip_prefix("//") {
                Some(after) => match after.find('/') {
                    Some(i) => after.split_at(i),
                    None => (after, ""),
                },
                None => ("", rest),
            };
            if authority.is_empty() {
                return Key::Pieces([Lower(scheme), Exact(":"), Exact(path), none]);
            }
            return Key::Pieces([Lower(scheme), Exact("://"), Lower(authority), Exact(path)]);
        }
        Key::Pieces([Lower(scheme), Exact(":"), Exact(rest), none])
    }

    /// `mailto:` and the address percent-decoded and lower-cased.
    fn mailto(address: &'a str) -> Key<'a> {
        if lacks_byte(address, b'%') {
            let none = Piece::Exact("");
            return Key::Pieces([Piece::Exact("mailto:"), Piece::Lower(address), none, none]);
        }
        Key::Owned(format!(
            "mailto:{}",
            percent_decode(address).to_ascii_lowercase()
        ))
    }

    fn len(&self) -> usize {
        match self {
            Key::Pieces(pieces) => pieces.iter().map(|p| p.text().len()).sum(),
            Key::Owned(s) => s.len(),
        }
    }

    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let (pieces, owned): (&[Piece<'a>], &str) = match self {
            Key::Pieces(pieces) => (pieces, ""),
            Key::Owned(s) => (&[], s),
        };
        pieces.iter().flat_map(|p| p.bytes()).chain(owned.bytes())
    }

    /// The key as one string (built at its length, lower-casing in place: no `fmt`, no copy
    /// per piece).
    fn into_string(self) -> String {
        let pieces = match self {
            Key::Owned(s) => return s,
            Key::Pieces(pieces) => pieces,
        };
        let mut out = String::with_capacity(pieces.iter().map(|p| p.text().len()).sum());
        for piece in pieces {
            let start = out.len();
            out.push_str(piece.text());
            if let (Piece::Lower(_), Some(added)) = (piece, out.get_mut(start..)) {
                added.make_ascii_lowercase();
            }
        }
        out
    }

    /// True when this key is `key`.
    fn equals(&self, key: &str) -> bool {
        let pieces = match self {
            Key::Owned(s) => return s == key,
            Key::Pieces(pieces) => pieces,
        };
        // Lower-casing keeps lengths: most other addresses differ there already.
        if self.len() != key.len() {
            return false;
        }
        let mut rest = key.as_bytes();
        for piece in pieces {
            let text = piece.text().as_bytes();
            let Some((here, after)) = rest.split_at_checked(text.len()) else {
                return false;
            };
            let same = match piece {
                Piece::Exact(_) => here == text,
                Piece::Lower(_) => here
                    .iter()
                    .zip(text)
                    .all(|(k, a)| *k == a.to_ascii_lowercase()),
            };
            if !same {
                return false;
            }
            rest = after;
        }
        rest.is_empty()
    }
}

fn strip_one_slash(s: &str) -> &str {
    s.strip_suffix('/').unwrap_or(s)
}

/// Decodes `%XX` escapes; if the result is not UTF-8 (or an escape is broken) the input is kept.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_mailto_reads_the_scheme_in_any_case() {
        for yes in ["mailto:a@x", "MAILTO:a@x", " MailTo:a@x ", "mailto:"] {
            assert!(is_mailto(yes), "{yes:?}");
        }
        for no in [
            "",
            "mailto",
            "/principals/a/",
            "urn:uuid:1",
            "xmailto:a@x",
            "é",
        ] {
            assert!(!is_mailto(no), "{no:?}");
        }
    }

    #[test]
    fn mailto_case_and_percent() {
        assert!(same_address(
            "MAILTO:Wilfredo@Example.com",
            "mailto:wilfredo%40example.com"
        ));
        assert!(!same_address(
            "mailto:a@example.com",
            "mailto:b@example.com"
        ));
    }

    #[test]
    fn case_is_ascii_only() {
        assert_eq!(
            normalize_address("mailto:JÜRGEN@X.DE"),
            "mailto:jÜrgen@x.de"
        );
        assert!(same_address("mailto:Jürgen@x.de", "MAILTO:jürgen%40X.de"));
        assert!(!same_address("mailto:ÜLLA@x.de", "mailto:ülla@x.de"));
        assert!(same_address("urn:uuid:ABC-É", "urn:uuid:abc-É"));
    }

    #[test]
    fn http_trailing_slash_and_host_case() {
        assert!(same_address(
            "HTTPS://CalDAV.Example.com/principals/users/a/",
            "https://caldav.example.com/principals/users/a"
        ));
        // The path stays case-sensitive.
        assert!(!same_address(
            "https://h/principals/A",
            "https://h/principals/a"
        ));
    }

    #[test]
    fn urn_uuid_case_insensitive() {
        assert!(same_address("urn:uuid:0A1B-FF", "URN:UUID:0a1b-ff"));
    }

    #[test]
    fn bare_email_is_mailto_and_paths_drop_slash() {
        assert_eq!(normalize_address(" a@B.org "), "mailto:a@b.org");
        assert_eq!(normalize_address("/principals/a/"), "/principals/a");
    }

    #[test]
    fn keys_compare_like_the_normalised_strings() {
        let addresses = [
            "mailto:Wilfredo@Example.com",
            " MAILTO:wilfredo%40example.com ",
            "wilfredo@EXAMPLE.com",
            "mailto:Zoë@Example.com",
            "mailto:zoë@example.com",
            "mailto:ZOË@example.com",
            "urn:uuid:0A1B-FF",
            "URN:UUID:0a1b-ff",
            "urn:x:Ä",
            "https://CalDAV.Example.com/principals/A/",
            "HTTPS://caldav.example.com/principals/A",
            "http:/p/",
            "HTTP:/p",
            "/principals/a/",
            "/principals/a",
            "tel:+1-555",
            "TEL:+1-555",
            "mailto:a%zz@x",
            "",
            " ",
            "\u{a0}mailto:wilfredo@example.com\u{2003}",
            "mailto: wilfredo@example.com",
            "Mailto:WILFREDO@example.com ",
            "mailto:wilfredo@example.co",
            "mailto:wilfredo@example.con",
            "mailto:",
        ];
        for a in addresses {
            let key = normalize_address(a);
            assert!(address_has_key(a, &key), "{a:?}");
            for b in addresses {
                let same = key == normalize_address(b);
                assert_eq!(same_address(a, b), same, "{a:?} {b:?}");
                assert_eq!(address_has_key(b, &key), same, "{a:?} {b:?}");
                assert_eq!(address_has_any_key(b, &["x", &key]), same, "{a:?} {b:?}");
            }
        }
    }

    proptest::proptest! {
        /// The quick length test never answers differently from the keys themselves.
        #[test]
        fn any_key_is_key_equality(
            a in "(mailto:|MAILTO:|urn:|/| )?[aAbB%4@ .é]{0,6}",
            b in "(mailto:|MAILTO:|urn:|/| )?[aAbB%4@ .é]{0,6}",
        ) {
            let key = normalize_address(&a);
            proptest::prop_assert_eq!(
                address_has_any_key(&b, &[key.as_str()]),
                normalize_address(&b) == key
            );
        }
    }

    #[test]
    fn broken_percent_kept() {
        assert_eq!(normalize_address("mailto:a%zz@x"), "mailto:a%zz@x");
        assert_eq!(normalize_address("mailto:%ff@x"), "mailto:%ff@x");
    }
}
