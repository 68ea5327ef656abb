//! Typed iCalendar time values (RFC 5545 3.3): DATE, DATE-TIME (UTC, floating, local), TIME,
//! UTC-OFFSET, DURATION, PERIOD, with civil calendar arithmetic and a UTC instant for comparison.
//!
//! Parsers are strict and return a `PARSE` [`crate::error::Error`]; `Display` writes the canonical
//! form back. Nothing here knows about time zones: see [`crate::ical::timezone`].

mod civil;
mod duration;
mod offset;
mod value;

pub use civil::{
    add_months_to, civil_from_days, days_from_civil, days_in_month, days_in_year, is_leap_year,
    Date, Weekday, MAX_YEAR, MIN_YEAR,
};
pub use duration::{Duration, Period, PeriodEnd};
pub use offset::UtcOffset;
pub use value::{DateOrDateTime, DateTime, LocalDateTime, Time, SECONDS_PER_DAY};

/// A point in time: seconds since 1970-01-01T00:00:00Z (leap seconds not counted).
pub type Instant = i64;
