//! Sorting integer keys. Everything this layer sorts is mapped to `i64` keys first, so the wasm
//! binary carries one sort routine instead of one per element type (each costs kilobytes).

/// Sorts and de-duplicates `i64` keys.
pub(crate) fn sort_keys(keys: &mut Vec<i64>) {
    keys.sort_unstable();
    keys.dedup();
}
