//! Small byte-level helpers written for the size-optimised build: the standard library's
//! generic versions compile to slow byte loops there, and these run on every line.

/// `a.eq_ignore_ascii_case(b)`: equal up to ASCII case.
#[inline]
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    eq_ignore_case_bytes(a.as_bytes(), b.as_bytes())
}

/// [`eq_ignore_case`] on bytes. Inlined, most unequal names (of another length) cost one
/// comparison and no call.
#[inline]
pub fn eq_ignore_case_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && same_length_eq_ignore_case(a, b)
}

/// [`eq_ignore_case_bytes`] for slices of the same length.
fn same_length_eq_ignore_case(a: &[u8], b: &[u8]) -> bool {
    // Names are mostly written in the case they are compared with: eight equal bytes at once,
    // byte by byte only where they differ.
    let same = |x: &[u8], y: &[u8]| {
        x.iter().zip(y).all(|(&x, &y)| {
            // Differing only in the case bit, and a letter: the same letter in two cases.
            x == y || (x ^ y == 0x20 && (x | 0x20).is_ascii_lowercase())
        })
    };
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |c: &[u8]| c.try_into().map_or(0, u64::from_le_bytes);
    (&mut x)
        .zip(&mut y)
        .all(|(p, q)| word(p) == word(q) || same(p, q))
        && same(x.remainder(), y.remainder())
}

/// `s.trim()`, with no work when both ends are visible ASCII (the usual case).
pub fn trim(s: &str) -> &str {
    let bytes = s.as_bytes();
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    if visible(bytes.first()) && visible(bytes.last()) {
        s
    } else {
        s.trim()
    }
}

/// True when `s` has no `byte` (eight bytes at a time).
pub fn lacks_byte(s: &str, byte: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES.wrapping_mul(u64::from(byte));
    let mut chunks = s.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let word = chunk.try_into().map_or(0, u64::from_le_bytes);
        let x = word ^ pattern;
        // A zero byte in `x` is a `byte` in `word`.
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| b != byte)
}

/// Index of the first `needle` in `hay`, eight bytes at a time (a line ending is usually tens of
/// bytes away, so this beats a byte loop several times over, also in wasm).
pub fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES.wrapping_mul(u64::from(needle));
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = chunk.try_into().map_or(0, u64::from_le_bytes) ^ pattern;
        // The lowest set high bit marks the first zero byte of `word`, i.e. the first match
        // (a borrow can only mark bytes above a real zero).
        let zeros = word.wrapping_sub(ONES) & !word & HIGHS;
        if zeros != 0 {
            return Some(at + (zeros.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == needle)
        .map(|i| at + i)
}

/// `a == b` for byte slices, eight bytes at a time: in wasm `==` on slices is a `memcmp` that
/// compares one byte per step, and merging compares most lines of three copies.
pub fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    let words = |c: &[u8]| c.try_into().map_or(0, u64::from_le_bytes);
    if !(&mut x).zip(&mut y).all(|(p, q)| words(p) == words(q)) {
        return false;
    }
    x.remainder() == y.remainder()
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_equality_is_ascii_only() {
        let words = [
            "ATTENDEE", "attendee", "AttendeE", "ATTENDEF", "LOCATION", "", "@", "`", "[", "{",
            "é", "É", "mailto", "MAILTO", "mailt0", "a", "A",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    eq_ignore_case(a, b),
                    a.eq_ignore_ascii_case(b),
                    "{a:?} {b:?}"
                );
            }
        }
        // Every pair of bytes.
        for x in 0..128u8 {
            for y in 0..128u8 {
                let (a, b) = (char::from(x).to_string(), char::from(y).to_string());
                assert_eq!(eq_ignore_case(&a, &b), a.eq_ignore_ascii_case(&b));
            }
        }
    }

    proptest::proptest! {
        /// Words of any length, in cases mixed within and across eight-byte words.
        #[test]
        fn case_insensitive_equality_of_long_words(
            a in "[aAbBzZ@`\\[{0-9é-]{0,20}",
            flips in proptest::collection::vec(proptest::bool::ANY, 20),
        ) {
            let b: String = a
                .chars()
                .zip(flips.iter().chain(std::iter::repeat(&false)))
                .map(|(c, &flip)| if flip { c.to_ascii_uppercase() } else { c })
                .collect();
            proptest::prop_assert!(eq_ignore_case(&a, &b));
            let mut changed = b.clone().into_bytes();
            if let Some(last) = changed.last_mut() {
                *last ^= 0x01;
            }
            let changed = String::from_utf8_lossy(&changed).into_owned();
            proptest::prop_assert_eq!(eq_ignore_case(&a, &changed), a.eq_ignore_ascii_case(&changed));
        }
    }

    #[test]
    fn bytes_eq_is_slice_equality() {
        let samples: [&[u8]; 8] = [
            b"",
            b"a",
            b"abcdefgh",
            b"abcdefgi",
            b"abcdefghijklmnopq",
            b"abcdefghijklmnopr",
            b"bbcdefghijklmnopq",
            b"abcdefghijklmnop",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(bytes_eq(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn lacks_a_byte() {
        for s in [
            "",
            "mailto:a@x",
            "mailto:wilfredo@example.com",
            "mailto:wilfredo%40example.com",
            "mailto:zoë@example.com",
            "%",
            "abcdefgh%",
            "abcdefghé",
            "abcdefg%",
            "abcdefgh\u{80}%ijklmnop",
            "ü%",
        ] {
            assert_eq!(lacks_byte(s, b'%'), !s.contains('%'), "{s:?}");
        }
    }

    #[test]
    fn find_byte_agrees_with_a_byte_loop() {
        let hay: Vec<u8> = (0..100u8)
            .map(|i| b"ab\r\ncdef\xc3\xa9"[usize::from(i % 10)])
            .collect();
        for from in 0..hay.len() {
            let rest = hay.get(from..).unwrap_or_default();
            for needle in [b'\n', b'\r', b'a', 0xc3, b'z'] {
                assert_eq!(
                    find_byte(rest, needle),
                    rest.iter().position(|&b| b == needle),
                    "from {from}, needle {needle}"
                );
            }
        }
    }
}
