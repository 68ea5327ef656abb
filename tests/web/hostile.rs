//! Hostile input through the exports (roundTrip, toJcal, attendeeReply, merge, the tag helpers)
//! in a JS engine (issue 7 item 3): each case checks the error `code` (or, where the input is
//! legitimate, that nothing is injected) and that the module still works afterwards.

use crate::{class_name, get};
use caldav_sched::wasm::merge::merge;
use caldav_sched::wasm::precondition::{
    compare_entity_tags, parse_entity_tag, precondition_headers,
};
use caldav_sched::wasm::reply::attendee_reply;
use caldav_sched::wasm::{round_trip, to_jcal};
use js_sys::{JsString, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// A scheduling object whose ORGANIZER asks the client to send the reply (so `comment` is used).
const CLIENT: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n\
BEGIN:VEVENT\r\nUID:h1@example.com\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART:20260302T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\n\
ORGANIZER;SCHEDULE-AGENT=CLIENT:mailto:o@example.com\r\n\
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

const ME: &str = "mailto:me@example.com";

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn reply(extra: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let mut pairs = vec![
        ("data", JsValue::from_str(CLIENT)),
        ("me", ME.into()),
        ("partstat", "ACCEPTED".into()),
        ("now", "20260101T120000Z".into()),
    ];
    for (k, v) in extra {
        pairs.retain(|(key, _)| key != k);
        pairs.push((k, v.clone()));
    }
    attendee_reply(obj(&pairs))
}

fn code(thrown: &JsValue) -> String {
    get(thrown, "code").as_string().unwrap()
}

/// The module still answers correctly after a throw.
fn still_works() {
    let out = round_trip(obj(&[("data", CLIENT.into())])).unwrap();
    assert_eq!(out.as_string().unwrap(), CLIENT);
    let out = reply(&[]).unwrap();
    assert_eq!(get(&out, "changed").as_bool(), Some(true));
    assert!(parse_entity_tag("\"ok\"".into()).is_ok());
}

fn round_trip_error(data: JsValue, limits: Option<JsValue>) -> JsValue {
    let mut pairs = vec![("data", data)];
    if let Some(l) = limits {
        pairs.push(("limits", l));
    }
    round_trip(obj(&pairs)).unwrap_err()
}

#[wasm_bindgen_test]
fn control_characters_in_me_are_unsafe_values() {
    for bad in [
        "mailto:me@example.com\r\nX-EVIL:1",
        "mailto:me@example.com\n",
        "mailto:me\0@example.com",
    ] {
        let thrown = reply(&[("me", bad.into())]).unwrap_err();
        assert_eq!(code(&thrown), "UNSAFE_VALUE", "{bad:?}");
        assert_eq!(class_name(&thrown), "RangeError");
    }
    still_works();
}

#[wasm_bindgen_test]
fn control_characters_in_recurrence_id_are_unsafe_values() {
    for bad in [
        "20260303T100000Z\r\nX-EVIL:1",
        "20260303T100000Z\n",
        "20260303T100000Z\0",
    ] {
        let thrown = reply(&[("recurrenceId", bad.into())]).unwrap_err();
        assert_eq!(code(&thrown), "UNSAFE_VALUE", "{bad:?}");
    }
    still_works();
}

#[wasm_bindgen_test]
fn line_breaks_in_a_comment_are_escaped_text_and_never_a_new_line() {
    // CR, LF and CRLF are newlines of TEXT (RFC 5545 §3.3.11): escaped as `\n`, so the
    // "injected" property stays inside the COMMENT value.
    for comment in ["late\r\nX-EVIL:1", "late\nX-EVIL:1", "late\rX-EVIL:1"] {
        let out = reply(&[("comment", comment.into())]).unwrap();
        let itip = get(&out, "itip").as_string().unwrap();
        assert!(
            itip.replace("\r\n ", "")
                .contains("COMMENT:late\\nX-EVIL:1\r\n"),
            "{itip}"
        );
        assert!(!itip.contains("\nX-EVIL"), "{itip}");
        assert!(!get(&out, "data").as_string().unwrap().contains("X-EVIL"));
    }
    still_works();
}

#[wasm_bindgen_test]
fn other_control_characters_in_a_comment_are_unsafe_values() {
    for comment in ["late\0", "late\u{1b}[31m", "late\u{7f}"] {
        let thrown = reply(&[("comment", comment.into())]).unwrap_err();
        assert_eq!(code(&thrown), "UNSAFE_VALUE", "{comment:?}");
    }
    still_works();
}

#[wasm_bindgen_test]
fn control_characters_in_tag_values_are_refused() {
    for bad in ["\"a\"\r\nX-Evil: 1", "\"a\nb\"", "\"a\0\"", "\"a\"\r"] {
        let thrown = parse_entity_tag(bad.into()).unwrap_err();
        assert_eq!(code(&thrown), "BAD_ENTITY_TAG", "{bad:?}");
        let thrown =
            compare_entity_tags(bad.into(), "\"a\"".into(), JsValue::UNDEFINED).unwrap_err();
        assert_eq!(code(&thrown), "BAD_ENTITY_TAG", "{bad:?}");
        for field in ["etag", "scheduleTag"] {
            let options = obj(&[("intent", "update".into()), (field, bad.into())]);
            let thrown = precondition_headers(options).unwrap_err();
            assert_eq!(code(&thrown), "UNSAFE_VALUE", "{field} {bad:?}");
        }
    }
    still_works();
}

#[wasm_bindgen_test]
fn invalid_utf8_bytes_are_a_parse_error_with_the_line() {
    let mut bytes = CLIENT.as_bytes().to_vec();
    // Inside the DTSTAMP line (line 6): a lone continuation byte and a truncated sequence.
    let at = CLIENT.find("DTSTAMP:").unwrap() + 8;
    bytes.splice(at..at, [0x80, 0xE2, 0x82]);
    let data: JsValue = Uint8Array::from(&bytes[..]).into();
    let thrown = round_trip_error(data.clone(), None);
    assert_eq!(code(&thrown), "PARSE");
    assert_eq!(class_name(&thrown), "SyntaxError");
    assert_eq!(get(&thrown, "line").as_f64(), Some(6.0));
    let thrown = reply(&[("data", data.clone())]).unwrap_err();
    assert_eq!(code(&thrown), "PARSE");
    let thrown = to_jcal(obj(&[("data", data)])).unwrap_err();
    assert_eq!(code(&thrown), "PARSE");
    still_works();
}

/// Bytes of linear memory now (it only grows).
fn memory_bytes() -> f64 {
    let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>();
    get(&memory.buffer(), "byteLength").as_f64().unwrap()
}

#[wasm_bindgen_test]
fn fifty_megabytes_are_too_large_before_they_are_copied_in() {
    const FIFTY_MB: u32 = 50 * 1000 * 1000;
    let text: JsValue = JsString::from("A").repeat(FIFTY_MB as i32).into();
    let bytes: JsValue = Uint8Array::new_with_length(FIFTY_MB).into();
    let before = memory_bytes();
    for data in [&text, &bytes] {
        // The default limit (16 MiB) and a configured one.
        let thrown = round_trip_error(data.clone(), None);
        assert_eq!(code(&thrown), "TOO_LARGE");
        assert_eq!(class_name(&thrown), "RangeError");
        let limits = obj(&[("maxBytes", JsValue::from_f64(1e6))]);
        let thrown = round_trip_error(data.clone(), Some(limits));
        assert_eq!(code(&thrown), "TOO_LARGE");
        assert!(get(&thrown, "message")
            .as_string()
            .unwrap()
            .contains("1000000"));
        let thrown = reply(&[("data", data.clone())]).unwrap_err();
        assert_eq!(code(&thrown), "TOO_LARGE");
        let thrown = to_jcal(obj(&[("data", data.clone())])).unwrap_err();
        assert_eq!(code(&thrown), "TOO_LARGE");
    }
    // Nothing near 50 MB was copied into wasm memory to find that out.
    let grown = memory_bytes() - before;
    assert!(grown < 4e6, "wasm memory grew by {grown} bytes");
    still_works();
}

#[wasm_bindgen_test]
fn ten_thousand_nested_begins_are_too_large_at_the_depth_limit() {
    let mut text = String::from("BEGIN:VCALENDAR\r\n");
    for _ in 0..10_000 {
        text.push_str("BEGIN:X-NEST\r\n");
    }
    let thrown = round_trip_error(text.clone().into(), None);
    assert_eq!(code(&thrown), "TOO_LARGE");
    assert_eq!(get(&thrown, "line").as_f64(), Some(33.0));
    let limits = obj(&[("maxDepth", JsValue::from_f64(3.0))]);
    let thrown = round_trip_error(text.clone().into(), Some(limits));
    assert_eq!(code(&thrown), "TOO_LARGE");
    assert_eq!(get(&thrown, "line").as_f64(), Some(4.0));
    let thrown = reply(&[("data", text.into())]).unwrap_err();
    assert_eq!(code(&thrown), "TOO_LARGE");
    still_works();
}

#[wasm_bindgen_test]
fn a_million_parameters_on_one_line_are_too_large() {
    let mut line = String::from("X-MANY");
    for _ in 0..1_000_000 {
        line.push_str(";A=1");
    }
    let text = CLIENT.replace("DTSTAMP:", &format!("{line}:v\r\nDTSTAMP:"));
    let thrown = round_trip_error(text.clone().into(), None);
    assert_eq!(code(&thrown), "TOO_LARGE");
    assert_eq!(get(&thrown, "line").as_f64(), Some(6.0));
    assert!(get(&thrown, "message")
        .as_string()
        .unwrap()
        .contains("parameters"));
    let thrown = reply(&[("data", text.clone().into())]).unwrap_err();
    assert_eq!(code(&thrown), "TOO_LARGE");
    // A caller may allow them all.
    let limits = obj(&[("maxParams", JsValue::from_f64(1e6))]);
    let out = round_trip(obj(&[("data", text.clone().into()), ("limits", limits)])).unwrap();
    assert_eq!(out.as_string().unwrap().len(), text.len());
    still_works();
}

#[wasm_bindgen_test]
fn unterminated_components_are_parse_errors_naming_the_begin() {
    let cut = CLIENT.find("END:VEVENT").unwrap();
    for text in [
        &CLIENT[..cut],
        &CLIENT[..CLIENT.len() - "END:VCALENDAR\r\n".len()],
    ] {
        let thrown = round_trip_error(text.into(), None);
        assert_eq!(code(&thrown), "PARSE");
        assert!(get(&thrown, "message")
            .as_string()
            .unwrap()
            .contains("never closed"));
        let thrown = reply(&[("data", text.into())]).unwrap_err();
        assert_eq!(code(&thrown), "PARSE");
    }
    still_works();
}

#[wasm_bindgen_test]
fn begin_end_mismatch_is_a_parse_error_at_the_end_line() {
    let text = CLIENT.replace("END:VEVENT", "END:VTODO");
    let thrown = round_trip_error(text.clone().into(), None);
    assert_eq!(code(&thrown), "PARSE");
    assert_eq!(get(&thrown, "line").as_f64(), Some(11.0));
    let thrown = reply(&[("data", text.into())]).unwrap_err();
    assert_eq!(code(&thrown), "PARSE");
    let stray = CLIENT.replace("END:VCALENDAR\r\n", "END:VCALENDAR\r\nEND:VEVENT\r\n");
    let thrown = round_trip_error(stray.into(), None);
    assert_eq!(code(&thrown), "PARSE");
    still_works();
}

#[wasm_bindgen_test]
fn duplicate_uid_with_another_organizer_is_refused() {
    let second = "BEGIN:VEVENT\r\nUID:h1@example.com\r\nDTSTAMP:20260101T000000Z\r\n\
RECURRENCE-ID:20260303T100000Z\r\nDTSTART:20260303T110000Z\r\n\
ORGANIZER:mailto:mallory@example.com\r\n\
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com\r\nEND:VEVENT\r\n";
    let text = CLIENT.replace("END:VCALENDAR", &format!("{second}END:VCALENDAR"));
    // Still iCalendar: the lossless layer keeps it.
    let out = round_trip(obj(&[("data", text.clone().into())])).unwrap();
    assert_eq!(out.as_string().unwrap(), text);
    let thrown = reply(&[("data", text.clone().into())]).unwrap_err();
    assert_eq!(code(&thrown), "NOT_SCHEDULING_OBJECT");
    assert_eq!(get(&thrown, "line").as_f64(), Some(17.0));
    let instance = reply(&[
        ("data", text.into()),
        ("recurrenceId", "20260303T100000Z".into()),
    ]);
    assert_eq!(code(&instance.unwrap_err()), "NOT_SCHEDULING_OBJECT");
    still_works();
}

const MERGE_BASE: &str = include_str!("../fixtures/merge/seed-base.ics");
const MERGE_LOCAL: &str = include_str!("../fixtures/merge/seed-local.ics");
const MERGE_SERVER: &str = include_str!("../fixtures/merge/seed-server-moved.ics");

fn merge_with(name: &str, value: JsValue, extra: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let mut pairs = vec![
        ("local", JsValue::from_str(MERGE_LOCAL)),
        ("server", JsValue::from_str(MERGE_SERVER)),
        ("base", JsValue::from_str(MERGE_BASE)),
        ("me", "mailto:wilfredo@example.com".into()),
    ];
    pairs.retain(|(k, _)| *k != name);
    pairs.push((name, value));
    pairs.extend(extra.iter().cloned());
    merge(obj(&pairs))
}

#[wasm_bindgen_test]
fn merge_refuses_hostile_copies_and_options_with_codes() {
    let big: JsValue = JsString::from("A").repeat(50_000_000).into();
    let mut nested = String::from("BEGIN:VCALENDAR\r\n");
    nested.push_str(&"BEGIN:X-NEST\r\n".repeat(10_000));
    let before = memory_bytes();
    for name in ["local", "server", "base"] {
        let thrown = merge_with(name, big.clone(), &[]).unwrap_err();
        assert_eq!(code(&thrown), "TOO_LARGE", "{name}");
        let thrown = merge_with(name, nested.clone().into(), &[]).unwrap_err();
        assert_eq!(code(&thrown), "TOO_LARGE", "{name}");
        let cut = &MERGE_SERVER[..MERGE_SERVER.find("END:VEVENT").unwrap()];
        let thrown = merge_with(name, cut.into(), &[]).unwrap_err();
        assert_eq!(code(&thrown), "PARSE", "{name}");
        let bad = Uint8Array::from(&b"BEGIN:VCALENDAR\r\nX:\xff\r\nEND:VCALENDAR\r\n"[..]);
        let thrown = merge_with(name, bad.into(), &[]).unwrap_err();
        assert_eq!(code(&thrown), "PARSE", "{name}");
    }
    let grown = memory_bytes() - before;
    assert!(grown < 4e6, "wasm memory grew by {grown} bytes");
    let limits = obj(&[("maxBytes", JsValue::from_f64(100.0))]);
    let thrown = merge_with("server", MERGE_SERVER.into(), &[("limits", limits)]).unwrap_err();
    assert_eq!(code(&thrown), "TOO_LARGE");
    for me in [
        "mailto:wilfredo@example.com\r\nX: 1",
        "mailto:w\0@example.com",
    ] {
        let thrown = merge_with("me", me.into(), &[]).unwrap_err();
        assert_eq!(code(&thrown), "UNSAFE_VALUE", "{me:?}");
    }
    // A second ORGANIZER on the same UID (a forged override) is not one scheduling object.
    let forged = MERGE_SERVER.replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:9263504FD3AD\r\nDTSTAMP:20090602T185254Z\r\n\
RECURRENCE-ID:20090602T160000Z\r\nDTSTART:20090602T180000Z\r\n\
ORGANIZER:mailto:mallory@example.com\r\nATTENDEE:mailto:wilfredo@example.com\r\n\
END:VEVENT\r\nEND:VCALENDAR",
    );
    let thrown = merge_with("server", forged.into(), &[]).unwrap_err();
    assert_eq!(code(&thrown), "NOT_SCHEDULING_OBJECT");
    // And it still merges.
    let out = merge_with("me", "mailto:wilfredo@example.com".into(), &[]).unwrap();
    assert!(get(&out, "data")
        .as_string()
        .unwrap()
        .contains("BEGIN:VCALENDAR"));
    still_works();
}

/// jCal nested `levels` arrays deep inside a property value of a VCALENDAR.
fn deep_array(levels: usize) -> JsValue {
    let root = js_sys::Array::new();
    let mut at = root.clone();
    for _ in 0..levels {
        let inner = js_sys::Array::new();
        at.push(&inner);
        at = inner;
    }
    let property = js_sys::Array::of4(&"x-a".into(), &Object::new(), &"text".into(), &root);
    let calendar = js_sys::Array::of3(
        &"vcalendar".into(),
        &js_sys::Array::of1(&property),
        &js_sys::Array::new(),
    );
    calendar.into()
}

#[wasm_bindgen_test]
fn jcal_nested_without_end_or_cyclic_is_too_large_and_the_module_keeps_working() {
    // An object 10,000 deep (a RECUR value), an array 10,000 deep, a component that holds
    // itself: each used to overflow the wasm stack and trap every later call.
    let deep_object = Object::new();
    let mut at = deep_object.clone();
    for _ in 0..10_000 {
        let inner = Object::new();
        Reflect::set(&at, &"x".into(), &inner).unwrap();
        at = inner;
    }
    let rrule = js_sys::Array::of4(
        &"rrule".into(),
        &Object::new(),
        &"recur".into(),
        &deep_object,
    );
    let with_object = js_sys::Array::of3(
        &"vcalendar".into(),
        &js_sys::Array::of1(&rrule),
        &js_sys::Array::new(),
    );
    let cyclic = js_sys::Array::of3(
        &"vcalendar".into(),
        &js_sys::Array::new(),
        &js_sys::Array::new(),
    );
    cyclic
        .get(2)
        .unchecked_into::<js_sys::Array>()
        .push(&cyclic);
    for (name, data) in [
        ("object", JsValue::from(with_object)),
        ("array", deep_array(10_000)),
        ("cycle", JsValue::from(cyclic)),
    ] {
        for _ in 0..3 {
            let e = round_trip(obj(&[("data", data.clone())])).unwrap_err();
            assert_eq!(class_name(&e), "RangeError", "{name}");
            assert_eq!(get(&e, "code").as_string().unwrap(), "TOO_LARGE", "{name}");
            still_works();
        }
    }
    // The bound follows maxDepth: 2 × 32 + 8 = 72 arrays in all, of which the calendar, its
    // property list, the property and the value itself are four. Within it, an array is no
    // TEXT value: the shape error; past it, the depth.
    let within = round_trip(obj(&[("data", deep_array(68))])).unwrap_err();
    assert_eq!(code(&within), "PARSE");
    let past = round_trip(obj(&[("data", deep_array(69))])).unwrap_err();
    assert_eq!(code(&past), "TOO_LARGE");
}

#[wasm_bindgen_test]
fn max_depth_over_the_ceiling_is_refused_before_any_nesting_is_read() {
    let limits = obj(&[("maxDepth", JsValue::from_f64(257.0))]);
    for data in [JsValue::from_str(CLIENT), deep_array(100_000)] {
        let e = round_trip(obj(&[("data", data), ("limits", limits.clone())])).unwrap_err();
        assert_eq!(get(&e, "code").as_string().unwrap(), "INVALID_OPTION");
        assert!(get(&e, "message").as_string().unwrap().contains("maxDepth"));
    }
    still_works();
}
