//! The tag-precondition scenarios of VECTORS.md (S1 T-steps, T1-T39), one test each.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use caldav_sched::precondition::{
    classify_response, classify_tag_change, compare_entity_tags, parse_entity_tag,
    parse_entity_tag_list, parse_schedule_tag, precondition_headers, EntityTagList, Intent, Method,
    Outcome, PreconditionOptions, ResponseInput, TagChange, Validators, Verdict,
};
use caldav_sched::ErrorCode;

const CALDAV: &str = r#"xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav""#;

mod support;
use support::{answer, header_map as headers, options};

fn classify(input: &ResponseInput) -> Verdict {
    classify_response(input).unwrap()
}

fn warning_codes(v: &Verdict) -> Vec<&str> {
    v.warnings.iter().map(|w| w.code.as_str()).collect()
}

fn tags(list: EntityTagList) -> Vec<String> {
    match list {
        EntityTagList::Tags(tags) => tags.into_iter().map(|t| t.raw).collect(),
        EntityTagList::Any => vec!["*".to_string()],
    }
}

fn dav_error(method: Method, status: u16, inner: &str) -> Verdict {
    let mut input = answer(method, status, &[("Content-Type", "application/xml")]);
    input.body = Some(format!(
        r#"<?xml version="1.0" encoding="utf-8"?><D:error {CALDAV}>{inner}</D:error>"#
    ));
    classify(&input)
}

// --- S1: the seed scenario (RFC 6638 Appendix B.3), T steps ---

#[test]
fn s1_step2_build_sends_only_if_schedule_tag_match() {
    let h = precondition_headers(&options(
        Intent::Update,
        Some("\"eb4639451b434fbd85561cfe74a4e785\""),
        Some("\"e78f23ed-0188-4bab-938d-2aeb3324c7e8\""),
    ))
    .unwrap();
    assert_eq!(
        h,
        headers(&[(
            "If-Schedule-Tag-Match",
            "\"e78f23ed-0188-4bab-938d-2aeb3324c7e8\""
        )])
    );
}

#[test]
fn s1_step3_put_200_with_new_schedule_tag_is_success_and_keeps_both_tags() {
    let mut input = answer(
        Method::Put,
        200,
        &[
            ("ETag", "\"eb4639451b434fbd85561cfe74a4e785\""),
            ("Schedule-Tag", "\"8893ee45-eb9d-428f-b53c-c777daf19e41\""),
        ],
    );
    input.sent = Some(headers(&[(
        "If-Schedule-Tag-Match",
        "\"e78f23ed-0188-4bab-938d-2aeb3324c7e8\"",
    )]));
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.stored_as_sent, Some(true));
    assert_eq!(
        v.etag.as_deref(),
        Some("\"eb4639451b434fbd85561cfe74a4e785\"")
    );
    // The new tag differs from the one sent: kept as returned, not treated as an error.
    assert_eq!(
        v.schedule_tag.as_deref(),
        Some("\"8893ee45-eb9d-428f-b53c-c777daf19e41\"")
    );
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
}

#[test]
fn s1_step4_regets_same_schedule_tag_new_etag_is_inconsequential() {
    let put = Validators {
        etag: Some("\"eb4639451b434fbd85561cfe74a4e785\"".into()),
        schedule_tag: Some("\"8893ee45-eb9d-428f-b53c-c777daf19e41\"".into()),
    };
    let get = Validators {
        etag: Some("\"5eb897deabda116714bc9926c8939589\"".into()),
        schedule_tag: Some("\"8893ee45-eb9d-428f-b53c-c777daf19e41\"".into()),
    };
    assert_eq!(
        classify_tag_change(&put, &get).unwrap(),
        TagChange::Inconsequential
    );
}

#[test]
fn s1_step6_follow_up_edit_uses_the_new_schedule_tag_despite_a_stale_etag() {
    let h = precondition_headers(&options(
        Intent::Update,
        Some("\"eb4639451b434fbd85561cfe74a4e785\""),
        Some("\"8893ee45-eb9d-428f-b53c-c777daf19e41\""),
    ))
    .unwrap();
    assert_eq!(
        h.get("If-Schedule-Tag-Match").map(String::as_str),
        Some("\"8893ee45-eb9d-428f-b53c-c777daf19e41\"")
    );
    assert!(!h.contains_key("If-Match"));
}

// --- T1-T39 ---

#[test]
fn t01_strong_etag_parse() {
    let t = parse_entity_tag("\"abc\"").unwrap();
    assert!(!t.weak);
    assert_eq!(t.opaque, "abc");
    assert_eq!(t.raw, "\"abc\"");
}

#[test]
fn t02_weak_etag_parse() {
    let t = parse_entity_tag("W/\"abc\"").unwrap();
    assert!(t.weak);
    assert_eq!(t.opaque, "abc");
    assert_eq!(t.raw, "W/\"abc\"");
}

#[test]
fn t02_weak_etag_if_match_rejected() {
    let e = precondition_headers(&options(Intent::Update, Some("W/\"abc\""), None)).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadEntityTag);
    assert!(e.message.contains("If-Match"), "{}", e.message);
    assert!(
        e.message.contains("4791"),
        "flags CalDAV non-conformance: {}",
        e.message
    );
}

#[test]
fn t02_weak_etag_on_get_is_flagged() {
    let v = classify(&answer(Method::Get, 200, &[("ETag", "W/\"abc\"")]));
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.etag, None);
    assert_eq!(warning_codes(&v), vec!["WEAK_ETAG"]);
}

#[test]
fn t03_lowercase_weak_prefix_is_malformed() {
    let e = parse_entity_tag("w/\"abc\"").unwrap_err();
    assert_eq!(e.code, ErrorCode::BadEntityTag);
    assert!(e.message.contains("W/"), "{}", e.message);
}

#[test]
fn t04_empty_tag_is_valid_strong() {
    let t = parse_entity_tag("\"\"").unwrap();
    assert!(!t.weak);
    assert_eq!(t.opaque, "");
    assert_eq!(t.raw, "\"\"");
    let h = precondition_headers(&options(Intent::Update, Some("\"\""), None)).unwrap();
    assert_eq!(h, headers(&[("If-Match", "\"\"")]));
}

#[test]
fn t06_empty_list_elements_and_ows() {
    let list = parse_entity_tag_list(&["\"x\",,\t \"y\" ,"]).unwrap();
    assert_eq!(tags(list), vec!["\"x\"", "\"y\""]);
}

#[test]
fn t07_star_mixed_with_tags_is_a_syntax_error() {
    let e = parse_entity_tag_list(&["*, \"a\""]).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadEntityTag);
    assert!(e.message.contains('*'), "{}", e.message);
}

#[test]
fn t08_repeated_header_lines_are_one_list() {
    let list = parse_entity_tag_list(&["\"a\"", "\"b\""]).unwrap();
    assert_eq!(tags(list), vec!["\"a\"", "\"b\""]);
}

#[test]
fn t09_comparison_table() {
    // (a, b, strong, weak) from RFC 9110 §8.8.3.2 table 3.
    let table = [
        ("\"1\"", "\"1\"", true, true),
        ("W/\"1\"", "\"1\"", false, true),
        ("W/\"1\"", "W/\"1\"", false, true),
        ("W/\"1\"", "W/\"2\"", false, false),
    ];
    for (a, b, strong, weak) in table {
        assert_eq!(compare_entity_tags(a, b, false).unwrap(), strong, "{a} {b}");
        assert_eq!(compare_entity_tags(a, b, true).unwrap(), weak, "{a} {b}");
        assert_eq!(compare_entity_tags(b, a, false).unwrap(), strong, "{b} {a}");
        assert_eq!(compare_entity_tags(b, a, true).unwrap(), weak, "{b} {a}");
    }
}

#[test]
fn t11_obs_text_is_kept_as_latin1_code_points_and_echoed() {
    // Header bytes 0x22 63 61 66 E9 22 as a browser exposes them: Latin-1 code points.
    let value = "\"caf\u{E9}\"";
    let t = parse_entity_tag(value).unwrap();
    assert_eq!(t.opaque, "caf\u{E9}");
    assert_eq!(t.raw, value);
    let h = precondition_headers(&options(Intent::Update, Some(value), None)).unwrap();
    assert_eq!(h.get("If-Match").map(String::as_str), Some(value));
    let all_high = format!(
        "\"{}\"",
        (0x80u8..=0xFF).map(char::from).collect::<String>()
    );
    assert_eq!(parse_entity_tag(&all_high).unwrap().raw, all_high);
}

#[test]
fn t13_getetag_from_xml_equals_the_header_form_after_decoding() {
    let xml = r#"<D:prop xmlns:D="DAV:"><D:getetag>&quot;fffff-abcd1&quot;</D:getetag></D:prop>"#;
    let doc = roxmltree::Document::parse(xml).unwrap();
    let text = doc
        .descendants()
        .find(|n| n.tag_name().name() == "getetag" && n.tag_name().namespace() == Some("DAV:"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(parse_entity_tag(text).unwrap().raw, "\"fffff-abcd1\"");
    assert!(compare_entity_tags(text, "\"fffff-abcd1\"", false).unwrap());
    // Not decoded: reported, never repaired.
    let e = parse_entity_tag("&quot;fffff-abcd1&quot;").unwrap_err();
    assert_eq!(e.code, ErrorCode::BadEntityTag);
    assert!(e.message.contains("XML"), "{}", e.message);
}

#[test]
fn t14_create_sends_if_none_match_star() {
    let h = precondition_headers(&options(Intent::Create, None, None)).unwrap();
    assert_eq!(h, headers(&[("If-None-Match", "*")]));
}

#[test]
fn t14_create_412_is_exists_and_201_is_created() {
    let sent = headers(&[("If-None-Match", "*")]);
    let mut taken = answer(Method::Put, 412, &[]);
    taken.sent = Some(sent.clone());
    assert_eq!(classify(&taken).outcome, Outcome::Exists);
    let mut created = answer(Method::Put, 201, &[("ETag", "\"1\"")]);
    created.sent = Some(sent);
    let v = classify(&created);
    assert_eq!(v.outcome, Outcome::Ok);
    assert!(v.message.contains("created"), "{}", v.message);
}

#[test]
fn t15_update_with_known_schedule_tag_sends_only_that() {
    let h = precondition_headers(&options(Intent::Update, Some("\"e1\""), Some("\"s1\""))).unwrap();
    assert_eq!(h, headers(&[("If-Schedule-Tag-Match", "\"s1\"")]));
}

#[test]
fn t16_server_without_schedule_tag_gets_strong_if_match() {
    // GET from a sabre/dav-like server: an ETag, no Schedule-Tag.
    let v = classify(&answer(Method::Get, 200, &[("ETag", "\"sabre-1\"")]));
    assert_eq!(v.schedule_tag, None);
    let h = precondition_headers(&PreconditionOptions {
        intent: Intent::Update,
        etag: v.etag,
        schedule_tag: v.schedule_tag,
        schedule_reply: None,
    })
    .unwrap();
    assert_eq!(h, headers(&[("If-Match", "\"sabre-1\"")]));
}

#[test]
fn t17_both_headers_are_never_built_and_a_request_that_sent_both_is_warned() {
    let h =
        precondition_headers(&options(Intent::Update, Some("\"stale\""), Some("\"s\""))).unwrap();
    assert_eq!(h.len(), 1);
    assert!(!h.contains_key("If-Match"));
    let mut input = answer(Method::Put, 412, &[]);
    input.sent = Some(headers(&[
        ("If-Match", "\"stale\""),
        ("If-Schedule-Tag-Match", "\"s\""),
    ]));
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::MergeAndRetry);
    assert_eq!(warning_codes(&v), vec!["BOTH_PRECONDITIONS"]);
}

#[test]
fn t18_weak_schedule_tag_is_refused() {
    let e = precondition_headers(&options(Intent::Update, None, Some("W/\"x\""))).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadEntityTag);
    let v = classify(&answer(
        Method::Get,
        200,
        &[("ETag", "\"e\""), ("Schedule-Tag", "W/\"x\"")],
    ));
    assert_eq!(v.schedule_tag, None);
    assert_eq!(warning_codes(&v), vec!["MALFORMED_SCHEDULE_TAG"]);
}

#[test]
fn t19_list_or_star_for_if_schedule_tag_match_is_refused() {
    for bad in ["\"a\", \"b\"", "\"a\",\"b\"", "*"] {
        let e = precondition_headers(&options(Intent::Update, None, Some(bad))).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadEntityTag, "{bad}");
        assert!(parse_schedule_tag(bad).is_err());
    }
}

#[test]
fn t20_exact_echo() {
    let tag = "\"e78f23ed-0188-4bab-938d-2aeb3324c7e8\"";
    let h = precondition_headers(&options(Intent::Delete, None, Some(tag))).unwrap();
    assert_eq!(
        h.get("If-Schedule-Tag-Match").unwrap().as_bytes(),
        tag.as_bytes()
    );
    let odd = "\"MiXeD cAsE \\\" x\"";
    let h = precondition_headers(&options(Intent::Update, None, Some(odd))).unwrap();
    assert_eq!(
        h.get("If-Schedule-Tag-Match").unwrap().as_bytes(),
        odd.as_bytes()
    );
}

#[test]
fn t21_header_names_are_case_insensitive() {
    let v = classify(&answer(
        Method::Get,
        200,
        &[("etag", "\"e\""), ("schedule-tag", "\"x\"")],
    ));
    assert_eq!(v.schedule_tag.as_deref(), Some("\"x\""));
    assert_eq!(v.etag.as_deref(), Some("\"e\""));
    let mut input = answer(Method::Put, 412, &[]);
    input.sent = Some(headers(&[("if-none-match", "*")]));
    assert_eq!(classify(&input).outcome, Outcome::Exists);
}

#[test]
fn t22_put_201_organizer_create_recommends_a_refresh() {
    let mut input = answer(
        Method::Put,
        201,
        &[
            ("ETag", "\"d85561cfe74a4e785eb4639451b434fb\""),
            ("Schedule-Tag", "\"488177c8-e4ed-4e56-9e16-9a4d3fcb6e5f\""),
        ],
    );
    input.sent = Some(headers(&[("If-None-Match", "*")]));
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.stored_as_sent, Some(true));
    assert_eq!(
        v.schedule_tag.as_deref(),
        Some("\"488177c8-e4ed-4e56-9e16-9a4d3fcb6e5f\"")
    );
    assert_eq!(warning_codes(&v), vec!["REFRESH_RECOMMENDED"]);
}

#[test]
fn t24_put_2xx_with_weak_etag_needs_a_refetch() {
    let v = classify(&answer(Method::Put, 200, &[("ETag", "W/\"abc\"")]));
    assert_eq!(v.outcome, Outcome::Refetch);
    assert_eq!(v.stored_as_sent, Some(false));
    assert_eq!(v.etag, None);
    assert_eq!(warning_codes(&v), vec!["WEAK_ETAG"]);
}

#[test]
fn t25_412_on_if_schedule_tag_match_is_merge_and_retry_then_give_up() {
    let mut input = answer(Method::Put, 412, &[]);
    input.sent = Some(headers(&[("If-Schedule-Tag-Match", "\"old\"")]));
    for attempt in 1..3 {
        input.attempt = Some(attempt);
        let v = classify(&input);
        assert_eq!(v.outcome, Outcome::MergeAndRetry, "attempt {attempt}");
        assert!(v.message.contains("If-Schedule-Tag-Match"), "{}", v.message);
    }
    input.attempt = Some(3);
    assert_eq!(classify(&input).outcome, Outcome::GiveUp);
    input.attempt = Some(1);
    input.max_attempts = Some(1);
    assert_eq!(classify(&input).outcome, Outcome::GiveUp);
}

#[test]
fn t26_403_allowed_attendee_change() {
    let v = dav_error(
        Method::Put,
        403,
        "<C:allowed-attendee-scheduling-object-change/>",
    );
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(
        v.condition.as_deref(),
        Some("allowed-attendee-scheduling-object-change")
    );
    assert!(v.message.contains("retry once"), "{}", v.message);
}

#[test]
fn t27_403_allowed_organizer_change() {
    let v = dav_error(
        Method::Put,
        403,
        "<C:allowed-organizer-scheduling-object-change/>",
    );
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(
        v.condition.as_deref(),
        Some("allowed-organizer-scheduling-object-change")
    );
}

#[test]
fn t28_403_need_privileges() {
    let v = dav_error(
        Method::Put,
        403,
        "<D:need-privileges><D:resource><D:href>/home/wilfredo/calendars/outbox/</D:href>\
         <D:privilege><C:schedule-send-reply/></D:privilege></D:resource></D:need-privileges>",
    );
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition.as_deref(), Some("need-privileges"));
    assert_eq!(v.href.as_deref(), Some("/home/wilfredo/calendars/outbox/"));
    assert!(v.message.contains("schedule-send-reply"), "{}", v.message);
}

#[test]
fn t29_403_valid_calendar_object_resource() {
    let v = dav_error(Method::Put, 403, "<C:valid-calendar-object-resource/>");
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(
        v.condition.as_deref(),
        Some("valid-calendar-object-resource")
    );
    assert!(v.message.contains("METHOD"), "{}", v.message);
}

#[test]
fn t30_no_uid_conflict_names_the_other_resource() {
    for status in [403, 409] {
        let v = dav_error(
            Method::Put,
            status,
            "<C:no-uid-conflict><D:href>/cal/other.ics</D:href></C:no-uid-conflict>",
        );
        let expected = if status == 403 {
            Outcome::Forbidden
        } else {
            Outcome::Conflict
        };
        assert_eq!(v.outcome, expected);
        assert_eq!(v.condition.as_deref(), Some("no-uid-conflict"));
        assert_eq!(v.href.as_deref(), Some("/cal/other.ics"));
    }
}

#[test]
fn t31_unique_scheduling_object_resource() {
    let v = dav_error(
        Method::Put,
        403,
        "<C:unique-scheduling-object-resource><D:href>/home/x/work/a.ics</D:href>\
         </C:unique-scheduling-object-resource>",
    );
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(
        v.condition.as_deref(),
        Some("unique-scheduling-object-resource")
    );
    assert_eq!(v.href.as_deref(), Some("/home/x/work/a.ics"));
}

#[test]
fn t32_same_organizer_in_all_components() {
    let v = dav_error(Method::Put, 403, "<C:same-organizer-in-all-components/>");
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(
        v.condition.as_deref(),
        Some("same-organizer-in-all-components")
    );
}

#[test]
fn t34_lost_response_retry_with_old_if_match_2xx_is_success() {
    let mut input = answer(Method::Put, 204, &[("ETag", "\"new\"")]);
    input.sent = Some(headers(&[("If-Match", "\"old\"")]));
    input.attempt = Some(2);
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.etag.as_deref(), Some("\"new\""));
}

#[test]
fn t35_organizer_copy_after_attendee_reply_is_inconsequential() {
    let before = Validators {
        etag: Some("\"aca416b5\"".into()),
        schedule_tag: Some("\"c9e51942\"".into()),
    };
    let after = Validators {
        etag: Some("\"4a78c42c\"".into()),
        schedule_tag: Some("\"c9e51942\"".into()),
    };
    assert_eq!(
        classify_tag_change(&before, &after).unwrap(),
        TagChange::Inconsequential
    );
    assert_eq!(
        classify_tag_change(&before, &before).unwrap(),
        TagChange::Unchanged
    );
}

#[test]
fn t36_attendee_copy_after_reschedule_is_consequential() {
    let before = Validators {
        etag: Some("\"699c1767\"".into()),
        schedule_tag: Some("\"c9e51942\"".into()),
    };
    let after = Validators {
        etag: Some("\"3988b2f5\"".into()),
        schedule_tag: Some("\"1b8db168\"".into()),
    };
    assert_eq!(
        classify_tag_change(&before, &after).unwrap(),
        TagChange::Consequential
    );
    // Without Schedule-Tags an ETag change cannot be judged.
    let no_tags = |e: &str| Validators {
        etag: Some(e.into()),
        schedule_tag: None,
    };
    assert_eq!(
        classify_tag_change(&no_tags("\"1\""), &no_tags("\"2\"")).unwrap(),
        TagChange::Changed
    );
}

#[test]
fn t38_423_locked_names_the_lock() {
    let v = dav_error(
        Method::Put,
        423,
        "<D:lock-token-submitted><D:href>/cal/event.ics</D:href></D:lock-token-submitted>",
    );
    assert_eq!(v.outcome, Outcome::Locked);
    assert_eq!(v.condition.as_deref(), Some("lock-token-submitted"));
    assert_eq!(v.href.as_deref(), Some("/cal/event.ics"));
}

#[test]
fn t39_put_to_missing_parent_409_without_body_is_conflict() {
    let mut input = answer(Method::Put, 409, &[]);
    input.sent = Some(headers(&[("If-None-Match", "*")]));
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Conflict);
    assert_eq!(v.condition, None);
    assert!(v.message.contains("collection"), "{}", v.message);
}
