//! `attendeeReply` in a JS engine: the seed (RFC 6638 B.3) through the export, `now` from the JS
//! clock, data forms, and coded errors that leave the module working.

use crate::{class_name, get};
use caldav_sched::wasm::reply::attendee_reply;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const S1: &str = include_str!("../fixtures/itip/s1-wilfredo.ics");

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn alarm() -> JsValue {
    let a = Array::new();
    a.push(&options(&[
        ("trigger", "-PT15M".into()),
        ("description", "Lunch soon".into()),
    ]));
    a.into()
}

#[wasm_bindgen_test]
fn seed_accept_with_alarm_changes_only_my_line_stamp_and_alarm() {
    let out = attendee_reply(options(&[
        ("data", S1.into()),
        ("me", "mailto:wilfredo@example.com".into()),
        ("partstat", "ACCEPTED".into()),
        ("alarms", alarm()),
        ("now", "20090602T185754Z".into()),
    ]))
    .unwrap();
    let data = get(&out, "data").as_string().unwrap();
    assert_eq!(get(&out, "changed").as_bool(), Some(true));
    assert!(get(&out, "itip").is_null());
    assert_eq!(get(&out, "scheduleAgent").as_string().unwrap(), "SERVER");
    assert!(Array::is_array(&get(&out, "warnings")));
    let unfolded = data.replace("\r\n ", "");
    assert!(unfolded
        .contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"));
    assert!(unfolded.contains("TRIGGER:-PT15M"));
    assert!(unfolded.contains("DTSTAMP:20090602T185754Z"));
    // Untouched lines keep their bytes (their own folds).
    assert!(data.contains(
        "ATTENDEE;CN=\"Bernard Desruisseaux\";CUTYPE=INDIVIDUAL;PARTSTAT=\r\n NEEDS-ACTION;"
    ));
    assert!(data.contains("SEQUENCE:0\r\n"));
}

#[wasm_bindgen_test]
fn now_defaults_to_the_js_clock() {
    let out = attendee_reply(options(&[
        ("data", S1.into()),
        ("me", "mailto:wilfredo@example.com".into()),
        ("partstat", "DECLINED".into()),
    ]))
    .unwrap();
    let year = js_sys::Date::new_0().get_utc_full_year();
    let data = get(&out, "data").as_string().unwrap();
    assert!(data.contains(&format!("DTSTAMP:{year}")), "{data}");
}

#[wasm_bindgen_test]
fn jcal_in_gives_jcal_out_unless_format_says_ical() {
    let jcal = caldav_sched::wasm::to_jcal(options(&[("data", S1.into())])).unwrap();
    let base = [
        ("data", jcal),
        ("me", JsValue::from("mailto:wilfredo@example.com")),
        ("partstat", JsValue::from("TENTATIVE")),
        ("now", JsValue::from("2009-06-02T18:57:54Z")),
    ];
    let out = attendee_reply(options(&base)).unwrap();
    let data = get(&out, "data");
    assert!(Array::is_array(&data));
    assert_eq!(
        data.unchecked_ref::<Array>().get(0).as_string().unwrap(),
        "vcalendar"
    );
    let mut with_format = base.to_vec();
    with_format.push(("format", "ical".into()));
    let out = attendee_reply(options(&with_format)).unwrap();
    assert!(get(&out, "data")
        .as_string()
        .unwrap()
        .contains("PARTSTAT=TENTATIVE"));
}

#[wasm_bindgen_test]
fn errors_are_coded_and_the_module_keeps_working() {
    let cases = [
        (
            options(&[
                ("data", S1.into()),
                ("me", "mailto:nobody@example.com".into()),
                ("partstat", "ACCEPTED".into()),
            ]),
            "NOT_AN_ATTENDEE",
            "Error",
        ),
        (
            options(&[
                ("data", S1.into()),
                ("me", "mailto:cyrus@example.com".into()),
                ("partstat", "ACCEPTED".into()),
            ]),
            "IS_ORGANIZER",
            "Error",
        ),
        (
            options(&[
                ("data", S1.into()),
                ("me", "mailto:wilfredo@example.com".into()),
                ("partstat", "MAYBE".into()),
            ]),
            "INVALID_OPTION",
            "TypeError",
        ),
        (
            options(&[
                ("data", "BEGIN:VCALENDAR\r\n".into()),
                ("me", "mailto:w@x".into()),
                ("partstat", "ACCEPTED".into()),
            ]),
            "PARSE",
            "SyntaxError",
        ),
        (
            options(&[
                ("data", S1.into()),
                ("me", "mailto:wilfredo@example.com\r\nX".into()),
                ("partstat", "ACCEPTED".into()),
            ]),
            "UNSAFE_VALUE",
            "RangeError",
        ),
        (
            options(&[
                ("data", S1.into()),
                ("me", "mailto:wilfredo@example.com".into()),
                ("partstat", "ACCEPTED".into()),
                ("recurrenceId", "20090603T160000Z".into()),
            ]),
            "NO_SUCH_INSTANCE",
            "Error",
        ),
    ];
    for (opts, code, class) in cases {
        let err = attendee_reply(opts).unwrap_err();
        assert_eq!(get(&err, "code").as_string().unwrap(), code);
        assert_eq!(class_name(&err), class, "{code}");
    }
    let ok = attendee_reply(options(&[
        ("data", S1.into()),
        ("me", "MAILTO:Wilfredo@Example.com".into()),
        ("partstat", "ACCEPTED".into()),
    ]));
    assert!(ok.is_ok());
}
