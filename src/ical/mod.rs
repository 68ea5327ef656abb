//! Lossless iCalendar (RFC 5545) on bytes. Knows no scheduling.
//!
//! Parsing keeps, for every content line, its original bytes (folding and line ending); writing
//! copies those bytes for untouched lines and writes changed or new lines canonically (CRLF,
//! folded at 75 octets on character boundaries). Values stay raw and are interpreted lazily.
//!
//! iCalendar values and time: typed DATE/DATE-TIME values ([`datetime`]), VTIMEZONE offsets
//! ([`timezone`]), RRULE expansion ([`recur`]).

pub mod address;
pub(crate) mod ascii;
pub mod component;
pub mod datetime;
pub mod document;
pub mod jcal;
pub mod limits;
mod lines;
pub mod param;
pub mod property;
pub mod recur;
mod source;
pub mod text;
pub mod timezone;
pub mod write;

pub use address::{
    address_has_any_key, address_has_key, is_mailto, normalize_address, same_address,
};
pub use component::{Component, ComponentKind, Node, Verbatim};
pub use document::{Document, Input};
pub use jcal::{from_jcal, from_jcal_with, to_jcal, JcalValue};
pub use limits::Limits;
pub use param::{Param, ParamValue};
pub use property::Property;
