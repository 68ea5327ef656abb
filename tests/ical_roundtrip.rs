//! Native tests of the lossless iCalendar layer: fixtures covering every feature round-trip
//! byte-identical, edits touch only their own lines, errors name lines, and an independent parser
//! (the `icalendar` crate) accepts what we write.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use caldav_sched::ical::{normalize_address, Document, Limits, Node, Property};
use caldav_sched::ErrorCode;
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/ical/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn all_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = format!("{}/tests/fixtures/ical", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ics"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

fn event(doc: &Document) -> &caldav_sched::ical::Component {
    doc.calendar()
        .unwrap()
        .components_named("VEVENT")
        .next()
        .unwrap()
}

#[test]
fn every_fixture_round_trips_byte_identical() {
    let fixtures = all_fixtures();
    assert!(fixtures.len() >= 3);
    for (name, bytes) in fixtures {
        let doc = Document::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.to_bytes(), bytes, "{name}");
    }
}

#[test]
fn tree_shape_and_lazy_values() {
    let doc = Document::parse(&fixture("all-features-crlf.ics")).unwrap();
    let cal = doc.calendar().unwrap();
    let names: Vec<&str> = cal.components().map(|c| c.name()).collect();
    assert_eq!(
        names,
        ["VTIMEZONE", "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"]
    );
    let tz = cal.components_named("vtimezone").next().unwrap();
    let subs: Vec<&str> = tz.components().map(|c| c.name()).collect();
    assert_eq!(subs, ["DAYLIGHT", "STANDARD"]);
    let ev = event(&doc);
    // Folded TEXT unfolds, then unescapes.
    assert_eq!(
        ev.property("summary").unwrap().text_value(),
        "Café planning, budget; \\ and \nnotes: more text that is long enough to be folded across two physical lines"
    );
    // A fold inside a two-byte character decodes correctly (unfold on bytes, then decode).
    assert!(ev
        .property("DESCRIPTION")
        .unwrap()
        .text_value()
        .contains("grüße aus Berlin"));
    let org = ev.property("ORGANIZER").unwrap();
    assert_eq!(org.param_value("CN").unwrap(), "Doe, John: Boss");
    assert_eq!(
        org.param_value("sent-by").unwrap(),
        "mailto:assistant@example.com"
    );
    assert_eq!(org.value(), "mailto:john@example.com");
    let atts: Vec<&Property> = ev.properties_named("ATTENDEE").collect();
    assert_eq!(atts.len(), 2);
    assert_eq!(
        atts[0].param_value("CN").unwrap(),
        "George Herman \"Babe\" Ruth"
    );
    assert_eq!(
        atts[1].param_values("DELEGATED-TO"),
        ["mailto:a@example.com", "mailto:b@example.com"]
    );
    assert_eq!(atts[1].param_value("PARTSTAT").unwrap(), "needs-action");
    assert_eq!(
        normalize_address(atts[1].value()),
        "mailto:wilfredo@example.com"
    );
    let x = ev.property("X-VENDOR-PROP").unwrap();
    assert_eq!(x.param_values("X-PARAM"), ["a", "b", "c:d"]);
    let comps: Vec<&str> = ev.components().map(|c| c.name()).collect();
    assert_eq!(comps, ["VALARM", "X-VENDOR-THING"]);
}

#[test]
fn l3_only_the_edited_line_changes() {
    let bytes = fixture("all-features-crlf.ics");
    let mut doc = Document::parse(&bytes).unwrap();
    let cal = doc.calendar_mut().unwrap();
    let ev = cal.components_mut().find(|c| c.is("VEVENT")).unwrap();
    let me = ev
        .properties_mut()
        .find(|p| p.is("ATTENDEE") && normalize_address(p.value()) == "mailto:wilfredo@example.com")
        .unwrap();
    me.set_param("PARTSTAT", &["ACCEPTED"]);
    let out = doc.to_bytes();
    let old = "attendee;partstat=needs-action;delegated-to=\"mailto:a@example.com\",\"mailto:b@example.com\";X-CUSTOM=1:MAILTO:Wilfredo@Example.com\r\n";
    let new = "attendee;partstat=ACCEPTED;delegated-to=\"mailto:a@example.com\",\"mailto:b@ex\r\n ample.com\";X-CUSTOM=1:MAILTO:Wilfredo@Example.com\r\n";
    let text = String::from_utf8_lossy(&bytes).replace(old, new);
    assert_ne!(text, String::from_utf8_lossy(&bytes));
    // Every other byte is identical; the changed line is canonical (CRLF, folded at 75).
    assert_eq!(String::from_utf8_lossy(&out), text);
    assert!(new.split("\r\n").all(|l| l.len() <= 75));
}

#[test]
fn l11_lf_input_new_lines_get_crlf_old_lines_keep_lf() {
    let bytes = fixture("lf-no-final-eol.ics");
    let mut doc = Document::parse(&bytes).unwrap();
    let ev = doc.calendar_mut().unwrap().components_mut().next().unwrap();
    ev.push_property(Property::new_text("COMMENT", "Hi").unwrap());
    let out = String::from_utf8(doc.to_bytes()).unwrap();
    assert!(out.contains("X-EMPTY-NEXT:1\n\nDESCRIPTION:folded with a tab\n\tcontinuation\nCOMMENT:Hi\r\nEND:VEVENT\nEND:VCALENDAR"));
    assert!(out.ends_with("END:VCALENDAR"));
    // The lower-case property name is recognised and kept as written.
    let doc = Document::parse(&bytes).unwrap();
    let ev = event(&doc);
    assert_eq!(ev.property("SUMMARY").unwrap().name(), "summary");
    assert_eq!(
        ev.property("DESCRIPTION").unwrap().value(),
        "folded with a tabcontinuation"
    );
}

#[test]
fn bom_and_mixed_endings_survive() {
    let bytes = fixture("bom-mixed-eol.ics");
    let doc = Document::parse(&bytes).unwrap();
    assert!(matches!(doc.nodes.first(), Some(Node::Verbatim(v)) if v.bytes() == b"\xEF\xBB\xBF"));
    assert_eq!(event(&doc).value_of("UID"), Some("bom-mixed"));
}

#[test]
fn cr_only_files_are_read() {
    let bytes = b"BEGIN:VCALENDAR\rBEGIN:VEVENT\rUID:mac\rEND:VEVENT\rEND:VCALENDAR\r";
    let doc = Document::parse(bytes).unwrap();
    assert_eq!(event(&doc).value_of("UID"), Some("mac"));
    assert_eq!(doc.to_bytes(), bytes);
    // A changed line in such a file ends with CR too, so the output still reads the same way.
    let mut doc = doc;
    let ev = doc.calendar_mut().unwrap().components_mut().next().unwrap();
    ev.push_property(Property::new_text("SUMMARY", &"long ".repeat(20)).unwrap());
    let out = doc.to_bytes();
    assert!(!out.contains(&b'\n'));
    let again = Document::parse(&out).unwrap();
    assert_eq!(
        event(&again).property("SUMMARY").unwrap().text_value(),
        "long ".repeat(20)
    );
}

#[test]
fn new_lines_fold_and_quote_canonically() {
    let mut doc = Document::parse(&fixture("lf-no-final-eol.ics")).unwrap();
    let ev = doc.calendar_mut().unwrap().components_mut().next().unwrap();
    let mut att = Property::new("ATTENDEE", "mailto:someone@example.com").unwrap();
    att.set_param("CN", &["Doe, Jane"]);
    att.set_param("DELEGATED-FROM", &["mailto:x@example.com"]);
    ev.push_property(att);
    ev.push_property(Property::new_text("COMMENT", &"ü".repeat(60)).unwrap());
    let out = doc.to_bytes();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.replace("\r\n ", "").contains("ATTENDEE;CN=\"Doe, Jane\";DELEGATED-FROM=\"mailto:x@example.com\":mailto:someone@example.com\r\n"));
    for l in text.split('\n') {
        assert!(l.trim_end_matches('\r').len() <= 75, "{l:?}");
    }
    let again = Document::parse(&out).unwrap();
    let ev = event(&again);
    assert_eq!(ev.property("COMMENT").unwrap().text_value(), "ü".repeat(60));
}

#[test]
fn errors_name_the_line() {
    let cases: &[(&[u8], ErrorCode, Option<usize>)] = &[
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VCALENDAR\r\n",
            ErrorCode::Parse,
            Some(4),
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n",
            ErrorCode::Parse,
            Some(2),
        ),
        (
            b"BEGIN:VCALENDAR\r\nEND:VEVENT\r\n",
            ErrorCode::Parse,
            Some(2),
        ),
        (
            b"BEGIN:VCALENDAR\r\nSUMMARY\r\nEND:VCALENDAR\r\n",
            ErrorCode::Parse,
            Some(2),
        ),
        (b" leading continuation\r\n", ErrorCode::Parse, Some(1)),
        (b"UID:x\r\n", ErrorCode::Parse, Some(1)),
        (
            b"BEGIN:VCALENDAR\r\nSUMMARY:\xff\xfe\r\nEND:VCALENDAR\r\n",
            ErrorCode::Parse,
            Some(2),
        ),
        (b"", ErrorCode::Parse, None),
    ];
    for (input, code, line) in cases {
        let err = Document::parse(input).unwrap_err();
        assert_eq!((err.code, err.line), (*code, *line), "{err}");
        if let Some(l) = line {
            assert!(
                err.message.starts_with(&format!("line {l}: ")),
                "{}",
                err.message
            );
        }
    }
}

#[test]
fn limits_are_errors_not_crashes() {
    let small = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        Document::parse_with(&fixture("bom-mixed-eol.ics"), &small)
            .unwrap_err()
            .code,
        ErrorCode::TooLarge
    );
    let nested = format!(
        "{}{}",
        "BEGIN:X\r\n".repeat(10_000),
        "END:X\r\n".repeat(10_000)
    );
    let err = Document::parse(nested.as_bytes()).unwrap_err();
    assert_eq!((err.code, err.line), (ErrorCode::TooLarge, Some(33)));
    let many = format!(
        "BEGIN:VCALENDAR\r\nX{}:v\r\nEND:VCALENDAR\r\n",
        ";A=b".repeat(100_000)
    );
    assert_eq!(
        Document::parse(many.as_bytes()).unwrap_err().code,
        ErrorCode::TooLarge
    );
    let lines = Limits {
        max_lines: 2,
        ..Limits::default()
    };
    assert_eq!(
        Document::parse_with(&fixture("bom-mixed-eol.ics"), &lines)
            .unwrap_err()
            .code,
        ErrorCode::TooLarge
    );
}

/// The `icalendar` crate, an independent parser, reads our output with the same properties.
#[test]
fn independent_parser_accepts_our_output() {
    let mut doc = Document::parse(&fixture("all-features-crlf.ics")).unwrap();
    let ev = doc
        .calendar_mut()
        .unwrap()
        .components_mut()
        .find(|c| c.is("VEVENT"))
        .unwrap();
    // This fixture folds inside a UTF-8 character on purpose; the other parser reads &str.
    ev.remove_properties(|p| p.is("DESCRIPTION"));
    for p in ev.properties_mut().filter(|p| p.is("ATTENDEE")) {
        p.set_param("PARTSTAT", &["ACCEPTED"]);
        p.set_param("CN", &["Name, with: specials \"quoted\""]);
    }
    ev.push_property(
        Property::new_text("COMMENT", &format!("{}\nline two; a, b", "é".repeat(50))).unwrap(),
    );
    let out = String::from_utf8(doc.to_bytes()).unwrap();
    let unfolded = icalendar::parser::unfold(&out);
    let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
    let vevent = cal.components.iter().find(|c| c.name == "VEVENT").unwrap();
    let attendees: Vec<_> = vevent
        .properties
        .iter()
        .filter(|p| p.name.as_str().eq_ignore_ascii_case("ATTENDEE"))
        .collect();
    assert_eq!(attendees.len(), 2);
    for a in attendees {
        let partstat = a
            .params
            .iter()
            .find(|p| p.key.as_str().eq_ignore_ascii_case("PARTSTAT"))
            .unwrap();
        assert_eq!(partstat.val.as_ref().map(|v| v.as_str()), Some("ACCEPTED"));
    }
    let ours = Document::parse(out.as_bytes()).unwrap();
    let comment = event(&ours).property("COMMENT").unwrap();
    let theirs = vevent
        .properties
        .iter()
        .find(|p| p.name == "COMMENT")
        .unwrap();
    assert_eq!(theirs.val.as_str(), comment.text_value());
}

fn arb_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("SUMMARY".to_string()),
        Just("attendee".to_string()),
        Just("X-Custom".to_string()),
        "[A-Z][A-Z0-9-]{0,8}",
    ]
}

fn arb_param() -> impl Strategy<Value = String> {
    (
        "[A-Za-z][A-Za-z-]{0,6}",
        prop::collection::vec(
            prop_oneof![
                "[^\"\\x00-\\x1f\\x7f;:,\\\\]{0,10}".prop_map(|s| s),
                "[^\"\\x00-\\x1f\\x7f]{0,10}".prop_map(|s| format!("\"{s}\"")),
            ],
            1..3,
        ),
    )
        .prop_map(|(n, v)| format!("{n}={}", v.join(",")))
}

fn arb_line() -> impl Strategy<Value = String> {
    (
        arb_name(),
        prop::collection::vec(arb_param(), 0..3),
        "[^\\x00-\\x1f\\x7f]{0,120}",
    )
        .prop_filter("no BEGIN/END", |(n, _, _)| {
            !n.eq_ignore_ascii_case("BEGIN") && !n.eq_ignore_ascii_case("END")
        })
        .prop_map(|(n, ps, v)| {
            let mut l = n;
            for p in ps {
                l.push(';');
                l.push_str(&p);
            }
            l.push(':');
            l.push_str(&v);
            l
        })
}

/// Writes a logical line with an arbitrary fold width (counted in bytes, so folds may fall
/// inside a UTF-8 character) and a chosen line ending.
fn physical(line: &str, width: usize, eol: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, chunk) in line.as_bytes().chunks(width.max(2)).enumerate() {
        if i > 0 {
            out.extend_from_slice(eol.as_bytes());
            out.push(b' ');
        }
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(eol.as_bytes());
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// parse(x) then serialise is the identity on generated documents, however folded.
    #[test]
    fn generated_documents_round_trip(
        lines in prop::collection::vec((arb_line(), 2usize..90, prop_oneof![Just("\r\n"), Just("\n")]), 0..20),
        nested in any::<bool>(),
    ) {
        let mut bytes = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\n".to_vec();
        for (l, w, eol) in &lines {
            bytes.extend(physical(l, *w, eol));
        }
        if nested {
            bytes.extend_from_slice(b"BEGIN:X-THING\r\nX-A:1\r\nEND:X-THING\r\n");
        }
        bytes.extend_from_slice(b"END:VEVENT\r\nEND:VCALENDAR\r\n");
        let doc = Document::parse(&bytes).unwrap();
        prop_assert_eq!(doc.to_bytes(), bytes.clone());
        let ev = event(&doc);
        let got: Vec<String> = ev.properties().map(|p| p.text().to_string()).collect();
        let want: Vec<String> = lines.iter().map(|(l, _, _)| l.clone()).collect();
        prop_assert_eq!(got, want);
    }

    /// Anything that parses writes back byte-identical; nothing panics.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut input = b"BEGIN:VCALENDAR\r\n".to_vec();
        input.extend_from_slice(&bytes);
        if let Ok(doc) = Document::parse(&input) {
            prop_assert_eq!(doc.to_bytes(), input);
        }
        if let Ok(doc) = Document::parse(&bytes) {
            prop_assert_eq!(doc.to_bytes(), bytes);
        }
    }

    /// Rewriting every property canonically still reads back the same logical lines.
    #[test]
    fn canonical_rewrite_preserves_content(lines in prop::collection::vec(arb_line(), 1..10)) {
        let mut bytes = b"BEGIN:VCALENDAR\r\n".to_vec();
        for l in &lines { bytes.extend(physical(l, 200, "\r\n")); }
        bytes.extend_from_slice(b"END:VCALENDAR\r\n");
        let mut doc = Document::parse(&bytes).unwrap();
        let cal = doc.calendar_mut().unwrap();
        for p in cal.properties_mut() {
            p.set_param("X-TOUCHED", &["a,b", "c"]);
        }
        let out = doc.to_bytes();
        let again = Document::parse(&out).unwrap();
        for (p, l) in again.calendar().unwrap().properties().zip(&lines) {
            prop_assert_eq!(p.param_values("X-TOUCHED"), vec!["a,b".to_string(), "c".to_string()]);
            let parsed = Property::parse(l, 0).unwrap();
            prop_assert_eq!(p.name(), parsed.name());
        }
        for l in String::from_utf8(out).unwrap().split("\r\n") {
            prop_assert!(l.len() <= 75);
        }
    }
}
