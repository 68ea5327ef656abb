//! Properties of the time layer: no parser panics on any input, canonical values round-trip,
//! random rules expand in order within the limits, and zone conversions invert each other.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use caldav_sched::ical::datetime::{
    Date, DateOrDateTime, DateTime, Duration, LocalDateTime, Period, PeriodEnd, Time, UtcOffset,
};
use caldav_sched::ical::recur::{ExpansionLimits, RecurRule, RecurrenceSet};
use caldav_sched::ical::timezone::{Observance, ObservanceKind, TimeValue};
use proptest::prelude::*;

/// Strings near the grammars (digits, T, Z, signs, duration and rule letters) and anything.
fn near_grammar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9TZ+\\-PWDHMS/,;=]{0,24}",
        "[0-9]{8}(T[0-9]{6}Z?)?",
        "[+\\-]?P[0-9WDTHMS]{0,10}",
        ".{0,40}",
    ]
}

fn rule_part() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "FREQ=SECONDLY",
            "FREQ=MINUTELY",
            "FREQ=HOURLY",
            "FREQ=DAILY",
            "FREQ=WEEKLY",
            "FREQ=MONTHLY",
            "FREQ=YEARLY",
            "freq=yearly",
            "WKST=SU",
            "WKST=MO",
            "WKST=XX",
            "RSCALE=GREGORIAN",
            "SKIP=OMIT",
            "X-FOO=1",
        ])
        .prop_map(str::to_string),
        (0u32..40).prop_map(|n| format!("INTERVAL={n}")),
        (0u32..60).prop_map(|n| format!("COUNT={n}")),
        "[0-9]{8}(T[0-9]{6}Z?)?".prop_map(|u| format!("UNTIL={u}")),
        prop::collection::vec((prop::option::of(-6i8..6), 0usize..7), 1..4).prop_map(|v| {
            let days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
            let items: Vec<String> = v
                .into_iter()
                .map(|(n, d)| {
                    format!(
                        "{}{}",
                        n.map(|n| n.to_string()).unwrap_or_default(),
                        days[d]
                    )
                })
                .collect();
            format!("BYDAY={}", items.join(","))
        }),
        prop::collection::vec(-32i16..33, 1..4).prop_map(|v| list("BYMONTHDAY", &v)),
        prop::collection::vec(0i16..14, 1..4).prop_map(|v| list("BYMONTH", &v)),
        prop::collection::vec(-5i16..6, 1..3).prop_map(|v| list("BYSETPOS", &v)),
        prop::collection::vec(-367i16..367, 1..3).prop_map(|v| list("BYYEARDAY", &v)),
        prop::collection::vec(-54i16..54, 1..3).prop_map(|v| list("BYWEEKNO", &v)),
        prop::collection::vec(0i16..25, 1..3).prop_map(|v| list("BYHOUR", &v)),
        prop::collection::vec(0i16..61, 1..3).prop_map(|v| list("BYMINUTE", &v)),
        prop::collection::vec(0i16..62, 1..3).prop_map(|v| list("BYSECOND", &v)),
    ]
}

fn list(name: &str, v: &[i16]) -> String {
    let items: Vec<String> = v.iter().map(i16::to_string).collect();
    format!("{name}={}", items.join(","))
}

fn rule_text() -> impl Strategy<Value = String> {
    prop::collection::vec(rule_part(), 1..6).prop_map(|parts| parts.join(";"))
}

fn date() -> impl Strategy<Value = Date> {
    (0i32..=9999, 1u8..=12, 1u8..=31).prop_filter_map("valid date", |(y, m, d)| Date::new(y, m, d))
}

fn local_in(years: std::ops::Range<i32>) -> impl Strategy<Value = LocalDateTime> {
    (years, 1u8..=12, 1u8..=28, 0u8..24, 0u8..60, 0u8..60).prop_map(|(y, mo, d, h, mi, s)| {
        LocalDateTime::new(Date::new(y, mo, d).unwrap(), Time::new(h, mi, s).unwrap())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_parser_panics(s in near_grammar()) {
        let _ = Date::parse(&s);
        let _ = Time::parse(&s);
        let _ = DateTime::parse(&s);
        let _ = DateOrDateTime::parse(&s);
        let _ = UtcOffset::parse(&s);
        let _ = Duration::parse(&s);
        let _ = Period::parse(&s);
        let _ = RecurRule::parse(&s);
        let _ = TimeValue::parse_list_with_tzid(&s, Some("X"), &[]);
        let _ = Observance::parse(ObservanceKind::Standard, &s, &s, &s, &[&s], &[&s]);
    }

    #[test]
    fn random_rules_parse_round_trip_and_expand_in_order(
        text in rule_text(),
        start in local_in(1990..2040),
        all_day in any::<bool>(),
    ) {
        let Ok(rule) = RecurRule::parse(&text) else { return Ok(()); };
        let canonical = rule.to_string();
        let again = RecurRule::parse(&canonical).unwrap();
        prop_assert_eq!(&again, &rule);
        prop_assert_eq!(again.to_string(), canonical);
        let dtstart = if all_day {
            DateOrDateTime::Date(start.date)
        } else {
            DateOrDateTime::DateTime(DateTime { local: start, utc: false })
        };
        let mut set = RecurrenceSet::new(TimeValue::new(dtstart, None));
        if set.add_rule(rule).is_err() {
            prop_assert!(all_day);
            return Ok(());
        }
        set.set_limits(ExpansionLimits { max_instances: 200, max_periods: 5_000, end: None });
        let instants: Vec<i64> = set.instances().map(|i| i.instant).collect();
        prop_assert!(!instants.is_empty() && instants.len() <= 200);
        prop_assert_eq!(instants[0], TimeValue::new(dtstart, None).instant());
        prop_assert!(instants.windows(2).all(|w| w[0] < w[1]), "not increasing: {:?}", instants);
        // Every produced instance is found again by the lookup.
        for i in set.instances().take(5) {
            prop_assert!(set.is_instance(&TimeValue::new(i.start, None)));
        }
    }

    #[test]
    fn dates_and_date_times_round_trip(d in date(), h in 0u8..24, m in 0u8..60, s in 0u8..61, utc in any::<bool>()) {
        prop_assert_eq!(Date::parse(&d.to_string()).unwrap(), d);
        let dt = DateTime { local: LocalDateTime::new(d, Time::new(h, m, s).unwrap()), utc };
        prop_assert_eq!(DateTime::parse(&dt.to_string()).unwrap(), dt);
        prop_assert_eq!(DateOrDateTime::parse(&dt.to_string()).unwrap(), DateOrDateTime::DateTime(dt));
        prop_assert_eq!(Date::from_day_number(d.day_number()).unwrap(), d);
        prop_assert_eq!(d.add_days(1).map(|n| n.day_number()), (d < Date::new(9999, 12, 31).unwrap()).then(|| d.day_number() + 1));
    }

    #[test]
    fn offsets_round_trip(secs in -86_399i32..86_400) {
        let o = UtcOffset::from_seconds(secs).unwrap();
        prop_assert_eq!(UtcOffset::parse(&o.to_string()).unwrap(), o);
    }

    #[test]
    fn durations_and_periods_round_trip(neg in any::<bool>(), days in 0u64..100_000, secs in 0u64..10_000_000, start in local_in(1900..2100)) {
        let d = Duration { negative: neg && (days > 0 || secs > 0), days, seconds: secs };
        let text = d.to_string();
        prop_assert_eq!(Duration::parse(&text).unwrap(), d);
        let p = Period { start: DateTime { local: start, utc: true }, end: PeriodEnd::Duration(Duration { negative: false, ..d }) };
        prop_assert_eq!(Period::parse(&p.to_string()).unwrap(), p);
    }

    #[test]
    fn zone_conversions_invert(l in local_in(1971..2200)) {
        for tz in [common::berlin(), common::new_york()] {
            let t = tz.to_utc(l);
            let back = tz.to_local(t).unwrap();
            // Equal, except a nonexistent time (gap) that comes back one hour later.
            let shift = back.as_utc_seconds() - l.as_utc_seconds();
            prop_assert!(shift == 0 || shift == 3600, "{} -> {} in {}", l, back, tz.tzid());
            // From an instant: equal, except the second occurrence of an ambiguous time.
            let again = tz.to_utc(back);
            prop_assert!(again == t || again == t - 3600);
        }
    }
}
