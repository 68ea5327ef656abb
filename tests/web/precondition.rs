//! The tag-precondition exports in a JS engine: shapes of results and thrown errors, and the
//! three forms `headers` may take.

use crate::{class_name, get};
use caldav_sched::wasm::precondition::{
    classify_response, compare_entity_tags, parse_entity_tag, precondition_headers,
};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

/// Evaluates a JS expression (to build a real `Headers` object and similar).
fn js(expr: &str) -> JsValue {
    Function::new_no_args(&format!("return ({expr});"))
        .call0(&JsValue::UNDEFINED)
        .unwrap()
}

#[wasm_bindgen_test]
fn parse_entity_tag_returns_the_contract_shape() {
    let tag: JsValue = parse_entity_tag("W/\"abc\"".into()).unwrap().into();
    assert_eq!(get(&tag, "raw").as_string().unwrap(), "W/\"abc\"");
    assert_eq!(get(&tag, "opaque").as_string().unwrap(), "abc");
    assert_eq!(get(&tag, "weak").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn a_malformed_tag_throws_a_range_error_with_its_code() {
    for bad in ["abc", "&quot;abc&quot;", "\"a\r\nX: y\""] {
        let err = parse_entity_tag(bad.into()).unwrap_err();
        assert_eq!(class_name(&err), "RangeError", "{bad}");
        assert_eq!(
            get(&err, "code").as_string().unwrap(),
            "BAD_ENTITY_TAG",
            "{bad}"
        );
    }
    // The module keeps working after a throw.
    assert!(parse_entity_tag("\"ok\"".into()).is_ok());
}

#[wasm_bindgen_test]
fn a_tag_that_is_not_a_string_throws_a_type_error() {
    for bad in [JsValue::from_f64(123.0), JsValue::UNDEFINED, JsValue::NULL] {
        let err = parse_entity_tag(bad.clone()).unwrap_err();
        assert_eq!(class_name(&err), "TypeError");
        assert_eq!(get(&err, "code").as_string().unwrap(), "INVALID_OPTION");
        let err = compare_entity_tags("\"1\"".into(), bad, JsValue::UNDEFINED).unwrap_err();
        assert_eq!(get(&err, "code").as_string().unwrap(), "INVALID_OPTION");
    }
    assert!(parse_entity_tag("\"ok\"".into()).is_ok());
}

#[wasm_bindgen_test]
fn compare_is_strong_unless_asked() {
    assert!(!compare_entity_tags("\"1\"".into(), "W/\"1\"".into(), JsValue::UNDEFINED).unwrap());
    assert!(compare_entity_tags(
        "\"1\"".into(),
        "W/\"1\"".into(),
        obj(&[("weak", JsValue::TRUE)])
    )
    .unwrap());
    assert!(compare_entity_tags("\"1\"".into(), "\"1\"".into(), obj(&[])).unwrap());
}

#[wasm_bindgen_test]
fn headers_for_each_intent() {
    let h: JsValue = precondition_headers(obj(&[
        ("intent", s("update")),
        ("etag", s("\"e1\"")),
        ("scheduleTag", s("\"s1\"")),
    ]))
    .unwrap();
    assert_eq!(
        get(&h, "If-Schedule-Tag-Match").as_string().unwrap(),
        "\"s1\""
    );
    assert!(get(&h, "If-Match").is_undefined());
    assert_eq!(Object::keys(h.unchecked_ref::<Object>()).length(), 1);

    // An undefined field means "not given" in JS, as in `{ etag: res.etag }` without an ETag.
    let h = precondition_headers(obj(&[
        ("intent", s("update")),
        ("etag", JsValue::UNDEFINED),
        ("scheduleTag", s("\"s1\"")),
    ]))
    .unwrap();
    assert_eq!(
        get(&h, "If-Schedule-Tag-Match").as_string().unwrap(),
        "\"s1\""
    );

    let h = precondition_headers(obj(&[("intent", s("create"))])).unwrap();
    assert_eq!(get(&h, "If-None-Match").as_string().unwrap(), "*");

    // A tsdav DAVCalendarObject spread into the options works: url and data are ignored.
    let h = precondition_headers(obj(&[
        ("intent", s("delete")),
        ("url", s("/c/e.ics")),
        ("etag", s("\"e\"")),
        ("data", s("BEGIN:VCALENDAR")),
    ]))
    .unwrap();
    assert_eq!(get(&h, "If-Match").as_string().unwrap(), "\"e\"");
}

#[wasm_bindgen_test]
fn header_misuse_throws_coded_errors() {
    let cases = [
        (
            obj(&[("intent", s("update"))]),
            "INVALID_OPTION",
            "TypeError",
        ),
        (
            obj(&[("intent", s("update")), ("etag", s("W/\"weak\""))]),
            "BAD_ENTITY_TAG",
            "RangeError",
        ),
        (
            obj(&[
                ("intent", s("update")),
                ("scheduleTag", s("\"a\"\r\nX-Evil: 1")),
            ]),
            "UNSAFE_VALUE",
            "RangeError",
        ),
        (
            obj(&[("intent", s("rename"))]),
            "INVALID_OPTION",
            "TypeError",
        ),
    ];
    for (options, code, class) in cases {
        let err = precondition_headers(options).unwrap_err();
        assert_eq!(get(&err, "code").as_string().unwrap(), code);
        assert_eq!(class_name(&err), class);
    }
}

fn classify(options: JsValue) -> JsValue {
    classify_response(options).unwrap().into()
}

#[wasm_bindgen_test]
fn classify_accepts_headers_object_pairs_and_fetch_headers() {
    let forms = [
        obj(&[("ETag", s("\"e2\"")), ("schedule-tag", s("\"s2\""))]),
        js(r#"[["ETag", '"e2"'], ["Schedule-Tag", '"s2"']]"#),
        js(r#"new Headers({ "etag": '"e2"', "Schedule-Tag": '"s2"' })"#),
    ];
    for headers in forms {
        let v = classify(obj(&[
            ("method", s("PUT")),
            ("status", JsValue::from(204)),
            ("headers", headers),
        ]));
        assert_eq!(get(&v, "outcome").as_string().unwrap(), "ok");
        assert_eq!(get(&v, "etag").as_string().unwrap(), "\"e2\"");
        assert_eq!(get(&v, "scheduleTag").as_string().unwrap(), "\"s2\"");
        assert_eq!(get(&v, "storedAsSent").as_bool(), Some(true));
        assert!(Array::is_array(&get(&v, "warnings")));
    }
}

#[wasm_bindgen_test]
fn classify_412_then_give_up_and_a_dav_error_condition() {
    let sent = obj(&[("If-Schedule-Tag-Match", s("\"s1\""))]);
    let first = classify(obj(&[
        ("method", s("PUT")),
        ("status", JsValue::from(412)),
        ("sent", sent.clone()),
        ("attempt", JsValue::from(1)),
    ]));
    assert_eq!(
        get(&first, "outcome").as_string().unwrap(),
        "merge-and-retry"
    );
    let last = classify(obj(&[
        ("method", s("PUT")),
        ("status", JsValue::from(412)),
        ("sent", sent),
        ("attempt", JsValue::from(3)),
    ]));
    assert_eq!(get(&last, "outcome").as_string().unwrap(), "give-up");
    let body = r#"<?xml version="1.0"?><d:error xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><c:allowed-attendee-scheduling-object-change/></d:error>"#;
    let v = classify(obj(&[
        ("method", s("PUT")),
        ("status", JsValue::from(403)),
        ("body", s(body)),
    ]));
    assert_eq!(get(&v, "outcome").as_string().unwrap(), "forbidden");
    assert_eq!(
        get(&v, "condition").as_string().unwrap(),
        "allowed-attendee-scheduling-object-change"
    );
}

#[wasm_bindgen_test]
fn classify_misuse_is_a_type_error() {
    for bad in [
        s("not an object"),
        obj(&[("method", s("PATCH")), ("status", JsValue::from(200))]),
        obj(&[
            ("method", s("GET")),
            ("status", JsValue::from(200)),
            ("headers", JsValue::from(5)),
        ]),
    ] {
        let err = classify_response(bad).unwrap_err();
        assert_eq!(class_name(&err), "TypeError");
        assert_eq!(get(&err, "code").as_string().unwrap(), "INVALID_OPTION");
    }
}
