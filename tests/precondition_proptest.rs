//! Properties: any valid tag survives parse-then-echo byte for byte; no input panics.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use caldav_sched::precondition::{
    classify_response, compare_entity_tags, parse_entity_tag, parse_entity_tag_list,
    parse_schedule_tag, precondition_headers, split_header_list, EntityTagList, Intent, Method,
    PreconditionOptions, ResponseInput,
};
use proptest::prelude::*;

/// One `etagc` character: %x21 / %x23-7E / obs-text (as Latin-1 code points).
fn etagc() -> impl Strategy<Value = char> {
    prop_oneof![
        Just('!'),
        (0x23u8..=0x7E).prop_map(char::from),
        (0x80u8..=0xFF).prop_map(char::from),
    ]
}

/// A valid entity tag and whether it is weak.
fn entity_tag() -> impl Strategy<Value = (String, bool, String)> {
    (any::<bool>(), prop::collection::vec(etagc(), 0..24)).prop_map(|(weak, chars)| {
        let opaque: String = chars.into_iter().collect();
        let prefix = if weak { "W/" } else { "" };
        (format!("{prefix}\"{opaque}\""), weak, opaque)
    })
}

/// Any string, biased towards the characters that matter to the parsers.
fn nasty_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\"W/w,*\\\\ \t\r\n&;quot#x2\u{0}\u{7F}\u{80}\u{FF}\u{100}a-c]{0,16}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn parse_then_echo_is_identity((raw, weak, opaque) in entity_tag()) {
        let tag = parse_entity_tag(&raw).unwrap();
        prop_assert_eq!(&tag.raw, &raw);
        prop_assert_eq!(tag.weak, weak);
        prop_assert_eq!(&tag.opaque, &opaque);
        prop_assert!(compare_entity_tags(&raw, &raw, true).unwrap());
        prop_assert_eq!(compare_entity_tags(&raw, &raw, false).unwrap(), !weak);
        let built = precondition_headers(&PreconditionOptions {
            intent: Intent::Update,
            etag: Some(raw.clone()),
            schedule_tag: None,
            schedule_reply: None,
        });
        if weak {
            prop_assert!(built.is_err());
        } else {
            let built = built.unwrap();
            prop_assert_eq!(built.get("If-Match").map(|v| v.as_bytes()), Some(raw.as_bytes()));
        }
    }

    #[test]
    fn strong_tags_echo_as_schedule_tags((tag, _weak, _opaque) in entity_tag()) {
        let raw = tag.strip_prefix("W/").unwrap_or(&tag).to_string();
        let tag = parse_schedule_tag(&raw).unwrap();
        prop_assert_eq!(&tag.raw, &raw);
        let built = precondition_headers(&PreconditionOptions {
            intent: Intent::Delete,
            etag: None,
            schedule_tag: Some(raw.clone()),
            schedule_reply: Some(false),
        }).unwrap();
        prop_assert_eq!(built.get("If-Schedule-Tag-Match").map(|v| v.as_bytes()), Some(raw.as_bytes()));
    }

    #[test]
    fn every_schedule_tag_classify_keeps_can_be_sent_back(
        chars in prop::collection::vec(prop_oneof![
            Just('\t'), Just(' '), Just('\\'), Just('"'), Just('a'), Just(','),
            Just('\u{85}'), Just('\r'), Just('\u{0}'),
        ], 0..10),
    ) {
        let opaque: String = chars.into_iter().collect();
        let received = format!("\"{opaque}\"");
        let mut input = ResponseInput::new(Method::Get, 200);
        input.headers = vec![("Schedule-Tag".to_string(), received.clone())];
        let v = classify_response(&input).unwrap();
        if let Some(kept) = v.schedule_tag {
            let headers = precondition_headers(&PreconditionOptions {
                intent: Intent::Update,
                etag: None,
                schedule_tag: Some(kept.clone()),
                schedule_reply: None,
            });
            prop_assert!(headers.is_ok(), "{:?}: {:?}", kept, headers);
            let headers = headers.unwrap();
            prop_assert_eq!(headers.get("If-Schedule-Tag-Match"), Some(&kept));
        }
    }

    #[test]
    fn lists_with_any_ows_and_empty_elements_give_back_every_tag(
        tags in prop::collection::vec(entity_tag(), 0..6),
        seps in prop::collection::vec("[ \t]{0,2},[ \t,]{0,3}", 6),
    ) {
        let mut line = String::new();
        for (i, (raw, _, _)) in tags.iter().enumerate() {
            line.push_str(raw);
            line.push_str(&seps[i]);
        }
        let parsed = parse_entity_tag_list(&[line.as_str()]).unwrap();
        let expected: Vec<&str> = tags.iter().map(|(raw, _, _)| raw.as_str()).collect();
        match parsed {
            EntityTagList::Tags(got) => {
                let got: Vec<&str> = got.iter().map(|t| t.raw.as_str()).collect();
                prop_assert_eq!(got, expected);
            }
            EntityTagList::Any => prop_assert!(false, "no * was in the list"),
        }
    }

    #[test]
    fn no_string_panics_the_tag_functions(a in nasty_string(), b in nasty_string()) {
        let _ = parse_entity_tag(&a);
        let _ = parse_schedule_tag(&a);
        let _ = parse_entity_tag_list(&[a.as_str(), b.as_str()]);
        let _ = split_header_list(&a);
        let _ = compare_entity_tags(&a, &b, false);
        let _ = compare_entity_tags(&a, &b, true);
        for intent in [Intent::Create, Intent::Update, Intent::Delete] {
            let built = precondition_headers(&PreconditionOptions {
                intent,
                etag: Some(a.clone()),
                schedule_tag: Some(b.clone()).filter(|_| a.len() % 2 == 0),
                schedule_reply: None,
            });
            // Whatever is built never carries a control character, except HTAB inside the
            // quotes of a Schedule-Tag (RFC 2616 qdtext).
            if let Ok(headers) = built {
                for (name, value) in &headers {
                    let allowed = |c: char| c == '\t' && name == "If-Schedule-Tag-Match";
                    prop_assert!(!value
                        .chars()
                        .any(|c| ((c as u32) < 0x20 || c as u32 == 0x7F) && !allowed(c)));
                    prop_assert!(!value.starts_with('\t') && !value.ends_with('\t'));
                }
            }
        }
    }

    #[test]
    fn no_answer_panics_classify_response(
        method in prop_oneof![Just(Method::Get), Just(Method::Put), Just(Method::Delete)],
        status in 0u16..1000,
        headers in prop::collection::vec(
            (prop_oneof![
                Just("ETag".to_string()),
                Just("schedule-tag".to_string()),
                Just("Retry-After".to_string()),
                Just("Date".to_string()),
                Just("Content-Type".to_string()),
                Just("Location".to_string()),
                any::<String>(),
            ], nasty_string()),
            0..5,
        ),
        body in prop_oneof![
            Just(None),
            nasty_string().prop_map(Some),
            "<[dD]:error xmlns:[dD]=\"DAV:\">(<[a-z:-]{1,12}/?>){0,4}(</[dD]:error>)?".prop_map(Some),
        ],
        sent in prop::option::of(prop::collection::btree_map(
            prop_oneof![
                Just("If-Match".to_string()),
                Just("If-None-Match".to_string()),
                Just("If-Schedule-Tag-Match".to_string()),
            ],
            nasty_string(),
            0..3,
        )),
        attempt in prop::option::of(0u32..5),
        max_attempts in prop::option::of(0u32..5),
    ) {
        let input = ResponseInput { method, status, headers, body, sent, attempt, max_attempts };
        if let Ok(v) = classify_response(&input) {
            prop_assert!(!v.message.is_empty());
            if let Some(etag) = &v.etag {
                let tag = parse_entity_tag(etag).unwrap();
                prop_assert!(!tag.weak, "only strong ETags are kept");
            }
            if let Some(tag) = &v.schedule_tag {
                prop_assert!(parse_schedule_tag(tag).is_ok());
            }
            // What is kept for the next write can be sent with it, byte for byte.
            if v.etag.is_some() || v.schedule_tag.is_some() {
                let headers = precondition_headers(&PreconditionOptions {
                    intent: Intent::Update,
                    etag: v.etag.clone(),
                    schedule_tag: v.schedule_tag.clone(),
                    schedule_reply: None,
                }).unwrap();
                let sent = headers.values().next().unwrap();
                prop_assert_eq!(Some(sent), v.schedule_tag.as_ref().or(v.etag.as_ref()));
            }
        } else {
            prop_assert!(
                !(100..=599).contains(&status) || attempt == Some(0) || max_attempts == Some(0)
            );
        }
    }
}
