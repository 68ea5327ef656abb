//! Proleptic Gregorian calendar dates: validation, day numbers, weekdays, month/year arithmetic.
//!
//! Hand-rolled (no chrono/jiff) to keep the wasm package small. Years are limited to
//! `0..=9999`, the range of the four-digit iCalendar DATE form (RFC 5545 3.3.4).

use crate::error::{Error, ErrorCode, Result};
use std::fmt;

/// The smallest year a [`Date`] may have.
pub const MIN_YEAR: i32 = 0;
/// The largest year a [`Date`] may have.
pub const MAX_YEAR: i32 = 9999;

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1-12) of `year`; 0 for a month outside 1-12.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Number of days in `year` (365 or 366).
pub fn days_in_year(year: i32) -> u16 {
    if is_leap_year(year) {
        366
    } else {
        365
    }
}

/// Days since 1970-01-01 of a civil date (negative before). Valid for any year, month 1-12.
pub fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 }; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day number (days since 1970-01-01).
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month as u8, day as u8)
}

/// A day of the week, Monday first (ISO 8601 and the RFC 5545 default WKST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    /// Monday (`MO`).
    Monday,
    /// Tuesday (`TU`).
    Tuesday,
    /// Wednesday (`WE`).
    Wednesday,
    /// Thursday (`TH`).
    Thursday,
    /// Friday (`FR`).
    Friday,
    /// Saturday (`SA`).
    Saturday,
    /// Sunday (`SU`).
    Sunday,
}

impl Weekday {
    /// All weekdays, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday ... 6 for Sunday.
    pub fn index(self) -> u8 {
        self as u8
    }

    /// The weekday with index `i` modulo 7 (0 = Monday).
    pub fn from_index(i: i64) -> Weekday {
        match i.rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }

    /// The weekday of a day number (1970-01-01 was a Thursday).
    pub fn from_day_number(days: i64) -> Weekday {
        Weekday::from_index(days + 3)
    }

    /// The two-letter RFC 5545 code (`MO` ... `SU`).
    pub fn code(self) -> &'static str {
        match self {
            Weekday::Monday => "MO",
            Weekday::Tuesday => "TU",
            Weekday::Wednesday => "WE",
            Weekday::Thursday => "TH",
            Weekday::Friday => "FR",
            Weekday::Saturday => "SA",
            Weekday::Sunday => "SU",
        }
    }

    /// Parses a two-letter code, case-insensitively.
    pub fn parse(s: &str) -> Result<Weekday> {
        Weekday::ALL
            .into_iter()
            .find(|w| w.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| Error::new(ErrorCode::Parse, format!("invalid weekday {s:?}")))
    }
}

/// A valid calendar date (year 0-9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, or `None` when it does not exist (February 30, month 13, year 10000...).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (MIN_YEAR..=MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The date of a day number (days since 1970-01-01), or `None` outside years 0-9999.
    pub fn from_day_number(days: i64) -> Option<Date> {
        let (y, m, d) = civil_from_days(days);
        let year = i32::try_from(y).ok()?;
        Date::new(year, m, d)
    }

    /// Parses the RFC 5545 DATE form `YYYYMMDD` strictly.
    pub fn parse(s: &str) -> Result<Date> {
        let bytes = s.as_bytes();
        if bytes.len() != 8 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(Error::new(
                ErrorCode::Parse,
                format!("invalid DATE {s:?}: expected YYYYMMDD"),
            ));
        }
        let num = |from: usize, to: usize| -> u32 {
            bytes
                .get(from..to)
                .unwrap_or_default()
                .iter()
                .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        let (year, month, day) = (num(0, 4), num(4, 6), num(6, 8));
        i32::try_from(year)
            .ok()
            .zip(u8::try_from(month).ok())
            .zip(u8::try_from(day).ok())
            .and_then(|((y, m), d)| Date::new(y, m, d))
            .ok_or_else(|| Error::new(ErrorCode::Parse, format!("DATE {s:?} does not exist")))
    }

    /// The year (0-9999).
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month (1-12).
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month (1-31).
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01.
    pub fn day_number(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        Weekday::from_day_number(self.day_number())
    }

    /// The 1-based day of the year (1-366).
    pub fn day_of_year(self) -> u16 {
        let first = days_from_civil(self.year, 1, 1);
        u16::try_from(self.day_number() - first + 1).unwrap_or(0)
    }

    /// The date `n` days later (earlier when negative), or `None` outside years 0-9999.
    pub fn add_days(self, n: i64) -> Option<Date> {
        Date::from_day_number(self.day_number().checked_add(n)?)
    }

    /// The same day of the month `n` months later, or `None` when that day does not exist there
    /// (RFC 5545 3.3.10: an invalid date such as February 30 is not an instance, not clamped).
    pub fn add_months(self, n: i64) -> Option<Date> {
        let (year, month) = add_months_to(self.year, self.month, n)?;
        Date::new(year, month, self.day)
    }

    /// Like [`Date::add_months`] but clamps the day to the end of the target month
    /// (January 31 + 1 month = February 28/29), as DURATION-free calendar arithmetic wants.
    pub fn add_months_clamped(self, n: i64) -> Option<Date> {
        let (year, month) = add_months_to(self.year, self.month, n)?;
        Date::new(year, month, self.day.min(days_in_month(year, month)))
    }
}

/// `(year, month)` shifted by `n` months, or `None` outside years 0-9999.
pub fn add_months_to(year: i32, month: u8, n: i64) -> Option<(i32, u8)> {
    let index = i64::from(year)
        .checked_mul(12)?
        .checked_add(i64::from(month) - 1)?
        .checked_add(n)?;
    let y = i32::try_from(index.div_euclid(12)).ok()?;
    let m = u8::try_from(index.rem_euclid(12) + 1).ok()?;
    (MIN_YEAR..=MAX_YEAR).contains(&y).then_some((y, m))
}

impl Date {
    /// The canonical `YYYYMMDD` form as bytes (years are 0-9999, so it is always eight digits).
    pub(crate) fn digits(&self) -> [u8; 8] {
        let [y0, y1, y2, y3] = digits(u32::try_from(self.year).unwrap_or_default());
        let [m0, m1] = digits(u32::from(self.month));
        let [d0, d1] = digits(u32::from(self.day));
        [y0, y1, y2, y3, m0, m1, d0, d1]
    }
}

/// `value` as `N` zero-padded decimal digits (its lowest `N`). Written by hand: a DTSTAMP is
/// formatted on every answer, and `core::fmt` cost 6 % of a small attendee reply.
pub(crate) fn digits<const N: usize>(mut value: u32) -> [u8; N] {
    let mut out = [b'0'; N];
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    out
}

/// ASCII digits (and `T`/`Z`) as a `str` for a formatter.
pub(crate) fn ascii_str(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

impl fmt::Display for Date {
    /// The canonical `YYYYMMDD` form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(ascii_str(&self.digits()))
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn day_numbers_round_trip_and_known_values() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for d in -800_000..800_000i64 {
            if d % 997 != 0 {
                continue;
            }
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y as i32, m, dd), d);
        }
    }

    #[test]
    fn weekdays() -> TestResult {
        assert_eq!(
            Date::new(1970, 1, 1).ok_or("invalid date")?.weekday(),
            Weekday::Thursday
        );
        assert_eq!(
            Date::new(2027, 1, 12).ok_or("invalid date")?.weekday(),
            Weekday::Tuesday
        );
        assert_eq!(
            Date::new(2000, 2, 29).ok_or("invalid date")?.weekday(),
            Weekday::Tuesday
        );
        assert_eq!(
            Date::new(1601, 1, 1).ok_or("invalid date")?.weekday(),
            Weekday::Monday
        );
        Ok(())
    }

    #[test]
    fn leap_years_and_month_lengths() {
        assert!(is_leap_year(2000) && is_leap_year(2024) && !is_leap_year(1900));
        assert!(!is_leap_year(2027));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2027, 13), 0);
        assert_eq!(days_in_year(2024), 366);
        assert!(Date::new(2027, 2, 29).is_none());
        assert!(Date::new(2028, 2, 29).is_some());
        assert!(Date::new(10_000, 1, 1).is_none());
    }

    #[test]
    fn parse_and_format() -> TestResult {
        let d = Date::parse("20270112")?;
        assert_eq!((d.year(), d.month(), d.day()), (2027, 1, 12));
        assert_eq!(d.to_string(), "20270112");
        assert_eq!(d.day_of_year(), 12);
        assert_eq!(Date::parse("20241231")?.day_of_year(), 366);
        for bad in [
            "2027011",
            "202701120",
            "2027-1-12",
            "20270230",
            "20271301",
            "2027011x",
            "",
        ] {
            let e = Date::parse(bad).err().ok_or("expected an error")?;
            assert_eq!(e.code, ErrorCode::Parse, "{bad}");
        }
        Ok(())
    }

    #[test]
    fn month_arithmetic() -> TestResult {
        let jan31 = Date::new(2027, 1, 31).ok_or("invalid date")?;
        assert_eq!(jan31.add_months(1), None);
        assert_eq!(jan31.add_months(2), Date::new(2027, 3, 31));
        assert_eq!(jan31.add_months_clamped(1), Date::new(2027, 2, 28));
        assert_eq!(jan31.add_months_clamped(13), Date::new(2028, 2, 29));
        assert_eq!(jan31.add_months(-1), Date::new(2026, 12, 31));
        assert_eq!(jan31.add_days(365), Date::new(2028, 1, 31));
        assert_eq!(
            Date::new(9999, 12, 31).ok_or("invalid date")?.add_days(1),
            None
        );
        assert_eq!(
            Date::new(0, 1, 1).ok_or("invalid date")?.add_months(-1),
            None
        );
        Ok(())
    }

    #[test]
    fn weekday_codes() -> TestResult {
        assert_eq!(Weekday::parse("su")?, Weekday::Sunday);
        assert_eq!(Weekday::Friday.code(), "FR");
        assert!(Weekday::parse("XX").is_err());
        assert_eq!(Weekday::from_index(-1), Weekday::Sunday);
        Ok(())
    }
}
