//! DURATION (RFC 5545 3.3.6) and PERIOD (3.3.9) values.
//!
//! A duration keeps its nominal part (weeks and days: "same wall-clock time N days later", which
//! spans 23 or 25 hours across a DST change) apart from its exact part (hours, minutes, seconds).

use super::value::DateTime;
use crate::error::{Error, ErrorCode, Result};
use std::fmt;

/// Largest accepted magnitude of either part, so sums stay far inside `i64`.
const MAX_PART: u64 = 1 << 40;

/// A DURATION value: sign, nominal days (weeks count as 7 days) and exact seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    /// `true` for a leading `-`.
    pub negative: bool,
    /// Nominal days (`nW` contributes `7n`, `nD` contributes `n`).
    pub days: u64,
    /// Exact seconds (`nH`, `nM`, `nS`).
    pub seconds: u64,
}

impl Duration {
    /// Parses the RFC 5545 grammar strictly: `[+-]P` then `nW`, or `nD` optionally followed by a
    /// time part, or a time part alone; the time part is `T` then `nH[nM[nS]]`, `nM[nS]` or `nS`.
    pub fn parse(s: &str) -> Result<Duration> {
        let bad =
            |why: &str| Error::new(ErrorCode::Parse, format!("invalid DURATION {s:?}: {why}"));
        let (negative, rest) = match s.as_bytes().first() {
            Some(b'-') => (true, s.get(1..).unwrap_or_default()),
            Some(b'+') => (false, s.get(1..).unwrap_or_default()),
            _ => (false, s),
        };
        let body = rest.strip_prefix('P').ok_or_else(|| bad("expected P"))?;
        let (date_part, time_part) = match body.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (body, None),
        };
        let mut days = 0u64;
        if !date_part.is_empty() {
            let (n, unit, tail) = number_and_unit(date_part).ok_or_else(|| bad("bad number"))?;
            if !tail.is_empty() {
                return Err(bad("unexpected text after the date part"));
            }
            match unit {
                b'W' if time_part.is_none() => {
                    days = n.checked_mul(7).ok_or_else(|| bad("too large"))?
                }
                b'D' => days = n,
                _ => return Err(bad("expected nW alone or nD")),
            }
        }
        let mut seconds = 0u64;
        if let Some(mut t) = time_part {
            if t.is_empty() {
                return Err(bad("empty time part"));
            }
            let mut last_rank = 0u8;
            while !t.is_empty() {
                let (n, unit, tail) = number_and_unit(t).ok_or_else(|| bad("bad number"))?;
                let (rank, factor) = match unit {
                    b'H' => (1, 3600),
                    b'M' => (2, 60),
                    b'S' => (3, 1),
                    _ => return Err(bad("expected H, M or S")),
                };
                // H, M, S in this order, and no gap (nH nS without nM is not in the grammar).
                if last_rank != 0 && rank != last_rank + 1 {
                    return Err(bad("time units out of order"));
                }
                last_rank = rank;
                seconds = n
                    .checked_mul(factor)
                    .and_then(|v| seconds.checked_add(v))
                    .ok_or_else(|| bad("too large"))?;
                t = tail;
            }
        } else if date_part.is_empty() {
            return Err(bad("no duration after P"));
        }
        if days > MAX_PART || seconds > MAX_PART {
            return Err(bad("too large"));
        }
        Ok(Duration {
            negative,
            days,
            seconds,
        })
    }

    /// `true` when the duration is zero.
    pub fn is_zero(&self) -> bool {
        self.days == 0 && self.seconds == 0
    }

    /// Signed nominal days.
    pub fn signed_days(&self) -> i64 {
        let d = i64::try_from(self.days).unwrap_or(i64::MAX);
        if self.negative {
            -d
        } else {
            d
        }
    }

    /// Signed exact seconds.
    pub fn signed_seconds(&self) -> i64 {
        let s = i64::try_from(self.seconds).unwrap_or(i64::MAX);
        if self.negative {
            -s
        } else {
            s
        }
    }

    /// The total length in seconds counting each nominal day as 86400 seconds (exact only where
    /// no DST change lies inside).
    pub fn approximate_seconds(&self) -> i64 {
        self.signed_days()
            .saturating_mul(86_400)
            .saturating_add(self.signed_seconds())
    }
}

/// Splits `123X...` into `(123, b'X', "...")`.
fn number_and_unit(s: &str) -> Option<(u64, u8, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 12 {
        return None;
    }
    let n = s.get(..digits)?.parse::<u64>().ok()?;
    let unit = *s.as_bytes().get(digits)?;
    Some((n, unit, s.get(digits + 1..)?))
}

impl fmt::Display for Duration {
    /// The canonical form: `PnW` when a whole number of weeks and nothing else, otherwise `PnD`
    /// and/or `T` with non-zero `H`, `M`, `S` (carried into larger units); zero is `PT0S`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative && !self.is_zero() {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        if self.is_zero() {
            return f.write_str("T0S");
        }
        if self.seconds == 0 && self.days % 7 == 0 {
            return write!(f, "{}W", self.days / 7);
        }
        if self.days > 0 {
            write!(f, "{}D", self.days)?;
        }
        if self.seconds > 0 {
            f.write_str("T")?;
            let (h, m, s) = (
                self.seconds / 3600,
                self.seconds / 60 % 60,
                self.seconds % 60,
            );
            if h > 0 {
                write!(f, "{h}H")?;
            }
            if m > 0 || (h > 0 && s > 0) {
                write!(f, "{m}M")?;
            }
            if s > 0 {
                write!(f, "{s}S")?;
            }
        }
        Ok(())
    }
}

/// The end of a PERIOD: an explicit DATE-TIME or a DURATION from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodEnd {
    /// `start/end`.
    End(DateTime),
    /// `start/duration`.
    Duration(Duration),
}

/// A PERIOD value (RFC 5545 3.3.9), as used by RDATE;VALUE=PERIOD and FREEBUSY.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    /// The start.
    pub start: DateTime,
    /// The end or the length.
    pub end: PeriodEnd,
}

impl Period {
    /// Parses `start/end` or `start/duration`; the duration must be positive.
    pub fn parse(s: &str) -> Result<Period> {
        let (start, end) = s.split_once('/').ok_or_else(|| {
            Error::new(
                ErrorCode::Parse,
                format!("invalid PERIOD {s:?}: expected start/end"),
            )
        })?;
        let start = DateTime::parse(start)?;
        let end = if end.starts_with('P') || end.starts_with('+') || end.starts_with('-') {
            let d = Duration::parse(end)?;
            if d.negative {
                return Err(Error::new(
                    ErrorCode::Parse,
                    format!("invalid PERIOD {s:?}: negative duration"),
                ));
            }
            PeriodEnd::Duration(d)
        } else {
            PeriodEnd::End(DateTime::parse(end)?)
        };
        Ok(Period { start, end })
    }
}

impl fmt::Display for Period {
    /// The canonical `start/end` or `start/duration` form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.end {
            PeriodEnd::End(e) => write!(f, "{}/{}", self.start, e),
            PeriodEnd::Duration(d) => write!(f, "{}/{}", self.start, d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn dur(s: &str) -> TestResult<Duration> {
        Ok(Duration::parse(s)?)
    }

    #[test]
    fn parses_rfc_forms() -> TestResult {
        assert_eq!(dur("P1W")?.days, 7);
        let d = dur("-PT15M")?;
        assert!(d.negative);
        assert_eq!(d.signed_seconds(), -900);
        let d = dur("P1DT2H")?;
        assert_eq!((d.days, d.seconds), (1, 7200));
        assert_eq!(dur("PT1H0M0S")?, dur("PT1H")?);
        assert_eq!(dur("P15DT5H0M20S")?.seconds, 5 * 3600 + 20);
        assert_eq!(dur("+P2D")?.signed_days(), 2);
        assert_eq!(dur("PT0S")?.approximate_seconds(), 0);
        assert_eq!(dur("-P1DT1S")?.approximate_seconds(), -86_401);
        Ok(())
    }

    #[test]
    fn rejects_bad_forms() -> TestResult {
        for bad in [
            "",
            "P",
            "PT",
            "1D",
            "P1",
            "P1WT1H",
            "P1W2D",
            "PT1S2M",
            "PT1H2S",
            "P1H",
            "PT1D",
            "P-1D",
            "P1DT",
            "p1d",
            "P 1D",
            "--P1D",
            "P1D1D",
            "P9999999999999D",
        ] {
            assert_eq!(
                Duration::parse(bad).err().ok_or("expected an error")?.code,
                ErrorCode::Parse,
                "{bad}"
            );
        }
        Ok(())
    }

    #[test]
    fn formats_canonically() -> TestResult {
        for (input, canonical) in [
            ("P1W", "P1W"),
            ("P7D", "P1W"),
            ("-PT15M", "-PT15M"),
            ("P1DT2H", "P1DT2H"),
            ("PT1H0M0S", "PT1H"),
            ("PT90M", "PT1H30M"),
            ("PT3601S", "PT1H0M1S"),
            ("-PT0S", "PT0S"),
            ("P0D", "PT0S"),
            ("P8D", "P8D"),
        ] {
            assert_eq!(dur(input)?.to_string(), canonical, "{input}");
            assert_eq!(dur(canonical)?.to_string(), canonical);
        }
        Ok(())
    }

    #[test]
    fn periods() -> TestResult {
        let p = Period::parse("19970101T180000Z/19970102T070000Z")?;
        assert_eq!(p.to_string(), "19970101T180000Z/19970102T070000Z");
        let p = Period::parse("19970101T180000Z/PT5H30M")?;
        assert_eq!(p.end, PeriodEnd::Duration(dur("PT5H30M")?));
        assert_eq!(p.to_string(), "19970101T180000Z/PT5H30M");
        assert!(Period::parse("19970101T180000Z").is_err());
        assert!(Period::parse("19970101T180000Z/-PT1H").is_err());
        assert!(Period::parse("19970101/PT1H").is_err());
        Ok(())
    }
}
