//! Audit of the tag-precondition helper against PROTOCOL.md §1, §6, §7: variants of the T
//! vectors (Retry-After forms, DAV:error namespace spellings, weak/strong/missing validators,
//! 412 vs 409 vs 403, exact echo of tags).

use caldav_sched::precondition::{
    classify_response, classify_tag_change, compare_entity_tags, parse_entity_tag_list,
    parse_schedule_tag, precondition_headers, EntityTagList, Intent, Method, Outcome,
    ResponseInput, TagChange, Validators, Verdict,
};
use caldav_sched::ErrorCode;

type TestResult = Result<(), Box<dyn std::error::Error>>;

mod support;
use support::{answer, options, with_body as body, with_sent as sent};

fn classify(input: &ResponseInput) -> Result<Verdict, Box<dyn std::error::Error>> {
    Ok(classify_response(input)?)
}

/// RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date in any of the three formats
/// (measured against the response's Date); OWS around the value is not part of it.
#[test]
fn retry_after_in_every_form() -> TestResult {
    let date = ("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
    for value in [
        " 90 ",
        "Sun, 06 Nov 1994 08:51:07 GMT",
        "Sunday, 06-Nov-94 08:51:07 GMT",
        "Sun Nov  6 08:51:07 1994",
    ] {
        let v = classify(&answer(Method::Put, 503, &[date, ("retry-after", value)]))?;
        assert_eq!(v.outcome, Outcome::RetryLater, "{value}");
        assert_eq!(v.retry_after, Some(90), "{value}");
    }
    // A date in the past is "now".
    let v = classify(&answer(
        Method::Put,
        429,
        &[date, ("Retry-After", "Sun, 06 Nov 1994 08:00:00 GMT")],
    ))?;
    assert_eq!(v.retry_after, Some(0));
    // Not a number and not a date: retry later without a delay, and a warning.
    for bad in ["-1", "1.5", "90 s"] {
        let v = classify(&answer(Method::Put, 503, &[("Retry-After", bad)]))?;
        assert_eq!(v.outcome, Outcome::RetryLater);
        assert_eq!(v.retry_after, None, "{bad}");
        assert!(
            v.warnings.iter().any(|w| w.code == "BAD_RETRY_AFTER"),
            "{bad}"
        );
    }
    Ok(())
}

/// RFC 4918 §16 / RFC 4791 §1.3: the condition is found whatever prefix or default namespace
/// the server used; a DAV:href inside it is reported.
#[test]
fn dav_error_conditions_in_any_namespace_spelling() -> TestResult {
    let bodies = [
        r#"<?xml version="1.0" encoding="utf-8"?><error xmlns="DAV:"><no-uid-conflict xmlns="urn:ietf:params:xml:ns:caldav"><href xmlns="DAV:">/cal/other.ics</href></no-uid-conflict></error>"#,
        r#"<d:error xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav"><cal:no-uid-conflict><d:href>/cal/other.ics</d:href></cal:no-uid-conflict></d:error>"#,
        "<ns0:error xmlns:ns0=\"DAV:\">\n  <!-- a comment -->\n  <ns1:no-uid-conflict xmlns:ns1=\"urn:ietf:params:xml:ns:caldav\">\n    <ns0:href>/cal/other.ics</ns0:href>\n  </ns1:no-uid-conflict>\n</ns0:error>\n",
    ];
    for xml in bodies {
        for status in [403, 409] {
            let v = classify(&body(answer(Method::Put, status, &[]), xml))?;
            let expected = if status == 403 {
                Outcome::Forbidden
            } else {
                Outcome::Conflict
            };
            assert_eq!(v.outcome, expected, "{xml}");
            assert_eq!(v.condition.as_deref(), Some("no-uid-conflict"), "{xml}");
            assert_eq!(v.href.as_deref(), Some("/cal/other.ics"), "{xml}");
        }
    }
    Ok(())
}

/// PROTOCOL.md §7: 412 has no defined body (tag mismatch), while 403 / 409 name conditions.
/// The three answers to the same update are three different verdicts.
#[test]
fn the_same_update_answered_412_409_403() -> TestResult {
    let tag = "\"e78f23ed-0188-4bab-938d-2aeb3324c7e8\"";
    let put = |status| {
        sent(
            answer(Method::Put, status, &[]),
            &[("If-Schedule-Tag-Match", tag)],
        )
    };
    assert_eq!(classify(&put(412))?.outcome, Outcome::MergeAndRetry);
    let v = classify(&body(put(409), "<D:error xmlns:D=\"DAV:\"/>"))?;
    assert_eq!(v.outcome, Outcome::Conflict);
    let v = classify(&body(
        put(403),
        "<D:error xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
         <C:allowed-attendee-scheduling-object-change/></D:error>",
    ))?;
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(
        v.condition.as_deref(),
        Some("allowed-attendee-scheduling-object-change")
    );
    Ok(())
}

/// RFC 4791 §5.3.4, RFC 9110 §9.3.4: a PUT answer with a strong ETag means stored as sent; a
/// weak one or none means refetch. Header names are case-insensitive (RFC 9110 §5.1).
#[test]
fn put_validators_weak_strong_missing() -> TestResult {
    let strong = classify(&answer(
        Method::Put,
        204,
        &[("etag", "\"abc\""), ("SCHEDULE-TAG", "\"s2\"")],
    ))?;
    assert_eq!(strong.outcome, Outcome::Ok);
    assert_eq!(strong.stored_as_sent, Some(true));
    assert_eq!(strong.etag.as_deref(), Some("\"abc\""));
    assert_eq!(strong.schedule_tag.as_deref(), Some("\"s2\""));
    for headers in [
        vec![("ETag", "W/\"abc\""), ("Schedule-Tag", "\"s2\"")],
        vec![("Schedule-Tag", "\"s2\"")],
    ] {
        let v = classify(&answer(Method::Put, 200, &headers))?;
        assert_eq!(v.outcome, Outcome::Refetch, "{headers:?}");
        assert_eq!(v.stored_as_sent, Some(false));
        assert_eq!(v.etag, None);
        assert_eq!(v.schedule_tag.as_deref(), Some("\"s2\""));
    }
    Ok(())
}

/// RFC 6638 §8.2: a weak or malformed Schedule-Tag in a response is not kept (the next write
/// then falls back to If-Match).
#[test]
fn a_weak_schedule_tag_in_a_response_is_not_kept() -> TestResult {
    let v = classify(&answer(
        Method::Get,
        200,
        &[("ETag", "\"e1\""), ("Schedule-Tag", "W/\"s1\"")],
    ))?;
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.schedule_tag, None);
    assert_eq!(v.etag.as_deref(), Some("\"e1\""));
    assert!(v
        .warnings
        .iter()
        .any(|w| w.code == "MALFORMED_SCHEDULE_TAG"));
    Ok(())
}

/// RFC 6638 §8.3 and PROTOCOL.md §1.3: an RFC 2616 quoted-string tag with a space or a
/// backslash-escaped quote is echoed byte for byte, never re-quoted or unescaped.
#[test]
fn schedule_tags_in_quoted_string_form_are_echoed_verbatim() -> TestResult {
    for tag in ["\"a b\"", "\"a\\\"b\"", "\"caf\u{e9}\""] {
        assert_eq!(parse_schedule_tag(tag)?.raw, tag);
        let h = precondition_headers(&options(Intent::Update, None, Some(tag)))?;
        assert_eq!(
            h.get("If-Schedule-Tag-Match").map(String::as_str),
            Some(tag)
        );
        assert_eq!(h.len(), 1);
    }
    Ok(())
}

/// RFC 9110 §13.1.1: If-Match uses strong comparison, so a weak ETag can never be used; with a
/// Schedule-Tag known, If-Schedule-Tag-Match alone is sent and the weak ETag does not matter.
#[test]
fn a_weak_etag_is_refused_unless_a_schedule_tag_is_used() -> TestResult {
    let e = precondition_headers(&options(Intent::Delete, Some("W/\"x\""), None))
        .err()
        .ok_or("expected an error")?;
    assert_eq!(e.code, ErrorCode::BadEntityTag);
    let h = precondition_headers(&options(Intent::Delete, Some("W/\"x\""), Some("\"s\"")))?;
    assert_eq!(
        h.get("If-Schedule-Tag-Match").map(String::as_str),
        Some("\"s\"")
    );
    assert!(!h.contains_key("If-Match"));
    Ok(())
}

/// RFC 9110 §8.8.3.2 / §13.1.2: If-None-Match compares weakly; list members keep their order and
/// weakness; a comma inside quotes is part of the tag.
#[test]
fn weak_comparison_for_if_none_match_lists() -> TestResult {
    let EntityTagList::Tags(tags) = parse_entity_tag_list(&["W/\"1\", \"a,b\"", " \"2\""])? else {
        return Err("a list was expected".into());
    };
    let raws: Vec<&str> = tags.iter().map(|t| t.raw.as_str()).collect();
    assert_eq!(raws, ["W/\"1\"", "\"a,b\"", "\"2\""]);
    assert!(compare_entity_tags("W/\"1\"", "\"1\"", true)?);
    assert!(!compare_entity_tags("W/\"1\"", "\"1\"", false)?);
    Ok(())
}

/// RFC 6638 §3.2.10: the tags of two fetches tell the kind of change (S1 step 4, T35, T36).
#[test]
fn tag_change_kinds() -> TestResult {
    let v = |etag: &str, tag: Option<&str>| Validators {
        etag: Some(etag.to_string()),
        schedule_tag: tag.map(str::to_string),
    };
    let s = Some("\"8893ee45\"");
    assert_eq!(
        classify_tag_change(&v("\"e1\"", s), &v("\"e1\"", s))?,
        TagChange::Unchanged
    );
    assert_eq!(
        classify_tag_change(&v("\"e1\"", s), &v("\"e2\"", s))?,
        TagChange::Inconsequential
    );
    assert_eq!(
        classify_tag_change(&v("\"e1\"", s), &v("\"e2\"", Some("\"other\"")))?,
        TagChange::Consequential
    );
    assert_eq!(
        classify_tag_change(&v("\"e1\"", None), &v("\"e2\"", None))?,
        TagChange::Changed
    );
    Ok(())
}

/// RFC 9110 §13.2.1 / API.md: DELETE of a missing resource is done, with or without a
/// precondition; PUT with If-Match to a missing resource is gone; a 412 on create is exists.
#[test]
fn missing_resources_per_method() -> TestResult {
    for status in [404, 410] {
        let del = sent(
            answer(Method::Delete, status, &[]),
            &[("If-Match", "\"e\"")],
        );
        assert_eq!(classify(&del)?.outcome, Outcome::Ok);
        let put = sent(answer(Method::Put, status, &[]), &[("If-Match", "\"e\"")]);
        assert_eq!(classify(&put)?.outcome, Outcome::Gone);
    }
    let create = sent(answer(Method::Put, 412, &[]), &[("If-None-Match", "*")]);
    assert_eq!(classify(&create)?.outcome, Outcome::Exists);
    Ok(())
}

/// RFC 9110 §5.3: repeated field lines equal one line joined with ", ", which is what a browser
/// `Headers` object hands over. The same tag sent twice is that tag either way; two different
/// tags are ambiguous and none is kept.
#[test]
fn a_repeated_validator_joined_into_one_line_is_still_that_validator() -> TestResult {
    let joined = classify(&answer(
        Method::Get,
        200,
        &[
            ("ETag", "\"a\", \"a\""),
            ("Schedule-Tag", "\"s-1\",\"s-1\""),
        ],
    ))?;
    let lines = classify(&answer(
        Method::Get,
        200,
        &[
            ("ETag", "\"a\""),
            ("ETag", "\"a\""),
            ("Schedule-Tag", "\"s-1\""),
            ("Schedule-Tag", "\"s-1\""),
        ],
    ))?;
    for v in [&joined, &lines] {
        assert_eq!(v.etag.as_deref(), Some("\"a\""));
        assert_eq!(v.schedule_tag.as_deref(), Some("\"s-1\""));
        assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    }
    // A comma inside the quotes is part of one tag, not a list.
    let v = classify(&answer(Method::Get, 200, &[("ETag", "\"a,b\"")]))?;
    assert_eq!(v.etag.as_deref(), Some("\"a,b\""));
    // Two different tags: none is kept.
    let v = classify(&answer(Method::Put, 200, &[("ETag", "\"a\", \"b\"")]))?;
    assert_eq!(v.etag, None);
    assert_eq!(v.outcome, Outcome::Refetch);
    assert!(!v.warnings.is_empty());
    Ok(())
}
