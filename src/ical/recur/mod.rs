//! Recurrence rules (RFC 5545 3.3.10) and recurrence sets (3.8.5): parse, compare, expand, and
//! decide whether a RECURRENCE-ID names an instance.
//!
//! Daily, weekly, monthly and yearly rules with all BYxxx parts are supported, and so are the
//! sub-daily frequencies (simply: periods are stepped in wall-clock time, so an HOURLY or
//! MINUTELY rule crossing a DST gap in a TZID zone yields the gap's wall-clock times read with the
//! offset before the change, RFC 5545 3.3.5, which may repeat instants of the following hour).
//! Expansion is lazy and bounded by [`ExpansionLimits`]; [`Instances::truncated`] tells a
//! complete expansion from one cut by the limits, and [`InstanceMatch::Undecided`] carries that
//! to RECURRENCE-ID lookups.
//!
//! Conventions: DTSTART is always the first instance and counts for COUNT (RFC 5545 3.3.10);
//! invalid dates (February 30) are skipped, never clamped; floating and DATE values are compared
//! as if UTC; UNTIL in UTC is compared as an instant, a DATE or floating UNTIL by wall clock.

mod expand;
mod keys;
mod rule;
mod set;

pub(crate) use keys::sort_keys;
pub use rule::{rrules_equivalent, Frequency, RecurRule, WeekdayNum};
pub(crate) use set::RuleSource;
pub use set::{ExpansionLimits, Instance, InstanceMatch, Instances, RecurrenceSet};
