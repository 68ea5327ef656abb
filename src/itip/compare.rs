//! Semantic comparison of properties and components, so that formatting drift is never taken for
//! a change: parameter order and case, default parameter values, folding, TEXT escaping variants,
//! address spelling, value-list order, RRULE part order and `INTERVAL=1`, DURATION spelling and
//! DTEND vs DURATION (RFC 5545 §3.1, §3.2, §3.3).

use crate::ical::ascii::{bytes_eq, find_byte};
use crate::ical::datetime::{DateOrDateTime, Duration, Weekday};
use crate::ical::param::Param;
use crate::ical::recur::{rrules_equivalent, RecurRule};
use crate::ical::text::{split_text_list, unescape_text};
use crate::ical::{normalize_address, same_address, Component, Property};

/// Parameters compared without regard to letter case (enumerated values, RFC 5545 §3.2).
const CASELESS_PARAMS: &[&str] = &[
    "PARTSTAT",
    "ROLE",
    "CUTYPE",
    "RSVP",
    "VALUE",
    "RELATED",
    "RELTYPE",
    "RANGE",
    "SCHEDULE-AGENT",
    "SCHEDULE-FORCE-SEND",
    "ENCODING",
    "FBTYPE",
    "FMTTYPE",
    "TZID",
];

/// Parameters whose values are calendar-user addresses.
const ADDRESS_PARAMS: &[&str] = &["DELEGATED-TO", "DELEGATED-FROM", "MEMBER", "SENT-BY"];

/// Parameter values that mean the same as leaving the parameter out (RFC 5545 §3.2).
const DEFAULT_PARAMS: &[(&str, &str)] = &[
    ("RSVP", "FALSE"),
    ("PARTSTAT", "NEEDS-ACTION"),
    ("ROLE", "REQ-PARTICIPANT"),
    ("CUTYPE", "INDIVIDUAL"),
    ("RELATED", "START"),
    ("RANGE", ""),
    ("SCHEDULE-AGENT", "SERVER"),
];

/// Properties whose value is DATE / DATE-TIME (lists allowed).
const TIME_PROPERTIES: &[&str] = &[
    "DTSTART",
    "DTEND",
    "DUE",
    "RECURRENCE-ID",
    "EXDATE",
    "RDATE",
    "COMPLETED",
    "DTSTAMP",
    "CREATED",
    "LAST-MODIFIED",
    "ACKNOWLEDGED",
];

/// Properties whose value is an enumerated token, compared without regard to case.
const TOKEN_PROPERTIES: &[&str] = &["STATUS", "TRANSP", "CLASS", "ACTION", "METHOD", "CALSCALE"];

/// Properties whose value is a comma-separated TEXT list, compared as a set.
const LIST_PROPERTIES: &[&str] = &["CATEGORIES", "RESOURCES"];

fn one_of(list: &[&str], name: &str) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Normalised parameters: `(NAME, values)` sorted by name, one entry per name.
pub type NormalizedParams = Vec<(String, Vec<String>)>;

/// The normalised parameters of a property: upper-case names, values normalised by kind, each
/// value list sorted, parameters equal to their default dropped. `ignore` names parameters left out.
pub fn normalized_params(p: &Property, ignore: &[&str]) -> NormalizedParams {
    // A sorted Vec rather than a BTreeMap: a property has few parameters, and the wasm then
    // carries no B-tree code for this key and value type.
    let mut out: NormalizedParams = Vec::new();
    for param in p.params() {
        let name = param.name.to_ascii_uppercase();
        if one_of(ignore, &name) {
            continue;
        }
        let values = normalized_values(&param, &name);
        match out.binary_search_by(|(n, _)| n.as_str().cmp(&name)) {
            Ok(at) => {
                if let Some((_, existing)) = out.get_mut(at) {
                    existing.extend(values);
                }
            }
            Err(at) => out.insert(at, (name, values)),
        }
    }
    out.retain(|(name, values)| !is_default(p, name, values));
    out
}

/// The normalised values of one parameter of a property (empty when absent or equal to its
/// default), exactly as [`normalized_params`] has them under the upper-case `name`.
pub fn normalized_param(p: &Property, name: &str) -> Vec<String> {
    let params: Vec<Param<'_>> = p.params().filter(|x| x.is(name)).collect();
    normalized_param_in(p, &params, name)
}

/// [`normalized_param`] with the property's parameters already read (all or only `name`).
pub fn normalized_param_in(p: &Property, params: &[Param<'_>], name: &str) -> Vec<String> {
    let mut values = Vec::new();
    for param in params.iter().filter(|x| x.is(name)) {
        values.extend(normalized_values(param, name));
    }
    if is_default(p, name, &values) {
        values.clear();
    }
    values
}

/// One parameter's values, normalised by kind and sorted.
fn normalized_values(param: &Param<'_>, name: &str) -> Vec<String> {
    let mut values: Vec<String> = param
        .values()
        .map(|v| normalize_param_value(name, &v.decoded()))
        .collect();
    // Strings that compare equal are identical, so an unstable sort gives the stable result;
    // every sort in this file is unstable so the wasm carries no stable-sort routine.
    values.sort_unstable();
    values
}

/// True when the (normalised) values of parameter `name` of `p` mean the same as leaving the
/// parameter out (RFC 5545 §3.2): a default value, or VALUE=DATE-TIME for time properties,
/// VALUE=DURATION for TRIGGER and DURATION.
fn is_default(p: &Property, name: &str, values: &[String]) -> bool {
    if let Some((_, default)) = DEFAULT_PARAMS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        return matches!(values, [only] if only == default);
    }
    if !name.eq_ignore_ascii_case("VALUE") {
        return false;
    }
    (one_of(TIME_PROPERTIES, p.name()) && values.iter().all(|x| x == "DATE-TIME"))
        || (p.is("TRIGGER") && values.iter().all(|x| x == "DURATION"))
        || (p.is("DURATION") && values.iter().all(|x| x == "DURATION"))
}

fn normalize_param_value(name: &str, value: &str) -> String {
    if one_of(ADDRESS_PARAMS, name) {
        normalize_address(value)
    } else if one_of(CASELESS_PARAMS, name) {
        value.to_ascii_uppercase()
    } else {
        value.to_string()
    }
}

/// True when two parameter lists mean the same (see [`normalized_params`]); byte-identical
/// parameter texts are equal without normalising.
pub fn same_params(a: &Property, b: &Property, ignore: &[&str]) -> bool {
    same_text(a, b)
        || param_text(a) == param_text(b)
        || normalized_params(a, ignore) == normalized_params(b, ignore)
}

/// True when two lines are written alike once unfolded. Untouched lines with the same original
/// bytes are compared without unfolding them (most lines of two copies of one object are).
pub fn same_text(a: &Property, b: &Property) -> bool {
    match (a.raw_bytes(), b.raw_bytes()) {
        (Some(x), Some(y)) if bytes_eq(x, y) => true,
        _ => bytes_eq(a.text().as_bytes(), b.text().as_bytes()),
    }
}

/// The parameters as written: the line between the name and the `:` before the value.
fn param_text(p: &Property) -> &str {
    let text = p.text();
    let end = text.len().saturating_sub(p.value().len() + 1);
    text.get(p.name().len()..end).unwrap_or(text)
}

/// False when the parameters as written cannot hold parameter `name` (no `;` is followed by its
/// name, in any letter case): a cheap test before reading them.
pub fn may_have_param(p: &Property, name: &str) -> bool {
    // An untouched line is first looked at in its original bytes, which a folded line would
    // otherwise be unfolded for.
    if p.raw_bytes()
        .is_some_and(|raw| !folded_may_hold(raw, name.as_bytes()))
    {
        return false;
    }
    // A parameter's name follows a `;` directly (see `Params`).
    let (text, name) = (param_text(p).as_bytes(), name.as_bytes());
    text.iter().enumerate().any(|(i, b)| {
        *b == b';'
            && text
                .get(i + 1..i + 1 + name.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(name))
    })
}

/// False when the original bytes of a line, folds skipped, hold no `;` directly followed by
/// `name` (any letter case) anywhere: then its unfolded text holds none either. The bytes are
/// read with every CR and LF left out, and one space or tab after them (a fold is a line ending
/// and one such byte, RFC 5545 §3.1); what is left out never lies inside `;NAME`.
fn folded_may_hold(raw: &[u8], name: &[u8]) -> bool {
    let mut rest = raw;
    while let Some(at) = find_byte(rest, b';') {
        rest = rest.get(at + 1..).unwrap_or_default();
        let mut read = without_folds(rest);
        if name
            .iter()
            .all(|n| read.next().is_some_and(|r| r.eq_ignore_ascii_case(n)))
        {
            return true;
        }
    }
    false
}

/// The bytes with every CR and LF left out, and one space or tab after them.
fn without_folds(raw: &[u8]) -> impl Iterator<Item = u8> + '_ {
    let mut after_eol = false;
    raw.iter().copied().filter(move |b| match b {
        b'\r' | b'\n' => {
            after_eol = true;
            false
        }
        b' ' | b'\t' if after_eol => {
            after_eol = false;
            false
        }
        _ => {
            after_eol = false;
            true
        }
    })
}

/// True when two properties mean the same: same name, same parameters, same value. Identical
/// unfolded lines are equal without reading them.
pub fn same_property(a: &Property, b: &Property) -> bool {
    same_text(a, b)
        || (a.name().eq_ignore_ascii_case(b.name()) && same_params(a, b, &[]) && same_value(a, b))
}

/// True when the values mean the same, read according to the property's value type.
pub fn same_value(a: &Property, b: &Property) -> bool {
    let name = a.name();
    let (va, vb) = (a.value(), b.value());
    if va == vb {
        return true;
    }
    if a.is("ATTENDEE") || a.is("ORGANIZER") {
        return same_address(va, vb);
    }
    if a.is("RRULE") || a.is("EXRULE") {
        return same_rrule(va, vb);
    }
    if one_of(TIME_PROPERTIES, name) {
        return sorted_tokens(va) == sorted_tokens(vb);
    }
    if a.is("DURATION") || (a.is("TRIGGER") && !is_absolute_trigger(a)) {
        return match (duration_seconds(va), duration_seconds(vb)) {
            (Some(x), Some(y)) => x == y,
            _ => va.trim().eq_ignore_ascii_case(vb.trim()),
        };
    }
    if one_of(TOKEN_PROPERTIES, name) {
        return va.trim().eq_ignore_ascii_case(vb.trim());
    }
    if one_of(LIST_PROPERTIES, name) {
        let mut x = split_text_list(va);
        let mut y = split_text_list(vb);
        x.sort_unstable();
        y.sort_unstable();
        return x == y;
    }
    unescape_text(va) == unescape_text(vb)
}

/// True for `TRIGGER;VALUE=DATE-TIME:...` (an absolute trigger).
pub fn is_absolute_trigger(p: &Property) -> bool {
    p.param_value("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE-TIME"))
}

fn sorted_tokens(value: &str) -> Vec<String> {
    let mut v: Vec<String> = value
        .split(',')
        .map(|t| t.trim().to_ascii_uppercase())
        .filter(|t| !t.is_empty())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// RRULE equality regardless of part order, letter case and the defaults `INTERVAL=1` /
/// `WKST=MO` (the time layer's [`rrules_equivalent`]).
pub fn same_rrule(a: &str, b: &str) -> bool {
    rrules_equivalent(a.trim(), b.trim())
}

/// True when two RRULEs differ at most in COUNT and UNTIL, i.e. only in where the series ends
/// (RFC 6638 §3.2.8 counts that as a reschedule only when it adds instances: see
/// `reschedule::ends_later`).
pub fn same_rrule_except_end(a: &str, b: &str) -> bool {
    match (RecurRule::parse(a.trim()), RecurRule::parse(b.trim())) {
        (Ok(mut x), Ok(mut y)) => {
            x.count = None;
            x.until = None;
            y.count = None;
            y.until = None;
            x.same_as(&y)
        }
        _ => a.trim() == b.trim(),
    }
}

/// Seconds of a DURATION value (nominal days counted as 86400 s), `None` when malformed.
pub fn duration_seconds(value: &str) -> Option<i64> {
    Duration::parse(value.trim())
        .ok()
        .map(|d| d.approximate_seconds())
}

/// The value-and-parameters key of a property: what [`same_property`] compares, as a string, for
/// matching properties in bags. Two properties with equal keys are semantically equal (the
/// converse holds for every value type except addresses in odd spellings and RRULE).
pub fn property_key(p: &Property) -> String {
    let params = normalized_params(p, &[]);
    let value = if p.is("ATTENDEE") || p.is("ORGANIZER") {
        normalize_address(p.value())
    } else if p.is("RRULE") || p.is("EXRULE") {
        RecurRule::parse(p.value().trim())
            .map(|mut r| {
                if !r.wkst_matters() {
                    r.wkst = Weekday::Monday;
                }
                r.to_string()
            })
            .unwrap_or_else(|_| p.value().to_string())
    } else if one_of(TIME_PROPERTIES, p.name()) {
        sorted_tokens(p.value()).join(",")
    } else if p.is("DURATION") || (p.is("TRIGGER") && !is_absolute_trigger(p)) {
        duration_seconds(p.value())
            .map(|s| s.to_string())
            .unwrap_or_else(|| p.value().trim().to_ascii_uppercase())
    } else if one_of(TOKEN_PROPERTIES, p.name()) {
        p.value().trim().to_ascii_uppercase()
    } else if one_of(LIST_PROPERTIES, p.name()) {
        let mut x = split_text_list(p.value());
        x.sort_unstable();
        x.join("\u{1f}")
    } else {
        unescape_text(p.value())
    };
    let mut key = p.name().to_ascii_uppercase();
    key.push('|');
    write_params(&mut key, &params);
    key.push('|');
    key.push_str(&value);
    key
}

/// Writes normalised parameters so that different maps give different text: every name and
/// value is length-prefixed and every value list counted. (`{:?}` would do the same, but it
/// pulls Rust's whole `Debug` machinery into the wasm for this one key.)
fn write_params(out: &mut String, params: &NormalizedParams) {
    for (name, values) in params {
        write_counted(out, name);
        out.push_str(&values.len().to_string());
        out.push(';');
        for value in values {
            write_counted(out, value);
        }
    }
}

/// `len:text`.
fn write_counted(out: &mut String, text: &str) {
    out.push_str(&text.len().to_string());
    out.push(':');
    out.push_str(text);
}

/// True when two bags of properties (e.g. all EXDATE lines of two copies) hold the same meanings,
/// regardless of order.
pub fn same_bag(a: &[&Property], b: &[&Property]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut used = vec![false; b.len()];
    'outer: for x in a {
        for (i, y) in b.iter().enumerate() {
            if used.get(i).copied().unwrap_or(true) {
                continue;
            }
            if same_property(x, y) {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// The end of a component as DTEND/DUE text or as DTSTART + DURATION: equal when both give the
/// same end. DTEND and DURATION are two spellings of one thing (RFC 5545 §3.6.1).
pub fn same_end(a: &Component, b: &Component) -> bool {
    let end = |c: &Component| -> Option<(String, Option<i64>)> {
        if let Some(e) = c.property("DTEND").or_else(|| c.property("DUE")) {
            return Some((property_key(e), None));
        }
        let d = c.property("DURATION")?;
        Some((String::new(), duration_seconds(d.value())))
    };
    match (end(a), end(b)) {
        (None, None) => true,
        (Some(x), Some(y)) if x == y => true,
        // One side DTEND, the other DURATION: compare the length (start assumed equal by caller).
        (Some((ea, None)), Some((_, Some(db)))) => length_seconds(a, &ea) == Some(db),
        (Some((_, Some(da))), Some((eb, None))) => length_seconds(b, &eb) == Some(da),
        _ => false,
    }
}

/// DTEND - DTSTART in seconds when both are written in the same frame (same TZID or both UTC /
/// floating / DATE); `None` otherwise.
fn length_seconds(c: &Component, _end_key: &str) -> Option<i64> {
    let start = c.property("DTSTART")?;
    let end = c.property("DTEND").or_else(|| c.property("DUE"))?;
    if start.param_value("TZID") != end.param_value("TZID") {
        return None;
    }
    Some(basic_seconds(end.value())? - basic_seconds(start.value())?)
}

/// Seconds of a `YYYYMMDD[THHMMSS[Z]]` value read in its own frame (as if UTC).
pub fn basic_seconds(value: &str) -> Option<i64> {
    DateOrDateTime::parse(value.trim())
        .ok()
        .map(|v| v.local().as_utc_seconds())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::ical::Document;
    use crate::test_support::TestResult;

    use crate::test_support::line as p;

    #[test]
    fn property_keys_tell_parameters_apart() -> TestResult {
        let key = |line: &str| -> TestResult<String> { Ok(property_key(&p(line)?)) };
        // Equal meanings, equal keys (parameter order, case, defaults).
        assert_eq!(
            key("TRIGGER;related=start;X-A=1:-PT15M")?,
            key("TRIGGER;X-A=1:-PT15M")?
        );
        // Values that only a length prefix or a count keeps apart.
        let distinct = [
            "TRIGGER;X-A=\"1;X-B=2\":-PT15M",
            "TRIGGER;X-A=1;X-B=2:-PT15M",
            "TRIGGER;X-A=1,2:-PT15M",
            "TRIGGER;X-A=\"1,2\":-PT15M",
            "TRIGGER;X-A=12:-PT15M",
            "TRIGGER;X-A=1:-PT15M",
            "TRIGGER:-PT15M",
            "TRIGGER;X-A=:-PT15M",
        ];
        let keys = distinct
            .iter()
            .map(|l| key(l))
            .collect::<TestResult<Vec<_>>>()?;
        for (i, a) in keys.iter().enumerate() {
            for b in keys.iter().skip(i + 1) {
                assert_ne!(a, b);
            }
        }
        Ok(())
    }

    #[test]
    fn parameter_order_case_and_defaults() -> TestResult {
        assert!(same_property(
            &p("ATTENDEE;partstat=accepted;CN=Bernard:MAILTO:Bernard@Example.net")?,
            &p("attendee;CN=Bernard;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:bernard@example.net")?,
        ));
        assert!(!same_property(
            &p("ATTENDEE;PARTSTAT=ACCEPTED:mailto:b@x")?,
            &p("ATTENDEE;PARTSTAT=DECLINED:mailto:b@x")?,
        ));
        // CN is case-sensitive.
        assert!(!same_property(
            &p("ATTENDEE;CN=bernard:mailto:b@x")?,
            &p("ATTENDEE;CN=Bernard:mailto:b@x")?,
        ));
        assert!(same_property(
            &p("DTSTART;VALUE=DATE-TIME:20090601T150000Z")?,
            &p("DTSTART:20090601T150000Z")?,
        ));
        Ok(())
    }

    #[test]
    fn rrule_drift() {
        assert!(same_rrule(
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,MO;COUNT=5",
            "freq=weekly;count=5;byday=MO,TU"
        ));
        assert!(!same_rrule("FREQ=WEEKLY;COUNT=5", "FREQ=WEEKLY;COUNT=6"));
        assert!(same_rrule_except_end(
            "FREQ=DAILY;COUNT=5",
            "FREQ=DAILY;UNTIL=20090610T000000Z"
        ));
        assert!(!same_rrule_except_end("FREQ=DAILY", "FREQ=WEEKLY"));
    }

    #[test]
    fn text_lists_and_durations() -> TestResult {
        assert!(same_property(&p("SUMMARY:a\\nb")?, &p("SUMMARY:a\\Nb")?));
        assert!(same_property(&p("CATEGORIES:b,a")?, &p("CATEGORIES:a,b")?));
        assert!(same_property(
            &p("EXDATE:20090603T150000Z,20090602T150000Z")?,
            &p("EXDATE:20090602T150000Z,20090603T150000Z")?
        ));
        assert!(same_property(&p("DURATION:PT1H")?, &p("DURATION:PT60M")?));
        assert!(same_property(
            &p("TRIGGER:-PT15M")?,
            &p("TRIGGER;RELATED=START:-PT900S")?
        ));
        assert!(!same_property(&p("TRIGGER:-PT15M")?, &p("TRIGGER:-PT30M")?));
        assert_eq!(duration_seconds("P1W"), Some(604_800));
        assert_eq!(duration_seconds("-P1DT2H"), Some(-93_600));
        assert_eq!(duration_seconds("P"), None);
        assert_eq!(duration_seconds("PT5X"), None);
        Ok(())
    }

    #[test]
    fn dtend_equals_duration() -> TestResult {
        let a = Document::parse(
            b"BEGIN:VEVENT\r\nDTSTART:20090601T150000Z\r\nDTEND:20090601T160000Z\r\nEND:VEVENT\r\n",
        )?;
        let b = Document::parse(
            b"BEGIN:VEVENT\r\nDTSTART:20090601T150000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n",
        )?;
        let c = Document::parse(
            b"BEGIN:VEVENT\r\nDTSTART:20090601T150000Z\r\nDURATION:PT2H\r\nEND:VEVENT\r\n",
        )?;
        let ca = a.components().next().ok_or("no component")?;
        let cb = b.components().next().ok_or("no component")?;
        let cc = c.components().next().ok_or("no component")?;
        assert!(same_end(ca, cb));
        assert!(same_end(cb, ca));
        assert!(!same_end(ca, cc));
        Ok(())
    }

    #[test]
    fn parameter_names_found_in_any_case() -> TestResult {
        let line = p("ATTENDEE;Delegated-From=\"mailto:a@x\";CN=B:mailto:b@x")?;
        assert!(may_have_param(&line, "DELEGATED-FROM"));
        assert!(may_have_param(&line, "cn"));
        assert!(!may_have_param(&line, "PARTSTAT"));
        assert!(!may_have_param(
            &p("ATTENDEE:mailto:delegated-from@x")?,
            "DELEGATED-FROM"
        ));
        assert_eq!(normalized_param(&line, "CN"), ["B"]);
        // Folded lines are first read in their original bytes, folds skipped.
        let doc = Document::parse(
            b"BEGIN:VEVENT\r\nATTENDEE;CN=B;DELEGATED-\r\n FROM=\"mailto:a@x\":mailto:b@x\r\n\
              ATTENDEE;CN=B;\r\n\tRSVP=TRUE:mailto:c@x\nATTENDEE;CN=\"a;\r\n b\":mailto:d@x\r\n\
              END:VEVENT\r\n",
        )?;
        let lines: Vec<&Property> = doc
            .components()
            .next()
            .ok_or("no component")?
            .properties()
            .collect();
        assert!(lines.iter().all(|l| l.raw_bytes().is_some()));
        assert!(may_have_param(lines[0], "delegated-from"));
        assert!(!may_have_param(lines[0], "RSVP"));
        assert!(may_have_param(lines[1], "RSVP"));
        assert!(!may_have_param(lines[1], "ROLE"));
        assert!(!may_have_param(lines[2], "RSVP"));
        assert!(same_text(lines[0], lines[0]));
        assert!(!same_text(lines[0], lines[1]));
        assert!(same_text(
            lines[1],
            &p("ATTENDEE;CN=B;RSVP=TRUE:mailto:c@x")?
        ));
        assert!(normalized_param(&line, "RSVP").is_empty());
        assert!(normalized_param(&p("ATTENDEE;RSVP=FALSE:mailto:b@x")?, "RSVP").is_empty());
        Ok(())
    }

    #[test]
    fn bags_ignore_order() -> TestResult {
        let a = p("EXDATE:20090602T150000Z")?;
        let b = p("EXDATE:20090603T150000Z")?;
        assert!(same_bag(&[&a, &b], &[&b, &a]));
        assert!(!same_bag(&[&a, &a], &[&a, &b]));
        assert_eq!(basic_seconds("19700102"), Some(86_400));
        assert_eq!(basic_seconds("19700101T000100Z"), Some(60));
        Ok(())
    }
}
