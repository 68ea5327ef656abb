//! Which components an answer changes, for each scope, and which overrides must be created.
//!
//! - `series`: the master, and every override where I am listed and have not answered that
//!   instance differently. An override answer is "explicit" when it is neither NEEDS-ACTION
//!   (nor an unknown value, which RFC 5545 §3.2.12 says to treat as NEEDS-ACTION) nor equal to
//!   my answer on the master: a series answer then keeps it (per-instance answers are the
//!   attendee's, RFC 6638 §3.2.2.3; flattening them is linagora/tmail-backend#1652), while a
//!   moved instance the organizer reset to NEEDS-ACTION is answered too
//!   (nextcloud/server#61114). Without a master I am listed in, every override where I am listed.
//! - `instance`: the override for `recurrenceId`, or a new one derived from the master
//!   (RFC 6638 §3.2.2.1 item 11, Appendix B.7); `NO_SUCH_INSTANCE` when the id names none.
//! - `thisAndFuture`: the attendee side has no RANGE (RFC 5545 §3.8.4.4 RANGE is the
//!   organizer's tool to change a series; RFC 6638 §3.2.2.1 item 11 lets an attendee add only
//!   overrides that equal a generated instance, and servers key replies by single
//!   RECURRENCE-IDs). So "this and every later instance" is written as: the series answer on
//!   the master (plus the instance's own override and later overrides by the series rule), and
//!   every *earlier* instance that has no override gets one that keeps my previous answer. The
//!   earlier instances are finite (they lie between DTSTART and the id), unlike the later
//!   ones; at most [`MAX_PINNED`] are created, beyond that the answer is `TOO_LARGE`.
//! - Next to the organizer's `RANGE=THISANDFUTURE` override, which governs its own instance and
//!   every later one without an override (RFC 5545 §3.8.4.4): an `instance` answer on that
//!   override's own instance gives the later instances it governs overrides that keep them as
//!   they are; a `thisAndFuture` answer from a later instance gives the instances it governs
//!   from there on overrides with the answer. Both are bounded by [`MAX_PINNED`] too.

use std::borrow::Cow;

use crate::error::{Error, ErrorCode, Result};
use crate::ical::ascii::eq_ignore_case;
use crate::ical::datetime::{DateOrDateTime, Instant};
use crate::ical::timezone::TimeValue;
use crate::ical::{Component, Node, Property};
use crate::itip::identity::{has_group, is_scheduling_component, my_attendees, Me};
use crate::itip::instance::{
    find_instance_in, instance_key_in, no_such_instance, parse_instance_id_in, InstanceKey,
};
use crate::itip::instance_range::{is_range_override, new_override};
use crate::itip::reply_options::Scope;
use crate::itip::zones::{check_time, recurrence_set, TimeZone};

/// The most overrides a `thisAndFuture` answer creates to keep earlier instances as they were.
pub const MAX_PINNED: usize = 1000;

/// What an answer touches.
pub struct Plan {
    /// Child positions (in the VCALENDAR) of the components that get the answer.
    pub targets: Vec<usize>,
    /// New overrides to insert after the object's last component, in order, and whether each
    /// gets the answer (`false`: it keeps my previous answer for an earlier instance).
    pub created: Vec<(Component, bool)>,
}

/// One scheduling component of the object.
struct Entry<'a> {
    at: usize,
    component: &'a Component,
    /// It has a RECURRENCE-ID.
    is_override: bool,
    /// Its instance, for an override, when an instance was asked for (`recurrenceId`).
    key: Option<InstanceKey>,
    /// The answer can be written here: I am listed, or I join through a group.
    listed: bool,
    /// My PARTSTAT here as written (NEEDS-ACTION when absent); `None` when I am not listed.
    partstat: Option<Cow<'a, str>>,
}

/// The entry of a component. Instances (UTC instants: the time zone tables) are worked out
/// only when the answer is for an instance; a series answer only checks that each
/// RECURRENCE-ID is a DATE or DATE-TIME, which is the one error working it out could give.
fn entry<'a>(
    at: usize,
    component: &'a Component,
    calendar: &Component,
    partstat: Option<Cow<'a, str>>,
    join_group: bool,
    with_key: bool,
    zones: &[TimeZone],
) -> Result<Entry<'a>> {
    let listed = if join_group {
        has_group(component)
    } else {
        partstat.is_some()
    };
    let mut entry = Entry {
        at,
        component,
        is_override: false,
        key: None,
        listed,
        partstat,
    };
    if let Some(rid) = component.property("RECURRENCE-ID") {
        entry.is_override = true;
        if with_key {
            entry.key = instance_key_in(component, calendar, zones)?;
        } else {
            check_time(rid)?;
        }
    }
    Ok(entry)
}

/// True when a master has instances beyond its DTSTART: an RRULE or RDATE (RFC 5545 §3.8.5).
fn is_recurring(master: &Component) -> bool {
    master
        .properties()
        .any(|p| p.is("RRULE") || p.is("RDATE") || p.is("EXRULE"))
}

/// My answer in one scheduling component, from one pass over its ATTENDEE lines.
pub struct MyAnswer<'a> {
    /// The component's position among the VCALENDAR's children.
    pub at: usize,
    /// My PARTSTAT as written on my first ATTENDEE line (NEEDS-ACTION when absent); `None` when
    /// I am not listed.
    pub partstat: Option<Cow<'a, str>>,
    /// The positions among the component's children of my ATTENDEE lines (normally one;
    /// duplicates happen in the wild), so writing the answer needs no second pass.
    pub lines: Vec<usize>,
}

/// My answer in each scheduling component of the calendar, in order. Read once for a whole
/// answer.
pub fn my_answers<'a>(calendar: &'a Component, me: &Me) -> Vec<MyAnswer<'a>> {
    calendar
        .children
        .iter()
        .enumerate()
        .filter_map(|(at, n)| match n {
            Node::Component(c) if is_scheduling_component(c) => Some((at, c)),
            _ => None,
        })
        .map(|(at, c)| {
            let mut partstat = None;
            let mut lines = Vec::new();
            for (i, n) in c.children.iter().enumerate() {
                if let Node::Property(p) = n {
                    if p.is("ATTENDEE") && me.is(p) {
                        if partstat.is_none() {
                            partstat = Some(partstat_of(p));
                        }
                        lines.push(i);
                    }
                }
            }
            MyAnswer {
                at,
                partstat,
                lines,
            }
        })
        .collect()
}

/// The PARTSTAT of an ATTENDEE as written (NEEDS-ACTION when absent).
fn partstat_of(attendee: &Property) -> Cow<'_, str> {
    match attendee.param("PARTSTAT") {
        Some(p) => p
            .values()
            .next()
            .map(|v| v.decoded_str())
            .unwrap_or_default(),
        None => Cow::Borrowed("NEEDS-ACTION"),
    }
}

/// My PARTSTAT in a component (NEEDS-ACTION when the parameter is absent); `None` when I am
/// not listed.
pub fn my_partstat(component: &Component, me: &Me) -> Option<String> {
    my_attendees(component, me)
        .next()
        .map(|a| partstat_of(a).to_ascii_uppercase())
}

/// True when an override's answer follows the master (see the module documentation); `old` in
/// any case, `master_old` upper-cased.
fn follows(old: &str, master_old: Option<&str>) -> bool {
    const KNOWN: [&str; 7] = [
        "ACCEPTED",
        "DECLINED",
        "TENTATIVE",
        "DELEGATED",
        "COMPLETED",
        "IN-PROCESS",
        "NEEDS-ACTION",
    ];
    eq_ignore_case(old, "NEEDS-ACTION")
        || !KNOWN.iter().any(|k| eq_ignore_case(k, old))
        || master_old.is_some_and(|m| eq_ignore_case(m, old))
}

/// Plans an answer. `answers` are [`my_answers`] in this calendar. The answer can be written
/// where I am listed or, with `join_group`, where a group I may join through is.
pub fn plan<'a>(
    calendar: &'a Component,
    answers: &[MyAnswer<'a>],
    scope: Scope,
    recurrence_id: Option<&str>,
    new_partstat: &str,
    zones: &[TimeZone],
    join_group: bool,
) -> Result<Plan> {
    let with_key = recurrence_id.is_some();
    let mut entries = Vec::new();
    let mut answers = answers.iter();
    for (at, node) in calendar.children.iter().enumerate() {
        if let Node::Component(c) = node {
            if is_scheduling_component(c) {
                let partstat = answers.next().and_then(|a| a.partstat.clone());
                entries.push(entry(
                    at, c, calendar, partstat, join_group, with_key, zones,
                )?);
            }
        }
    }
    let master = entries.iter().find(|e| !e.is_override);
    let master_old = master
        .and_then(|m| m.partstat.as_deref())
        .map(str::to_ascii_uppercase);
    let overrides = || entries.iter().filter(|e| e.is_override);
    // Without a master I am listed in, every override where I am listed gets the answer.
    let master_listed = master.is_some_and(|m| m.listed);
    let follows_master = |e: &Entry<'_>| {
        e.listed
            && (!master_listed
                || e.partstat
                    .as_deref()
                    .is_none_or(|old| follows(old, master_old.as_deref())))
    };
    let mut plan = Plan {
        targets: Vec::new(),
        created: Vec::new(),
    };
    let key = match recurrence_id {
        Some(id) => Some(key_for(id, master.map(|m| m.component), &entries, zones)?),
        None => None,
    };
    match (scope, key) {
        (Scope::Series, _) | (_, None) => {
            if let Some(m) = master.filter(|m| m.listed) {
                plan.targets.push(m.at);
            }
            plan.targets
                .extend(overrides().filter(|e| follows_master(e)).map(|e| e.at));
        }
        (Scope::Instance, Some(key)) => {
            if let Some(e) = overrides().find(|e| e.key.as_ref() == Some(&key)) {
                if !e.listed {
                    return Err(not_invited(e.component));
                }
                plan.targets.push(e.at);
                // The organizer's RANGE override governs the later instances too (RFC 5545
                // §3.8.4.4): they get overrides of their own that keep them as they are.
                if let (Some(m), true) = (master, is_range_override(e.component)) {
                    let keys: Vec<&InstanceKey> =
                        overrides().filter_map(|e| e.key.as_ref()).collect();
                    let span = Span {
                        from: key.instant().saturating_add(1),
                        to: next_range_after(overrides(), key.instant()),
                        answered: false,
                        why: "answering only this instance of a RANGE=THISANDFUTURE override \
                              would add more than {MAX} overrides for the later instances it \
                              governs; answer this and future instances",
                    };
                    plan.created =
                        overrides_in(calendar, m.component, zones, key.uid(), &span, &keys)?;
                }
            } else {
                let m = master.ok_or_else(|| no_such_instance(&key))?;
                let created = new_override(calendar, m.component, zones, &key)?;
                if !m.listed {
                    return Err(not_invited(m.component));
                }
                if is_recurring(m.component) {
                    plan.created.push((created, true));
                } else {
                    // RFC 5545 §3.8.4.4: RECURRENCE-ID names an instance of a *recurring*
                    // component (RFC 6638 §3.2.2.1 item 11: overridden recurrence instances).
                    // A non-recurring component's one instance (its DTSTART, checked above)
                    // is the component itself: it gets the answer, no override is made.
                    plan.targets.push(m.at);
                }
            }
        }
        (Scope::ThisAndFuture, Some(key)) => {
            let existing = overrides().find(|e| e.key.as_ref() == Some(&key));
            let is_instance = match master {
                Some(m) => find_instance_in(m.component, zones, &key)?.is_some(),
                None => false,
            };
            if existing.is_none() && !is_instance {
                return Err(no_such_instance(&key));
            }
            if let Some(e) = existing.filter(|e| e.listed) {
                plan.targets.push(e.at);
            }
            if let Some(m) = master.filter(|m| m.listed) {
                plan.targets.push(m.at);
                if master_old.as_deref() != Some(new_partstat) {
                    let keys: Vec<&InstanceKey> =
                        overrides().filter_map(|e| e.key.as_ref()).collect();
                    plan.created = pins(calendar, m.component, zones, &key, &keys)?;
                }
            }
            plan.targets.extend(
                overrides()
                    .filter(|e| e.key.as_ref().is_some_and(|k| k.instant() > key.instant()))
                    .filter(|e| follows_master(e))
                    .map(|e| e.at),
            );
            // Instances from `key` on that an earlier RANGE override governs take its content,
            // not the master's: they get overrides of their own with the answer.
            let governed = overrides()
                .filter(|e| is_range_override(e.component))
                .any(|e| e.key.as_ref().is_some_and(|k| k.instant() < key.instant()));
            if let (Some(m), true) = (master.filter(|m| m.listed), governed) {
                let keys: Vec<&InstanceKey> = overrides().filter_map(|e| e.key.as_ref()).collect();
                let span = Span {
                    from: key.instant(),
                    to: next_range_after(overrides(), key.instant()),
                    answered: true,
                    why: "answering this and future instances would add more than {MAX} \
                          overrides for the instances a RANGE=THISANDFUTURE override governs; \
                          answer the series",
                };
                plan.created.extend(overrides_in(
                    calendar,
                    m.component,
                    zones,
                    key.uid(),
                    &span,
                    &keys,
                )?);
            }
        }
    }
    plan.targets = ascending_unique(&plan.targets, calendar.children.len());
    Ok(plan)
}

/// `positions` (each below `len`) in ascending order without repeats: a mark per position, so
/// no sort routine for `usize` is compiled in.
fn ascending_unique(positions: &[usize], len: usize) -> Vec<usize> {
    let mut marked = vec![false; len];
    for &at in positions {
        if let Some(mark) = marked.get_mut(at) {
            *mark = true;
        }
    }
    marked
        .iter()
        .enumerate()
        .filter(|(_, mark)| **mark)
        .map(|(at, _)| at)
        .collect()
}

/// `NOT_AN_ATTENDEE` for an instance I am not invited to.
fn not_invited(c: &Component) -> Error {
    Error::at(
        ErrorCode::NotAnAttendee,
        c.line(),
        "none of `me` is an ATTENDEE of this instance",
    )
}

/// The key for a caller's id: read against the master, or without one against the overrides
/// (a floating id in the zone of the first override's RECURRENCE-ID).
fn key_for(
    id: &str,
    master: Option<&Component>,
    entries: &[Entry<'_>],
    zones: &[TimeZone],
) -> Result<InstanceKey> {
    if let Some(m) = master {
        return parse_instance_id_in(id, m, zones);
    }
    let uid = entries
        .first()
        .and_then(|e| e.component.value_of("UID"))
        .unwrap_or_default();
    let compact: String = id
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect();
    let parsed = DateOrDateTime::parse(&compact).map_err(|_| {
        Error::new(
            ErrorCode::InvalidOption,
            format!("recurrenceId {id:?} is not a DATE or DATE-TIME"),
        )
    })?;
    let zone = entries
        .iter()
        .filter_map(|e| e.component.property("RECURRENCE-ID"))
        .find_map(|p| p.param_value("TZID"))
        .and_then(|t| TimeZone::find(zones, &t));
    Ok(InstanceKey::new(
        uid,
        TimeValue::new(parsed, zone).instant(),
    ))
}

/// Overrides that keep the instances before `key` as they are (a this-and-future answer, see
/// the module doc).
fn pins(
    calendar: &Component,
    master: &Component,
    zones: &[TimeZone],
    key: &InstanceKey,
    existing: &[&InstanceKey],
) -> Result<Vec<(Component, bool)>> {
    let span = Span {
        from: Instant::MIN,
        to: Some(key.instant()),
        answered: false,
        why: "answering this and future instances would add more than {MAX} overrides for the \
              earlier instances; answer the series or one instance",
    };
    overrides_in(calendar, master, zones, key.uid(), &span, existing)
}

/// Instances of a series to give overrides of their own: from `from` (inclusive) to `to`
/// (exclusive; `None`: no end), each getting the answer or keeping its own (`answered`); `why`
/// is the `TOO_LARGE` message past [`MAX_PINNED`] (`{MAX}` stands for the number).
struct Span {
    from: Instant,
    to: Option<Instant>,
    answered: bool,
    why: &'static str,
}

/// New overrides for the instances of `master` in `span` that have none yet, each built as the
/// instance is generated (from the RANGE override governing it, if any: [`new_override`]).
fn overrides_in(
    calendar: &Component,
    master: &Component,
    zones: &[TimeZone],
    uid: &str,
    span: &Span,
    existing: &[&InstanceKey],
) -> Result<Vec<(Component, bool)>> {
    let Some(set) = recurrence_set(master, zones)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for inst in set.instances() {
        if span.to.is_some_and(|to| inst.instant >= to) {
            break;
        }
        let k = InstanceKey::new(uid, inst.instant);
        if inst.instant < span.from || existing.contains(&&k) {
            continue;
        }
        if out.len() >= MAX_PINNED {
            return Err(Error::new(
                ErrorCode::TooLarge,
                span.why.replace("{MAX}", &MAX_PINNED.to_string()),
            ));
        }
        out.push((new_override(calendar, master, zones, &k)?, span.answered));
    }
    Ok(out)
}

/// The instant of the first RANGE=THISANDFUTURE override after `after`: where the instances an
/// earlier one governs end.
fn next_range_after<'a>(
    overrides: impl Iterator<Item = &'a Entry<'a>>,
    after: Instant,
) -> Option<Instant> {
    overrides
        .filter(|e| is_range_override(e.component))
        .filter_map(|e| e.key.as_ref().map(InstanceKey::instant))
        .filter(|&at| at > after)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ical::Document;
    use crate::test_support::TestResult;

    #[test]
    fn targets_come_ascending_without_repeats() {
        assert_eq!(ascending_unique(&[7, 2, 7, 0, 5, 2], 8), vec![0, 2, 5, 7]);
        assert_eq!(ascending_unique(&[], 3), Vec::<usize>::new());
    }

    #[test]
    fn explicit_answers_are_kept_unknown_values_follow() {
        assert!(follows("NEEDS-ACTION", Some("ACCEPTED")));
        assert!(follows("X-MAYBE", Some("ACCEPTED")));
        assert!(follows("ACCEPTED", Some("ACCEPTED")));
        assert!(!follows("DECLINED", Some("NEEDS-ACTION")));
        assert!(!follows("TENTATIVE", None));
    }

    #[test]
    fn my_partstat_defaults_to_needs_action() -> TestResult {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:a@x\r\nATTENDEE;partstat=accepted:mailto:b@x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let doc = Document::parse(text.as_bytes())?;
        let ev = doc
            .calendar()
            .ok_or("no VCALENDAR")?
            .components()
            .next()
            .ok_or("no VEVENT")?;
        let a = Me::new(&["mailto:A@x"])?;
        let b = Me::new(&["mailto:b@x"])?;
        let c = Me::new(&["mailto:c@x"])?;
        assert_eq!(my_partstat(ev, &a).as_deref(), Some("NEEDS-ACTION"));
        assert_eq!(my_partstat(ev, &b).as_deref(), Some("ACCEPTED"));
        assert_eq!(my_partstat(ev, &c), None);
        Ok(())
    }
}
