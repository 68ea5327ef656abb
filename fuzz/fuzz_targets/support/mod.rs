//! Helpers shared by the fuzz targets (a module, not a target of its own).

/// The value (after the first `:` outside quotes) of the `nth` line whose name is `name`,
/// after unfolding.
pub fn value_of(text: &str, name: &str, nth: usize) -> Option<String> {
    let unfolded = text
        .replace("\r\n ", "")
        .replace("\r\n\t", "")
        .replace("\n ", "")
        .replace("\n\t", "");
    unfolded
        .split('\n')
        .filter(|l| {
            l.len() > name.len()
                && l.get(..name.len())
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                && matches!(l.as_bytes().get(name.len()), Some(b':' | b';'))
        })
        .nth(nth)
        .and_then(|l| {
            let mut quoted = false;
            let colon = l.char_indices().find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ':' && !quoted
            })?;
            l.get(colon.0 + 1..)
                .map(|v| v.trim_end_matches('\r').to_string())
        })
}
