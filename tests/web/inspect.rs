//! `inspect` in a JS engine: the result is plain JS data with the API.md field names (absent
//! optionals left out, `type` not `kind`), jCal input works like text, SCHEDULE-STATUS codes
//! come with their meaning, and errors are coded.

use crate::{class_name, get};
use caldav_sched::wasm::{inspect, to_jcal};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const S1: &str = include_str!("../fixtures/itip/s1-wilfredo.ics");

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn at(array: &JsValue, i: u32) -> JsValue {
    Array::from(array).get(i)
}

fn has(target: &JsValue, key: &str) -> bool {
    Reflect::has(target, &JsValue::from_str(key)).unwrap()
}

/// The seed as the attendee's copy after the server delivered the invitation and the reply.
fn delivered() -> String {
    S1.replace(
        "ORGANIZER;CN=\"Cyrus Daboo\":",
        "ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-STATUS=1.2:",
    )
    .replace(
        "RSVP=TRUE:mailto:mike",
        "RSVP=TRUE;SCHEDULE-STATUS=\"3.7,5.1\":mailto:mike",
    )
}

#[wasm_bindgen_test]
fn summary_of_the_seed_as_wilfredo() {
    let r: JsValue = inspect(options(&[
        ("data", delivered().into()),
        ("me", "mailto:wilfredo@example.com".into()),
    ]))
    .unwrap()
    .into();
    assert_eq!(class_name(&r), "Object");
    assert_eq!(get(&r, "uid").as_string().unwrap(), "9263504FD3AD");
    assert_eq!(get(&r, "role").as_string().unwrap(), "attendee");
    assert_eq!(
        get(&r, "organizer").as_string().unwrap(),
        "mailto:cyrus@example.com"
    );
    assert_eq!(get(&r, "scheduleAgent").as_string().unwrap(), "SERVER");
    assert_eq!(Array::from(&get(&r, "warnings")).length(), 0);

    let components = get(&r, "components");
    assert_eq!(Array::from(&components).length(), 1);
    let c = at(&components, 0);
    assert_eq!(get(&c, "type").as_string().unwrap(), "VEVENT");
    assert!(!has(&c, "kind") && !has(&c, "recurrenceId") && !has(&c, "status"));
    assert_eq!(get(&c, "start").as_string().unwrap(), "20090602T160000Z");
    assert_eq!(get(&c, "sequence").as_f64(), Some(0.0));
    assert_eq!(get(&c, "summary").as_string().unwrap(), "Lunch");
    assert_eq!(get(&c, "myPartstat").as_string().unwrap(), "NEEDS-ACTION");
    let org_status = get(&c, "organizerScheduleStatusDetails");
    assert_eq!(
        get(&at(&org_status, 0), "meaning").as_string().unwrap(),
        "delivered"
    );
    assert_eq!(
        get(&at(&org_status, 0), "class").as_string().unwrap(),
        "preliminary"
    );

    let attendees = get(&c, "attendees");
    assert_eq!(Array::from(&attendees).length(), 4);
    let wilfredo = at(&attendees, 1);
    assert_eq!(get(&wilfredo, "isMe").as_bool(), Some(true));
    assert_eq!(
        get(&wilfredo, "cn").as_string().unwrap(),
        "Wilfredo Sanchez Vega"
    );
    assert_eq!(
        get(&wilfredo, "role").as_string().unwrap(),
        "REQ-PARTICIPANT"
    );
    assert!(!has(&wilfredo, "scheduleStatus") && !has(&wilfredo, "delegatedTo"));
    let mike = at(&attendees, 3);
    let codes = get(&mike, "scheduleStatus");
    assert_eq!(at(&codes, 0).as_string().unwrap(), "3.7");
    assert_eq!(at(&codes, 1).as_string().unwrap(), "5.1");
    let details = get(&mike, "scheduleStatusDetails");
    assert_eq!(get(&at(&details, 0), "failed").as_bool(), Some(true));
    assert_eq!(
        get(&at(&details, 0), "class").as_string().unwrap(),
        "client-error"
    );
    assert!(get(&at(&details, 1), "meaning")
        .as_string()
        .unwrap()
        .contains("temporary"));
    assert_eq!(Array::from(&get(&c, "alarms")).length(), 0);
}

#[wasm_bindgen_test]
fn jcal_and_bytes_give_the_same_summary_as_text() {
    let me = JsValue::from("mailto:cyrus@example.com");
    let text: JsValue = inspect(options(&[("data", S1.into()), ("me", me.clone())]))
        .unwrap()
        .into();
    let jcal = to_jcal(options(&[("data", S1.into())])).unwrap();
    let from_jcal: JsValue = inspect(options(&[("data", jcal), ("me", me.clone())]))
        .unwrap()
        .into();
    let bytes = js_sys::Uint8Array::from(S1.as_bytes());
    let from_bytes: JsValue = inspect(options(&[("data", bytes.into()), ("me", me)]))
        .unwrap()
        .into();
    let json = |v: &JsValue| js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
    assert_eq!(json(&from_jcal), json(&text));
    assert_eq!(json(&from_bytes), json(&text));
    assert_eq!(get(&text, "role").as_string().unwrap(), "organizer");
}

#[wasm_bindgen_test]
fn me_is_optional_and_may_be_a_list() {
    let r: JsValue = inspect(options(&[("data", S1.into())])).unwrap().into();
    assert_eq!(get(&r, "role").as_string().unwrap(), "none");
    assert!(!has(&at(&get(&r, "components"), 0), "myPartstat"));
    let list = Array::of2(
        &"/principals/bernard/".into(),
        &"MAILTO:bernard@EXAMPLE.net".into(),
    );
    let r: JsValue = inspect(options(&[("data", S1.into()), ("me", list.into())]))
        .unwrap()
        .into();
    assert_eq!(get(&r, "role").as_string().unwrap(), "attendee");
}

#[wasm_bindgen_test]
fn errors_are_coded_and_the_module_keeps_working() {
    let thrown = inspect(options(&[("data", "BEGIN:VCALENDAR\r\n".into())])).unwrap_err();
    assert_eq!(class_name(&thrown), "SyntaxError");
    assert_eq!(get(&thrown, "code").as_string().unwrap(), "PARSE");
    let thrown = inspect(options(&[("data", S1.into()), ("me", Array::new().into())])).unwrap_err();
    assert_eq!(class_name(&thrown), "TypeError");
    assert_eq!(get(&thrown, "code").as_string().unwrap(), "INVALID_OPTION");
    let thrown = inspect(options(&[
        ("data", S1.into()),
        ("me", JsValue::from_f64(3.0)),
    ]))
    .unwrap_err();
    assert_eq!(get(&thrown, "code").as_string().unwrap(), "INVALID_OPTION");
    let thrown = inspect(JsValue::from_str(S1)).unwrap_err();
    assert_eq!(get(&thrown, "code").as_string().unwrap(), "INVALID_OPTION");
    assert!(inspect(options(&[("data", S1.into())])).is_ok());
}
