//! Instances an `RDATE;VALUE=PERIOD` adds have their own length: "If the "RDATE" property is
//! specified as a PERIOD value the duration of the recurrence instance will be the one specified
//! by the "RDATE" property, and not the duration of the recurrence instance defined by the
//! "DTSTART" property" (RFC 5545 §5 item 2; §3.8.5.2). An override made for such an instance
//! ends where its period ends, so an attendee's answer does not change the meeting's length
//! (RFC 6638 §3.2.2.1 item 11).

use crate::error::Result;
use crate::ical::datetime::{DateTime, Duration, Instant, Period, PeriodEnd};
use crate::ical::timezone::TimeValue;
use crate::ical::{Component, Property};
use crate::itip::instance::set_time;
use crate::itip::zones::{read_time, TimeZone};

/// The end of the instance starting at `start` when an RDATE PERIOD of `master` adds it.
pub(crate) fn period_end(
    master: &Component,
    zones: &[TimeZone],
    start: Instant,
) -> Option<Instant> {
    for rdate in master.properties_named("RDATE") {
        let tzid = rdate.param_value("TZID");
        for item in rdate.value().split(',').filter(|i| i.contains('/')) {
            let Ok(period) = Period::parse(item.trim()) else {
                continue;
            };
            let at = |value: DateTime| {
                TimeValue::parse_list_with_tzid(&value.to_string(), tzid.as_deref(), zones)
                    .ok()
                    .and_then(|(values, _)| values.first().copied())
            };
            let Some(begin) = at(period.start) else {
                continue;
            };
            if begin.instant() != start {
                continue;
            }
            return match period.end {
                PeriodEnd::End(end) => at(end).map(|e| e.instant()),
                PeriodEnd::Duration(d) => begin.after(&d),
            };
        }
    }
    None
}

/// Sets the end of `out`, an override built from `master` for the instance starting at `start`,
/// to `end`: DTEND or DUE written in the master's own form and zone, else DURATION; with neither
/// in the master, a DURATION is added after DTSTART.
pub(crate) fn set_period_end(
    out: &mut Component,
    master: &Component,
    zones: &[TimeZone],
    start: Instant,
    end: Instant,
) -> Result<()> {
    for name in ["DTEND", "DUE"] {
        let Some(p) = master.property(name) else {
            continue;
        };
        let (written, _) = read_time(p, zones)?;
        if written.value.is_date() {
            return Ok(());
        }
        let value =
            TimeValue::at_instant(end, written.frame(), written.value.is_utc(), written.zone);
        if let (Some(v), Some(target)) = (value, out.property_mut(name)) {
            set_time(target, &v)?;
        }
        return Ok(());
    }
    let length = Duration {
        negative: false,
        days: 0,
        seconds: u64::try_from(end.saturating_sub(start)).unwrap_or(0),
    };
    match out.property_mut("DURATION") {
        Some(p) => p.set_value(&length.to_string())?,
        None => {
            out.insert_property_after("DTSTART", Property::new("DURATION", &length.to_string())?)
        }
    }
    Ok(())
}
