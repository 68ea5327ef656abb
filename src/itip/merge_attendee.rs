//! The attendee role: start from the server copy and carry over only my changes (RFC 6638
//! §3.2.2.1), instance by instance. Three-way with a base (what I changed since base); two-way
//! without (my attendee-owned values that differ from the server's).

use crate::error::Result;
use crate::ical::datetime::Instant;
use crate::ical::{Component, ComponentKind, Node, Property};

use super::alarm_merge::merge_alarms;
use super::compare::{same_bag, same_end};
use super::identity::{my_attendees, Me};
use super::instance::{find_instance_in, InstanceKey};
use super::instance_range::new_override;
use super::merge_answer::{
    carry_delegates, merge_my_attendee, merge_organizer_line, report_other_attendees,
};
use super::merge_components::{is_other_in_component, merge_other_components, Rules};
use super::merge_copy::{Copy, Slot};
use super::merge_edit::{ensure_time_zone, lines, property_names, replace_group};
use super::merge_exdate::{excluded_locally, merge_exdates, organizer_changed_exdates};
use super::merge_lines::{lines_of_both, written_alike, Attendees, LineGroups};
use super::merge_report::{show, Place, Report};
use super::merge_types::OnReschedule;
use super::ownership::{Owner, Ownership, RECURRENCE_PROPERTIES, TIME_PROPERTIES};
use super::reschedule::Timed;
use super::zones::TimeZone;

/// What every step of a merge needs to know.
pub struct Ctx<'a> {
    /// The user's addresses.
    pub me: &'a Me,
    /// The ownership table with the app's personal list.
    pub own: &'a Ownership,
    /// What to do with my answer after a reschedule.
    pub on_reschedule: OnReschedule,
    /// The object's UID.
    pub uid: &'a str,
}

/// The versions of one component.
pub(crate) struct Sides<'a> {
    /// My version (the override, or the master standing in for the occurrence).
    pub(crate) local: &'a Component,
    /// The version my edit started from; `None` for a two-way merge.
    pub(crate) base: Option<&'a Component>,
    /// The server's version (the output starts as a copy of it).
    pub(crate) server: &'a Component,
    /// `local` is the master standing in for this occurrence.
    pub(crate) local_stands_in: bool,
    /// `base` is the master standing in for this occurrence.
    pub(crate) base_stands_in: bool,
    /// What the user answered: base (three-way) or local (two-way), with its zones.
    pub(crate) answered: Timed<'a>,
    /// The occurrence's original start when `answered` is a master standing in for it.
    pub(crate) answered_instance: Option<Instant>,
    /// The server's version with its zones.
    pub(crate) now: Timed<'a>,
    /// My version with its zones.
    pub(crate) mine: Timed<'a>,
    /// The reference (base, else server) with its zones.
    pub(crate) reference_t: Timed<'a>,
}

impl Sides<'_> {
    pub(crate) fn reference(&self) -> &Component {
        self.base.unwrap_or(self.server)
    }
}

pub(crate) fn upper_partstat(line: Option<&Property>) -> String {
    partstat_or_default(line.and_then(|l| l.param_value("PARTSTAT")))
}

/// A PARTSTAT value in upper case; NEEDS-ACTION when absent or empty (RFC 5545 §3.2.12).
pub(crate) fn partstat_or_default(value: Option<String>) -> String {
    value
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
        .filter(
            |(_, n)| matches!(n, Node::Component(c) if super::identity::is_scheduling_component(c)),
        )
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
            _ => (
                local.timed(l_eff),
                if local_stands_in { slot.rid } else { None },
            ),
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
        let copies = Copies {
            local,
            server,
            base,
        };
        if let Some(c) = merge_new_override(out, slot, l_comp, &copies, ctx, report)? {
            additions.push(c);
        }
    }

    // 3. EXDATEs I added (declining by exclusion, RFC 6638 §3.2.2.1 item 8).
    merge_exdates(out, local, server, base, ctx, report, &mut remove_slots)?;

    // Apply component removals and additions.
    if !remove_slots.is_empty() {
        // Ascending already (taken in the order of `positions`): removed from the back.
        let idx: Vec<usize> = server
            .components
            .iter()
            .zip(positions.iter())
            .filter(|((s, _), _)| remove_slots.contains(s))
            .map(|(_, p)| *p)
            .collect();
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
            .rposition(
                |n| matches!(n, Node::Component(c) if super::identity::is_scheduling_component(c)),
            )
            .map(|i| i + 1)
            .unwrap_or(out.children.len());
        out.children.insert(at, Node::Component(c));
    }
    Ok(())
}

/// The three copies of a merge.
struct Copies<'c, 'a> {
    local: &'c Copy<'a>,
    server: &'c Copy<'a>,
    base: Option<&'c Copy<'a>>,
}

/// The occurrence `key` as `calendar` generates it from `master`: an override built as
/// attendeeReply builds one ([`new_override`]: from the `RANGE=THISANDFUTURE` override governing
/// it, moved by the same difference, else from the master; RFC 5545 §3.8.4.4). `None` when the
/// occurrence does not exist (or the expansion limits were reached before it).
fn generated(
    calendar: &Component,
    master: Option<&Component>,
    zones: &[TimeZone],
    key: &InstanceKey,
) -> Result<Option<Component>> {
    match master {
        Some(m) if matches!(find_instance_in(m, zones, key), Ok(Some(_))) => {
            Ok(Some(new_override(calendar, m, zones, key)?))
        }
        _ => Ok(None),
    }
}

/// The master of `kind` in the merged calendar (my master changes included).
fn merged_master(out: &Component, kind: ComponentKind) -> Option<&Component> {
    out.components()
        .find(|c| c.kind() == kind && c.property("RECURRENCE-ID").is_none())
}

/// One override of mine that the server copy lacks (RFC 6638 §3.2.2.1 item 11), merged onto
/// the occurrence as the merged copy generates it. Three-way against the occurrence as base had
/// it (its override, else generated by base), so an occurrence the organizer moved since, also
/// through a `RANGE=THISANDFUTURE` override, is a reschedule (RFC 6638 §3.2.8) as a moved
/// override is. Returns the override to add.
fn merge_new_override(
    out: &Component,
    slot: &Slot,
    l_comp: &Component,
    copies: &Copies<'_, '_>,
    ctx: &Ctx<'_>,
    report: &mut Report,
) -> Result<Option<Component>> {
    let Copies {
        local,
        server,
        base,
    } = *copies;
    let place = Place::of(l_comp);
    let key = InstanceKey::new(ctx.uid, slot.rid.unwrap_or_default());
    let b_own = base.and_then(|b| b.get(slot));
    let base_built = match (base, b_own) {
        (Some(b), None) => generated(b.calendar, b.master(slot.kind), b.zones(), &key)?,
        _ => None,
    };
    let base_occurrence = b_own.or(base_built.as_ref());
    let fresh = generated(out, merged_master(out, slot.kind), server.zones(), &key)?;
    let carried = |reference: Option<&Component>| {
        reference.is_some_and(|r| carries_attendee_changes(l_comp, r, ctx))
    };
    // An override the organizer removed stays removed unless I changed it; one the merged copy
    // generates as I have it needs no override (a pin of an old answer under a new series
    // answer of mine is one it does not generate: RFC 6638 §3.2.2.1 item 11).
    let wanted = match (b_own, &fresh) {
        (Some(b), _) if !carried(Some(b)) => false,
        (_, Some(f)) => carried(Some(f)),
        (_, None) => carried(
            base_occurrence
                .or_else(|| base.and_then(|b| b.master(slot.kind)))
                .or_else(|| server.master(slot.kind)),
        ),
    };
    if !wanted {
        return Ok(None);
    }
    let now = generated(
        server.calendar,
        server.master(slot.kind),
        server.zones(),
        &key,
    )?;
    let (Some(fresh), Some(now)) = (fresh, now) else {
        report.dropped(
            &place,
            None,
            "the organizer removed or moved this occurrence; your changes to it (answer, \
             alarms) could not be carried over",
        );
        return Ok(None);
    };
    // The server's side is the occurrence as the server copy generates it, not as the merged
    // copy does: my own series answer there is no change on the server.
    let base_side = match (base, base_occurrence) {
        (Some(b), Some(occurrence)) => Some((b.timed(occurrence), None)),
        // An occurrence base did not have: its master stands in, as for the server's new
        // overrides (the next merge then sees what this one saw).
        (Some(b), None) => b.master(slot.kind).map(|m| (b.timed(m), slot.rid)),
        (None, _) => None,
    };
    let sides = Sides {
        local: l_comp,
        base: base_side.map(|(t, _)| t.component),
        server: &now,
        local_stands_in: false,
        base_stands_in: base_side.is_some_and(|(_, instance)| instance.is_some()),
        answered: base_side.map_or(local.timed(l_comp), |(t, _)| t),
        answered_instance: base_side.and_then(|(_, instance)| instance),
        now: server.timed(&now),
        mine: local.timed(l_comp),
        reference_t: base_side.map_or(server.timed(&now), |(t, _)| t),
    };
    let mut merged = now.clone();
    merge_component(&mut merged, &sides, false, ctx, &place, report);
    // Needed only where it differs from what the merged copy generates for the occurrence.
    if !carries_attendee_changes(&merged, &fresh, ctx) {
        return Ok(None);
    }
    report.kept(
        &place,
        None,
        "your changes to this occurrence were carried onto the organizer's current series",
    );
    Ok(Some(merged))
}

/// True when `local` differs from `reference` in something attendee-owned (my answer, alarms,
/// TRANSP, personal properties).
fn carries_attendee_changes(local: &Component, reference: &Component, ctx: &Ctx<'_>) -> bool {
    // Every line of mine counts: I may be listed under several of my addresses.
    let mine = |c: &Component| -> Vec<String> {
        my_attendees(c, ctx.me).map(upper_partstat_owned).collect()
    };
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

/// The lines of the versions of one component, read once: by name, and the ATTENDEE lines
/// with their address keys.
pub(crate) struct Groups<'a> {
    pub(crate) local: LineGroups<'a>,
    pub(crate) reference: LineGroups<'a>,
    pub(crate) server: LineGroups<'a>,
    pub(crate) local_attendees: Attendees<'a>,
    pub(crate) reference_attendees: Attendees<'a>,
    pub(crate) server_attendees: Attendees<'a>,
}

impl<'a> Groups<'a> {
    fn of(sides: &Sides<'a>, me: &Me) -> Groups<'a> {
        let local = LineGroups::of(sides.local);
        let reference = LineGroups::of(sides.base.unwrap_or(sides.server));
        let server = LineGroups::of(sides.server);
        let local_attendees = Attendees::of(&local, me, None);
        let reference_attendees = Attendees::of(&reference, me, Some(&local_attendees));
        let server_attendees = Attendees::of(&server, me, Some(&reference_attendees));
        Groups {
            local,
            reference,
            server,
            local_attendees,
            reference_attendees,
            server_attendees,
        }
    }
}

/// Merges one component: attendee-owned properties, ORGANIZER and ATTENDEE parameters, alarms,
/// X- and other unknown sub-components (carried when personal, else reported in `dropped`;
/// not when my version is the master standing in for the server's override).
fn merge_component(
    out: &mut Component,
    sides: &Sides<'_>,
    is_master: bool,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let groups = Groups::of(sides, ctx.me);
    let rewritten = organizer_rewrote(sides, &groups, ctx);
    merge_properties(
        out, sides, &groups, is_master, rewritten, ctx, place, report,
    );
    merge_organizer_line(out, sides, ctx, place, report);
    merge_my_attendee(out, sides, &groups, ctx, place, report);
    report_other_attendees(sides, &groups, place, report);
    carry_delegates(out, sides, &groups, ctx, place, report);
    // Personal data the server replaced together with an organizer update is restored: mine wins.
    let alarms_replaced = rewritten && !same_alarm_set(sides.server, sides.base);
    let base_for_alarms = if alarms_replaced { None } else { sides.base };
    merge_alarms(out, sides.local, base_for_alarms, place, report);
    if !sides.local_stands_in {
        let rules = Rules {
            own: ctx.own,
            organizer: false,
        };
        merge_other_components(
            out,
            sides.local,
            sides.base,
            is_other_in_component,
            &rules,
            place,
            report,
        );
    }
}

/// True when, since base, the organizer changed this component on the server (an organizer-owned
/// property differs; for EXDATE, other than by the exclusions I added myself, which an earlier
/// merge carried onto the server copy and which are mine, not the organizer's). Some servers
/// then replace the whole component with the organizer's and lose the attendee's alarms and
/// TRANSP (sabre-io/dav#819, nextcloud/calendar#7764): what changed in attendee-owned data at
/// the same time is taken for such a loss, not for an edit of mine from another device, and my
/// values are restored.
fn organizer_rewrote(sides: &Sides<'_>, groups: &Groups<'_>, ctx: &Ctx<'_>) -> bool {
    if sides.base.is_none() || sides.base_stands_in || sides.local_stands_in {
        return false;
    }
    // With a base, the reference is the base.
    let (base, server) = (&groups.reference, &groups.server);
    lines_of_both(base, server)
        .into_iter()
        .any(|(name, b, s)| match name {
            "ATTENDEE" | "ORGANIZER" => false,
            // My exclusions on the server (an earlier merge carried them) are not the organizer's.
            "EXDATE" => organizer_changed_exdates(sides.reference_t, sides.now, sides.mine),
            _ => {
                !written_alike(b, s)
                    && ctx.own.property_owner(name) == Owner::Organizer
                    && !same_bag(b, s)
            }
        })
}

fn same_alarm_set(a: &Component, b: Option<&Component>) -> bool {
    let Some(b) = b else {
        return true;
    };
    let (x, y): (Vec<&Component>, Vec<&Component>) = (
        a.components_named("VALARM").collect(),
        b.components_named("VALARM").collect(),
    );
    x.len() == y.len()
        && x.iter().all(|p| {
            y.iter()
                .any(|q| super::alarm_merge::same_alarm_content(p, q))
        })
}

/// Component properties: attendee-owned ones carried, organizer-owned ones I changed reported.
#[allow(clippy::too_many_arguments)]
fn merge_properties(
    out: &mut Component,
    sides: &Sides<'_>,
    groups: &Groups<'_>,
    is_master: bool,
    rewritten: bool,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let reference = sides.reference();
    let three_way = sides.base.is_some();
    for (name, lv, rv) in lines_of_both(&groups.local, &groups.reference) {
        if matches!(name, "ATTENDEE" | "ORGANIZER") {
            continue;
        }
        if is_master && name == "EXDATE" {
            continue; // merge_exdates
        }
        let sv = groups.server.get(name);
        if written_alike(lv, rv) && written_alike(lv, sv) {
            continue; // nobody changed it: nothing to carry or report, whoever owns it
        }
        match ctx.own.property_owner(name) {
            Owner::Server | Owner::Reply => {}
            Owner::Attendee => {
                if same_bag(lv, sv) {
                    continue;
                }
                if same_bag(lv, rv) {
                    // Unchanged by me: the server's value stands, unless the server replaced it
                    // together with an organizer update.
                    if rewritten {
                        report.kept(
                            place,
                            Some(name),
                            format!(
                                "your {name} was restored: the server replaced it when it applied \
                                 the organizer's update"
                            ),
                        );
                        replace_group(out, name, lv, sides.local);
                    }
                    continue;
                }
                let shown = lv
                    .first()
                    .map(|p| show(p.value()))
                    .unwrap_or_else(|| "removed".to_string());
                if three_way && !same_bag(sv, rv) {
                    report.conflict(
                        place,
                        Some(name),
                        format!(
                            "{name} was changed on the server too; your value ({shown}) was kept"
                        ),
                    );
                } else {
                    report.kept(place, Some(name), format!("your {name} ({shown}) was kept"));
                }
                replace_group(out, name, lv, sides.local);
            }
            Owner::Organizer => {
                if !three_way || sides.local_stands_in {
                    continue;
                }
                let stand_in_part = RECURRENCE_PROPERTIES.contains(&name)
                    || TIME_PROPERTIES.contains(&name)
                    || name == "RECURRENCE-ID";
                if sides.base_stands_in && stand_in_part {
                    continue;
                }
                if name == "RECURRENCE-ID" {
                    continue; // the slot itself: equal by construction
                }
                let (m, r) = (&sides.mine, &sides.reference_t);
                if same_bag(lv, rv) || same_bag(lv, sv) {
                    continue;
                }
                let same_time = match name {
                    "DTSTART" => {
                        m.start() == r.start() && m.starts_on_a_date() == r.starts_on_a_date()
                    }
                    "DTEND" | "DURATION" => {
                        m.length() == r.length() || same_end(sides.local, reference)
                    }
                    "DUE" => m.due() == r.due(),
                    "EXDATE" | "RDATE" => m.list(name) == r.list(name),
                    _ => false,
                };
                if same_time {
                    continue;
                }
                let shown = lv
                    .first()
                    .map(|p| format!("\"{}\"", show(p.value())))
                    .unwrap_or_else(|| "its removal".to_string());
                report.dropped(
                    place,
                    Some(name),
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
