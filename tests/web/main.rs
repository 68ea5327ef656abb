//! The JS boundary inside a real JS engine (wasm-bindgen-test). The same binary runs twice in
//! `make test`: in headless Chromium (`WASM_BINDGEN_USE_BROWSER=1`, chromedriver, webdriver.json)
//! and in Node (the runner's default), so the exports behave the same in both.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod hostile;
mod inspect;
mod interop;
mod merge;
mod precondition;
mod reply;

use caldav_sched::ical::Limits;
use caldav_sched::wasm::{convert, errors, round_trip, version};
use caldav_sched::{Error, ErrorCode, Warning};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const ALL_CODES: [ErrorCode; 10] = [
    ErrorCode::Parse,
    ErrorCode::TooLarge,
    ErrorCode::NotSchedulingObject,
    ErrorCode::NotAnAttendee,
    ErrorCode::IsOrganizer,
    ErrorCode::NoSuchInstance,
    ErrorCode::UidMismatch,
    ErrorCode::InvalidOption,
    ErrorCode::BadEntityTag,
    ErrorCode::UnsafeValue,
];

pub(crate) fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap()
}

/// The constructor name of a thrown value, as `e.constructor.name` in JS.
pub(crate) fn class_name(value: &JsValue) -> String {
    get(&get(value, "constructor"), "name").as_string().unwrap()
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    assert_eq!(version(), caldav_sched::version());
}

#[wasm_bindgen_test]
fn every_code_becomes_a_real_error_of_its_class() {
    for code in ALL_CODES {
        let thrown = errors::to_js_error(&Error::new(code, "something is wrong"));
        assert!(
            thrown.is_instance_of::<js_sys::Error>(),
            "{code:?} is not an Error"
        );
        let expected = match code {
            ErrorCode::Parse => "SyntaxError",
            ErrorCode::InvalidOption => "TypeError",
            ErrorCode::TooLarge | ErrorCode::BadEntityTag | ErrorCode::UnsafeValue => "RangeError",
            _ => "Error",
        };
        assert_eq!(class_name(&thrown), expected, "{code:?}");
        assert_eq!(get(&thrown, "name").as_string().unwrap(), expected);
        assert_eq!(get(&thrown, "code").as_string().unwrap(), code.as_str());
        assert_eq!(
            get(&thrown, "message").as_string().unwrap(),
            "something is wrong"
        );
        // No line was given: the property is absent, not `undefined`-valued.
        assert!(!Reflect::has(&thrown, &"line".into()).unwrap());
        // A real Error has a stack, unlike a thrown string.
        assert!(get(&thrown, "stack").is_string());
    }
}

#[wasm_bindgen_test]
fn an_error_at_a_line_carries_the_line() {
    let thrown = errors::to_js_error(&Error::at(ErrorCode::Parse, 7, "missing END:VEVENT"));
    assert!(thrown.is_instance_of::<js_sys::SyntaxError>());
    assert_eq!(get(&thrown, "line").as_f64(), Some(7.0));
    assert_eq!(get(&thrown, "code").as_string().unwrap(), "PARSE");
    assert_eq!(
        get(&thrown, "message").as_string().unwrap(),
        "line 7: missing END:VEVENT"
    );
}

#[wasm_bindgen_test]
fn data_is_taken_from_a_string_or_bytes() {
    let limits = Limits::default();
    let text = convert::data_in(
        &JsValue::from_str("BEGIN:VCALENDAR\r\nX:é\r\n"),
        "data",
        &limits,
    )
    .unwrap();
    assert_eq!(text.form, convert::Form::Text);
    assert_eq!(text.bytes(), "BEGIN:VCALENDAR\r\nX:é\r\n".as_bytes());

    let raw: &[u8] = b"BEGIN:VCALENDAR\n\xff";
    let bytes = convert::data_in(&Uint8Array::from(raw).into(), "data", &limits).unwrap();
    assert_eq!(bytes.form, convert::Form::Bytes);
    assert_eq!(bytes.bytes(), raw);
}

/// Strings of 2 Mi UTF-16 units and more are encoded by JS into wasm memory a piece at a time
/// (a buffer sized from the length, grown at the rate seen): every kind of text arrives whole
/// and exact, whatever its bytes per unit, as the usual passing gives it.
#[wasm_bindgen_test]
fn large_strings_arrive_whole_whatever_their_bytes_per_unit() {
    let limits = Limits::default();
    // `count` lines of `unit` repeated to about 40,000 bytes.
    let lines = |unit: &str, count: usize| {
        format!("X-BIG:{}\r\n", unit.repeat(40_000 / unit.len())).repeat(count)
    };
    let calendar = |body: String| format!("BEGIN:VCALENDAR\r\n{body}END:VCALENDAR\r\n");
    // ASCII, 3 bytes per unit (CJK), 4 per 2 units (astral), and ASCII then a late 2-byte run.
    for text in [
        calendar(lines("ab", 60)),
        calendar(lines("日本語", 180)),
        calendar(lines("a😀", 240)),
        calendar(lines("x", 56) + &lines("é", 20)),
    ] {
        assert!(text.encode_utf16().count() >= 2 * 1024 * 1024);
        let data = convert::data_in(&JsValue::from_str(&text), "data", &limits).unwrap();
        assert_eq!(data.form, convert::Form::Text);
        assert!(data.bytes() == text.as_bytes(), "{} bytes", text.len());
    }
    assert_a_lone_surrogate_becomes_u_fffd(2_200_000, 0xD800);
}

/// `X:` and `ascii` letters, an unpaired surrogate, `z` and CRLF arrive with U+FFFD in place of
/// the surrogate, as wasm-bindgen's own passing makes it.
fn assert_a_lone_surrogate_becomes_u_fffd(ascii: usize, surrogate: u32) {
    let js = js_sys::JsString::from(format!("X:{}", "a".repeat(ascii)))
        .concat(&js_sys::JsString::from_char_code1(surrogate))
        .concat(&JsValue::from_str("z\r\n"));
    let data = convert::data_in(&js.into(), "data", &Limits::default()).unwrap();
    assert!(data.bytes().ends_with("a\u{FFFD}z\r\n".as_bytes()));
    assert_eq!(data.bytes().len(), 2 + ascii + 3 + 3);
}

#[wasm_bindgen_test]
fn strings_of_a_few_hundred_to_16_ki_units_arrive_whole_through_encode_into() {
    let limits = Limits::default();
    // Around the lengths where `encodeInto` takes over (512 units) and hands back (16 Ki), and
    // an invitation's size: ASCII only, ASCII then 2-byte text (the bench invitation's shape),
    // CJK, astral pairs.
    for units in [500, 511, 512, 513, 1600, 16_383, 16_384, 20_000] {
        for tail in ["a", "é", "日本", "😀"] {
            // ASCII for the first half, then `tail` repeated: `units` UTF-16 units or just over.
            let mut text = format!("BEGIN:VCALENDAR\r\nX:{}", "a".repeat(units / 2));
            let mut length = text.len();
            while length < units {
                text.push_str(tail);
                length += tail.encode_utf16().count();
            }
            let data = convert::data_in(&JsValue::from_str(&text), "data", &limits).unwrap();
            assert_eq!(data.form, convert::Form::Text);
            assert!(data.bytes() == text.as_bytes(), "{units} units, {tail:?}");
            // From 512 to 16 Ki units the bytes come from `encodeInto` (not a Rust string).
            let encoded = matches!(data.input, caldav_sched::ical::Input::Bytes(_));
            assert_eq!(encoded, (512..16_384).contains(&length), "{length} units");
        }
    }
    assert_a_lone_surrogate_becomes_u_fffd(600, 0xDC00);
}

#[wasm_bindgen_test]
fn data_of_another_type_is_a_type_error() {
    for value in [
        JsValue::from_f64(1.0),
        JsValue::NULL,
        JsValue::UNDEFINED,
        Object::new().into(),
    ] {
        let Err(thrown) = convert::data_in(&value, "local", &Limits::default()) else {
            panic!("accepted {value:?}");
        };
        assert!(thrown.is_instance_of::<js_sys::TypeError>());
        assert_eq!(get(&thrown, "code").as_string().unwrap(), "INVALID_OPTION");
        assert!(get(&thrown, "message")
            .as_string()
            .unwrap()
            .contains("`local`"));
    }
}

#[wasm_bindgen_test]
fn data_goes_back_in_the_form_it_came() {
    let limits = Limits::default();
    let text = convert::data_out("A:é\r\n".as_bytes(), convert::Form::Text, &limits).unwrap();
    assert_eq!(text.as_string().unwrap(), "A:é\r\n");
    let bytes = convert::data_out(b"A:\xff", convert::Form::Bytes, &limits).unwrap();
    let array = bytes.dyn_into::<Uint8Array>().unwrap();
    assert_eq!(array.to_vec(), b"A:\xff");
}

#[wasm_bindgen_test]
fn results_are_plain_objects_without_absent_optionals() {
    let js: JsValue = convert::result(&Warning::new("BAD_FOLD", "a fold", None))
        .unwrap()
        .into();
    assert_eq!(class_name(&js), "Object");
    assert_eq!(get(&js, "code").as_string().unwrap(), "BAD_FOLD");
    assert_eq!(get(&js, "message").as_string().unwrap(), "a fold");
    assert!(!Reflect::has(&js, &"line".into()).unwrap());

    let js: JsValue = convert::result(&Warning::new("BAD_FOLD", "a fold", Some(3)))
        .unwrap()
        .into();
    assert_eq!(get(&js, "line").as_f64(), Some(3.0));
}

#[wasm_bindgen_test]
fn options_round_trip_and_a_wrong_shape_is_a_type_error() {
    let object = Object::new();
    Reflect::set(&object, &"code".into(), &"X".into()).unwrap();
    Reflect::set(&object, &"message".into(), &"m".into()).unwrap();
    Reflect::set(&object, &"line".into(), &JsValue::from_f64(2.0)).unwrap();
    let warning: Warning = convert::read(&object, Vec::new()).unwrap();
    assert_eq!(warning, Warning::new("X", "m", Some(2)));

    // Undeclared keys are not read, an `undefined` one is absent, and a replaced field takes
    // its given value whether or not the object has the key.
    Reflect::set(&object, &"data".into(), &"BEGIN:VCALENDAR".into()).unwrap();
    Reflect::set(&object, &"line".into(), &JsValue::UNDEFINED).unwrap();
    let warning: Warning = convert::read(&object, Vec::new()).unwrap();
    assert_eq!(warning, Warning::new("X", "m", None));
    let warning: Warning = convert::read(
        &object,
        vec![("message", "replaced".into()), ("line", 7.into())],
    )
    .unwrap();
    assert_eq!(warning, Warning::new("X", "replaced", Some(7)));

    Reflect::delete_property(&object, &"message".into()).unwrap();
    Reflect::set(&object, &"extra".into(), &JsValue::UNDEFINED).unwrap();
    let Err(thrown) = convert::read::<Warning>(&object, Vec::new()) else {
        panic!("accepted an object without `message`");
    };
    assert!(thrown.is_instance_of::<js_sys::TypeError>());
    assert_eq!(get(&thrown, "code").as_string().unwrap(), "INVALID_OPTION");
    // The module keeps working after an error.
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:1@x\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY;LANGUAGE=en:Caf\u{e9}\\, \\;\r\n  folded\r\nX-ODD;X-P=\"a:b\":v\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn options(data: JsValue) -> Object {
    let object = Object::new();
    Reflect::set(&object, &"data".into(), &data).unwrap();
    object
}

#[wasm_bindgen_test]
fn round_trip_gives_back_text_identical() {
    let out = round_trip(options(ICS.into()).into()).unwrap();
    assert_eq!(out.as_string().unwrap(), ICS);
}

#[wasm_bindgen_test]
fn round_trip_gives_back_bytes_identical_as_bytes() {
    let input = Uint8Array::from(ICS.as_bytes());
    let out = round_trip(options(input.into()).into()).unwrap();
    assert_eq!(
        out.dyn_into::<Uint8Array>().unwrap().to_vec(),
        ICS.as_bytes()
    );
}

#[wasm_bindgen_test]
fn round_trip_of_a_truncated_object_throws_a_syntax_error_with_a_line() {
    let truncated = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1@x\r\n";
    let thrown = round_trip(options(truncated.into()).into()).unwrap_err();
    assert!(thrown.is_instance_of::<js_sys::SyntaxError>());
    assert_eq!(get(&thrown, "code").as_string().unwrap(), "PARSE");
    let line = get(&thrown, "line").as_f64().unwrap();
    assert!((1.0..=4.0).contains(&line), "line {line}");
    // The module keeps working after the throw.
    assert_eq!(
        round_trip(options(ICS.into()).into())
            .unwrap()
            .as_string()
            .unwrap(),
        ICS
    );
}

#[wasm_bindgen_test]
fn round_trip_limits_are_options_and_exceeding_one_is_a_range_error() {
    let object = options(ICS.into());
    let limits = Object::new();
    Reflect::set(&limits, &"maxBytes".into(), &JsValue::from_f64(10.0)).unwrap();
    Reflect::set(&object, &"limits".into(), &limits).unwrap();
    let thrown = round_trip(object.clone().into()).unwrap_err();
    assert!(thrown.is_instance_of::<js_sys::RangeError>());
    assert_eq!(get(&thrown, "code").as_string().unwrap(), "TOO_LARGE");

    // Partial limits keep the other defaults: a generous maxBytes parses.
    Reflect::set(&limits, &"maxBytes".into(), &JsValue::from_f64(1e6)).unwrap();
    assert!(round_trip(object.clone().into()).is_ok());

    Reflect::set(&limits, &"maxBytes".into(), &JsValue::from_f64(-1.0)).unwrap();
    let thrown = round_trip(object.into()).unwrap_err();
    assert!(thrown.is_instance_of::<js_sys::TypeError>());
    assert_eq!(get(&thrown, "code").as_string().unwrap(), "INVALID_OPTION");
    assert!(get(&thrown, "message")
        .as_string()
        .unwrap()
        .starts_with("`limits`: invalid type"));
}

#[wasm_bindgen_test]
fn round_trip_rejects_options_that_are_not_an_object() {
    for value in [JsValue::UNDEFINED, JsValue::NULL, JsValue::from_str(ICS)] {
        let thrown = round_trip(value).unwrap_err();
        assert!(thrown.is_instance_of::<js_sys::TypeError>());
        assert_eq!(get(&thrown, "code").as_string().unwrap(), "INVALID_OPTION");
    }
}
