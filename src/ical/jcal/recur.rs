//! RECUR values (RRULE, EXRULE) between iCalendar and jCal objects (RFC 7265 §3.6.10), with
//! ical.js's conventions: lower-case keys in rule order; COUNT, INTERVAL and numeric BY-parts as
//! numbers; a BY-part with one value as a scalar, with several as an array (duplicates merged);
//! UNTIL as a jCal date or date-time; WKST as a number (SU=1 ... SA=7, ical.js's numbering, where
//! RFC 7265 would keep "MO"); INTERVAL below 1 read as 1; unknown parts kept as strings.
//!
//! Where ical.js throws (unknown FREQ, invalid BYDAY or WKST, a non-numeric number) the part is
//! kept as its string instead, so every rule converts and writes back.

use super::date_time::{date_from_ical, date_time_from_ical, date_time_to_ical, date_to_ical};
use super::jcal_to_ical::{child_path, parse_error};
use super::js::{number_to_string, parse_int, Utf16};
use super::tree::{object_set, JcalValue};
use crate::error::Result;

/// Week days in ical.js's numbering: index + 1 (SU=1 ... SA=7).
const WEEK_DAYS: [&str; 7] = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

const NUMERIC_PARTS: [&str; 8] = [
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
];

/// `FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE` -> `{"freq":"WEEKLY","count":10,"byday":["MO","WE"]}`.
pub(crate) fn recur_from_ical(value: &str) -> JcalValue {
    let mut dict: Vec<(String, JcalValue)> = Vec::new();
    for part in value.split(';') {
        let mut pieces = part.split('=');
        let name = pieces.next().unwrap_or_default();
        let Some(raw) = pieces.next() else {
            // ical.js stores `undefined`, which JSON drops.
            continue;
        };
        let upper = name.to_ascii_uppercase();
        let lower = name.to_ascii_lowercase();
        let converted = match upper.as_str() {
            "BYDAY" => by_part(raw, |v| JcalValue::string(v)),
            p if NUMERIC_PARTS.contains(&p) => by_part(raw, numeric_part),
            "FREQ" => JcalValue::string(raw),
            "COUNT" => number_or_string(raw, parse_int(raw)),
            "INTERVAL" => number_or_string(raw, parse_int(raw).map(|n| n.max(1.0))),
            "UNTIL" => {
                if Utf16::new(raw).len() > 10 {
                    JcalValue::String(date_time_from_ical(raw))
                } else {
                    JcalValue::String(date_from_ical(raw))
                }
            }
            "WKST" => match WEEK_DAYS.iter().position(|d| *d == raw) {
                #[allow(clippy::cast_precision_loss)]
                Some(i) => JcalValue::Number((i + 1) as f64),
                None => JcalValue::string(raw),
            },
            _ => JcalValue::string(raw),
        };
        object_set(&mut dict, &lower, converted);
    }
    JcalValue::Object(dict)
}

fn number_or_string(raw: &str, number: Option<f64>) -> JcalValue {
    number.map_or_else(|| JcalValue::string(raw), JcalValue::Number)
}

/// A numeric BY-part value: a leading `+` is dropped, then `parseInt`.
fn numeric_part(raw: &str) -> JcalValue {
    let digits = raw.strip_prefix('+').unwrap_or(raw);
    number_or_string(raw, parse_int(digits))
}

/// A comma-separated BY-part: duplicates merged (first kept), one value as a scalar.
fn by_part(raw: &str, convert: impl Fn(&str) -> JcalValue) -> JcalValue {
    let mut values: Vec<JcalValue> = Vec::new();
    for v in raw.split(',').map(convert) {
        if !values.contains(&v) {
            values.push(v);
        }
    }
    match values.len() {
        1 => values.pop().unwrap_or(JcalValue::Null),
        _ => JcalValue::Array(values),
    }
}

/// The jCal object back to `FREQ=...;...`, parts in object order. `path` names the value in errors.
pub(crate) fn recur_to_ical(value: &JcalValue, path: &str) -> Result<String> {
    let entries = value.as_object().ok_or_else(|| {
        parse_error(
            path,
            format!("a recur value must be an object, got {}", value.kind()),
        )
    })?;
    let mut parts = Vec::with_capacity(entries.len());
    for (key, v) in entries {
        let here = child_path(path, key);
        if matches!(v, JcalValue::Null) {
            // ical.js reads a part without `=` (`X-ODD`) as `undefined`; our toJcal leaves such
            // a part out, and so does writing it back.
            continue;
        }
        // A part reads back as itself unless a `;` ends it early or a `=` in the name moves
        // where the value starts (toJcal splits parts at `;`, then each at its first `=`).
        if key.contains([';', '=']) {
            return Err(parse_error(&here, "invalid recur part name"));
        }
        let written = match (key.as_str(), v) {
            ("until", JcalValue::String(s)) if Utf16::new(s).len() > 10 => date_time_to_ical(s),
            ("until", JcalValue::String(s)) => date_to_ical(s),
            ("wkst", JcalValue::Number(n)) => week_day(*n)
                .map(str::to_string)
                .ok_or_else(|| parse_error(&here, "week day number must be 1 (SU) to 7 (SA)"))?,
            (_, JcalValue::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| scalar(item, &child_path(&here, &format!("[{i}]"))))
                .collect::<Result<Vec<_>>>()?
                .join(","),
            (_, other) => scalar(other, &here)?,
        };
        if written.contains(';') {
            // It would end the part and start another (`UNTIL=...;COUNT=5`).
            return Err(parse_error(
                &here,
                "a recur part value must not contain `;`",
            ));
        }
        parts.push(format!("{}={written}", key.to_ascii_uppercase()));
    }
    Ok(parts.join(";"))
}

fn week_day(n: f64) -> Option<&'static str> {
    if n.fract() != 0.0 || !(1.0..=7.0).contains(&n) {
        return None;
    }
    // Exact: n is integral in 1..=7.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    WEEK_DAYS.get(n as usize - 1).copied()
}

fn scalar(value: &JcalValue, path: &str) -> Result<String> {
    match value {
        JcalValue::String(s) => Ok(s.clone()),
        JcalValue::Number(n) => Ok(number_to_string(*n)),
        other => Err(parse_error(
            path,
            format!(
                "a recur part must be a string or a number, got {}",
                other.kind()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn json(v: &JcalValue) -> TestResult<String> {
        Ok(serde_json::to_string(v)?)
    }

    #[test]
    fn rule_to_object_like_icaljs() -> TestResult {
        let v = recur_from_ical(
            "FREQ=WEEKLY;BYDAY=MO,MO,TU;WKST=MO;BYMONTHDAY=+5;X-FOO=bar;COUNT=10;INTERVAL=0;",
        );
        assert_eq!(
            json(&v)?,
            r#"{"freq":"WEEKLY","byday":["MO","TU"],"wkst":2,"bymonthday":5,"x-foo":"bar","count":10,"interval":1}"#
        );
        let v = recur_from_ical("FREQ=DAILY;UNTIL=20260301T100000Z;BYHOUR=9,17");
        assert_eq!(
            json(&v)?,
            r#"{"freq":"DAILY","until":"2026-03-01T10:00:00Z","byhour":[9,17]}"#
        );
        assert_eq!(
            json(&recur_from_ical("FREQ=YEARLY;UNTIL=20260301"))?,
            r#"{"freq":"YEARLY","until":"2026-03-01"}"#
        );
        Ok(())
    }

    #[test]
    fn lenient_where_icaljs_throws() -> TestResult {
        assert_eq!(
            json(&recur_from_ical("freq=weekly;BYMONTH=x;WKST=xx"))?,
            r#"{"freq":"weekly","bymonth":"x","wkst":"xx"}"#
        );
        Ok(())
    }

    #[test]
    fn object_back_to_rule() -> TestResult {
        for rule in [
            "FREQ=WEEKLY;BYDAY=MO,TU;WKST=MO;COUNT=10",
            "FREQ=DAILY;UNTIL=20260301T100000Z;BYHOUR=9,17",
            "FREQ=YEARLY;UNTIL=20260301;BYMONTH=3;BYDAY=-1SU",
            "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR;X-NAME=v",
        ] {
            assert_eq!(recur_to_ical(&recur_from_ical(rule), "p")?, rule);
        }
        let err = recur_to_ical(&JcalValue::string("FREQ=DAILY"), "properties[0]")
            .err()
            .ok_or("expected an error")?;
        assert!(err
            .message
            .starts_with("jCal properties[0]: a recur value must be an object"));
        let bad = JcalValue::Object(vec![("wkst".into(), JcalValue::Number(9.0))]);
        assert!(recur_to_ical(&bad, "p").is_err());
        Ok(())
    }
}
