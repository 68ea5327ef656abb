//! One parsed copy (local, server or base) seen as a set of components keyed by instance:
//! (component name, RECURRENCE-ID as an instant), so TZID, UTC and DATE spellings of one
//! instance are the same slot. Slots are found through an index by RECURRENCE-ID, so matching
//! the components of two copies costs one lookup each, not a scan (a series with 1,000 overrides
//! would otherwise make a merge quadratic). Copies with the same VTIMEZONEs share one list of
//! zones, so each zone's transitions are computed once and equal frames are recognised at once.

use std::rc::Rc;

use crate::error::Result;
use crate::ical::datetime::Instant;
use crate::ical::{Component, ComponentKind};

use super::compare::same_text;
use super::identity::scheduling_components;
use super::instance::instance_key_in;
use super::reschedule::Timed;
use super::zones::{time_zones, TimeZone};

/// Where a component sits in the object: its name and the instance it overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// What the component is (VEVENT, VTODO or VJOURNAL).
    pub kind: ComponentKind,
    /// The RECURRENCE-ID as an instant; `None` for the master.
    pub rid: Option<Instant>,
}

/// A copy's VCALENDAR, its time zones and its scheduling components by slot.
pub struct Copy<'a> {
    /// The VCALENDAR.
    pub calendar: &'a Component,
    /// Its VTIMEZONEs, read once (shared with an earlier copy that has equal ones).
    zones: Rc<[TimeZone]>,
    /// Its VEVENT/VTODO/VJOURNAL components, in written order, with their slots.
    pub components: Vec<(Slot, &'a Component)>,
    /// Positions in `components` by RECURRENCE-ID instant.
    by_rid: RidIndex,
}

impl<'a> Copy<'a> {
    /// Reads the scheduling components of a VCALENDAR.
    pub fn new(calendar: &'a Component) -> Result<Copy<'a>> {
        Self::sharing_zones(calendar, &[])
    }

    /// [`Copy::new`], taking the zones of the first of `earlier` whose VTIMEZONEs are equal
    /// (same TZIDs and observances, in the same order) instead of a fresh list.
    pub fn sharing_zones(calendar: &'a Component, earlier: &[&Copy<'_>]) -> Result<Copy<'a>> {
        let own = time_zones(calendar);
        let alike = earlier.iter().find(|c| *c.zones == *own);
        let zones = match alike {
            Some(c) => Rc::clone(&c.zones),
            None => Rc::from(own),
        };
        // A component written as the one at the same position of an earlier copy with the same
        // zones and masters is in the same slot: its RECURRENCE-ID is not read again.
        let twins = alike.filter(|c| same_masters(c, calendar));
        let mut components = Vec::new();
        for (i, c) in scheduling_components(calendar).enumerate() {
            let twin = twins
                .and_then(|t| t.components.get(i))
                .filter(|(_, t)| same_identity(t, c));
            let slot = match twin {
                Some((slot, _)) => slot.clone(),
                None => Slot {
                    kind: c.kind(),
                    rid: instance_key_in(c, calendar, &zones)?.map(|k| k.instant()),
                },
            };
            components.push((slot, c));
        }
        let by_rid = RidIndex::new(components.iter().map(|(s, _)| s.rid));
        Ok(Copy {
            calendar,
            zones,
            components,
            by_rid,
        })
    }

    /// The component in a slot (the first one written, should a copy repeat a slot).
    pub fn get(&self, slot: &Slot) -> Option<&'a Component> {
        self.find(slot.kind, slot.rid)
    }

    fn find(&self, kind: ComponentKind, rid: Option<Instant>) -> Option<&'a Component> {
        self.by_rid
            .candidates(rid)
            .filter_map(|i| self.components.get(i))
            .filter(|(s, _)| s.rid == rid && s.kind == kind)
            .last() // candidates come latest first
            .map(|(_, c)| *c)
    }

    /// The master of the slot's component type.
    pub fn master(&self, kind: ComponentKind) -> Option<&'a Component> {
        self.find(kind, None)
    }

    /// The component that describes the slot's occurrence: its override, else the master.
    /// The flag says whether the master stands in for the occurrence.
    pub fn effective(&self, slot: &Slot) -> Option<(&'a Component, bool)> {
        match self.get(slot) {
            Some(c) => Some((c, false)),
            None if slot.rid.is_some() => self.master(slot.kind).map(|m| (m, true)),
            None => None,
        }
    }

    /// The copy's time zones.
    pub fn zones(&self) -> &[TimeZone] {
        &self.zones
    }

    /// A component of this copy with the copy's zones.
    pub fn timed(&self, component: &'a Component) -> Timed<'_> {
        Timed {
            component,
            zones: &self.zones,
        }
    }

    /// The highest SEQUENCE of the scheduling components (0 when absent).
    pub fn sequence(&self) -> i64 {
        self.components
            .iter()
            .filter_map(|(_, c)| c.value_of("SEQUENCE"))
            .filter_map(|v| v.trim().parse::<i64>().ok())
            .max()
            .unwrap_or(0)
    }
}

/// True when the masters (components without RECURRENCE-ID) of `calendar` are those of `copy`
/// as far as a RECURRENCE-ID's instant depends on them: same names, UIDs and DTSTART lines, in
/// the same order (a floating RECURRENCE-ID is read in its master's DTSTART zone).
fn same_masters(copy: &Copy<'_>, calendar: &Component) -> bool {
    let mut theirs = copy
        .components
        .iter()
        .filter(|(s, _)| s.rid.is_none())
        .map(|(_, c)| *c);
    let mut mine =
        scheduling_components(calendar).filter(|c| c.property("RECURRENCE-ID").is_none());
    loop {
        match (theirs.next(), mine.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) => {
                let starts_alike = match (a.property("DTSTART"), b.property("DTSTART")) {
                    (Some(x), Some(y)) => same_text(x, y),
                    (x, y) => x.is_none() && y.is_none(),
                };
                if a.name() != b.name() || a.value_of("UID") != b.value_of("UID") || !starts_alike {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// True when two components have the same name, UID and RECURRENCE-ID line (so the same slot,
/// given the same zones and masters).
fn same_identity(a: &Component, b: &Component) -> bool {
    let rids_alike = match (a.property("RECURRENCE-ID"), b.property("RECURRENCE-ID")) {
        (Some(x), Some(y)) => same_text(x, y),
        (x, y) => x.is_none() && y.is_none(),
    };
    rids_alike && a.name() == b.name() && a.value_of("UID") == b.value_of("UID")
}

/// Positions of a copy's components by RECURRENCE-ID instant: a chained hash table, one short
/// chain walk per lookup (and much less wasm than a `BTreeMap` for this key).
struct RidIndex {
    /// Per bucket, the latest position that hashes there ([`END`] for none).
    heads: Vec<usize>,
    /// Per position, the previous position in the same bucket ([`END`] for none).
    links: Vec<usize>,
    /// log2 of the number of buckets.
    bits: u32,
}

/// The end of a chain.
const END: usize = usize::MAX;

impl RidIndex {
    /// Indexes the RECURRENCE-IDs of positions 0, 1, 2...
    fn new(rids: impl ExactSizeIterator<Item = Option<Instant>>) -> RidIndex {
        let bits = rids.len().max(1).next_power_of_two().trailing_zeros();
        let mut index = RidIndex {
            heads: vec![END; 1 << bits],
            links: vec![END; rids.len()],
            bits,
        };
        for (i, rid) in rids.enumerate() {
            let bucket = index.bucket(rid);
            if let (Some(head), Some(link)) = (index.heads.get_mut(bucket), index.links.get_mut(i))
            {
                *link = *head;
                *head = i;
            }
        }
        index
    }

    /// The bucket of an instant: the top bits of a multiplicative hash (instants of a series
    /// are multiples of a day or week; the multiplication spreads them).
    fn bucket(&self, rid: Option<Instant>) -> usize {
        let hash = rid.map_or(0, |i| (i as u64 | 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        hash.checked_shr(64 - self.bits).unwrap_or(0) as usize
    }

    /// The positions that may hold `rid`, latest first (callers check the slot).
    fn candidates(&self, rid: Option<Instant>) -> impl Iterator<Item = usize> + '_ {
        let mut at = self.heads.get(self.bucket(rid)).copied().unwrap_or(END);
        std::iter::from_fn(move || {
            let i = at;
            if i == END {
                return None;
            }
            at = self.links.get(i).copied().unwrap_or(END);
            Some(i)
        })
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::ical::Document;
    use crate::test_support::TestResult;

    #[test]
    fn slots_found_first_written_and_by_name() -> TestResult {
        let text = "BEGIN:VCALENDAR\r\n\
            BEGIN:VEVENT\r\nUID:u\r\nDTSTART:20260105T100000Z\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:master\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:u\r\nRECURRENCE-ID:20260112T100000Z\r\nSUMMARY:first\r\nEND:VEVENT\r\n\
            BEGIN:VTODO\r\nUID:u\r\nRECURRENCE-ID:20260112T100000Z\r\nSUMMARY:todo\r\nEND:VTODO\r\n\
            BEGIN:VEVENT\r\nUID:u\r\nRECURRENCE-ID:20260112T100000Z\r\nSUMMARY:again\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:u\r\nRECURRENCE-ID:20260119T100000Z\r\nSUMMARY:third\r\nEND:VEVENT\r\n\
            END:VCALENDAR\r\n";
        let doc = Document::parse(text.as_bytes())?;
        let copy = Copy::new(doc.calendar().ok_or("no VCALENDAR")?)?;
        fn summary(c: Option<&Component>) -> Option<&str> {
            c.and_then(|c| c.value_of("SUMMARY"))
        }
        let rid = |s: &str| -> TestResult<Instant> {
            Ok(crate::ical::timezone::TimeValue::parse(s, None)?.instant())
        };
        let slot = |name: &str, r: Option<Instant>| Slot {
            kind: ComponentKind::of(name),
            rid: r,
        };
        let jan12 = Some(rid("20260112T100000Z")?);
        assert_eq!(summary(copy.get(&slot("VEVENT", jan12))), Some("first"));
        assert_eq!(summary(copy.get(&slot("VTODO", jan12))), Some("todo"));
        let jan19 = Some(rid("20260119T100000Z")?);
        assert_eq!(summary(copy.get(&slot("VEVENT", jan19))), Some("third"));
        assert_eq!(summary(copy.master(ComponentKind::Vevent)), Some("master"));
        assert!(copy.master(ComponentKind::Vtodo).is_none());
        let jan26 = Some(rid("20260126T100000Z")?);
        assert!(copy.get(&slot("VEVENT", jan26)).is_none());
        let (stand_in, is_master) = copy
            .effective(&slot("VEVENT", jan26))
            .ok_or("no stand-in for 26 January")?;
        assert_eq!((summary(Some(stand_in)), is_master), (Some("master"), true));
        Ok(())
    }

    #[test]
    fn index_chains_hold_every_position() {
        // Many instants in few buckets: every position is found, latest first.
        let rids: Vec<Option<Instant>> = (0..50)
            .map(|i| if i % 10 == 0 { None } else { Some(i * 604_800) })
            .collect();
        let index = RidIndex::new(rids.iter().copied());
        for (i, rid) in rids.iter().enumerate() {
            let found: Vec<usize> = index
                .candidates(*rid)
                .filter(|j| rids.get(*j) == Some(rid))
                .collect();
            assert!(found.contains(&i));
            assert!(found.windows(2).all(|w| w[0] > w[1]));
        }
        assert_eq!(
            index
                .candidates(None)
                .filter(|j| rids.get(*j) == Some(&None))
                .count(),
            5
        );
        assert!(RidIndex::new(std::iter::empty())
            .candidates(None)
            .next()
            .is_none());
    }
}
