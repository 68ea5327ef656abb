//! DATE, DATE-TIME, TIME, UTC-OFFSET and PERIOD between iCalendar (`20260301T100000Z`) and jCal
//! (`2026-03-01T10:00:00Z`), RFC 7265 §3.6.4-§3.6.15.
//!
//! Reading slices at fixed positions exactly as ical.js does (strict mode), so a malformed value
//! (e.g. a DATE-TIME holding a bare date `20260301`) becomes the same string ical.js gives
//! (`2026-03-01T::`). Writing removes the separators again, which restores every well-formed
//! value and that common malformed one.

use super::js::Utf16;
use super::tree::JcalValue;

/// `20260301T100000Z` -> `2026-03-01T10:00:00Z`.
pub(crate) fn date_time_from_ical(value: &str) -> String {
    let u = Utf16::new(value);
    let mut out = format!(
        "{}-{}-{}T{}:{}:{}",
        u.slice(0, 4),
        u.slice(4, 6),
        u.slice(6, 8),
        u.slice(9, 11),
        u.slice(11, 13),
        u.slice(13, 15)
    );
    if u.at_is(15, 'Z') {
        out.push('Z');
    }
    out
}

/// `20260301` -> `2026-03-01`.
pub(crate) fn date_from_ical(value: &str) -> String {
    let u = Utf16::new(value);
    format!("{}-{}-{}", u.slice(0, 4), u.slice(4, 6), u.slice(6, 8))
}

/// `100000Z` -> `10:00:00Z`; shorter values stay as they are.
pub(crate) fn time_from_ical(value: &str) -> String {
    let u = Utf16::new(value);
    if u.len() < 6 {
        return value.to_string();
    }
    let mut out = format!("{}:{}:{}", u.slice(0, 2), u.slice(2, 4), u.slice(4, 6));
    if u.at_is(6, 'Z') {
        out.push('Z');
    }
    out
}

/// `+0100` -> `+01:00`, `+013045` -> `+01:30:45`.
pub(crate) fn utc_offset_from_ical(value: &str) -> String {
    let u = Utf16::new(value);
    if u.len() < 6 {
        format!("{}:{}", u.slice(0, 3), u.slice(3, 5))
    } else {
        format!("{}:{}:{}", u.slice(0, 3), u.slice(3, 5), u.slice(5, 7))
    }
}

/// True for a DURATION value (ical.js: `P` as first or second character).
fn is_duration(value: &str) -> bool {
    let mut chars = value.chars();
    chars.next() == Some('P') || chars.next() == Some('P')
}

/// `start/end` or `start/duration` -> `[start, end-or-duration]`. A value without `/` (invalid)
/// gives a one-element array.
pub(crate) fn period_from_ical(value: &str) -> JcalValue {
    let parts = value
        .split('/')
        .enumerate()
        .map(|(i, part)| {
            let converted = match i {
                0 => date_time_from_ical(part),
                1 if !is_duration(part) => date_time_from_ical(part),
                _ => part.to_string(),
            };
            JcalValue::String(converted)
        })
        .collect();
    JcalValue::Array(parts)
}

/// `2026-03-01T10:00:00Z` -> `20260301T100000Z` (also undoes ical.js's `2026-03-01T::`).
pub(crate) fn date_time_to_ical(value: &str) -> String {
    let mut out: String = value.chars().filter(|c| !matches!(c, '-' | ':')).collect();
    if out.ends_with('T') {
        out.pop();
    }
    out
}

/// `2026-03-01` -> `20260301`.
pub(crate) fn date_to_ical(value: &str) -> String {
    date_time_to_ical(value)
}

/// `10:00:00Z` -> `100000Z`; also UTC-OFFSET `+01:00` -> `+0100`.
pub(crate) fn time_to_ical(value: &str) -> String {
    value.chars().filter(|c| *c != ':').collect()
}

/// One period part back: a duration stays, a date-time is compacted.
pub(crate) fn period_part_to_ical(index: usize, part: &str) -> String {
    match index {
        0 => date_time_to_ical(part),
        1 if !is_duration(part) => date_time_to_ical(part),
        _ => part.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_both_ways() {
        for (ical, jcal) in [
            ("20260301T100000Z", "2026-03-01T10:00:00Z"),
            ("20260301T100000", "2026-03-01T10:00:00"),
            ("20260301", "2026-03-01T::"),
            ("", "--T::"),
        ] {
            assert_eq!(date_time_from_ical(ical), jcal);
            assert_eq!(date_time_to_ical(jcal), ical);
        }
    }

    #[test]
    fn date_time_offset_both_ways() {
        assert_eq!(date_from_ical("20260301"), "2026-03-01");
        assert_eq!(date_to_ical("2026-03-01"), "20260301");
        assert_eq!(time_from_ical("100000Z"), "10:00:00Z");
        assert_eq!(time_from_ical("1000"), "1000");
        assert_eq!(time_to_ical("10:00:00Z"), "100000Z");
        assert_eq!(utc_offset_from_ical("+0100"), "+01:00");
        assert_eq!(utc_offset_from_ical("-013045"), "-01:30:45");
        assert_eq!(time_to_ical("-01:30:45"), "-013045");
    }

    #[test]
    fn periods() {
        assert_eq!(
            period_from_ical("20260301T100000Z/PT1H"),
            JcalValue::Array(vec![
                JcalValue::string("2026-03-01T10:00:00Z"),
                JcalValue::string("PT1H")
            ])
        );
        assert_eq!(
            period_from_ical("20260301T100000Z/20260301T110000Z"),
            JcalValue::Array(vec![
                JcalValue::string("2026-03-01T10:00:00Z"),
                JcalValue::string("2026-03-01T11:00:00Z")
            ])
        );
        assert_eq!(period_part_to_ical(1, "-PT1H"), "-PT1H");
        assert_eq!(
            period_part_to_ical(1, "2026-03-01T11:00:00Z"),
            "20260301T110000Z"
        );
    }
}
