//! Conversions between JS values and core types, shared by every export.

use super::errors::to_js_error;
use crate::error::{Error, ErrorCode};
use crate::ical::jcal::{self, BoundedJcal, JcalValue};
use crate::ical::{Document, Input, Limits};
use serde::de::{DeserializeOwned, DeserializeSeed};
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use std::cell::Cell;
use tsify::{Ts, Tsify};
use wasm_bindgen::{JsCast, JsValue};

/// The one serializer for results: Rust maps become plain JS objects (not `Map`s); a `None`
/// that is written is `null` (e.g. `itip: null`); `None`
/// fields marked `skip_serializing_if` are left out, so TypeScript sees them as `x?: T`.
const SERIALIZER: Serializer = Serializer::new()
    .serialize_maps_as_objects(true)
    .serialize_missing_as_null(true);

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
    serde_wasm_bindgen::from_value(value).map_err(invalid_option)
}

/// A serde-wasm-bindgen error as a `TypeError` with code `INVALID_OPTION`.
fn invalid_option(e: serde_wasm_bindgen::Error) -> JsValue {
    to_js_error(&Error::new(
        ErrorCode::InvalidOption,
        // serde-wasm-bindgen's text is a JS error's toString(): drop its "Error: " prefix.
        e.to_string().trim_start_matches("Error: ").to_string(),
    ))
}

/// The form calendar data came in; results go back in the same form unless `format` says
/// otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A JS string (iCalendar text).
    Text,
    /// A `Uint8Array` (iCalendar bytes, kept exactly as given).
    Bytes,
    /// A jCal array (RFC 7265, as `ICAL.parse` returns it).
    Jcal,
}

/// Calendar data as JS handed it in, as iCalendar.
pub struct Data {
    /// A JS string (or jCal written as canonical iCalendar) as text, which the core need not
    /// check again; a `Uint8Array` as its raw bytes.
    pub input: Input,
    /// The form JS used.
    pub form: Form,
}

impl Data {
    /// The iCalendar bytes.
    pub fn bytes(&self) -> &[u8] {
        self.input.as_bytes()
    }
}

/// Takes a `data` value: a string, a `Uint8Array` or a jCal array; anything else throws a
/// `TypeError` with code `INVALID_OPTION` naming `field`.
///
/// The size is checked against `limits.maxBytes` before the data is copied out of JS, so an
/// oversized input costs no copy: a string's UTF-16 length is a lower bound of its UTF-8 length
/// (each code unit becomes 1 to 3 bytes, a surrogate pair 4), and a `Uint8Array` knows its own.
/// The exact UTF-8 length of a string is checked again by the parser.
pub fn data_in(value: &JsValue, field: &str, limits: &Limits) -> Result<Data, JsValue> {
    if let Some(text) = value.dyn_ref::<js_sys::JsString>() {
        let units = text.length();
        limits
            .check_bytes(units as usize)
            .map_err(|e| to_js_error(&e))?;
        return Ok(Data {
            input: string_in(text, units),
            form: Form::Text,
        });
    }
    if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
        limits
            .check_bytes(array.length() as usize)
            .map_err(|e| to_js_error(&e))?;
        return Ok(Data {
            input: Input::Bytes(array.to_vec()),
            form: Form::Bytes,
        });
    }
    if js_sys::Array::is_array(value) {
        let jcal = jcal_in(value, limits)?;
        let doc = jcal::from_jcal_with(&jcal, limits).map_err(|e| to_js_error(&e))?;
        let input = match doc.to_text() {
            Some(text) => Input::Text(text),
            None => Input::Bytes(doc.to_bytes()),
        };
        limits
            .check_bytes(input.as_bytes().len())
            .map_err(|e| to_js_error(&e))?;
        return Ok(Data {
            input,
            form: Form::Jcal,
        });
    }
    Err(to_js_error(&Error::new(
        ErrorCode::InvalidOption,
        format!("`{field}` must be iCalendar text, a Uint8Array or a jCal array"),
    )))
}

/// Reads a jCal array, its nesting bounded by [`jcal::nesting`]: deeper (or cyclic) input is
/// `TOO_LARGE` before it can overflow the stack; a wrong shape is `INVALID_OPTION`.
fn jcal_in(value: &JsValue, limits: &Limits) -> Result<JcalValue, JsValue> {
    limits.check_max_depth().map_err(|e| to_js_error(&e))?;
    let exceeded = Cell::new(false);
    BoundedJcal::new(jcal::nesting(limits), &exceeded)
        .deserialize(serde_wasm_bindgen::Deserializer::from(value.clone()))
        .map_err(|e| {
            if exceeded.get() {
                to_js_error(&Error::new(
                    ErrorCode::TooLarge,
                    format!(
                        "the jCal nests arrays and objects more than {} deep (limits.maxDepth {})",
                        jcal::nesting(limits),
                        limits.max_depth
                    ),
                ))
            } else {
                invalid_option(e)
            }
        })
}

/// A JS string of `units` UTF-16 units (its `length`, which the caller has read already)
/// copied into wasm: UTF-8 text, or for the lengths in [`ENCODE_IN_JS`] the bytes
/// `TextEncoder.encodeInto` wrote (UTF-8 too: the parser checks them once).
pub fn string_in(text: &js_sys::JsString, units: u32) -> Input {
    if ENCODE_IN_JS.iter().any(|range| range.contains(&units)) {
        if let Some(bytes) = encode_in_js(text, units) {
            return Input::Bytes(bytes);
        }
    }
    // A JsString is a string: `as_string` cannot miss.
    Input::Text(String::from(text))
}

/// Strings of these lengths (UTF-16 units) are UTF-8-encoded by JS straight into a buffer sized
/// from their length (see [`encode_in_js`]); others go through wasm-bindgen's own passing, which
/// copies a string's leading ASCII with a JS loop, one unit at a time, and hands the rest to
/// `TextEncoder.encodeInto` (measured in Node 20, `make bench` workloads):
/// - from 512 units: the loop costs more than the few calls into JS this way makes. The 1.6 KB
///   invitation (first non-ASCII character at unit 678) arrives in 0.6 µs instead of 1.4 µs;
///   below, a 200-unit calendar gains nothing.
/// - up to 16 Ki units: these bytes are checked to be UTF-8 once more in wasm (wasm-bindgen's
///   passing needs no check), about 0.1 µs per KB, more than the loop costs on a larger
///   calendar whose first non-ASCII character comes early (the 66 KB meeting: 7 µs more; the
///   1.8 MB series: 0.9 ms more, with the buffer grown twice).
/// - from 2 Mi units, for memory: wasm-bindgen reserves three bytes per unit while it encodes,
///   which made the 9.7 MB export's peak linear memory 4.05x its size (2.9x this way).
const ENCODE_IN_JS: [std::ops::Range<u32>; 2] = [512..16 * 1024, 2 * 1024 * 1024..u32::MAX];

/// `text` (`units` UTF-16 units long) encoded by `TextEncoder.encodeInto` into a buffer of this
/// module's memory, a piece at a time: the buffer starts at one byte per UTF-16 unit and an
/// eighth more (most calendar text is ASCII) and grows by what the rest needs at the rate seen
/// so far, so it is neither three times the text nor copied out of a JS `Uint8Array` first. `None` where there is no
/// `TextEncoder` (the caller then passes the string the usual way). Lone surrogates become
/// U+FFFD, as with wasm-bindgen's own passing.
fn encode_in_js(text: &js_sys::JsString, units: u32) -> Option<Vec<u8>> {
    let cached = Encoder::get()?;
    let Encoder {
        encoder,
        encode_into,
        read_key,
        written_key,
    } = &*cached;
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().dyn_into().ok()?;
    let units = units as usize;
    // Zeroed (safe Rust cannot hand JS uninitialised bytes); fresh pages cost no clearing.
    let mut buf = vec![0u8; units + units / 8 + 16];
    let (mut read, mut written) = (0usize, 0usize);
    while read < units {
        let rest = units - read;
        if buf.len() - written < 4 || read > 0 && buf.len() - written < rest {
            // Room for the rest at the bytes per unit seen so far, an eighth more, at least
            // one whole character.
            let need = rest.saturating_mul(written) / read.max(1);
            buf.resize(written + need + rest / 8 + 16, 0);
        }
        let start = u32::try_from(buf.as_ptr() as usize + written).ok()?;
        let room = u32::try_from(buf.len() - written).ok()?;
        let view =
            js_sys::Uint8Array::new_with_byte_offset_and_length(&memory.buffer(), start, room);
        let piece = if read == 0 {
            text.clone()
        } else {
            text.slice(u32::try_from(read).ok()?, u32::try_from(units).ok()?)
        };
        let result = encode_into.call2(encoder, &piece, &view).ok()?;
        let now_read = js_sys::Reflect::get(&result, read_key).ok()?.as_f64()? as usize;
        let now_written = js_sys::Reflect::get(&result, written_key).ok()?.as_f64()? as usize;
        if now_read == 0 && room >= 4 {
            return None; // no progress with room for any character: not a TextEncoder we know
        }
        read += now_read;
        written += now_written;
    }
    buf.truncate(written);
    // The parsed document keeps this buffer: give back the room left over (in place).
    buf.shrink_to_fit();
    Some(buf)
}

/// A `TextEncoder` with what [`encode_in_js`] reads from it, looked up once per instance (each
/// lookup is a call into JS, and a key made from wasm is a `TextDecoder` call).
struct Encoder {
    encoder: JsValue,
    encode_into: js_sys::Function,
    read_key: JsValue,
    written_key: JsValue,
}

impl Encoder {
    /// The instance's encoder; `None` where JS has no `TextEncoder` with `encodeInto`.
    fn get() -> Option<std::rc::Rc<Encoder>> {
        thread_local! {
            static ENCODER: Option<std::rc::Rc<Encoder>> = Encoder::new().map(std::rc::Rc::new);
        }
        ENCODER.with(Clone::clone)
    }

    fn new() -> Option<Encoder> {
        let class: js_sys::Function =
            js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("TextEncoder"))
                .ok()?
                .dyn_into()
                .ok()?;
        let encoder = js_sys::Reflect::construct(&class, &js_sys::Array::new()).ok()?;
        let encode_into: js_sys::Function =
            js_sys::Reflect::get(&encoder, &JsValue::from_str("encodeInto"))
                .ok()?
                .dyn_into()
                .ok()?;
        Some(Encoder {
            encoder,
            encode_into,
            read_key: JsValue::from_str("read"),
            written_key: JsValue::from_str("written"),
        })
    }
}

/// Calendar data as text for core options that carry it as a string. Bytes that are not UTF-8
/// are reported as the parser reports them (a `PARSE` error naming the line).
pub fn text(data: Data, field: &str, limits: &Limits) -> Result<String, JsValue> {
    let bytes = match data.input {
        Input::Text(text) => return Ok(text),
        Input::Bytes(bytes) => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let bytes = e.into_bytes();
            Document::parse_with(&bytes, limits).map_err(|e| to_js_error(&e))?;
            // Valid only once unfolded (a fold splits a character): text cannot carry it as is.
            Err(to_js_error(&Error::new(
                ErrorCode::Parse,
                format!("`{field}`: the bytes are not UTF-8 until unfolded; pass the data as text"),
            )))
        }
    }
}

/// The form of the result: `format: "ical"` (text, or bytes when bytes came in), `"jcal"`, or
/// absent for the input's own form.
pub fn output_form(options: &js_sys::Object, input: Form) -> Result<Form, JsValue> {
    let format = field(options, "format");
    if format.is_undefined() || format.is_null() {
        return Ok(input);
    }
    match format.as_string().as_deref() {
        Some("ical") if input == Form::Bytes => Ok(Form::Bytes),
        Some("ical") => Ok(Form::Text),
        Some("jcal") => Ok(Form::Jcal),
        _ => Err(to_js_error(&Error::new(
            ErrorCode::InvalidOption,
            "`format` must be \"ical\" or \"jcal\"",
        ))),
    }
}

/// Hands calendar text back in the requested form ([`data_out`] without checking text that is
/// already a string).
pub fn text_out(text: &str, form: Form, limits: &Limits) -> Result<JsValue, JsValue> {
    match form {
        Form::Text => Ok(JsValue::from_str(text)),
        _ => data_out(text.as_bytes(), form, limits),
    }
}

/// Hands calendar bytes back in the requested form.
pub fn data_out(bytes: &[u8], form: Form, limits: &Limits) -> Result<JsValue, JsValue> {
    match form {
        // Output built from a JS string is valid UTF-8; the lossy form only guards the type.
        Form::Text => Ok(JsValue::from_str(&String::from_utf8_lossy(bytes))),
        Form::Bytes => Ok(js_sys::Uint8Array::from(bytes).into()),
        Form::Jcal => {
            let doc = Document::parse_with(bytes, limits).map_err(|e| to_js_error(&e))?;
            let jcal = jcal::to_jcal(&doc).map_err(|e| to_js_error(&e))?;
            value(&jcal)
        }
    }
}

/// Reads a typed options object: the keys it has that the type declares (an `undefined` one is
/// absent, as JS means it), with `replaced` fields set to values converted separately (calendar
/// data, headers); a wrong shape throws a `TypeError` with code `INVALID_OPTION`.
pub fn read<T: DeserializeOwned>(
    options: &js_sys::Object,
    replaced: Vec<(&'static str, JsValue)>,
) -> Result<T, JsValue> {
    super::options::read_options(options, replaced).map_err(invalid_option)
}

/// The JS clock as an ISO 8601 UTC string, for a `now` the caller left out: the core has no
/// clock, so the boundary acquires the input (the one default allowed here).
pub fn now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// Replaces `data` in a serialised result with the calendar data in the requested form.
pub fn with_data(result: &JsValue, data: &JsValue) -> Result<(), JsValue> {
    js_sys::Reflect::set(result, &key("data"), data).map(|_| ())
}

/// An option or result key as a JS string, made once per name: making a JS string from wasm
/// is a `TextDecoder` call, which costs more than the property access itself on a short key.
fn key(name: &'static str) -> JsValue {
    thread_local! {
        static KEYS: std::cell::RefCell<Vec<(&'static str, JsValue)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some((_, value)) = keys.iter().find(|(k, _)| *k == name) {
            return value.clone();
        }
        let value = JsValue::from_str(name);
        keys.push((name, value.clone()));
        value
    })
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
pub fn field(options: &js_sys::Object, name: &'static str) -> JsValue {
    js_sys::Reflect::get(options, &key(name)).unwrap_or(JsValue::UNDEFINED)
}

/// An optional typed field: its `Default` when absent (`undefined` or `null`), else the value
/// read with serde; a value of the wrong shape throws a `TypeError` with code `INVALID_OPTION`.
pub fn optional_field<T: DeserializeOwned + Default>(
    options: &js_sys::Object,
    name: &'static str,
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
