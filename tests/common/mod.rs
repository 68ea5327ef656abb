//! Shared fixtures for the time-layer tests: VTIMEZONEs as servers send them, expansion helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::indexing_slicing)]

use caldav_sched::ical::datetime::Instant;
use caldav_sched::ical::recur::{ExpansionLimits, RecurrenceSet};
use caldav_sched::ical::timezone::{Observance, ObservanceKind, TimeValue, TimeZone};

/// America/New_York as in the RFC 5545 examples era and today (rules valid since 1967).
pub fn new_york() -> TimeZone {
    let o = |kind, start, from, to, rule: &str| {
        let rules: Vec<&str> = if rule.is_empty() { vec![] } else { vec![rule] };
        Observance::parse(kind, start, from, to, &rules, &[]).unwrap()
    };
    use ObservanceKind::{Daylight, Standard};
    TimeZone::new(
        "America/New_York",
        vec![
            o(
                Daylight,
                "19670430T020000",
                "-0500",
                "-0400",
                "FREQ=YEARLY;BYMONTH=4;BYDAY=-1SU;UNTIL=19730429T070000Z",
            ),
            o(
                Standard,
                "19671029T020000",
                "-0400",
                "-0500",
                "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z",
            ),
            o(Daylight, "19740106T020000", "-0500", "-0400", ""),
            o(Daylight, "19750223T020000", "-0500", "-0400", ""),
            o(
                Daylight,
                "19760425T020000",
                "-0500",
                "-0400",
                "FREQ=YEARLY;BYMONTH=4;BYDAY=-1SU;UNTIL=19860427T070000Z",
            ),
            o(
                Daylight,
                "19870405T020000",
                "-0500",
                "-0400",
                "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z",
            ),
            o(
                Daylight,
                "20070311T020000",
                "-0500",
                "-0400",
                "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
            ),
            o(
                Standard,
                "20071104T020000",
                "-0400",
                "-0500",
                "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
            ),
        ],
    )
    .unwrap()
}

/// Europe/Berlin as Google and Outlook send it.
pub fn berlin() -> TimeZone {
    TimeZone::new(
        "Europe/Berlin",
        vec![
            Observance::parse(
                ObservanceKind::Daylight,
                "19700329T020000",
                "+0100",
                "+0200",
                &["FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"],
                &[],
            )
            .unwrap(),
            Observance::parse(
                ObservanceKind::Standard,
                "19701025T030000",
                "+0200",
                "+0100",
                &["FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"],
                &[],
            )
            .unwrap(),
        ],
    )
    .unwrap()
}

/// The instant of a UTC DATE-TIME string.
pub fn utc(s: &str) -> Instant {
    TimeValue::parse(s, None).unwrap().instant()
}

/// A set from DTSTART (in `zone` unless UTC/DATE) and RRULEs.
pub fn set<'z>(dtstart: &str, zone: Option<&'z TimeZone>, rrules: &[&str]) -> RecurrenceSet<'z> {
    let mut s = RecurrenceSet::new(TimeValue::parse(dtstart, zone).unwrap());
    for r in rrules {
        s.add_rrule(r).unwrap();
    }
    s
}

/// The first `n` instance starts (as written in DTSTART's form).
pub fn starts(s: &RecurrenceSet<'_>, n: usize) -> Vec<String> {
    s.instances().take(n).map(|i| i.start.to_string()).collect()
}

/// All instance starts under the default limits.
pub fn all_starts(s: &RecurrenceSet<'_>) -> Vec<String> {
    let mut it = s.instances();
    let v: Vec<String> = it.by_ref().map(|i| i.start.to_string()).collect();
    assert!(!it.truncated(), "expansion unexpectedly truncated");
    v
}

/// Expected wall-clock values: `"1997-09: 2,4,10-12 | 1997-10: 1"` style lists, fixed time.
pub fn days(spec: &str, time: &str) -> Vec<String> {
    let mut out = Vec::new();
    for group in spec.split('|') {
        let (ym, list) = group.trim().split_once(':').unwrap();
        let (y, m) = ym.trim().split_once('-').unwrap();
        for d in list.split(',') {
            let d = d.trim();
            if d.is_empty() {
                continue;
            }
            let (from, to) = d.split_once('-').unwrap_or((d, d));
            for day in from.parse::<u8>().unwrap()..=to.parse::<u8>().unwrap() {
                out.push(format!("{y}{m}{day:02}T{time}"));
            }
        }
    }
    out
}

/// Limits with a small period budget (for tests of pathological rules).
pub fn small_limits() -> ExpansionLimits {
    ExpansionLimits {
        max_periods: 10_000,
        ..ExpansionLimits::default()
    }
}
