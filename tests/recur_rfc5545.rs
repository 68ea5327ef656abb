//! The RRULE examples of RFC 5545 3.8.5.3, checked instance by instance (DTSTART in
//! America/New_York from the object's own VTIMEZONE).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use caldav_sched::ical::timezone::TimeValue;
use common::{all_starts, days, new_york, set, starts, utc};

const T9: &str = "090000";

#[test]
fn daily_for_10_occurrences() {
    let ny = new_york();
    let s = set("19970902T090000", Some(&ny), &["FREQ=DAILY;COUNT=10"]);
    assert_eq!(all_starts(&s), days("1997-09: 2-11", T9));
}

#[test]
fn daily_until_december_24_crosses_the_dst_end() {
    let ny = new_york();
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=DAILY;UNTIL=19971224T000000Z"],
    );
    let expected = days(
        "1997-09: 2-30 | 1997-10: 1-31 | 1997-11: 1-30 | 1997-12: 1-23",
        T9,
    );
    assert_eq!(all_starts(&s), expected);
    let instants: Vec<i64> = s.instances().map(|i| i.instant).collect();
    // 9:00 AM EDT before October 26, 9:00 AM EST from then on.
    assert!(instants.contains(&utc("19971025T130000Z")));
    assert!(instants.contains(&utc("19971026T140000Z")));
    assert_eq!(instants.last(), Some(&utc("19971223T140000Z")));
}

#[test]
fn every_other_day_forever() {
    let ny = new_york();
    let s = set("19970902T090000", Some(&ny), &["FREQ=DAILY;INTERVAL=2"]);
    let expected = days(
        "1997-09: 2,4,6,8,10,12,14,16,18,20,22,24,26,28,30 | 1997-10: 2,4,6,8,10,12,14,16,18,20,22,24,26,28,30 | 1997-11: 1,3,5",
        T9,
    );
    assert_eq!(starts(&s, expected.len()), expected);
}

#[test]
fn every_10_days_5_occurrences() {
    let ny = new_york();
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=DAILY;INTERVAL=10;COUNT=5"],
    );
    assert_eq!(all_starts(&s), days("1997-09: 2,12,22 | 1997-10: 2,12", T9));
}

#[test]
fn every_day_in_january_for_3_years_two_ways() {
    let ny = new_york();
    let expected = days("1998-01: 1-31 | 1999-01: 1-31 | 2000-01: 1-31", T9);
    let yearly = set(
        "19980101T090000",
        Some(&ny),
        &["FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA"],
    );
    assert_eq!(all_starts(&yearly), expected);
    let daily = set(
        "19980101T090000",
        Some(&ny),
        &["FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1"],
    );
    assert_eq!(all_starts(&daily), expected);
}

#[test]
fn weekly_for_10_occurrences() {
    let ny = new_york();
    let s = set("19970902T090000", Some(&ny), &["FREQ=WEEKLY;COUNT=10"]);
    assert_eq!(
        all_starts(&s),
        days(
            "1997-09: 2,9,16,23,30 | 1997-10: 7,14,21,28 | 1997-11: 4",
            T9
        )
    );
}

#[test]
fn weekly_until_december_24() {
    let ny = new_york();
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=WEEKLY;UNTIL=19971224T000000Z"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-09: 2,9,16,23,30 | 1997-10: 7,14,21,28 | 1997-11: 4,11,18,25 | 1997-12: 2,9,16,23",
            T9
        )
    );
}

#[test]
fn every_other_week_forever() {
    let ny = new_york();
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=WEEKLY;INTERVAL=2;WKST=SU"],
    );
    let expected = days(
        "1997-09: 2,16,30 | 1997-10: 14,28 | 1997-11: 11,25 | 1997-12: 9,23 | 1998-01: 6,20 | 1998-02: 3,17",
        T9,
    );
    assert_eq!(starts(&s, expected.len()), expected);
}

#[test]
fn weekly_on_tuesday_and_thursday_for_five_weeks_two_ways() {
    let ny = new_york();
    let expected = days("1997-09: 2,4,9,11,16,18,23,25,30 | 1997-10: 2", T9);
    for rule in [
        "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
        "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
    ] {
        assert_eq!(
            all_starts(&set("19970902T090000", Some(&ny), &[rule])),
            expected,
            "{rule}"
        );
    }
}

#[test]
fn every_other_week_on_monday_wednesday_friday_until_december_24() {
    let ny = new_york();
    let s = set(
        "19970901T090000",
        Some(&ny),
        &["FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-09: 1,3,5,15,17,19,29 | 1997-10: 1,3,13,15,17,27,29,31 | 1997-11: 10,12,14,24,26,28 | 1997-12: 8,10,12,22",
            T9
        )
    );
}

#[test]
fn every_other_week_on_tuesday_and_thursday_for_8_occurrences() {
    let ny = new_york();
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH"],
    );
    assert_eq!(
        all_starts(&s),
        days("1997-09: 2,4,16,18,30 | 1997-10: 2,14,16", T9)
    );
}

#[test]
fn monthly_on_the_first_friday() {
    let ny = new_york();
    let s = set(
        "19970905T090000",
        Some(&ny),
        &["FREQ=MONTHLY;COUNT=10;BYDAY=1FR"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-09: 5 | 1997-10: 3 | 1997-11: 7 | 1997-12: 5 | 1998-01: 2 | 1998-02: 6 | 1998-03: 6 | 1998-04: 3 | 1998-05: 1 | 1998-06: 5",
            T9
        )
    );
    let s = set(
        "19970905T090000",
        Some(&ny),
        &["FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR"],
    );
    assert_eq!(
        all_starts(&s),
        days("1997-09: 5 | 1997-10: 3 | 1997-11: 7 | 1997-12: 5", T9)
    );
}

#[test]
fn every_other_month_on_the_first_and_last_sunday() {
    let ny = new_york();
    let s = set(
        "19970907T090000",
        Some(&ny),
        &["FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-09: 7,28 | 1997-11: 2,30 | 1998-01: 4,25 | 1998-03: 1,29 | 1998-05: 3,31",
            T9
        )
    );
}

#[test]
fn monthly_on_the_second_to_last_monday_for_6_months() {
    let ny = new_york();
    let s = set(
        "19970922T090000",
        Some(&ny),
        &["FREQ=MONTHLY;COUNT=6;BYDAY=-2MO"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-09: 22 | 1997-10: 20 | 1997-11: 17 | 1997-12: 22 | 1998-01: 19 | 1998-02: 16",
            T9
        )
    );
}

#[test]
fn monthly_on_the_third_to_last_day_forever() {
    let ny = new_york();
    let s = set(
        "19970928T090000",
        Some(&ny),
        &["FREQ=MONTHLY;BYMONTHDAY=-3"],
    );
    let expected = days(
        "1997-09: 28 | 1997-10: 29 | 1997-11: 28 | 1997-12: 29 | 1998-01: 29 | 1998-02: 26",
        T9,
    );
    assert_eq!(starts(&s, expected.len()), expected);
}

#[test]
fn monthly_on_the_2nd_and_15th_and_on_the_first_and_last_day() {
    let ny = new_york();
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-09: 2,15 | 1997-10: 2,15 | 1997-11: 2,15 | 1997-12: 2,15 | 1998-01: 2,15",
            T9
        )
    );
    let s = set(
        "19970930T090000",
        Some(&ny),
        &["FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-09: 30 | 1997-10: 1,31 | 1997-11: 1,30 | 1997-12: 1,31 | 1998-01: 1,31 | 1998-02: 1",
            T9
        )
    );
}

#[test]
fn every_18_months_on_the_10th_thru_15th() {
    let ny = new_york();
    let s = set(
        "19970910T090000",
        Some(&ny),
        &["FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15"],
    );
    assert_eq!(all_starts(&s), days("1997-09: 10-15 | 1999-03: 10-13", T9));
}

#[test]
fn every_tuesday_every_other_month() {
    let ny = new_york();
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=MONTHLY;INTERVAL=2;BYDAY=TU"],
    );
    let expected = days(
        "1997-09: 2,9,16,23,30 | 1997-11: 4,11,18,25 | 1998-01: 6,13,20,27 | 1998-03: 3,10,17,24,31",
        T9,
    );
    assert_eq!(starts(&s, expected.len()), expected);
}

#[test]
fn yearly_in_june_and_july() {
    let ny = new_york();
    let s = set(
        "19970610T090000",
        Some(&ny),
        &["FREQ=YEARLY;COUNT=10;BYMONTH=6,7"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-06: 10 | 1997-07: 10 | 1998-06: 10 | 1998-07: 10 | 1999-06: 10 | 1999-07: 10 | 2000-06: 10 | 2000-07: 10 | 2001-06: 10 | 2001-07: 10",
            T9
        )
    );
}

#[test]
fn every_other_year_in_january_february_march() {
    let ny = new_york();
    let s = set(
        "19970310T090000",
        Some(&ny),
        &["FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-03: 10 | 1999-01: 10 | 1999-02: 10 | 1999-03: 10 | 2001-01: 10 | 2001-02: 10 | 2001-03: 10 | 2003-01: 10 | 2003-02: 10 | 2003-03: 10",
            T9
        )
    );
}

#[test]
fn every_third_year_on_the_1st_100th_200th_day() {
    let ny = new_york();
    let s = set(
        "19970101T090000",
        Some(&ny),
        &["FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200"],
    );
    assert_eq!(
        all_starts(&s),
        days(
            "1997-01: 1 | 1997-04: 10 | 1997-07: 19 | 2000-01: 1 | 2000-04: 9 | 2000-07: 18 | 2003-01: 1 | 2003-04: 10 | 2003-07: 19 | 2006-01: 1",
            T9
        )
    );
}

#[test]
fn every_20th_monday_and_monday_of_week_20() {
    let ny = new_york();
    let s = set("19970519T090000", Some(&ny), &["FREQ=YEARLY;BYDAY=20MO"]);
    assert_eq!(
        starts(&s, 3),
        days("1997-05: 19 | 1998-05: 18 | 1999-05: 17", T9)
    );
    let s = set(
        "19970512T090000",
        Some(&ny),
        &["FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO"],
    );
    assert_eq!(
        starts(&s, 3),
        days("1997-05: 12 | 1998-05: 11 | 1999-05: 17", T9)
    );
}

#[test]
fn every_thursday_in_march_and_in_summer() {
    let ny = new_york();
    let s = set(
        "19970313T090000",
        Some(&ny),
        &["FREQ=YEARLY;BYMONTH=3;BYDAY=TH"],
    );
    let expected = days(
        "1997-03: 13,20,27 | 1998-03: 5,12,19,26 | 1999-03: 4,11,18,25",
        T9,
    );
    assert_eq!(starts(&s, expected.len()), expected);
    let s = set(
        "19970605T090000",
        Some(&ny),
        &["FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8"],
    );
    let expected = days(
        "1997-06: 5,12,19,26 | 1997-07: 3,10,17,24,31 | 1997-08: 7,14,21,28 | 1998-06: 4,11,18,25 | 1998-07: 2,9,16,23,30 | 1998-08: 6,13,20,27 | 1999-06: 3,10,17,24 | 1999-07: 1,8,15,22,29 | 1999-08: 5,12,19,26",
        T9,
    );
    assert_eq!(starts(&s, expected.len()), expected);
}

#[test]
fn every_friday_the_13th_with_dtstart_excluded() {
    let ny = new_york();
    let mut s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13"],
    );
    s.add_exdate(TimeValue::parse("19970902T090000", Some(&ny)).unwrap());
    assert_eq!(
        starts(&s, 5),
        days(
            "1998-02: 13 | 1998-03: 13 | 1998-11: 13 | 1999-08: 13 | 2000-10: 13",
            T9
        )
    );
}

#[test]
fn first_saturday_after_first_sunday() {
    let ny = new_york();
    let s = set(
        "19970913T090000",
        Some(&ny),
        &["FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13"],
    );
    assert_eq!(
        starts(&s, 10),
        days(
            "1997-09: 13 | 1997-10: 11 | 1997-11: 8 | 1997-12: 13 | 1998-01: 10 | 1998-02: 7 | 1998-03: 7 | 1998-04: 11 | 1998-05: 9 | 1998-06: 13",
            T9
        )
    );
}

#[test]
fn us_presidential_election_day() {
    let ny = new_york();
    let s = set(
        "19961105T090000",
        Some(&ny),
        &["FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8"],
    );
    assert_eq!(
        starts(&s, 3),
        days("1996-11: 5 | 2000-11: 7 | 2004-11: 2", T9)
    );
}

#[test]
fn bysetpos_third_and_second_to_last() {
    let ny = new_york();
    let s = set(
        "19970904T090000",
        Some(&ny),
        &["FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3"],
    );
    assert_eq!(
        all_starts(&s),
        days("1997-09: 4 | 1997-10: 7 | 1997-11: 6", T9)
    );
    let s = set(
        "19970929T090000",
        Some(&ny),
        &["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2"],
    );
    assert_eq!(
        starts(&s, 7),
        days(
            "1997-09: 29 | 1997-10: 30 | 1997-11: 27 | 1997-12: 30 | 1998-01: 29 | 1998-02: 26 | 1998-03: 30",
            T9
        )
    );
}

#[test]
fn every_3_hours_on_a_specific_day() {
    // The RFC's UNTIL=19970902T170000Z contradicts its own list (15:00 EDT is 19:00Z); with the
    // corrected UNTIL (erratum 3883: 210000Z) the listed 09:00, 12:00, 15:00 come out.
    let ny = new_york();
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z"],
    );
    assert_eq!(
        all_starts(&s),
        ["19970902T090000", "19970902T120000", "19970902T150000"]
    );
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z"],
    );
    assert_eq!(all_starts(&s), ["19970902T090000", "19970902T120000"]);
}

#[test]
fn minutely_every_15_and_every_90_minutes() {
    let ny = new_york();
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=MINUTELY;INTERVAL=15;COUNT=6"],
    );
    assert_eq!(
        all_starts(&s),
        ["090000", "091500", "093000", "094500", "100000", "101500"]
            .map(|t| format!("19970902T{t}"))
    );
    let s = set(
        "19970902T090000",
        Some(&ny),
        &["FREQ=MINUTELY;INTERVAL=90;COUNT=4"],
    );
    assert_eq!(
        all_starts(&s),
        ["090000", "103000", "120000", "133000"].map(|t| format!("19970902T{t}"))
    );
}

#[test]
fn every_20_minutes_from_9_to_4_40_two_ways() {
    let ny = new_york();
    let mut expected = Vec::new();
    for day in ["19970902", "19970903"] {
        for h in 9..=16 {
            for m in [0, 20, 40] {
                expected.push(format!("{day}T{h:02}{m:02}00"));
            }
        }
    }
    for rule in [
        "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
        "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16",
    ] {
        let s = set("19970902T090000", Some(&ny), &[rule]);
        assert_eq!(starts(&s, expected.len()), expected, "{rule}");
    }
}

#[test]
fn wkst_changes_the_weeks() {
    let ny = new_york();
    let s = set(
        "19970805T090000",
        Some(&ny),
        &["FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO"],
    );
    assert_eq!(all_starts(&s), days("1997-08: 5,10,19,24", T9));
    let s = set(
        "19970805T090000",
        Some(&ny),
        &["FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU"],
    );
    assert_eq!(all_starts(&s), days("1997-08: 5,17,19,31", T9));
}

#[test]
fn invalid_dates_are_skipped_not_clamped() {
    let ny = new_york();
    let s = set(
        "20070115T090000",
        Some(&ny),
        &["FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5"],
    );
    assert_eq!(
        all_starts(&s),
        days("2007-01: 15,30 | 2007-02: 15 | 2007-03: 15,30", T9)
    );
    // The new 2007 US rule applies: March 15 is already EDT.
    let last = s.instances().last().unwrap();
    assert_eq!(last.instant, utc("20070330T130000Z"));
}
