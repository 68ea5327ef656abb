//! Components the merge has no other rule for: X- and IANA components inside a VEVENT/VTODO/
//! VJOURNAL (anything but VALARM) and at the top of the VCALENDAR (anything but the scheduling
//! components and VTIMEZONE). RFC 5545 §3.6: an application "SHOULD NOT silently drop any
//! components"; RFC 4791 §5.3.3: servers store them; PROTOCOL.md §9.
//!
//! They have no identity, so they are matched by content (name and properties compared as
//! meanings, sub-components likewise, in order). A component I added (not in base, or without
//! a base not in the server copy) and that the server copy does not have yet, or one I removed
//! (three-way only) that the server copy still has, is my change. It is carried when it is
//! mine: every component for the organizer (who owns the object); for an attendee only the
//! ones the app's `personal` list names, since X- data is organizer-owned like X- properties
//! (PROTOCOL.md §2.2, [`Ownership::component_owner`]). The attendee's other changes are
//! reported in `dropped`, as for properties only in a three-way merge (without a base a
//! difference cannot be attributed: the organizer may have removed it).

use crate::ical::{Component, Node, Property};

use super::compare::same_bag;
use super::merge_report::{Place, Report};
use super::ownership::{Owner, Ownership};

/// Who may carry changes of these components (whether the others are reported depends on
/// having a base: see the module comment).
pub(crate) struct Rules<'a> {
    /// The ownership table (for the attendee's personal list).
    pub(crate) own: &'a Ownership,
    /// Merging as the organizer: every change is mine.
    pub(crate) organizer: bool,
}

impl Rules<'_> {
    fn mine(&self, name: &str) -> bool {
        self.organizer || self.own.component_owner(name) == Owner::Attendee
    }
}

/// True for a sub-component of a VEVENT/VTODO/VJOURNAL that only this module merges.
pub(crate) fn is_other_in_component(c: &Component) -> bool {
    !c.is("VALARM")
}

/// True for a component of the VCALENDAR that only this module merges.
pub(crate) fn is_other_in_calendar(c: &Component) -> bool {
    !super::identity::is_scheduling_component(c) && !c.is("VTIMEZONE")
}

/// Carries my additions and removals of the `is_other` sub-components of `local` onto `out` (a
/// copy of the server's version), against `base` when there is one (see the module comment).
pub(crate) fn merge_other_components(
    out: &mut Component,
    local: &Component,
    base: Option<&Component>,
    is_other: fn(&Component) -> bool,
    rules: &Rules<'_>,
    place: &Place,
    report: &mut Report,
) {
    let mine = others(local, is_other);
    let (added, removed): (Vec<&Component>, Vec<&Component>) = {
        let server = others(out, is_other);
        match base.map(|b| others(b, is_other)) {
            Some(before) => {
                let server_added = unmatched(&server, &before);
                let added = unmatched(&unmatched(&mine, &before), &server_added);
                (added, unmatched(&before, &mine))
            }
            None => (unmatched(&mine, &server), Vec::new()),
        }
    };
    for c in added {
        let at = place_of(out, &mine, c, is_other);
        add(out, c.clone(), at, rules, base.is_some(), place, report);
    }
    for c in removed {
        remove(out, c, rules, place, report);
    }
}

/// The `is_other` sub-components of `c`, in order.
fn others(c: &Component, is_other: fn(&Component) -> bool) -> Vec<&Component> {
    c.components().filter(|x| is_other(x)).collect()
}

/// Where a component I added goes in `out`, so that the order of my copy holds (PROTOCOL.md
/// §9, VECTORS M13): right after the nearest earlier one of `mine` (the `is_other` components of
/// my copy) that `out` has, else right before the nearest later one; `None` (at the end) when
/// `out` has neither.
fn place_of(
    out: &Component,
    mine: &[&Component],
    c: &Component,
    is_other: fn(&Component) -> bool,
) -> Option<usize> {
    let i = mine.iter().position(|x| std::ptr::eq(*x, c))?;
    let node_of = |sibling: &Component| {
        out.children.iter().position(
            |n| matches!(n, Node::Component(x) if is_other(x) && same_content(x, sibling)),
        )
    };
    let earlier = mine.get(..i).unwrap_or_default().iter().rev();
    if let Some(at) = earlier.filter_map(|s| node_of(s)).next() {
        return Some(at + 1);
    }
    let later = mine.get(i + 1..).unwrap_or_default().iter();
    later.filter_map(|s| node_of(s)).next()
}

/// Adds a component I added at `at` (a child position; `None`: at the end), or reports it when
/// it is not mine to add.
fn add(
    out: &mut Component,
    c: Component,
    at: Option<usize>,
    rules: &Rules<'_>,
    three_way: bool,
    place: &Place,
    report: &mut Report,
) {
    let name = c.name().to_ascii_uppercase();
    if rules.mine(&name) {
        match at {
            Some(i) if i <= out.children.len() => out.children.insert(i, Node::Component(c)),
            _ => out.push_component(c),
        }
        report.kept(
            place,
            Some(&name),
            format!("your component {name} was added"),
        );
    } else if three_way {
        report.dropped(
            place,
            Some(&name),
            format!("you added component {name}; it was not saved: only the organizer can add it"),
        );
    }
}

/// Removes a component I removed when the server copy still has it, or reports it when it is
/// not mine to remove.
fn remove(
    out: &mut Component,
    c: &Component,
    rules: &Rules<'_>,
    place: &Place,
    report: &mut Report,
) {
    let at = out
        .children
        .iter()
        .position(|n| matches!(n, Node::Component(x) if same_content(x, c)));
    let Some(i) = at else {
        return; // gone from the server copy too
    };
    let name = c.name().to_ascii_uppercase();
    if rules.mine(&name) {
        out.children.remove(i);
        report.kept(
            place,
            Some(&name),
            format!("your removal of component {name} was saved"),
        );
    } else {
        report.dropped(
            place,
            Some(&name),
            format!(
                "you removed component {name}; only the organizer can remove it, so it was kept"
            ),
        );
    }
}

/// The components of `from` left over when each component of `against` takes away one equal
/// component (a multiset difference, in the order of `from`).
fn unmatched<'a>(from: &[&'a Component], against: &[&Component]) -> Vec<&'a Component> {
    let mut used = vec![false; against.len()];
    let mut left = Vec::new();
    for c in from {
        let twin = against
            .iter()
            .enumerate()
            .position(|(i, a)| !used.get(i).copied().unwrap_or(true) && same_content(a, c));
        match twin.and_then(|i| used.get_mut(i)) {
            Some(u) => *u = true,
            None => left.push(*c),
        }
    }
    left
}

/// True when two components mean the same: same name, the same properties as meanings (any
/// order, folding, parameter case), and sub-components alike in the same order.
pub(crate) fn same_content(a: &Component, b: &Component) -> bool {
    a.name().eq_ignore_ascii_case(b.name())
        && same_bag(&properties(a), &properties(b))
        && a.components().count() == b.components().count()
        && a.components()
            .zip(b.components())
            .all(|(x, y)| same_content(x, y))
}

fn properties(c: &Component) -> Vec<&Property> {
    c.properties().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::first_component as comp;
    use crate::test_support::TestResult;

    const X: &str = "BEGIN:X-THING\r\nX-P:1\r\nEND:X-THING\r\n";

    fn event(inner: &str) -> TestResult<Component> {
        comp(&format!("BEGIN:VEVENT\r\nUID:1\r\n{inner}END:VEVENT\r\n"))
    }

    fn run(
        local: &Component,
        base: Option<&Component>,
        server: &Component,
        organizer: bool,
    ) -> (Component, Report) {
        let mut out = server.clone();
        let mut report = Report::default();
        let own = Ownership::default();
        let rules = Rules {
            own: &own,
            organizer,
        };
        let place = Place::of(server);
        merge_other_components(
            &mut out,
            local,
            base,
            is_other_in_component,
            &rules,
            &place,
            &mut report,
        );
        (out, report)
    }

    #[test]
    fn content_compares_meanings() -> TestResult {
        let a = comp("BEGIN:X-A\r\nX-P;X-Q=1:v\r\nX-R:w\r\nEND:X-A\r\n")?;
        let b = comp("begin:x-a\r\nX-R:w\r\nx-p;x-q=1:v\r\nend:x-a\r\n")?;
        let c = comp("BEGIN:X-A\r\nX-P:v\r\nX-R:w\r\nEND:X-A\r\n")?;
        assert!(same_content(&a, &b) && !same_content(&a, &c));
        Ok(())
    }

    #[test]
    fn organizer_carries_additions_and_removals() -> TestResult {
        let (base, server) = (event("")?, event("SUMMARY:s\r\n")?);
        let (out, report) = run(&event(X)?, Some(&base), &server, true);
        assert!(String::from_utf8(out.to_bytes())?.contains(X));
        assert_eq!(report.kept.len(), 1);
        let (out, report) = run(&base, Some(&event(X)?), &event(X)?, true);
        assert!(!String::from_utf8(out.to_bytes())?.contains("X-THING"));
        assert_eq!(report.kept.len(), 1);
        // Two-way: what the server copy lacks is added; nothing is removed.
        let (out, _) = run(&event(X)?, None, &server, true);
        assert!(String::from_utf8(out.to_bytes())?.contains(X));
        let (out, report) = run(&base, None, &event(X)?, true);
        assert!(String::from_utf8(out.to_bytes())?.contains(X) && report.kept.is_empty());
        Ok(())
    }

    /// The order of my copy holds (VECTORS M13): an edited component stays in its place, one I
    /// added goes between the same neighbours.
    #[test]
    fn my_order_holds() -> TestResult {
        let a = "BEGIN:X-A\r\nX-P:1\r\nEND:X-A\r\n";
        let edited = "BEGIN:X-A\r\nX-P:2\r\nEND:X-A\r\n";
        let b = "BEGIN:X-B\r\nX-P:1\r\nEND:X-B\r\n";
        let alarm = "BEGIN:VALARM\r\nTRIGGER:-PT5M\r\nACTION:DISPLAY\r\nEND:VALARM\r\n";
        let names = |c: &Component| {
            c.components()
                .map(|x| format!("{}{}", x.name(), x.value_of("X-P").unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        let base = event(&format!("{a}{b}{alarm}"))?;
        let (out, _) = run(
            &event(&format!("{edited}{b}{alarm}"))?,
            Some(&base),
            &base,
            true,
        );
        assert_eq!(names(&out), ["X-A2", "X-B1", "VALARM"]);
        let server = event(&format!("{b}{alarm}"))?;
        let (out, _) = run(&event(&format!("{a}{b}{alarm}"))?, None, &server, true);
        assert_eq!(names(&out), ["X-A1", "X-B1", "VALARM"]);
        let (out, _) = run(&event(&format!("{b}{a}"))?, None, &server, true);
        assert_eq!(names(&out), ["X-B1", "X-A1", "VALARM"]);
        Ok(())
    }

    #[test]
    fn attendee_reports_what_is_not_carried() -> TestResult {
        let base = event("")?;
        let (out, report) = run(&event(X)?, Some(&base), &base, false);
        assert!(!String::from_utf8(out.to_bytes())?.contains("X-THING"));
        assert_eq!(report.dropped.len(), 1);
        let (_, report) = run(&base, Some(&event(X)?), &event(X)?, false);
        assert_eq!(report.dropped.len(), 1);
        // Already on the server: nothing to carry or report.
        let (_, report) = run(&event(X)?, Some(&base), &event(X)?, false);
        assert!(report.dropped.is_empty() && report.kept.is_empty());
        Ok(())
    }
}
