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
    let data = convert::data_in(&convert::field(options, "data"), "data")?;
    let limits: Limits = convert::optional_field(options, "limits")?;
    let document = Document::parse_with(&data.bytes, &limits).map_err(|e| to_js_error(&e))?;
    Ok(convert::data_out(&document.to_bytes(), data.is_text))
}
