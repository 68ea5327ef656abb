//! The `merge` export (API.md "Merge"): converts and calls [`crate::itip::merge`].

use super::convert;
use super::errors::to_js_error;
use crate::ical::Limits;
use crate::itip::{self, MergeOptions};
use wasm_bindgen::prelude::*;

/// After a failed precondition (412), reconciles the local edit with the newer server copy:
/// the result is the server copy plus what the user owns from the local edit (their answer,
/// alarms, TRANSP...), instance by instance, with every other server line byte-identical.
/// `kept`, `dropped` and `conflicts` say what happened in words a UI can show; with
/// `needsConfirmation` ask the user before the PUT (the organizer moved what they had answered).
/// Pass `base` (the copy the edit started from) for a true three-way merge.
///
/// ```js
/// const m = merge({ local: edited, server: newer, base: fetched, me: "mailto:wilfredo@example.com" });
/// for (const c of m.dropped) console.log(c.what); // "your new title was not saved: ..."
/// if (m.needsConfirmation && confirm("The meeting moved. Keep your answer?")) {
///   Object.assign(m, merge({ local: edited, server: newer, base: fetched, me, onReschedule: "keep" }));
/// }
/// if (!m.unchanged) await put(m.data, newTags);
/// ```
#[wasm_bindgen(
    js_name = merge,
    unchecked_return_type = "Omit<MergeResult, \"data\"> & { data: CalendarData }"
)]
pub fn merge(
    #[wasm_bindgen(
        unchecked_param_type = "Omit<MergeOptions, \"local\" | \"server\" | \"base\"> & { local: CalendarData; server: CalendarData; base?: CalendarData; format?: DataFormat }"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let object = convert::options_object(&options)?;
    let limits: Limits = convert::optional_field(object, "limits")?;
    // The copies are read once here and handed to the core as they are: the typed options are
    // read without them (placeholders stand in for the two required ones), so megabytes of
    // calendar data do not cross the boundary three times.
    let mut form = None;
    let mut read = |name: &'static str| -> Result<String, JsValue> {
        let data = convert::data_in(&convert::field(object, name), name, &limits)?;
        form.get_or_insert(data.form);
        convert::text(data, name, &limits)
    };
    let local = read("local")?;
    let server = read("server")?;
    let base_value = convert::field(object, "base");
    let base = if base_value.is_undefined() || base_value.is_null() {
        None
    } else {
        Some(read("base")?)
    };
    let form = convert::output_form(object, form.unwrap_or(convert::Form::Text))?;
    // The copies were read above (in any form): the typed options get empty placeholders.
    let empty = || JsValue::from_str("");
    let mut options: MergeOptions = convert::read(
        object,
        vec![
            ("local", empty()),
            ("server", empty()),
            ("base", JsValue::UNDEFINED),
        ],
    )?;
    options.local = local;
    options.server = server;
    options.base = base;
    let mut result = itip::merge_owned(options).map_err(|e| to_js_error(&e))?;
    // The merged data leaves once, in the requested form (not also inside the serialised result).
    let text = std::mem::take(&mut result.data);
    let out = convert::value(&result)?;
    convert::with_data(&out, &convert::text_out(&text, form, &limits)?)?;
    Ok(out)
}
