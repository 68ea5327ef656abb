//! `__echo`: a benchmark aid, not part of the API (hidden from the TypeScript declarations).
//! It copies a string into wasm memory and straight back out, through the same conversions
//! every export uses for calendar text ([`super::convert::string_in`]: wasm-bindgen's string
//! passing, or `TextEncoder.encodeInto` from 512 UTF-16 units, whose bytes are then checked to
//! be UTF-8 as the parser checks them; results leave with `JsValue::from_str`), and does nothing
//! else. `make bench` times it as the floor: the cost of crossing the JS <-> wasm boundary with
//! those bytes, which no export that takes and returns the text can beat.

use crate::ical::Input;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Returns `data` unchanged after copying it into wasm and back (benchmark floor; not API).
#[doc(hidden)]
#[wasm_bindgen(js_name = __echo, skip_typescript)]
pub fn echo(data: JsValue) -> JsValue {
    let Some(text) = data.dyn_ref::<js_sys::JsString>() else {
        return JsValue::UNDEFINED;
    };
    match super::convert::string_in(text, text.length()) {
        Input::Text(text) => JsValue::from_str(&text),
        Input::Bytes(bytes) => match String::from_utf8(bytes) {
            Ok(text) => JsValue::from_str(&text),
            Err(_) => JsValue::UNDEFINED,
        },
    }
}
