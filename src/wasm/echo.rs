//! `__echo`: a benchmark aid, not part of the API (hidden from the TypeScript declarations).
//! It copies a string into wasm memory and straight back out, through the same conversions
//! every export uses for calendar text ([`super::convert::data_in`] reads a JS string with
//! `as_string`, results leave with `JsValue::from_str`), and does nothing else. `make bench`
//! times it as the floor: the cost of crossing the JS <-> wasm boundary with those bytes, which
//! no export that takes and returns the text can beat.

use wasm_bindgen::prelude::*;

/// Returns `data` unchanged after copying it into wasm and back (benchmark floor; not API).
#[doc(hidden)]
#[wasm_bindgen(js_name = __echo, skip_typescript)]
pub fn echo(data: JsValue) -> JsValue {
    match data.as_string() {
        Some(text) => JsValue::from_str(&text),
        None => JsValue::UNDEFINED,
    }
}
