//! Time zones from the object's own VTIMEZONE components (RFC 5545 3.6.5) and the frames a
//! wall-clock value is read in (UTC, floating, a VTIMEZONE, a fixed offset).
//!
//! Built from plain strings, independent of the document layer. An unknown TZID is an explicit
//! outcome ([`TimeZone::find`] returns `None`, [`TimeValue::parse_with_tzid`] warns
//! `UNKNOWN_TZID` and reads the value as floating); there is no built-in Olson database.

mod frame;
mod zone;

pub use frame::{Frame, TimeValue};
pub use zone::{Observance, ObservanceKind, TimeZone, Transition, TRANSITION_HORIZON_YEAR};
