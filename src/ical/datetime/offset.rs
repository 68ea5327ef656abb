//! UTC-OFFSET values (RFC 5545 3.3.14): `+0100`, `-0500`, `-053000`.

use crate::error::{Error, ErrorCode, Result};
use std::fmt;

/// An offset from UTC in seconds (east positive), strictly less than 24 hours in magnitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UtcOffset {
    seconds: i32,
}

impl UtcOffset {
    /// UTC itself.
    pub const ZERO: UtcOffset = UtcOffset { seconds: 0 };

    /// An offset of `seconds` east of UTC, or `None` when not below 24 hours in magnitude.
    pub fn from_seconds(seconds: i32) -> Option<UtcOffset> {
        (seconds.abs() < 86_400).then_some(UtcOffset { seconds })
    }

    /// Seconds east of UTC.
    pub fn seconds(self) -> i32 {
        self.seconds
    }

    /// Parses `(+|-)HHMM[SS]` strictly. `-0000`/`-000000` are rejected as RFC 5545 requires.
    pub fn parse(s: &str) -> Result<UtcOffset> {
        let bad =
            |why: &str| Error::new(ErrorCode::Parse, format!("invalid UTC-OFFSET {s:?}: {why}"));
        let bytes = s.as_bytes();
        let (sign, digits) = match bytes.split_first() {
            Some((b'+', rest)) => (1, rest),
            Some((b'-', rest)) => (-1, rest),
            _ => return Err(bad("expected a leading + or -")),
        };
        if !(digits.len() == 4 || digits.len() == 6) || !digits.iter().all(u8::is_ascii_digit) {
            return Err(bad("expected HHMM or HHMMSS digits"));
        }
        let mut parts = digits
            .chunks(2)
            .map(|c| c.iter().fold(0i32, |acc, b| acc * 10 + i32::from(b - b'0')));
        let hours = parts.next().unwrap_or(0);
        let minutes = parts.next().unwrap_or(0);
        let seconds = parts.next().unwrap_or(0);
        if hours > 23 || minutes > 59 || seconds > 59 {
            return Err(bad("field out of range"));
        }
        let total = hours * 3600 + minutes * 60 + seconds;
        if sign < 0 && total == 0 {
            return Err(bad("negative zero is not allowed"));
        }
        Ok(UtcOffset {
            seconds: sign * total,
        })
    }
}

impl fmt::Display for UtcOffset {
    /// The canonical form: `+HHMM`, with seconds only when non-zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.seconds < 0 { '-' } else { '+' };
        let a = self.seconds.unsigned_abs();
        write!(f, "{sign}{:02}{:02}", a / 3600, a / 60 % 60)?;
        if a % 60 != 0 {
            write!(f, "{:02}", a % 60)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn parse_and_format() -> TestResult {
        assert_eq!(UtcOffset::parse("+0100")?.seconds(), 3600);
        assert_eq!(UtcOffset::parse("-0500")?.seconds(), -18_000);
        assert_eq!(UtcOffset::parse("-053000")?.seconds(), -19_800);
        assert_eq!(UtcOffset::parse("+0000")?, UtcOffset::ZERO);
        assert_eq!(UtcOffset::parse("+001730")?.to_string(), "+001730");
        assert_eq!(UtcOffset::parse("-053000")?.to_string(), "-0530");
        assert_eq!(UtcOffset::parse("+1345")?.to_string(), "+1345");
        for bad in [
            "0100", "+100", "+01000", "-0000", "-000000", "+2400", "+0160", "+01a0", "",
        ] {
            assert_eq!(
                UtcOffset::parse(bad).err().ok_or("expected an error")?.code,
                ErrorCode::Parse,
                "{bad}"
            );
        }
        Ok(())
    }
}
