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
/// Two-way: the result holds exactly my alarms (the server's bytes kept where equal).
/// Snoozes (RFC 9074 §7) whose parent alarm is not in the result are dropped and reported.
pub fn merge_alarms(
    out: &mut Component,
    local: &Component,
    base: Option<&Component>,
    place: &Place,
    report: &mut Report,
) {
    let mine = alarms(local);
    let mut carried: Vec<Component> = Vec::new();
    match base {
        Some(base) => {
            let before = alarms(base);
            for l in &mine {
                match before.iter().find(|b| same_alarm(b, l)) {
                    None => {
                        // Added by me.
                        match find_in(out, l) {
                            Some(i) => {
                                if let Some(Node::Component(o)) = out.children.get(i) {
                                    if same_alarm_content(o, l) {
                                        continue;
                                    }
                                }
                                if let Some(n) = out.children.get_mut(i) {
                                    *n = Node::Component((*l).clone());
                                }
                            }
                            None => out.push_component((*l).clone()),
                        }
                        carried.push((*l).clone());
                        report.kept(
                            place,
                            Some("VALARM"),
                            format!("your {} was added", describe_alarm(l)),
                        );
                    }
                    Some(b) if same_alarm_content(b, l) => {}
                    Some(b) => {
                        // Edited by me.
                        match find_in(out, b).or_else(|| find_in(out, l)) {
                            None => {
                                out.push_component((*l).clone());
                                carried.push((*l).clone());
                                report.conflict(
                                    place,
                                    Some("VALARM"),
                                    format!(
                                        "your changed {} was removed on the server; yours was kept",
                                        describe_alarm(l)
                                    ),
                                );
                            }
                            Some(i) => {
                                let Some(Node::Component(o)) = out.children.get(i) else {
                                    continue;
                                };
                                if same_alarm_content(o, l) {
                                    continue;
                                }
                                let server_changed = !same_alarm_content(o, b);
                                let choose_server = server_changed
                                    && differ_only_in_acknowledged(o, l)
                                    && acknowledged(o) > acknowledged(l);
                                if choose_server {
                                    continue;
                                }
                                let only_ack = differ_only_in_acknowledged(o, l);
                                if let Some(n) = out.children.get_mut(i) {
                                    *n = Node::Component((*l).clone());
                                }
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
                                        format!(
                                            "your change to the {} was kept",
                                            describe_alarm(l)
                                        ),
                                    );
                                }
                            }
                        }
                    }
                }
            }
            for b in &before {
                if mine.iter().any(|l| same_alarm(l, b)) {
                    continue;
                }
                // Removed by me.
                if let Some(i) = find_in(out, b) {
                    out.children.remove(i);
                    report.kept(
                        place,
                        Some("VALARM"),
                        format!("your removal of the {} was kept", describe_alarm(b)),
                    );
                }
            }
        }
        None => {
            for l in &mine {
                match find_in(out, l) {
                    Some(i) => {
                        let same = matches!(out.children.get(i), Some(Node::Component(o)) if same_alarm_content(o, l));
                        if same {
                            continue;
                        }
                        if let Some(n) = out.children.get_mut(i) {
                            *n = Node::Component((*l).clone());
                        }
                        report.kept(
                            place,
                            Some("VALARM"),
                            format!("your version of the {} was kept", describe_alarm(l)),
                        );
                    }
                    None => {
                        out.push_component((*l).clone());
                        report.kept(
                            place,
                            Some("VALARM"),
                            format!("your {} was kept", describe_alarm(l)),
                        );
                    }
                }
                carried.push((*l).clone());
            }
            let stale: Vec<usize> = out
                .children
                .iter()
                .enumerate()
                .filter(|(_, n)| matches!(n, Node::Component(c) if c.is("VALARM") && !mine.iter().any(|l| same_alarm(l, c))))
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
        }
    }
    drop_orphan_snoozes(out, &carried, place, report);
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
}
