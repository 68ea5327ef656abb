//! The `attendeeReply` export (API.md "Attendee reply"): converts and calls
//! [`crate::itip::attendee_reply`].

use super::convert;
use super::errors::to_js_error;
use crate::ical::Limits;
use crate::itip::{self, ReplyOptions};
use wasm_bindgen::prelude::*;

/// Changes only this user's participation in their copy of a scheduling object, and builds the
/// iTIP REPLY when the client must send it itself (SCHEDULE-AGENT=CLIENT). Every line the call
/// did not mean to change stays byte-identical. `now` defaults to the current time; `data` may
/// be text, bytes or jCal and comes back in the same form unless `format` says otherwise.
///
/// ```js
/// const { data, itip, warnings } = attendeeReply({
///   data: ics,                                   // the attendee's copy as fetched
///   me: ["mailto:wilfredo@example.com", "/principals/users/wilfredo/"],
///   partstat: "ACCEPTED",
///   alarms: [{ trigger: "-PT15M", description: "Meeting soon" }],
/// });
/// await fetch(url, { method: "PUT", headers: preconditionHeaders({ intent: "update", scheduleTag }), body: data });
/// ```
#[wasm_bindgen(
    js_name = attendeeReply,
    unchecked_return_type = "Omit<ReplyResult, \"data\" | \"itip\"> & { data: CalendarData; itip: string | null }"
)]
pub fn attendee_reply(
    #[wasm_bindgen(
        unchecked_param_type = "Omit<ReplyOptions, \"now\"> & { data: CalendarData; now?: string; format?: DataFormat }"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let object = convert::options_object(&options)?;
    let limits: Limits = convert::optional_field(object, "limits")?;
    let data = convert::data_in(&convert::field(object, "data"), "data", &limits)?;
    let form = convert::output_form(object, data.form)?;
    // Only the keys the object has are read (`data` and `format` are not ReplyOptions fields).
    let mut options: ReplyOptions = convert::read(object, Vec::new())?;
    if options.now.is_empty() {
        options.now = convert::now();
    }
    // The data is handed over: the core parses it in place (a JS string needs no UTF-8 check).
    let mut result =
        itip::attendee_reply_input(data.input, &options).map_err(|e| to_js_error(&e))?;
    // The calendar data leaves once, in the requested form: serialising the result with its
    // `data` would copy the whole text out a second time only to be replaced.
    let text = std::mem::take(&mut result.data);
    let out = convert::value(&result)?;
    convert::with_data(&out, &convert::text_out(&text, form, &limits)?)?;
    Ok(out)
}
