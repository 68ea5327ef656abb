//! How a wall-clock value becomes an instant: UTC, floating, a VTIMEZONE or a fixed offset.

use super::TimeZone;
use crate::error::{Result, Warning};
use crate::ical::datetime::{
    DateOrDateTime, DateTime, Duration, Instant, LocalDateTime, Period, UtcOffset,
};
use crate::ical::recur::sort_keys;

/// The frame a wall-clock value is read in.
#[derive(Debug, Clone, Copy)]
pub enum Frame<'z> {
    /// Floating time and DATE values: compared as if they were UTC. Two floating values compare
    /// correctly with each other; against zoned values this is a convention, not a truth.
    Floating,
    /// UTC (`...Z`).
    Utc,
    /// A fixed offset (a VTIMEZONE onset reads its DTSTART in TZOFFSETFROM).
    Fixed(UtcOffset),
    /// A VTIMEZONE of the object (DATE-TIME with a TZID parameter).
    Zone(&'z TimeZone),
}

impl Frame<'_> {
    /// The instant of a wall-clock value in this frame (gaps and overlaps per RFC 5545 3.3.5).
    pub fn to_instant(&self, local: LocalDateTime) -> Instant {
        match self {
            Frame::Floating | Frame::Utc => local.as_utc_seconds(),
            Frame::Fixed(o) => local.as_utc_seconds() - i64::from(o.seconds()),
            Frame::Zone(z) => z.to_utc(local),
        }
    }

    /// The wall-clock value of an instant in this frame (`None` outside years 0-9999).
    pub fn to_local(&self, instant: Instant) -> Option<LocalDateTime> {
        match self {
            Frame::Floating | Frame::Utc => LocalDateTime::from_utc_seconds(instant),
            Frame::Fixed(o) => LocalDateTime::from_utc_seconds(instant + i64::from(o.seconds())),
            Frame::Zone(z) => z.to_local(instant),
        }
    }
}

/// A DATE or DATE-TIME property value together with the VTIMEZONE its TZID names, if any:
/// DTSTART, RECURRENCE-ID, EXDATE, RDATE.
#[derive(Debug, Clone, Copy)]
pub struct TimeValue<'z> {
    /// The value as written.
    pub value: DateOrDateTime,
    /// The zone of a local DATE-TIME; always `None` for DATE, UTC and floating values.
    pub zone: Option<&'z TimeZone>,
}

impl<'z> TimeValue<'z> {
    /// A value; a zone given with a DATE or UTC value is dropped (RFC 5545 3.2.19 does not apply
    /// TZID to them).
    pub fn new(value: DateOrDateTime, zone: Option<&'z TimeZone>) -> TimeValue<'z> {
        let zone = match value {
            DateOrDateTime::DateTime(dt) if !dt.utc => zone,
            _ => None,
        };
        TimeValue { value, zone }
    }

    /// The DATE-TIME for `instant` written in `frame` (a UTC or a local form as `utc` says, in
    /// `zone`), or in UTC when the local form would name another instant: a wall-clock time that
    /// occurs twice reads as its first occurrence (RFC 5545 §3.3.5), so the second (the fall-back
    /// hour) can only be written in UTC. `None` outside years 0-9999.
    pub fn at_instant(
        instant: Instant,
        frame: Frame<'z>,
        utc: bool,
        zone: Option<&'z TimeZone>,
    ) -> Option<TimeValue<'z>> {
        let local = frame.to_local(instant)?;
        let (local, utc) = if frame.to_instant(local) == instant {
            (local, utc)
        } else {
            (LocalDateTime::from_utc_seconds(instant)?, true)
        };
        Some(TimeValue::new(
            DateOrDateTime::DateTime(DateTime { local, utc }),
            zone,
        ))
    }

    /// The instant `duration` after this value: its nominal days on this value's own wall clock,
    /// then its exact seconds (RFC 5545 §3.3.6: a day across a DST change is 23 or 25 hours).
    /// `None` out of range.
    pub fn after(&self, duration: &Duration) -> Option<Instant> {
        let local = self.value.local();
        let date = local.date.add_days(duration.signed_days())?;
        let moved = self
            .frame()
            .to_instant(LocalDateTime::new(date, local.time));
        moved.checked_add(duration.signed_seconds())
    }

    /// Parses a single DATE or DATE-TIME value read in `zone`.
    pub fn parse(value: &str, zone: Option<&'z TimeZone>) -> Result<TimeValue<'z>> {
        Ok(TimeValue::new(DateOrDateTime::parse(value)?, zone))
    }

    /// Parses a value whose property has the TZID parameter `tzid`, resolving it in `zones`.
    /// An unknown TZID reads the value as floating and returns an `UNKNOWN_TZID` warning.
    pub fn parse_with_tzid(
        value: &str,
        tzid: Option<&str>,
        zones: &'z [TimeZone],
    ) -> Result<(TimeValue<'z>, Option<Warning>)> {
        let parsed = DateOrDateTime::parse(value)?;
        let (zone, warning) = resolve(tzid, zones, parsed);
        Ok((TimeValue::new(parsed, zone), warning))
    }

    /// Parses a comma list (EXDATE, RDATE) like [`TimeValue::parse_with_tzid`]; a PERIOD item
    /// (RDATE;VALUE=PERIOD) contributes its start.
    pub fn parse_list_with_tzid(
        list: &str,
        tzid: Option<&str>,
        zones: &'z [TimeZone],
    ) -> Result<(Vec<TimeValue<'z>>, Option<Warning>)> {
        let mut out = Vec::new();
        let mut warning = None;
        for item in list.split(',') {
            let parsed = if item.contains('/') {
                DateOrDateTime::DateTime(Period::parse(item)?.start)
            } else {
                DateOrDateTime::parse(item)?
            };
            let (zone, w) = resolve(tzid, zones, parsed);
            warning = warning.or(w);
            out.push(TimeValue::new(parsed, zone));
        }
        Ok((out, warning))
    }

    /// The frame this value is read in.
    pub fn frame(&self) -> Frame<'z> {
        match (self.value, self.zone) {
            (DateOrDateTime::DateTime(dt), _) if dt.utc => Frame::Utc,
            (DateOrDateTime::DateTime(_), Some(z)) => Frame::Zone(z),
            _ => Frame::Floating,
        }
    }

    /// `true` for a DATE-TIME without `Z` and without a (known) zone.
    pub fn is_floating(&self) -> bool {
        matches!(self.value, DateOrDateTime::DateTime(dt) if !dt.utc) && self.zone.is_none()
    }

    /// The instant (DATE: midnight, floating: as if UTC; see [`Frame::Floating`]).
    pub fn instant(&self) -> Instant {
        self.frame().to_instant(self.value.local())
    }

    /// The sorted, de-duplicated instants of a list (EXDATE/RDATE values from any number of
    /// properties), so that two lists compare as sets regardless of order, splitting into
    /// several properties, or UTC vs TZID spelling.
    pub fn instant_set(values: &[TimeValue<'_>]) -> Vec<Instant> {
        let mut keys: Vec<Instant> = values.iter().map(TimeValue::instant).collect();
        sort_keys(&mut keys);
        keys
    }

    /// The value `d` later, in the same form and zone (RFC 5545 3.3.6): the nominal days move
    /// the wall clock (so `P1D` stays at the same local time across a DST change), then the exact
    /// seconds move the instant. A DATE plus whole days stays a DATE; a DATE plus a time part
    /// becomes a floating DATE-TIME. `None` outside years 0-9999.
    pub fn add_duration(&self, d: &Duration) -> Option<TimeValue<'z>> {
        let shifted = self.value.local().date.add_days(d.signed_days())?;
        if self.value.is_date() && d.seconds == 0 {
            return Some(TimeValue::new(DateOrDateTime::Date(shifted), None));
        }
        let frame = self.frame();
        let wall = LocalDateTime::new(shifted, self.value.local().time);
        let instant = frame.to_instant(wall).checked_add(d.signed_seconds())?;
        let local = if d.seconds == 0 {
            wall
        } else {
            frame.to_local(instant)?
        };
        let value = DateOrDateTime::DateTime(DateTime {
            local,
            utc: self.value.is_utc(),
        });
        Some(TimeValue::new(value, self.zone))
    }
}

/// The zone named by `tzid` for a local DATE-TIME, with a warning when it is unknown.
fn resolve<'z>(
    tzid: Option<&str>,
    zones: &'z [TimeZone],
    value: DateOrDateTime,
) -> (Option<&'z TimeZone>, Option<Warning>) {
    let local = matches!(value, DateOrDateTime::DateTime(dt) if !dt.utc);
    match tzid {
        Some(id) if local => match TimeZone::find(zones, id) {
            Some(z) => (Some(z), None),
            None => (
                None,
                Some(Warning::new(
                    "UNKNOWN_TZID",
                    format!("no VTIMEZONE for TZID {id:?}: the time is read as floating"),
                    None,
                )),
            ),
        },
        _ => (None, None),
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::ical::timezone::zone::tests::{berlin, new_york};

    use crate::test_support::TestResult;

    #[test]
    fn the_same_instant_in_three_forms() -> TestResult {
        let zones = vec![berlin()?, new_york()?];
        let (zoned, w) =
            TimeValue::parse_with_tzid("20270112T100000", Some("Europe/Berlin"), &zones)?;
        assert!(w.is_none());
        let utc = TimeValue::parse("20270112T090000Z", None)?;
        let ny = TimeValue::parse(
            "20270112T040000",
            TimeZone::find(&zones, "America/New_York"),
        )?;
        assert_eq!(zoned.instant(), utc.instant());
        assert_eq!(ny.instant(), utc.instant());
        assert!(matches!(zoned.frame(), Frame::Zone(_)));
        assert!(matches!(utc.frame(), Frame::Utc));
        Ok(())
    }

    #[test]
    fn unknown_tzid_warns_and_floats() -> TestResult {
        let zones = vec![berlin()?];
        let (v, w) = TimeValue::parse_with_tzid("20270112T100000", Some("Mars/Olympus"), &zones)?;
        assert_eq!(w.ok_or("no warning")?.code, "UNKNOWN_TZID");
        assert!(v.is_floating());
        // TZID on UTC or DATE values is ignored, not warned about.
        let (v, w) = TimeValue::parse_with_tzid("20270112", Some("Mars/Olympus"), &zones)?;
        assert!(w.is_none() && v.zone.is_none() && !v.is_floating());
        Ok(())
    }

    #[test]
    fn lists_and_periods() -> TestResult {
        let zones = vec![berlin()?];
        let (v, w) = TimeValue::parse_list_with_tzid(
            "20270112T100000,20270113T100000/PT1H",
            Some("Europe/Berlin"),
            &zones,
        )?;
        assert!(w.is_none());
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].instant() - v[0].instant(), 86_400);
        assert!(TimeValue::parse_list_with_tzid("20270112T100000,", None, &zones).is_err());
        Ok(())
    }

    #[test]
    fn durations_are_nominal_days_then_exact_seconds() -> TestResult {
        let tz = berlin()?;
        let d = |s: &str| Duration::parse(s);
        // Saturday 10:00 before the March change: P1D keeps 10:00, PT24H lands at 11:00.
        let start = TimeValue::parse("20270327T100000", Some(&tz))?;
        let day = start.add_duration(&d("P1D")?).ok_or("date out of range")?;
        assert_eq!(day.value.to_string(), "20270328T100000");
        assert_eq!(day.instant() - start.instant(), 23 * 3600);
        let hours = start
            .add_duration(&d("PT24H")?)
            .ok_or("date out of range")?;
        assert_eq!(hours.value.to_string(), "20270328T110000");
        assert_eq!(hours.instant() - start.instant(), 24 * 3600);
        let back = start
            .add_duration(&d("-P1DT30M")?)
            .ok_or("date out of range")?;
        assert_eq!(back.value.to_string(), "20270326T093000");
        let all_day = TimeValue::parse("20270227", None)?;
        assert_eq!(
            all_day
                .add_duration(&d("P2D")?)
                .ok_or("date out of range")?
                .value
                .to_string(),
            "20270301"
        );
        assert_eq!(
            all_day
                .add_duration(&d("PT1H")?)
                .ok_or("date out of range")?
                .value
                .to_string(),
            "20270227T010000"
        );
        let utc = TimeValue::parse("20270101T230000Z", None)?;
        assert_eq!(
            utc.add_duration(&d("PT2H")?)
                .ok_or("date out of range")?
                .value
                .to_string(),
            "20270102T010000Z"
        );
        let last = TimeValue::parse("99991231", None)?;
        assert!(last.add_duration(&d("P1D")?).is_none());
        Ok(())
    }

    #[test]
    fn instant_sets_ignore_order_and_spelling() -> TestResult {
        let zones = vec![berlin()?];
        let (a, _) = TimeValue::parse_list_with_tzid(
            "20270113T100000,20270112T100000",
            Some("Europe/Berlin"),
            &zones,
        )?;
        let (b, _) = TimeValue::parse_list_with_tzid(
            "20270112T090000Z,20270113T090000Z,20270112T090000Z",
            None,
            &zones,
        )?;
        assert_eq!(TimeValue::instant_set(&a), TimeValue::instant_set(&b));
        assert_eq!(TimeValue::instant_set(&b).len(), 2);
        let (c, _) = TimeValue::parse_list_with_tzid("20270112T090000Z", None, &zones)?;
        assert_ne!(TimeValue::instant_set(&a), TimeValue::instant_set(&c));
        Ok(())
    }

    #[test]
    fn fixed_frame() -> TestResult {
        let f = Frame::Fixed(UtcOffset::parse("+0530")?);
        let l = crate::ical::datetime::DateTime::parse("20270112T100000")?.local;
        assert_eq!(f.to_instant(l), l.as_utc_seconds() - 19_800);
        assert_eq!(f.to_local(f.to_instant(l)).ok_or("no local time")?, l);
        Ok(())
    }
}
