//! The attendee role on ATTENDEE and ORGANIZER lines: my answer (through the reschedule and
//! cancellation rules, RFC 6638 §3.2.8), my own parameters, the ORGANIZER's SCHEDULE-STATUS under
//! SCHEDULE-AGENT=CLIENT, and reports of changes to other attendees (never carried).
//!
//! SCHEDULE-AGENT is the organizer's and the merged line keeps the server's, so the server's
//! line (not mine) decides whether SCHEDULE-STATUS is mine (client scheduling) or the server's,
//! which clients "SHOULD NOT change or remove" (RFC 6638 §7.3; VECTORS M11, M12).

use crate::ical::{same_address, Component, Node, Property};

use super::compare::{same_params, same_text};
use super::merge_attendee::{partstat_or_default, Ctx, Groups, Sides};
use super::merge_edit::{copy_param, line_index, param_names, property_at};
use super::merge_lines::{AttendeeLine, Attendees};
use super::merge_params::{param_names_of, same_param, values_on, LineParams};
use super::merge_report::{Place, Report};
use super::merge_types::Change;
use super::merge_types::OnReschedule;
use super::ownership::Owner;
use super::reschedule::moved;

/// The ORGANIZER line: SCHEDULE-STATUS is mine only with SCHEDULE-AGENT=CLIENT on the server's
/// line (M12; my copy's SCHEDULE-AGENT does not count, M11), and I may
/// ask for a re-send with SCHEDULE-FORCE-SEND; everything else is the organizer's.
pub(crate) fn merge_organizer_line(
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
    if same_text(l, r) {
        return; // no parameter of mine changed
    }
    let Some(idx) = line_index(out, "ORGANIZER", l.value()).or_else(|| {
        out.children
            .iter()
            .position(|n| matches!(n, Node::Property(p) if p.is("ORGANIZER")))
    }) else {
        return;
    };
    let (lp, rp) = (LineParams::of(l), LineParams::of(r));
    let s = sides.server.property("ORGANIZER");
    let sp = s.map(LineParams::of);
    // The merged line keeps the server's SCHEDULE-AGENT (the organizer's): that one, not mine,
    // says whether the client does the scheduling and owns SCHEDULE-STATUS (RFC 6638 §7.3).
    let merged = s.unwrap_or(l);
    for name in param_names(&[Some(l), Some(r)]) {
        if same_param(&lp, Some(&rp), &name) {
            continue;
        }
        let lv = lp.values(&name);
        let sv = values_on(sp.as_ref(), &name);
        match ctx.own.param_owner(merged, &name, false) {
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

/// My ATTENDEE lines: my answer (through the reschedule and cancellation rules) and my other
/// own parameters (RSVP, DELEGATED-TO), on every line of the server's version that is mine (I
/// may be listed under several of my addresses, RFC 6638 §2.4.1; attendeeReply answers on all
/// of them). Each takes my line with its address, else my first line; reports of equal lines
/// are given once.
pub(crate) fn merge_my_attendee(
    out: &mut Component,
    sides: &Sides<'_>,
    groups: &Groups<'_>,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let locals = my_lines(&groups.local_attendees);
    let Some(first) = locals.first() else {
        return;
    };
    let references = my_lines(&groups.reference_attendees);
    let positions = groups.server_attendees.mine_in(out, ctx.me);
    if positions.is_empty() {
        let reference = counterpart(&references, &first.key).map(|a| a.line);
        let partstat = |line: Option<&Property>| {
            partstat_or_default(line.and_then(|p| LineParams::of(p).first_value("PARTSTAT")))
        };
        if partstat(Some(first.line)) != partstat(reference) {
            report.dropped(
                place,
                Some("PARTSTAT"),
                "the organizer no longer lists you as an attendee here; your answer was not \
                 carried",
            );
        }
        return;
    }
    let counts = (
        report.kept.len(),
        report.dropped.len(),
        report.conflicts.len(),
    );
    let servers = my_lines(&groups.server_attendees);
    for (idx, server) in positions.into_iter().zip(servers) {
        let Some(local) = counterpart(&locals, &server.key) else {
            continue;
        };
        let line = MyLine {
            idx,
            local: local.line,
            reference: counterpart(&references, &local.key).map(|a| a.line),
            server: server.line,
        };
        merge_my_params(out, &line, sides, ctx, place, report);
        merge_my_answer(out, &line, sides, ctx, place, report);
    }
    given_once(&mut report.kept, counts.0);
    given_once(&mut report.dropped, counts.1);
    given_once(&mut report.conflicts, counts.2);
}

/// One line of mine in the output with its versions.
struct MyLine<'a> {
    /// Its index in `out.children`.
    idx: usize,
    /// My version.
    local: &'a Property,
    /// The version my edit started from (base, else the server's).
    reference: Option<&'a Property>,
    /// The server's version (what `out` holds before the merge writes it).
    server: &'a Property,
}

/// My ATTENDEE lines of one version, in written order.
fn my_lines<'g, 'a>(list: &'g Attendees<'a>) -> Vec<&'g AttendeeLine<'a>> {
    list.all().iter().filter(|a| a.mine).collect()
}

/// The line of `lines` with address key `key`, else the first (my address may be spelt
/// differently in another version).
fn counterpart<'g, 'a>(lines: &[&'g AttendeeLine<'a>], key: &str) -> Option<&'g AttendeeLine<'a>> {
    lines
        .iter()
        .find(|a| a.key == key)
        .or_else(|| lines.first())
        .copied()
}

/// Keeps the first of equal entries among those from `from` on (one report for my answer
/// carried onto two lines of mine).
fn given_once(list: &mut Vec<Change>, from: usize) {
    let added = list.split_off(from.min(list.len()));
    for c in added {
        if !list.get(from..).is_some_and(|new| new.contains(&c)) {
            list.push(c);
        }
    }
}

/// My own parameters other than my answer (PARTSTAT, DELEGATED-TO); none changed when the line
/// is as it was.
fn merge_my_params(
    out: &mut Component,
    line: &MyLine<'_>,
    sides: &Sides<'_>,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let (l, r) = (line.local, line.reference);
    if r.is_some_and(|r| same_text(r, l)) {
        return;
    }
    let (lp, rp) = (LineParams::of(l), r.map(LineParams::of));
    let sp = LineParams::of(line.server);
    let three_way = sides.base.is_some();
    for name in param_names_of(&lp, rp.as_ref()) {
        // My answer and whom I delegated it to go together (merge_my_answer).
        if matches!(name.as_str(), "PARTSTAT" | "DELEGATED-TO")
            || same_param(&lp, rp.as_ref(), &name)
        {
            continue;
        }
        let (lv, rv) = (lp.values(&name), values_on(rp.as_ref(), &name));
        let sv = sp.values(&name);
        // My line keeps the server's SCHEDULE-AGENT (not mine to change): it decides who owns
        // SCHEDULE-STATUS (RFC 6638 §7.3).
        match ctx.own.param_owner(line.server, &name, true) {
            Owner::Attendee => {
                if lv == sv {
                    continue;
                }
                if let Some(target) = property_at(out, line.idx) {
                    copy_param(target, l, &name);
                }
                let shown = if lv.is_empty() {
                    "removed".to_string()
                } else {
                    lv.join(",")
                };
                if three_way && sv != rv {
                    report.conflict(
                        place,
                        Some(&name),
                        format!(
                            "your {name} was changed on the server too; yours ({shown}) was kept"
                        ),
                    );
                } else {
                    report.kept(
                        place,
                        Some(&name),
                        format!("your {name} ({shown}) was kept"),
                    );
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
}

/// My answer on one line of mine: PARTSTAT with DELEGATED-TO, which is part of it (RFC 5546
/// §3.2.2.3): both are re-applied or held back together, and so is the delegate's ATTENDEE line
/// ([`carry_delegates`] follows the merged DELEGATED-TO).
fn merge_my_answer(
    out: &mut Component,
    line: &MyLine<'_>,
    sides: &Sides<'_>,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let three_way = sides.base.is_some();
    let (mine, before, now) = (
        Answer::of(Some(line.local)),
        Answer::of(line.reference),
        Answer::of(Some(line.server)),
    );
    let changed_by_me = mine != before;
    let shown = mine.shown(line.local);
    let cancelled = sides
        .server
        .value_of("STATUS")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("CANCELLED"));
    let rescheduled = mine.partstat != "NEEDS-ACTION"
        && mine.partstat != now.partstat
        && moved(
            sides.answered,
            sides.now,
            sides.answered_instance,
            sides.base.is_some(),
        );
    let apply = |out: &mut Component| {
        if let Some(target) = property_at(out, line.idx) {
            copy_param(target, line.local, "PARTSTAT");
            copy_param(target, line.local, "DELEGATED-TO");
        }
    };
    if cancelled {
        if mine != now && mine.partstat != "DECLINED" && (changed_by_me || rescheduled) {
            report.dropped(
                place,
                Some("PARTSTAT"),
                format!(
                    "the organizer cancelled {}; your answer {shown} was not re-applied",
                    place.describe()
                ),
            );
        } else if mine.partstat == "DECLINED" && changed_by_me && mine != now {
            apply(out);
            report.kept(place, Some("PARTSTAT"), "your answer DECLINED was kept");
        }
        return;
    }
    if rescheduled {
        report.rescheduled = true;
        let now = &now.partstat;
        match ctx.on_reschedule {
            OnReschedule::Ask => {
                report.needs_confirmation = true;
                report.conflict(
                    place,
                    Some("PARTSTAT"),
                    format!(
                        "the organizer moved {} after you answered {shown}; the server's {now} was \
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
                        "your answer {shown} was re-applied although the organizer moved {}",
                        place.describe()
                    ),
                );
            }
            OnReschedule::Reset => {
                report.dropped(
                    place,
                    Some("PARTSTAT"),
                    format!(
                        "your answer {shown} was reset to {now}: the organizer moved {}",
                        place.describe()
                    ),
                );
            }
        }
        return;
    }
    let changed = if three_way {
        changed_by_me
    } else {
        mine != now
    };
    if !changed || mine == now {
        return;
    }
    apply(out);
    report_answer_kept(line.local, [&mine, &before, &now], three_way, place, report);
}

/// Reports my answer carried onto the server's line: PARTSTAT and DELEGATED-TO each where it
/// differs from the server's, a conflict where the server's also differs from base (the
/// reference: a three-way merge).
fn report_answer_kept(
    local: &Property,
    [mine, before, now]: [&Answer; 3],
    three_way: bool,
    place: &Place,
    report: &mut Report,
) {
    if mine.partstat != now.partstat {
        let m = &mine.partstat;
        if three_way && now.partstat != before.partstat {
            let n = &now.partstat;
            report.conflict(
                place,
                Some("PARTSTAT"),
                format!("your answer was changed on the server too ({n}); yours ({m}) was kept"),
            );
        } else {
            report.kept(place, Some("PARTSTAT"), format!("your answer {m} was kept"));
        }
    }
    if mine.delegated_to != now.delegated_to {
        let to = local.param_values("DELEGATED-TO").join(",");
        let to = if to.is_empty() {
            "removed".to_string()
        } else {
            to
        };
        if three_way && now.delegated_to != before.delegated_to {
            report.conflict(
                place,
                Some("DELEGATED-TO"),
                format!("your DELEGATED-TO was changed on the server too; yours ({to}) was kept"),
            );
        } else {
            report.kept(
                place,
                Some("DELEGATED-TO"),
                format!("your DELEGATED-TO ({to}) was kept"),
            );
        }
    }
}

/// My answer on one version of my line: PARTSTAT (NEEDS-ACTION when absent) and the
/// normalised DELEGATED-TO addresses.
#[derive(PartialEq, Eq)]
struct Answer {
    partstat: String,
    delegated_to: Vec<String>,
}

impl Answer {
    fn of(line: Option<&Property>) -> Answer {
        let params = line.map(LineParams::of);
        Answer {
            partstat: partstat_or_default(params.as_ref().and_then(|p| p.first_value("PARTSTAT"))),
            delegated_to: values_on(params.as_ref(), "DELEGATED-TO"),
        }
    }

    /// The answer in words: `DELEGATED (to mailto:a@x)` when delegated.
    fn shown(&self, line: &Property) -> String {
        let to = line.param_values("DELEGATED-TO");
        if to.is_empty() {
            self.partstat.clone()
        } else {
            format!("{} (to {})", self.partstat, to.join(", "))
        }
    }
}

/// Changes I made to other attendees or to the attendee list: never carried (organizer-owned),
/// reported in a three-way merge.
pub(crate) fn report_other_attendees<'a>(
    sides: &Sides<'a>,
    groups: &Groups<'a>,
    place: &Place,
    report: &mut Report,
) {
    if sides.base.is_none() || sides.local_stands_in || sides.base_stands_in {
        return;
    }
    // With a base, the reference is the base.
    let l = other_attendees(&groups.local_attendees);
    let b = other_attendees(&groups.reference_attendees);
    let s = other_attendees(&groups.server_attendees);
    let find = |list: &[(&str, &'a Property)], key: &str| -> Option<&'a Property> {
        list.iter().find(|(k, _)| *k == key).map(|(_, p)| *p)
    };
    for (key, a) in &l {
        match find(&b, key) {
            None => {
                if find(&s, key).is_none() {
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
                if !same_params(a, before, &ignore)
                    && find(&s, key).is_some_and(|now| !same_params(a, now, &ignore))
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
    for (key, a) in &b {
        if find(&l, key).is_none() && find(&s, key).is_some() {
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
}

/// The ATTENDEE lines (with their keys) that are neither mine nor a delegate of mine.
fn other_attendees<'g, 'a>(list: &'g Attendees<'a>) -> Vec<(&'g str, &'a Property)> {
    list.all()
        .iter()
        .filter(|a| !a.mine && !a.my_delegate)
        .map(|a| (a.key.as_ref(), a.line))
        .collect()
}

/// The ATTENDEE line of a delegate I added (RFC 5546 §3.2.2.3: delegating adds the delegate with
/// DELEGATED-FROM me; the delegate's line "MUST be included") goes with my DELEGATED-TO: carried
/// when my merged line names the delegate and the server's version lacks the line (an override
/// the organizer added gets my series delegation with its delegate, as attendeeReply writes
/// it; an answer held back after a reschedule takes its delegate with it). Servers may refuse
/// it (RFC 6638 §3.2.2.1 does not list it), which the precondition helper reports.
pub(crate) fn carry_delegates(
    out: &mut Component,
    sides: &Sides<'_>,
    groups: &Groups<'_>,
    ctx: &Ctx<'_>,
    place: &Place,
    report: &mut Report,
) {
    let reference = sides.reference();
    let named: Vec<String> = groups
        .server_attendees
        .mine_in(out, ctx.me)
        .into_iter()
        .filter_map(|i| property_at(out, i).map(|p| p.param_values("DELEGATED-TO")))
        .flatten()
        .collect();
    for d in groups
        .local_attendees
        .all()
        .iter()
        .filter(|a| a.my_delegate)
        .map(|a| a.line)
    {
        let known = |c: &Component| line_index(c, "ATTENDEE", d.value()).is_some();
        if known(reference) || known(out) || !named.iter().any(|n| same_address(n, d.value())) {
            continue;
        }
        let at = out
            .children
            .iter()
            .rposition(|n| matches!(n, Node::Property(p) if p.is("ATTENDEE")))
            .map(|i| i + 1)
            .unwrap_or(out.children.len());
        out.children.insert(at, Node::Property(d.clone()));
        report.kept(
            place,
            Some("ATTENDEE"),
            format!("your delegate {} was added", d.value().trim()),
        );
    }
}
