//! `toJcal` / `toIcal` in a JS engine: jCal is a plain JS array (objects, not Maps), the round
//! trip keeps the content, and malformed jCal throws a coded `SyntaxError`.

use crate::{class_name, get};
use caldav_sched::wasm::{to_ical, to_jcal};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTART;TZID=Europe/Berlin:20270112T150000\r\nRRULE:FREQ=WEEKLY;COUNT=3;BYDAY=TU\r\nSUMMARY:a\\, b\r\nATTENDEE;PARTSTAT=ACCEPTED;DELEGATED-TO=\"mailto:a@x\",\"mailto:b@x\":mailto:w@x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn data(value: JsValue) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"data".into(), &value).unwrap();
    o.into()
}

#[wasm_bindgen_test]
fn to_jcal_is_plain_json_data() {
    let jcal = to_jcal(data(ICS.into())).unwrap();
    let text = JSON::stringify(&jcal).unwrap().as_string().unwrap();
    assert!(
        text.starts_with("[\"vcalendar\",[[\"version\",{},\"text\",\"2.0\"]"),
        "{text}"
    );
    assert!(
        text.contains(
            "[\"dtstart\",{\"tzid\":\"Europe/Berlin\"},\"date-time\",\"2027-01-12T15:00:00\"]"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "[\"rrule\",{},\"recur\",{\"freq\":\"WEEKLY\",\"count\":3,\"byday\":\"TU\"}]"
        ),
        "{text}"
    );
    assert!(
        text.contains("\"delegated-to\":[\"mailto:a@x\",\"mailto:b@x\"]"),
        "{text}"
    );
    assert!(
        text.contains("[\"summary\",{},\"text\",\"a, b\"]"),
        "{text}"
    );
}

#[wasm_bindgen_test]
fn to_ical_of_to_jcal_keeps_the_content() {
    let jcal = to_jcal(data(ICS.into())).unwrap();
    let back = to_ical(data(jcal.clone())).unwrap();
    let again = to_jcal(data(back.clone().into())).unwrap();
    assert_eq!(
        JSON::stringify(&jcal).unwrap().as_string(),
        JSON::stringify(&again).unwrap().as_string()
    );
    assert!(back.contains("SUMMARY:a\\, b\r\n"));
}

#[wasm_bindgen_test]
fn malformed_jcal_throws_a_syntax_error_naming_the_path() {
    let bad = JSON::parse(r#"["vcalendar", [["version", {}, 5, "2.0"]], []]"#).unwrap();
    let err = to_ical(data(bad)).unwrap_err();
    assert_eq!(class_name(&err), "SyntaxError");
    assert_eq!(get(&err, "code").as_string().unwrap(), "PARSE");
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .contains("properties[0]"));
    let err = to_ical(data("BEGIN:VCALENDAR".into())).unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "INVALID_OPTION");
    assert!(Array::is_array(
        &to_jcal(data(ICS.into()))
            .unwrap()
            .dyn_into::<Array>()
            .unwrap()
            .into()
    ));
}
