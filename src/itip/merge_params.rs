//! The parameters of one ATTENDEE or ORGANIZER line, read once and compared by name: parameters
//! written alike are equal at once, the others are normalised ([`normalized_param_in`]) only then.

use crate::ical::{Param, Property};

use super::compare::normalized_param_in;

/// One line's parameters, in written order.
pub struct LineParams<'a> {
    line: &'a Property,
    params: Vec<Param<'a>>,
}

impl<'a> LineParams<'a> {
    /// Reads the parameters of `line`.
    pub fn of(line: &'a Property) -> LineParams<'a> {
        LineParams {
            line,
            params: line.params().collect(),
        }
    }

    /// The normalised values of parameter `name` (upper-case), empty when absent or default:
    /// what [`normalized_param_in`] gives.
    pub fn values(&self, name: &str) -> Vec<String> {
        normalized_param_in(self.line, &self.params, name)
    }

    /// The first value of parameter `name`, decoded (what [`Property::param_value`] gives).
    pub fn first_value(&self, name: &str) -> Option<String> {
        self.params.iter().find(|p| p.is(name)).map(Param::value)
    }

    /// The values of parameter `name` as written, in order (one entry per occurrence).
    fn written<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'a str> + 's {
        self.params
            .iter()
            .filter(move |p| p.is(name))
            .map(|p| p.raw_values)
    }
}

/// True when parameter `name` (upper-case) means the same on both lines (an absent line has no
/// parameters).
pub fn same_param(a: &LineParams<'_>, b: Option<&LineParams<'_>>, name: &str) -> bool {
    match b {
        Some(b) => a.written(name).eq(b.written(name)) || a.values(name) == b.values(name),
        None => a.values(name).is_empty(),
    }
}

/// The upper-case names of the parameters of both lines, in first-seen order (those of `a`
/// first), as [`super::merge_edit::param_names`] gives them.
pub fn param_names_of(a: &LineParams<'_>, b: Option<&LineParams<'_>>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for p in a
        .params
        .iter()
        .chain(b.iter().flat_map(|b| b.params.iter()))
    {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(p.name)) {
            names.push(p.name.to_ascii_uppercase());
        }
    }
    names
}

/// The normalised values of parameter `name` on a line that may be absent.
pub fn values_on(line: Option<&LineParams<'_>>, name: &str) -> Vec<String> {
    line.map(|l| l.values(name)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::itip::compare::normalized_param;
    use crate::test_support::TestResult;

    use crate::test_support::line as p;

    #[test]
    fn written_alike_or_meaning_alike() -> TestResult {
        let a = p("ATTENDEE;RSVP=TRUE;CN=A;DELEGATED-TO=\"mailto:X@y\":mailto:a@x")?;
        let b = p("ATTENDEE;cn=A;rsvp=true;delegated-to=\"MAILTO:x@Y\":mailto:a@x")?;
        let c = p("ATTENDEE;CN=B:mailto:a@x")?;
        let (la, lb, lc) = (LineParams::of(&a), LineParams::of(&b), LineParams::of(&c));
        for name in ["RSVP", "CN", "DELEGATED-TO", "PARTSTAT"] {
            assert!(same_param(&la, Some(&lb), name), "{name}");
            assert_eq!(la.values(name), normalized_param(&a, name));
        }
        assert!(!same_param(&la, Some(&lc), "CN"));
        assert!(!same_param(&la, Some(&lc), "RSVP"));
        assert!(!same_param(&la, None, "RSVP"));
        assert!(same_param(&la, None, "PARTSTAT"));
        assert_eq!(values_on(Some(&lc), "CN"), ["B"]);
        assert_eq!(
            param_names_of(&lc, Some(&lb)),
            crate::itip::merge_edit::param_names(&[Some(&c), Some(&b)])
        );
        assert_eq!(param_names_of(&lc, None), ["CN"]);
        assert_eq!(la.first_value("cn"), a.param_value("CN"));
        assert_eq!(la.first_value("PARTSTAT"), None);
        assert!(values_on(None, "CN").is_empty());
        Ok(())
    }
}
