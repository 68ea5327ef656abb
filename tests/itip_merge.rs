//! Merge scenarios: the seed conflict story (RFC 6638 B.3) and M1-M24 of VECTORS.md, named after
//! them, plus per-instance cases.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]

use caldav_sched::ical::Document;
use caldav_sched::itip::{
    merge, merge_owned, Addresses, Change, MergeOptions, MergeResult, MergedRole, OnReschedule,
    RoleOption,
};
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
    // The JS boundary hands the copies over: the owned variant must say exactly the same.
    assert_eq!(merge_owned(o.clone()).unwrap(), r);
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
    for (kind, list) in [
        ("kept", &r.kept),
        ("dropped", &r.dropped),
        ("conflicts", &r.conflicts),
    ] {
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
        assert!(has(
            &r,
            "PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"
        ));
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
        assert!(has(
            &r,
            "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"
        ));
        assert!(has(&r, "TRIGGER:-PT15M"));
        assert!(mentions(&r.kept, "PARTSTAT") && mentions(&r.kept, "VALARM"));
        // Only Wilfredo's line changed.
        let changed = changed_lines(&fixture("seed-server-moved.ics"), &r.data);
        assert!(
            changed.iter().all(|l| l.contains("PARTSTAT")
                || l.contains("=NEEDS-ACTION")
                || l.contains("wilfredo")
                || l.contains("ple.com")),
            "{changed:?}"
        );
    }
}

#[test]
fn seed_story_reset() {
    let r = seed(OnReschedule::Reset, true);
    print("seed reset", &r);
    assert!(r.rescheduled && !r.needs_confirmation);
    assert!(has(
        &r,
        "PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"
    ));
    assert!(has(&r, "TRIGGER:-PT15M"));
    assert!(mentions(&r.dropped, "PARTSTAT"));
}

// ---------------------------------------------------------------------------------------------
// M1-M24.

#[test]
fn s1_step5_bookkeeping_after_delivery_is_adopted() {
    // S1 step 5: after my PUT the server only added SCHEDULE-STATUS=1.2 and a new DTSTAMP.
    let server = fixture("seed-server-delivered.ics");
    let r = run(&opts(
        &fixture("seed-local.ics"),
        &server,
        Some(&fixture("seed-base.ics")),
        WILFREDO,
    ));
    assert!(r.unchanged && r.data == server);
    assert!(r.conflicts.is_empty() && r.dropped.is_empty());
}

#[test]
fn m1_inconsequential_remote_change() {
    let server = fixture("seed-server-bernard.ics");
    for base in [Some(fixture("seed-base.ics")), None] {
        let r = run(&opts(
            &fixture("seed-local.ics"),
            &server,
            base.as_deref(),
            WILFREDO,
        ));
        print("M1", &r);
        assert!(!r.rescheduled && !r.needs_confirmation && !r.unchanged);
        assert!(has(
            &r,
            "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"
        ));
        assert!(has(&r, "PARTSTAT=ACCEPTED;SCHEDULE-STATUS=2.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard@example.net"));
        assert!(has(&r, "TRIGGER:-PT15M"));
        assert!(mentions(&r.kept, "PARTSTAT") && mentions(&r.kept, "VALARM"));
        assert!(r.conflicts.is_empty());
    }
}

#[test]
fn m2_reschedule_invalidates_local_acceptance() {
    let r = seed(OnReschedule::Ask, true);
    assert!(has(
        &r,
        "NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"
    ));
    assert!(r
        .conflicts
        .iter()
        .any(|c| c.property.as_deref() == Some("PARTSTAT") && c.what.contains("moved")));
}

#[test]
fn m3_summary_change_is_not_a_reschedule() {
    let server = fixture("seed-base.ics")
        .replace("SUMMARY:Lunch", "SUMMARY:Team lunch")
        .replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    for base in [Some(fixture("seed-base.ics")), None] {
        let r = run(&opts(
            &fixture("seed-local.ics"),
            &server,
            base.as_deref(),
            WILFREDO,
        ));
        assert!(!r.rescheduled && !r.needs_confirmation);
        assert!(has(&r, "SUMMARY:Team lunch"));
        assert!(has(
            &r,
            "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"
        ));
        assert!(has(&r, "TRIGGER:-PT15M"));
        // Without a base my stale SUMMARY is not taken for an edit of mine.
        assert!(r.dropped.is_empty(), "{:?}", r.dropped);
    }
}

#[test]
fn m4_forbidden_local_edits_are_dropped_and_reported() {
    let base = fixture("seed-base.ics");
    let local =
        fixture("seed-local.ics").replace("SUMMARY:Lunch", "SUMMARY:My lunch\r\nLOCATION:Café");
    let r = run(&opts(
        &local,
        &fixture("seed-server-bernard.ics"),
        Some(&base),
        WILFREDO,
    ));
    print("M4", &r);
    assert!(has(&r, "SUMMARY:Lunch") && !has(&r, "LOCATION"));
    assert!(has(
        &r,
        "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"
    ));
    assert!(mentions(&r.dropped, "SUMMARY") && mentions(&r.dropped, "LOCATION"));
    assert!(mentions(&r.kept, "PARTSTAT"));
    assert!(r
        .dropped
        .iter()
        .all(|c| c.what.contains("only the organizer")));
}

fn with_alarm_uid(text: &str, extra: &str) -> String {
    text.replace(
        "BEGIN:VALARM\r\nTRIGGER:-PT15M",
        &format!("BEGIN:VALARM\r\nUID:A1\r\n{extra}TRIGGER:-PT15M"),
    )
}

#[test]
fn m6_acknowledged_alarm_keeps_the_latest_acknowledgement() {
    let base = with_alarm_uid(&fixture("seed-local.ics"), "");
    let server = with_alarm_uid(&fixture("seed-server-delivered.ics"), "");
    let local = with_alarm_uid(
        &fixture("seed-local.ics"),
        "ACKNOWLEDGED:20090602T154500Z\r\n",
    );
    for b in [Some(base.as_str()), None] {
        let r = run(&opts(&local, &server, b, WILFREDO));
        assert!(has(&r, "ACKNOWLEDGED:20090602T154500Z"));
        assert!(has(&r, "SCHEDULE-STATUS=1.2"));
        assert_eq!(unfolded(&r.data).matches("BEGIN:VALARM").count(), 1);
        assert!(r.conflicts.is_empty());
    }
    // Both acknowledged: the later acknowledgement wins, no conflict.
    let server_later = with_alarm_uid(
        &fixture("seed-server-delivered.ics"),
        "ACKNOWLEDGED:20090602T155500Z\r\n",
    );
    let r = run(&opts(&local, &server_later, Some(&base), WILFREDO));
    assert!(r.unchanged && has(&r, "ACKNOWLEDGED:20090602T155500Z"));
    assert!(r.conflicts.is_empty());
}

#[test]
fn m7_snooze_kept_unless_its_alarm_is_gone() {
    let base = with_alarm_uid(&fixture("seed-local.ics"), "");
    let snooze = "BEGIN:VALARM\r\nUID:S1\r\nTRIGGER;VALUE=DATE-TIME:20090602T155500Z\r\nACTION:DISPLAY\r\nDESCRIPTION:Snoozed\r\nRELATED-TO;RELTYPE=SNOOZE:A1\r\nEND:VALARM\r\nEND:VEVENT";
    let local = base.replace(
        "END:VALARM\r\nEND:VEVENT",
        &format!("END:VALARM\r\n{snooze}"),
    );
    let server = with_alarm_uid(&fixture("seed-server-delivered.ics"), "");
    let r = run(&opts(&local, &server, Some(&base), WILFREDO));
    assert!(has(&r, "RELATED-TO;RELTYPE=SNOOZE:A1") && mentions(&r.kept, "VALARM"));
    // Another client of mine deleted A1 meanwhile: the snooze has nothing to snooze.
    let server_without = fixture("seed-server-delivered.ics")
        .replace("BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n", "");
    let r = run(&opts(&local, &server_without, Some(&base), WILFREDO));
    print("M7", &r);
    assert!(!has(&r, "SNOOZE") && !has(&r, "BEGIN:VALARM"));
    assert!(r
        .dropped
        .iter()
        .any(|c| c.property.as_deref() == Some("VALARM") && c.what.contains("snooze")));
    assert!(r.kept.is_empty(), "{:?}", r.kept);
}

fn series() -> String {
    fixture("series-base.ics")
}

fn add_override(cal: &str, over: &str) -> String {
    cal.replace(
        "END:VEVENT\r\nEND:VCALENDAR",
        &format!("END:VEVENT\r\n{over}END:VCALENDAR"),
    )
}

const BERNARD_LINE: &str = "ATTENDEE;CN=\"Bernard Desruisseaux\";CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;\r\n ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard@example.net";

/// An override of the series for one occurrence, with Bernard's answer.
fn occurrence(rid: &str, start: &str, end: &str, partstat: &str, extra: &str) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:DC3D0301C7790B38631F1FBB\r\nSEQUENCE:0\r\nDTSTAMP:20090602T185254Z\r\n{rid}\r\nDTSTART;TZID=America/Montreal:{start}\r\nDTEND;TZID=America/Montreal:{end}\r\nSUMMARY:Review Internet-Draft\r\nORGANIZER;CN=\"Cyrus Daboo\":mailto:cyrus@example.com\r\nATTENDEE;CN=\"Cyrus Daboo\";CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com\r\n{}\r\n{extra}END:VEVENT\r\n",
        BERNARD_LINE.replace("PARTSTAT=ACCEPTED", &format!("PARTSTAT={partstat}"))
    )
}

#[test]
fn m8_exdate_for_a_vanished_instance_is_dropped() {
    let base = series();
    let local = base.replace(
        "RRULE:FREQ=DAILY;COUNT=5\r\n",
        "RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=America/Montreal:20090603T150000\r\n",
    );
    // The organizer shortened the series to two days: June 3 no longer exists.
    let server = base
        .replace("COUNT=5", "COUNT=2")
        .replace("SEQUENCE:0", "SEQUENCE:1");
    let r = run(&opts(&local, &server, Some(&base), BERNARD));
    print("M8", &r);
    assert!(r.unchanged && r.data == server);
    assert!(mentions(&r.dropped, "EXDATE"));
    assert!(!r.rescheduled, "a COUNT-only change is not a reschedule");
    // The instance still exists: the exclusion is carried (RFC 6638 B.8).
    let server = base.replace("SUMMARY:Review Internet-Draft", "SUMMARY:Review the draft");
    let r = run(&opts(&local, &server, Some(&base), BERNARD));
    assert!(has(&r, "RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=America/Montreal:20090603T150000\r\nSUMMARY:Review the draft"));
    assert!(mentions(&r.kept, "EXDATE"));
}

#[test]
fn m9_my_override_for_an_instance_the_organizer_removed_is_dropped() {
    let base = series();
    let mine = occurrence(
        "RECURRENCE-ID;TZID=America/Montreal:20090603T150000",
        "20090603T150000",
        "20090603T160000",
        "DECLINED",
        "TRANSP:TRANSPARENT\r\n",
    );
    let local = add_override(&base, &mine);
    // The organizer removed June 3 with an EXDATE.
    let server = base
        .replace(
            "RRULE:FREQ=DAILY;COUNT=5\r\n",
            "RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=America/Montreal:20090603T150000\r\n",
        )
        .replace("SEQUENCE:0", "SEQUENCE:1");
    for b in [Some(base.as_str()), None] {
        let r = run(&opts(&local, &server, b, BERNARD));
        print("M9 (organizer removed the occurrence I declined)", &r);
        assert!(r.unchanged && r.data == server);
        assert_eq!(r.dropped.len(), 1);
        assert_eq!(
            r.dropped[0].recurrence_id.as_deref(),
            Some("20090603T150000")
        );
        assert!(r.dropped[0].what.contains("removed or moved"));
    }
    // The organizer moved the whole series one hour later: June 3 15:00 no longer exists either.
    let server = base
        .replace("20090601T150000", "20090601T160000")
        .replace("20090601T160000\r\nRRULE", "20090601T170000\r\nRRULE")
        .replace("SEQUENCE:0", "SEQUENCE:1");
    let r = run(&opts(&local, &server, Some(&base), BERNARD));
    print("M9 (organizer moved the series)", &r);
    assert!(r
        .dropped
        .iter()
        .any(|c| c.recurrence_id.as_deref() == Some("20090603T150000")));
}

#[test]
fn m9b_my_override_for_an_existing_instance_is_rebuilt_from_the_server_master() {
    let base = series();
    let mine = occurrence(
        "RECURRENCE-ID;TZID=America/Montreal:20090603T150000",
        "20090603T150000",
        "20090603T160000",
        "DECLINED",
        "TRANSP:TRANSPARENT\r\n",
    );
    let local = add_override(&base, &mine);
    let server = base.replace("SUMMARY:Review Internet-Draft", "SUMMARY:Review draft 2");
    for b in [Some(base.as_str()), None] {
        let r = run(&opts(&local, &server, b, BERNARD));
        print("M9b (occurrence still there)", &r);
        let doc = unfolded(&r.data);
        let over = &doc[doc.find("RECURRENCE-ID").unwrap()..];
        assert!(
            over.contains("SUMMARY:Review draft 2"),
            "derived from the server's master"
        );
        assert!(over.contains("PARTSTAT=DECLINED") && over.contains("TRANSP:TRANSPARENT"));
        assert!(mentions(&r.kept, "PARTSTAT") && mentions(&r.kept, "TRANSP"));
        assert!(r.dropped.is_empty());
        // The master keeps my series answer.
        assert!(doc[..doc.find("RECURRENCE-ID").unwrap()]
            .contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"));
    }
}

fn series_needs_action() -> String {
    series().replace(
        "PARTSTAT=ACCEPTED;\r\n ROLE=REQ-PARTICIPANT",
        "PARTSTAT=NEEDS-ACTION;\r\n ROLE=REQ-PARTICIPANT",
    )
}

#[test]
fn m10_an_organizer_override_that_appeared_gets_my_answer() {
    let base = series_needs_action();
    let local = series();
    // Meanwhile the organizer changed the title of June 3 only (not its time).
    let over = occurrence(
        "RECURRENCE-ID;TZID=America/Montreal:20090603T150000",
        "20090603T150000",
        "20090603T160000",
        "NEEDS-ACTION",
        "",
    )
    .replace("SUMMARY:Review Internet-Draft", "SUMMARY:Review (room 2)");
    let server = add_override(&base, &over);
    let r = run(&opts(&local, &server, Some(&base), BERNARD));
    print("M10 (new organizer override, same time)", &r);
    assert!(!r.rescheduled);
    let doc = unfolded(&r.data);
    let at = doc.find("RECURRENCE-ID").unwrap();
    assert!(doc[..at].contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"));
    assert!(doc[at..].contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"));
    assert!(doc[at..].contains("SUMMARY:Review (room 2)"));
    assert_eq!(
        r.kept
            .iter()
            .filter(|c| c.property.as_deref() == Some("PARTSTAT"))
            .count(),
        2
    );
    assert!(r
        .kept
        .iter()
        .any(|c| c.recurrence_id.as_deref() == Some("20090603T150000")));
}

#[test]
fn m10b_an_organizer_override_that_moved_an_answered_instance_asks() {
    let base = series_needs_action();
    let local = series();
    let over = occurrence(
        "RECURRENCE-ID;TZID=America/Montreal:20090603T150000",
        "20090603T170000",
        "20090603T180000",
        "NEEDS-ACTION",
        "",
    )
    .replace("SEQUENCE:0", "SEQUENCE:1");
    let server = add_override(&base, &over);
    for (mode, expect) in [
        (OnReschedule::Ask, "NEEDS-ACTION"),
        (OnReschedule::Keep, "ACCEPTED"),
        (OnReschedule::Reset, "NEEDS-ACTION"),
    ] {
        let mut o = opts(&local, &server, Some(&base), BERNARD);
        o.on_reschedule = mode;
        let r = run(&o);
        print(&format!("M10b ({mode:?}: organizer moved June 3)"), &r);
        assert!(r.rescheduled);
        assert_eq!(r.needs_confirmation, mode == OnReschedule::Ask);
        let doc = unfolded(&r.data);
        let at = doc.find("RECURRENCE-ID").unwrap();
        assert!(doc[at..].contains(&format!("PARTSTAT={expect};ROLE=REQ-PARTICIPANT")));
        // The master was not moved: my series answer is carried in every mode.
        assert!(
            doc[..at].contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard")
        );
    }
}

#[test]
fn m10c_recurrence_ids_match_across_tzid_and_utc_forms() {
    let base = series();
    let mine = occurrence(
        "RECURRENCE-ID:20090603T190000Z",
        "20090603T150000",
        "20090603T160000",
        "TENTATIVE",
        "",
    );
    let theirs = occurrence(
        "RECURRENCE-ID;TZID=America/Montreal:20090603T150000",
        "20090603T150000",
        "20090603T160000",
        "ACCEPTED",
        "",
    )
    .replace("SUMMARY:Review Internet-Draft", "SUMMARY:Moved room");
    let base_with = add_override(
        &base,
        &theirs.replace("SUMMARY:Moved room", "SUMMARY:Review Internet-Draft"),
    );
    let local = add_override(&base, &mine);
    let server = add_override(&base, &theirs);
    let r = run(&opts(&local, &server, Some(&base_with), BERNARD));
    print("M10c", &r);
    assert_eq!(unfolded(&r.data).matches("RECURRENCE-ID").count(), 1);
    assert!(has(
        &r,
        "RECURRENCE-ID;TZID=America/Montreal:20090603T150000"
    ));
    assert!(has(&r, "PARTSTAT=TENTATIVE") && has(&r, "SUMMARY:Moved room"));
    assert!(r.dropped.is_empty(), "{:?}", r.dropped);
}

#[test]
fn m10d_excluding_an_instance_removes_the_organizer_override() {
    let over = occurrence(
        "RECURRENCE-ID;TZID=America/Montreal:20090603T150000",
        "20090603T150000",
        "20090603T160000",
        "ACCEPTED",
        "",
    );
    let base = add_override(&series(), &over);
    let local = series().replace(
        "RRULE:FREQ=DAILY;COUNT=5\r\n",
        "RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=America/Montreal:20090603T150000\r\n",
    );
    let server = base.replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    let r = run(&opts(&local, &server, Some(&base), BERNARD));
    print("M10d", &r);
    assert!(has(&r, "EXDATE;TZID=America/Montreal:20090603T150000"));
    assert!(!has(&r, "RECURRENCE-ID"));
    // Removing an override without an EXDATE is not mine to do.
    let r = run(&opts(&series(), &server, Some(&base), BERNARD));
    assert!(r.unchanged && has(&r, "RECURRENCE-ID"));
    assert_eq!(r.dropped.len(), 1);
}

#[test]
fn m11_schedule_status_is_server_owned() {
    // Local lacks SCHEDULE-STATUS on ORGANIZER, the server has 1.2: kept (S1 step 5 too).
    let server = fixture("seed-server-delivered.ics");
    let r = run(&opts(&fixture("seed-local.ics"), &server, None, WILFREDO));
    assert!(r.unchanged && has(&r, "SCHEDULE-STATUS=1.2"));
    // Local has a stale 1.0: the server's 1.2 stays.
    let local = server.replace("SCHEDULE-STATUS=1.2", "SCHEDULE-STATUS=1.0");
    let base = fixture("seed-local.ics");
    for b in [Some(base.as_str()), None] {
        let r = run(&opts(&local, &server, b, WILFREDO));
        assert!(r.unchanged && has(&r, "SCHEDULE-STATUS=1.2"));
        assert!(r.kept.is_empty() && r.conflicts.is_empty());
    }
}

#[test]
fn m12_schedule_status_with_schedule_agent_client_is_mine() {
    let base = fixture("seed-base.ics").replace(
        "ORGANIZER;CN=\"Cyrus Daboo\"",
        "ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-AGENT=CLIENT",
    );
    let local = fixture("seed-local.ics").replace(
        "ORGANIZER;CN=\"Cyrus Daboo\"",
        "ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1",
    );
    let server = base.replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    let r = run(&opts(&local, &server, Some(&base), WILFREDO));
    assert!(has(&r, "ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1:mailto:cyrus@example.com"));
    assert!(mentions(&r.kept, "SCHEDULE-STATUS"));
}

#[test]
fn m13_unknown_extensions_on_both_sides_are_preserved() {
    let xfoo = "BEGIN:X-FOO\r\nX-BAR:1\r\nEND:X-FOO\r\n";
    let base = fixture("seed-base.ics").replace("END:VEVENT", &format!("{xfoo}END:VEVENT"));
    let server = base.replace(
        "SUMMARY:Lunch\r\n",
        "SUMMARY:Lunch\r\nX-CALENDARSERVER-ACCESS:PUBLIC\r\n",
    );
    let local = base
        .replace(
            "SUMMARY:Lunch\r\n",
            "SUMMARY:Lunch\r\nX-MOZ-LASTACK:20090602T160500Z\r\n",
        )
        .replace("PARTSTAT\r\n =NEEDS-ACTION", "PARTSTAT\r\n =ACCEPTED");
    for b in [Some(base.as_str()), None] {
        let r = run(&opts(&local, &server, b, WILFREDO));
        assert!(has(&r, "SUMMARY:Lunch\r\nX-MOZ-LASTACK:20090602T160500Z\r\nX-CALENDARSERVER-ACCESS:PUBLIC\r\n"), "{}", r.data);
        assert!(r.data.contains(xfoo));
        let changed = changed_lines(&server, &r.data);
        assert!(
            changed.iter().all(|l| l.contains("ACTION")
                || l.to_lowercase().contains("wilfredo")
                || l.contains("ple.com")),
            "{changed:?}"
        );
    }
}

fn organizer_copy(extra: &str, bernard: &str) -> String {
    fixture("seed-base.ics")
        .replace("SUMMARY:Lunch\r\n", &format!("SUMMARY:Lunch\r\n{extra}"))
        .replace(
            "PARTSTAT=\r\n NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard",
            &format!("PARTSTAT=\r\n {bernard};ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"),
        )
}

#[test]
fn m14_organizer_three_way_merge() {
    let base = organizer_copy("", "NEEDS-ACTION");
    let local = organizer_copy("LOCATION:Room 1\r\n", "NEEDS-ACTION");
    let server = organizer_copy(
        "DESCRIPTION:Bring slides\r\n",
        "ACCEPTED;SCHEDULE-STATUS=2.0",
    );
    let r = run(&opts(&local, &server, Some(&base), CYRUS));
    print("M14", &r);
    assert_eq!(r.role, MergedRole::Organizer);
    assert!(has(&r, "LOCATION:Room 1") && has(&r, "DESCRIPTION:Bring slides"));
    assert!(has(
        &r,
        "ACCEPTED;SCHEDULE-STATUS=2.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"
    ));
    assert!(mentions(&r.kept, "LOCATION") && r.conflicts.is_empty());
    // Both changed SUMMARY: a conflict, mine chosen.
    let local = local.replace("SUMMARY:Lunch", "SUMMARY:Long lunch");
    let server = server.replace("SUMMARY:Lunch", "SUMMARY:Short lunch");
    let r = run(&opts(&local, &server, Some(&base), CYRUS));
    assert!(has(&r, "SUMMARY:Long lunch"));
    assert!(r
        .conflicts
        .iter()
        .any(|c| c.property.as_deref() == Some("SUMMARY") && c.what.contains("Long lunch")));
}

#[test]
fn m15_organizer_does_not_override_replies() {
    let base = organizer_copy("", "NEEDS-ACTION");
    let server = organizer_copy("", "ACCEPTED;SCHEDULE-STATUS=2.0");
    let local = organizer_copy("LOCATION:Room 2\r\n", "NEEDS-ACTION");
    let r = run(&opts(&local, &server, Some(&base), CYRUS));
    assert!(has(
        &r,
        "ACCEPTED;SCHEDULE-STATUS=2.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"
    ));
    assert!(!mentions(&r.conflicts, "PARTSTAT"));
    // Without a base the reply is kept too (the server overlays replies, RFC 6638 §3.2.10.1).
    let r = run(&opts(&local, &server, None, CYRUS));
    assert!(has(
        &r,
        "ACCEPTED;SCHEDULE-STATUS=2.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"
    ));
    assert!(has(&r, "LOCATION:Room 2"));
}

#[test]
fn m16_intentional_reinvite_wins() {
    let base = organizer_copy("", "ACCEPTED");
    let local = organizer_copy("LOCATION:Far away\r\n", "NEEDS-ACTION");
    let server = organizer_copy("", "ACCEPTED;SCHEDULE-STATUS=2.0");
    let r = run(&opts(&local, &server, Some(&base), CYRUS));
    print("M16", &r);
    assert!(has(&r, "PARTSTAT=NEEDS-ACTION;SCHEDULE-STATUS=2.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"), "{}", r.data);
    assert!(mentions(&r.kept, "PARTSTAT"));
}

#[test]
fn m17_bookkeeping_only_differences() {
    let server = fixture("seed-local.ics");
    let local = server
        .replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T200000Z\r\nLAST-MODIFIED:20090602T200000Z\r\nCREATED:20090601T000000Z")
        .replace("PRODID:-//Example Corp.//CalDAV Client//EN", "PRODID:-//Other//EN");
    for b in [Some(fixture("seed-base.ics")), None] {
        let r = run(&opts(&local, &server, b.as_deref(), WILFREDO));
        assert!(r.unchanged && r.data == server);
        assert!(r.conflicts.is_empty() && r.dropped.is_empty());
    }
}

#[test]
fn m18_m19_folding_case_and_parameter_order_are_not_changes() {
    let server = fixture("seed-server-delivered.ics");
    // Refolded, lower-case parameter names and values, parameters reordered, DTEND as DURATION.
    let local = server
        .replace("ATTENDEE;CN=\"Wilfredo Sanchez Vega\";CUTYPE=INDIVIDUAL;PARTSTAT\r\n =ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@exam\r\n ple.com", "ATTENDEE;rsvp=TRUE;role=REQ-PARTICIPANT;partstat=accepted;CUTYPE=INDIVIDUAL;CN=\"Wilfredo Sanchez Vega\":MAILTO:Wilfredo@Example.com")
        .replace("SUMMARY:Lunch", "SUMMARY:Lu\r\n nch")
        .replace("DTEND:20090602T170000Z", "DURATION:PT1H")
        .replace("TRIGGER:-PT15M", "TRIGGER;RELATED=START:-PT900S");
    assert_ne!(local, server);
    for b in [Some(server.clone()), None] {
        let r = run(&opts(&local, &server, b.as_deref(), WILFREDO));
        assert!(
            r.unchanged && r.data == server,
            "{:?} {:?}",
            r.kept,
            r.dropped
        );
        assert!(r.conflicts.is_empty() && r.dropped.is_empty() && r.kept.is_empty());
    }
}

#[test]
fn m21_multiple_own_addresses() {
    let mut o = opts(
        &fixture("seed-local.ics").replace("wilfredo@exam\r\n ple.com", "bernard@example.com"),
        &fixture("seed-server-bernard.ics")
            .replace("wilfredo@exam\r\n ple.com", "bernard@example.com"),
        None,
        BERNARD,
    );
    o.me = Addresses::Many(vec![
        "mailto:bernard@example.com".into(),
        "mailto:bernard@example.net".into(),
    ]);
    let r = run(&o);
    assert_eq!(r.role, MergedRole::Attendee);
    assert!(has(
        &r,
        "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard@example.com"
    ));
}

#[test]
fn m23_cancelled_event_is_never_reaccepted() {
    let server = fixture("seed-base.ics")
        .replace("SEQUENCE:0", "SEQUENCE:1")
        .replace("SUMMARY:Lunch\r\n", "SUMMARY:Lunch\r\nSTATUS:CANCELLED\r\n");
    for mode in [OnReschedule::Ask, OnReschedule::Keep] {
        for b in [Some(fixture("seed-base.ics")), None] {
            let mut o = opts(&fixture("seed-local.ics"), &server, b.as_deref(), WILFREDO);
            o.on_reschedule = mode;
            let r = run(&o);
            assert!(has(&r, "STATUS:CANCELLED"));
            assert!(has(
                &r,
                "NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"
            ));
            assert!(r.dropped.iter().any(|c| c.what.contains("cancelled")));
            assert!(has(&r, "TRIGGER:-PT15M"), "my alarm is still mine");
        }
    }
}

#[test]
fn m24_out_of_order_server_copy_is_reported_not_merged() {
    let base = fixture("seed-server-moved.ics"); // SEQUENCE:1
    let local = base.replace("PARTSTAT\r\n =NEEDS-ACTION", "PARTSTAT\r\n =ACCEPTED");
    let stale = fixture("seed-base.ics"); // SEQUENCE:0
    let r = run(&opts(&local, &stale, Some(&base), WILFREDO));
    assert!(r.unchanged && r.needs_confirmation && r.data == stale);
    assert!(mentions(&r.conflicts, "SEQUENCE"));
    assert!(r.warnings.iter().any(|w| w.code == "STALE_SERVER_COPY"));
    // Without a base, an attendee copy never has a lower SEQUENCE than mine.
    let r = run(&opts(&local, &stale, None, WILFREDO));
    assert!(r.warnings.iter().any(|w| w.code == "STALE_SERVER_COPY"));
}

#[test]
fn personal_list_extends_attendee_ownership() {
    let base = fixture("seed-base.ics");
    let local = base.replace(
        "SUMMARY:Lunch\r\n",
        "SUMMARY:Lunch\r\nCOLOR:red\r\nX-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\n",
    );
    let server = base.replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    let r = run(&opts(&local, &server, Some(&base), WILFREDO));
    assert!(!has(&r, "COLOR:red") && mentions(&r.dropped, "COLOR"));
    assert!(
        has(&r, "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR"),
        "X-APPLE-TRAVEL-* is personal by default"
    );
    let mut o = opts(&local, &server, Some(&base), WILFREDO);
    o.personal = vec!["color".into(), "X-APPLE-*".into()];
    let r = run(&o);
    assert!(has(&r, "SUMMARY:Lunch\r\nCOLOR:red\r\n") && mentions(&r.kept, "COLOR"));
    assert!(r.dropped.is_empty());
}

#[test]
fn transp_is_mine_and_conflicts_choose_mine() {
    let base = fixture("seed-base.ics");
    let local = base.replace("TRANSP:OPAQUE", "TRANSP:TRANSPARENT");
    let server = base
        .replace("TRANSP:OPAQUE", "TRANSP:OPAQUE\r\nX-NOTE:1")
        .replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    let r = run(&opts(&local, &server, Some(&base), WILFREDO));
    assert!(has(&r, "TRANSP:TRANSPARENT\r\nX-NOTE:1") && mentions(&r.kept, "TRANSP"));
    let server = base.replace("TRANSP:OPAQUE", "");
    let r = run(&opts(&local, &server, Some(&base), WILFREDO));
    assert!(has(&r, "TRANSP:TRANSPARENT") && mentions(&r.conflicts, "TRANSP"));
}

#[test]
fn organizer_adds_and_removes_overrides() {
    let me = CYRUS;
    let base = series();
    let over = occurrence(
        "RECURRENCE-ID;TZID=America/Montreal:20090603T150000",
        "20090603T170000",
        "20090603T180000",
        "NEEDS-ACTION",
        "",
    );
    let local = add_override(&base, &over);
    let server = base.replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    let r = run(&opts(&local, &server, Some(&base), me));
    assert!(has(&r, "RECURRENCE-ID;TZID=America/Montreal:20090603T150000") && r.kept.len() == 1);
    // And removing it again.
    let r = run(&opts(
        &server,
        &add_override(&server, &over),
        Some(&local),
        me,
    ));
    assert!(!has(&r, "RECURRENCE-ID") && r.kept.len() == 1);
}

#[test]
fn errors_name_the_problem() {
    let good = fixture("seed-base.ics");
    let e = merge(&opts("BEGIN:VCALENDAR\r\n", &good, None, WILFREDO)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Parse);
    assert!(e.message.starts_with("local copy:"));
    let other = good.replace("UID:9263504FD3AD", "UID:other");
    assert_eq!(
        merge(&opts(&other, &good, None, WILFREDO))
            .unwrap_err()
            .code,
        ErrorCode::UidMismatch
    );
    assert_eq!(
        merge(&opts(&good, &good, Some(&other), WILFREDO))
            .unwrap_err()
            .code,
        ErrorCode::UidMismatch
    );
    assert_eq!(
        merge(&opts(&good, &good, None, "mailto:nobody@x"))
            .unwrap_err()
            .code,
        ErrorCode::NotAnAttendee
    );
    let mut o = opts(&good, &good, None, CYRUS);
    o.role = RoleOption::Attendee;
    // Cyrus is also listed as an ATTENDEE: the attendee role can be forced.
    assert_eq!(merge(&o).unwrap().role, MergedRole::Attendee);
    let no_self = good.replace("ATTENDEE;CN=\"Cyrus Daboo\";CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:\r\n mailto:cyrus@example.com\r\n", "");
    let mut o = opts(&no_self, &no_self, None, CYRUS);
    o.role = RoleOption::Attendee;
    assert_eq!(merge(&o).unwrap_err().code, ErrorCode::IsOrganizer);
    let mut o = opts(&good, &good, None, "mailto:nobody@x");
    o.role = RoleOption::Attendee;
    assert_eq!(merge(&o).unwrap_err().code, ErrorCode::NotAnAttendee);
    let mut o = opts(&good, &good, None, WILFREDO);
    o.limits.max_bytes = 10;
    assert_eq!(merge(&o).unwrap_err().code, ErrorCode::TooLarge);
}

#[test]
fn options_and_result_serialise_as_the_api_says() {
    let json = r#"{"local":"a","server":"b","me":["mailto:a@x","mailto:b@x"],"onReschedule":"keep","role":"organizer","personal":["COLOR"]}"#;
    let o: MergeOptions = serde_json::from_str(json).unwrap();
    assert_eq!(o.on_reschedule, OnReschedule::Keep);
    assert_eq!(o.role, RoleOption::Organizer);
    assert_eq!(
        o.me,
        Addresses::Many(vec!["mailto:a@x".into(), "mailto:b@x".into()])
    );
    let o: MergeOptions =
        serde_json::from_str(r#"{"local":"a","server":"b","me":"mailto:a@x"}"#).unwrap();
    assert_eq!(
        (o.role, o.on_reschedule, o.base.is_none()),
        (RoleOption::Auto, OnReschedule::Ask, true)
    );
    let r = seed(OnReschedule::Ask, true);
    let v = serde_json::to_value(&r).unwrap();
    for key in [
        "data",
        "role",
        "kept",
        "dropped",
        "conflicts",
        "rescheduled",
        "needsConfirmation",
        "unchanged",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["role"], "attendee");
    assert!(v["kept"][0].get("recurrenceId").is_none());
    assert_eq!(v["conflicts"][0]["property"], "PARTSTAT");
}

#[test]
fn vtodo_progress_is_mine() {
    let todo = |extra: &str, partstat: &str, desc: &str| {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VTODO\r\nUID:t-1\r\nDTSTAMP:20090602T185254Z\r\nDUE:20090610T170000Z\r\nSUMMARY:Write report\r\n{desc}ORGANIZER:mailto:cyrus@example.com\r\nATTENDEE;PARTSTAT={partstat}:mailto:bernard@example.net\r\n{extra}END:VTODO\r\nEND:VCALENDAR\r\n")
    };
    let base = todo("", "NEEDS-ACTION", "");
    let local = todo("PERCENT-COMPLETE:50\r\n", "IN-PROCESS", "");
    let server = todo("", "NEEDS-ACTION", "DESCRIPTION:Two pages\r\n");
    let r = run(&opts(&local, &server, Some(&base), BERNARD));
    assert!(has(&r, "DESCRIPTION:Two pages") && has(&r, "PERCENT-COMPLETE:50"));
    assert!(has(&r, "PARTSTAT=IN-PROCESS:mailto:bernard"));
    assert_eq!(r.kept.len(), 2);
    assert_eq!(r.kept[0].component, "VTODO");
    // The organizer moved DUE and the server reset me: a reschedule (RFC 6638 §3.2.8).
    let moved = server.replace("DUE:20090610T170000Z", "DUE:20090612T170000Z");
    let r = run(&opts(&local, &moved, Some(&base), BERNARD));
    assert!(r.rescheduled && r.needs_confirmation && has(&r, "PERCENT-COMPLETE:50"));
}

#[test]
fn delegation_carries_my_delegate() {
    let base = fixture("seed-base.ics");
    let local = base
        .replace("PARTSTAT\r\n =NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo", "PARTSTAT\r\n =DELEGATED;DELEGATED-TO=\"mailto:e@example.com\";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo")
        .replace("END:VEVENT", "ATTENDEE;DELEGATED-FROM=\"mailto:wilfredo@example.com\";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:e@example.com\r\nEND:VEVENT");
    let server = fixture("seed-server-bernard.ics");
    for b in [Some(base.as_str()), None] {
        let r = run(&opts(&local, &server, b, WILFREDO));
        print("delegation", &r);
        assert!(has(
            &r,
            "PARTSTAT=DELEGATED;ROLE=REQ-PARTICIPANT;RSVP=TRUE;DELEGATED-TO=\"mailto:e@example.com\":mailto:wilfredo"
        ));
        assert!(has(
            &r,
            "ATTENDEE;DELEGATED-FROM=\"mailto:wilfredo@example.com\""
        ));
        assert!(mentions(&r.kept, "DELEGATED-TO") && mentions(&r.kept, "ATTENDEE"));
        assert!(r.dropped.is_empty(), "{:?}", r.dropped);
    }
}

#[test]
fn personal_data_wiped_by_an_organizer_update_is_restored() {
    // sabre-io/dav#819: applying the organizer's update replaced my alarm and TRANSP.
    let base = fixture("seed-local.ics").replace("TRANSP:OPAQUE", "TRANSP:TRANSPARENT");
    let local = base.clone();
    let alarm = "BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n";
    let wiped = fixture("seed-local.ics")
        .replace(alarm, "")
        .replace("SUMMARY:Lunch", "SUMMARY:Lunch at noon");
    let r = run(&opts(&local, &wiped, Some(&base), WILFREDO));
    print("restored", &r);
    assert!(
        has(&r, "SUMMARY:Lunch at noon")
            && has(&r, "TRANSP:TRANSPARENT")
            && has(&r, "TRIGGER:-PT15M")
    );
    assert!(mentions(&r.kept, "TRANSP") && mentions(&r.kept, "VALARM"));
    // Without an organizer change, the removal came from another device of mine: it stands.
    let removed = base.replace(alarm, "");
    let r = run(&opts(&local, &removed, Some(&base), WILFREDO));
    assert!(r.unchanged && !has(&r, "VALARM"));
}

#[test]
fn organizer_move_to_a_new_zone_carries_its_vtimezone() {
    let base = fixture("seed-base.ics");
    let tz = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
    let local = base
        .replace("BEGIN:VEVENT", &format!("{tz}BEGIN:VEVENT"))
        .replace(
            "DTSTART:20090602T160000Z",
            "DTSTART;TZID=Europe/Paris:20090602T170000",
        )
        .replace("SEQUENCE:0", "SEQUENCE:1");
    let server = organizer_copy("", "ACCEPTED;SCHEDULE-STATUS=2.0");
    let r = run(&opts(&local, &server, Some(&base), CYRUS));
    assert!(has(&r, "DTSTART;TZID=Europe/Paris:20090602T170000") && has(&r, "SEQUENCE:1"));
    assert!(r.data.contains(tz));
    assert!(r.data.find("BEGIN:VTIMEZONE") < r.data.find("BEGIN:VEVENT"));
}

/// Regression (issue 7, hostile input): a server copy whose override names another ORGANIZER is
/// not one scheduling object; merging would carry my answer and alarms into that override.
#[test]
fn hostile_second_organizer_in_a_copy_is_not_a_scheduling_object() {
    let local = include_str!("fixtures/merge/seed-local.ics");
    let server = include_str!("fixtures/merge/seed-server-moved.ics");
    let forged = server.replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:9263504FD3AD\r\nDTSTAMP:20090602T185254Z\r\nRECURRENCE-ID:20090602T160000Z\r\nDTSTART:20090602T180000Z\r\nORGANIZER:mailto:mallory@example.com\r\nATTENDEE:mailto:wilfredo@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR",
    );
    let me = "mailto:wilfredo@example.com";
    for (l, s) in [(local, forged.as_str()), (forged.as_str(), server)] {
        let e = merge(&MergeOptions::new(l, s, None, me)).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotSchedulingObject, "{e}");
        assert!(e.message.contains("mallory"), "{e}");
    }
    assert!(merge(&MergeOptions::new(local, server, None, me)).is_ok());
}

/// Regression (merge fuzz target, crash-ce8e5c12, kept in fuzz/seeds/merge/): a parameter value
/// ending in a backslash before the colon (`RSVP=\0\0\0\:mailto:...`) made the line scanner and
/// the parameter iterator disagree on where the value starts; my ATTENDEE line, rewritten with
/// my answer, lost its value and the merged copy did not parse. Both now read `\:` as a
/// backslash and the colon. The input is decoded as the fuzz target does: an option byte
/// (0x21: with base, `me` = the second ATTENDEE of the local copy), then copies separated by
/// `=====` lines.
#[test]
fn fuzz_backslash_before_the_colon_of_my_attendee_line() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/seeds/merge/crash-backslash-before-colon"
    );
    let input = std::fs::read(path).unwrap();
    assert_eq!(input[0], 0x21);
    let text = String::from_utf8_lossy(&input[1..]).into_owned();
    let copies: Vec<&str> = text.split("\n=====\n").collect();
    let (local, server) = (copies[0], copies[1]);
    let me = "mailto:wilfredo@example.com";
    for base in [None, copies.get(2).copied()] {
        let r = merge(&MergeOptions::new(local, server, base, me)).unwrap();
        let reparsed = Document::parse(r.data.as_bytes());
        assert!(
            reparsed.is_ok(),
            "the merged copy does not parse: {reparsed:?}\n{}",
            r.data
        );
    }
}

/// A short daily series that Bernard attends, in America/Montreal; `extra` goes into the master.
fn daily_series(extra: &str, alarm: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
         BEGIN:VTIMEZONE\r\nTZID:America/Montreal\r\n\
         BEGIN:STANDARD\r\nDTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n\
         TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\n\
         BEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n\
         TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
         BEGIN:VEVENT\r\nUID:u-1\r\nSEQUENCE:0\r\nDTSTAMP:20090602T185254Z\r\n\
         DTSTART;TZID=America/Montreal:20090601T160000\r\n\
         DTEND;TZID=America/Montreal:20090601T170000\r\nRRULE:FREQ=DAILY;COUNT=3\r\n\
         {extra}SUMMARY:Review\r\nORGANIZER;CN=Cyrus:mailto:cyrus@example.com\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:cyrus@example.com\r\n\
         ATTENDEE;CN=Bernard;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bernard@example.net\r\n\
         ATTENDEE;CN=Mike;PARTSTAT=NEEDS-ACTION:mailto:mike@example.org\r\n\
         {alarm}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

const EXCLUDE_JUNE_2: &str = "EXDATE;TZID=America/Montreal:20090602T160000\r\n";
const ALARM_5M: &str =
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n";

#[test]
fn my_carried_exdate_is_not_an_organizer_rewrite_on_the_next_merge() {
    // Issue 5 property `merge_is_idempotent`: I excluded June 2, another device of mine added an
    // alarm on the server. The first merge carries my EXDATE and keeps the alarm; merging again
    // onto that result must change nothing. It used to drop the alarm: the carried EXDATE made
    // the server's master differ from base in an organizer-owned property, so the merge took it
    // for an organizer update that had wiped my personal data and made my alarms the whole set.
    let base = daily_series("", "");
    let local = daily_series(EXCLUDE_JUNE_2, "");
    let server = daily_series("", ALARM_5M);
    let once = run(&opts(&local, &server, Some(&base), BERNARD));
    print("exdate + server alarm, once", &once);
    assert_eq!(once.data, daily_series(EXCLUDE_JUNE_2, ALARM_5M));
    assert!(mentions(&once.kept, "EXDATE") && !mentions(&once.kept, "VALARM"));
    assert!(once.dropped.is_empty() && once.conflicts.is_empty());
    let twice = run(&opts(&local, &once.data, Some(&base), BERNARD));
    print("exdate + server alarm, twice", &twice);
    assert!(twice.unchanged, "{:?}", twice);
    assert_eq!(twice.data, once.data);
    assert!(twice.kept.is_empty() && twice.dropped.is_empty() && twice.conflicts.is_empty());
    // The same exclusion spelled in UTC on my side: compared as an instant, not as text.
    let local_utc = daily_series("EXDATE:20090602T200000Z\r\n", "");
    let once = run(&opts(&local_utc, &server, Some(&base), BERNARD));
    assert_eq!(
        once.data,
        daily_series("EXDATE:20090602T200000Z\r\n", ALARM_5M)
    );
    let twice = run(&opts(&local_utc, &once.data, Some(&base), BERNARD));
    assert!(twice.unchanged && twice.data == once.data, "{:?}", twice);
    // An exclusion the organizer added meanwhile still counts as an organizer update: the
    // personal data it wiped (here: my alarm, in base and in my copy) is restored.
    let organizer_excluded = daily_series("EXDATE;TZID=America/Montreal:20090603T160000\r\n", "");
    let r = run(&opts(
        &daily_series("", ALARM_5M),
        &organizer_excluded,
        Some(&daily_series("", ALARM_5M)),
        BERNARD,
    ));
    assert!(
        has(&r, "TRIGGER:-PT5M") && mentions(&r.kept, "VALARM"),
        "{:?}",
        r
    );
}
