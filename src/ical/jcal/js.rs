//! The few JavaScript semantics ical.js's conversions rely on, so our jCal equals its output:
//! `parseInt`, `parseFloat`, `String(number)` and `String.prototype.slice` on UTF-16 units.

use super::decimal::parse_decimal;

/// A string as UTF-16 code units, sliced like JS `slice` (out-of-range ends are clamped).
pub(crate) struct Utf16(Vec<u16>);

impl Utf16 {
    pub(crate) fn new(s: &str) -> Self {
        Utf16(s.encode_utf16().collect())
    }

    /// JS `length`.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// JS `s.slice(start, end)` for non-negative indices.
    pub(crate) fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.0.len());
        let start = start.min(end);
        String::from_utf16_lossy(self.0.get(start..end).unwrap_or_default())
    }

    /// JS `s[i] === c` for an ASCII `c`.
    pub(crate) fn at_is(&self, i: usize, c: char) -> bool {
        self.0.get(i).is_some_and(|&u| u32::from(u) == c as u32)
    }
}

/// Whitespace JS `parseInt`/`parseFloat` skip (the ECMAScript StrWhiteSpaceChar set).
fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// JS `parseInt(s, 10)`: leading whitespace, a sign, then the longest run of digits; `None`
/// where JS gives NaN.
pub(crate) fn parse_int(s: &str) -> Option<f64> {
    let t = s.trim_start_matches(is_js_space);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..).unwrap_or_default()),
        Some(b'+') => (false, t.get(1..).unwrap_or_default()),
        _ => (false, t),
    };
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    let run = digits.get(..end).filter(|r| !r.is_empty())?;
    let value = parse_decimal(run)?;
    Some(if negative { -value } else { value })
}

/// JS `parseFloat(s)`: leading whitespace, then the longest prefix that is a decimal literal
/// (or `Infinity`); `None` where JS gives NaN.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_start_matches(is_js_space);
    let bytes = t.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    if t.get(i..).is_some_and(|r| r.starts_with("Infinity")) {
        return Some(if t.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    let digits_from = |mut j: usize| {
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        j
    };
    let int_end = digits_from(i);
    let mut end = int_end;
    let mut mantissa_digits = int_end - i;
    if bytes.get(end) == Some(&b'.') {
        let frac_end = digits_from(end + 1);
        mantissa_digits += frac_end - (end + 1);
        if mantissa_digits > 0 {
            end = frac_end;
        }
    }
    if mantissa_digits == 0 {
        return None;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut j = end + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_end = digits_from(j);
        if exp_end > j {
            end = exp_end;
        }
    }
    parse_decimal(t.get(..end)?)
}

/// JS `String(n)` for a number.
pub(crate) fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    // Both write the shortest digits that read back as `n`, padded with zeros, from 1e-6 to
    // 1e21 (so 2^60 is 1152921504606847000, not its exact 1152921504606846976).
    if (1e-6..1e21).contains(&n.abs()) {
        return format!("{n}");
    }
    exponential(n)
}

/// JS exponential form (`1.5e-7`, `1e+21`) of a non-zero finite number, built from the shortest
/// digits `{}` writes (Display never uses an exponent: it pads with zeros), so the wasm needs
/// no `{:e}` formatting besides.
fn exponential(n: f64) -> String {
    let plain = format!("{}", n.abs());
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let first = digits.iter().position(|&d| d != b'0').unwrap_or(0);
    let last = digits.iter().rposition(|&d| d != b'0').unwrap_or(first);
    let exponent = i64::try_from(int.len()).unwrap_or(0) - 1 - i64::try_from(first).unwrap_or(0);
    let mut out = String::new();
    if n < 0.0 {
        out.push('-');
    }
    if let Some((head, tail)) = digits.get(first..=last).and_then(<[u8]>::split_first) {
        out.push(char::from(*head));
        if !tail.is_empty() {
            out.push('.');
            out.extend(tail.iter().map(|&d| char::from(d)));
        }
    }
    out.push('e');
    if exponent >= 0 {
        out.push('+');
    }
    out.push_str(&exponent.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_like_js() {
        assert_eq!(parse_int(" 42abc"), Some(42.0));
        assert_eq!(parse_int("+5"), Some(5.0));
        assert_eq!(parse_int("-07"), Some(-7.0));
        assert_eq!(parse_int("1e3"), Some(1.0));
        assert_eq!(parse_int("x1"), None);
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int("-"), None);
    }

    #[test]
    fn parse_float_like_js() {
        assert_eq!(parse_float("37.386013"), Some(37.386013));
        assert_eq!(parse_float("-122.5abc"), Some(-122.5));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("5."), Some(5.0));
        assert_eq!(parse_float("1e3x"), Some(1000.0));
        assert_eq!(parse_float("1e"), Some(1.0));
        assert_eq!(parse_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("."), None);
        assert_eq!(parse_float("abc"), None);
    }

    #[test]
    fn number_to_string_like_js() {
        assert_eq!(number_to_string(1.0), "1");
        assert_eq!(number_to_string(-0.0), "0");
        assert_eq!(number_to_string(37.5), "37.5");
        assert_eq!(number_to_string(1e21), "1e+21");
        assert_eq!(number_to_string(1.5e-7), "1.5e-7");
        assert_eq!(number_to_string(0.000001), "0.000001");
        // String(2 ** 60) and String(2 ** 70) in Node; ical.js writes
        // X-N;VALUE=INTEGER:1152921504606847000 for ["x-n", {}, "integer", 2 ** 60].
        assert_eq!(number_to_string(2f64.powi(60)), "1152921504606847000");
        assert_eq!(number_to_string(2f64.powi(70)), "1.1805916207174113e+21");
        assert_eq!(number_to_string(-9007199254740992.0), "-9007199254740992");
        assert_eq!(
            number_to_string(123456789012345680000.0),
            "123456789012345680000"
        );
    }

    /// The exponential form as `{:e}` writes it, with JS's `+` for positive exponents.
    fn with_lower_exp(n: f64) -> String {
        let exp = format!("{n:e}");
        match exp.split_once('e') {
            Some((mantissa, e)) if !e.starts_with('-') => format!("{mantissa}e+{e}"),
            _ => exp,
        }
    }

    #[test]
    fn exponential_form_like_js() {
        assert_eq!(
            number_to_string(1.1805916207174113e21),
            "1.1805916207174113e+21"
        );
        assert_eq!(number_to_string(-2.5e-300), "-2.5e-300");
        assert_eq!(number_to_string(5e-324), "5e-324");
        assert_eq!(number_to_string(f64::MAX), "1.7976931348623157e+308");
        assert_eq!(number_to_string(-1e21), "-1e+21");
        assert_eq!(number_to_string(9.99e-7), "9.99e-7");
    }

    proptest::proptest! {
        #[test]
        fn safe_integers_print_exactly(i in -(1i64 << 53)..=(1i64 << 53)) {
            #[allow(clippy::cast_precision_loss)]
            let n = i as f64;
            proptest::prop_assert_eq!(number_to_string(n), i.to_string());
        }

        #[test]
        fn exponential_form_equals_lower_exp(bits in proptest::prelude::any::<u64>()) {
            let n = f64::from_bits(bits);
            if n.is_finite() && n != 0.0 {
                proptest::prop_assert_eq!(exponential(n), with_lower_exp(n));
            }
        }
    }

    #[test]
    fn slices_like_js() {
        let s = Utf16::new("2026é");
        assert_eq!(s.len(), 5);
        assert_eq!(s.slice(2, 9), "26é");
        assert_eq!(s.slice(7, 9), "");
        assert!(s.at_is(0, '2'));
        assert!(!s.at_is(9, '2'));
    }
}
