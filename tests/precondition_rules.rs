//! Every rule of the precondition module beyond the VECTORS scenarios: header building, the
//! status table of classify_response, Retry-After, DAV:error bodies, and the serde names.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use caldav_sched::precondition::{
    classify_response, precondition_headers, Intent, Method, Outcome, PreconditionOptions,
    ResponseInput, TagChange, Verdict,
};
use caldav_sched::ErrorCode;
use serde::de::IntoDeserializer;
use serde::Deserialize;

fn opts(
    intent: Intent,
    etag: Option<&str>,
    tag: Option<&str>,
    reply: Option<bool>,
) -> PreconditionOptions {
    PreconditionOptions {
        schedule_reply: reply,
        ..options(intent, etag, tag)
    }
}

mod support;
use support::{answer, header_map as map, options, with_body, with_sent};

fn classify(input: &ResponseInput) -> Verdict {
    classify_response(input).unwrap()
}

fn outcome(method: Method, status: u16) -> Outcome {
    classify(&answer(method, status, &[])).outcome
}

fn codes(v: &Verdict) -> Vec<&str> {
    v.warnings.iter().map(|w| w.code.as_str()).collect()
}

fn error_code(o: &PreconditionOptions) -> ErrorCode {
    precondition_headers(o).unwrap_err().code
}

// --- precondition_headers ---

#[test]
fn update_and_delete_without_a_tag_are_refused() {
    for intent in [Intent::Update, Intent::Delete] {
        let e = precondition_headers(&opts(intent, None, None, None)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidOption);
        assert!(e.message.contains("unconditional"), "{}", e.message);
    }
}

#[test]
fn create_takes_no_tag_and_no_schedule_reply() {
    assert_eq!(
        error_code(&opts(Intent::Create, Some("\"a\""), None, None)),
        ErrorCode::InvalidOption
    );
    assert_eq!(
        error_code(&opts(Intent::Create, None, Some("\"s\""), None)),
        ErrorCode::InvalidOption
    );
    assert_eq!(
        error_code(&opts(Intent::Create, None, None, Some(false))),
        ErrorCode::InvalidOption
    );
    assert_eq!(
        error_code(&opts(Intent::Update, Some("\"a\""), None, Some(false))),
        ErrorCode::InvalidOption
    );
}

#[test]
fn silent_attendee_delete_adds_schedule_reply_f() {
    let h = precondition_headers(&opts(Intent::Delete, None, Some("\"s\""), Some(false))).unwrap();
    assert_eq!(
        h,
        map(&[("If-Schedule-Tag-Match", "\"s\""), ("Schedule-Reply", "F")])
    );
    let h = precondition_headers(&opts(Intent::Delete, Some("\"e\""), None, Some(false))).unwrap();
    assert_eq!(h, map(&[("If-Match", "\"e\""), ("Schedule-Reply", "F")]));
}

#[test]
fn schedule_reply_true_is_the_default_and_adds_nothing() {
    let h = precondition_headers(&opts(Intent::Delete, Some("\"e\""), None, Some(true))).unwrap();
    assert_eq!(h, map(&[("If-Match", "\"e\"")]));
}

#[test]
fn delete_with_an_etag_sends_if_match() {
    let h = precondition_headers(&opts(Intent::Delete, Some("\"e\""), None, None)).unwrap();
    assert_eq!(h, map(&[("If-Match", "\"e\"")]));
}

#[test]
fn control_characters_are_unsafe_before_anything_else() {
    let injected = "\"a\"\r\nX-Evil: 1";
    for o in [
        opts(Intent::Update, Some(injected), None, None),
        opts(Intent::Update, None, Some(injected), None),
        // Unused etag next to a schedule tag, and a create that would be INVALID_OPTION anyway.
        opts(Intent::Update, Some(injected), Some("\"s\""), None),
        opts(Intent::Create, Some(injected), None, None),
        opts(Intent::Update, Some("\"a\nb\""), None, None),
        opts(Intent::Update, Some("\"a\rb\""), None, None),
        opts(Intent::Update, Some("\"a\u{0}b\""), None, None),
        opts(Intent::Update, Some("\"a\tb\""), None, None),
        opts(Intent::Update, None, Some("\"a\u{7F}\""), None),
    ] {
        let e = precondition_headers(&o).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsafeValue, "{o:?}");
        assert!(!e.message.contains('\n') && !e.message.contains('\r'));
    }
}

#[test]
fn htab_inside_a_schedule_tag_is_echoed_as_received() {
    // RFC 6638 §8.2 opaque-tag is an RFC 2616 quoted-string: qdtext allows HTAB. The tag
    // classifyResponse keeps must be one preconditionHeaders can send back byte for byte.
    let received = "\"a\tb\"";
    let v = classify(&answer(
        Method::Get,
        200,
        &[("ETag", "\"e\""), ("Schedule-Tag", received)],
    ));
    assert_eq!(v.schedule_tag.as_deref(), Some(received));
    let h = precondition_headers(&opts(
        Intent::Update,
        v.etag.as_deref(),
        v.schedule_tag.as_deref(),
        None,
    ))
    .unwrap();
    assert_eq!(h, map(&[("If-Schedule-Tag-Match", received)]));
    // Outside the quotes, or in an ETag (etagc has no HTAB), HTAB stays unsafe.
    for o in [
        opts(Intent::Update, None, Some("\"a\"\t"), None),
        opts(Intent::Update, None, Some("\t\"a\""), None),
        opts(Intent::Update, None, Some("\"a\t"), None),
        opts(Intent::Update, Some("\"a\tb\""), None, None),
        opts(Intent::Update, None, Some("\"a\tb\r\""), None),
    ] {
        assert_eq!(error_code(&o), ErrorCode::UnsafeValue, "{o:?}");
    }
}

#[test]
fn obs_text_high_bytes_are_not_control_characters() {
    // U+0085 is the header byte 0x85 (obs-text), not a line break in HTTP.
    let h = precondition_headers(&opts(Intent::Update, Some("\"a\u{85}\""), None, None)).unwrap();
    assert_eq!(h.get("If-Match").map(String::as_str), Some("\"a\u{85}\""));
}

#[test]
fn malformed_tags_are_bad_entity_tags_not_repaired() {
    for etag in [
        "*",
        "abc",
        "",
        "w/\"a\"",
        "&quot;a&quot;",
        "\"a\", \"b\"",
        "\"a b\"",
    ] {
        assert_eq!(
            error_code(&opts(Intent::Update, Some(etag), None, None)),
            ErrorCode::BadEntityTag,
            "{etag:?}"
        );
    }
    for tag in ["abc", "", "&quot;a&quot;", "\"a"] {
        assert_eq!(
            error_code(&opts(Intent::Update, None, Some(tag), None)),
            ErrorCode::BadEntityTag,
            "{tag:?}"
        );
    }
}

#[test]
fn surrounding_whitespace_is_not_part_of_the_value() {
    let h = precondition_headers(&opts(Intent::Update, Some("  \"a\" "), None, None)).unwrap();
    assert_eq!(h, map(&[("If-Match", "\"a\"")]));
    // HTAB is OWS in a received header, but a control character in a value we are to send.
    assert_eq!(
        error_code(&opts(Intent::Update, Some("\"a\"\t"), None, None)),
        ErrorCode::UnsafeValue
    );
}

// --- classify_response: misuse ---

#[test]
fn impossible_status_or_attempt_is_invalid_option() {
    for status in [0, 99, 600, 999] {
        let e = classify_response(&answer(Method::Get, status, &[])).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidOption);
    }
    let mut input = answer(Method::Put, 412, &[]);
    input.attempt = Some(0);
    assert_eq!(
        classify_response(&input).unwrap_err().code,
        ErrorCode::InvalidOption
    );
    input.attempt = None;
    input.max_attempts = Some(0);
    assert_eq!(
        classify_response(&input).unwrap_err().code,
        ErrorCode::InvalidOption
    );
}

// --- classify_response: 2xx / 304 ---

#[test]
fn get_without_etag_warns() {
    let v = classify(&answer(Method::Get, 200, &[("Schedule-Tag", "\"s\"")]));
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.schedule_tag.as_deref(), Some("\"s\""));
    assert_eq!(codes(&v), vec!["MISSING_ETAG"]);
    assert!(v.message.contains("If-Schedule-Tag-Match"), "{}", v.message);
}

#[test]
fn malformed_etags_from_broken_servers_are_reported_and_not_kept() {
    for etag in ["abc", "&quot;abc&quot;", "w/\"abc\"", "\"a\", \"b\""] {
        let v = classify(&answer(Method::Get, 200, &[("ETag", etag)]));
        assert_eq!(v.outcome, Outcome::Ok);
        assert_eq!(v.etag, None, "{etag}");
        assert_eq!(codes(&v), vec!["MALFORMED_ETAG"], "{etag}");
    }
    let v = classify(&answer(Method::Put, 204, &[("ETag", "abc")]));
    assert_eq!(v.outcome, Outcome::Refetch);
    assert_eq!(codes(&v), vec!["MALFORMED_ETAG"]);
}

#[test]
fn repeated_etag_lines_must_agree() {
    let v = classify(&answer(
        Method::Get,
        200,
        &[("ETag", "\"a\""), ("etag", "\"a\"")],
    ));
    assert_eq!(v.etag.as_deref(), Some("\"a\""));
    let v = classify(&answer(
        Method::Get,
        200,
        &[("ETag", "\"a\""), ("ETag", "\"b\"")],
    ));
    assert_eq!(v.etag, None);
    assert!(codes(&v).contains(&"DUPLICATE_HEADER"));
}

#[test]
fn put_without_etag_needs_a_refetch_and_keeps_the_schedule_tag() {
    let v = classify(&answer(Method::Put, 204, &[("Schedule-Tag", "\"new\"")]));
    assert_eq!(v.outcome, Outcome::Refetch);
    assert_eq!(v.stored_as_sent, Some(false));
    assert_eq!(v.schedule_tag.as_deref(), Some("\"new\""));
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
}

#[test]
fn put_with_an_unusual_2xx_needs_a_refetch() {
    let v = classify(&answer(Method::Put, 202, &[("ETag", "\"x\"")]));
    assert_eq!(v.outcome, Outcome::Refetch);
    assert_eq!(v.etag, None);
    assert_eq!(codes(&v), vec!["UNEXPECTED_STATUS"]);
}

#[test]
fn delete_success_keeps_no_validators() {
    for status in [200, 202, 204] {
        let v = classify(&answer(Method::Delete, status, &[("ETag", "\"x\"")]));
        assert_eq!(v.outcome, Outcome::Ok);
        assert_eq!(v.etag, None);
        assert_eq!(v.stored_as_sent, None);
    }
}

#[test]
fn not_modified_get_is_ok_and_304_to_a_write_failed() {
    let v = classify(&answer(Method::Get, 304, &[("ETag", "\"same\"")]));
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.etag.as_deref(), Some("\"same\""));
    assert!(v.warnings.is_empty());
    let v = classify(&answer(Method::Get, 304, &[]));
    assert_eq!(v.outcome, Outcome::Ok);
    assert!(v.warnings.is_empty(), "a 304 need not repeat the ETag");
    assert_eq!(outcome(Method::Put, 304), Outcome::Failed);
}

#[test]
fn redirects_and_informational_answers_failed() {
    let v = classify(&answer(Method::Put, 301, &[("Location", "/cal/new.ics")]));
    assert_eq!(v.outcome, Outcome::Failed);
    assert!(v.message.contains("/cal/new.ics"), "{}", v.message);
    assert_eq!(outcome(Method::Get, 100), Outcome::Failed);
}

// --- classify_response: 4xx ---

#[test]
fn authentication_answers_are_unauthorized() {
    assert_eq!(outcome(Method::Get, 401), Outcome::Unauthorized);
    assert_eq!(outcome(Method::Put, 407), Outcome::Unauthorized);
}

#[test]
fn not_found_depends_on_method_and_precondition() {
    assert_eq!(outcome(Method::Get, 404), Outcome::Gone);
    assert_eq!(outcome(Method::Get, 410), Outcome::Gone);
    assert_eq!(outcome(Method::Delete, 404), Outcome::Ok);
    assert_eq!(outcome(Method::Put, 404), Outcome::Gone);
    for status in [404, 410] {
        let put = with_sent(answer(Method::Put, status, &[]), &[("If-Match", "\"e\"")]);
        assert_eq!(classify(&put).outcome, Outcome::Gone);
        let put = with_sent(
            answer(Method::Put, status, &[]),
            &[("If-Schedule-Tag-Match", "\"s\"")],
        );
        assert_eq!(classify(&put).outcome, Outcome::Gone);
        let del = with_sent(
            answer(Method::Delete, status, &[]),
            &[("If-Match", "\"e\"")],
        );
        assert_eq!(classify(&del).outcome, Outcome::Ok);
        let create = with_sent(answer(Method::Put, status, &[]), &[("If-None-Match", "*")]);
        let v = classify(&create);
        assert_eq!(v.outcome, Outcome::Failed);
        assert!(v.message.contains("collection"), "{}", v.message);
    }
}

#[test]
fn request_timeout_is_retry_later() {
    assert_eq!(outcome(Method::Put, 408), Outcome::RetryLater);
}

#[test]
fn precondition_failed_per_method() {
    assert_eq!(outcome(Method::Get, 412), Outcome::Refetch);
    let del = with_sent(answer(Method::Delete, 412, &[]), &[("If-Match", "\"e\"")]);
    let v = classify(&del);
    assert_eq!(v.outcome, Outcome::MergeAndRetry);
    assert!(v.message.contains("If-Match failed"), "{}", v.message);
    let mut last = del.clone();
    last.attempt = Some(3);
    assert_eq!(classify(&last).outcome, Outcome::GiveUp);
    // Beyond the limit stays give-up.
    last.attempt = Some(7);
    assert_eq!(classify(&last).outcome, Outcome::GiveUp);
    // If-None-Match with tags is not a create.
    let put = with_sent(answer(Method::Put, 412, &[]), &[("If-None-Match", "\"x\"")]);
    assert_eq!(classify(&put).outcome, Outcome::MergeAndRetry);
    // Unknown sent headers: still a bounded merge-and-retry.
    assert_eq!(outcome(Method::Put, 412), Outcome::MergeAndRetry);
}

#[test]
fn an_unconditional_write_is_reported() {
    let v = classify(&with_sent(
        answer(Method::Put, 204, &[("ETag", "\"e\"")]),
        &[],
    ));
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(codes(&v), vec!["NO_PRECONDITION"]);
    let v = classify(&with_sent(
        answer(Method::Put, 412, &[]),
        &[("Content-Type", "text/calendar")],
    ));
    assert_eq!(v.outcome, Outcome::MergeAndRetry);
    assert!(v.message.contains("no tag precondition"), "{}", v.message);
    // A GET is not a write, and unknown `sent` is not "nothing sent".
    assert!(classify(&with_sent(
        answer(Method::Get, 200, &[("ETag", "\"e\"")]),
        &[]
    ))
    .warnings
    .is_empty());
    assert!(classify(&answer(Method::Put, 204, &[("ETag", "\"e\"")]))
        .warnings
        .is_empty());
}

#[test]
fn a_malformed_sent_header_is_reported() {
    let v = classify(&with_sent(
        answer(Method::Put, 412, &[]),
        &[("If-None-Match", "*, \"a\"")],
    ));
    assert!(codes(&v).contains(&"BAD_SENT_HEADER"), "{:?}", v.warnings);
}

#[test]
fn locked_with_retry_after() {
    let v = classify(&answer(Method::Delete, 423, &[("Retry-After", "30")]));
    assert_eq!(v.outcome, Outcome::Locked);
    assert_eq!(v.retry_after, Some(30));
}

#[test]
fn precondition_required_means_fetch_the_tags_first() {
    assert_eq!(outcome(Method::Put, 428), Outcome::Refetch);
}

#[test]
fn other_client_errors_failed_with_their_condition() {
    for status in [400, 405, 411, 413, 414, 415, 422, 424, 431] {
        assert_eq!(outcome(Method::Put, status), Outcome::Failed, "{status}");
    }
    let body = r#"<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:max-resource-size/></D:error>"#;
    let v = classify(&with_body(answer(Method::Put, 413, &[]), body));
    assert_eq!(v.outcome, Outcome::Failed);
    assert_eq!(v.condition.as_deref(), Some("max-resource-size"));
}

// --- classify_response: 429 / 5xx and Retry-After ---

#[test]
fn temporary_answers_are_retry_later_with_seconds() {
    let v = classify(&answer(Method::Put, 429, &[("Retry-After", "120")]));
    assert_eq!(v.outcome, Outcome::RetryLater);
    assert_eq!(v.retry_after, Some(120));
    for status in [502, 503, 504] {
        let v = classify(&answer(Method::Get, status, &[]));
        assert_eq!(v.outcome, Outcome::RetryLater, "{status}");
        assert_eq!(v.retry_after, None);
        assert!(v.message.contains("back off"), "{}", v.message);
    }
}

#[test]
fn retry_after_as_http_date_uses_the_date_header() {
    let v = classify(&answer(
        Method::Put,
        503,
        &[
            ("Date", "Wed, 25 Nov 2026 19:00:00 GMT"),
            ("Retry-After", "Wed, 25 Nov 2026 19:02:30 GMT"),
        ],
    ));
    assert_eq!(v.retry_after, Some(150));
    assert!(v.warnings.is_empty());
    let v = classify(&answer(
        Method::Put,
        503,
        &[("Retry-After", "Wed, 25 Nov 2026 19:02:30 GMT")],
    ));
    assert_eq!(v.outcome, Outcome::RetryLater);
    assert_eq!(v.retry_after, None);
    assert_eq!(codes(&v), vec!["BAD_RETRY_AFTER"]);
    let v = classify(&answer(Method::Put, 429, &[("Retry-After", "soon")]));
    assert_eq!(codes(&v), vec!["BAD_RETRY_AFTER"]);
}

#[test]
fn other_server_errors_failed_unless_told_when_to_retry() {
    for status in [500, 501, 505, 507, 599] {
        assert_eq!(outcome(Method::Put, status), Outcome::Failed, "{status}");
    }
    let v = classify(&answer(Method::Put, 500, &[("Retry-After", "5")]));
    assert_eq!(v.outcome, Outcome::RetryLater);
    assert_eq!(v.retry_after, Some(5));
}

// --- DAV:error bodies in verdicts ---

#[test]
fn html_error_pages_give_no_condition_and_no_warning() {
    let input = with_body(
        answer(Method::Put, 403, &[("Content-Type", "text/html")]),
        "<html><body><h1>Forbidden</h1></body></html>",
    );
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition, None);
    assert!(v.warnings.is_empty());
}

#[test]
fn broken_xml_error_bodies_are_reported() {
    let input = with_body(
        answer(
            Method::Put,
            403,
            &[("Content-Type", "application/xml; charset=utf-8")],
        ),
        "<D:error xmlns:D=\"DAV:\"><C:valid-calendar-data/></D:error>",
    );
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition, None);
    assert_eq!(codes(&v), vec!["BAD_ERROR_BODY"]);
}

#[test]
fn several_conditions_name_the_first_and_mention_the_rest() {
    let body = r#"<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:valid-calendar-data/><C:supported-calendar-component/><D:responsedescription>bad  DTSTART</D:responsedescription></D:error>"#;
    let v = classify(&with_body(answer(Method::Put, 403, &[]), body));
    assert_eq!(v.condition.as_deref(), Some("valid-calendar-data"));
    assert!(
        v.message.contains("also: supported-calendar-component"),
        "{}",
        v.message
    );
    assert!(
        v.message.contains("server says: bad DTSTART"),
        "{}",
        v.message
    );
}

#[test]
fn bad_request_keeps_its_condition() {
    let body = r#"<d:error xmlns:d="DAV:"><c:valid-scheduling-message xmlns:c="urn:ietf:params:xml:ns:caldav"/></d:error>"#;
    let v = classify(&with_body(answer(Method::Put, 400, &[]), body));
    assert_eq!(v.outcome, Outcome::Failed);
    assert_eq!(v.condition.as_deref(), Some("valid-scheduling-message"));
}

// --- serde names (the JS contract) ---

fn from_str<'de, T: Deserialize<'de>>(s: &'de str) -> T {
    T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(s)).unwrap()
}

#[test]
fn enum_names_match_api_md() {
    let outcomes = [
        ("ok", Outcome::Ok),
        ("refetch", Outcome::Refetch),
        ("merge-and-retry", Outcome::MergeAndRetry),
        ("gone", Outcome::Gone),
        ("exists", Outcome::Exists),
        ("forbidden", Outcome::Forbidden),
        ("conflict", Outcome::Conflict),
        ("unauthorized", Outcome::Unauthorized),
        ("locked", Outcome::Locked),
        ("retry-later", Outcome::RetryLater),
        ("give-up", Outcome::GiveUp),
        ("failed", Outcome::Failed),
    ];
    for (name, value) in outcomes {
        assert_eq!(from_str::<Outcome>(name), value);
    }
    assert_eq!(from_str::<Intent>("create"), Intent::Create);
    assert_eq!(from_str::<Intent>("update"), Intent::Update);
    assert_eq!(from_str::<Intent>("delete"), Intent::Delete);
    assert_eq!(from_str::<Method>("GET"), Method::Get);
    assert_eq!(from_str::<Method>("PUT"), Method::Put);
    assert_eq!(from_str::<Method>("DELETE"), Method::Delete);
    assert_eq!(from_str::<Method>("put"), Method::Put);
    assert_eq!(
        from_str::<TagChange>("inconsequential"),
        TagChange::Inconsequential
    );
}

// --- 412 with a DAV:error body ---

#[test]
fn a_412_naming_a_dav_condition_is_forbidden_not_exists() {
    let body = r#"<ns0:error xmlns:ns0="DAV:" xmlns:ns1="urn:ietf:params:xml:ns:caldav"><ns1:no-uid-conflict><ns0:href>/cal/a.ics</ns0:href></ns1:no-uid-conflict></ns0:error>"#;
    let input = with_body(
        with_sent(answer(Method::Put, 412, &[]), &[("If-None-Match", "*")]),
        body,
    );
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition.as_deref(), Some("no-uid-conflict"));
    assert_eq!(v.href.as_deref(), Some("/cal/a.ics"));
    assert_eq!(codes(&v), vec!["CONDITION_ON_412"]);
}

#[test]
fn a_412_with_only_server_text_stays_a_tag_mismatch() {
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">
  <s:exception>Sabre\DAV\Exception\PreconditionFailed</s:exception>
  <s:message>An If-Match header was specified, but none of the specified ETags matched.</s:message>
  <s:header>If-Match</s:header>
</d:error>"#;
    let input = with_body(
        with_sent(answer(Method::Put, 412, &[]), &[("If-Match", "\"old\"")]),
        body,
    );
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::MergeAndRetry);
    assert_eq!(v.condition, None);
    assert!(
        v.message.contains("none of the specified ETags matched"),
        "{}",
        v.message
    );
    assert!(v.warnings.is_empty());
}

// --- successes that reveal an ignored precondition ---

#[test]
fn a_create_answered_200_or_204_replaced_something() {
    for status in [200, 204] {
        let v = classify(&with_sent(
            answer(Method::Put, status, &[("ETag", "\"e\"")]),
            &[("If-None-Match", "*")],
        ));
        assert_eq!(v.outcome, Outcome::Ok);
        assert_eq!(codes(&v), vec!["PRECONDITION_IGNORED"], "{status}");
    }
}

#[test]
fn an_update_answered_201_created_something() {
    let v = classify(&with_sent(
        answer(Method::Put, 201, &[("ETag", "\"e\"")]),
        &[("If-Match", "\"old\"")],
    ));
    assert_eq!(codes(&v), vec!["PRECONDITION_IGNORED"]);
}

#[test]
fn a_schedule_tag_write_answered_without_a_schedule_tag_is_suspicious() {
    let v = classify(&with_sent(
        answer(Method::Put, 204, &[("ETag", "\"e\"")]),
        &[("If-Schedule-Tag-Match", "\"s\"")],
    ));
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(codes(&v), vec!["NO_SCHEDULE_TAG"]);
    assert!(v.message.contains("If-Match"), "{}", v.message);
}

// --- DAV:error extension elements (RFC 4918 §17) ---

const TRACE_FIRST: &str = r#"<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="http://example.com/ns"><X:trace-id>abc</X:trace-id><C:no-uid-conflict><D:href>/cal/other.ics</D:href></C:no-uid-conflict></D:error>"#;

#[test]
fn an_extension_element_first_does_not_hide_the_condition() {
    let locked = r#"<D:error xmlns:D="DAV:" xmlns:X="http://example.com/ns"><X:trace-id>abc</X:trace-id><D:lock-token-submitted><D:href>/cal/a.ics</D:href></D:lock-token-submitted></D:error>"#;
    for (status, body, outcome, condition, href) in [
        (
            403,
            TRACE_FIRST,
            Outcome::Forbidden,
            "no-uid-conflict",
            "/cal/other.ics",
        ),
        (
            409,
            TRACE_FIRST,
            Outcome::Conflict,
            "no-uid-conflict",
            "/cal/other.ics",
        ),
        (
            423,
            locked,
            Outcome::Locked,
            "lock-token-submitted",
            "/cal/a.ics",
        ),
    ] {
        let input = with_body(
            with_sent(
                answer(Method::Put, status, &[("Content-Type", "application/xml")]),
                &[("If-None-Match", "*")],
            ),
            body,
        );
        let v = classify(&input);
        assert_eq!(v.outcome, outcome, "{status}");
        assert_eq!(v.condition.as_deref(), Some(condition), "{status}");
        assert_eq!(v.href.as_deref(), Some(href), "{status}");
        assert!(
            v.message.contains("also: {http://example.com/ns}trace-id"),
            "{}",
            v.message
        );
    }
}

#[test]
fn a_412_with_only_extension_elements_follows_the_status_code() {
    for body in [
        r#"<D:error xmlns:D="DAV:" xmlns:X="http://example.com/ns"><X:request-id>42</X:request-id></D:error>"#,
        r#"<D:error xmlns:D="DAV:"><valid-calendar-data/></D:error>"#,
    ] {
        let put = |sent: &[(&str, &str)], attempt: u32| {
            let mut input = with_body(with_sent(answer(Method::Put, 412, &[]), sent), body);
            input.attempt = Some(attempt);
            classify(&input)
        };
        let create = put(&[("If-None-Match", "*")], 1);
        assert_eq!(create.outcome, Outcome::Exists, "{body}");
        assert!(!codes(&create).contains(&"CONDITION_ON_412"), "{body}");
        let update = put(&[("If-Match", "\"e\"")], 1);
        assert_eq!(update.outcome, Outcome::MergeAndRetry, "{body}");
        assert!(update.warnings.is_empty(), "{body}");
        assert_eq!(
            put(&[("If-Schedule-Tag-Match", "\"s\"")], 3).outcome,
            Outcome::GiveUp
        );
        let delete = with_body(
            with_sent(answer(Method::Delete, 412, &[]), &[("If-Match", "\"e\"")]),
            body,
        );
        assert_eq!(classify(&delete).outcome, Outcome::MergeAndRetry);
    }
    // A CalDAV condition after an extension element is still the Xandikos case.
    let v = classify(&with_body(
        with_sent(answer(Method::Put, 412, &[]), &[("If-None-Match", "*")]),
        TRACE_FIRST,
    ));
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition.as_deref(), Some("no-uid-conflict"));
    assert_eq!(codes(&v), vec!["CONDITION_ON_412"]);
}

// --- Retry-After on 413 and repeated Retry-After values ---

#[test]
fn a_413_with_retry_after_is_temporary() {
    let v = classify(&with_sent(
        answer(Method::Put, 413, &[("Retry-After", "120")]),
        &[("If-Match", "\"e\"")],
    ));
    assert_eq!(v.outcome, Outcome::RetryLater);
    assert_eq!(v.retry_after, Some(120));
    assert!(v.message.contains("RFC 9110 §15.5.14"), "{}", v.message);
    let v = classify(&answer(Method::Put, 413, &[("Retry-After", "soon")]));
    assert_eq!(v.outcome, Outcome::RetryLater);
    assert_eq!(v.retry_after, None);
    assert_eq!(codes(&v), vec!["BAD_RETRY_AFTER"]);
    assert_eq!(outcome(Method::Put, 413), Outcome::Failed);
}

#[test]
fn identical_repeated_retry_after_values_are_one_value() {
    let date = "Wed, 25 Nov 2026 19:02:30 GMT";
    let joined_date = format!("{date}, {date}");
    for (headers, seconds) in [
        (vec![("Retry-After", "30"), ("Retry-After", "30")], 30),
        // A fetch `Headers` object joins repeated lines with ", ".
        (vec![("Retry-After", "30, 30")], 30),
        (vec![("Retry-After", "30,30, 30")], 30),
        (
            vec![
                ("Date", "Wed, 25 Nov 2026 19:00:00 GMT"),
                ("Retry-After", joined_date.as_str()),
            ],
            150,
        ),
    ] {
        let v = classify(&answer(Method::Put, 503, &headers));
        assert_eq!(v.retry_after, Some(seconds), "{headers:?}");
        assert!(v.warnings.is_empty(), "{headers:?}: {:?}", v.warnings);
    }
    for headers in [
        vec![("Retry-After", "30, 60")],
        vec![("Retry-After", "30"), ("Retry-After", "60")],
    ] {
        let v = classify(&answer(Method::Put, 503, &headers));
        assert_eq!(v.outcome, Outcome::RetryLater);
        assert_eq!(v.retry_after, None, "{headers:?}");
        assert_eq!(v.warnings.len(), 1, "{headers:?}");
    }
}

// --- DELETE answered 207 Multi-Status (RFC 4918 §9.6.1) ---

fn delete_207(body: &str) -> Verdict {
    classify(&with_body(
        with_sent(
            answer(Method::Delete, 207, &[("Content-Type", "application/xml")]),
            &[("If-Match", "\"e\"")],
        ),
        body,
    ))
}

#[test]
fn a_207_to_delete_is_not_a_deletion() {
    let locked = r#"<D:multistatus xmlns:D="DAV:"><D:response><D:href>/cal/a.ics</D:href><D:status>HTTP/1.1 423 Locked</D:status></D:response></D:multistatus>"#;
    let v = delete_207(locked);
    assert_eq!(v.outcome, Outcome::Locked);
    assert_eq!(v.href.as_deref(), Some("/cal/a.ics"));
    assert!(v.message.contains("/cal/a.ics (423)"), "{}", v.message);
    assert!(v.warnings.is_empty());

    let mixed = r#"<D:multistatus xmlns:D="DAV:"><D:response><D:href>/cal/a.ics</D:href><D:status>HTTP/1.1 423 Locked</D:status></D:response><D:response><D:href>/cal/</D:href><D:status>HTTP/1.1 424 Failed Dependency</D:status></D:response></D:multistatus>"#;
    let v = delete_207(mixed);
    assert_eq!(v.outcome, Outcome::Failed);
    assert_eq!(v.href.as_deref(), Some("/cal/a.ics"));
    assert!(
        v.message.contains("/cal/a.ics (423), /cal/ (424)"),
        "{}",
        v.message
    );

    for body in ["", "<html>partly</html>"] {
        let v = delete_207(body);
        assert_eq!(v.outcome, Outcome::Failed, "{body:?}");
        assert!(v.message.contains("names no member"), "{}", v.message);
    }
    assert_eq!(
        codes(&delete_207("<html>partly</html>")),
        vec!["BAD_ERROR_BODY"]
    );
    // Other 2xx answers to DELETE are still deletions.
    for status in [200, 202, 204] {
        assert_eq!(outcome(Method::Delete, status), Outcome::Ok, "{status}");
    }
}
