//! Calendar-user address normalisation for comparison (PROTOCOL.md §8). The original spelling is
//! always what gets written back; this only produces a comparison key.

/// The comparison key of a calendar-user address:
/// - `mailto:` (any case): the whole address percent-decoded and lower-cased;
/// - `urn:` addresses (e.g. `urn:uuid:`): lower-cased;
/// - `http:`/`https:`: scheme and host lower-cased, one trailing `/` removed;
/// - a bare path (`/principals/users/a/`): one trailing `/` removed;
/// - a bare `user@host` (no scheme) is read as `mailto:user@host`;
/// - anything else: scheme lower-cased, the rest exact.
///
/// Surrounding whitespace is ignored.
pub fn normalize_address(address: &str) -> String {
    let address = address.trim();
    if let Some(key) = plain_mailto_key(address) {
        return key;
    }
    let Some((scheme, rest)) = address.split_once(':') else {
        if address.contains('@') && !address.starts_with('/') {
            return format!("mailto:{}", percent_decode(address).to_lowercase());
        }
        return strip_one_slash(address).to_string();
    };
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        "mailto" => format!("mailto:{}", percent_decode(rest.trim()).to_lowercase()),
        "urn" => format!("urn:{}", rest.to_lowercase()),
        "http" | "https" => {
            let rest = strip_one_slash(rest);
            let (authority, path) = match rest.strip_prefix("//") {
                Some(after) => match after.find('/') {
                    Some(i) => after.split_at(i),
                    None => (after, ""),
                },
                None => ("", rest),
            };
            if authority.is_empty() {
                format!("{scheme}:{path}")
            } else {
                format!("{scheme}://{}{path}", authority.to_ascii_lowercase())
            }
        }
        _ => format!("{scheme}:{rest}"),
    }
}

/// The key of the usual `mailto:` address (ASCII, no `%`) with one allocation and no
/// formatting: what the general path gives, computed without its intermediate strings.
fn plain_mailto_key(address: &str) -> Option<String> {
    let (scheme, rest) = (address.get(..7)?, address.get(7..)?);
    if !scheme.eq_ignore_ascii_case("mailto:") {
        return None;
    }
    let rest = rest.trim();
    if !rest.is_ascii() || rest.contains('%') {
        return None;
    }
    let mut key = String::with_capacity(7 + rest.len());
    key.push_str("mailto:");
    key.push_str(rest);
    key.make_ascii_lowercase();
    Some(key)
}

/// True when two addresses name the same calendar user (see [`normalize_address`]).
pub fn same_address(a: &str, b: &str) -> bool {
    normalize_address(a) == normalize_address(b)
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
    fn plain_mailto_fast_path_agrees() {
        for (input, key) in [
            ("MAILTO:Wilfredo@Example.com", "mailto:wilfredo@example.com"),
            (" mailto: a@B.org ", "mailto:a@b.org"),
            ("mailto:", "mailto:"),
            ("mailto:a:b@x", "mailto:a:b@x"),
        ] {
            assert_eq!(plain_mailto_key(input.trim()).as_deref(), Some(key));
            assert_eq!(normalize_address(input), key);
        }
        assert_eq!(plain_mailto_key("mailto:a%40x"), None);
        assert_eq!(plain_mailto_key("mailto:Zoë@x"), None);
        assert_eq!(normalize_address("mailto:Zoë@X"), "mailto:zoë@x");
        assert_eq!(plain_mailto_key("mailt:a@x"), None);
    }

    #[test]
    fn broken_percent_kept() {
        assert_eq!(normalize_address("mailto:a%zz@x"), "mailto:a%zz@x");
        assert_eq!(normalize_address("mailto:%ff@x"), "mailto:%ff@x");
    }
}
