//! Decimal text to `f64`, correctly rounded (nearest, ties to even), as `str::parse::<f64>`
//! gives it for the same text, without core's `dec2flt`: that routine and its tables of powers
//! of five cost about 14 KB of the gzipped wasm, for the jCal conversion of INTEGER and FLOAT
//! values alone. Nearly every real value (a GEO coordinate, a count) takes the exact fast path;
//! the rest are computed exactly with a small big-integer division.

/// Powers of ten that an `f64` holds exactly.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Significant digits kept exactly: more than the 767 that can decide a rounding; the rest only
/// count as "something non-zero follows".
const MAX_DIGITS: usize = 800;

/// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (at least one mantissa digit; either side of
/// the point may be empty) as `str::parse::<f64>` does; `None` for any other text.
pub(crate) fn parse_decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.first() {
        Some(b'-') => (true, bytes.get(1..)?),
        Some(b'+') => (false, bytes.get(1..)?),
        _ => (false, bytes),
    };
    let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (int, rest) = rest.split_at(int_len);
    let (frac, rest) = match rest.split_first() {
        Some((b'.', after)) => {
            let n = after.iter().take_while(|b| b.is_ascii_digit()).count();
            after.split_at(n)
        }
        _ => (&[][..], rest),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let exponent = match rest.split_first() {
        None => 0,
        Some((b'e' | b'E', after)) => parse_exponent(after)?,
        Some(_) => return None,
    };
    let magnitude = magnitude(int, frac, exponent);
    Some(if negative { -magnitude } else { magnitude })
}

/// The exponent digits (with an optional sign), saturated far beyond any finite result.
fn parse_exponent(bytes: &[u8]) -> Option<i64> {
    let (negative, digits) = match bytes.first() {
        Some(b'-') => (true, bytes.get(1..)?),
        Some(b'+') => (false, bytes.get(1..)?),
        _ => (false, bytes),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits.iter().fold(0i64, |n, d| {
        (n * 10 + i64::from(d - b'0')).min(1_000_000_000)
    });
    Some(if negative { -value } else { value })
}

/// The value of `int.frac × 10^exponent` (digits only, no sign).
fn magnitude(int: &[u8], frac: &[u8], exponent: i64) -> f64 {
    // Significant digits: leading and trailing zeros dropped; `point` is where the decimal
    // point falls relative to the first of them (value = 0.d1d2... × 10^point).
    let all = || int.iter().chain(frac.iter()).copied();
    let leading = all().take_while(|&d| d == b'0').count();
    let total = int.len() + frac.len();
    if leading == total {
        return 0.0;
    }
    let trailing = all().rev().take_while(|&d| d == b'0').count();
    let count = total - leading - trailing;
    let point = to_i64(int.len()) - to_i64(leading) + exponent;
    if point > 309 {
        return f64::INFINITY;
    }
    if point < -330 {
        return 0.0;
    }
    let digits = all().skip(leading).take(count.min(MAX_DIGITS));
    if count <= 15 {
        if let Some(v) = fast_path(digits.clone(), point - to_i64(count)) {
            return v;
        }
    }
    let mut mantissa = Big::zero();
    for d in digits {
        mantissa.mul_add(10, u32::from(d - b'0'));
    }
    let mut kept = count.min(MAX_DIGITS);
    if count > MAX_DIGITS {
        // The dropped digits end in a non-zero one: a 1 after the kept ones rounds the same.
        mantissa.mul_add(10, 1);
        kept += 1;
    }
    exact(mantissa, point - to_i64(kept))
}

/// `usize` as `i64` (digit counts are far below `i64::MAX`).
fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Up to 15 digits times a power of ten an `f64` holds exactly: both operands are exact, so
/// the one IEEE multiplication or division rounds correctly.
fn fast_path(digits: impl Iterator<Item = u8>, exponent: i64) -> Option<f64> {
    let n = digits.fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    // Exact: n < 10^15 < 2^53.
    #[allow(clippy::cast_precision_loss)]
    let n = n as f64;
    let power = *EXACT_POWERS.get(usize::try_from(exponent.unsigned_abs()).ok()?)?;
    Some(if exponent >= 0 { n * power } else { n / power })
}

/// `mantissa × 10^exponent` rounded to nearest, ties to even, for a non-zero mantissa whose
/// value lies below 10^309.
fn exact(mantissa: Big, exponent: i64) -> f64 {
    let mut num = mantissa;
    let mut den = Big::one();
    let scale = if exponent >= 0 { &mut num } else { &mut den };
    for _ in 0..exponent.unsigned_abs() {
        scale.mul_add(10, 0);
    }
    // Bring the quotient to 66-67 bits: value = (num / den) × 2^shift.
    let shift = to_i64(num.bits()) - to_i64(den.bits()) - 66;
    let by = usize::try_from(shift.unsigned_abs()).unwrap_or(usize::MAX);
    if shift < 0 {
        num = num.shl(by);
    } else {
        den = den.shl(by);
    }
    let mut quotient: u128 = 0;
    for bit in (0..68).rev() {
        let part = den.shl(bit);
        if num.at_least(&part) {
            num.sub(&part);
            quotient |= 1 << bit;
        }
    }
    round(quotient, !num.is_zero(), shift)
}

/// `(quotient + a fraction that is non-zero when sticky) × 2^shift` as the nearest `f64`, for a
/// quotient of at least 66 bits.
fn round(quotient: u128, sticky: bool, shift: i64) -> f64 {
    let len = 128 - i64::from(quotient.leading_zeros());
    let top = len - 1 + shift;
    // Mantissa bits: 53 for a normal number, fewer below 2^-1022.
    let keep = if top >= -1022 { 53 } else { top + 1075 };
    if keep < 0 {
        return 0.0;
    }
    let drop = u32::try_from(len - keep).unwrap_or(0);
    let mut m = quotient >> drop;
    let rest = quotient & ((1u128 << drop) - 1);
    let half = 1u128 << (drop - 1);
    if rest > half || (rest == half && (sticky || m & 1 == 1)) {
        m += 1;
    }
    let mut exp2 = i64::from(drop) + shift;
    if m == 1 << 53 {
        m >>= 1;
        exp2 += 1;
    }
    // m < 2^53 fits u64.
    let m = u64::try_from(m).unwrap_or(0);
    if m < 1 << 52 {
        // A subnormal (exp2 is -1074 here): the mantissa bits are the whole encoding.
        return f64::from_bits(m);
    }
    let biased = exp2 + 52 + 1023;
    if biased >= 2047 {
        return f64::INFINITY;
    }
    // 1 <= biased < 2047 here.
    let biased = u64::try_from(biased).unwrap_or(0);
    f64::from_bits((biased << 52) | (m & ((1 << 52) - 1)))
}

/// A non-negative big integer, 32-bit limbs, least significant first, no high zero limbs.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn zero() -> Big {
        Big(Vec::new())
    }

    fn one() -> Big {
        Big(vec![1])
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// `self = self × factor + add`.
    fn mul_add(&mut self, factor: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(factor) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// Significant bits (0 for zero).
    fn bits(&self) -> usize {
        match self.0.last() {
            Some(&top) => self.0.len() * 32 - top.leading_zeros() as usize,
            None => 0,
        }
    }

    /// `self × 2^by`.
    fn shl(&self, by: usize) -> Big {
        if self.is_zero() {
            return Big::zero();
        }
        let (limbs, bits) = (by / 32, by % 32);
        let mut out = vec![0u32; limbs];
        let mut carry = 0u32;
        for &limb in &self.0 {
            if bits == 0 {
                out.push(limb);
            } else {
                out.push((limb << bits) | carry);
                carry = limb >> (32 - bits);
            }
        }
        if carry > 0 {
            out.push(carry);
        }
        Big(out)
    }

    /// `self >= other`.
    fn at_least(&self, other: &Big) -> bool {
        if self.0.len() != other.0.len() {
            return self.0.len() > other.0.len();
        }
        for (a, b) in self.0.iter().rev().zip(other.0.iter().rev()) {
            if a != b {
                return a > b;
            }
        }
        true
    }

    /// `self -= other`, for `self >= other`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let b = other.0.get(i).copied().map_or(0, i64::from);
            let mut v = i64::from(*limb) - b - borrow;
            borrow = 0;
            if v < 0 {
                v += 1 << 32;
                borrow = 1;
            }
            *limb = v as u32;
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(text: &str) {
        let ours = parse_decimal(text);
        let std: Option<f64> = text.parse().ok();
        assert_eq!(
            ours.map(f64::to_bits),
            std.map(f64::to_bits),
            "{text}: {ours:?} vs {std:?}"
        );
    }

    #[test]
    fn agrees_with_std_on_edges() {
        let long_half = format!("9007199254740993{}", "0".repeat(900));
        let long_above = format!("9007199254740993{}1e-900", "0".repeat(900));
        let tiny_half = "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324";
        for text in [
            "0", "-0", "+0", "00.000", ".5", "5.", "1", "-1", "1e3", "1E+3", "2.5e-3",
            "37.386013", "-122.082932", "0.1", "0.3", "123456789012345", "1234567890123456",
            "12345678901234567890", "9007199254740993", "9007199254740995",
            "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "1e308", "1e309", "2e308", "1e-308", "2.2250738585072014e-308",
            "2.2250738585072011e-308", "4.9406564584124654e-324", "5e-324", "2.4703282292062328e-324",
            "2.4703282292062327e-324", "1e-324", "3e-324", "1e-400", "1e400", "0e999999999999",
            "1e-999999999999", "1e99999999999999999999", "123.456e-2", "000123", "0.000001",
            "1.5e-7", "1e21", "1e22", "1e23", "8.98846567431158e307", "4.35e-7",
            &long_half, &long_above, tiny_half,
            "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1x", " 1", "--1", "1e5x", "-.e1",
        ] {
            same(text);
        }
    }

    proptest! {
        #[test]
        fn agrees_with_std(text in "[+-]?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][+-]?[0-9]{1,3})?") {
            same(&text);
        }

        #[test]
        fn agrees_with_std_on_shortest_forms(bits in any::<u64>()) {
            let v = f64::from_bits(bits);
            if v.is_finite() {
                same(&format!("{v:e}"));
                same(&format!("{v}"));
                same(&format!("{v:.30e}"));
            }
        }

        #[test]
        fn agrees_with_std_on_exact_ties(m in (1u128 << 52)..(1u128 << 53), k in 0u32..=70) {
            // Halfway between two neighbouring doubles: (2m + 1) × 2^k and (2m + 1) × 2^-k.
            let odd = 2 * m + 1;
            same(&(odd << k).to_string());
            if k <= 25 {
                same(&format!("{}e-{k}", odd * 5u128.pow(k)));
            }
        }

        #[test]
        fn agrees_with_std_on_long_mantissas(digits in "[1-9][0-9]{17,60}", exp in -360i32..330) {
            same(&format!("{digits}e{exp}"));
            same(&format!("0.{digits}e{exp}"));
        }
    }
}
