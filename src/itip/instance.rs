//! Instances of a recurring scheduling object: keys that identify them, finding the override
//! for one, checking that an id names an instance, and deriving an override from the master.
//!
//! A key is the UID plus the RECURRENCE-ID read as an instant with the object's own VTIMEZONEs,
//! so the TZID, UTC and (for all-day series) DATE forms of one instance are the same key
//! (RFC 5545 §3.8.4.4: the value is the original start of the instance; sabre and CalendarServer
//! compare RECURRENCE-IDs the same way). A master (no RECURRENCE-ID) has no key.
//!
//! Instants follow [`crate::ical::timezone::Frame`]: DATE values are midnight and floating values
//! are read as if they were UTC; a floating RECURRENCE-ID is read in the master's DTSTART zone.

use crate::error::{Error, ErrorCode, Result};
use crate::ical::datetime::{DateOrDateTime, DateTime, Instant, LocalDateTime};
use crate::ical::recur::{Instance, InstanceMatch, RecurrenceSet};
use crate::ical::timezone::{Frame, TimeValue};
use crate::ical::{Component, Property};
use crate::itip::identity::scheduling_components;
use crate::itip::period_instance::{period_end, set_period_end};
use crate::itip::zones::{read_time, recurrence_set, time_zones, TimeZone};

/// Identifies one instance of a recurring object: its UID and its original start as an
/// instant (seconds since 1970-01-01T00:00:00Z; DATE and floating values as if UTC).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstanceKey {
    uid: String,
    instant: Instant,
}

impl InstanceKey {
    /// A key from its parts.
    pub fn new(uid: impl Into<String>, instant: Instant) -> InstanceKey {
        InstanceKey {
            uid: uid.into(),
            instant,
        }
    }

    /// The UID.
    pub fn uid(&self) -> &str {
        &self.uid
    }

    /// The original start as an instant.
    pub fn instant(&self) -> Instant {
        self.instant
    }
}

/// The key of a component: `None` for a master (no RECURRENCE-ID). A RANGE parameter does not
/// change the key (it changes what the override applies to, not which instance it names). A
/// RECURRENCE-ID that is no DATE / DATE-TIME is `PARSE` at its line; a TZID without a VTIMEZONE
/// reads the value as floating.
pub fn instance_key(component: &Component, calendar: &Component) -> Result<Option<InstanceKey>> {
    let zones = time_zones(calendar);
    instance_key_in(component, calendar, &zones)
}

/// [`instance_key`] with the zones already read (see [`time_zones`]).
pub(crate) fn instance_key_in(
    component: &Component,
    calendar: &Component,
    zones: &[TimeZone],
) -> Result<Option<InstanceKey>> {
    let Some(rid) = component.property("RECURRENCE-ID") else {
        return Ok(None);
    };
    let uid = component.value_of("UID").unwrap_or_default();
    let (value, _) = read_time(rid, zones)?;
    let mut instant = value.instant();
    if value.is_floating() {
        // A floating id on a zoned series is read in the DTSTART zone (as RecurrenceSet does).
        let master = master_of(calendar, uid, component.name());
        let master_start = master.and_then(|m| m.property("DTSTART"));
        if let Some(Ok((start, _))) = master_start.map(|p| read_time(p, zones)) {
            if let Frame::Zone(z) = start.frame() {
                instant = z.to_utc(value.value.local());
            }
        }
    }
    Ok(Some(InstanceKey::new(uid, instant)))
}

/// The master of a UID: the component of that name (VEVENT, VTODO...) without RECURRENCE-ID.
pub fn master_of<'a>(calendar: &'a Component, uid: &str, name: &str) -> Option<&'a Component> {
    scheduling_components(calendar).find(|c| {
        c.is(name) && c.value_of("UID") == Some(uid) && c.property("RECURRENCE-ID").is_none()
    })
}

/// The override (component with a RECURRENCE-ID) for `key`, if the object has one.
pub fn find_override<'a>(calendar: &'a Component, key: &InstanceKey) -> Option<&'a Component> {
    let zones = time_zones(calendar);
    scheduling_components(calendar).find(|c| {
        c.value_of("UID") == Some(key.uid())
            && matches!(instance_key_in(c, calendar, &zones), Ok(Some(k)) if &k == key)
    })
}

/// Reads an instance id given by a caller: `20090609T160000Z` (UTC), `20270112T150000` (a
/// wall-clock time in the zone of the master's DTSTART, floating if it has none) or `20270112`
/// (a date; on a timed series, the instance starting that day). ISO 8601 punctuation
/// (`2009-06-09T16:00:00Z`) is accepted. When the id names an instance of the series, the key
/// is that instance's (so a DATE id on a timed series finds it); otherwise the key is the id
/// read as an instant, which can still find an override the organizer made. A malformed id is
/// `INVALID_OPTION`.
pub fn parse_instance_id(
    id: &str,
    calendar: &Component,
    master: &Component,
) -> Result<InstanceKey> {
    let zones = time_zones(calendar);
    parse_instance_id_in(id, master, &zones)
}

pub(crate) fn parse_instance_id_in(
    id: &str,
    master: &Component,
    zones: &[TimeZone],
) -> Result<InstanceKey> {
    let uid = master.value_of("UID").unwrap_or_default();
    let compact: String = id
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect();
    let parsed = DateOrDateTime::parse(&compact).map_err(|_| {
        Error::new(
            ErrorCode::InvalidOption,
            format!(
                "recurrenceId {id:?} is not a DATE or DATE-TIME (e.g. 20090609T160000Z, \
                 20270112T150000 or 20270112)"
            ),
        )
    })?;
    let start = match master.property("DTSTART") {
        Some(p) => Some(read_time(p, zones)?.0),
        None => None,
    };
    let zone = start.and_then(|s| match s.frame() {
        Frame::Zone(z) => Some(z),
        _ => None,
    });
    let value = TimeValue::new(parsed, zone);
    if let Some(set) = recurrence_set(master, zones)? {
        if let InstanceMatch::Found(inst) = set.find_instance(&value) {
            return Ok(InstanceKey::new(uid, inst.instant));
        }
    }
    Ok(InstanceKey::new(uid, value.instant()))
}

/// True when `key` names an instance of the master's recurrence set (DTSTART, RRULE, RDATE,
/// minus EXDATE; RFC 5545 §3.8.5). A different UID is `false`. Expansion is bounded: when the
/// limits are reached before the key, the answer is `TOO_LARGE` rather than a guess.
pub fn is_instance(master: &Component, calendar: &Component, key: &InstanceKey) -> Result<bool> {
    let zones = time_zones(calendar);
    Ok(find_instance_in(master, &zones, key)?.is_some())
}

/// The instance `key` names, if any.
pub(crate) fn find_instance_in(
    master: &Component,
    zones: &[TimeZone],
    key: &InstanceKey,
) -> Result<Option<Instance>> {
    if master.value_of("UID") != Some(key.uid()) {
        return Ok(None);
    }
    match recurrence_set(master, zones)? {
        Some(set) => find_in_set(&set, key),
        None => Ok(None),
    }
}

/// Looks a key up in a recurrence set.
fn find_in_set(set: &RecurrenceSet<'_>, key: &InstanceKey) -> Result<Option<Instance>> {
    let Some(local) = LocalDateTime::from_utc_seconds(key.instant()) else {
        return Ok(None);
    };
    let id = TimeValue::new(
        DateOrDateTime::DateTime(DateTime { local, utc: true }),
        None,
    );
    match set.find_instance(&id) {
        InstanceMatch::Found(inst) => Ok(Some(inst)),
        InstanceMatch::NotFound => Ok(None),
        InstanceMatch::Undecided => Err(Error::new(
            ErrorCode::TooLarge,
            "the recurrence expansion limits were reached before the instance",
        )),
    }
}

/// Builds an override for the instance `key` names from the master (RFC 6638 §3.2.2.1 item 11;
/// RFC 5545 §3.8.4.4): a copy of the master whose untouched lines keep their bytes, without
/// RRULE, RDATE, EXDATE and EXRULE, with DTSTART (and DTEND or DUE, moved by the same amount;
/// DURATION is kept; an instance an RDATE PERIOD adds keeps its own length, see
/// [`crate::itip::period_instance`]) of that instance, and a RECURRENCE-ID in the value form of DTSTART (DATE,
/// UTC, floating or the same TZID) placed right after DTSTART. `NO_SUCH_INSTANCE` when the key
/// names no instance.
pub fn make_override(
    master: &Component,
    calendar: &Component,
    key: &InstanceKey,
) -> Result<Component> {
    let zones = time_zones(calendar);
    make_override_in(master, &zones, key)
}

pub(crate) fn make_override_in(
    master: &Component,
    zones: &[TimeZone],
    key: &InstanceKey,
) -> Result<Component> {
    let set = match recurrence_set(master, zones)? {
        Some(set) if master.value_of("UID") == Some(key.uid()) => set,
        _ => return Err(no_such_instance(key)),
    };
    let inst = find_in_set(&set, key)?.ok_or_else(|| no_such_instance(key))?;
    let mut out = master.clone();
    out.remove_properties(|p| {
        ["RRULE", "RDATE", "EXDATE", "EXRULE"]
            .iter()
            .any(|n| p.is(n))
    });
    for name in ["DTEND", "DUE"] {
        let Some(p) = master.property(name) else {
            continue;
        };
        let (end, _) = read_time(p, zones)?;
        if let (Some(v), Some(target)) = (set.instance_end(&end, &inst), out.property_mut(name)) {
            set_time(target, &v)?;
        }
    }
    if let Some(end) = period_end(master, zones, inst.instant) {
        set_period_end(&mut out, master, zones, inst.instant, end)?;
    }
    let start_text = inst.start.to_string();
    if let Some(p) = out.property_mut("DTSTART") {
        p.set_value(&start_text)?;
    }
    let mut rid = Property::new("RECURRENCE-ID", &start_text)?;
    let dtstart = master.property("DTSTART");
    if let Some(v) = dtstart.and_then(|p| p.param_value("VALUE")) {
        rid.set_param("VALUE", &[v.as_str()]);
    } else if inst.start.is_date() {
        rid.set_param("VALUE", &["DATE"]);
    }
    let tzid = dtstart.and_then(|p| p.param_value("TZID"));
    if let (Some(tzid), false) = (tzid, inst.start.is_utc() || inst.start.is_date()) {
        rid.set_param("TZID", &[tzid.as_str()]);
    }
    out.insert_property_after("DTSTART", rid);
    Ok(out)
}

/// Writes `value` into `property`, without a TZID when it is UTC (RFC 5545 §3.2.19: a time in
/// the fall-back hour is written in UTC, see [`TimeValue::at_instant`]).
pub(crate) fn set_time(property: &mut Property, value: &TimeValue<'_>) -> Result<()> {
    property.set_value(&value.value.to_string())?;
    if value.value.is_utc() {
        property.remove_param("TZID");
    }
    Ok(())
}

/// The `NO_SUCH_INSTANCE` error for a key.
pub(crate) fn no_such_instance(key: &InstanceKey) -> Error {
    let when = LocalDateTime::from_utc_seconds(key.instant())
        .map(|l| format!("{l}Z"))
        .unwrap_or_else(|| key.instant().to_string());
    Error::new(
        ErrorCode::NoSuchInstance,
        format!(
            "{when} is not an instance of {} (not generated by its DTSTART, RRULE and RDATE, or \
             excluded by EXDATE)",
            key.uid()
        ),
    )
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::ical::Document;

    use crate::test_support::TestResult;

    const TZ: &str = "BEGIN:VTIMEZONE\r\nTZID:America/Montreal\r\nBEGIN:STANDARD\r\nDTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

    fn cal(event: &str) -> TestResult<Document> {
        let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{TZ}{event}END:VCALENDAR\r\n");
        Ok(Document::parse(text.as_bytes())?)
    }

    const SERIES: &str = "BEGIN:VEVENT\r\nUID:s1\r\nDTSTART;TZID=America/Montreal:20090601T150000\r\nDTEND;TZID=America/Montreal:20090601T160000\r\nRRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=America/Montreal:20090603T150000\r\nSUMMARY:Daily\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:s1\r\nRECURRENCE-ID:20090604T190000Z\r\nDTSTART;TZID=America/Montreal:20090604T170000\r\nDTEND;TZID=America/Montreal:20090604T180000\r\nEND:VEVENT\r\n";

    #[test]
    fn tzid_utc_and_floating_forms_are_one_key() -> TestResult {
        let doc = cal(SERIES)?;
        let c = doc.calendar().ok_or("no VCALENDAR")?;
        let master = master_of(c, "s1", "VEVENT").ok_or("no master VEVENT with UID s1")?;
        let over = c
            .components_named("VEVENT")
            .nth(1)
            .ok_or("no second VEVENT")?;
        let k = instance_key(over, c)?.ok_or("not an override")?;
        assert!(instance_key(master, c)?.is_none());
        assert_eq!(parse_instance_id("20090604T150000", c, master)?, k);
        assert_eq!(parse_instance_id("20090604T190000Z", c, master)?, k);
        assert_eq!(parse_instance_id("2009-06-04T19:00:00Z", c, master)?, k);
        assert_eq!(parse_instance_id("20090604", c, master)?, k);
        assert_eq!(
            find_override(c, &k).ok_or("no override")?.line(),
            over.line()
        );
        assert!(is_instance(master, c, &k)?);
        assert_eq!(
            parse_instance_id("June 4", c, master)
                .err()
                .ok_or("expected an error")?
                .code,
            ErrorCode::InvalidOption
        );
        Ok(())
    }

    #[test]
    fn exdate_count_and_other_uid_are_not_instances() -> TestResult {
        let doc = cal(SERIES)?;
        let c = doc.calendar().ok_or("no VCALENDAR")?;
        let master = master_of(c, "s1", "VEVENT").ok_or("no master VEVENT with UID s1")?;
        for id in ["20090603T150000", "20090606T150000", "20090602T160000"] {
            let k = parse_instance_id(id, c, master)?;
            assert!(!is_instance(master, c, &k)?, "{id}");
            assert_eq!(
                make_override(master, c, &k)
                    .err()
                    .ok_or("expected an error")?
                    .code,
                ErrorCode::NoSuchInstance
            );
        }
        let k = parse_instance_id("20090602T150000", c, master)?;
        assert!(is_instance(master, c, &k)?);
        assert!(!is_instance(
            master,
            c,
            &InstanceKey::new("other", k.instant())
        )?);
        Ok(())
    }

    #[test]
    fn override_in_tzid_form_keeps_other_lines() -> TestResult {
        let doc = cal(SERIES)?;
        let c = doc.calendar().ok_or("no VCALENDAR")?;
        let master = master_of(c, "s1", "VEVENT").ok_or("no master VEVENT with UID s1")?;
        let k = parse_instance_id("20090602T150000", c, master)?;
        let o = make_override(master, c, &k)?;
        let text = String::from_utf8(o.to_bytes())?;
        assert_eq!(
            text,
            "BEGIN:VEVENT\r\nUID:s1\r\nDTSTART;TZID=America/Montreal:20090602T150000\r\nRECURRENCE-ID;TZID=America/Montreal:20090602T150000\r\nDTEND;TZID=America/Montreal:20090602T160000\r\nSUMMARY:Daily\r\nEND:VEVENT\r\n"
        );
        assert_eq!(instance_key(&o, c)?.ok_or("not an override")?, k);
        Ok(())
    }

    #[test]
    fn override_across_dst_keeps_wall_clock_start_and_exact_duration() -> TestResult {
        let doc = cal("BEGIN:VEVENT\r\nUID:dst\r\nDTSTART;TZID=America/Montreal:20090306T150000\r\nDTEND:20090306T210000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n")?;
        let c = doc.calendar().ok_or("no VCALENDAR")?;
        let m = master_of(c, "dst", "VEVENT").ok_or("no master VEVENT with UID dst")?;
        // 15:00 EDT on March 9 is 19:00Z (EST until March 8).
        let k = parse_instance_id("20090309T190000Z", c, m)?;
        let o = String::from_utf8(make_override(m, c, &k)?.to_bytes())?;
        assert!(o.contains("DTSTART;TZID=America/Montreal:20090309T150000\r\nRECURRENCE-ID;TZID=America/Montreal:20090309T150000\r\nDTEND:20090309T200000Z\r\n"), "{o}");
        // 15:00 EST would be 20:00Z: not an instance after the change.
        let k = parse_instance_id("20090309T200000Z", c, m)?;
        assert!(!is_instance(m, c, &k)?);
        Ok(())
    }

    #[test]
    fn all_day_utc_and_floating_series() -> TestResult {
        let doc = cal("BEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20240102\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTART:20090601T190000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nBEGIN:VTODO\r\nUID:f\r\nDTSTART:20270111T090000\r\nDUE:20270111T100000\r\nRRULE:FREQ=DAILY\r\nEND:VTODO\r\n")?;
        let c = doc.calendar().ok_or("no VCALENDAR")?;
        let d = master_of(c, "d", "VEVENT").ok_or("no master VEVENT with UID d")?;
        let k = parse_instance_id("20240108", c, d)?;
        let o = String::from_utf8(make_override(d, c, &k)?.to_bytes())?;
        assert!(o.contains("DTSTART;VALUE=DATE:20240108\r\nRECURRENCE-ID;VALUE=DATE:20240108\r\nDTEND;VALUE=DATE:20240109\r\n"), "{o}");
        let u = master_of(c, "u", "VEVENT").ok_or("no master VEVENT with UID u")?;
        let k = parse_instance_id("20090602T190000Z", c, u)?;
        let o = String::from_utf8(make_override(u, c, &k)?.to_bytes())?;
        assert!(
            o.contains(
                "DTSTART:20090602T190000Z\r\nRECURRENCE-ID:20090602T190000Z\r\nDURATION:PT1H\r\n"
            ),
            "{o}"
        );
        let f = master_of(c, "f", "VTODO").ok_or("no master VTODO with UID f")?;
        let k = parse_instance_id("20270112T090000", c, f)?;
        let o = String::from_utf8(make_override(f, c, &k)?.to_bytes())?;
        assert!(o.contains("DTSTART:20270112T090000\r\nRECURRENCE-ID:20270112T090000\r\nDUE:20270112T100000\r\n"), "{o}");
        Ok(())
    }
}
