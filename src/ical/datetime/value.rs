//! TIME of day, civil DATE-TIME and the three DATE-TIME forms (RFC 5545 3.3.5), DATE or DATE-TIME.

use super::civil::{ascii_str, digits, Date};
use crate::error::{Error, ErrorCode, Result};
use std::fmt;

/// Seconds per day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// A time of day. `second` may be 60 (a leap second, RFC 5545 3.3.12); it then counts as the
/// first second of the next minute when converted to an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time {
    hour: u8,
    minute: u8,
    second: u8,
}

impl Time {
    /// The canonical `HHMMSS` form as bytes.
    fn digits(&self) -> [u8; 6] {
        let [h0, h1] = digits(u32::from(self.hour));
        let [m0, m1] = digits(u32::from(self.minute));
        let [s0, s1] = digits(u32::from(self.second));
        [h0, h1, m0, m1, s0, s1]
    }

    /// Midnight.
    pub const MIDNIGHT: Time = Time {
        hour: 0,
        minute: 0,
        second: 0,
    };

    /// A time of day, or `None` outside 00:00:00-23:59:60.
    pub fn new(hour: u8, minute: u8, second: u8) -> Option<Time> {
        (hour < 24 && minute < 60 && second <= 60).then_some(Time {
            hour,
            minute,
            second,
        })
    }

    /// The hour (0-23).
    pub fn hour(self) -> u8 {
        self.hour
    }

    /// The minute (0-59).
    pub fn minute(self) -> u8 {
        self.minute
    }

    /// The second (0-60).
    pub fn second(self) -> u8 {
        self.second
    }

    /// Seconds since midnight (a leap second gives 86400 at 23:59:60).
    pub fn seconds_of_day(self) -> i64 {
        i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second)
    }

    /// The time of `s` seconds after midnight (taken modulo one day).
    pub fn from_seconds_of_day(s: i64) -> Time {
        let s = s.rem_euclid(SECONDS_PER_DAY);
        Time {
            hour: (s / 3600) as u8,
            minute: (s / 60 % 60) as u8,
            second: (s % 60) as u8,
        }
    }

    /// Parses the RFC 5545 TIME form `HHMMSS` (without a `Z`).
    pub fn parse(s: &str) -> Result<Time> {
        let bytes = s.as_bytes();
        let bad = || {
            Error::new(
                ErrorCode::Parse,
                format!("invalid TIME {s:?}: expected HHMMSS"),
            )
        };
        if bytes.len() != 6 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let two = |i: usize| -> u8 {
            bytes
                .get(i..i + 2)
                .unwrap_or_default()
                .iter()
                .fold(0u8, |acc, b| acc * 10 + (b - b'0'))
        };
        Time::new(two(0), two(2), two(4)).ok_or_else(bad)
    }
}

impl fmt::Display for Time {
    /// The canonical `HHMMSS` form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(ascii_str(&self.digits()))
    }
}

/// A civil (wall-clock) date and time with no zone attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    /// The calendar date.
    pub date: Date,
    /// The time of day.
    pub time: Time,
}

impl LocalDateTime {
    /// `YYYYMMDDTHHMMSS` and a `Z`, as bytes: the UTC form, or a local one without its last byte.
    fn digits_z(&self) -> [u8; 16] {
        let [y0, y1, y2, y3, mo0, mo1, d0, d1] = self.date.digits();
        let [h0, h1, mi0, mi1, s0, s1] = self.time.digits();
        [
            y0, y1, y2, y3, mo0, mo1, d0, d1, b'T', h0, h1, mi0, mi1, s0, s1, b'Z',
        ]
    }

    /// A civil date-time.
    pub fn new(date: Date, time: Time) -> LocalDateTime {
        LocalDateTime { date, time }
    }

    /// Seconds since 1970-01-01T00:00:00 of this wall-clock value read as if it were UTC.
    pub fn as_utc_seconds(self) -> i64 {
        self.date.day_number() * SECONDS_PER_DAY + self.time.seconds_of_day()
    }

    /// The wall-clock value of `seconds` since 1970-01-01T00:00:00 read as UTC, or `None`
    /// outside years 0-9999.
    pub fn from_utc_seconds(seconds: i64) -> Option<LocalDateTime> {
        let date = Date::from_day_number(seconds.div_euclid(SECONDS_PER_DAY))?;
        Some(LocalDateTime {
            date,
            time: Time::from_seconds_of_day(seconds),
        })
    }
}

impl fmt::Display for LocalDateTime {
    /// The canonical `YYYYMMDDTHHMMSS` form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(ascii_str(self.digits_z().get(..15).unwrap_or_default()))
    }
}

/// A DATE-TIME value as written: UTC (`...Z`), or local (floating, or with a TZID that the
/// property carries as a parameter, so it is not part of the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// The wall-clock value as written.
    pub local: LocalDateTime,
    /// `true` for the UTC form (trailing `Z`).
    pub utc: bool,
}

impl DateTime {
    /// Parses `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ` strictly (upper-case `T` and `Z`).
    pub fn parse(s: &str) -> Result<DateTime> {
        let (body, utc) = match s.strip_suffix('Z') {
            Some(b) => (b, true),
            None => (s, false),
        };
        let bad = || {
            Error::new(
                ErrorCode::Parse,
                format!("invalid DATE-TIME {s:?}: expected YYYYMMDDTHHMMSS[Z]"),
            )
        };
        let (date, time) = body.split_once('T').ok_or_else(bad)?;
        let date = Date::parse(date).map_err(|_| bad())?;
        let time = Time::parse(time).map_err(|_| bad())?;
        Ok(DateTime {
            local: LocalDateTime { date, time },
            utc,
        })
    }
}

impl fmt::Display for DateTime {
    /// The canonical form, with `Z` for UTC.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.local.digits_z();
        let len = if self.utc { 16 } else { 15 };
        f.pad(ascii_str(text.get(..len).unwrap_or_default()))
    }
}

/// A DATE or a DATE-TIME value (DTSTART, RECURRENCE-ID, EXDATE, RDATE, UNTIL...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrDateTime {
    /// A DATE (`VALUE=DATE`, all-day).
    Date(Date),
    /// A DATE-TIME in one of its forms.
    DateTime(DateTime),
}

impl DateOrDateTime {
    /// Parses either form, told apart by the presence of `T` (the VALUE parameter is advisory
    /// here: the value itself is unambiguous).
    pub fn parse(s: &str) -> Result<DateOrDateTime> {
        if s.contains('T') {
            DateTime::parse(s).map(DateOrDateTime::DateTime)
        } else {
            Date::parse(s).map(DateOrDateTime::Date)
        }
    }

    /// The calendar date as written.
    pub fn date(&self) -> Date {
        match self {
            DateOrDateTime::Date(d) => *d,
            DateOrDateTime::DateTime(dt) => dt.local.date,
        }
    }

    /// `true` for the DATE form.
    pub fn is_date(&self) -> bool {
        matches!(self, DateOrDateTime::Date(_))
    }

    /// `true` for the UTC DATE-TIME form.
    pub fn is_utc(&self) -> bool {
        matches!(self, DateOrDateTime::DateTime(DateTime { utc: true, .. }))
    }

    /// The wall-clock value as written (midnight for a DATE).
    pub fn local(&self) -> LocalDateTime {
        match self {
            DateOrDateTime::Date(d) => LocalDateTime::new(*d, Time::MIDNIGHT),
            DateOrDateTime::DateTime(dt) => dt.local,
        }
    }
}

impl fmt::Display for DateOrDateTime {
    /// The canonical form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateOrDateTime::Date(d) => d.fmt(f),
            DateOrDateTime::DateTime(dt) => dt.fmt(f),
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn date_time_forms() -> TestResult {
        let utc = DateTime::parse("20270112T093000Z")?;
        assert!(utc.utc);
        assert_eq!(utc.local.time, Time::new(9, 30, 0).ok_or("invalid time")?);
        assert_eq!(utc.to_string(), "20270112T093000Z");
        let floating = DateTime::parse("20270112T093000")?;
        assert!(!floating.utc);
        assert_eq!(floating.to_string(), "20270112T093000");
        assert_eq!(
            utc.local.as_utc_seconds(),
            1_799_746_200,
            "2027-01-12T09:30:00Z"
        );
        for bad in [
            "20270112T0930Z",
            "20270112T250000",
            "20270112t093000",
            "20270112T093000z",
            "20270112 093000",
            "20270112T093000ZZ",
            "T093000",
            "20270230T000000",
        ] {
            assert_eq!(
                DateTime::parse(bad).err().ok_or("expected an error")?.code,
                ErrorCode::Parse,
                "{bad}"
            );
        }
        Ok(())
    }

    #[test]
    fn leap_second_is_accepted() -> TestResult {
        let t = Time::parse("235960")?;
        assert_eq!(t.seconds_of_day(), SECONDS_PER_DAY);
        assert!(Time::parse("235961").is_err());
        Ok(())
    }

    #[test]
    fn date_or_date_time() -> TestResult {
        let d = DateOrDateTime::parse("20270112")?;
        assert!(d.is_date() && !d.is_utc());
        assert_eq!(d.local().to_string(), "20270112T000000");
        let dt = DateOrDateTime::parse("20270112T100000Z")?;
        assert!(dt.is_utc());
        assert_eq!(dt.date(), Date::new(2027, 1, 12).ok_or("invalid date")?);
        assert!(DateOrDateTime::parse("2027011").is_err());
        Ok(())
    }

    #[test]
    fn utc_seconds_round_trip() -> TestResult {
        for s in [-62_167_219_200i64, -1, 0, 1_799_746_200, 253_402_300_799] {
            let l = LocalDateTime::from_utc_seconds(s).ok_or("instant out of range")?;
            assert_eq!(l.as_utc_seconds(), s);
        }
        assert!(LocalDateTime::from_utc_seconds(253_402_300_800).is_none());
        Ok(())
    }
}
