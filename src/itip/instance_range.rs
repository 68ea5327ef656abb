//! Instances governed by a `RANGE=THISANDFUTURE` override.
//!
//! RFC 5545 §3.8.4.4: an override whose RECURRENCE-ID has `RANGE=THISANDFUTURE` applies to its
//! instance and every later one ("determined by their RECURRENCE-ID value and not their current
//! scheduled start time"); when it moves its instance, "all subsequent instances are also
//! rescheduled by the same time difference". Instances that have their own override are not
//! affected. So the override an attendee adds for a later instance (RFC 6638 §3.2.2.1 item 11)
//! takes its content from the governing range override, moved by that difference, not from the
//! master. The attendee never writes RANGE itself (PROTOCOL §2.3): the new override names one
//! instance.

use crate::error::Result;
use crate::ical::datetime::{DateOrDateTime, DateTime, Instant};
use crate::ical::timezone::TimeValue;
use crate::ical::Component;
use crate::itip::identity::scheduling_components;
use crate::itip::instance::{instance_key_in, make_override_in, set_time, InstanceKey};
use crate::itip::zones::{read_time, TimeZone};

/// The override to add for the instance `key` of `master` in `calendar`: built from the master
/// ([`make_override_in`]), with the content of the `RANGE=THISANDFUTURE` override governing that
/// instance when there is one. `NO_SUCH_INSTANCE` when the key names no instance.
pub(crate) fn new_override(
    calendar: &Component,
    master: &Component,
    zones: &[TimeZone],
    key: &InstanceKey,
) -> Result<Component> {
    let from_master = make_override_in(master, zones, key)?;
    let Some(range) = governing(calendar, master, zones, key)? else {
        return Ok(from_master);
    };
    Ok(moved_like(&from_master, range, zones)?.unwrap_or(from_master))
}

/// Whether a component's RECURRENCE-ID carries `RANGE=THISANDFUTURE`.
pub(crate) fn is_range_override(c: &Component) -> bool {
    c.property("RECURRENCE-ID")
        .and_then(|rid| rid.param_value("RANGE"))
        .is_some_and(|range| range.trim().eq_ignore_ascii_case("THISANDFUTURE"))
}

/// The range override governing `key`: of the same kind and UID, with the latest RECURRENCE-ID
/// at or before the instance.
fn governing<'a>(
    calendar: &'a Component,
    master: &Component,
    zones: &[TimeZone],
    key: &InstanceKey,
) -> Result<Option<&'a Component>> {
    let mut best: Option<(Instant, &Component)> = None;
    for c in scheduling_components(calendar) {
        if c.kind() != master.kind() || !is_range_override(c) {
            continue;
        }
        let Some(k) = instance_key_in(c, calendar, zones)? else {
            continue;
        };
        if k.uid() != key.uid() || k.instant() > key.instant() {
            continue;
        }
        if best.is_none_or(|(at, _)| k.instant() > at) {
            best = Some((k.instant(), c));
        }
    }
    Ok(best.map(|(_, c)| c))
}

/// `range`'s content for the instance `from_master` names: its lines (untouched ones keep their
/// bytes), the RECURRENCE-ID of `from_master` (no RANGE), and DTSTART, DTEND and DUE moved by the
/// difference `range` moved its own instance by. `None` when the times cannot be moved alike
/// (no DTSTART in `range`, or a DATE against a DATE-TIME): the master's content applies then.
fn moved_like(
    from_master: &Component,
    range: &Component,
    zones: &[TimeZone],
) -> Result<Option<Component>> {
    let (Some(rid), Some(range_rid), Some(range_start)) = (
        from_master.property("RECURRENCE-ID"),
        range.property("RECURRENCE-ID"),
        range.property("DTSTART"),
    ) else {
        return Ok(None);
    };
    let (instance, _) = read_time(rid, zones)?;
    let (moved_from, _) = read_time(range_rid, zones)?;
    let (moved_to, _) = read_time(range_start, zones)?;
    let date = moved_to.value.is_date();
    if instance.value.is_date() != date || moved_from.value.is_date() != date {
        return Ok(None);
    }
    let Some(start) = shift(&moved_to, &moved_from, &instance) else {
        return Ok(None);
    };
    let mut out = range.clone();
    if let Some(p) = out.property_mut("RECURRENCE-ID") {
        *p = rid.clone();
    }
    if let Some(p) = out.property_mut("DTSTART") {
        set_time(p, &start)?;
    }
    for name in ["DTEND", "DUE"] {
        let Some(p) = range.property(name) else {
            continue;
        };
        let (end, _) = read_time(p, zones)?;
        if end.value.is_date() != date {
            continue;
        }
        if let (Some(v), Some(target)) = (shift(&end, &moved_to, &start), out.property_mut(name)) {
            set_time(target, &v)?;
        }
    }
    Ok(Some(out))
}

/// `value` moved the way `from` moved to `to`: the exact time difference for DATE-TIMEs (written
/// in `value`'s own frame and form), whole days for DATEs.
fn shift<'z>(
    value: &TimeValue<'z>,
    from: &TimeValue<'_>,
    to: &TimeValue<'_>,
) -> Option<TimeValue<'z>> {
    if value.value.is_date() {
        let days = value.value.date().day_number() - from.value.date().day_number();
        let date = to.value.date().add_days(days)?;
        return Some(TimeValue::new(DateOrDateTime::Date(date), None));
    }
    let instant = to
        .instant()
        .checked_add(value.instant().checked_sub(from.instant())?)?;
    if value.is_floating() {
        let local = value.frame().to_local(instant)?;
        let moved = DateOrDateTime::DateTime(DateTime { local, utc: false });
        return Some(TimeValue::new(moved, None));
    }
    TimeValue::at_instant(instant, value.frame(), value.value.is_utc(), value.zone)
}
