//! The JS boundary (compiled only for `wasm32`). It only converts: JS value -> core options, one
//! core call, core result -> JS value, core error -> JS `Error` (through [`errors::to_js_error`]).
//! No parsing, defaults or decisions live here.

pub mod api;
pub mod convert;
pub mod echo;
pub mod errors;
pub mod inspect;
pub mod merge;
mod options;
pub mod precondition;
pub mod reply;
mod types;

pub use api::{round_trip, to_ical, to_jcal};
pub use inspect::inspect;
use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated. With the default `panic-hook` feature it routes a
/// Rust panic message to `console.error` (diagnostics only: the core is built never to panic).
#[wasm_bindgen(start, private)]
pub fn start() {
    #[cfg(feature = "panic-hook")]
    console_error_panic_hook::set_once();
}

/// The package version (the same as the crate version in `Cargo.toml`).
///
/// ```js
/// import { version } from "caldav-sched";
/// console.log(version()); // e.g. "0.1.0"
/// ```
#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}
