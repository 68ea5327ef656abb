//! A component's lines read once per component: its properties grouped by name (the merge
//! compares every property name of three versions, and looking each name up by scanning the
//! lines again made that quadratic in the number of lines) and its ATTENDEE lines with their
//! address keys (normalised once, not once per comparison).

use std::borrow::Cow;

use crate::ical::ascii::eq_ignore_case;
use crate::ical::{address_has_key, normalize_address, Component, Node, Property};

use super::compare::{may_have_param, same_text};
use super::identity::Me;

/// The properties of one component by upper-case name: groups in first-seen order, the lines of
/// a group in written order.
pub struct LineGroups<'a> {
    /// Each group's name with its [`name_hash`], and its lines.
    groups: Vec<(u64, Cow<'a, str>, Lines<'a>)>,
}

/// The lines of one group: most groups have one, which needs no list of its own.
enum Lines<'a> {
    One(&'a Property),
    Many(Vec<&'a Property>),
}

impl<'a> Lines<'a> {
    fn push(&mut self, p: &'a Property) {
        match self {
            Lines::One(first) => {
                // A repeated name (ATTENDEE) is usually repeated several times.
                let mut lines = Vec::with_capacity(8);
                lines.extend([*first, p]);
                *self = Lines::Many(lines);
            }
            Lines::Many(lines) => lines.push(p),
        }
    }

    fn as_slice(&self) -> &[&'a Property] {
        match self {
            Lines::One(line) => std::slice::from_ref(line),
            Lines::Many(lines) => lines,
        }
    }
}

impl<'a> LineGroups<'a> {
    /// Groups the properties of `c` (not those of its sub-components).
    pub fn of(c: &'a Component) -> LineGroups<'a> {
        let mut groups: Vec<(u64, Cow<'a, str>, Lines<'a>)> = Vec::with_capacity(16);
        for p in c.properties() {
            let name = p.name();
            let hash = name_hash(name);
            match groups
                .iter_mut()
                .find(|(h, n, _)| *h == hash && eq_ignore_case(n, name))
            {
                Some((_, _, lines)) => lines.push(p),
                None => groups.push((hash, upper_case(name), Lines::One(p))),
            }
        }
        LineGroups { groups }
    }

    /// The `name` lines (any letter case), in written order; empty when there are none.
    pub fn get(&self, name: &str) -> &[&'a Property] {
        self.get_hashed(name_hash(name), name)
    }

    /// [`LineGroups::get`] with the name's [`name_hash`] known.
    fn get_hashed(&self, hash: u64, name: &str) -> &[&'a Property] {
        self.groups
            .iter()
            .find(|(h, n, _)| *h == hash && eq_ignore_case(n, name))
            .map(|(_, _, lines)| lines.as_slice())
            .unwrap_or_default()
    }

    /// The upper-case names, in first-seen order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(|(_, n, _)| n.as_ref())
    }
}

/// A hash of a name that ignores ASCII letter case: its length and its first two and last
/// bytes, upper-cased. Names with different hashes differ, so most comparisons are one integer
/// compare; reading four bytes, not the whole name, keeps it cheap for the many lookups.
fn name_hash(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let at = |i: usize| u64::from(bytes.get(i).map_or(0, u8::to_ascii_uppercase));
    let last = bytes.len().saturating_sub(1);
    (bytes.len() as u64) | at(0) << 32 | at(1) << 40 | at(last) << 48
}

/// The name in upper case, borrowed when it is written so (as it nearly always is).
fn upper_case(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(name.to_ascii_uppercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// One ATTENDEE line with what the merge asks of it, worked out once.
pub struct AttendeeLine<'a> {
    /// The address key ([`normalize_address`]): the value itself when it is its own key (as
    /// addresses nearly always are), so that most keys are neither built nor copied.
    pub key: Cow<'a, str>,
    /// The line.
    pub line: &'a Property,
    /// The address is one of mine.
    pub mine: bool,
    /// A delegate I added: `DELEGATED-FROM` names me (RFC 5546 §3.2.2.3).
    pub my_delegate: bool,
}

/// The ATTENDEE lines of one component, in written order.
pub struct Attendees<'a> {
    lines: Vec<AttendeeLine<'a>>,
}

impl<'a> Attendees<'a> {
    /// The ATTENDEE lines of a grouped component. A line written exactly as the line at the
    /// same position of `like` (another version of the component) takes over its findings.
    pub fn of(groups: &LineGroups<'a>, me: &Me, like: Option<&Attendees<'a>>) -> Attendees<'a> {
        let lines = groups.get("ATTENDEE").iter().enumerate().map(|(i, p)| {
            let twin = like
                .and_then(|l| l.lines.get(i))
                .filter(|t| same_text(t.line, p));
            match twin {
                Some(t) => AttendeeLine {
                    key: t.key.clone(),
                    line: p,
                    mine: t.mine,
                    my_delegate: t.my_delegate,
                },
                None => {
                    let value = p.value();
                    let key = if address_has_key(value, value) {
                        Cow::Borrowed(value)
                    } else {
                        Cow::Owned(normalize_address(value))
                    };
                    AttendeeLine {
                        mine: me.has_key(&key),
                        my_delegate: is_my_delegate(p, me),
                        key,
                        line: p,
                    }
                }
            }
        });
        Attendees {
            lines: lines.collect(),
        }
    }

    /// Every line, in written order.
    pub fn all(&self) -> &[AttendeeLine<'a>] {
        &self.lines
    }

    /// The indexes in `out.children` of my ATTENDEE lines (all of them: I may be listed under
    /// several of my addresses), `out` being this version or an edit of it: a line written as
    /// this version's line at the same position takes over its finding, any other is checked
    /// against `me`.
    pub fn mine_in(&self, out: &Component, me: &Me) -> Vec<usize> {
        let mut nth = 0;
        let mut found = Vec::new();
        for (i, n) in out.children.iter().enumerate() {
            let Node::Property(p) = n else {
                continue;
            };
            if !p.is("ATTENDEE") {
                continue;
            }
            let known = self.lines.get(nth).filter(|a| same_text(a.line, p));
            nth += 1;
            if known.map_or_else(|| me.is(p), |a| a.mine) {
                found.push(i);
            }
        }
        found
    }
}

/// True for an ATTENDEE line I added by delegating to it (`DELEGATED-FROM` names me).
pub fn is_my_delegate(line: &Property, me: &Me) -> bool {
    if !may_have_param(line, "DELEGATED-FROM") {
        return false;
    }
    line.params()
        .filter(|p| p.is("DELEGATED-FROM"))
        .flat_map(|p| p.values())
        .any(|a| me.matches(&a.decoded()))
}

/// True when two lists of lines are written alike, line for line (then they also mean the same).
pub fn written_alike(a: &[&Property], b: &[&Property]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_text(x, y))
}

/// The upper-case property names of two components with their lines in each, in the order of
/// [`names_of_both`] (each group found through its known hash, not by comparing names).
pub fn lines_of_both<'n, 'a>(
    a: &'n LineGroups<'a>,
    b: &'n LineGroups<'a>,
) -> Vec<NameLines<'n, 'a>> {
    let mut out: Vec<NameLines<'n, 'a>> = Vec::with_capacity(a.groups.len() + 4);
    for (hash, name, lines) in &a.groups {
        out.push((name, lines.as_slice(), b.get_hashed(*hash, name)));
    }
    for (hash, name, lines) in &b.groups {
        if a.get_hashed(*hash, name).is_empty() {
            out.push((name, &[], lines.as_slice()));
        }
    }
    out
}

/// A name with its lines in two versions (see [`lines_of_both`]).
pub type NameLines<'n, 'a> = (&'n str, &'n [&'a Property], &'n [&'a Property]);

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
mod tests {
    use super::*;

    use crate::itip::merge_edit::{lines, property_names};
    use crate::test_support::first_component as comp;
    use crate::test_support::TestResult;

    #[test]
    fn groups_match_a_scan_of_the_lines() -> TestResult {
        let a = comp("BEGIN:VEVENT\r\nUID:1\r\nattendee:mailto:a@x\r\nSUMMARY:s\r\nATTENDEE:mailto:b@x\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\n")?;
        let b = comp("BEGIN:VEVENT\r\nTRANSP:OPAQUE\r\nUID:1\r\nEND:VEVENT\r\n")?;
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
        let both = lines_of_both(&ga, &gb);
        assert_eq!(
            both.iter().map(|(n, _, _)| *n).collect::<Vec<_>>(),
            names_of_both(&ga, &gb)
        );
        for (name, x, y) in both {
            assert!(written_alike(x, ga.get(name)) && written_alike(y, gb.get(name)));
        }
        assert_eq!(ga.get("ATTENDEE").len(), 2);
        assert!(written_alike(ga.get("UID"), gb.get("UID")));
        assert!(!written_alike(ga.get("UID"), gb.get("TRANSP")));
        assert!(!written_alike(ga.get("ATTENDEE"), ga.get("UID")));
        assert!(ga.get("ACTION").is_empty());
        Ok(())
    }

    #[test]
    fn attendees_keyed_once_and_mine_found() -> TestResult {
        let c = comp("BEGIN:VEVENT\r\nATTENDEE:mailto:a@x\r\nATTENDEE:MAILTO:Me@X\r\nattendee:mailto:me@x\r\nEND:VEVENT\r\n")?;
        let groups = LineGroups::of(&c);
        let me = Me::new(&["mailto:me@x"])?;
        let attendees = Attendees::of(&groups, &me, None);
        let keys: Vec<&str> = attendees.all().iter().map(|a| a.key.as_ref()).collect();
        assert_eq!(keys, ["mailto:a@x", "mailto:me@x", "mailto:me@x"]);
        let mine: Vec<&str> = attendees
            .all()
            .iter()
            .filter(|a| a.mine)
            .map(|a| a.line.value())
            .collect();
        assert_eq!(mine, ["MAILTO:Me@X", "mailto:me@x"]);
        let stranger = Me::new(&["mailto:b@x"])?;
        assert!(Attendees::of(&groups, &stranger, None)
            .all()
            .iter()
            .all(|a| !a.mine));
        assert_eq!(attendees.mine_in(&c, &me), [1, 2]);
        assert_eq!(
            attendees.mine_in(
                &comp("BEGIN:VEVENT\r\nUID:1\r\nATTENDEE:mailto:me@x\r\nEND:VEVENT\r\n")?,
                &me
            ),
            [1]
        );
        assert!(Attendees::of(&groups, &stranger, None)
            .mine_in(&c, &stranger)
            .is_empty());
        // A twin line takes over the findings; another line is read afresh.
        let other = comp("BEGIN:VEVENT\r\nATTENDEE;DELEGATED-FROM=\"mailto:me@x\":mailto:d@x\r\nATTENDEE:MAILTO:Me@X\r\nEND:VEVENT\r\n")?;
        let other_groups = LineGroups::of(&other);
        let second = Attendees::of(&other_groups, &me, Some(&attendees));
        let found: Vec<(&str, bool, bool)> = second
            .all()
            .iter()
            .map(|a| (a.key.as_ref(), a.mine, a.my_delegate))
            .collect();
        assert_eq!(
            found,
            [("mailto:d@x", false, true), ("mailto:me@x", true, false)]
        );
        Ok(())
    }
}
