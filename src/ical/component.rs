//! Components (VCALENDAR, VEVENT, VALARM, X-...) as an ordered tree of nodes.

use std::rc::Rc;

use super::ascii::{eq_ignore_case, trim};
use super::property::Property;
use super::source::Source;
use super::write::{LineWriter, Sink};
use crate::error::Result;

/// A child of a component, in written order.
#[derive(Clone, Debug)]
pub enum Node {
    /// A content line.
    Property(Property),
    /// A nested component.
    Component(Component),
    /// Bytes kept verbatim that are no content line: an empty line, a byte-order mark.
    Verbatim(Verbatim),
}

/// Bytes that carry no content but are kept so the output stays byte-identical.
#[derive(Clone, Debug)]
pub struct Verbatim {
    /// The bytes are `src[start..end]`.
    src: Rc<Source>,
    start: u32,
    end: u32,
    line: u32,
}

impl Verbatim {
    /// The bytes `src[start..end]`, found on input line `line`.
    pub(crate) fn new(src: &Rc<Source>, start: u32, end: u32, line: u32) -> Verbatim {
        Verbatim {
            src: Rc::clone(src),
            start,
            end,
            line,
        }
    }

    /// The 1-based input line.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// The bytes as they were.
    pub fn bytes(&self) -> &[u8] {
        self.src.bytes_at(self.start, self.end)
    }
}

/// The components RFC 5545 and 5546 name, recognised once from the BEGIN line so that asking a
/// component what it is needs no reading of its line (scheduling code asks on every step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComponentKind {
    /// VCALENDAR.
    Vcalendar,
    /// VEVENT.
    Vevent,
    /// VTODO.
    Vtodo,
    /// VJOURNAL.
    Vjournal,
    /// VFREEBUSY.
    Vfreebusy,
    /// VTIMEZONE.
    Vtimezone,
    /// STANDARD (in a VTIMEZONE).
    Standard,
    /// DAYLIGHT (in a VTIMEZONE).
    Daylight,
    /// VALARM.
    Valarm,
    /// Any other name (X- and IANA components).
    Other,
}

impl ComponentKind {
    const NAMED: [(ComponentKind, &'static str); 9] = [
        (ComponentKind::Vcalendar, "VCALENDAR"),
        (ComponentKind::Vevent, "VEVENT"),
        (ComponentKind::Vtodo, "VTODO"),
        (ComponentKind::Vjournal, "VJOURNAL"),
        (ComponentKind::Vfreebusy, "VFREEBUSY"),
        (ComponentKind::Vtimezone, "VTIMEZONE"),
        (ComponentKind::Standard, "STANDARD"),
        (ComponentKind::Daylight, "DAYLIGHT"),
        (ComponentKind::Valarm, "VALARM"),
    ];

    /// The kind of a component name (case-insensitive).
    pub fn of(name: &str) -> ComponentKind {
        Self::NAMED
            .iter()
            .find(|(_, n)| eq_ignore_case(n, name))
            .map_or(ComponentKind::Other, |(k, _)| *k)
    }

    /// The upper-case name (`None` for [`ComponentKind::Other`]).
    pub fn name(self) -> Option<&'static str> {
        Self::NAMED
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, n)| *n)
    }
}

/// A component: its BEGIN and END lines and its children in order.
#[derive(Clone, Debug)]
pub struct Component {
    /// The BEGIN and END lines, boxed so that a [`Node`] stays the size of one property.
    bounds: Box<Bounds>,
    /// What the BEGIN line names.
    kind: ComponentKind,
    /// Children in written order. Prefer the helpers; direct access is for reordering.
    pub children: Vec<Node>,
}

/// The BEGIN and END lines of a component.
#[derive(Clone, Debug)]
struct Bounds {
    begin: Property,
    end: Property,
}

impl Component {
    /// A new empty component written canonically (`BEGIN:NAME` ... `END:NAME`).
    pub fn new(name: &str) -> Result<Component> {
        let begin = Property::new("BEGIN", name)?;
        let end = Property::new("END", name)?;
        Ok(Self::from_parts(begin, end, Vec::new()))
    }

    pub(crate) fn from_parts(begin: Property, end: Property, children: Vec<Node>) -> Self {
        let kind = ComponentKind::of(trim(begin.value()));
        Self::from_parts_of(kind, begin, end, children)
    }

    /// [`Component::from_parts`] when the caller already knows what `begin` names.
    pub(crate) fn from_parts_of(
        kind: ComponentKind,
        begin: Property,
        end: Property,
        children: Vec<Node>,
    ) -> Self {
        Component {
            kind,
            bounds: Box::new(Bounds { begin, end }),
            children,
        }
    }

    /// The component name as written in its BEGIN line.
    pub fn name(&self) -> &str {
        trim(self.bounds.begin.value())
    }

    /// What the component is, as its BEGIN line says.
    pub fn kind(&self) -> ComponentKind {
        self.kind
    }

    /// Case-insensitive name comparison.
    pub fn is(&self, name: &str) -> bool {
        match self.kind.name() {
            Some(known) => eq_ignore_case(known, name),
            None => eq_ignore_case(self.name(), name),
        }
    }

    /// The 1-based input line of the BEGIN line (0 for new components).
    pub fn line(&self) -> usize {
        self.bounds.begin.line()
    }

    /// Properties in order.
    pub fn properties(&self) -> impl Iterator<Item = &Property> {
        self.children.iter().filter_map(|n| match n {
            Node::Property(p) => Some(p),
            _ => None,
        })
    }

    /// Properties in order, mutable.
    pub fn properties_mut(&mut self) -> impl Iterator<Item = &mut Property> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Property(p) => Some(p),
            _ => None,
        })
    }

    /// Properties with a name (case-insensitive).
    pub fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> {
        self.properties().filter(move |p| p.is(name))
    }

    /// The first property with a name.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties().find(|p| p.is(name))
    }

    /// The first property with a name, mutable.
    pub fn property_mut(&mut self, name: &str) -> Option<&mut Property> {
        self.properties_mut().find(|p| p.is(name))
    }

    /// The value (as written) of the first property with a name.
    pub fn value_of(&self, name: &str) -> Option<&str> {
        self.property(name).map(Property::value)
    }

    /// Sub-components in order.
    pub fn components(&self) -> impl Iterator<Item = &Component> {
        self.children.iter().filter_map(|n| match n {
            Node::Component(c) => Some(c),
            _ => None,
        })
    }

    /// Sub-components in order, mutable.
    pub fn components_mut(&mut self) -> impl Iterator<Item = &mut Component> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Component(c) => Some(c),
            _ => None,
        })
    }

    /// Sub-components with a name (case-insensitive).
    pub fn components_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Component> {
        self.components().filter(move |c| c.is(name))
    }

    /// Adds a property after the last property that precedes the first sub-component (the
    /// canonical place), or at the end when there is no sub-component.
    pub fn push_property(&mut self, property: Property) {
        let at = self
            .children
            .iter()
            .position(|n| matches!(n, Node::Component(_)))
            .unwrap_or(self.children.len());
        self.children.insert(at, Node::Property(property));
    }

    /// Inserts a property right after the last property with name `after` (or pushes it).
    pub fn insert_property_after(&mut self, after: &str, property: Property) {
        let at = self
            .children
            .iter()
            .rposition(|n| matches!(n, Node::Property(p) if p.is(after)));
        match at {
            Some(i) => self.children.insert(i + 1, Node::Property(property)),
            None => self.push_property(property),
        }
    }

    /// Sets the value (written form) of the first property with this name, adding the property
    /// if missing. Untouched when the value is already equal.
    pub fn set_value(&mut self, name: &str, raw_value: &str) -> Result<()> {
        match self.property_mut(name) {
            Some(p) => p.set_value(raw_value),
            None => {
                self.push_property(Property::new(name, raw_value)?);
                Ok(())
            }
        }
    }

    /// Removes properties for which `remove` answers true; returns how many.
    pub fn remove_properties(&mut self, mut remove: impl FnMut(&Property) -> bool) -> usize {
        let before = self.children.len();
        self.children
            .retain(|n| !matches!(n, Node::Property(p) if remove(p)));
        before - self.children.len()
    }

    /// Appends a sub-component at the end.
    pub fn push_component(&mut self, component: Component) {
        self.children.push(Node::Component(component));
    }

    /// Removes sub-components for which `remove` answers true; returns how many.
    pub fn remove_components(&mut self, mut remove: impl FnMut(&Component) -> bool) -> usize {
        let before = self.children.len();
        self.children
            .retain(|n| !matches!(n, Node::Component(c) if remove(c)));
        before - self.children.len()
    }

    /// [`Property::rewrite_if_not_utf8`] on every line of this component and below; returns
    /// how many lines it rewrote.
    pub fn rewrite_lines_not_utf8(&mut self) -> usize {
        let own: usize = [&mut self.bounds.begin, &mut self.bounds.end]
            .into_iter()
            .map(|p| usize::from(p.rewrite_if_not_utf8()))
            .sum();
        own + self
            .children
            .iter_mut()
            .map(Node::rewrite_lines_not_utf8)
            .sum::<usize>()
    }

    /// True when no line of this component (or below) will be written differently.
    pub fn is_untouched(&self) -> bool {
        !self.bounds.begin.is_modified()
            && !self.bounds.end.is_modified()
            && self.children.iter().all(|n| match n {
                Node::Property(p) => !p.is_modified(),
                Node::Component(c) => c.is_untouched(),
                Node::Verbatim(_) => true,
            })
    }

    /// Writes the component: untouched lines byte-identical, changed lines canonical.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut writer = LineWriter::new(out);
        self.write_lines(&mut writer);
        writer.finish();
    }

    /// Hands the component's lines to a writer.
    pub(crate) fn write_lines<'a, S: Sink>(&'a self, writer: &mut LineWriter<'a, '_, S>) {
        self.bounds.begin.write_lines(writer);
        for node in &self.children {
            node.write_lines(writer);
        }
        self.bounds.end.write_lines(writer);
    }

    /// How many bytes [`Component::write_to`] writes.
    pub fn written_len(&self) -> usize {
        self.bounds.begin.written_len()
            + self.children.iter().map(Node::written_len).sum::<usize>()
            + self.bounds.end.written_len()
    }

    /// The component serialised on its own.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.written_len());
        self.write_to(&mut out);
        out
    }
}

impl Node {
    /// Writes this node.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut writer = LineWriter::new(out);
        self.write_lines(&mut writer);
        writer.finish();
    }

    /// Hands the node's lines to a writer.
    pub(crate) fn write_lines<'a, S: Sink>(&'a self, writer: &mut LineWriter<'a, '_, S>) {
        match self {
            Node::Property(p) => p.write_lines(writer),
            Node::Component(c) => c.write_lines(writer),
            Node::Verbatim(v) => writer.raw(&v.src, v.start, v.end),
        }
    }

    /// [`Property::rewrite_if_not_utf8`] on the lines of this node; returns how many it rewrote.
    pub fn rewrite_lines_not_utf8(&mut self) -> usize {
        match self {
            Node::Property(p) => usize::from(p.rewrite_if_not_utf8()),
            Node::Component(c) => c.rewrite_lines_not_utf8(),
            Node::Verbatim(_) => 0,
        }
    }

    /// How many bytes [`Node::write_to`] writes.
    pub fn written_len(&self) -> usize {
        match self {
            Node::Property(p) => p.written_len(),
            Node::Component(c) => c.written_len(),
            Node::Verbatim(v) => v.end.saturating_sub(v.start) as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One node per input line: its size is most of the tree's memory (issue 6 budget).
    #[test]
    fn a_node_is_small() {
        let words = std::mem::size_of::<usize>();
        assert!(std::mem::size_of::<Property>() <= 2 * words + 24);
        assert!(std::mem::size_of::<Node>() <= 2 * words + 32);
    }
}
