//! A component's lines read once per component: its properties grouped by name (the merge
//! compares every property name of three versions, and looking each name up by scanning the
//! lines again made that quadratic in the number of lines) and its ATTENDEE lines with their
//! address keys (normalised once, not once per comparison).

use crate::ical::{normalize_address, Component, Property};

use super::identity::Me;

/// The properties of one component by upper-case name: groups in first-seen order, the lines of
/// a group in written order.
pub struct LineGroups<'a> {
    groups: Vec<(String, Vec<&'a Property>)>,
}

impl<'a> LineGroups<'a> {
    /// Groups the properties of `c` (not those of its sub-components).
    pub fn of(c: &'a Component) -> LineGroups<'a> {
        let mut groups: Vec<(String, Vec<&'a Property>)> = Vec::new();
        for p in c.properties() {
            let name = p.name();
            match groups
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                Some((_, lines)) => lines.push(p),
                None => groups.push((name.to_ascii_uppercase(), vec![p])),
            }
        }
        LineGroups { groups }
    }

    /// The `name` lines (any letter case), in written order; empty when there are none.
    pub fn get(&self, name: &str) -> &[&'a Property] {
        self.groups
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, lines)| lines.as_slice())
            .unwrap_or_default()
    }

    /// The upper-case names, in first-seen order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(|(n, _)| n.as_str())
    }
}

/// The ATTENDEE lines of one component, in written order, each with its address key
/// ([`normalize_address`]).
pub struct Attendees<'a> {
    lines: Vec<(String, &'a Property)>,
}

impl<'a> Attendees<'a> {
    /// The ATTENDEE lines of a grouped component.
    pub fn of(groups: &LineGroups<'a>) -> Attendees<'a> {
        Attendees {
            lines: groups
                .get("ATTENDEE")
                .iter()
                .map(|p| (normalize_address(p.value()), *p))
                .collect(),
        }
    }

    /// Every line with its key.
    pub fn all(&self) -> &[(String, &'a Property)] {
        &self.lines
    }

    /// My first ATTENDEE line (the first that [`super::identity::my_attendees`] gives).
    pub fn mine(&self, me: &Me) -> Option<&'a Property> {
        self.lines
            .iter()
            .find(|(key, _)| me.has_key(key))
            .map(|(_, p)| *p)
    }
}

/// The upper-case property names of two components, in first-seen order (those of `a` first).
pub fn names_of_both<'n>(a: &'n LineGroups<'_>, b: &'n LineGroups<'_>) -> Vec<&'n str> {
    let mut names: Vec<&str> = a.names().collect();
    for n in b.names() {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::itip::merge_edit::{lines, property_names};
    use crate::itip::test_support::first_component as comp;

    #[test]
    fn groups_match_a_scan_of_the_lines() {
        let a = comp("BEGIN:VEVENT\r\nUID:1\r\nattendee:mailto:a@x\r\nSUMMARY:s\r\nATTENDEE:mailto:b@x\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\n");
        let b = comp("BEGIN:VEVENT\r\nTRANSP:OPAQUE\r\nUID:1\r\nEND:VEVENT\r\n");
        let (ga, gb) = (LineGroups::of(&a), LineGroups::of(&b));
        assert_eq!(names_of_both(&ga, &gb), property_names(&[&a, &b]));
        assert_eq!(
            names_of_both(&ga, &gb),
            ["UID", "ATTENDEE", "SUMMARY", "TRANSP"]
        );
        for name in ["attendee", "UID", "ACTION", "TRANSP"] {
            let texts =
                |v: &[&Property]| v.iter().map(|p| p.text().to_string()).collect::<Vec<_>>();
            assert_eq!(texts(ga.get(name)), texts(&lines(&a, name)));
        }
        assert_eq!(ga.get("ATTENDEE").len(), 2);
        assert!(ga.get("ACTION").is_empty());
    }

    #[test]
    fn attendees_keyed_once_and_mine_found() {
        let c = comp("BEGIN:VEVENT\r\nATTENDEE:mailto:a@x\r\nATTENDEE:MAILTO:Me@X\r\nattendee:mailto:me@x\r\nEND:VEVENT\r\n");
        let groups = LineGroups::of(&c);
        let attendees = Attendees::of(&groups);
        let keys: Vec<&str> = attendees.all().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["mailto:a@x", "mailto:me@x", "mailto:me@x"]);
        let me = Me::new(&["mailto:me@x"]).unwrap();
        assert_eq!(
            attendees.mine(&me).map(Property::value),
            Some("MAILTO:Me@X")
        );
        let stranger = Me::new(&["mailto:b@x"]).unwrap();
        assert!(attendees.mine(&stranger).is_none());
    }
}
