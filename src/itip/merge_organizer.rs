//! The organizer role: my edits (three-way against base, or everything that differs without a
//! base) over the server copy, while the attendees' replies that arrived meanwhile (their
//! PARTSTAT, RSVP, SCHEDULE-STATUS) are kept unless I deliberately changed that attendee
//! (RFC 6638 §3.2.10.1 smart merge, §3.2.1; VECTORS M14-M16). X- and other unknown
//! sub-components I added or removed are carried too ([`super::merge_components`]). SCHEDULE-STATUS is the server's
//! unless the merged line says SCHEDULE-AGENT=CLIENT (RFC 6638 §7.3).

use crate::ical::{normalize_address, Component, Node, Property};

use super::alarm_merge::merge_alarms;
use super::compare::{same_bag, same_end, same_params, same_text};
use super::identity::is_scheduling_component;
use super::merge_attendee::Ctx;
use super::merge_components::{is_other_in_component, merge_other_components, Rules};
use super::merge_copy::Copy;
use super::merge_edit::{
    copy_param, line_index, lines, param_names, param_norm, property_at, property_names,
    replace_group,
};
use super::merge_report::{show, Place, Report};
use super::ownership::{is_bookkeeping, Owner};
use super::reschedule::moved;

/// Runs the organizer merge of `local` (and `base`) onto `out`, a copy of `server`'s VCALENDAR.
pub fn merge_as_organizer(
    out: &mut Component,
    local: &Copy<'_>,
    server: &Copy<'_>,
    base: Option<&Copy<'_>>,
    ctx: &Ctx<'_>,
    report: &mut Report,
) {
    let positions: Vec<usize> = out
        .children
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n, Node::Component(c) if is_scheduling_component(c)))
        .map(|(i, _)| i)
        .collect();
    let mut remove_at: Vec<usize> = Vec::new();
    for ((slot, s_comp), pos) in server.components.iter().zip(positions.iter()) {
        let l_own = local.get(slot);
        let b_own = base.and_then(|b| b.get(slot));
        let place = Place::of(s_comp);
        match (l_own, b_own) {
            (Some(l), b) => {
                let Some(Node::Component(o)) = out.children.get_mut(*pos) else {
                    continue;
                };
                let time_changed_by_me = moved(local.timed(l), server.timed(s_comp), None, true);
                merge_component(o, l, b, s_comp, time_changed_by_me, ctx, &place, report);
            }
            (None, Some(b)) if slot.rid.is_some() => {
                remove_at.push(*pos);
                if same_component(s_comp, b) {
                    report.kept(
                        &place,
                        None,
                        "your removal of this occurrence's changes was kept",
                    );
                } else {
                    report.conflict(
                        &place,
                        None,
                        "this occurrence was changed on the server but you removed it; it was \
                         removed (your choice)",
                    );
                }
            }
            _ => {}
        }
    }
    // Ascending already (pushed in the order of `positions`): removed from the back.
    for i in remove_at.into_iter().rev() {
        if i < out.children.len() {
            out.children.remove(i);
        }
    }
    for (slot, l) in &local.components {
        if server.get(slot).is_some() {
            continue;
        }
        let place = Place::of(l);
        let b_own = base.and_then(|b| b.get(slot));
        match b_own {
            Some(b) if same_component(l, b) => continue,
            Some(_) => report.conflict(
                &place,
                None,
                "this component was removed on the server but you changed it; yours was kept",
            ),
            None => report.kept(&place, None, "your new component was added"),
        }
        let at = out
            .children
            .iter()
            .rposition(|n| matches!(n, Node::Component(c) if is_scheduling_component(c)))
            .map(|i| i + 1)
            .unwrap_or(out.children.len());
        out.children.insert(at, Node::Component((*l).clone()));
    }
}

fn same_component(a: &Component, b: &Component) -> bool {
    let pa: Vec<&Property> = a
        .properties()
        .filter(|p| !is_bookkeeping(p.name()))
        .collect();
    let pb: Vec<&Property> = b
        .properties()
        .filter(|p| !is_bookkeeping(p.name()))
        .collect();
    same_bag(&pa, &pb)
}

#[allow(clippy::too_many_arguments)]
fn merge_component(
    out: &mut Component,
    local: &Component,
    base: Option<&Component>,
    server: &Component,
    time_changed_by_me: bool,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let reference = base.unwrap_or(server);
    for name in property_names(&[local, reference]) {
        if matches!(name.as_str(), "ATTENDEE" | "ORGANIZER") || is_bookkeeping(&name) {
            continue;
        }
        let (lv, rv, sv) = (
            lines(local, &name),
            lines(reference, &name),
            lines(server, &name),
        );
        if same_bag(&lv, &rv) || same_bag(&lv, &sv) {
            continue;
        }
        if matches!(name.as_str(), "DTEND" | "DURATION") && same_end(local, server) {
            continue;
        }
        if name == "SEQUENCE" {
            merge_sequence(out, local, server);
            continue;
        }
        let shown = lv
            .first()
            .map(|p| format!("\"{}\"", show(p.value())))
            .unwrap_or_else(|| "removed".to_string());
        if base.is_some() && !same_bag(&sv, &rv) {
            report.conflict(
                place,
                Some(&name),
                format!("{name} was changed on the server too; yours ({shown}) was kept"),
            );
        } else {
            report.kept(
                place,
                Some(&name),
                format!("your {name} ({shown}) was saved"),
            );
        }
        replace_group(out, &name, &lv, local);
    }
    merge_lines(
        out,
        local,
        base,
        server,
        "ORGANIZER",
        false,
        ctx,
        place,
        report,
    );
    merge_lines(
        out,
        local,
        base,
        server,
        "ATTENDEE",
        time_changed_by_me,
        ctx,
        place,
        report,
    );
    merge_alarms(out, local, base, place, report);
    let rules = Rules {
        own: ctx.own,
        organizer: true,
    };
    merge_other_components(
        out,
        local,
        base,
        is_other_in_component,
        &rules,
        place,
        report,
    );
}

/// SEQUENCE: the higher of mine and the server's, never lower than the server's (RFC 5546
/// §2.1.4: only the organizer increments it; when both organizer clients bumped it, attendees
/// order equal SEQUENCEs by DTSTAMP, §2.1.5). Taking the maximum keeps the merge idempotent.
fn merge_sequence(out: &mut Component, local: &Component, server: &Component) {
    let seq = |c: &Component| -> i64 {
        c.value_of("SEQUENCE")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    let (l, s) = (seq(local), seq(server));
    if l > s {
        let _ = out.set_value("SEQUENCE", &l.to_string());
    }
}

/// The `name` lines of a component with their address keys ([`normalize_address`]).
fn keyed_lines<'c>(c: &'c Component, name: &str) -> Vec<(String, &'c Property)> {
    c.properties()
        .filter(|p| p.is(name))
        .map(|p| (normalize_address(p.value()), p))
        .collect()
}

/// The first line with address key `key`.
fn line_for<'c>(lines: &[(String, &'c Property)], key: &str) -> Option<&'c Property> {
    lines.iter().find(|(k, _)| k == key).map(|(_, p)| *p)
}

/// True when `line` (another attendee's ATTENDEE in my organizer copy) sets `param` PARTSTAT
/// to an answer other than NEEDS-ACTION while the server schedules that attendee
/// (SCHEDULE-AGENT absent or SERVER, RFC 6638 §3.2.1, §7.1).
fn sets_answer_for_server_scheduled(line: &Property, param: &str) -> bool {
    let server_scheduled = line
        .param_value("SCHEDULE-AGENT")
        .is_none_or(|v| v.trim().eq_ignore_ascii_case("SERVER"));
    let answer = line.param_value("PARTSTAT");
    param.eq_ignore_ascii_case("PARTSTAT")
        && server_scheduled
        && answer.is_some_and(|v| !v.trim().eq_ignore_ascii_case("NEEDS-ACTION"))
}

/// The version of a line whose SCHEDULE-AGENT the merged line ends up with: mine when the merge
/// carries my change of it (changed since base, or any difference without one), else the
/// server's. It decides who owns SCHEDULE-STATUS (RFC 6638 §7.3): a status the server wrote
/// while it schedules that attendee is not overwritten by mine from client-scheduling days.
fn agent_line<'c>(l: &'c Property, b: Option<&Property>, s: &'c Property) -> &'c Property {
    let agent = |p: &Property| param_norm(p, "SCHEDULE-AGENT");
    let mine = agent(l);
    let carried = mine != agent(s) && b.is_none_or(|b| mine != agent(b));
    if carried {
        l
    } else {
        s
    }
}

/// ATTENDEE (or ORGANIZER) lines keyed by address, merged parameter by parameter.
#[allow(clippy::too_many_arguments)]
fn merge_lines(
    out: &mut Component,
    local: &Component,
    base: Option<&Component>,
    server: &Component,
    name: &str,
    time_changed_by_me: bool,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    // Every line with its address key, normalised once per line.
    let (lk, sk) = (keyed_lines(local, name), keyed_lines(server, name));
    let bk = base.map(|b| keyed_lines(b, name));
    let mut addresses: Vec<&str> = Vec::new();
    for list in [Some(&lk), bk.as_ref(), Some(&sk)].into_iter().flatten() {
        for (k, _) in list {
            if !addresses.contains(&k.as_str()) {
                addresses.push(k);
            }
        }
    }
    for addr in addresses {
        // Looked up by the key of the key, as before keys were kept (a no-op unless an address
        // normalises differently twice, e.g. `%25` decoded again).
        let key = normalize_address(addr);
        let l = line_for(&lk, &key);
        let b = bk.as_ref().and_then(|x| line_for(x, &key));
        let s = line_for(&sk, &key);
        let who = l
            .or(s)
            .or(b)
            .map(|p| p.value().trim().to_string())
            .unwrap_or_default();
        match (l, s) {
            (Some(l), Some(s)) => {
                if same_text(l, s) {
                    continue; // every parameter alike: nothing to carry
                }
                let Some(idx) = line_index(out, name, s.value()) else {
                    continue;
                };
                let mine = name == "ORGANIZER" || ctx.me.is(l);
                for param in param_names(&[Some(l), b, Some(s)]) {
                    let lv = param_norm(l, &param);
                    let sv = param_norm(s, &param);
                    if lv == sv {
                        continue;
                    }
                    let owner = if name == "ORGANIZER" && param != "SCHEDULE-STATUS" {
                        Owner::Organizer
                    } else {
                        ctx.own.param_owner(agent_line(l, b, s), &param, mine)
                    };
                    let bv = b.map(|x| param_norm(x, &param));
                    let take_mine = match (owner, &bv) {
                        (Owner::Server, _) => false,
                        (_, Some(bv)) => lv != *bv,
                        (Owner::Reply, None) => time_changed_by_me,
                        (_, None) => true,
                    };
                    if !take_mine {
                        continue;
                    }
                    if name == "ATTENDEE" && !mine && sets_answer_for_server_scheduled(l, &param) {
                        // RFC 6638 §3.2.1, §3.2.4.3: the server SHOULD reject an organizer
                        // setting another attendee's PARTSTAT to anything but NEEDS-ACTION
                        // (403 allowed-organizer-scheduling-object-change); the answer is theirs.
                        report.dropped(
                            place,
                            Some(&param),
                            format!(
                                "{who}: your PARTSTAT ({}) was not saved: only that attendee \
                                 answers (the organizer may only reset it to NEEDS-ACTION)",
                                lv.join(",")
                            ),
                        );
                        continue;
                    }
                    if let Some(target) = property_at(out, idx) {
                        copy_param(target, l, &param);
                    }
                    let shown = if lv.is_empty() {
                        "removed".to_string()
                    } else {
                        lv.join(",")
                    };
                    if bv.as_ref().is_some_and(|bv| sv != *bv) {
                        report.conflict(
                            place,
                            Some(&param),
                            format!(
                                "{who}: {param} changed on the server too ({}); yours ({shown}) \
                                 was kept",
                                sv.join(",")
                            ),
                        );
                    } else {
                        report.kept(
                            place,
                            Some(&param),
                            format!("{who}: your {param} ({shown}) was saved"),
                        );
                    }
                }
            }
            (Some(l), None) => {
                if let Some(b) = b {
                    if same_params(l, b, &["SCHEDULE-STATUS"]) {
                        continue; // removed on the server; I did not touch it
                    }
                    report.conflict(
                        place,
                        Some(name),
                        format!("{who} was removed on the server but you changed them; kept"),
                    );
                } else {
                    report.kept(place, Some(name), format!("{who} was added"));
                }
                let at = out
                    .children
                    .iter()
                    .rposition(|n| matches!(n, Node::Property(p) if p.is(name)))
                    .map(|i| i + 1);
                match at {
                    Some(i) => out.children.insert(i, Node::Property(l.clone())),
                    None => out.push_property(l.clone()),
                }
            }
            (None, Some(s)) => {
                if b.is_some() {
                    if let Some(i) = line_index(out, name, s.value()) {
                        out.children.remove(i);
                        report.kept(
                            place,
                            Some(name),
                            format!("your removal of {who} was saved"),
                        );
                    }
                }
            }
            (None, None) => {}
        }
    }
}
