//! The attendee role: start from the server copy and carry over only my changes (RFC 6638
//! §3.2.2.1), instance by instance. Three-way with a base (what I changed since base); two-way
//! without (my attendee-owned values that differ from the server's).

use crate::error::Result;
use crate::ical::datetime::Instant;
use crate::ical::timezone::TimeValue;
use crate::ical::{normalize_address, Component, Node, Property};

use super::alarm_merge::merge_alarms;
use super::compare::{same_bag, same_end, same_params, same_property};
use super::identity::{my_attendees, Me};
use super::instance::{is_instance, make_override, InstanceKey};
use super::merge_copy::{Copy, Slot};
use super::merge_edit::{
    copy_param, ensure_time_zone, line_index, lines, param_names, param_norm, property_at,
    property_names, replace_group,
};
use super::merge_report::{show, Place, Report};
use super::merge_types::OnReschedule;
use super::ownership::{Owner, Ownership, RECURRENCE_PROPERTIES, TIME_PROPERTIES};
use super::reschedule::{moved, Timed};

/// What every step of a merge needs to know.
pub struct Ctx<'a> {
    pub me: &'a Me,
    pub own: &'a Ownership,
    pub on_reschedule: OnReschedule,
    pub uid: &'a str,
}

/// The versions of one component.
struct Sides<'a> {
    /// My version (the override, or the master standing in for the occurrence).
    local: &'a Component,
    /// The version my edit started from; `None` for a two-way merge.
    base: Option<&'a Component>,
    /// The server's version (the output starts as a copy of it).
    server: &'a Component,
    /// `local` is the master standing in for this occurrence.
    local_stands_in: bool,
    /// `base` is the master standing in for this occurrence.
    base_stands_in: bool,
    /// What the user answered: base (three-way) or local (two-way), with its zones.
    answered: Timed<'a>,
    /// The occurrence's original start when `answered` is a master standing in for it.
    answered_instance: Option<Instant>,
    /// The server's version with its zones.
    now: Timed<'a>,
    /// My version with its zones.
    mine: Timed<'a>,
    /// The reference (base, else server) with its zones.
    reference_t: Timed<'a>,
}

impl Sides<'_> {
    fn reference(&self) -> &Component {
        self.base.unwrap_or(self.server)
    }
}

fn upper_partstat(line: Option<&Property>) -> String {
    line.and_then(|l| l.param_value("PARTSTAT"))
        .map(|v| v.trim().to_ascii_uppercase())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "NEEDS-ACTION".to_string())
}

/// Runs the attendee merge of `local` (and `base`) onto `out`, a copy of `server`'s VCALENDAR.
pub fn merge_as_attendee(
    out: &mut Component,
    local: &Copy<'_>,
    server: &Copy<'_>,
    base: Option<&Copy<'_>>,
    ctx: &Ctx<'_>,
    report: &mut Report,
) -> Result<()> {
    // Positions of the server's scheduling components in `out` (a clone: same order).
    let positions: Vec<usize> = out
        .children
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n, Node::Component(c) if super::identity::is_scheduling_component(c)))
        .map(|(i, _)| i)
        .collect();
    let mut remove_slots: Vec<Slot> = Vec::new();
    let mut additions: Vec<Component> = Vec::new();

    // 1. Every component of the server copy gets my changes.
    for ((slot, s_comp), pos) in server.components.iter().zip(positions.iter()) {
        let l_own = local.get(slot);
        let b_own = base.and_then(|b| b.get(slot));
        let place = Place::of(s_comp);
        if slot.rid.is_some() && l_own.is_none() && b_own.is_some() {
            // I removed this override: that is an exclusion only with an EXDATE (handled below).
            if !excluded_locally(local, slot) {
                report.dropped(
                    &place,
                    None,
                    "you removed this occurrence from your copy; only the organizer can remove \
                     it (decline it or exclude it with EXDATE instead), so it was kept",
                );
            }
            continue;
        }
        let Some((l_eff, local_stands_in)) = local.effective(slot) else {
            continue;
        };
        let (b_eff, base_stands_in) = match base.and_then(|b| b.effective(slot)) {
            Some((c, s)) => (Some(c), s),
            None => (None, false),
        };
        let (answered, answered_instance) = match (b_eff, base) {
            (Some(b), Some(bc)) => (bc.timed(b), if base_stands_in { slot.rid } else { None }),
            _ => (local.timed(l_eff), if local_stands_in { slot.rid } else { None }),
        };
        let sides = Sides {
            local: l_eff,
            base: b_eff,
            server: s_comp,
            local_stands_in,
            base_stands_in,
            answered,
            answered_instance,
            now: server.timed(s_comp),
            mine: local.timed(l_eff),
            reference_t: match (b_eff, base) {
                (Some(b), Some(bc)) => bc.timed(b),
                _ => server.timed(s_comp),
            },
        };
        let Some(Node::Component(out_comp)) = out.children.get_mut(*pos) else {
            continue;
        };
        merge_component(out_comp, &sides, slot.rid.is_none(), ctx, &place, report);
    }

    // 2. My overrides the server does not have.
    for (slot, l_comp) in &local.components {
        if slot.rid.is_none() || server.get(slot).is_some() {
            continue;
        }
        let place = Place::of(l_comp);
        let b_own = base.and_then(|b| b.get(slot));
        let base_ref = base.and_then(|b| {
            b_own
                .or_else(|| b.master(&slot.name))
                .map(|c| (c, b.zones.as_slice()))
        });
        // The occurrence as the merged master now generates it (my master changes included).
        let merged_master: Option<Component> = out
            .children
            .iter()
            .find_map(|n| match n {
                Node::Component(c)
                    if c.is(&slot.name) && c.property("RECURRENCE-ID").is_none() =>
                {
                    Some(c.clone())
                }
                _ => None,
            });
        let key = InstanceKey::new(ctx.uid, slot.rid.unwrap_or_default());
        let fresh = match &merged_master {
            Some(m) if is_instance(m, server.calendar, &key).unwrap_or(false) => {
                Some(make_override(m, server.calendar, &key)?)
            }
            _ => None,
        };
        let reference = base_ref
            .map(|(c, _)| c)
            .or(fresh.as_ref())
            .or_else(|| server.master(&slot.name));
        let Some(reference) = reference else {
            continue;
        };
        if !carries_attendee_changes(l_comp, reference, ctx) {
            continue;
        }
        let Some(mut fresh) = fresh else {
            report.dropped(
                &place,
                None,
                "the organizer removed or moved this occurrence; your changes to it (answer, \
                 alarms) could not be carried over",
            );
            continue;
        };
        let derived = fresh.clone();
        let sides = match base_ref {
            Some((b, zones)) => Sides {
                local: l_comp,
                base: Some(b),
                server: &derived,
                local_stands_in: false,
                base_stands_in: b_own.is_none(),
                answered: Timed { component: b, zones },
                answered_instance: if b_own.is_none() { slot.rid } else { None },
                now: server.timed(&derived),
                mine: local.timed(l_comp),
                reference_t: Timed { component: b, zones },
            },
            None => Sides {
                local: l_comp,
                base: None,
                server: &derived,
                local_stands_in: false,
                base_stands_in: false,
                answered: local.timed(l_comp),
                answered_instance: None,
                now: server.timed(&derived),
                mine: local.timed(l_comp),
                reference_t: server.timed(&derived),
            },
        };
        merge_component(&mut fresh, &sides, false, ctx, &place, report);
        if fresh.to_bytes() != derived.to_bytes() {
            report.kept(
                &place,
                None,
                "your changes to this occurrence were carried onto the organizer's current series",
            );
            additions.push(fresh);
        }
    }

    // 3. EXDATEs I added (declining by exclusion, RFC 6638 §3.2.2.1 item 8).
    merge_exdates(out, local, server, base, ctx, report, &mut remove_slots)?;

    // Apply component removals and additions.
    if !remove_slots.is_empty() {
        let mut idx: Vec<usize> = server
            .components
            .iter()
            .zip(positions.iter())
            .filter(|((s, _), _)| remove_slots.contains(s))
            .map(|(_, p)| *p)
            .collect();
        idx.sort_unstable();
        for i in idx.into_iter().rev() {
            if i < out.children.len() {
                out.children.remove(i);
            }
        }
    }
    for c in additions {
        for p in c.properties() {
            for name in ["DTSTART", "DTEND", "RECURRENCE-ID", "DUE"] {
                if p.is(name) {
                    if let Some(tzid) = p.param_value("TZID") {
                        ensure_time_zone(out, server.calendar, &tzid);
                    }
                }
            }
        }
        let at = out
            .children
            .iter()
            .rposition(|n| matches!(n, Node::Component(c) if super::identity::is_scheduling_component(c)))
            .map(|i| i + 1)
            .unwrap_or(out.children.len());
        out.children.insert(at, Node::Component(c));
    }
    Ok(())
}

/// True when my local master excludes the slot's occurrence with an EXDATE.
fn excluded_locally(local: &Copy<'_>, slot: &Slot) -> bool {
    let (Some(rid), Some(m)) = (slot.rid, local.master(&slot.name)) else {
        return false;
    };
    local.timed(m).list("EXDATE").contains(&rid)
}

/// True when `local` differs from `reference` in something attendee-owned (my answer, alarms,
/// TRANSP, personal properties).
fn carries_attendee_changes(local: &Component, reference: &Component, ctx: &Ctx<'_>) -> bool {
    let mine = |c: &Component| my_attendees(c, ctx.me).next().map(upper_partstat_owned);
    if mine(local) != mine(reference) {
        return true;
    }
    for name in property_names(&[local, reference]) {
        if ctx.own.property_owner(&name) == Owner::Attendee
            && !same_bag(&lines(local, &name), &lines(reference, &name))
        {
            return true;
        }
    }
    let alarms = |c: &Component| -> Vec<Vec<u8>> {
        c.components_named("VALARM").map(|a| a.to_bytes()).collect()
    };
    alarms(local) != alarms(reference)
}

fn upper_partstat_owned(line: &Property) -> String {
    upper_partstat(Some(line))
}

/// Merges one component: attendee-owned properties, ORGANIZER and ATTENDEE parameters, alarms.
fn merge_component(
    out: &mut Component,
    sides: &Sides<'_>,
    is_master: bool,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    merge_properties(out, sides, is_master, ctx, place, report);
    merge_organizer_line(out, sides, ctx, place, report);
    merge_my_attendee(out, sides, ctx, place, report);
    report_other_attendees(sides, ctx, place, report);
    merge_alarms(out, sides.local, sides.base, place, report);
}

/// Component properties: attendee-owned ones carried, organizer-owned ones I changed reported.
fn merge_properties(
    out: &mut Component,
    sides: &Sides<'_>,
    is_master: bool,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let reference = sides.reference();
    let three_way = sides.base.is_some();
    for name in property_names(&[sides.local, reference]) {
        if matches!(name.as_str(), "ATTENDEE" | "ORGANIZER") {
            continue;
        }
        if is_master && name == "EXDATE" {
            continue; // merge_exdates
        }
        let lv = lines(sides.local, &name);
        let rv = lines(reference, &name);
        let sv = lines(sides.server, &name);
        match ctx.own.property_owner(&name) {
            Owner::Server | Owner::Reply => {}
            Owner::Attendee => {
                if same_bag(&lv, &rv) || same_bag(&lv, &sv) {
                    continue;
                }
                let shown = lv
                    .first()
                    .map(|p| show(p.value()))
                    .unwrap_or_else(|| "removed".to_string());
                if three_way && !same_bag(&sv, &rv) {
                    report.conflict(
                        place,
                        Some(&name),
                        format!(
                            "{name} was changed on the server too; your value ({shown}) was kept"
                        ),
                    );
                } else {
                    report.kept(
                        place,
                        Some(&name),
                        format!("your {name} ({shown}) was kept"),
                    );
                }
                replace_group(out, &name, &lv, sides.local);
            }
            Owner::Organizer => {
                if !three_way || sides.local_stands_in {
                    continue;
                }
                let stand_in_part = RECURRENCE_PROPERTIES.contains(&name.as_str())
                    || TIME_PROPERTIES.contains(&name.as_str())
                    || name == "RECURRENCE-ID";
                if sides.base_stands_in && stand_in_part {
                    continue;
                }
                if name == "RECURRENCE-ID" {
                    continue; // the slot itself: equal by construction
                }
                let (m, r) = (&sides.mine, &sides.reference_t);
                let same_time = match name.as_str() {
                    "DTSTART" => m.start() == r.start(),
                    "DTEND" | "DURATION" => m.span() == r.span() || same_end(sides.local, reference),
                    "DUE" => m.due() == r.due(),
                    "EXDATE" | "RDATE" => m.list(&name) == r.list(&name),
                    _ => false,
                };
                if same_time || same_bag(&lv, &rv) || same_bag(&lv, &sv) {
                    continue;
                }
                let shown = lv
                    .first()
                    .map(|p| format!("\"{}\"", show(p.value())))
                    .unwrap_or_else(|| "its removal".to_string());
                report.dropped(
                    place,
                    Some(&name),
                    format!(
                        "your change to {name} ({shown}) was not saved: only the organizer can \
                         change it"
                    ),
                );
            }
        }
    }
    if sides.base_stands_in {
        // A new override of mine: did I move the occurrence? Only the organizer can.
        let rid = sides.mine.instant_of("RECURRENCE-ID");
        let start = sides.local.property("DTSTART");
        if let (Some(r), Some(s)) = (rid, start) {
            let same = sides.mine.start() == Some(r);
            if !same {
                report.dropped(
                    place,
                    Some("DTSTART"),
                    format!(
                        "you moved this occurrence to {}; only the organizer can move it",
                        show(s.value())
                    ),
                );
            }
        }
    }
}

/// The ORGANIZER line: SCHEDULE-STATUS is mine only with SCHEDULE-AGENT=CLIENT (M12), and I may
/// ask for a re-send with SCHEDULE-FORCE-SEND; everything else is the organizer's.
fn merge_organizer_line(
    out: &mut Component,
    sides: &Sides<'_>,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let (Some(l), Some(r)) = (
        sides.local.property("ORGANIZER"),
        sides.reference().property("ORGANIZER"),
    ) else {
        return;
    };
    let Some(idx) = line_index(out, "ORGANIZER", l.value()).or_else(|| {
        out.children
            .iter()
            .position(|n| matches!(n, Node::Property(p) if p.is("ORGANIZER")))
    }) else {
        return;
    };
    let server_line = sides.server.property("ORGANIZER");
    for name in param_names(&[Some(l), Some(r)]) {
        let (lv, rv) = (param_norm(l, &name), param_norm(r, &name));
        if lv == rv {
            continue;
        }
        let sv = server_line.map(|s| param_norm(s, &name)).unwrap_or_default();
        match ctx.own.param_owner(l, &name, false) {
            Owner::Attendee => {
                if lv == sv {
                    continue;
                }
                if let Some(target) = property_at(out, idx) {
                    copy_param(target, l, &name);
                }
                report.kept(
                    place,
                    Some(&name),
                    format!("your ORGANIZER {name} ({}) was kept", lv.join(",")),
                );
            }
            Owner::Organizer if sides.base.is_some() && !sides.local_stands_in && lv != sv => {
                report.dropped(
                    place,
                    Some("ORGANIZER"),
                    format!("your change to the organizer's {name} was not saved"),
                );
            }
            _ => {}
        }
    }
}

/// My ATTENDEE line: my answer (through the reschedule and cancellation rules) and my other
/// own parameters (RSVP, DELEGATED-TO).
fn merge_my_attendee(
    out: &mut Component,
    sides: &Sides<'_>,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let Some(l) = my_attendees(sides.local, ctx.me).next() else {
        return;
    };
    let r = my_attendees(sides.reference(), ctx.me).next();
    let Some(idx) = out
        .children
        .iter()
        .position(|n| matches!(n, Node::Property(p) if p.is("ATTENDEE") && ctx.me.is(p)))
    else {
        let mine_changed = upper_partstat(Some(l)) != upper_partstat(r);
        if mine_changed {
            report.dropped(
                place,
                Some("PARTSTAT"),
                "the organizer no longer lists you as an attendee here; your answer was not \
                 carried",
            );
        }
        return;
    };
    let s = my_attendees(sides.server, ctx.me).next();
    let three_way = sides.base.is_some();

    // Other own parameters.
    for name in param_names(&[Some(l), r]) {
        if name == "PARTSTAT" {
            continue;
        }
        let lv = param_norm(l, &name);
        let rv = r.map(|x| param_norm(x, &name)).unwrap_or_default();
        if lv == rv {
            continue;
        }
        let sv = s.map(|x| param_norm(x, &name)).unwrap_or_default();
        match ctx.own.param_owner(l, &name, true) {
            Owner::Attendee => {
                if lv == sv {
                    continue;
                }
                if let Some(target) = property_at(out, idx) {
                    copy_param(target, l, &name);
                }
                let shown = if lv.is_empty() { "removed".to_string() } else { lv.join(",") };
                if three_way && sv != rv {
                    report.conflict(
                        place,
                        Some(&name),
                        format!("your {name} was changed on the server too; yours ({shown}) was kept"),
                    );
                } else {
                    report.kept(place, Some(&name), format!("your {name} ({shown}) was kept"));
                }
            }
            Owner::Organizer if three_way && !sides.local_stands_in && lv != sv => {
                report.dropped(
                    place,
                    Some(&name),
                    format!(
                        "your change to your own {name} was not saved: only the organizer can \
                         change it"
                    ),
                );
            }
            _ => {}
        }
    }

    // My answer.
    let mine = upper_partstat(Some(l));
    let before = upper_partstat(r);
    let now = upper_partstat(s);
    let changed_by_me = mine != before;
    let cancelled = sides
        .server
        .value_of("STATUS")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("CANCELLED"));
    let rescheduled = mine != "NEEDS-ACTION"
        && mine != now
        && moved(
            sides.answered,
            sides.now,
            sides.answered_instance,
            sides.base.is_some(),
        );
    let apply = |out: &mut Component| {
        if let Some(target) = property_at(out, idx) {
            copy_param(target, l, "PARTSTAT");
        }
    };
    if cancelled {
        if mine != now && mine != "DECLINED" && (changed_by_me || rescheduled) {
            report.dropped(
                place,
                Some("PARTSTAT"),
                format!(
                    "the organizer cancelled {}; your answer {mine} was not re-applied",
                    place.describe()
                ),
            );
        } else if mine == "DECLINED" && changed_by_me && mine != now {
            apply(out);
            report.kept(place, Some("PARTSTAT"), "your answer DECLINED was kept");
        }
        return;
    }
    if rescheduled {
        report.rescheduled = true;
        match ctx.on_reschedule {
            OnReschedule::Ask => {
                report.needs_confirmation = true;
                report.conflict(
                    place,
                    Some("PARTSTAT"),
                    format!(
                        "the organizer moved {} after you answered {mine}; the server's {now} was \
                         kept: confirm to answer again",
                        place.describe()
                    ),
                );
            }
            OnReschedule::Keep => {
                apply(out);
                report.kept(
                    place,
                    Some("PARTSTAT"),
                    format!(
                        "your answer {mine} was re-applied although the organizer moved {}",
                        place.describe()
                    ),
                );
            }
            OnReschedule::Reset => {
                report.dropped(
                    place,
                    Some("PARTSTAT"),
                    format!(
                        "your answer {mine} was reset to {now}: the organizer moved {}",
                        place.describe()
                    ),
                );
            }
        }
        return;
    }
    let changed = if three_way { changed_by_me } else { mine != now };
    if !changed || mine == now {
        return;
    }
    apply(out);
    if three_way && now != before {
        report.conflict(
            place,
            Some("PARTSTAT"),
            format!("your answer was changed on the server too ({now}); yours ({mine}) was kept"),
        );
    } else {
        report.kept(place, Some("PARTSTAT"), format!("your answer {mine} was kept"));
    }
}

/// Changes I made to other attendees or to the attendee list: never carried (organizer-owned),
/// reported in a three-way merge.
fn report_other_attendees(sides: &Sides<'_>, ctx: &Ctx<'_>, place: &Place, report: &mut Report) {
    let Some(base) = sides.base else {
        return;
    };
    if sides.local_stands_in || sides.base_stands_in {
        return;
    }
    let others = |c: &'_ Component| -> Vec<Property> {
        c.properties_named("ATTENDEE")
            .filter(|a| !ctx.me.is(a))
            .cloned()
            .collect()
    };
    let (l, b, s) = (others(sides.local), others(base), others(sides.server));
    let find = |list: &[Property], addr: &str| -> Option<Property> {
        let key = normalize_address(addr);
        list.iter()
            .find(|p| normalize_address(p.value()) == key)
            .cloned()
    };
    for a in &l {
        match find(&b, a.value()) {
            None => {
                if find(&s, a.value()).is_none() {
                    report.dropped(
                        place,
                        Some("ATTENDEE"),
                        format!(
                            "you added {} as an attendee; only the organizer can invite people",
                            a.value().trim()
                        ),
                    );
                }
            }
            Some(before) => {
                let ignore = ["SCHEDULE-STATUS"];
                if !same_params(a, &before, &ignore)
                    && find(&s, a.value()).is_some_and(|now| !same_params(a, &now, &ignore))
                {
                    report.dropped(
                        place,
                        Some("ATTENDEE"),
                        format!(
                            "your change to attendee {} was not saved: only the organizer and \
                             that attendee can change it",
                            a.value().trim()
                        ),
                    );
                }
            }
        }
    }
    for a in &b {
        if find(&l, a.value()).is_none() && find(&s, a.value()).is_some() {
            report.dropped(
                place,
                Some("ATTENDEE"),
                format!(
                    "you removed attendee {}; only the organizer can do that",
                    a.value().trim()
                ),
            );
        }
    }
    let _ = same_property;
}

/// EXDATEs I added become exclusions on the server's master when that occurrence still exists;
/// an exclusion of an occurrence that no longer exists is dropped (M8). Removing an EXDATE is
/// the organizer's (it would reinstate an occurrence).
fn merge_exdates(
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
        let reference: (&Component, &[super::zones::TimeZone]) =
            match base.and_then(|b| b.get(slot).map(|c| (c, b.zones.as_slice()))) {
                Some(x) => x,
                None => (s_master, server.zones.as_slice()),
            };
        let ref_ex = Timed {
            component: reference.0,
            zones: reference.1,
        }
        .list("EXDATE");
        let server_ex = server.timed(s_master).list("EXDATE");
        let mine = exdate_values(l_master, &local.zones);
        for (instant, line, text) in &mine {
            if ref_ex.contains(instant) || server_ex.contains(instant) {
                continue;
            }
            let key = InstanceKey::new(ctx.uid, *instant);
            let exists = is_instance(s_master, server.calendar, &key).unwrap_or(false);
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
                matches!(n, Node::Component(c) if c.is(&slot.name) && c.property("RECURRENCE-ID").is_none()
                    && super::identity::is_scheduling_component(c))
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
                name: slot.name.clone(),
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

/// Every EXDATE value of a master: its instant, its line and its text.
fn exdate_values<'a>(
    master: &'a Component,
    zones: &[super::zones::TimeZone],
) -> Vec<(Instant, &'a Property, String)> {
    let mut out = Vec::new();
    for p in master.properties_named("EXDATE") {
        let tzid = p.param_value("TZID");
        for text in p.value().split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if let Ok((v, _)) = TimeValue::parse_with_tzid(text, tzid.as_deref(), zones) {
                out.push((v.instant(), p, text.to_string()));
            }
        }
    }
    out
}
