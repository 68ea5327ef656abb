//! Conversions between JS values and core types, shared by every export.

use super::errors::to_js_error;
use crate::error::{Error, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use tsify::{Ts, Tsify};
use wasm_bindgen::{JsCast, JsValue};

/// The one serializer for results: Rust maps become plain JS objects (not `Map`s); `None`
/// fields marked `skip_serializing_if` are left out, so TypeScript sees them as `x?: T`.
const SERIALIZER: Serializer = Serializer::new().serialize_maps_as_objects(true);

/// Reads a typed options object; a value of the wrong shape throws a `TypeError` with code
/// `INVALID_OPTION`.
pub fn options<T>(value: &Ts<T>) -> Result<T, JsValue>
where
    T: Tsify + DeserializeOwned,
    <T as Tsify>::JsType: Clone,
{
    value
        .to_rust()
        .map_err(|e| to_js_error(&Error::new(ErrorCode::InvalidOption, e.to_string())))
}

/// Writes a core result as its typed JS value with [`SERIALIZER`]. Serializing our own plain
/// data cannot fail in practice; if it did, serde-wasm-bindgen's own `Error` object is thrown.
pub fn result<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    value
        .serialize(&SERIALIZER)
        .map(Ts::new_unchecked)
        .map_err(JsValue::from)
}

/// Writes any serialisable core value (e.g. a header map) with [`SERIALIZER`].
pub fn value<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&SERIALIZER).map_err(JsValue::from)
}

/// Reads any deserialisable core value from a JS value; a wrong shape throws a `TypeError` with
/// code `INVALID_OPTION`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        to_js_error(&Error::new(
            ErrorCode::InvalidOption,
            // serde-wasm-bindgen's text is a JS error's toString(): drop its "Error: " prefix.
            e.to_string().trim_start_matches("Error: ").to_string(),
        ))
    })
}

/// Calendar data as JS handed it in: text (a JS string, now UTF-8) or raw bytes (a `Uint8Array`,
/// kept exactly as given). The form decides the form of the output.
pub struct Data {
    /// The UTF-8 (or, from a `Uint8Array`, raw) bytes.
    pub bytes: Vec<u8>,
    /// True when JS passed a string.
    pub is_text: bool,
}

/// Takes a `data` value: a string or a `Uint8Array`; anything else throws a `TypeError` with
/// code `INVALID_OPTION` naming `field`.
pub fn data_in(value: &JsValue, field: &str) -> Result<Data, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(Data {
            bytes: text.into_bytes(),
            is_text: true,
        });
    }
    if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(Data {
            bytes: array.to_vec(),
            is_text: false,
        });
    }
    Err(to_js_error(&Error::new(
        ErrorCode::InvalidOption,
        format!("`{field}` must be a string or a Uint8Array"),
    )))
}

/// Hands calendar bytes back in the form the input had: a JS string for text input, a
/// `Uint8Array` for byte input.
pub fn data_out(bytes: &[u8], as_text: bool) -> JsValue {
    if as_text {
        // Output built from a JS string is valid UTF-8; the lossy form only guards the type.
        JsValue::from_str(&String::from_utf8_lossy(bytes))
    } else {
        js_sys::Uint8Array::from(bytes).into()
    }
}

/// The `options` argument of an export, checked to be an object: anything else throws a
/// `TypeError` with code `INVALID_OPTION`.
pub fn options_object(options: &JsValue) -> Result<&js_sys::Object, JsValue> {
    options.dyn_ref::<js_sys::Object>().ok_or_else(|| {
        to_js_error(&Error::new(
            ErrorCode::InvalidOption,
            "the options argument must be an object",
        ))
    })
}

/// One field of an options object (`undefined` when absent).
pub fn field(options: &js_sys::Object, name: &str) -> JsValue {
    js_sys::Reflect::get(options, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// An optional typed field: its `Default` when absent (`undefined` or `null`), else the value
/// read with serde; a value of the wrong shape throws a `TypeError` with code `INVALID_OPTION`.
pub fn optional_field<T: DeserializeOwned + Default>(
    options: &js_sys::Object,
    name: &str,
) -> Result<T, JsValue> {
    let value = field(options, name);
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        to_js_error(&Error::new(
            ErrorCode::InvalidOption,
            // serde-wasm-bindgen's text is a JS error's toString(): drop its "Error: " prefix.
            format!("`{name}`: {}", e.to_string().trim_start_matches("Error: ")),
        ))
    })
}
