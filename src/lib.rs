//! caldav-sched: the client side of CalDAV Scheduling (RFC 6638), compiled to WebAssembly.
//!
//! The core is pure Rust with no wasm types:
//! - [`ical`]: lossless iCalendar bytes (knows no scheduling);
//! - [`itip`]: addresses, instances, ownership, attendee reply, merge;
//! - [`precondition`]: entity tags, precondition headers, response verdicts (needs no iCalendar).
//!
//! `wasm` (compiled only for `wasm32`) is the JS boundary and only converts.
//!
//! Rule for types crossing the boundary: option and result types live in the core with serde
//! derives plus `#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]`; those `cfg_attr` lines
//! are the only wasm-aware lines allowed in the core.

pub mod error;
pub mod ical;
pub mod itip;
pub mod precondition;
#[cfg(test)]
mod test_support;

/// The JS boundary (wasm32 only). Public only so that `tests/web.rs` can drive the exports and
/// the error mapping inside a JS engine; it is not a Rust API.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;

pub use error::{Error, ErrorCode, Result, Warning};

/// The crate version (equals the npm package version).
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
