//! `merge` in a JS engine: the seed conflict story (the organizer moved the meeting after
//! Wilfredo accepted and added an alarm) through the export, in each `onReschedule` mode, with
//! the report shapes a UI reads, data forms, and coded errors.

use crate::{class_name, get};
use caldav_sched::wasm::merge::merge;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const BASE: &str = include_str!("../fixtures/merge/seed-base.ics");
const LOCAL: &str = include_str!("../fixtures/merge/seed-local.ics");
const SERVER: &str = include_str!("../fixtures/merge/seed-server-moved.ics");
const ME: &str = "mailto:wilfredo@example.com";

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn seed(mode: &str) -> JsValue {
    merge(options(&[
        ("local", LOCAL.into()),
        ("server", SERVER.into()),
        ("base", BASE.into()),
        ("me", ME.into()),
        ("onReschedule", mode.into()),
    ]))
    .unwrap()
}

fn whats(result: &JsValue, list: &str) -> Vec<String> {
    get(result, list)
        .unchecked_into::<Array>()
        .iter()
        .map(|c| get(&c, "what").as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn seed_conflict_asks_and_keeps_the_alarm() {
    let r = seed("ask");
    assert_eq!(get(&r, "role").as_string().unwrap(), "attendee");
    assert_eq!(get(&r, "rescheduled").as_bool(), Some(true));
    assert_eq!(get(&r, "needsConfirmation").as_bool(), Some(true));
    assert_eq!(get(&r, "unchanged").as_bool(), Some(false));
    let data = get(&r, "data").as_string().unwrap();
    assert!(data.contains("TRIGGER:-PT15M"));
    assert!(
        data.contains("DTSTART:20090602T170000Z"),
        "the organizer's new time is kept"
    );
    assert!(data.replace("\r\n ", "").contains(
        "PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"
    ));
    assert!(whats(&r, "kept").iter().any(|w| w.contains("alarm")));
    assert!(whats(&r, "conflicts").iter().any(|w| w.contains("moved")));
    // Each change names its component and, when it has one, its property.
    let first = get(&r, "conflicts").unchecked_into::<Array>().get(0);
    assert_eq!(get(&first, "component").as_string().unwrap(), "VEVENT");
    assert_eq!(get(&first, "property").as_string().unwrap(), "PARTSTAT");
}

#[wasm_bindgen_test]
fn keep_reapplies_the_answer_and_reset_leaves_needs_action() {
    let keep = seed("keep");
    assert_eq!(get(&keep, "needsConfirmation").as_bool(), Some(false));
    assert!(get(&keep, "data")
        .as_string()
        .unwrap()
        .replace("\r\n ", "")
        .contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT"));
    let reset = seed("reset");
    assert_eq!(get(&reset, "needsConfirmation").as_bool(), Some(false));
    assert!(whats(&reset, "dropped")
        .iter()
        .any(|w| w.contains("NEEDS-ACTION")));
}

#[wasm_bindgen_test]
fn merging_the_server_copy_onto_itself_is_unchanged_and_byte_identical() {
    let r = merge(options(&[
        ("local", SERVER.into()),
        ("server", SERVER.into()),
        ("me", ME.into()),
    ]))
    .unwrap();
    assert_eq!(get(&r, "unchanged").as_bool(), Some(true));
    assert_eq!(get(&r, "data").as_string().unwrap(), SERVER);
}

#[wasm_bindgen_test]
fn jcal_local_gives_jcal_out() {
    let jcal = caldav_sched::wasm::to_jcal(options(&[("data", LOCAL.into())])).unwrap();
    let r = merge(options(&[
        ("local", jcal),
        ("server", SERVER.into()),
        ("me", ME.into()),
        ("onReschedule", "keep".into()),
    ]))
    .unwrap();
    assert!(Array::is_array(&get(&r, "data")));
}

#[wasm_bindgen_test]
fn errors_are_coded() {
    let other = SERVER.replace("UID:", "UID:other-");
    let cases = [
        (
            options(&[
                ("local", LOCAL.into()),
                ("server", other.as_str().into()),
                ("me", ME.into()),
            ]),
            "UID_MISMATCH",
            "Error",
        ),
        (
            options(&[
                ("local", LOCAL.into()),
                ("server", "BEGIN:VCALENDAR\r\n".into()),
                ("me", ME.into()),
            ]),
            "PARSE",
            "SyntaxError",
        ),
        (
            options(&[
                ("local", LOCAL.into()),
                ("server", SERVER.into()),
                ("me", ME.into()),
                ("onReschedule", "later".into()),
            ]),
            "INVALID_OPTION",
            "TypeError",
        ),
        (
            options(&[("local", LOCAL.into()), ("me", ME.into())]),
            "INVALID_OPTION",
            "TypeError",
        ),
    ];
    for (opts, code, class) in cases {
        let err = merge(opts).unwrap_err();
        assert_eq!(get(&err, "code").as_string().unwrap(), code);
        assert_eq!(class_name(&err), class, "{code}");
    }
    assert!(merge(options(&[
        ("local", LOCAL.into()),
        ("server", SERVER.into()),
        ("me", ME.into())
    ]))
    .is_ok());
}
