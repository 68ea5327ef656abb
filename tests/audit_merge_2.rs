//! Second audit of the merge helper: overrides after a `RANGE=THISANDFUTURE` override, answers
//! given for the series and one instance in one edit, delegation carried into overrides and
//! through a reschedule, instances pinned at their old answer, and the `personal` option.
//! The local copies are written by `attendee_reply`, as an app would write them.

use caldav_sched::ical::{Component, Document, Property};
use caldav_sched::itip::{
    attendee_reply, merge, Change, MergeOptions, MergeResult, OnReschedule, PartStat, ReplyOptions,
    Scope,
};
use caldav_sched::ErrorCode;

mod support;
use support::vevents;

type TestResult = Result<(), Box<dyn std::error::Error>>;
type Res<T> = Result<T, Box<dyn std::error::Error>>;

const BERNARD: &str = "mailto:bernard@example.net";
const MIKE: &str = "mailto:mike@example.org";
const NOW: &str = "20090602T190000Z";

const ZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:America/Montreal\r\nBEGIN:STANDARD\r\n\
    DTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nTZOFFSETFROM:-0400\r\n\
    TZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\n\
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n\
    TZNAME:EDT\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

/// One component of a daily series of five at 15:00 Montreal time from 1 June 2009 (the master
/// when `rid` is `None`); Bernard's answer is `ber`.
struct Ev<'a> {
    seq: u32,
    rid: Option<&'a str>,
    start: &'a str,
    end: &'a str,
    ber: &'a str,
    summary: &'a str,
}

const MASTER: Ev<'static> = Ev {
    seq: 0,
    rid: None,
    start: "20090601T150000",
    end: "20090601T160000",
    ber: "NEEDS-ACTION",
    summary: "Review",
};

impl Ev<'_> {
    fn text(&self) -> String {
        let (rid, rrule) = match self.rid {
            Some(r) => (format!("RECURRENCE-ID;TZID=America/Montreal:{r}\r\n"), ""),
            None => (String::new(), "RRULE:FREQ=DAILY;COUNT=5\r\n"),
        };
        format!(
            "BEGIN:VEVENT\r\nUID:DC3D0301C7790B38631F1FBB\r\nSEQUENCE:{}\r\n\
             DTSTAMP:20090602T185254Z\r\n{rid}DTSTART;TZID=America/Montreal:{}\r\n\
             DTEND;TZID=America/Montreal:{}\r\n{rrule}SUMMARY:{}\r\n\
             ORGANIZER;CN=\"Cyrus Daboo\":mailto:cyrus@example.com\r\n\
             ATTENDEE;CN=Cyrus;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com\r\n\
             ATTENDEE;CN=Bernard;PARTSTAT={};ROLE=REQ-PARTICIPANT;RSVP=TRUE:{BERNARD}\r\n\
             END:VEVENT\r\n",
            self.seq, self.start, self.end, self.summary, self.ber
        )
    }
}

fn cal(components: &[String]) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n{ZONE}{}END:VCALENDAR\r\n",
        components.concat()
    )
}

/// The series as the organizer moved it one hour later (SEQUENCE 1): a reschedule.
fn moved_master() -> String {
    cal(&[Ev {
        seq: 1,
        start: "20090601T160000",
        end: "20090601T170000",
        ..MASTER
    }
    .text()])
}

fn answer(data: &str, partstat: PartStat, rid: Option<&str>, scope: Option<Scope>) -> Res<String> {
    let mut o = ReplyOptions::new(&[BERNARD], partstat, NOW);
    o.recurrence_id = rid.map(str::to_string);
    o.scope = scope;
    if partstat == PartStat::Delegated {
        o.delegate_to = Some(vec![MIKE.to_string()]);
    }
    Ok(attendee_reply(data.as_bytes(), &o)?.data)
}

fn run(local: &str, server: &str, base: Option<&str>, mode: OnReschedule) -> Res<MergeResult> {
    let mut o = MergeOptions::new(local, server, base, BERNARD);
    o.on_reschedule = mode;
    let r = merge(&o)?;
    Document::parse(r.data.as_bytes())?;
    Ok(r)
}

/// The override whose RECURRENCE-ID is `rid` (as written), if any.
fn instance(data: &str, rid: &str) -> Res<Option<Component>> {
    Ok(vevents(data)
        .into_iter()
        .find(|c| c.value_of("RECURRENCE-ID") == Some(rid)))
}

/// The ATTENDEE line of `address` in `c`.
fn line_of<'a>(c: &'a Component, address: &str) -> Option<&'a Property> {
    c.properties_named("ATTENDEE")
        .find(|a| a.value().eq_ignore_ascii_case(address))
}

fn partstat(c: &Component) -> Option<String> {
    line_of(c, BERNARD).and_then(|l| l.param_value("PARTSTAT"))
}

/// Each VEVENT's RECURRENCE-ID (`master` without one) and Bernard's PARTSTAT, in order.
fn answers(data: &str) -> Res<Vec<(String, String)>> {
    Ok(vevents(data)
        .iter()
        .map(|c| {
            let rid = c.value_of("RECURRENCE-ID").unwrap_or("master").to_string();
            (rid, partstat(c).unwrap_or_default())
        })
        .collect())
}

fn about<'a>(list: &'a [Change], rid: &str, property: &str) -> Vec<&'a Change> {
    list.iter()
        .filter(|c| {
            c.recurrence_id.as_deref() == Some(rid) && c.property.as_deref() == Some(property)
        })
        .collect()
}

/// The server copy of bug 1: the organizer moved 3 June and every later instance two hours
/// later with one `RANGE=THISANDFUTURE` override (RFC 5545 §3.8.4.4), which reset Bernard.
fn moved_from_june_3(summary: &str) -> String {
    let range = Ev {
        seq: 1,
        rid: Some("20090603T150000"),
        start: "20090603T170000",
        end: "20090603T180000",
        summary,
        ..MASTER
    }
    .text()
    .replace(
        "RECURRENCE-ID;TZID=",
        "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=",
    );
    cal(&[
        Ev {
            seq: 1,
            summary,
            ..MASTER
        }
        .text(),
        range,
    ])
}

/// Bug 1: my new override for an instance a server `RANGE=THISANDFUTURE` override moved is built
/// from that override, moved by the same difference (as `attendee_reply` builds it), and my
/// answer to the moved instance is a reschedule (RFC 6638 §3.2.8), three-way and two-way.
#[test]
fn an_answer_to_an_instance_moved_by_a_range_override_is_a_reschedule() -> TestResult {
    let base = cal(&[MASTER.text()]);
    let local = answer(&base, PartStat::Declined, Some("20090604T150000"), None)?;
    let server = moved_from_june_3("Review");
    let direct = answer(&server, PartStat::Declined, Some("20090604T150000"), None)?;
    let built = instance(&direct, "20090604T150000")?.ok_or("attendee_reply adds an override")?;
    assert_eq!(built.value_of("DTSTART"), Some("20090604T170000"));
    for b in [Some(base.as_str()), None] {
        let r = run(&local, &server, b, OnReschedule::Keep)?;
        assert!(r.rescheduled && !r.needs_confirmation, "{r:?}");
        let over = instance(&r.data, "20090604T150000")?.ok_or("my answer re-applied")?;
        assert_eq!(over.value_of("DTSTART"), Some("20090604T170000"));
        assert_eq!(over.value_of("DTEND"), Some("20090604T180000"));
        assert_eq!(partstat(&over).as_deref(), Some("DECLINED"));
        assert!(!about(&r.kept, "20090604T150000", "PARTSTAT").is_empty());

        let r = run(&local, &server, b, OnReschedule::Ask)?;
        assert!(r.rescheduled && r.needs_confirmation, "{r:?}");
        assert_eq!(about(&r.conflicts, "20090604T150000", "PARTSTAT").len(), 1);
        // Nothing of mine differs from what the range override gives 4 June: no override.
        assert!(
            instance(&r.data, "20090604T150000")?.is_none(),
            "{}",
            r.data
        );
        assert!(r.unchanged && r.data == server);

        let r = run(&local, &server, b, OnReschedule::Reset)?;
        assert!(r.rescheduled && !r.needs_confirmation);
        assert_eq!(about(&r.dropped, "20090604T150000", "PARTSTAT").len(), 1);
        assert!(r.unchanged && r.data == server);
    }
    Ok(())
}

/// Bug 1, the other way round: the organizer moved 3 June and later before I answered 4 June
/// (my base has the range override). The server's later change of SUMMARY moves nothing, so my
/// answer is kept on the override at the moved time, without a reschedule.
#[test]
fn an_answer_given_after_a_range_move_is_no_reschedule() -> TestResult {
    let base = moved_from_june_3("Review");
    let local = answer(&base, PartStat::Declined, Some("20090604T150000"), None)?;
    let server = moved_from_june_3("Review (room 2)");
    for b in [Some(base.as_str()), None] {
        let r = run(&local, &server, b, OnReschedule::Ask)?;
        assert!(!r.rescheduled && !r.needs_confirmation, "{r:?}");
        assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
        let over = instance(&r.data, "20090604T150000")?.ok_or("my override is carried")?;
        assert_eq!(over.value_of("DTSTART"), Some("20090604T170000"));
        assert_eq!(over.value_of("SUMMARY"), Some("Review (room 2)"));
        assert_eq!(partstat(&over).as_deref(), Some("DECLINED"));
    }
    Ok(())
}

/// Bug 2: accepting the series and declining one instance in one edit is no conflict when the
/// server did not change my answer (the merged master's ACCEPTED is mine, not the server's).
#[test]
fn series_and_instance_answers_in_one_edit_are_no_conflict() -> TestResult {
    let base = cal(&[MASTER.text()]);
    let local = answer(&base, PartStat::Accepted, None, None)?;
    let local = answer(&local, PartStat::Declined, Some("20090603T150000"), None)?;
    let summary = cal(&[Ev {
        summary: "Review 2",
        ..MASTER
    }
    .text()]);
    for server in [&base, &summary] {
        for b in [Some(base.as_str()), None] {
            let r = run(&local, server, b, OnReschedule::Ask)?;
            assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
            assert!(!about(&r.kept, "20090603T150000", "PARTSTAT").is_empty());
            assert_eq!(
                answers(&r.data)?,
                [
                    ("master".to_string(), "ACCEPTED".to_string()),
                    ("20090603T150000".to_string(), "DECLINED".to_string())
                ]
            );
        }
    }
    // The server did change my answer on that instance (another device): a real conflict.
    let other = cal(&[
        MASTER.text(),
        Ev {
            rid: Some("20090603T150000"),
            start: "20090603T150000",
            end: "20090603T160000",
            ber: "TENTATIVE",
            ..MASTER
        }
        .text(),
    ]);
    let r = run(&local, &other, Some(&base), OnReschedule::Ask)?;
    assert_eq!(about(&r.conflicts, "20090603T150000", "PARTSTAT").len(), 1);
    Ok(())
}

/// Bug 3: delegating the series carries PARTSTAT=DELEGATED and DELEGATED-TO into an override the
/// organizer added meanwhile, and with them the delegate's ATTENDEE line, which "MUST be
/// included" (RFC 5546 §3.2.2.3), as `attendee_reply` writes it.
#[test]
fn a_series_delegation_reaches_a_new_override_with_its_delegate() -> TestResult {
    let base = cal(&[MASTER.text()]);
    let local = answer(&base, PartStat::Delegated, None, None)?;
    let special = Ev {
        seq: 1,
        rid: Some("20090603T150000"),
        start: "20090603T150000",
        end: "20090603T160000",
        summary: "Special",
        ..MASTER
    };
    let server = cal(&[Ev { seq: 1, ..MASTER }.text(), special.text()]);
    for b in [Some(base.as_str()), None] {
        let r = run(&local, &server, b, OnReschedule::Ask)?;
        let events = vevents(&r.data);
        assert_eq!(events.len(), 2, "the master and the organizer's override");
        for c in events {
            let mine = line_of(&c, BERNARD).ok_or("my line")?;
            assert_eq!(mine.param_value("PARTSTAT").as_deref(), Some("DELEGATED"));
            assert_eq!(mine.param_values("DELEGATED-TO"), [MIKE]);
            let mike = line_of(&c, MIKE).ok_or_else(|| format!("no delegate in {c:?}"))?;
            assert_eq!(mike.param_values("DELEGATED-FROM"), [BERNARD]);
            assert_eq!(c.properties_named("ATTENDEE").count(), 3);
        }
        assert!(!about(&r.kept, "20090603T150000", "ATTENDEE").is_empty());
    }
    Ok(())
}

/// Bug 4: the delegation is part of the answer. When a reschedule holds my answer back ("ask",
/// "reset"), DELEGATED-TO and the delegate's line are held back with it and reported with it;
/// "keep" re-applies all three.
#[test]
fn a_reset_answer_takes_its_delegation_with_it() -> TestResult {
    let base = cal(&[MASTER.text()]);
    let local = answer(&base, PartStat::Delegated, None, None)?;
    let server = moved_master();
    for b in [Some(base.as_str()), None] {
        for mode in [OnReschedule::Ask, OnReschedule::Reset] {
            let r = run(&local, &server, b, mode)?;
            assert!(r.rescheduled);
            assert!(r.unchanged && r.data == server, "{mode:?}: {}", r.data);
            assert!(r.kept.is_empty(), "{mode:?}: {:?}", r.kept);
            let held = if mode == OnReschedule::Ask {
                &r.conflicts
            } else {
                &r.dropped
            };
            assert_eq!(held.len(), 1, "{held:?}");
            assert!(held.iter().all(|c| c.what.contains(MIKE)), "{held:?}");
        }
        let r = run(&local, &server, b, OnReschedule::Keep)?;
        let events = vevents(&r.data);
        let ev = events.first().ok_or("no VEVENT")?;
        let mine = line_of(ev, BERNARD).ok_or("my line")?;
        assert_eq!(mine.param_value("PARTSTAT").as_deref(), Some("DELEGATED"));
        assert_eq!(mine.param_values("DELEGATED-TO"), [MIKE]);
        assert!(line_of(ev, MIKE).is_some());
    }
    Ok(())
}

/// Bug 5: an answer "this and future" from 4 June writes the series answer on the master and
/// overrides pinning 1-3 June at their old answer. Those overrides differ from what the merged
/// master generates, so they are carried (RFC 6638 §3.2.2.1 item 11), two-way and three-way.
#[test]
fn instances_pinned_at_their_old_answer_are_carried() -> TestResult {
    let base = cal(&[MASTER.text()]);
    let local = answer(
        &base,
        PartStat::Declined,
        Some("20090604T150000"),
        Some(Scope::ThisAndFuture),
    )?;
    let pinned = answers(&local)?;
    assert_eq!(pinned.len(), 4, "{pinned:?}");
    let server = cal(&[Ev {
        summary: "Review (room 2)",
        ..MASTER
    }
    .text()]);
    for b in [Some(base.as_str()), None] {
        let r = run(&local, &server, b, OnReschedule::Ask)?;
        assert_eq!(answers(&r.data)?, pinned, "{}", r.data);
        assert!(r.dropped.is_empty() && r.conflicts.is_empty());
        for rid in ["20090601T150000", "20090602T150000", "20090603T150000"] {
            let over = instance(&r.data, rid)?.ok_or("pinned")?;
            assert_eq!(over.value_of("SUMMARY"), Some("Review (room 2)"));
            assert!(r
                .kept
                .iter()
                .any(|c| c.recurrence_id.as_deref() == Some(rid)));
        }
    }
    Ok(())
}

/// Bug 6: `personal` is for the user's own extra properties; an organizer-owned name or a part
/// of the scheduling structure would undo the organizer's update, so it is refused as misuse.
#[test]
fn personal_refuses_what_the_organizer_or_the_server_owns() -> TestResult {
    let base = cal(&[MASTER.text()]);
    let local = answer(&base, PartStat::Accepted, None, None)?;
    let server = moved_master();
    let with = |personal: &[&str]| {
        let mut o = MergeOptions::new(&local, &server, Some(&base), BERNARD);
        o.personal = personal.iter().map(|s| s.to_string()).collect();
        merge(&o)
    };
    for name in [
        "DTSTART",
        "dtend",
        " SEQUENCE ",
        "UID",
        "ORGANIZER",
        "ATTENDEE",
        "RRULE",
        "EXDATE",
        "RECURRENCE-ID",
        "SUMMARY",
        "STATUS",
        "DTSTAMP",
        "METHOD",
        "*",
        "DT*",
        "SEQ*",
    ] {
        let e = with(&["COLOR", name]).err().ok_or(name)?;
        assert_eq!(e.code, ErrorCode::InvalidOption, "{name}");
        assert!(e.message.contains(name.trim()), "{name}: {}", e.message);
        assert!(e.message.contains("COLOR"), "{}", e.message);
    }
    let r = with(&["COLOR", "categories", "X-APPLE-*", "X-*"])?;
    assert!(r.rescheduled);
    Ok(())
}

/// An answer sent on my behalf keeps its SENT-BY through a merge: `attendeeReply` writes it on
/// my line, and it is mine (RFC 5546 §2.1.3), not the organizer's.
#[test]
fn sent_by_on_my_line_is_carried() -> TestResult {
    let base = cal(&[MASTER.text()]);
    let mut o = ReplyOptions::new(&[BERNARD], PartStat::Accepted, NOW);
    o.sent_by = Some("mailto:assistant@example.net".to_string());
    let local = attendee_reply(base.as_bytes(), &o)?.data;
    let server = cal(&[Ev {
        summary: "Review (agenda attached)",
        ..MASTER
    }
    .text()]);
    for b in [Some(base.as_str()), None] {
        let r = run(&local, &server, b, OnReschedule::Ask)?;
        let master = vevents(&r.data).remove(0);
        let mine = line_of(&master, BERNARD).ok_or("no line of mine")?;
        assert_eq!(
            mine.param_value("SENT-BY").as_deref(),
            Some("mailto:assistant@example.net")
        );
        assert_eq!(master.value_of("SUMMARY"), Some("Review (agenda attached)"));
        assert!(r
            .dropped
            .iter()
            .all(|c| c.property.as_deref() != Some("SENT-BY")));
    }
    Ok(())
}
