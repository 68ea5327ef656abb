//! The object's own VTIMEZONE components as [`TimeZone`]s, and reading a DATE / DATE-TIME
//! property (DTSTART, RECURRENCE-ID, DTEND, DUE) in them.

use crate::error::{Error, Result, Warning};
use crate::ical::datetime::DateOrDateTime;
use crate::ical::recur::RecurrenceSet;
use crate::ical::timezone::{Observance, ObservanceKind, TimeValue};
use crate::ical::{Component, Property};

pub use crate::ical::timezone::TimeZone;

/// The VTIMEZONEs of a VCALENDAR. A VTIMEZONE that cannot be read (no TZID, bad offsets, no
/// observance) is skipped: a value that names it is then read as floating with an
/// `UNKNOWN_TZID` warning, which is what happens with a TZID that has no VTIMEZONE at all.
pub fn time_zones(calendar: &Component) -> Vec<TimeZone> {
    calendar
        .components_named("VTIMEZONE")
        .filter_map(|vtz| read_zone(vtz).ok())
        .collect()
}

fn read_zone(vtz: &Component) -> Result<TimeZone> {
    let tzid = vtz.value_of("TZID").unwrap_or_default().trim();
    let mut observances = Vec::new();
    for sub in vtz.components() {
        let kind = if sub.is("STANDARD") {
            ObservanceKind::Standard
        } else if sub.is("DAYLIGHT") {
            ObservanceKind::Daylight
        } else {
            continue;
        };
        let get = |name: &str| sub.value_of(name).unwrap_or_default().trim();
        let rrules: Vec<&str> = sub.properties_named("RRULE").map(Property::value).collect();
        let rdates: Vec<&str> = sub.properties_named("RDATE").map(Property::value).collect();
        observances.push(Observance::parse(
            kind,
            get("DTSTART"),
            get("TZOFFSETFROM"),
            get("TZOFFSETTO"),
            &rrules,
            &rdates,
        )?);
    }
    TimeZone::new(tzid, observances)
}

/// Reads a DATE or DATE-TIME property in the object's zones. A bad value is `PARSE` at the
/// property's line; an unknown TZID reads the value as floating and returns a warning.
pub fn read_time<'z>(
    property: &Property,
    zones: &'z [TimeZone],
) -> Result<(TimeValue<'z>, Option<Warning>)> {
    let tzid = property.param_value("TZID");
    TimeValue::parse_with_tzid(property.value().trim(), tzid.as_deref(), zones)
        .map(|(v, w)| {
            let w = w.map(|mut w| {
                w.line = Some(property.line());
                w
            });
            (v, w)
        })
        .map_err(|e| at_line(e, property))
}

/// Checks a DATE or DATE-TIME property the way [`read_time`] reads it, without resolving its
/// TZID: the same `PARSE` error for a bad value, nothing else to report.
pub fn check_time(property: &Property) -> Result<()> {
    DateOrDateTime::parse(property.value().trim())
        .map(|_| ())
        .map_err(|e| at_line(e, property))
}

/// The recurrence set of a master component (DTSTART, RRULE, RDATE, EXDATE); `None` when it
/// has no DTSTART (a VTODO may have none: it then has no instances).
pub fn recurrence_set<'z>(
    master: &Component,
    zones: &'z [TimeZone],
) -> Result<Option<RecurrenceSet<'z>>> {
    let Some(dtstart) = master.property("DTSTART") else {
        return Ok(None);
    };
    let (start, _) = read_time(dtstart, zones)?;
    let mut set = RecurrenceSet::new(start);
    for rrule in master.properties_named("RRULE") {
        set.add_rrule(rrule.value().trim())
            .map_err(|e| at_line(e, rrule))?;
    }
    for (name, is_rdate) in [("RDATE", true), ("EXDATE", false)] {
        for p in master.properties_named(name) {
            let tzid = p.param_value("TZID");
            let (values, _) =
                TimeValue::parse_list_with_tzid(p.value().trim(), tzid.as_deref(), zones)
                    .map_err(|e| at_line(e, p))?;
            for v in values {
                if is_rdate {
                    set.add_rdate(v);
                } else {
                    set.add_exdate(v);
                }
            }
        }
    }
    Ok(Some(set))
}

/// Re-anchors an error from a value parser at the property's input line.
fn at_line(e: Error, property: &Property) -> Error {
    if e.line.is_some() || property.line() == 0 {
        return e;
    }
    Error::at(
        e.code,
        property.line(),
        format!("{}: {}", property.name(), e.message),
    )
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::ical::Document;

    use crate::test_support::TestResult;

    const CAL: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:America/Montreal\r\nBEGIN:STANDARD\r\nDTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\nBEGIN:VTIMEZONE\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID=America/Montreal:20090602T150000\r\nDTEND;TZID=Nowhere:20090602T160000\r\nDUE:2009\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn zones_read_and_bad_ones_skipped() -> TestResult {
        let doc = Document::parse(CAL.as_bytes())?;
        let cal = doc.calendar().ok_or("no VCALENDAR")?;
        let zones = time_zones(cal);
        assert_eq!(zones.len(), 1);
        let ev = cal.components_named("VEVENT").next().ok_or("no VEVENT")?;
        let (start, w) = read_time(ev.property("DTSTART").ok_or("no DTSTART")?, &zones)?;
        assert!(w.is_none());
        // 15:00 EDT = 19:00Z.
        let utc = TimeValue::parse("20090602T190000Z", None)?;
        assert_eq!(start.instant(), utc.instant());
        let (_, w) = read_time(ev.property("DTEND").ok_or("no DTEND")?, &zones)?;
        let w = w.ok_or("no warning")?;
        assert_eq!((w.code.as_str(), w.line), ("UNKNOWN_TZID", Some(21)));
        let e = read_time(ev.property("DUE").ok_or("no DUE")?, &zones)
            .err()
            .ok_or("expected an error")?;
        assert_eq!(e.line, Some(22));
        assert_eq!(
            check_time(ev.property("DUE").ok_or("no DUE")?).err(),
            Some(e)
        );
        assert!(check_time(ev.property("DTEND").ok_or("no DTEND")?).is_ok());
        Ok(())
    }
}
