//! Recurrence rules (RFC 5545 3.3.10) and recurrence sets (3.8.5): parse, compare, expand, and
//! decide whether a RECURRENCE-ID names an instance.
//!
//! Daily, weekly, monthly and yearly rules with all BYxxx parts are supported, and so are the
//! sub-daily frequencies (simply: periods are stepped in wall-clock time). Expansion is lazy and
//! bounded by [`ExpansionLimits`].

mod expand;
mod rule;
mod set;

pub use rule::{rrules_equivalent, Frequency, RecurRule, WeekdayNum};
pub(crate) use set::RuleSource;
pub use set::{ExpansionLimits, Instance, InstanceMatch, Instances, RecurrenceSet};
