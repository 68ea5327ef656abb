//! The `inspect` export (API.md "Interop"): converts and calls [`crate::itip::inspect`].

use super::convert;
use super::errors::to_js_error;
use crate::ical::Limits;
use crate::itip::{self, InspectOptions, Inspection};
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// A plain summary of a scheduling object for a UI: UID, my role, organizer, SCHEDULE-AGENT,
/// and for the master and each overridden instance its start, SEQUENCE, SUMMARY, STATUS, my
/// answer, every attendee with PARTSTAT and SCHEDULE-STATUS (codes and their meaning) and the
/// alarms. Reads only; `data` may be text, bytes or jCal. Throws `PARSE` for unparseable data
/// or data without a VEVENT/VTODO/VJOURNAL, `UID_MISMATCH` when components disagree on the UID.
///
/// ```js
/// const { role, components } = inspect({ data: ics, me: "mailto:wilfredo@example.com" });
/// for (const c of components) {
///   console.log(c.recurrenceId ?? "series", c.myPartstat);
///   for (const a of c.attendees) console.log(a.address, a.partstat, a.scheduleStatusDetails?.[0]?.meaning);
/// }
/// ```
#[wasm_bindgen(js_name = inspect)]
pub fn inspect(
    #[wasm_bindgen(unchecked_param_type = "InspectOptions & { data: CalendarData }")]
    options: JsValue,
) -> Result<Ts<Inspection>, JsValue> {
    let object = convert::options_object(&options)?;
    let limits: Limits = convert::optional_field(object, "limits")?;
    let data = convert::data_in(&convert::field(object, "data"), "data", &limits)?;
    let options: InspectOptions = convert::read(object, Vec::new())?;
    let result = itip::inspect(data.bytes(), &options).map_err(|e| to_js_error(&e))?;
    convert::result(&result)
}
