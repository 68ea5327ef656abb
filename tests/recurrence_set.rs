//! Recurrence sets as servers send them: DST, UNTIL forms, COUNT, EXDATE, RDATE, limits, and the
//! RECURRENCE-ID lookup in DATE / UTC / TZID / floating forms.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use caldav_sched::ical::datetime::DateOrDateTime;
use caldav_sched::ical::recur::{ExpansionLimits, InstanceMatch, RecurrenceSet};
use caldav_sched::ical::timezone::{TimeValue, TimeZone};
use caldav_sched::ErrorCode;
use common::{all_starts, berlin, days, new_york, set, small_limits, starts, utc};

fn tv<'z>(s: &str, zone: Option<&'z TimeZone>) -> TimeValue<'z> {
    TimeValue::parse(s, zone).unwrap()
}

#[test]
fn weekly_in_berlin_keeps_wall_clock_across_both_dst_changes() {
    let tz = berlin();
    let s = set("20270315T100000", Some(&tz), &["FREQ=WEEKLY;COUNT=3"]);
    let instants: Vec<i64> = s.instances().map(|i| i.instant).collect();
    assert_eq!(
        instants,
        [
            utc("20270315T090000Z"),
            utc("20270322T090000Z"),
            utc("20270329T080000Z")
        ]
    );
    let s = set("20271025T100000", Some(&tz), &["FREQ=WEEKLY;COUNT=2"]);
    let instants: Vec<i64> = s.instances().map(|i| i.instant).collect();
    assert_eq!(instants, [utc("20271025T080000Z"), utc("20271101T090000Z")]);
}

#[test]
fn daily_at_a_time_inside_the_gap_and_the_overlap() {
    let tz = berlin();
    // 02:30 does not exist on 2027-03-28: read with +01:00 (RFC 5545 3.3.5), i.e. 03:30 CEST.
    let s = set("20270327T023000", Some(&tz), &["FREQ=DAILY;COUNT=3"]);
    let i: Vec<_> = s.instances().collect();
    assert_eq!(
        i[1].start.to_string(),
        "20270328T023000",
        "the instance keeps its wall-clock id"
    );
    assert_eq!(i[1].instant, utc("20270328T013000Z"));
    assert_eq!(i[2].instant, utc("20270329T003000Z"));
    // 02:30 happens twice on 2027-10-31: the first (CEST) occurrence.
    let s = set("20271030T023000", Some(&tz), &["FREQ=DAILY;COUNT=2"]);
    let i: Vec<_> = s.instances().collect();
    assert_eq!(i[1].instant, utc("20271031T003000Z"));
}

#[test]
fn google_weekly_with_utc_until_against_local_dtstart() {
    let tz = berlin();
    // 10:00 Berlin = 09:00Z in January. UNTIL one second before the Jan 13 instance excludes it.
    let s = set(
        "20270104T100000",
        Some(&tz),
        &["FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270113T085959Z"],
    );
    assert_eq!(all_starts(&s), days("2027-01: 4,6,11", "100000"));
    let s = set(
        "20270104T100000",
        Some(&tz),
        &["FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270113T090000Z"],
    );
    assert_eq!(all_starts(&s), days("2027-01: 4,6,11,13", "100000"));
}

#[test]
fn until_in_date_and_floating_forms() {
    let s = set("20270101", None, &["FREQ=DAILY;UNTIL=20270105"]);
    assert_eq!(
        all_starts(&s),
        ["20270101", "20270102", "20270103", "20270104", "20270105"]
    );
    // Floating UNTIL with a zoned DTSTART (invalid, common in VTIMEZONEs): wall-clock compare.
    let tz = berlin();
    let s = set(
        "20270101T100000",
        Some(&tz),
        &["FREQ=DAILY;UNTIL=20270103T100000"],
    );
    assert_eq!(all_starts(&s), days("2027-01: 1-3", "100000"));
    // DATE UNTIL with a DATE-TIME DTSTART (invalid): through the end of that date.
    let s = set("20270101T100000", Some(&tz), &["FREQ=DAILY;UNTIL=20270103"]);
    assert_eq!(all_starts(&s), days("2027-01: 1-3", "100000"));
}

#[test]
fn outlook_second_tuesday_and_last_weekday() {
    let tz = new_york();
    let s = set(
        "20270112T090000",
        Some(&tz),
        &["FREQ=MONTHLY;BYDAY=2TU;COUNT=4"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "2027-01: 12 | 2027-02: 9 | 2027-03: 9 | 2027-04: 13",
            "090000"
        )
    );
    let s = set(
        "20270129T090000",
        Some(&tz),
        &["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=4"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "2027-01: 29 | 2027-02: 26 | 2027-03: 31 | 2027-04: 30",
            "090000"
        )
    );
}

#[test]
fn negative_bymonthday_and_leap_days() {
    let s = set("20240131", None, &["FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4"]);
    assert_eq!(
        all_starts(&s),
        ["20240131", "20240229", "20240331", "20240430"]
    );
    let s = set("20240229", None, &["FREQ=YEARLY;COUNT=3"]);
    assert_eq!(all_starts(&s), ["20240229", "20280229", "20320229"]);
    let s = set(
        "20230228",
        None,
        &["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;COUNT=3"],
    );
    assert_eq!(all_starts(&s), ["20230228", "20240229", "20250228"]);
    let s = set("20241231", None, &["FREQ=YEARLY;BYYEARDAY=-1;COUNT=2"]);
    assert_eq!(all_starts(&s), ["20241231", "20251231"]);
    let s = set("20240229", None, &["FREQ=YEARLY;BYYEARDAY=60;COUNT=2"]);
    assert_eq!(all_starts(&s), ["20240229", "20250301"]);
}

#[test]
fn dtstart_counts_even_when_out_of_rule() {
    // DTSTART on a Tuesday, rule on Mondays: DTSTART plus COUNT-1 rule instances.
    let s = set("20270105T100000", None, &["FREQ=WEEKLY;BYDAY=MO;COUNT=3"]);
    assert_eq!(
        all_starts(&s),
        ["20270105T100000", "20270111T100000", "20270118T100000"]
    );
}

#[test]
fn exdate_removes_and_still_counts() {
    let tz = berlin();
    let mut s = set("20270104T100000", Some(&tz), &["FREQ=DAILY;COUNT=5"]);
    // The same instant in UTC, in the zone, and a floating value read in the series zone.
    s.add_exdate(tv("20270105T090000Z", None));
    s.add_exdate(tv("20270106T100000", Some(&tz)));
    s.add_exdate(tv("20270107T100000", None));
    // An EXDATE that names no instance changes nothing.
    s.add_exdate(tv("20270108T110000", Some(&tz)));
    assert_eq!(all_starts(&s), days("2027-01: 4,8", "100000"));
    let mut s = set("20270101", None, &["FREQ=DAILY;COUNT=3"]);
    s.add_exdate(tv("20270102", None));
    assert_eq!(all_starts(&s), ["20270101", "20270103"]);
}

#[test]
fn rdate_adds_in_order_and_deduplicates() {
    let tz = berlin();
    let ny = new_york();
    let mut s = set("20270104T100000", Some(&tz), &["FREQ=WEEKLY;COUNT=3"]);
    s.add_rdate(tv("20270106T150000", Some(&tz)));
    // New York 04:00 is Berlin 10:00: the same instant as the Jan 11 rule instance.
    s.add_rdate(tv("20270111T040000", Some(&ny)));
    s.add_rdate(tv("20270201T090000Z", None));
    assert_eq!(
        all_starts(&s),
        [
            "20270104T100000",
            "20270106T150000",
            "20270111T100000",
            "20270118T100000",
            "20270201T100000"
        ]
    );
    // A set with no rule at all: DTSTART plus RDATEs.
    let mut s = RecurrenceSet::new(tv("20270104", None));
    let (list, w) = TimeValue::parse_list_with_tzid("20270110,20270107", None, &[]).unwrap();
    assert!(w.is_none());
    list.into_iter().for_each(|v| s.add_rdate(v));
    assert_eq!(all_starts(&s), ["20270104", "20270107", "20270110"]);
}

#[test]
fn several_rrules_merge() {
    let s = set(
        "20270104T100000",
        None,
        &[
            "FREQ=WEEKLY;BYDAY=MO;COUNT=2",
            "FREQ=WEEKLY;BYDAY=WE;COUNT=2",
        ],
    );
    assert_eq!(
        all_starts(&s),
        ["20270104T100000", "20270106T100000", "20270111T100000"]
    );
}

#[test]
fn utc_series_keeps_utc_form() {
    let s = set("20270104T090000Z", None, &["FREQ=DAILY;COUNT=2"]);
    assert_eq!(all_starts(&s), ["20270104T090000Z", "20270105T090000Z"]);
    let i = s.instances().nth(1).unwrap();
    assert!(i.start.is_utc());
    assert_eq!(i.instant, utc("20270105T090000Z"));
}

#[test]
fn unbounded_rules_stop_at_the_limits() {
    let mut s = set("20270101T000000", None, &["FREQ=SECONDLY"]);
    s.set_limits(ExpansionLimits {
        max_instances: 1000,
        ..ExpansionLimits::default()
    });
    let mut it = s.instances();
    assert_eq!(it.by_ref().count(), 1000);
    assert!(it.truncated());
    // A rule that can never match ends on the period budget, flagged as truncated.
    let mut s = set(
        "20270101T000000",
        None,
        &["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"],
    );
    s.set_limits(small_limits());
    let mut it = s.instances();
    assert_eq!(it.by_ref().count(), 1, "only DTSTART");
    assert!(it.truncated());
    // The same yearly rule runs out of calendar (year 9999) and is complete.
    let s = set("20270101", None, &["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"]);
    let mut it = s.instances();
    assert_eq!(it.by_ref().count(), 1);
    assert!(!it.truncated());
    // An end instant bounds the expansion without truncation.
    let mut s = set("20270101T000000Z", None, &["FREQ=HOURLY"]);
    s.set_limits(ExpansionLimits {
        end: Some(utc("20270101T050000Z")),
        ..ExpansionLimits::default()
    });
    let mut it = s.instances();
    assert_eq!(it.by_ref().count(), 6);
    assert!(!it.truncated());
}

#[test]
fn sub_daily_rule_on_a_date_is_rejected() {
    let mut s = RecurrenceSet::new(tv("20270101", None));
    assert_eq!(
        s.add_rrule("FREQ=HOURLY").unwrap_err().code,
        ErrorCode::Parse
    );
    assert_eq!(
        s.add_rrule("FREQ=DAILY;COUNT=0").unwrap_err().code,
        ErrorCode::Parse
    );
    assert!(s.add_rrule("FREQ=DAILY").is_ok());
}

#[test]
fn is_instance_in_every_form() {
    let tz = berlin();
    let ny = new_york();
    let zones = [tz.clone(), ny.clone()];
    let tz = &zones[0];
    let mut s = set(
        "20270104T100000",
        Some(tz),
        &["FREQ=WEEKLY;BYDAY=MO,WE;COUNT=40"],
    );
    s.add_exdate(tv("20270113T100000", Some(tz)));
    // TZID form, as written.
    assert!(s.is_instance(&tv("20270111T100000", Some(tz))));
    // UTC form of the same instance, and a summer instance (CEST).
    assert!(s.is_instance(&tv("20270111T090000Z", None)));
    assert!(s.is_instance(&tv("20270405T080000Z", None)));
    assert!(!s.is_instance(&tv("20270405T090000Z", None)));
    // Another zone's wall-clock for the same instant.
    let (other, w) =
        TimeValue::parse_with_tzid("20270111T040000", Some("America/New_York"), &zones).unwrap();
    assert!(w.is_none());
    assert!(s.is_instance(&other));
    // Floating id: read in the series zone.
    assert!(s.is_instance(&tv("20270111T100000", None)));
    // DATE id: by date.
    assert!(s.is_instance(&tv("20270111", None)));
    assert!(!s.is_instance(&tv("20270112", None)));
    // Off-rule time, off-rule day, excluded, before DTSTART, after COUNT.
    assert!(!s.is_instance(&tv("20270111T110000", Some(tz))));
    assert!(!s.is_instance(&tv("20270112T100000", Some(tz))));
    assert_eq!(
        s.find_instance(&tv("20270113T100000", Some(tz))),
        InstanceMatch::NotFound
    );
    assert!(!s.is_instance(&tv("20261228T100000", Some(tz))));
    assert!(!s.is_instance(&tv("20270607T100000", Some(tz))));
    // Found returns the instance in DTSTART's form, and its key.
    match s.find_instance(&tv("20270111T090000Z", None)) {
        InstanceMatch::Found(i) => {
            assert_eq!(i.start, DateOrDateTime::parse("20270111T100000").unwrap());
            assert_eq!(Some(i.instant), s.instance_key(&tv("20270111", None)));
        }
        other => panic!("expected Found, got {other:?}"),
    }
}

#[test]
fn is_instance_on_all_day_series() {
    let mut s = set("20270101", None, &["FREQ=MONTHLY;BYMONTHDAY=1"]);
    s.add_exdate(tv("20270301", None));
    assert!(s.is_instance(&tv("20270201", None)));
    assert!(!s.is_instance(&tv("20270301", None)));
    assert!(!s.is_instance(&tv("20270202", None)));
    // A DATE-TIME id on an all-day series matches by the date it is written with.
    assert!(s.is_instance(&tv("20270401T000000Z", None)));
    // Far in the future, still found quickly and exactly.
    assert!(s.is_instance(&tv("21270101", None)));
}

#[test]
fn is_instance_in_the_dst_overlap() {
    let ny = new_york();
    let s = set("20271105T013000", Some(&ny), &["FREQ=DAILY;COUNT=5"]);
    // 2027-11-07 01:30 happens twice; the instance is the first (EDT, 05:30Z).
    assert!(s.is_instance(&tv("20271107T053000Z", None)));
    assert!(!s.is_instance(&tv("20271107T063000Z", None)));
    assert!(s.is_instance(&tv("20271107T013000", Some(&ny))));
}

#[test]
fn undecided_when_limits_stop_before_the_id() {
    let mut s = set("20270101T000000Z", None, &["FREQ=MINUTELY"]);
    s.set_limits(ExpansionLimits {
        max_instances: 100,
        ..ExpansionLimits::default()
    });
    assert_eq!(
        s.find_instance(&tv("20270102T000000Z", None)),
        InstanceMatch::Undecided
    );
    assert!(matches!(
        s.find_instance(&tv("20270101T000100Z", None)),
        InstanceMatch::Found(_)
    ));
    // A non-recurring component has exactly its DTSTART.
    let s = RecurrenceSet::new(tv("20270101T100000Z", None));
    assert!(s.is_instance(&tv("20270101T100000Z", None)));
    assert_eq!(
        s.find_instance(&tv("20270102T100000Z", None)),
        InstanceMatch::NotFound
    );
}

#[test]
fn starts_helper_is_lazy_on_infinite_rules() {
    let s = set("20270101T100000", None, &["FREQ=DAILY"]);
    assert_eq!(starts(&s, 2), ["20270101T100000", "20270102T100000"]);
}

#[test]
fn instance_end_keeps_the_exact_duration_in_dtend_form() {
    let tz = berlin();
    let ny = new_york();
    let s = set("20270325T233000", Some(&tz), &["FREQ=DAILY;COUNT=5"]);
    let third = s.instances().nth(2).unwrap(); // 2027-03-27 23:30 CET
                                               // One hour: 00:30 CET, before the 02:00 change.
    let end = s
        .instance_end(&tv("20270326T003000", Some(&tz)), &third)
        .unwrap();
    assert_eq!(end.value.to_string(), "20270328T003000");
    let end = s
        .instance_end(&tv("20270326T033000", Some(&tz)), &third)
        .unwrap();
    // Four exact hours from 23:30 CET is 04:30 CEST (the 02:00 hour is skipped).
    assert_eq!(end.value.to_string(), "20270328T043000");
    assert_eq!(end.instant() - third.instant, 4 * 3600);
    // DTEND in another zone and in UTC keeps its own form.
    let end = s
        .instance_end(&tv("20270325T193000", Some(&ny)), &third)
        .unwrap();
    assert_eq!(
        end.value.to_string(),
        "20270327T193000",
        "19:30 EDT = 23:30Z"
    );
    assert_eq!(end.instant() - third.instant, 3600);
    let end = s
        .instance_end(&tv("20270325T233000Z", None), &third)
        .unwrap();
    assert_eq!(end.value.to_string(), "20270327T233000Z");
    // All-day: the same number of days.
    let s = set("20270130", None, &["FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3"]);
    let second = s.instances().nth(1).unwrap();
    assert_eq!(second.start.to_string(), "20270131");
    let end = s.instance_end(&tv("20270201", None), &second).unwrap();
    assert_eq!(end.value.to_string(), "20270202");
}

fn every(name: &str, max: u8) -> String {
    let v: Vec<String> = (0..=max).map(|n| n.to_string()).collect();
    format!("{name}={}", v.join(","))
}

#[test]
fn dense_periods_are_not_materialised() {
    // 86 400 times a day: the period grid is indexed, never built.
    let dense = format!(
        "{};{};{}",
        every("BYHOUR", 23),
        every("BYMINUTE", 59),
        every("BYSECOND", 59)
    );
    let s = set(
        "20270101T120000",
        None,
        &[&format!("FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;{dense}")],
    );
    assert_eq!(
        starts(&s, 3),
        ["20270101T120000", "20270101T120001", "20270101T120002"]
    );
    let s = set(
        "20271231T235959",
        None,
        &[&format!(
            "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31;{dense};BYSETPOS=-1,1;COUNT=3"
        )],
    );
    assert_eq!(
        all_starts(&s),
        ["20271231T235959", "20281231T000000", "20281231T235959"]
    );
    // Two days of seconds in one yearly period, BYSETPOS from the end.
    let s = set(
        "20270101T000000",
        None,
        &[&format!(
            "FREQ=YEARLY;BYYEARDAY=1,-1;{dense};BYSETPOS=-2;COUNT=2"
        )],
    );
    assert_eq!(all_starts(&s), ["20270101T000000", "20271231T235958"]);
}
