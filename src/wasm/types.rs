//! The one hand-written TypeScript section: what derives cannot express. Option and result
//! interfaces are generated from the core types by tsify.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_ERRORS: &'static str = r#"
/** Calendar data: iCalendar text, iCalendar bytes, or a jCal array (RFC 7265, as `ICAL.parse` returns it). */
export type CalendarData = string | Uint8Array | unknown[];

/** The form of calendar data in a result: iCalendar (text, or bytes when bytes came in) or jCal. */
export type DataFormat = "ical" | "jcal";

/** The stable code carried by every error this package throws (a closed set). */
export type ErrorCode =
  | "PARSE"
  | "TOO_LARGE"
  | "NOT_SCHEDULING_OBJECT"
  | "NOT_AN_ATTENDEE"
  | "IS_ORGANIZER"
  | "NO_SUCH_INSTANCE"
  | "UID_MISMATCH"
  | "INVALID_OPTION"
  | "BAD_ENTITY_TAG"
  | "UNSAFE_VALUE";

/**
 * What every function of this package throws: a built-in `Error` (a `SyntaxError` for
 * unparseable iCalendar, a `TypeError` or `RangeError` for bad options or values, else `Error`)
 * with a stable `code` and, when it points into the input, the 1-based `line`.
 *
 * ```js
 * try { attendeeReply({ data, me, partstat: "ACCEPTED" }); }
 * catch (e) { if (e.code === "PARSE") console.log(`bad iCalendar at line ${e.line}`); }
 * ```
 */
export interface CalDavSchedError extends Error {
  code: ErrorCode;
  line?: number;
}
"#;
