//! One parsed copy (local, server or base) seen as a set of components keyed by instance:
//! (component name, RECURRENCE-ID as an instant), so TZID, UTC and DATE spellings of one
//! instance are the same slot. Slots are found through an index by RECURRENCE-ID, so matching
//! the components of two copies costs one lookup each, not a scan (a series with 1,000 overrides
//! would otherwise make a merge quadratic). Copies with the same VTIMEZONEs share one list of
//! zones, so each zone's transitions are computed once and equal frames are recognised at once.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::error::Result;
use crate::ical::datetime::Instant;
use crate::ical::Component;

use super::identity::scheduling_components;
use super::instance::instance_key_in;
use super::reschedule::Timed;
use super::zones::{time_zones, TimeZone};

/// Where a component sits in the object: its name and the instance it overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Upper-case component name (VEVENT, VTODO, VJOURNAL).
    pub name: String,
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
    /// Positions in `components` by RECURRENCE-ID instant, in written order.
    by_rid: BTreeMap<Option<Instant>, Vec<usize>>,
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
        let zones = match earlier.iter().find(|c| *c.zones == *own) {
            Some(c) => Rc::clone(&c.zones),
            None => Rc::from(own),
        };
        let mut components = Vec::new();
        let mut by_rid: BTreeMap<Option<Instant>, Vec<usize>> = BTreeMap::new();
        for c in scheduling_components(calendar) {
            let key = instance_key_in(c, calendar, &zones)?;
            let rid = key.map(|k| k.instant());
            by_rid.entry(rid).or_default().push(components.len());
            components.push((
                Slot {
                    name: c.name().to_ascii_uppercase(),
                    rid,
                },
                c,
            ));
        }
        Ok(Copy {
            calendar,
            zones,
            components,
            by_rid,
        })
    }

    /// The component in a slot (the first one written, should a copy repeat a slot).
    pub fn get(&self, slot: &Slot) -> Option<&'a Component> {
        self.find(&slot.name, slot.rid)
    }

    fn find(&self, name: &str, rid: Option<Instant>) -> Option<&'a Component> {
        self.by_rid
            .get(&rid)?
            .iter()
            .filter_map(|i| self.components.get(*i))
            .find(|(s, _)| s.name == name)
            .map(|(_, c)| *c)
    }

    /// The master of the slot's component type.
    pub fn master(&self, name: &str) -> Option<&'a Component> {
        self.find(name, None)
    }

    /// The component that describes the slot's occurrence: its override, else the master.
    /// The flag says whether the master stands in for the occurrence.
    pub fn effective(&self, slot: &Slot) -> Option<(&'a Component, bool)> {
        match self.get(slot) {
            Some(c) => Some((c, false)),
            None if slot.rid.is_some() => self.master(&slot.name).map(|m| (m, true)),
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
