//! The one place where a core [`Error`] becomes a thrown JS value.

use crate::error::{Error, ErrorKind};
use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// Turns a core error into a built-in JS error object: a `SyntaxError`, `TypeError`,
/// `RangeError` or plain `Error`, as [`crate::ErrorCode::kind`] says, with `code` set to the
/// stable code string and `line` (1-based) set when the error points into the input.
///
/// Every export maps its `Err` through this function, so JS never sees a thrown string.
pub fn to_js_error(error: &Error) -> JsValue {
    let message = error.message.as_str();
    let js: JsValue = match error.code.kind() {
        ErrorKind::Syntax => js_sys::SyntaxError::new(message).into(),
        ErrorKind::Type => js_sys::TypeError::new(message).into(),
        ErrorKind::Range => js_sys::RangeError::new(message).into(),
        ErrorKind::Other => js_sys::Error::new(message).into(),
    };
    // Setting an own property on a fresh, extensible Error object cannot fail; there is nothing
    // better to do than throw the error without it if it ever did.
    let _ = Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    if let Some(line) = error.line {
        // Lines are bounded by the input limits, far below 2^53: the conversion is exact.
        let _ = Reflect::set(&js, &"line".into(), &JsValue::from_f64(line as f64));
    }
    js
}
