//! iCalendar tree -> jCal, value by value as ical.js's `ICAL.parse` does it.

use super::date_time::{
    date_from_ical, date_time_from_ical, period_from_ical, time_from_ical, utc_offset_from_ical,
};
use super::js::{parse_float, parse_int};
use super::recur::recur_from_ical;
use super::tree::{object_set, JcalValue};
use super::value_type::{
    detect_rdate_type, is_address_param, is_multi_valued_param, property_design, UNKNOWN,
};
use crate::ical::text::{decode_param_value, unescape_text};
use crate::ical::{Component, Param, Property};

/// `[name, [properties...], [components...]]`, names in lower case. Properties come before
/// sub-components (jCal cannot interleave them).
pub(crate) fn component_to_jcal(component: &Component) -> JcalValue {
    JcalValue::Array(vec![
        JcalValue::String(component.name().to_ascii_lowercase()),
        JcalValue::Array(component.properties().map(property_to_jcal).collect()),
        JcalValue::Array(component.components().map(component_to_jcal).collect()),
    ])
}

/// `[name, {params}, type, value...]`.
pub(crate) fn property_to_jcal(property: &Property) -> JcalValue {
    let name = property.name().to_ascii_lowercase();
    let mut params: Vec<(String, JcalValue)> = Vec::new();
    let mut value_param: Option<String> = None;
    for param in property.params() {
        let lower = param.name.to_ascii_lowercase();
        if lower == "value" {
            value_param = Some(single_param_value(&lower, &param));
            continue;
        }
        if is_multi_valued_param(&lower) {
            add_multi_valued_param(&mut params, &lower, &param);
        } else {
            let value = JcalValue::String(single_param_value(&lower, &param));
            object_set(&mut params, &lower, value);
        }
    }
    let design = property_design(&name);
    let raw = property.value();
    let value_type = match (design, value_param) {
        (Some(d), _) if d.detect_type && !raw.is_empty() => detect_rdate_type(raw).to_string(),
        (_, Some(v)) => v.to_ascii_lowercase(),
        (Some(d), None) => d.default_type.to_string(),
        (None, None) => UNKNOWN.to_string(),
    };
    let mut out = vec![
        JcalValue::String(name),
        JcalValue::Object(params),
        JcalValue::String(value_type.clone()),
    ];
    match design {
        Some(d) if d.multi_valued => out.extend(
            split_unescaped(raw, ',')
                .into_iter()
                .map(|v| value_to_jcal(&value_type, v)),
        ),
        Some(d) if d.structured => {
            let mut parts: Vec<JcalValue> = split_unescaped(raw, ';')
                .into_iter()
                .map(|v| value_to_jcal(&value_type, v))
                .collect();
            out.push(match parts.len() {
                1 => parts.pop().unwrap_or(JcalValue::Null),
                _ => JcalValue::Array(parts),
            });
        }
        _ => out.push(value_to_jcal(&value_type, raw)),
    }
    JcalValue::Array(out)
}

/// A parameter ical.js reads as one value: the first DQUOTEd value, or the whole unquoted text
/// (commas included); RFC 6868-decoded; then TEXT-unescaped unless it is a CAL-ADDRESS.
fn single_param_value(lower_name: &str, param: &Param<'_>) -> String {
    let inner = if param.raw_values.starts_with('"') {
        param.values().next().map(|v| v.raw).unwrap_or_default()
    } else {
        param.raw_values
    };
    let decoded = decode_param_value(inner);
    if is_address_param(lower_name) {
        decoded
    } else {
        unescape_text(&decoded)
    }
}

/// DELEGATED-FROM, DELEGATED-TO, MEMBER: a string for one value, an array for several; a
/// repeated parameter is merged the way ical.js does it (a later list nests as an array).
fn add_multi_valued_param(params: &mut Vec<(String, JcalValue)>, lower: &str, param: &Param<'_>) {
    let mut values: Vec<JcalValue> = param
        .values()
        .map(|v| JcalValue::String(v.decoded()))
        .collect();
    let value = match values.len() {
        1 => values.pop().unwrap_or(JcalValue::Null),
        _ => JcalValue::Array(values),
    };
    match params.iter_mut().find(|(k, _)| k == lower) {
        Some((_, JcalValue::Array(existing))) => existing.push(value),
        Some((_, existing)) => {
            let first = std::mem::replace(existing, JcalValue::Null);
            *existing = JcalValue::Array(vec![first, value]);
        }
        None => params.push((lower.to_string(), value)),
    }
}

/// Splits on `delim` where it is not preceded by a backslash (ical.js's rule).
pub(crate) fn split_unescaped(value: &str, delim: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut previous = None;
    for (i, c) in value.char_indices() {
        if c == delim && previous != Some('\\') {
            parts.push(value.get(start..i).unwrap_or_default());
            start = i + c.len_utf8();
        }
        previous = Some(c);
    }
    parts.push(value.get(start..).unwrap_or_default());
    parts
}

/// One value of a given jCal type.
fn value_to_jcal(value_type: &str, raw: &str) -> JcalValue {
    match value_type {
        "text" => JcalValue::String(unescape_text(raw)),
        "integer" => JcalValue::Number(parse_int(raw).unwrap_or(0.0)),
        "float" => JcalValue::Number(parse_float(raw).unwrap_or(0.0)),
        // ical.js: exactly "TRUE" is true, anything else false.
        "boolean" => JcalValue::Bool(raw == "TRUE"),
        "date" => JcalValue::String(date_from_ical(raw)),
        "date-time" => JcalValue::String(date_time_from_ical(raw)),
        "time" => JcalValue::String(time_from_ical(raw)),
        "utc-offset" => JcalValue::String(utc_offset_from_ical(raw)),
        "period" => period_from_ical(raw),
        "recur" => recur_from_ical(raw),
        // uri, cal-address, duration, binary, unknown and unregistered types: the raw value.
        _ => JcalValue::string(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn jcal(line: &str) -> TestResult<String> {
        Ok(serde_json::to_string(&property_to_jcal(&Property::parse(
            line, 1,
        )?))?)
    }

    #[test]
    fn text_and_unknown() -> TestResult {
        assert_eq!(
            jcal("SUMMARY;LANGUAGE=en:a\\, b\\; c\\nd\\\\")?,
            r#"["summary",{"language":"en"},"text","a, b; c\nd\\"]"#
        );
        assert_eq!(
            jcal("X-WR-CALNAME:a\\,b")?,
            r#"["x-wr-calname",{},"unknown","a\\,b"]"#
        );
        assert_eq!(
            jcal("X-FOO;VALUE=TEXT:a\\,b")?,
            r#"["x-foo",{},"text","a,b"]"#
        );
        assert_eq!(jcal("DESCRIPTION:")?, r#"["description",{},"text",""]"#);
        Ok(())
    }

    #[test]
    fn multi_valued_and_structured() -> TestResult {
        assert_eq!(
            jcal("CATEGORIES:a\\,b,c")?,
            r#"["categories",{},"text","a,b","c"]"#
        );
        assert_eq!(
            jcal("EXDATE;VALUE=DATE:20260301,20260308")?,
            r#"["exdate",{},"date","2026-03-01","2026-03-08"]"#
        );
        assert_eq!(
            jcal("RDATE;VALUE=DATE-TIME:20260301T100000Z/PT1H,20260302T100000Z/20260302T110000Z")?,
            r#"["rdate",{},"period",["2026-03-01T10:00:00Z","PT1H"],["2026-03-02T10:00:00Z","2026-03-02T11:00:00Z"]]"#
        );
        assert_eq!(
            jcal("RDATE:20260301")?,
            r#"["rdate",{},"date","2026-03-01"]"#
        );
        assert_eq!(
            jcal("FREEBUSY;FBTYPE=BUSY:20260301T100000Z/PT1H")?,
            r#"["freebusy",{"fbtype":"BUSY"},"period",["2026-03-01T10:00:00Z","PT1H"]]"#
        );
        assert_eq!(
            jcal("GEO:37.386013;-122.082932")?,
            r#"["geo",{},"float",[37.386013,-122.082932]]"#
        );
        assert_eq!(jcal("GEO:37")?, r#"["geo",{},"float",37]"#);
        assert_eq!(
            jcal("REQUEST-STATUS:2.0;Success")?,
            r#"["request-status",{},"text",["2.0","Success"]]"#
        );
        Ok(())
    }

    #[test]
    fn scalar_types() -> TestResult {
        assert_eq!(
            jcal("DTSTART;TZID=Europe/Berlin:20260301T100000")?,
            r#"["dtstart",{"tzid":"Europe/Berlin"},"date-time","2026-03-01T10:00:00"]"#
        );
        assert_eq!(
            jcal("DTSTART;VALUE=DATE:20260301")?,
            r#"["dtstart",{},"date","2026-03-01"]"#
        );
        assert_eq!(
            jcal("DTSTAMP:20260301T100000Z")?,
            r#"["dtstamp",{},"date-time","2026-03-01T10:00:00Z"]"#
        );
        assert_eq!(
            jcal("TZOFFSETTO:+0100")?,
            r#"["tzoffsetto",{},"utc-offset","+01:00"]"#
        );
        assert_eq!(
            jcal("DURATION:PT1H")?,
            r#"["duration",{},"duration","PT1H"]"#
        );
        assert_eq!(
            jcal("TRIGGER;VALUE=DATE-TIME:20260301T100000Z")?,
            r#"["trigger",{},"date-time","2026-03-01T10:00:00Z"]"#
        );
        assert_eq!(jcal("SEQUENCE:2")?, r#"["sequence",{},"integer",2]"#);
        assert_eq!(jcal("PRIORITY:x")?, r#"["priority",{},"integer",0]"#);
        assert_eq!(jcal("X-F;VALUE=FLOAT:1.0")?, r#"["x-f",{},"float",1]"#);
        assert_eq!(
            jcal("X-B;VALUE=BOOLEAN:TRUE")?,
            r#"["x-b",{},"boolean",true]"#
        );
        assert_eq!(
            jcal("X-B;VALUE=BOOLEAN:true")?,
            r#"["x-b",{},"boolean",false]"#
        );
        assert_eq!(
            jcal("X-T;VALUE=TIME:100000Z")?,
            r#"["x-t",{},"time","10:00:00Z"]"#
        );
        assert_eq!(
            jcal("ATTACH;VALUE=BINARY;ENCODING=BASE64:AAEC")?,
            r#"["attach",{"encoding":"BASE64"},"binary","AAEC"]"#
        );
        assert_eq!(
            jcal("RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE")?,
            r#"["rrule",{},"recur",{"freq":"WEEKLY","count":10,"byday":["MO","WE"]}]"#
        );
        Ok(())
    }

    #[test]
    fn parameters_like_icaljs() -> TestResult {
        assert_eq!(
            jcal("ATTENDEE;CN=\"Doe, J\";ROLE=a,b;CN=x^'y^n\\,z;DELEGATED-TO=\"mailto:a@x\",\"mailto:b@x\";SENT-BY=\"mailto:a\\,b\":mailto:j@x")?,
            r#"["attendee",{"cn":"x\"y\n,z","role":"a,b","delegated-to":["mailto:a@x","mailto:b@x"],"sent-by":"mailto:a\\,b"},"cal-address","mailto:j@x"]"#
        );
        assert_eq!(
            jcal("ATTENDEE;MEMBER=\"mailto:a\";MEMBER=\"mailto:b\",\"mailto:c\":mailto:x")?,
            r#"["attendee",{"member":["mailto:a",["mailto:b","mailto:c"]]},"cal-address","mailto:x"]"#
        );
        assert_eq!(
            jcal("X-P;X-Q=\"a\",\"b\":v")?,
            r#"["x-p",{"x-q":"a"},"unknown","v"]"#
        );
        Ok(())
    }

    #[test]
    fn unescaped_split() {
        assert_eq!(split_unescaped("a\\,b,c,", ','), vec!["a\\,b", "c", ""]);
    }
}
