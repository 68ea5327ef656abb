//! parseEntityTag / compareEntityTags / preconditionHeaders: the input is two header values
//! separated by the first LF. Properties: never a panic; a parsed tag's `raw` is the value
//! without surrounding whitespace and parses to the same tag; a tag echoed into If-Match or
//! If-Schedule-Tag-Match is byte-identical; comparison is symmetric and reflexive for strong tags.
#![no_main]

use caldav_sched::precondition::{
    classify_tag_change, compare_entity_tags, parse_entity_tag, parse_entity_tag_list,
    parse_schedule_tag, precondition_headers, Intent, PreconditionOptions, Validators, IF_MATCH,
    IF_SCHEDULE_TAG_MATCH,
};
use caldav_sched::ErrorCode;
use libfuzzer_sys::fuzz_target;

fn check_one(value: &str) {
    match parse_entity_tag(value) {
        Ok(tag) => {
            assert_eq!(tag.raw, value.trim_matches(|c| c == ' ' || c == '\t'));
            assert_eq!(parse_entity_tag(&tag.raw).ok().as_ref(), Some(&tag));
            assert_eq!(
                compare_entity_tags(value, value, false).ok(),
                Some(!tag.weak)
            );
            assert_eq!(compare_entity_tags(value, value, true).ok(), Some(true));
            let update = PreconditionOptions {
                intent: Intent::Update,
                etag: Some(value.to_string()),
                schedule_tag: None,
                schedule_reply: None,
            };
            if let Ok(headers) = precondition_headers(&update) {
                assert!(!tag.weak, "a weak ETag went into If-Match");
                assert_eq!(headers.get(IF_MATCH), Some(&tag.raw));
            }
        }
        Err(e) => assert_eq!(e.code, ErrorCode::BadEntityTag, "{e}"),
    }
    if let Ok(tag) = parse_schedule_tag(value) {
        let options = PreconditionOptions {
            intent: Intent::Delete,
            etag: None,
            schedule_tag: Some(value.to_string()),
            schedule_reply: Some(false),
        };
        if let Ok(headers) = precondition_headers(&options) {
            assert_eq!(headers.get(IF_SCHEDULE_TAG_MATCH), Some(&tag.raw));
        }
    }
    for (i, c) in value.char_indices() {
        if u32::from(c) < 0x20 || c == '\x7f' {
            let options = PreconditionOptions {
                intent: Intent::Update,
                etag: Some(value.to_string()),
                schedule_tag: None,
                schedule_reply: None,
            };
            let e = precondition_headers(&options).err();
            assert!(e.is_some(), "control character at {i} passed into a header");
            break;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once('\n').unwrap_or((&text, ""));
    check_one(a);
    check_one(b);
    if let (Ok(x), Ok(y)) = (
        compare_entity_tags(a, b, false),
        compare_entity_tags(b, a, false),
    ) {
        assert_eq!(x, y, "strong comparison is not symmetric");
    }
    if let (Ok(x), Ok(y)) = (
        compare_entity_tags(a, b, true),
        compare_entity_tags(b, a, true),
    ) {
        assert_eq!(x, y, "weak comparison is not symmetric");
    }
    let _ = parse_entity_tag_list(&[a, b]);
    let before = Validators {
        etag: Some(a.to_string()),
        schedule_tag: Some(b.to_string()),
    };
    let after = Validators {
        etag: Some(b.to_string()),
        schedule_tag: None,
    };
    let _ = classify_tag_change(&before, &after);
    let _ = classify_tag_change(&after, &before);
});
