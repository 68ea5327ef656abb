//! Minimal edits on the output copy: every helper changes only the lines it must, so every other
//! line stays byte-identical to the server copy.

use crate::ical::{normalize_address, Component, Node, Property};

use super::compare::{normalized_param, same_property};

/// Makes the `name` lines of `out` mean the same as `with` (in that order), touching as few lines
/// as possible: lines already equal are kept byte-identical, the others removed, the missing ones
/// inserted where the old ones were (or where `local` has them: after the same preceding
/// property). Inserted lines are clones of `with` and keep their original bytes.
pub fn replace_group(out: &mut Component, name: &str, with: &[&Property], local: &Component) {
    let mut remaining: Vec<&Property> = with.to_vec();
    let mut first_pos: Option<usize> = None;
    let mut last_kept: Option<usize> = None;
    let mut idx = 0;
    while idx < out.children.len() {
        let matched = match out.children.get(idx) {
            Some(Node::Property(p)) if p.is(name) => {
                first_pos.get_or_insert(idx);
                Some(remaining.iter().position(|w| same_property(w, p)))
            }
            _ => None,
        };
        match matched {
            Some(Some(j)) => {
                remaining.remove(j);
                last_kept = Some(idx);
                idx += 1;
            }
            Some(None) => {
                out.children.remove(idx);
            }
            None => idx += 1,
        }
    }
    if remaining.is_empty() {
        return;
    }
    let mut at = last_kept
        .map(|p| p + 1)
        .or(first_pos)
        .unwrap_or_else(|| anchor_position(out, name, local));
    for w in remaining {
        let at_now = at.min(out.children.len());
        out.children.insert(at_now, Node::Property(w.clone()));
        at = at_now + 1;
    }
}

/// Where to insert a new `name` line in `out`: after the property that precedes the first `name`
/// line in `local` (when `out` has it), else before the first sub-component.
fn anchor_position(out: &Component, name: &str, local: &Component) -> usize {
    let props: Vec<&Property> = local.properties().collect();
    let before = props
        .iter()
        .position(|p| p.is(name))
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| props.get(i));
    if let Some(prev) = before {
        let pos = out
            .children
            .iter()
            .rposition(|n| matches!(n, Node::Property(p) if p.is(prev.name())));
        if let Some(p) = pos {
            return p + 1;
        }
    }
    out.children
        .iter()
        .position(|n| matches!(n, Node::Component(_)))
        .unwrap_or(out.children.len())
}

/// The normalised values of one parameter (empty when absent), as [`super::compare::normalized_params`] sees them.
pub fn param_norm(line: &Property, name: &str) -> Vec<String> {
    normalized_param(line, &name.to_ascii_uppercase())
}

/// Upper-case names of every parameter of the given lines, in first-seen order.
pub fn param_names(lines: &[Option<&Property>]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in lines.iter().flatten() {
        for p in line.params() {
            let n = p.name.to_ascii_uppercase();
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    names
}

/// Sets parameter `name` of `target` to the values it has on `source` (removing it when the
/// source has none), in place.
pub fn copy_param(target: &mut Property, source: &Property, name: &str) {
    let values = source.param_values(name);
    if values.is_empty() {
        target.remove_param(name);
    } else {
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        target.set_param(name, &refs);
    }
}

/// Index in `c.children` of the `name` line (ATTENDEE / ORGANIZER) for `address`.
pub fn line_index(c: &Component, name: &str, address: &str) -> Option<usize> {
    let key = normalize_address(address);
    c.children.iter().position(
        |n| matches!(n, Node::Property(p) if p.is(name) && normalize_address(p.value()) == key),
    )
}

/// The mutable property at `index` of `c.children`.
pub fn property_at(c: &mut Component, index: usize) -> Option<&mut Property> {
    match c.children.get_mut(index) {
        Some(Node::Property(p)) => Some(p),
        _ => None,
    }
}

/// The `name` lines of a component (upper-case name compare).
pub fn lines<'a>(c: &'a Component, name: &str) -> Vec<&'a Property> {
    c.properties().filter(|p| p.is(name)).collect()
}

/// Upper-case names of the properties of the given components, in first-seen order.
pub fn property_names(components: &[&Component]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for c in components {
        for p in c.properties() {
            let n = p.name().to_ascii_uppercase();
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    names
}

/// Copies the VTIMEZONE for `tzid` from `from` into `out` when `out` lacks it (a carried EXDATE or
/// override may name a zone the server copy does not define).
pub fn ensure_time_zone(out: &mut Component, from: &Component, tzid: &str) {
    let has = |c: &Component| {
        c.components_named("VTIMEZONE")
            .any(|z| z.value_of("TZID").map(str::trim) == Some(tzid))
    };
    if has(out) {
        return;
    }
    let Some(zone) = from
        .components_named("VTIMEZONE")
        .find(|z| z.value_of("TZID").map(str::trim) == Some(tzid))
    else {
        return;
    };
    let at = out
        .children
        .iter()
        .position(|n| matches!(n, Node::Component(_)))
        .unwrap_or(out.children.len());
    out.children.insert(at, Node::Component(zone.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    use crate::test_support::first_component as comp;

    #[test]
    fn replace_keeps_equal_lines_and_inserts_in_place() -> TestResult {
        let mut out = comp(
            "BEGIN:VEVENT\r\nUID:1\r\nCATEGORIES:a\r\nCATEGORIES:b\r\nSUMMARY:x\r\nEND:VEVENT\r\n",
        )?;
        let local =
            comp("BEGIN:VEVENT\r\nUID:1\r\nCATEGORIES:b\r\nCATEGORIES:c\r\nEND:VEVENT\r\n")?;
        let with: Vec<&Property> = local.properties_named("CATEGORIES").collect();
        replace_group(&mut out, "CATEGORIES", &with, &local);
        assert_eq!(
            String::from_utf8(out.to_bytes())?,
            "BEGIN:VEVENT\r\nUID:1\r\nCATEGORIES:b\r\nCATEGORIES:c\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
        );
        let local =
            comp("BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:x\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n")?;
        let with: Vec<&Property> = local.properties_named("TRANSP").collect();
        replace_group(&mut out, "TRANSP", &with, &local);
        assert!(String::from_utf8(out.to_bytes())?.contains("SUMMARY:x\r\nTRANSP:TRANSPARENT\r\n"));
        replace_group(&mut out, "CATEGORIES", &[], &local);
        assert!(!String::from_utf8(out.to_bytes())?.contains("CATEGORIES"));
        Ok(())
    }
}
