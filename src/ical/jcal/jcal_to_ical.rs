//! jCal -> iCalendar tree. Every line is new, so it is written canonically (upper-case names,
//! CRLF, folding, TEXT escaping, RFC 6868 and DQUOTEs where needed). Errors name the path of the
//! offending element, e.g. `jCal components[2].properties[3]: value type must be a string`.

use super::date_time::{
    date_time_to_ical, date_to_ical, period_part_to_ical, time_to_ical, utc_offset_to_ical,
};
use super::js::number_to_string;
use super::recur::recur_to_ical;
use super::tree::JcalValue;
use super::value_type::{
    default_type, is_address_param, is_multi_valued_param, property_design, UNKNOWN,
};
use crate::error::{Error, ErrorCode, Result};
use crate::ical::param::always_quoted;
use crate::ical::text::{
    encode_param_value, escape_text, has_control_outside_text, has_unsafe_control,
};
use crate::ical::{Component, Property};

/// A `PARSE` error for the element at `path` (empty for the root): `jCal <path>: <message>`.
pub(crate) fn parse_error(path: &str, message: impl std::fmt::Display) -> Error {
    let sep = if path.is_empty() || path.starts_with('[') {
        ""
    } else {
        " "
    };
    Error::new(ErrorCode::Parse, format!("jCal{sep}{path}: {message}"))
}

/// `path` extended by a segment: `components[2]` + `properties[3]` -> `components[2].properties[3]`.
pub(crate) fn child_path(path: &str, segment: &str) -> String {
    if path.is_empty() || segment.starts_with('[') {
        format!("{path}{segment}")
    } else {
        format!("{path}.{segment}")
    }
}

/// `[name, [properties], [components]]` (the components array may be missing, as ical.js allows).
/// `depth_left` is how many more levels of nesting are allowed (`limits.maxDepth`).
pub(crate) fn component_from_jcal(
    value: &JcalValue,
    path: &str,
    depth_left: usize,
) -> Result<Component> {
    if depth_left == 0 {
        let mut e = parse_error(path, "components nested too deep (limits.maxDepth)");
        e.code = ErrorCode::TooLarge;
        return Err(e);
    }
    let items = value
        .as_array()
        .filter(|a| a.len() == 2 || a.len() == 3)
        .ok_or_else(|| {
            parse_error(
                path,
                format!(
                    "a component must be an array [name, properties, components], got {}",
                    describe(value)
                ),
            )
        })?;
    let mut parts = items.iter();
    let name = parts
        .next()
        .and_then(JcalValue::as_str)
        .filter(|n| is_valid_name(n))
        .ok_or_else(|| {
            parse_error(
                path,
                "component name must be a non-empty string of letters, digits and '-'",
            )
        })?;
    let mut component = Component::new(&name.to_ascii_uppercase())?;
    let properties = parts
        .next()
        .and_then(JcalValue::as_array)
        .ok_or_else(|| parse_error(path, "properties must be an array"))?;
    for (i, p) in properties.iter().enumerate() {
        let here = child_path(path, &format!("properties[{i}]"));
        component.push_property(property_from_jcal(p, &here)?);
    }
    if let Some(children) = parts.next() {
        let children = children
            .as_array()
            .ok_or_else(|| parse_error(path, "components must be an array"))?;
        for (i, c) in children.iter().enumerate() {
            let here = child_path(path, &format!("components[{i}]"));
            component.push_component(component_from_jcal(c, &here, depth_left - 1)?);
        }
    }
    Ok(component)
}

fn describe(value: &JcalValue) -> String {
    match value.as_array() {
        Some(a) => format!("an array of {} elements", a.len()),
        None => value.kind().to_string(),
    }
}

/// A parameter name that reads back as itself: anything the line scanner takes as a name (up
/// to `=`; no `;` or `:`), without control characters. Wider than [`is_valid_name`] because
/// toJcal keeps such names (`ATTENDEE; CN=x` gives `" cn"`, as ical.js does) and the round trip
/// keeps every parameter.
fn is_param_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .bytes()
            .any(|b| matches!(b, b';' | b':' | b'=') || b.is_ascii_control())
}

/// RFC 5545 names (letters, digits, `-`), plus what our parser tolerates (`_`, `.`, `/`).
fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
}

/// `[name, {params}, type, value...]` -> one content line.
pub(crate) fn property_from_jcal(value: &JcalValue, path: &str) -> Result<Property> {
    let items = value.as_array().filter(|a| a.len() >= 3).ok_or_else(|| {
        parse_error(
            path,
            format!(
                "a property must be an array [name, params, type, values...], got {}",
                describe(value)
            ),
        )
    })?;
    let (head, values) = items.split_at(3);
    let [name, params, value_type] = head else {
        return Err(parse_error(path, "a property needs name, params and type"));
    };
    let name = name
        .as_str()
        .filter(|n| is_valid_name(n))
        .ok_or_else(|| {
            parse_error(
                path,
                "property name must be a non-empty string of letters, digits and '-'",
            )
        })?
        .to_ascii_lowercase();
    let value_type = value_type
        .as_str()
        .ok_or_else(|| parse_error(path, "value type must be a string"))?
        .to_ascii_lowercase();
    let mut line = name.to_ascii_uppercase();
    write_params(&mut line, params, path)?;
    // RFC 7265 §5.2: `unknown` is written without VALUE=.
    if value_type != UNKNOWN && value_type != default_type(&name) {
        let written = protect_backslashes(&value_type.to_ascii_uppercase());
        push_param(&mut line, "VALUE", &[written]);
    }
    line.push(':');
    line.push_str(&values_to_ical(&name, &value_type, values, path)?);
    if has_unsafe_control(&line) {
        let mut e = parse_error(path, "a value contains a control character (CR, LF, ...)");
        e.code = ErrorCode::UnsafeValue;
        return Err(e);
    }
    Property::parse(&line, 0).map_err(|e| parse_error(path, e.message))
}

/// `;NAME=value` for each parameter, in object order. A `value` key is skipped: the type
/// (element 2) is authoritative.
fn write_params(line: &mut String, params: &JcalValue, path: &str) -> Result<()> {
    let entries = params
        .as_object()
        .ok_or_else(|| parse_error(path, "params must be an object"))?;
    for (key, value) in entries {
        let here = child_path(path, &format!("params.{key}"));
        let lower = key.to_ascii_lowercase();
        if lower == "value" {
            continue;
        }
        if !is_param_name(key) {
            return Err(parse_error(&here, "invalid parameter name"));
        }
        refuse_control_characters(value, &here)?;
        let upper = key.to_ascii_uppercase();
        let protect = |s: &str| {
            if is_address_param(&lower) {
                s.to_string()
            } else {
                protect_backslashes(s)
            }
        };
        match value {
            JcalValue::String(s) => push_param(line, &upper, &[protect(s)]),
            JcalValue::Array(items) if items.iter().any(|i| i.as_array().is_some()) => {
                // A repeated parameter merged by ical.js: one occurrence per element.
                for (i, item) in items.iter().enumerate() {
                    let occurrence = match item {
                        JcalValue::Array(inner) => {
                            strings(inner, &child_path(&here, &format!("[{i}]")))?
                        }
                        other => strings(
                            std::slice::from_ref(other),
                            &child_path(&here, &format!("[{i}]")),
                        )?,
                    };
                    let protected: Vec<String> = if is_multi_valued_param(&lower) {
                        occurrence.iter().map(|s| protect(s)).collect()
                    } else {
                        vec![protect(&occurrence.join(","))]
                    };
                    push_param(line, &upper, &protected);
                }
            }
            JcalValue::Array(items) if is_multi_valued_param(&lower) => {
                let protected: Vec<String> =
                    strings(items, &here)?.iter().map(|s| protect(s)).collect();
                push_param(line, &upper, &protected);
            }
            JcalValue::Array(items) => {
                // Another parameter has one value: several become one (DQUOTEd, as it holds a
                // comma), which is how toJcal reads `CN="a,b"` back.
                let joined = strings(items, &here)?.join(",");
                push_param(line, &upper, &[protect(&joined)]);
            }
            other => {
                return Err(parse_error(
                    &here,
                    format!(
                        "a parameter value must be a string or an array of strings, got {}",
                        other.kind()
                    ),
                ))
            }
        }
    }
    Ok(())
}

/// `UNSAFE_VALUE` for a parameter value with a control character RFC 6868 cannot carry (any but
/// CR, LF, written `^n`, and TAB): dropping it silently would change the value.
fn refuse_control_characters(value: &JcalValue, path: &str) -> Result<()> {
    let bad = match value {
        JcalValue::String(s) => has_control_outside_text(s),
        JcalValue::Array(items) => {
            for item in items {
                refuse_control_characters(item, path)?;
            }
            false
        }
        _ => false,
    };
    if bad {
        let mut e = parse_error(path, "a parameter value contains a control character");
        e.code = ErrorCode::UnsafeValue;
        return Err(e);
    }
    Ok(())
}

/// `;NAME=v1,v2`: RFC 6868-encoded, DQUOTEd when a value has `:` `;` `,` or a backslash (which a
/// lenient reader could take as escaping the next character) or the parameter is a URI one.
fn push_param(line: &mut String, name: &str, values: &[String]) {
    line.push(';');
    line.push_str(name);
    line.push('=');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let encoded = encode_param_value(v);
        if always_quoted(name) || encoded.contains([':', ';', ',', '\\']) {
            line.push('"');
            line.push_str(&encoded);
            line.push('"');
        } else {
            line.push_str(&encoded);
        }
    }
}

fn strings<'a>(items: &'a [JcalValue], path: &str) -> Result<Vec<&'a str>> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_str().ok_or_else(|| {
                parse_error(
                    &child_path(path, &format!("[{i}]")),
                    format!("a parameter value must be a string, got {}", item.kind()),
                )
            })
        })
        .collect()
}

/// ical.js TEXT-unescapes parameter values (`\\`, `\;`, `\,`, `\n`), so a backslash that would be
/// read as such an escape is doubled; every other backslash is written as is.
fn protect_backslashes(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\\' && matches!(chars.peek(), Some('\\' | ';' | ',' | 'n' | 'N')) {
            out.push('\\');
        }
    }
    out
}

/// The values (elements 3...) as the written value: several join with `,` (RFC 7265 §3.4.3);
/// a structured value (GEO, REQUEST-STATUS) is an array joined with `;`; none is an empty value.
fn values_to_ical(
    name: &str,
    value_type: &str,
    values: &[JcalValue],
    path: &str,
) -> Result<String> {
    let structured = property_design(name).is_some_and(|d| d.structured);
    let written = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let here = child_path(path, &format!("values[{i}]"));
            match v {
                // A PERIOD is itself an array: only an array of arrays is structured then.
                JcalValue::Array(parts)
                    if structured
                        && (value_type != "period"
                            || parts.iter().all(|p| p.as_array().is_some())) =>
                {
                    Ok(parts
                        .iter()
                        .enumerate()
                        .map(|(j, p)| {
                            value_to_ical(value_type, p, &child_path(&here, &format!("[{j}]")))
                        })
                        .collect::<Result<Vec<_>>>()?
                        .join(";"))
                }
                _ => value_to_ical(value_type, v, &here),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(written.join(","))
}

/// One value of a jCal type in its iCalendar form.
fn value_to_ical(value_type: &str, value: &JcalValue, path: &str) -> Result<String> {
    let expect = |what: &str| {
        parse_error(
            path,
            format!(
                "a value of type {value_type} must be {what}, got {}",
                value.kind()
            ),
        )
    };
    Ok(match (value_type, value) {
        ("text", JcalValue::String(s)) => escape_text(s),
        // Integers in full (JS would write 1e+21, which parseInt reads as 1).
        ("integer", JcalValue::Number(n)) if n.is_finite() && n.fract() == 0.0 => {
            format!("{:.0}", if *n == 0.0 { 0.0 } else { *n })
        }
        ("integer" | "float", JcalValue::Number(n)) => number_to_string(*n),
        ("integer" | "float", _) => return Err(expect("a number")),
        ("boolean", JcalValue::Bool(b)) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        ("boolean", _) => return Err(expect("true or false")),
        ("date", JcalValue::String(s)) => date_to_ical(s),
        ("date-time", JcalValue::String(s)) => date_time_to_ical(s),
        ("time", JcalValue::String(s)) => time_to_ical(s),
        ("utc-offset", JcalValue::String(s)) => utc_offset_to_ical(s),
        ("period", JcalValue::Array(parts)) => parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                p.as_str()
                    .map(|s| period_part_to_ical(i, s))
                    .ok_or_else(|| expect("an array of strings"))
            })
            .collect::<Result<Vec<_>>>()?
            .join("/"),
        ("period", _) => return Err(expect("an array [start, end or duration]")),
        ("recur", v) => recur_to_ical(v, path)?,
        (_, JcalValue::String(s)) => s.clone(),
        _ => return Err(expect("a string")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn line(json: &str) -> TestResult<String> {
        let v: JcalValue = serde_json::from_str(json)?;
        Ok(property_from_jcal(&v, "properties[0]")?.text().to_string())
    }

    fn error(json: &str) -> TestResult<Error> {
        let v: JcalValue = serde_json::from_str(json)?;
        Ok(property_from_jcal(&v, "properties[3]")
            .err()
            .ok_or("expected an error")?)
    }

    #[test]
    fn values_written_canonically() -> TestResult {
        assert_eq!(
            line(r#"["summary",{},"text","a, b; c\nd\\"]"#)?,
            "SUMMARY:a\\, b\\; c\\nd\\\\"
        );
        assert_eq!(line(r#"["x-foo",{},"unknown","a\\,b"]"#)?, "X-FOO:a\\,b");
        assert_eq!(
            line(r#"["x-foo",{},"text","a,b"]"#)?,
            "X-FOO;VALUE=TEXT:a\\,b"
        );
        assert_eq!(
            line(r#"["categories",{},"text","a,b","c"]"#)?,
            "CATEGORIES:a\\,b,c"
        );
        assert_eq!(
            line(r#"["dtstart",{"tzid":"Europe/Berlin"},"date-time","2026-03-01T10:00:00"]"#)?,
            "DTSTART;TZID=Europe/Berlin:20260301T100000"
        );
        assert_eq!(
            line(r#"["dtstart",{},"date","2026-03-01"]"#)?,
            "DTSTART;VALUE=DATE:20260301"
        );
        assert_eq!(
            line(
                r#"["rdate",{},"period",["2026-03-01T10:00:00Z","PT1H"],["2026-03-02T10:00:00Z","2026-03-02T11:00:00Z"]]"#
            )?,
            "RDATE;VALUE=PERIOD:20260301T100000Z/PT1H,20260302T100000Z/20260302T110000Z"
        );
        assert_eq!(
            line(r#"["geo",{},"float",[37.386013,-122.082932]]"#)?,
            "GEO:37.386013;-122.082932"
        );
        assert_eq!(
            line(r#"["request-status",{},"text",["2.0","Success; ok"]]"#)?,
            "REQUEST-STATUS:2.0;Success\\; ok"
        );
        assert_eq!(
            line(r#"["tzoffsetfrom",{},"utc-offset","-05:00"]"#)?,
            "TZOFFSETFROM:-0500"
        );
        assert_eq!(line(r#"["sequence",{},"integer",2]"#)?, "SEQUENCE:2");
        assert_eq!(
            line(r#"["sequence",{},"integer",2e23]"#)?,
            "SEQUENCE:199999999999999983222784"
        );
        assert_eq!(
            line(r#"["x-b",{},"boolean",true]"#)?,
            "X-B;VALUE=BOOLEAN:TRUE"
        );
        assert_eq!(
            line(r#"["x-t",{},"time","10:00:00Z"]"#)?,
            "X-T;VALUE=TIME:100000Z"
        );
        assert_eq!(
            line(r#"["rrule",{},"recur",{"freq":"WEEKLY","wkst":2,"byday":["MO","WE"]}]"#)?,
            "RRULE:FREQ=WEEKLY;WKST=MO;BYDAY=MO,WE"
        );
        assert_eq!(line(r#"["description",{},"text"]"#)?, "DESCRIPTION:");
        assert_eq!(
            line(r#"["dtstart",{},"unknown","20260301T100000Z"]"#)?,
            "DTSTART:20260301T100000Z"
        );
        Ok(())
    }

    #[test]
    fn params_written_canonically() -> TestResult {
        assert_eq!(
            line(r#"["attendee",{"cn":"Doe, \"J\"","partstat":"ACCEPTED","delegated-to":["mailto:a@x","mailto:b@x"],"x-p":"a\\nb","value":"text"},"cal-address","mailto:j@x"]"#)?,
            "ATTENDEE;CN=\"Doe, ^'J^'\";PARTSTAT=ACCEPTED;DELEGATED-TO=\"mailto:a@x\",\"mailto:b@x\";X-P=\"a\\\\nb\":mailto:j@x"
        );
        assert_eq!(
            line(
                r#"["attendee",{"member":["mailto:a",["mailto:b","mailto:c"]]},"cal-address","mailto:x"]"#
            )?,
            "ATTENDEE;MEMBER=\"mailto:a\";MEMBER=\"mailto:b\",\"mailto:c\":mailto:x"
        );
        // A trailing backslash must not swallow the ':' that ends the parameters.
        assert_eq!(
            line(r#"["attendee",{"cn":"Y\\"},"cal-address","mailto:y@x"]"#)?,
            "ATTENDEE;CN=\"Y\\\":mailto:y@x"
        );
        Ok(())
    }

    #[test]
    fn several_values_of_a_one_valued_parameter_are_one_dquoted_value() -> TestResult {
        // As toJcal reads `CN="a:b,c"` back: one string; the values are not split or lost.
        assert_eq!(
            line(r#"["summary",{"cn":["a:b","c"]},"text","x"]"#)?,
            "SUMMARY;CN=\"a:b,c\":x"
        );
        assert_eq!(
            line(r#"["summary",{"cn":["a","b,c"]},"text","x"]"#)?,
            "SUMMARY;CN=\"a,b,c\":x"
        );
        assert_eq!(
            line(r#"["summary",{"x-p":[["a","b"],"c"]},"text","x"]"#)?,
            "SUMMARY;X-P=\"a,b\";X-P=c:x"
        );
        Ok(())
    }

    #[test]
    fn parameter_names_tojcal_keeps_are_written_back() -> TestResult {
        // `ATTENDEE; CN=x` reads as the name " cn" (ical.js agrees); it must round-trip.
        assert_eq!(
            line(r#"["attendee",{" cn":"x"},"cal-address","mailto:d@x"]"#)?,
            "ATTENDEE; CN=x:mailto:d@x"
        );
        for bad in [
            r#"{"a;b":"x"}"#,
            r#"{"a:b":"x"}"#,
            r#"{"a=b":"x"}"#,
            r#"{"":"x"}"#,
        ] {
            let e = error(&format!(r#"["attendee",{bad},"cal-address","mailto:d@x"]"#))?;
            assert!(
                e.message.contains("invalid parameter name"),
                "{bad}: {}",
                e.message
            );
        }
        Ok(())
    }

    #[test]
    fn recur_parts_cannot_inject_parts_and_an_undefined_part_is_left_out() -> TestResult {
        assert_eq!(
            line(r#"["rrule",{},"recur",{"freq":"DAILY","x-odd":null}]"#)?,
            "RRULE:FREQ=DAILY"
        );
        for bad in [
            r#"{"freq":"DAILY","until":"2026-01-01;COUNT=5"}"#,
            r#"{"freq":"DA;ILY=x"}"#,
            r#"{"fr;eq":"DAILY"}"#,
            r#"{"a=b":"x"}"#,
            r#"{"freq":"DAILY","byday":["MO;COUNT=3"]}"#,
            r#"{"freq":"DAILY","x-a":"1;x"}"#,
        ] {
            let e = error(&format!(r#"["rrule",{{}},"recur",{bad}]"#))?;
            assert_eq!(e.code, crate::error::ErrorCode::Parse, "{bad}");
        }
        Ok(())
    }

    #[test]
    fn errors_name_the_path() -> TestResult {
        let e = error(r#"["summary",{},5,"x"]"#)?;
        assert_eq!(e.code, ErrorCode::Parse);
        assert_eq!(e.message, "jCal properties[3]: value type must be a string");
        let e = error(r#"["summary",{"cn":5},"text","x"]"#)?;
        assert!(
            e.message.starts_with("jCal properties[3].params.cn: "),
            "{}",
            e.message
        );
        let e = error(r#"["sequence",{},"integer","2"]"#)?;
        assert!(
            e.message.starts_with(
                "jCal properties[3].values[0]: a value of type integer must be a number"
            ),
            "{}",
            e.message
        );
        assert!(error(r#"["summary",{}]"#)?
            .message
            .contains("must be an array [name, params"));
        assert!(error(r#"["bad name",{},"text","x"]"#)?
            .message
            .contains("property name"));
        assert_eq!(
            error(r#"["x-a",{},"unknown","a\r\nEVIL:1"]"#)?.code,
            ErrorCode::UnsafeValue
        );
        for params in [
            r#"{"cn":"a\u0001b"}"#,
            r#"{"member":["mailto:a","b\u0000"]}"#,
        ] {
            let e = error(&format!(
                r#"["attendee",{params},"cal-address","mailto:x"]"#
            ))?;
            assert_eq!(e.code, ErrorCode::UnsafeValue, "{params}");
        }
        // CR/LF and TAB have RFC 6868 / literal forms.
        assert_eq!(
            line(r#"["attendee",{"cn":"a\nb\tc"},"cal-address","mailto:x"]"#)?,
            "ATTENDEE;CN=a^nb\tc:mailto:x"
        );
        let e = error(r#"["rrule",{},"recur","FREQ=DAILY"]"#)?;
        assert!(
            e.message
                .starts_with("jCal properties[3].values[0]: a recur value must be an object"),
            "{}",
            e.message
        );
        let e = component_from_jcal(&JcalValue::string("x"), "components[2]", 32)
            .err()
            .ok_or("expected an error")?;
        assert!(e
            .message
            .starts_with("jCal components[2]: a component must be an array"));
        Ok(())
    }
}
