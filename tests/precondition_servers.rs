//! Real answers of both reference servers (Cyrus 3.6.1 + shim, Xandikos 0.4.10), recorded with
//! tests/fixtures/server-answers/record.sh, fed through classify_response. See the README there
//! for where each file came from.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use caldav_sched::precondition::{
    classify_response, classify_tag_change, parse_entity_tag, precondition_headers, Intent, Method,
    Outcome, PreconditionOptions, ResponseInput, TagChange, Validators, Verdict,
};

/// One recorded exchange: what was sent, and the answer.
struct Recorded {
    input: ResponseInput,
    path: String,
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/server-answers")
}

/// Parses the record.sh format: `#` comments, `> ` request lines, `< ` response lines, an empty
/// line, then the body verbatim.
fn load(name: &str) -> Recorded {
    let text = std::fs::read_to_string(fixture_dir().join(name)).unwrap();
    let mut method = None;
    let mut path = String::new();
    let mut sent = BTreeMap::new();
    let mut status = None;
    let mut headers = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some(request) = line.strip_prefix("> ") {
            if method.is_none() {
                let (m, p) = request.split_once(' ').unwrap();
                method = Some(parse_method(m).unwrap());
                path = p.to_string();
            } else {
                let (k, v) = request.split_once(':').unwrap();
                sent.insert(k.to_string(), v.trim_start().to_string());
            }
        } else if let Some(response) = line.strip_prefix("< ") {
            if status.is_none() {
                status = Some(response.split(' ').nth(1).unwrap().parse().unwrap());
            } else {
                let (k, v) = response.split_once(':').unwrap();
                headers.push((k.to_string(), v.trim_start().to_string()));
            }
        }
    }
    let body = text.get(offset..).unwrap().to_string();
    let mut input = ResponseInput::new(method.unwrap(), status.unwrap());
    input.headers = headers;
    input.body = Some(body).filter(|b| !b.is_empty());
    input.sent = Some(sent);
    Recorded { input, path }
}

/// Fixture files only hold GET/PUT/DELETE; anything else fails the parse (None).
fn parse_method(method: &str) -> Option<Method> {
    match method {
        "GET" => Some(Method::Get),
        "PUT" => Some(Method::Put),
        "DELETE" => Some(Method::Delete),
        _ => None,
    }
}

fn verdict(name: &str) -> Verdict {
    classify_response(&load(name).input).unwrap()
}

fn codes(v: &Verdict) -> Vec<&str> {
    v.warnings.iter().map(|w| w.code.as_str()).collect()
}

fn sent_value(name: &str, header: &str) -> String {
    load(name).input.sent.unwrap().get(header).cloned().unwrap()
}

#[test]
fn every_fixture_parses_and_classifies() {
    let mut count = 0;
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !name.ends_with(".http") {
            continue;
        }
        let recorded = load(&name);
        assert!(recorded.path.starts_with('/'), "{name}");
        let v = classify_response(&recorded.input).unwrap();
        assert!(!v.message.is_empty(), "{name}");
        count += 1;
    }
    assert_eq!(count, 39, "20 Cyrus + 19 Xandikos answers");
}

// ---------------------------------------------------------------- Cyrus 3.6.1 + shim

#[test]
fn cyrus_01_organizer_create_201_without_etag_is_refetch() {
    let v = verdict("cyrus-01-organizer-create.http");
    assert_eq!(v.outcome, Outcome::Refetch);
    assert_eq!(v.stored_as_sent, Some(false));
    assert_eq!(v.etag, None);
    // The NULL_ETAG constant Cyrus gives every new object (REPORT.md), kept as returned.
    assert_eq!(
        v.schedule_tag.as_deref(),
        Some("\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"")
    );
    assert_eq!(codes(&v), vec!["REFRESH_RECOMMENDED"]);
}

#[test]
fn cyrus_02_create_again_412_is_exists() {
    let v = verdict("cyrus-02-create-again.http");
    assert_eq!(v.outcome, Outcome::Exists);
    assert!(v.warnings.is_empty());
}

#[test]
fn cyrus_03_and_04_get_keep_both_tags_and_build_if_schedule_tag_match() {
    for name in ["cyrus-03-organizer-get.http", "cyrus-04-attendee-get.http"] {
        let v = verdict(name);
        assert_eq!(v.outcome, Outcome::Ok, "{name}");
        assert!(v.warnings.is_empty(), "{name}: {:?}", v.warnings);
        let etag = parse_entity_tag(v.etag.as_deref().unwrap()).unwrap();
        assert!(!etag.weak);
        let headers = precondition_headers(&PreconditionOptions {
            intent: Intent::Update,
            etag: v.etag.clone(),
            schedule_tag: v.schedule_tag.clone(),
            schedule_reply: None,
        })
        .unwrap();
        assert_eq!(headers.len(), 1);
        assert_eq!(
            headers.get("If-Schedule-Tag-Match"),
            v.schedule_tag.as_ref()
        );
    }
}

#[test]
fn cyrus_05_attendee_accept_204_new_tag_no_etag_is_refetch() {
    let v = verdict("cyrus-05-attendee-accept.http");
    assert_eq!(v.outcome, Outcome::Refetch);
    assert_eq!(v.stored_as_sent, Some(false));
    // Cyrus changes the tag on the attendee's own PUT: keep what came back, not what was sent.
    let sent = sent_value("cyrus-05-attendee-accept.http", "If-Schedule-Tag-Match");
    assert_ne!(v.schedule_tag.as_deref(), Some(sent.as_str()));
    let after = verdict("cyrus-06-attendee-get-after-accept.http");
    assert_eq!(v.schedule_tag, after.schedule_tag);
}

#[test]
fn cyrus_06_reget_after_own_put_is_unchanged_relative_to_the_put_answer() {
    let put = verdict("cyrus-05-attendee-accept.http");
    let get = verdict("cyrus-06-attendee-get-after-accept.http");
    let before = verdict("cyrus-04-attendee-get.http");
    let as_validators = |v: &Verdict| Validators {
        etag: v.etag.clone(),
        schedule_tag: v.schedule_tag.clone(),
    };
    // Compared with the PUT answer: same tag, and the PUT gave no ETag.
    assert_eq!(
        classify_tag_change(&as_validators(&put), &as_validators(&get)).unwrap(),
        TagChange::Inconsequential
    );
    // Compared with the copy before the PUT: the tag moved (Cyrus changes it on any PUT).
    assert_eq!(
        classify_tag_change(&as_validators(&before), &as_validators(&get)).unwrap(),
        TagChange::Consequential
    );
}

#[test]
fn cyrus_07_and_08_stale_tags_412_are_merge_and_retry() {
    let v = verdict("cyrus-07-attendee-stale-schedule-tag.http");
    assert_eq!(v.outcome, Outcome::MergeAndRetry);
    assert!(v.message.contains("If-Schedule-Tag-Match"), "{}", v.message);
    let v = verdict("cyrus-08-attendee-stale-etag.http");
    assert_eq!(v.outcome, Outcome::MergeAndRetry);
    assert!(v.message.contains("If-Match"), "{}", v.message);
    let mut last = load("cyrus-07-attendee-stale-schedule-tag.http").input;
    last.attempt = Some(3);
    assert_eq!(classify_response(&last).unwrap().outcome, Outcome::GiveUp);
}

#[test]
fn cyrus_09_attendee_summary_change_is_accepted_by_cyrus() {
    // Cyrus stores an attendee's SUMMARY edit (PROTOCOL.md §2.2: never rely on the server to
    // refuse); the answer is a plain 204 without ETag.
    let v = verdict("cyrus-09-attendee-forbidden-change.http");
    assert_eq!(v.outcome, Outcome::Refetch);
    assert!(v.schedule_tag.is_some());
}

#[test]
fn cyrus_10_organizer_stale_etag_after_reply_is_merge_and_retry() {
    // REPORT.md step 4a: the attendee's reply changed the organizer copy's ETag.
    let v = verdict("cyrus-10-organizer-stale-etag.http");
    assert_eq!(v.outcome, Outcome::MergeAndRetry);
}

#[test]
fn cyrus_11_method_in_body_is_stored_rewritten() {
    // Cyrus accepts a body with METHOD:REQUEST and stores something else: no ETag.
    let v = verdict("cyrus-11-method-in-body.http");
    assert_eq!(v.outcome, Outcome::Refetch);
}

#[test]
fn cyrus_12_uid_conflict_is_forbidden_unique_scheduling_object_resource_with_href() {
    let v = verdict("cyrus-12-uid-conflict.http");
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(
        v.condition.as_deref(),
        Some("unique-scheduling-object-resource")
    );
    let href = v.href.unwrap();
    assert!(
        href.starts_with("/dav/calendars/user/cyrus/Default/precond-"),
        "{href}"
    );
    assert!(v.warnings.is_empty());
}

#[test]
fn cyrus_13_invalid_data_is_forbidden_valid_calendar_data_with_server_text() {
    let v = verdict("cyrus-13-invalid-data.http");
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition.as_deref(), Some("valid-calendar-data"));
    assert!(
        v.message.contains("Resource is not an iCalendar object"),
        "{}",
        v.message
    );
}

#[test]
fn cyrus_14_missing_collection_is_a_403_html_page() {
    let v = verdict("cyrus-14-missing-collection.http");
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition, None);
    assert!(
        v.warnings.is_empty(),
        "an HTML page is not a broken DAV:error"
    );
}

#[test]
fn cyrus_15_silent_delete_then_16_again_then_17_get_and_18_put() {
    assert_eq!(
        sent_value("cyrus-15-attendee-silent-delete.http", "Schedule-Reply"),
        "F"
    );
    assert_eq!(
        verdict("cyrus-15-attendee-silent-delete.http").outcome,
        Outcome::Ok
    );
    assert_eq!(verdict("cyrus-16-delete-again.http").outcome, Outcome::Ok);
    assert_eq!(verdict("cyrus-17-get-deleted.http").outcome, Outcome::Gone);
    // A PUT with If-Schedule-Tag-Match to the deleted copy gets 412, not 404 (PROTOCOL.md §12
    // item 6): merge-and-retry, whose GET then answers 404 = gone.
    assert_eq!(
        verdict("cyrus-18-put-deleted.http").outcome,
        Outcome::MergeAndRetry
    );
}

#[test]
fn cyrus_19_wrong_password_is_unauthorized() {
    let v = verdict("cyrus-19-wrong-password.http");
    assert_eq!(v.outcome, Outcome::Unauthorized);
    assert!(v.warnings.is_empty());
}

#[test]
fn cyrus_20_organizer_delete_is_ok() {
    assert_eq!(
        verdict("cyrus-20-organizer-delete.http").outcome,
        Outcome::Ok
    );
}

// ---------------------------------------------------------------- Xandikos 0.4.10

#[test]
fn xandikos_01_organizer_create_201_with_etag_is_ok_stored_as_sent() {
    let v = verdict("xandikos-01-organizer-create.http");
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.stored_as_sent, Some(true));
    assert!(v.etag.is_some());
    assert!(v.schedule_tag.is_some());
    assert_eq!(codes(&v), vec!["REFRESH_RECOMMENDED"]);
}

#[test]
fn xandikos_02_create_again_412_is_exists() {
    assert_eq!(
        verdict("xandikos-02-create-again.http").outcome,
        Outcome::Exists
    );
}

#[test]
fn xandikos_03_and_04_get_keep_both_tags() {
    for name in [
        "xandikos-03-organizer-get.http",
        "xandikos-04-attendee-get.http",
    ] {
        let v = verdict(name);
        assert_eq!(v.outcome, Outcome::Ok, "{name}");
        assert!(v.etag.is_some() && v.schedule_tag.is_some(), "{name}");
        assert!(v.warnings.is_empty(), "{name}");
    }
}

#[test]
fn xandikos_05_attendee_accept_204_with_etag_keeps_the_schedule_tag() {
    let v = verdict("xandikos-05-attendee-accept.http");
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.stored_as_sent, Some(true));
    // Xandikos leaves the tag alone on the attendee's own PUT (REPORT.md step 3).
    let sent = sent_value("xandikos-05-attendee-accept.http", "If-Schedule-Tag-Match");
    assert_eq!(v.schedule_tag.as_deref(), Some(sent.as_str()));
    let get = verdict("xandikos-06-attendee-get-after-accept.http");
    let before = verdict("xandikos-04-attendee-get.http");
    let as_validators = |v: &Verdict| Validators {
        etag: v.etag.clone(),
        schedule_tag: v.schedule_tag.clone(),
    };
    assert_eq!(
        classify_tag_change(&as_validators(&v), &as_validators(&get)).unwrap(),
        TagChange::Unchanged
    );
    assert_eq!(
        classify_tag_change(&as_validators(&before), &as_validators(&get)).unwrap(),
        TagChange::Inconsequential
    );
}

#[test]
fn xandikos_07_08_10_stale_tags_412_are_merge_and_retry() {
    for name in [
        "xandikos-07-attendee-stale-schedule-tag.http",
        "xandikos-08-attendee-stale-etag.http",
        "xandikos-10-organizer-stale-etag.http",
    ] {
        let v = verdict(name);
        assert_eq!(v.outcome, Outcome::MergeAndRetry, "{name}");
        assert!(v.warnings.is_empty(), "{name}");
    }
}

#[test]
fn xandikos_09_attendee_summary_change_is_a_412_condition_not_a_tag_mismatch() {
    let v = verdict("xandikos-09-attendee-forbidden-change.http");
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition.as_deref(), Some("attendee-allowed"));
    assert!(v.message.contains("organiser-owned"), "{}", v.message);
    assert_eq!(codes(&v), vec!["CONDITION_ON_412"]);
}

#[test]
fn xandikos_11_method_in_body_is_stored_as_sent() {
    let v = verdict("xandikos-11-method-in-body.http");
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.stored_as_sent, Some(true));
}

#[test]
fn xandikos_12_uid_conflict_on_create_is_not_exists() {
    let v = verdict("xandikos-12-uid-conflict.http");
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition.as_deref(), Some("no-uid-conflict"));
    assert!(v.message.contains("UID already in use"), "{}", v.message);
    assert_eq!(codes(&v), vec!["CONDITION_ON_412"]);
}

#[test]
fn xandikos_13_invalid_data_on_create_is_not_exists() {
    let v = verdict("xandikos-13-invalid-data.http");
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(v.condition.as_deref(), Some("valid-calendar-data"));
    assert_eq!(codes(&v), vec!["CONDITION_ON_412"]);
}

#[test]
fn xandikos_14_missing_collection_is_conflict() {
    let v = verdict("xandikos-14-missing-collection.http");
    assert_eq!(v.outcome, Outcome::Conflict);
    assert_eq!(v.condition, None);
    assert!(v.warnings.is_empty());
}

#[test]
fn xandikos_15_to_19_deletes_and_404s() {
    assert_eq!(
        verdict("xandikos-15-attendee-silent-delete.http").outcome,
        Outcome::Ok
    );
    let again = verdict("xandikos-16-delete-again.http");
    assert_eq!(again.outcome, Outcome::Ok);
    assert!(
        again.warnings.is_empty(),
        "a plain-text 404 body is no DAV:error"
    );
    assert_eq!(
        verdict("xandikos-17-get-deleted.http").outcome,
        Outcome::Gone
    );
    assert_eq!(
        verdict("xandikos-18-put-deleted.http").outcome,
        Outcome::MergeAndRetry
    );
    assert_eq!(
        verdict("xandikos-19-organizer-delete.http").outcome,
        Outcome::Ok
    );
}
