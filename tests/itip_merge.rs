//! Merge scenarios: the seed conflict story (RFC 6638 B.3) and M1-M24 of VECTORS.md, named after
//! them, plus per-instance cases.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]

use caldav_sched::ical::Document;
use caldav_sched::itip::{merge, Addresses, Change, MergeOptions, MergeResult, MergedRole, OnReschedule, RoleOption};
use caldav_sched::ErrorCode;

const WILFREDO: &str = "mailto:wilfredo@example.com";
const BERNARD: &str = "mailto:bernard@example.net";
const CYRUS: &str = "mailto:cyrus@example.com";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/merge/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn opts(local: &str, server: &str, base: Option<&str>, me: &str) -> MergeOptions {
    MergeOptions::new(local, server, base, me)
}

fn run(o: &MergeOptions) -> MergeResult {
    let r = merge(o).unwrap();
    // Every output must parse, with ours and with an independent parser.
    Document::parse(r.data.as_bytes()).unwrap();
    assert!(
        r.data.parse::<icalendar::Calendar>().is_ok(),
        "independent parser rejects:\n{}",
        r.data
    );
    r
}

/// Unfolded content lines, to look for a line whatever its folding.
fn unfolded(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "")
}

fn has(r: &MergeResult, needle: &str) -> bool {
    unfolded(&r.data).contains(needle)
}

fn mentions(list: &[Change], property: &str) -> bool {
    list.iter().any(|c| c.property.as_deref() == Some(property))
}

/// Lines of `server` not present byte-identically in `out` (as physical line groups).
fn changed_lines(server: &str, out: &str) -> Vec<String> {
    let out_lines: Vec<&str> = out.split("\r\n").collect();
    server
        .split("\r\n")
        .filter(|l| !out_lines.contains(l))
        .map(str::to_string)
        .collect()
}

fn print(label: &str, r: &MergeResult) {
    println!("== {label}");
    for (kind, list) in [("kept", &r.kept), ("dropped", &r.dropped), ("conflicts", &r.conflicts)] {
        for c in list {
            println!(
                "  {kind}: {} {} {}: {}",
                c.component,
                c.recurrence_id.as_deref().unwrap_or("-"),
                c.property.as_deref().unwrap_or("-"),
                c.what
            );
        }
    }
    println!(
        "  rescheduled={} needsConfirmation={} unchanged={}",
        r.rescheduled, r.needs_confirmation, r.unchanged
    );
}

// ---------------------------------------------------------------------------------------------
// The seed conflict story: Wilfredo accepted and added a 15-minute alarm, but the organizer
// moved the meeting first: the server copy has a new DTSTART, SEQUENCE 1, Wilfredo NEEDS-ACTION.

fn seed(mode: OnReschedule, with_base: bool) -> MergeResult {
    let base = fixture("seed-base.ics");
    let mut o = opts(
        &fixture("seed-local.ics"),
        &fixture("seed-server-moved.ics"),
        with_base.then_some(base.as_str()),
        WILFREDO,
    );
    o.on_reschedule = mode;
    run(&o)
}

#[test]
fn seed_story_ask() {
    for with_base in [true, false] {
        let r = seed(OnReschedule::Ask, with_base);
        print(&format!("seed ask (base: {with_base})"), &r);
        assert_eq!(r.role, MergedRole::Attendee);
        assert!(r.rescheduled && r.needs_confirmation && !r.unchanged);
        // The server's NEEDS-ACTION stays, the alarm is carried, the new time is kept.
        assert!(has(&r, "PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"));
        assert!(has(&r, "BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM"));
        assert!(has(&r, "DTSTART:20090602T170000Z") && has(&r, "SEQUENCE:1"));
        assert!(mentions(&r.kept, "VALARM"));
        assert!(mentions(&r.conflicts, "PARTSTAT"));
        // Only the alarm was added: every server line is still there byte-identical.
        assert!(changed_lines(&fixture("seed-server-moved.ics"), &r.data).is_empty());
    }
}

#[test]
fn seed_story_keep() {
    for with_base in [true, false] {
        let r = seed(OnReschedule::Keep, with_base);
        print(&format!("seed keep (base: {with_base})"), &r);
        assert!(r.rescheduled && !r.needs_confirmation);
        assert!(has(&r, "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"));
        assert!(has(&r, "TRIGGER:-PT15M"));
        assert!(mentions(&r.kept, "PARTSTAT") && mentions(&r.kept, "VALARM"));
        // Only Wilfredo's line changed.
        let changed = changed_lines(&fixture("seed-server-moved.ics"), &r.data);
        assert!(changed.iter().all(|l| l.contains("PARTSTAT") || l.contains("=NEEDS-ACTION") || l.contains("wilfredo") || l.contains("ple.com")), "{changed:?}");
    }
}

#[test]
fn seed_story_reset() {
    let r = seed(OnReschedule::Reset, true);
    print("seed reset", &r);
    assert!(r.rescheduled && !r.needs_confirmation);
    assert!(has(&r, "PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"));
    assert!(has(&r, "TRIGGER:-PT15M"));
    assert!(mentions(&r.dropped, "PARTSTAT"));
}

// ---------------------------------------------------------------------------------------------
// M1-M24.

#[test]
fn s1_step5_bookkeeping_after_delivery_is_adopted() {
    // S1 step 5: after my PUT the server only added SCHEDULE-STATUS=1.2 and a new DTSTAMP.
    let server = fixture("seed-server-delivered.ics");
    let r = run(&opts(&fixture("seed-local.ics"), &server, Some(&fixture("seed-base.ics")), WILFREDO));
    assert!(r.unchanged && r.data == server);
    assert!(r.conflicts.is_empty() && r.dropped.is_empty());
}

#[test]
fn m1_inconsequential_remote_change() {
    let server = fixture("seed-server-bernard.ics");
    for base in [Some(fixture("seed-base.ics")), None] {
        let r = run(&opts(&fixture("seed-local.ics"), &server, base.as_deref(), WILFREDO));
        print("M1", &r);
        assert!(!r.rescheduled && !r.needs_confirmation && !r.unchanged);
        assert!(has(&r, "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"));
        assert!(has(&r, "PARTSTAT=ACCEPTED;SCHEDULE-STATUS=2.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard@example.net"));
        assert!(has(&r, "TRIGGER:-PT15M"));
        assert!(mentions(&r.kept, "PARTSTAT") && mentions(&r.kept, "VALARM"));
        assert!(r.conflicts.is_empty());
    }
}

#[test]
fn m2_reschedule_invalidates_local_acceptance() {
    let r = seed(OnReschedule::Ask, true);
    assert!(has(&r, "NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"));
    assert!(r.conflicts.iter().any(|c| c.property.as_deref() == Some("PARTSTAT") && c.what.contains("moved")));
}

#[test]
fn m3_summary_change_is_not_a_reschedule() {
    let server = fixture("seed-base.ics")
        .replace("SUMMARY:Lunch", "SUMMARY:Team lunch")
        .replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    for base in [Some(fixture("seed-base.ics")), None] {
        let r = run(&opts(&fixture("seed-local.ics"), &server, base.as_deref(), WILFREDO));
        assert!(!r.rescheduled && !r.needs_confirmation);
        assert!(has(&r, "SUMMARY:Team lunch"));
        assert!(has(&r, "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
        assert!(has(&r, "TRIGGER:-PT15M"));
        // Without a base my stale SUMMARY is not taken for an edit of mine.
        assert!(r.dropped.is_empty(), "{:?}", r.dropped);
    }
}

#[test]
fn m4_forbidden_local_edits_are_dropped_and_reported() {
    let base = fixture("seed-base.ics");
    let local = fixture("seed-local.ics")
        .replace("SUMMARY:Lunch", "SUMMARY:My lunch\r\nLOCATION:Café");
    let r = run(&opts(&local, &fixture("seed-server-bernard.ics"), Some(&base), WILFREDO));
    print("M4", &r);
    assert!(has(&r, "SUMMARY:Lunch") && !has(&r, "LOCATION"));
    assert!(has(&r, "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
    assert!(mentions(&r.dropped, "SUMMARY") && mentions(&r.dropped, "LOCATION"));
    assert!(mentions(&r.kept, "PARTSTAT"));
    assert!(r.dropped.iter().all(|c| c.what.contains("only the organizer")));
}
