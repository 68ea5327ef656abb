//! Did the organizer move what the user answered? (RFC 6638 §3.2.8: a change of DTSTART, DTEND,
//! DURATION or DUE; an RRULE/RDATE change that adds or moves instances; an EXDATE removal that
//! reinstates some.) SUMMARY, LOCATION or STATUS alone are not a reschedule, and neither is an
//! RRULE change of COUNT/UNTIL that ends the series earlier (it adds no instance); one that
//! extends the series adds instances and is a reschedule (the RFC 6638 §3.2.8 RRULE row).
//!
//! Times are compared as what they mean, not as written: the start as an instant, whether it is
//! a DATE (all-day) or a DATE-TIME, and the effective length of each instance (RFC 5545 §3.6.1:
//! a VEVENT without DTEND or DURATION lasts one day from a DATE DTSTART and ends at its start
//! from a DATE-TIME one). So adding, removing or changing DTEND or DURATION is a reschedule
//! when it changes the length, and `DTEND` for `DURATION` of the same length is not; a DATE
//! DTSTART turned into a DATE-TIME is a reschedule even at the same instant.

use crate::ical::datetime::{DateOrDateTime, Duration, Instant, SECONDS_PER_DAY};
use crate::ical::recur::RecurRule;
use crate::ical::timezone::TimeValue;
use crate::ical::{Component, Property};

use super::compare::{same_rrule, same_rrule_except_end};
use super::zones::{read_time, TimeZone};

/// A component with the time zones of its calendar.
#[derive(Clone, Copy)]
pub struct Timed<'a> {
    /// The component.
    pub component: &'a Component,
    /// The VTIMEZONEs of its calendar.
    pub zones: &'a [TimeZone],
}

impl<'a> Timed<'a> {
    /// The instant of the first `name` property (DTSTART, RECURRENCE-ID...).
    pub fn instant_of(&self, name: &str) -> Option<Instant> {
        let p = self.component.property(name)?;
        read_time(p, self.zones).ok().map(|(v, _)| v.instant())
    }

    /// DTSTART as an instant.
    pub fn start(&self) -> Option<Instant> {
        self.instant_of("DTSTART")
    }

    /// The effective end (RFC 5545 §3.6.1): DTEND or DUE; DTSTART plus DURATION, whose days are
    /// nominal (on DTSTART's wall clock, §3.3.6); for a VEVENT without either, one day after a
    /// DATE DTSTART and at a DATE-TIME one. `None` for a component without an end or without a
    /// readable DTSTART to count from.
    pub fn end(&self) -> Option<Instant> {
        if let Some(end) = self.instant_of("DTEND").or_else(|| self.due()) {
            return Some(end);
        }
        let c = self.component;
        let (start, _) = read_time(c.property("DTSTART")?, self.zones).ok()?;
        if let Some(d) = c.property("DURATION") {
            return start.after(&Duration::parse(d.value().trim()).ok()?);
        }
        if !c.is("VEVENT") {
            return None;
        }
        Some(if start.value.is_date() {
            start.instant() + SECONDS_PER_DAY
        } else {
            start.instant()
        })
    }

    /// The effective length of each instance: [`Timed::end`] minus DTSTART, so DTEND, DUE and a
    /// DURATION that end at the same time are the same length.
    pub fn length(&self) -> Option<i64> {
        Some(self.end()? - self.start()?)
    }

    /// True when DTSTART is a DATE (an all-day component), false for a DATE-TIME; `None`
    /// without a readable DTSTART.
    pub fn starts_on_a_date(&self) -> Option<bool> {
        let p = self.component.property("DTSTART")?;
        DateOrDateTime::parse(p.value().trim())
            .ok()
            .map(|v| v.is_date())
    }

    /// DUE as an instant.
    pub fn due(&self) -> Option<Instant> {
        self.instant_of("DUE")
    }

    /// The instants of every value of the `name` lines (EXDATE, RDATE).
    pub fn list(&self, name: &str) -> Vec<Instant> {
        let mut values = Vec::new();
        for p in self.component.properties_named(name) {
            let tzid = p.param_value("TZID");
            if let Ok((v, _)) =
                TimeValue::parse_list_with_tzid(p.value().trim(), tzid.as_deref(), self.zones)
            {
                values.extend(v);
            }
        }
        TimeValue::instant_set(&values)
    }
}

/// True when RRULE `after` (equal to `before` but for COUNT / UNTIL) may generate instances
/// `before` does not: a longer COUNT, a later UNTIL, or no end at all. RFC 6638 §3.2.8: an RRULE
/// change "that results in the addition of new recurring instances" resets PARTSTAT; a shorter
/// series only removes instances and is not a reschedule. COUNT against UNTIL cannot be told
/// without expanding the rule: counted as a reschedule (asking again is the safe side).
fn ends_later(before: &str, after: &str) -> bool {
    let (Ok(b), Ok(a)) = (
        RecurRule::parse(before.trim()),
        RecurRule::parse(after.trim()),
    ) else {
        return true;
    };
    match ((b.count, b.until), (a.count, a.until)) {
        ((None, None), _) => false,
        (_, (None, None)) => true,
        ((Some(b), _), (Some(a), _)) => a > b,
        ((None, Some(b)), (None, Some(a))) => {
            let (b, a) = (b.to_string(), a.to_string());
            // Same form (both DATE, both UTC...): the basic format orders as text.
            a.len() != b.len() || a > b
        }
        _ => true,
    }
}

/// The properties [`moved`] reads.
const TIMING: &[&str] = &[
    "DTSTART", "DTEND", "DURATION", "DUE", "RRULE", "RDATE", "EXDATE",
];

/// True when both components write the properties that place them in time identically (same
/// lines in the same order) and read them in equal zones: then they happen at the same times,
/// without reading a single value.
fn same_timing(a: Timed<'_>, b: Timed<'_>) -> bool {
    (std::ptr::eq(a.zones, b.zones) || a.zones == b.zones)
        && timing_lines(a.component).eq(timing_lines(b.component))
}

fn timing_lines(c: &Component) -> impl Iterator<Item = &str> {
    // Every TIMING name starts with D, R or E: a first-letter test spares most lines the names.
    c.properties()
        .filter(|p| {
            matches!(
                p.name().as_bytes().first(),
                Some(b'D' | b'R' | b'E' | b'd' | b'r' | b'e')
            ) && TIMING.iter().any(|n| p.is(n))
        })
        .map(Property::text)
}

/// True when the instances of `after` last another time than those of `before`, or changed
/// between all-day and timed (RFC 6638 §3.2.8: "any change" to DTSTART, DTEND or DURATION;
/// lengths per [`Timed::length`], so an end written, removed or changed counts when it changes
/// what the event means).
fn reshaped(before: Timed<'_>, after: Timed<'_>) -> bool {
    before.length() != after.length() || before.starts_on_a_date() != after.starts_on_a_date()
}

/// True when `after` happens at another time than `before` (see the module comment).
/// `instance` is the instance's original start when `before` is a master standing in for one
/// occurrence that `after` overrides. `mine_excluded` is false when `before` is the user's own
/// copy (two-way merge): its extra EXDATEs are the user's exclusions, not instances the
/// organizer reinstated.
pub fn moved(
    before: Timed<'_>,
    after: Timed<'_>,
    instance: Option<Instant>,
    mine_excluded: bool,
) -> bool {
    if same_timing(before, after) {
        // Every value below reads alike on both sides; only the start against `instance` can
        // still differ.
        return instance.is_some_and(|rid| after.start().is_some_and(|s| s != rid));
    }
    if let Some(rid) = instance {
        let start_moved = after.start().is_some_and(|s| s != rid);
        return start_moved || reshaped(before, after);
    }
    if before.start() != after.start() || before.end() != after.end() || reshaped(before, after) {
        return true;
    }
    let rules = |t: &Timed<'_>| -> Vec<String> {
        t.component
            .properties_named("RRULE")
            .map(|p| p.value().to_string())
            .collect()
    };
    let (rb, ra) = (rules(&before), rules(&after));
    if rb.len() != ra.len() {
        return true;
    }
    for (x, y) in rb.iter().zip(ra.iter()) {
        if !same_rrule(x, y) && (!same_rrule_except_end(x, y) || ends_later(x, y)) {
            return true;
        }
    }
    let added_rdates = after
        .list("RDATE")
        .iter()
        .any(|i| !before.list("RDATE").contains(i));
    let reinstated = mine_excluded
        && before
            .list("EXDATE")
            .iter()
            .any(|i| !after.list("EXDATE").contains(i));
    added_rdates || reinstated
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    use crate::test_support::first_component as comp;

    fn t(c: &Component) -> Timed<'_> {
        in_zones(c, &[])
    }

    fn in_zones<'a>(c: &'a Component, zones: &'a [TimeZone]) -> Timed<'a> {
        Timed {
            component: c,
            zones,
        }
    }

    #[test]
    fn what_counts_as_a_move() -> TestResult {
        let a = comp("BEGIN:VEVENT\r\nDTSTART:20090601T150000Z\r\nDTEND:20090601T160000Z\r\nRRULE:FREQ=DAILY;COUNT=5\r\nSUMMARY:a\r\nEND:VEVENT\r\n")?;
        let summary = comp("BEGIN:VEVENT\r\nDTSTART:20090601T150000Z\r\nDURATION:PT1H\r\nRRULE:COUNT=5;FREQ=DAILY;INTERVAL=1\r\nSUMMARY:b\r\nEND:VEVENT\r\n")?;
        let count = comp("BEGIN:VEVENT\r\nDTSTART:20090601T150000Z\r\nDTEND:20090601T160000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n")?;
        let later = comp("BEGIN:VEVENT\r\nDTSTART:20090601T160000Z\r\nDTEND:20090601T170000Z\r\nRRULE:FREQ=DAILY;COUNT=5\r\nEND:VEVENT\r\n")?;
        let weekly = comp("BEGIN:VEVENT\r\nDTSTART:20090601T150000Z\r\nDTEND:20090601T160000Z\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\nEND:VEVENT\r\n")?;
        assert!(!moved(t(&a), t(&summary), None, true));
        assert!(!moved(t(&a), t(&count), None, true));
        // Extending the series adds instances: a reschedule (RFC 6638 §3.2.8 RRULE row).
        assert!(moved(t(&count), t(&a), None, true));
        assert!(moved(t(&a), t(&later), None, true));
        assert!(moved(t(&a), t(&weekly), None, true));
        let over = comp("BEGIN:VEVENT\r\nRECURRENCE-ID:20090602T150000Z\r\nDTSTART:20090602T170000Z\r\nDTEND:20090602T180000Z\r\nEND:VEVENT\r\n")?;
        let rid = t(&over).instant_of("RECURRENCE-ID");
        assert!(moved(t(&a), t(&over), rid, true));
        let same = comp("BEGIN:VEVENT\r\nRECURRENCE-ID:20090602T150000Z\r\nDTSTART:20090602T150000Z\r\nDTEND:20090602T160000Z\r\nEND:VEVENT\r\n")?;
        assert!(!moved(t(&a), t(&same), rid, true));
        Ok(())
    }

    /// RFC 6638 §3.2.8 "DTSTART, DTEND, DURATION, DUE | Any change": an end added or removed,
    /// an all-day event made longer than its implicit day, a DATE start made a DATE-TIME
    /// (RFC 5545 §3.6.1 for the implicit ends); the same length written otherwise is no move.
    #[test]
    fn a_changed_effective_end_is_a_move() -> TestResult {
        let ev = |times: &str| comp(&format!("BEGIN:VEVENT\r\n{times}END:VEVENT\r\n"));
        let timed = ev("DTSTART:20090602T160000Z\r\n")?;
        let hour = ev("DTSTART:20090602T160000Z\r\nDTEND:20090602T170000Z\r\n")?;
        let two_hours = ev("DTSTART:20090602T160000Z\r\nDURATION:PT2H\r\n")?;
        let zero = ev("DTSTART:20090602T160000Z\r\nDURATION:PT0S\r\n")?;
        let day = ev("DTSTART;VALUE=DATE:20090602\r\n")?;
        let two_days = ev("DTSTART;VALUE=DATE:20090602\r\nDTEND;VALUE=DATE:20090604\r\n")?;
        let one_day = ev("DTSTART;VALUE=DATE:20090602\r\nDURATION:P1D\r\n")?;
        let midnight = ev("DTSTART:20090602T000000\r\n")?;
        let midnight_day = ev("DTSTART:20090602T000000\r\nDURATION:P1D\r\n")?;
        for (a, b) in [
            (&timed, &hour),
            (&hour, &timed),
            (&timed, &two_hours),
            (&day, &two_days),
            (&two_days, &day),
            (&day, &midnight),
            (&day, &midnight_day),
        ] {
            assert!(moved(t(a), t(b), None, true), "{a:?} -> {b:?}");
        }
        for (a, b) in [(&timed, &zero), (&day, &one_day), (&one_day, &day)] {
            assert!(!moved(t(a), t(b), None, true), "{a:?} -> {b:?}");
        }
        // An override of an all-day master that only spells its implicit day out is no move;
        // one that makes the day timed is.
        let over = |times: &str| {
            comp(&format!(
                "BEGIN:VEVENT\r\nRECURRENCE-ID;VALUE=DATE:20090602\r\n{times}END:VEVENT\r\n"
            ))
        };
        let spelled = over("DTSTART;VALUE=DATE:20090602\r\nDTEND;VALUE=DATE:20090603\r\n")?;
        let made_timed = over("DTSTART:20090602T000000\r\nDURATION:P1D\r\n")?;
        let rid = t(&spelled).instant_of("RECURRENCE-ID");
        assert!(!moved(t(&day), t(&spelled), rid, true));
        assert!(moved(t(&day), t(&made_timed), rid, true));
        Ok(())
    }

    /// A DURATION's days are nominal (RFC 5545 §3.3.6): across the fall-back night a day is 25
    /// hours, so `P1D` ends where a DTEND on the next day at the same wall-clock time does, and
    /// `PT24H` does not. A VTODO's DUE and a DURATION ending at the same time are the same end.
    #[test]
    fn ends_are_compared_as_instants_with_nominal_days() -> TestResult {
        let zone = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:America/Montreal\r\n\
            BEGIN:STANDARD\r\nDTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n\
            TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n\
            DTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n\
            TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
            END:VCALENDAR\r\n";
        let doc = crate::ical::Document::parse(zone.as_bytes())?;
        let zones = crate::itip::zones::time_zones(doc.calendar().ok_or("no VCALENDAR")?);
        assert_eq!(zones.len(), 1);
        let start = "DTSTART;TZID=America/Montreal:20091031T120000\r\n";
        let ev = |end: &str| comp(&format!("BEGIN:VEVENT\r\n{start}{end}END:VEVENT\r\n"));
        let next_noon = ev("DTEND;TZID=America/Montreal:20091101T120000\r\n")?;
        let next_eleven = ev("DTEND;TZID=America/Montreal:20091101T110000\r\n")?;
        let one_day = ev("DURATION:P1D\r\n")?;
        let hours = ev("DURATION:PT24H\r\n")?;
        assert!(!moved(
            in_zones(&next_noon, &zones),
            in_zones(&one_day, &zones),
            None,
            true
        ));
        assert!(moved(
            in_zones(&next_eleven, &zones),
            in_zones(&one_day, &zones),
            None,
            true
        ));
        assert!(moved(
            in_zones(&one_day, &zones),
            in_zones(&hours, &zones),
            None,
            true
        ));
        assert!(!moved(
            in_zones(&next_eleven, &zones),
            in_zones(&hours, &zones),
            None,
            true
        ));
        let todo = |end: &str| {
            comp(&format!(
                "BEGIN:VTODO\r\nDTSTART:20090602T160000Z\r\n{end}END:VTODO\r\n"
            ))
        };
        let due = todo("DUE:20090602T170000Z\r\n")?;
        let hour = todo("DURATION:PT1H\r\n")?;
        let two = todo("DURATION:PT2H\r\n")?;
        assert!(!moved(t(&due), t(&hour), None, true));
        assert!(!moved(t(&hour), t(&due), None, true));
        assert!(moved(t(&due), t(&two), None, true));
        Ok(())
    }
}
