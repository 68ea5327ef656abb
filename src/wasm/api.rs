//! Exports that work on whole calendar data. Each one only converts and calls the core.

use super::convert;
use super::errors::to_js_error;
use crate::ical::{Document, Limits};
use wasm_bindgen::prelude::*;

/// Parses iCalendar and writes it back. The layer is lossless, so anything that parses comes back
/// byte for byte as it went in (folding, line endings, parameter order and case, unknown
/// properties and components); anything that does not parse throws. Useful to check data before
/// a PUT, and as proof of the round trip every other export relies on.
///
/// `data` is a string or a `Uint8Array`; the result has the same form. `limits` (all fields
/// optional) bounds the work: exceeding one throws a `RangeError` with code `TOO_LARGE`.
///
/// ```js
/// import { roundTrip } from "caldav-sched";
/// const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nEND:VCALENDAR\r\n";
/// roundTrip({ data: ics }) === ics; // true
/// try {
///   roundTrip({ data: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" });
/// } catch (e) {
///   // e instanceof SyntaxError, e.code === "PARSE", e.line === 1 (the BEGIN never closed)
/// }
/// ```
#[wasm_bindgen(js_name = roundTrip, unchecked_return_type = "string | Uint8Array")]
pub fn round_trip(
    #[wasm_bindgen(
        unchecked_param_type = "{ data: string | Uint8Array; limits?: Partial<Limits> }"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = convert::options_object(&options)?;
    let limits: Limits = convert::optional_field(options, "limits")?;
    let data = convert::data_in(&convert::field(options, "data"), "data", &limits)?;
    // The document keeps the input buffer as its source: no second copy of a large export.
    let form = data.form;
    let document = Document::parse_input_with(data.input, &limits).map_err(|e| to_js_error(&e))?;
    match document.to_text() {
        Some(text) => convert::text_out(&text, form, &limits),
        None => convert::data_out(&document.to_bytes(), form, &limits),
    }
}

/// iCalendar to jCal (RFC 7265): the same array `ICAL.parse(text)` of ical.js returns, so the
/// result can go straight into `new ICAL.Component(jcal)`. Throws `PARSE` (a `SyntaxError` with
/// `line`) for unparseable iCalendar.
///
/// ```js
/// const jcal = toJcal({ data: ics });  // ["vcalendar", [...], [...]]
/// const comp = new ICAL.Component(jcal);
/// ```
#[wasm_bindgen(js_name = toJcal, unchecked_return_type = "unknown[]")]
pub fn to_jcal(
    #[wasm_bindgen(
        unchecked_param_type = "{ data: string | Uint8Array; limits?: Partial<Limits> }"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = convert::options_object(&options)?;
    let limits: Limits = convert::optional_field(options, "limits")?;
    let data = convert::data_in(&convert::field(options, "data"), "data", &limits)?;
    convert::data_out(data.bytes(), convert::Form::Jcal, &limits)
}

/// jCal (RFC 7265, e.g. `component.toJSON()` of ical.js) to iCalendar text: canonical lines
/// (CRLF, folded at 75 octets, escaped). Throws `PARSE` naming the path of malformed jCal.
///
/// ```js
/// const ics = toIcal({ data: ICAL.parse(text) });
/// ```
#[wasm_bindgen(js_name = toIcal)]
pub fn to_ical(
    #[wasm_bindgen(unchecked_param_type = "{ data: unknown[]; limits?: Partial<Limits> }")]
    options: JsValue,
) -> Result<String, JsValue> {
    let options = convert::options_object(&options)?;
    let limits: Limits = convert::optional_field(options, "limits")?;
    let data = convert::field(options, "data");
    if !js_sys::Array::is_array(&data) {
        return Err(to_js_error(&crate::Error::new(
            crate::ErrorCode::InvalidOption,
            "`data` must be a jCal array",
        )));
    }
    let data = convert::data_in(&data, "data", &limits)?;
    Ok(match data.input {
        crate::ical::Input::Text(text) => text,
        crate::ical::Input::Bytes(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
    })
}
