//! iCalendar values and time: typed DATE/DATE-TIME values, VTIMEZONE offsets, RRULE expansion.

pub mod datetime;
pub mod recur;
pub mod timezone;
