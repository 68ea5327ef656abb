//! EXDATEs in the attendee role: an attendee may add EXDATEs (declining an occurrence by
//! excluding it, RFC 6638 §3.2.2.1 item 8, B.8) but not remove them.

use crate::error::Result;
use crate::ical::datetime::Instant;
use crate::ical::timezone::TimeValue;
use crate::ical::{Component, Node, Property};

use super::identity::is_scheduling_component;
use super::instance::{find_instance_in, InstanceKey};
use super::merge_attendee::Ctx;
use super::merge_copy::{Copy, Slot};
use super::merge_edit::ensure_time_zone;
use super::merge_report::{Place, Report};
use super::reschedule::Timed;
use super::zones::TimeZone;

/// True when my local master excludes the slot's occurrence with an EXDATE.
pub(crate) fn excluded_locally(local: &Copy<'_>, slot: &Slot) -> bool {
    let (Some(rid), Some(m)) = (slot.rid, local.master(slot.kind)) else {
        return false;
    };
    local.timed(m).list("EXDATE").contains(&rid)
}

/// EXDATEs I added become exclusions on the server's master when that occurrence still exists;
/// an exclusion of an occurrence that no longer exists is dropped (M8). Removing an EXDATE is
/// the organizer's (it would reinstate an occurrence).
pub(crate) fn merge_exdates(
    out: &mut Component,
    local: &Copy<'_>,
    server: &Copy<'_>,
    base: Option<&Copy<'_>>,
    ctx: &Ctx<'_>,
    report: &mut Report,
    remove_slots: &mut Vec<Slot>,
) -> Result<()> {
    for (slot, l_master) in local.components.iter().filter(|(s, _)| s.rid.is_none()) {
        let Some(s_master) = server.get(slot) else {
            continue;
        };
        let place = Place::of(s_master);
        let reference: (&Component, &[TimeZone]) =
            match base.and_then(|b| b.get(slot).map(|c| (c, b.zones()))) {
                Some(x) => x,
                None => (s_master, server.zones()),
            };
        let ref_ex = Timed {
            component: reference.0,
            zones: reference.1,
        }
        .list("EXDATE");
        let server_ex = server.timed(s_master).list("EXDATE");
        let mine = exdate_values(l_master, local.zones());
        for (instant, line, text) in &mine {
            if ref_ex.contains(instant) || server_ex.contains(instant) {
                continue;
            }
            let key = InstanceKey::new(ctx.uid, *instant);
            let exists = matches!(
                find_instance_in(s_master, server.zones(), &key),
                Ok(Some(_))
            );
            if !exists {
                report.dropped(
                    &place,
                    Some("EXDATE"),
                    format!(
                        "the occurrence {text} you excluded no longer exists (the organizer moved \
                         or removed it); the exclusion was dropped"
                    ),
                );
                continue;
            }
            let mut p = Property::new("EXDATE", text)?;
            for param in ["TZID", "VALUE"] {
                if let Some(v) = line.param_value(param) {
                    p.set_param(param, &[v.as_str()]);
                }
            }
            if let Some(tzid) = line.param_value("TZID") {
                ensure_time_zone(out, local.calendar, &tzid);
            }
            let Some(Node::Component(out_master)) = out.children.iter_mut().find(|n| {
                matches!(n, Node::Component(c) if c.kind() == slot.kind && c.property("RECURRENCE-ID").is_none()
                    && is_scheduling_component(c))
            }) else {
                continue;
            };
            if out_master.property("EXDATE").is_some() {
                out_master.insert_property_after("EXDATE", p);
            } else if out_master.property("RDATE").is_some() {
                out_master.insert_property_after("RDATE", p);
            } else {
                out_master.insert_property_after("RRULE", p);
            }
            report.kept(
                &place,
                Some("EXDATE"),
                format!("your exclusion of the occurrence {text} was kept"),
            );
            let over = Slot {
                kind: slot.kind,
                rid: Some(*instant),
            };
            if server.get(&over).is_some() && local.get(&over).is_none() {
                remove_slots.push(over);
            }
        }
        if base.is_some() {
            for instant in &ref_ex {
                if mine.iter().any(|(i, _, _)| i == instant) || !server_ex.contains(instant) {
                    continue;
                }
                report.dropped(
                    &place,
                    Some("EXDATE"),
                    "you removed an exclusion (EXDATE); only the organizer can restore an \
                     occurrence",
                );
            }
        }
    }
    Ok(())
}

/// True when the server's EXDATEs (`server`) differ from `base`'s other than by the exclusions
/// I added (`local` EXDATEs that base lacks): an earlier merge carries those onto the server
/// copy, so finding them there is no sign of an organizer update. Compared as instants, so the
/// TZID, UTC and DATE spellings and the grouping into lines do not matter.
pub(crate) fn organizer_changed_exdates(
    base: Timed<'_>,
    server: Timed<'_>,
    local: Timed<'_>,
) -> bool {
    let before = base.list("EXDATE");
    let mine = local.list("EXDATE");
    let after: Vec<Instant> = server
        .list("EXDATE")
        .into_iter()
        .filter(|i| before.contains(i) || !mine.contains(i))
        .collect();
    after != before
}

/// Every EXDATE value of a master: its instant, its line and its text.
fn exdate_values<'a>(
    master: &'a Component,
    zones: &[TimeZone],
) -> Vec<(Instant, &'a Property, String)> {
    let mut out = Vec::new();
    for p in master.properties_named("EXDATE") {
        let tzid = p.param_value("TZID");
        for text in p
            .value()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if let Ok((v, _)) = TimeValue::parse_with_tzid(text, tzid.as_deref(), zones) {
                out.push((v.instant(), p, text.to_string()));
            }
        }
    }
    out
}
