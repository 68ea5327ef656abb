//! Exports of the tag-precondition helpers (API.md "Tag preconditions"). Each only converts and
//! calls the core in [`crate::precondition`].

use super::convert;
use super::errors::to_js_error;
use crate::precondition::{self, EntityTag, PreconditionOptions, ResponseInput, Verdict};
use js_sys::{Array, Object};
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// Parses one entity tag (an ETag or Schedule-Tag value as received). Throws a `RangeError` with
/// code `BAD_ENTITY_TAG` for a malformed value (an unquoted tag, `&quot;` left over from XML...):
/// broken values are reported, never silently "fixed". A value that is not a string throws a
/// `TypeError` with code `INVALID_OPTION`.
///
/// ```js
/// parseEntityTag('W/"abc"'); // { raw: 'W/"abc"', opaque: "abc", weak: true }
/// ```
#[wasm_bindgen(js_name = parseEntityTag)]
pub fn parse_entity_tag(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
) -> Result<Ts<EntityTag>, JsValue> {
    let value = tag_string(&value, "the entity tag")?;
    let tag = precondition::parse_entity_tag(&value).map_err(|e| to_js_error(&e))?;
    convert::result(&tag)
}

/// A tag argument as a Rust string: anything but a JS string throws a `TypeError` with code
/// `INVALID_OPTION` (wasm-bindgen's own `&str` passing would read a number as a pointer).
fn tag_string(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        to_js_error(&crate::Error::new(
            crate::ErrorCode::InvalidOption,
            format!("{what} must be a string such as '\"abc\"' or 'W/\"abc\"'"),
        ))
    })
}

/// Compares two entity tags: strong comparison (both strong, same opaque value) unless
/// `options.weak` is true (RFC 9110 §8.8.3.2). Throws `BAD_ENTITY_TAG` for a malformed tag and
/// `INVALID_OPTION` (a `TypeError`) for a tag that is not a string.
///
/// ```js
/// compareEntityTags('"1"', 'W/"1"');                  // false
/// compareEntityTags('"1"', 'W/"1"', { weak: true });  // true
/// ```
#[wasm_bindgen(js_name = compareEntityTags)]
pub fn compare_entity_tags(
    #[wasm_bindgen(unchecked_param_type = "string")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] b: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "{ weak?: boolean }")] options: JsValue,
) -> Result<bool, JsValue> {
    let weak = if options.is_undefined() || options.is_null() {
        false
    } else {
        convert::optional_field::<Option<bool>>(convert::options_object(&options)?, "weak")?
            .unwrap_or(false)
    };
    let a = tag_string(&a, "the first entity tag")?;
    let b = tag_string(&b, "the second entity tag")?;
    precondition::compare_entity_tags(&a, &b, weak).map_err(|e| to_js_error(&e))
}

/// The precondition headers for one write, to spread into the request's headers: create ->
/// `If-None-Match: *`; update/delete -> `If-Schedule-Tag-Match` alone when a Schedule-Tag is
/// known, else a strong `If-Match`; never both and never an unconditional write. Tags are echoed
/// byte for byte. A tsdav `DAVCalendarObject` (`{ url, etag, data }`) may be spread in.
///
/// ```js
/// const headers = preconditionHeaders({ intent: "update", etag, scheduleTag });
/// await fetch(url, { method: "PUT", headers: { ...headers, "Content-Type": "text/calendar" }, body });
/// ```
#[wasm_bindgen(
    js_name = preconditionHeaders,
    unchecked_return_type = "Record<string, string>"
)]
pub fn precondition_headers(
    #[wasm_bindgen(unchecked_param_type = "PreconditionOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: PreconditionOptions =
        convert::read(convert::options_object(&options)?, Vec::new())?;
    let headers = precondition::precondition_headers(&options).map_err(|e| to_js_error(&e))?;
    convert::value(&headers)
}

/// Turns a server's answer to GET/PUT/DELETE into the next step (`outcome`) and the validators
/// to keep (`etag`, `scheduleTag`). `headers` may be a fetch `Headers`, a plain object or
/// `[name, value]` pairs; names compare case-insensitively.
///
/// ```js
/// const res = await fetch(url, { method: "PUT", headers: sent, body });
/// const verdict = classifyResponse({
///   method: "PUT", status: res.status, headers: res.headers, body: await res.text(), sent, attempt: 1,
/// });
/// if (verdict.outcome === "merge-and-retry") {
///   // GET the new copy, merge(), PUT again with the new tag
/// }
/// ```
#[wasm_bindgen(js_name = classifyResponse)]
pub fn classify_response(
    #[wasm_bindgen(
        unchecked_param_type = "Omit<ResponseInput, \"headers\" | \"sent\"> & { headers?: Headers | Record<string, string> | [string, string][]; sent?: Record<string, string> }"
    )]
    options: JsValue,
) -> Result<Ts<Verdict>, JsValue> {
    let object = convert::options_object(&options)?;
    let pairs = header_pairs(&convert::field(object, "headers"))?;
    let input: ResponseInput = convert::read(object, vec![("headers", pairs)])?;
    let verdict = precondition::classify_response(&input).map_err(|e| to_js_error(&e))?;
    convert::result(&verdict)
}

/// `[name, value]` pairs from a `Headers`, a `Map`, an array of pairs or a plain object.
fn header_pairs(headers: &JsValue) -> Result<JsValue, JsValue> {
    if headers.is_undefined() || headers.is_null() {
        return Ok(Array::new().into());
    }
    // Reflect.get (inside try_iter) throws on primitives: check for an object first.
    if !headers.is_object() {
        return Err(bad_headers());
    }
    if let Some(iter) = js_sys::try_iter(headers)? {
        let pairs = Array::new();
        for entry in iter {
            pairs.push(&entry?);
        }
        return Ok(pairs.into());
    }
    match headers.dyn_ref::<Object>() {
        Some(object) => Ok(Object::entries(object).into()),
        None => Err(bad_headers()),
    }
}

fn bad_headers() -> JsValue {
    to_js_error(&crate::Error::new(
        crate::ErrorCode::InvalidOption,
        "`headers` must be a Headers, a plain object or an array of [name, value] pairs",
    ))
}
