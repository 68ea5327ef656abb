//! VALARM identity and the merge of alarm sets (RFC 9074 §4 UID, §6 ACKNOWLEDGED, §7 snooze;
//! PROTOCOL.md §10). Alarms are personal: the user's side wins, matched by UID, else by the
//! (ACTION, TRIGGER, RELATED) signature.

use crate::ical::{Component, Node, Property};

use super::compare::{property_key, same_bag, same_text};
use super::merge_report::{Place, Report};

/// The alarm's UID (RFC 9074 §4), or Apple's `X-WR-ALARMUID` mirror of it.
pub fn alarm_uid(alarm: &Component) -> Option<String> {
    uid_of(alarm).map(str::to_string)
}

fn uid_of(alarm: &Component) -> Option<&str> {
    alarm
        .property("UID")
        .or_else(|| alarm.property("X-WR-ALARMUID"))
        .map(|p| p.value().trim())
}

/// The signature of an alarm without UID: ACTION + TRIGGER (value and RELATED/VALUE params).
pub fn alarm_signature(alarm: &Component) -> String {
    let action = alarm
        .value_of("ACTION")
        .unwrap_or("DISPLAY")
        .trim()
        .to_ascii_uppercase();
    let trigger = alarm
        .property("TRIGGER")
        .map(property_key)
        .unwrap_or_default();
    format!("{action}|{trigger}")
}

/// True when two alarms are the same alarm (possibly edited): same UID when both have one,
/// otherwise the same signature.
pub fn same_alarm(a: &Component, b: &Component) -> bool {
    match (uid_of(a), uid_of(b)) {
        (Some(x), Some(y)) => x == y,
        // ACTION and TRIGGER written alike give one signature without building it.
        _ => {
            same_line(a, b, "ACTION") && same_line(a, b, "TRIGGER")
                || alarm_signature(a) == alarm_signature(b)
        }
    }
}

/// True when the first `name` lines of both components are written alike (or both absent).
fn same_line(a: &Component, b: &Component, name: &str) -> bool {
    match (a.property(name), b.property(name)) {
        (Some(x), Some(y)) => same_text(x, y),
        (x, y) => x.is_none() && y.is_none(),
    }
}

/// True when two alarms have the same content (all properties, semantically; sub-components are
/// compared byte-for-byte after unfolding).
pub fn same_alarm_content(a: &Component, b: &Component) -> bool {
    let pa: Vec<&Property> = a.properties().collect();
    let pb: Vec<&Property> = b.properties().collect();
    same_bag(&pa, &pb)
        && a.components().map(|c| c.to_bytes()).collect::<Vec<_>>()
            == b.components().map(|c| c.to_bytes()).collect::<Vec<_>>()
}

/// "alarm -PT15M (DISPLAY)": for messages.
pub fn describe_alarm(alarm: &Component) -> String {
    let trigger = alarm.value_of("TRIGGER").unwrap_or("?").trim();
    let action = alarm.value_of("ACTION").unwrap_or("DISPLAY").trim();
    format!("alarm {trigger} ({action})")
}

fn alarms(c: &Component) -> Vec<&Component> {
    c.components_named("VALARM").collect()
}

/// Index in `out.children` of the VALARM matching `target`.
fn find_in(out: &Component, target: &Component) -> Option<usize> {
    out.children
        .iter()
        .position(|n| matches!(n, Node::Component(c) if c.is("VALARM") && same_alarm(c, target)))
}

/// True when two versions of one alarm differ only in ACKNOWLEDGED.
fn differ_only_in_acknowledged(a: &Component, b: &Component) -> bool {
    let strip = |c: &Component| -> Vec<Property> {
        c.properties()
            .filter(|p| !p.is("ACKNOWLEDGED"))
            .cloned()
            .collect()
    };
    let (x, y) = (strip(a), strip(b));
    let xr: Vec<&Property> = x.iter().collect();
    let yr: Vec<&Property> = y.iter().collect();
    same_bag(&xr, &yr)
}

fn acknowledged(c: &Component) -> String {
    c.value_of("ACKNOWLEDGED").unwrap_or("").trim().to_string()
}

/// Carries the user's alarm changes onto `out` (the server's component).
///
/// Three-way (`base` given): alarms I added are appended, alarms I removed are removed, alarms
/// I edited replace the server's version (both edited: mine wins and a conflict is reported,
/// except that when the versions differ only in ACKNOWLEDGED the later acknowledgement wins).
/// An alarm I removed that the server edited is removed too, as a conflict (mine wins, as for
/// an alarm I edited that the server removed); an acknowledgement alone is no such edit.
/// Two-way: the result holds exactly my alarms (the server's bytes kept where equal).
/// Alarms are matched one to one, so two equal alarms of mine stay two.
/// Snoozes (RFC 9074 §7) whose parent alarm is not in the result are dropped and reported.
pub fn merge_alarms(
    out: &mut Component,
    local: &Component,
    base: Option<&Component>,
    place: &Place,
    report: &mut Report,
) {
    let mine = alarms(local);
    let carried = match base {
        Some(base) => merge_three_way(out, &mine, &alarms(base), place, report),
        None => merge_two_way(out, &mine, place, report),
    };
    drop_orphan_snoozes(out, &carried, place, report);
}

/// Index in `out.children` of the first VALARM matching `target` that no alarm of mine has
/// taken yet (`taken`): alarms are matched one to one.
fn find_free(out: &Component, target: &Component, taken: &[usize]) -> Option<usize> {
    out.children.iter().enumerate().position(|(i, n)| {
        !taken.contains(&i)
            && matches!(n, Node::Component(c) if c.is("VALARM") && same_alarm(c, target))
    })
}

/// Puts `alarm` in the place of the node at `i`.
fn replace_at(out: &mut Component, i: usize, alarm: &Component) {
    if let Some(n) = out.children.get_mut(i) {
        *n = Node::Component(alarm.clone());
    }
}

/// Appends `alarm` and returns its index.
fn append(out: &mut Component, alarm: &Component) -> usize {
    out.push_component(alarm.clone());
    out.children.len().saturating_sub(1)
}

/// The three-way alarm merge (see [`merge_alarms`]); returns the alarms of mine it wrote.
fn merge_three_way(
    out: &mut Component,
    mine: &[&Component],
    before: &[&Component],
    place: &Place,
    report: &mut Report,
) -> Vec<Component> {
    let mut carried: Vec<Component> = Vec::new();
    // Positions in `out` and in `before` that an alarm of mine has taken.
    let mut taken: Vec<usize> = Vec::new();
    let mut taken_before: Vec<usize> = Vec::new();
    for l in mine {
        let b = before
            .iter()
            .enumerate()
            .find(|(j, b)| !taken_before.contains(j) && same_alarm(b, l));
        if let Some((j, _)) = b {
            taken_before.push(j);
        }
        match b.map(|(_, b)| *b) {
            None => {
                // Added by me.
                match find_free(out, l, &taken) {
                    Some(i) => {
                        taken.push(i);
                        if matches!(out.children.get(i), Some(Node::Component(o)) if same_alarm_content(o, l))
                        {
                            continue;
                        }
                        replace_at(out, i, l);
                    }
                    None => taken.push(append(out, l)),
                }
                carried.push((*l).clone());
                report.kept(
                    place,
                    Some("VALARM"),
                    format!("your {} was added", describe_alarm(l)),
                );
            }
            Some(b) if same_alarm_content(b, l) => {
                // Unchanged by me: the server's version stays, and is no longer free.
                if let Some(i) = find_free(out, b, &taken) {
                    taken.push(i);
                }
            }
            Some(b) => {
                // Edited by me.
                let Some(i) = find_free(out, b, &taken).or_else(|| find_free(out, l, &taken))
                else {
                    taken.push(append(out, l));
                    carried.push((*l).clone());
                    report.conflict(
                        place,
                        Some("VALARM"),
                        format!(
                            "your changed {} was removed on the server; yours was kept",
                            describe_alarm(l)
                        ),
                    );
                    continue;
                };
                taken.push(i);
                let Some(Node::Component(o)) = out.children.get(i) else {
                    continue;
                };
                if same_alarm_content(o, l) {
                    continue;
                }
                let server_changed = !same_alarm_content(o, b);
                let only_ack = differ_only_in_acknowledged(o, l);
                if server_changed && only_ack && acknowledged(o) > acknowledged(l) {
                    continue;
                }
                replace_at(out, i, l);
                carried.push((*l).clone());
                if server_changed && !only_ack {
                    report.conflict(
                        place,
                        Some("VALARM"),
                        format!(
                            "the {} was changed on both sides; your version was kept",
                            describe_alarm(l)
                        ),
                    );
                } else {
                    report.kept(
                        place,
                        Some("VALARM"),
                        format!("your change to the {} was kept", describe_alarm(l)),
                    );
                }
            }
        }
    }
    let removed: Vec<&Component> = before
        .iter()
        .enumerate()
        .filter(|(j, _)| !taken_before.contains(j))
        .map(|(_, b)| *b)
        .collect();
    remove_mine(out, &removed, &mut taken, place, report);
    carried
}

/// Removes the alarms I removed (`removed`, as base had them) from `out`: a conflict when the
/// server changed one meanwhile (more than an acknowledgement), my removal chosen.
fn remove_mine(
    out: &mut Component,
    removed: &[&Component],
    taken: &mut Vec<usize>,
    place: &Place,
    report: &mut Report,
) {
    let first_gone = taken.len();
    for b in removed {
        let Some(i) = find_free(out, b, taken) else {
            continue;
        };
        taken.push(i);
        let server_changed = matches!(out.children.get(i), Some(Node::Component(o))
            if !same_alarm_content(o, b) && !differ_only_in_acknowledged(o, b));
        let label = describe_alarm(b);
        if server_changed {
            report.conflict(
                place,
                Some("VALARM"),
                format!("the {label} was changed on the server but you removed it; it was removed"),
            );
        } else {
            report.kept(
                place,
                Some("VALARM"),
                format!("your removal of the {label} was kept"),
            );
        }
    }
    let gone = taken.get(first_gone..).unwrap_or_default();
    let mut at = 0;
    out.children.retain(|_| {
        let keep = !gone.contains(&at);
        at += 1;
        keep
    });
}

/// The two-way alarm merge (see [`merge_alarms`]); returns the alarms of mine it wrote.
fn merge_two_way(
    out: &mut Component,
    mine: &[&Component],
    place: &Place,
    report: &mut Report,
) -> Vec<Component> {
    let mut carried: Vec<Component> = Vec::new();
    let mut taken: Vec<usize> = Vec::new();
    for l in mine {
        carried.push((*l).clone());
        let Some(i) = find_free(out, l, &taken) else {
            taken.push(append(out, l));
            report.kept(
                place,
                Some("VALARM"),
                format!("your {} was kept", describe_alarm(l)),
            );
            continue;
        };
        taken.push(i);
        if matches!(out.children.get(i), Some(Node::Component(o)) if same_alarm_content(o, l)) {
            continue;
        }
        replace_at(out, i, l);
        report.kept(
            place,
            Some("VALARM"),
            format!("your version of the {} was kept", describe_alarm(l)),
        );
    }
    let stale: Vec<usize> = out
        .children
        .iter()
        .enumerate()
        .filter(|(i, n)| !taken.contains(i) && matches!(n, Node::Component(c) if c.is("VALARM")))
        .map(|(i, _)| i)
        .collect();
    for i in stale.into_iter().rev() {
        if let Some(Node::Component(c)) = out.children.get(i) {
            report.kept(
                place,
                Some("VALARM"),
                format!(
                    "the {} is not in your copy and was removed",
                    describe_alarm(c)
                ),
            );
        }
        out.children.remove(i);
    }
    carried
}

/// Removes carried snooze alarms (`RELATED-TO;RELTYPE=SNOOZE:<uid>`) whose parent alarm is not
/// in `out` (RFC 9074 §7).
fn drop_orphan_snoozes(
    out: &mut Component,
    carried: &[Component],
    place: &Place,
    report: &mut Report,
) {
    let uids: Vec<String> = out
        .components_named("VALARM")
        .filter_map(alarm_uid)
        .collect();
    for snooze in carried {
        let Some(parent) = snooze.properties_named("RELATED-TO").find(|r| {
            r.param_value("RELTYPE")
                .is_some_and(|t| t.eq_ignore_ascii_case("SNOOZE"))
        }) else {
            continue;
        };
        if uids.iter().any(|u| u == parent.value().trim()) {
            continue;
        }
        if let Some(i) = find_in(out, snooze) {
            out.children.remove(i);
            let label = describe_alarm(snooze);
            report.kept.retain(|c| {
                !(c.component == place.component
                    && c.recurrence_id == place.recurrence_id
                    && c.what.contains(&label))
            });
            report.dropped(
                place,
                Some("VALARM"),
                format!(
                    "your snooze ({}) was dropped: the alarm it snoozes ({}) no longer exists",
                    describe_alarm(snooze),
                    parent.value().trim()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    use crate::test_support::first_component as comp;

    const A15: &str =
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:x\r\nEND:VALARM\r\n";

    #[test]
    fn identity_by_uid_else_signature() -> TestResult {
        let a = comp(A15)?;
        let b = comp(
            "BEGIN:VALARM\r\nTRIGGER;RELATED=START:-PT900S\r\naction:display\r\nEND:VALARM\r\n",
        )?;
        assert!(same_alarm(&a, &b));
        assert!(!same_alarm_content(&a, &b));
        let u1 =
            comp("BEGIN:VALARM\r\nUID:1\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n")?;
        let u2 =
            comp("BEGIN:VALARM\r\nUID:2\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n")?;
        assert!(!same_alarm(&u1, &u2));
        assert!(same_alarm(&u1, &a));
        Ok(())
    }

    #[test]
    fn three_way_add_and_remove() -> TestResult {
        let base = comp("BEGIN:VEVENT\r\nBEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT\r\n")?;
        let local = comp(&format!("BEGIN:VEVENT\r\n{A15}END:VEVENT\r\n"))?;
        let mut out = base.clone();
        let mut report = Report::default();
        let place = Place::of(&out);
        merge_alarms(&mut out, &local, Some(&base), &place, &mut report);
        let names: Vec<String> = out.components().map(describe_alarm).collect();
        assert_eq!(names, vec!["alarm -PT15M (DISPLAY)"]);
        assert_eq!(report.kept.len(), 2);
        Ok(())
    }

    fn uid_alarm(trigger: &str, extra: &str) -> String {
        format!(
            "BEGIN:VALARM\r\nUID:A1\r\nACTION:DISPLAY\r\nTRIGGER:{trigger}\r\n{extra}END:VALARM\r\n"
        )
    }

    fn event(alarms: &str) -> TestResult<Component> {
        comp(&format!("BEGIN:VEVENT\r\nUID:1\r\n{alarms}END:VEVENT\r\n"))
    }

    /// API.md: "conflicts: both sides changed the same thing, and what was chosen". I removed
    /// the alarm, the server edited it: removed (mine wins, as when I edit and the server
    /// removes), reported as a conflict; a mere acknowledgement on the server is no edit.
    #[test]
    fn removed_by_me_edited_on_the_server_is_a_conflict() -> TestResult {
        let base = event(&uid_alarm("-PT15M", ""))?;
        let local = event("")?;
        for (server, conflict) in [
            (uid_alarm("-PT5M", ""), true),
            (
                uid_alarm("-PT15M", "ACKNOWLEDGED:20090602T150000Z\r\n"),
                false,
            ),
            (uid_alarm("-PT15M", ""), false),
        ] {
            let mut out = event(&server)?;
            let mut report = Report::default();
            let place = Place::of(&out);
            merge_alarms(&mut out, &local, Some(&base), &place, &mut report);
            assert_eq!(out.components().count(), 0);
            assert_eq!(report.conflicts.len(), usize::from(conflict), "{server}");
            assert_eq!(report.kept.len(), usize::from(!conflict), "{server}");
        }
        Ok(())
    }

    /// "Two-way: the result holds exactly my alarms": two equal alarms of mine stay two (and
    /// so do two I add three-way); a server duplicate I do not have goes.
    #[test]
    fn equal_alarms_are_matched_one_to_one() -> TestResult {
        let two = event(&format!("{A15}{A15}"))?;
        let one = event(A15)?;
        let none = event("")?;
        for (server, base) in [
            (&none, None),
            (&one, None),
            (&none, Some(&none)),
            (&one, Some(&one)),
        ] {
            let mut out = server.clone();
            let mut report = Report::default();
            let place = Place::of(&out);
            merge_alarms(&mut out, &two, base, &place, &mut report);
            assert_eq!(out.components().count(), 2, "{server:?} {base:?}");
        }
        let mut out = two.clone();
        let mut report = Report::default();
        merge_alarms(&mut out, &one, None, &Place::of(&one), &mut report);
        assert_eq!(out.components().count(), 1);
        Ok(())
    }
}
