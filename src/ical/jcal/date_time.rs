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

/// Undoes a fixed-position slicing: `segments` are the slice lengths the reading side uses, in
/// order, filled left to right; `separators[i]` follows segment `i`. Returns the segments when
/// `value` has exactly that shape, else `None`.
fn split_fixed(value: &Utf16, segments: &[usize], separators: &[char]) -> Option<Vec<String>> {
    let content = value.len().checked_sub(separators.len())?;
    if content > segments.iter().sum() {
        return None;
    }
    let mut remaining = content;
    let mut pos = 0;
    let mut out = Vec::with_capacity(segments.len());
    for (i, max) in segments.iter().enumerate() {
        let take = remaining.min(*max);
        remaining -= take;
        out.push(value.slice(pos, pos + take));
        pos += take;
        if let Some(sep) = separators.get(i) {
            if !value.at_is(pos, *sep) {
                return None;
            }
            pos += 1;
        }
    }
    Some(out)
}

fn strip(value: &str, chars: &[char]) -> String {
    value.chars().filter(|c| !chars.contains(c)).collect()
}

/// `2026-03-01T10:00:00Z` -> `20260301T100000Z`. Exactly inverts the reading side, malformed
/// values included (`2026-03-01T::` -> `20260301`); other strings lose their `-` and `:`.
pub(crate) fn date_time_to_ical(value: &str) -> String {
    let u = Utf16::new(value);
    let (body, zulu) = match value.strip_suffix('Z') {
        Some(b) if u.len() == 20 => (Utf16::new(b), "Z"),
        _ => (u, ""),
    };
    match split_fixed(&body, &[4, 2, 2, 2, 2, 2], &['-', '-', 'T', ':', ':']) {
        Some(parts) => {
            let (date, time) = parts.split_at(3);
            let time = time.concat();
            let t = if time.is_empty() { "" } else { "T" };
            format!("{}{t}{time}{zulu}", date.concat())
        }
        None => {
            let mut out = strip(value, &['-', ':']);
            if out.ends_with('T') {
                out.pop();
            }
            out
        }
    }
}

/// `2026-03-01` -> `20260301` (exact inverse of the reading side).
pub(crate) fn date_to_ical(value: &str) -> String {
    match split_fixed(&Utf16::new(value), &[4, 2, 2], &['-', '-']) {
        Some(parts) => parts.concat(),
        None => strip(value, &['-']),
    }
}

/// `10:00:00Z` -> `100000Z` (exact inverse of the reading side); a value shorter than 6 stays
/// as it is, as on reading.
pub(crate) fn time_to_ical(value: &str) -> String {
    let u = Utf16::new(value);
    if u.len() < 6 {
        return value.to_string();
    }
    let (body, zulu) = match value.strip_suffix('Z') {
        Some(b) if u.len() == 9 => (Utf16::new(b), "Z"),
        _ => (u, ""),
    };
    match split_fixed(&body, &[2, 2, 2], &[':', ':']) {
        Some(parts) if body.len() == 8 => format!("{}{zulu}", parts.concat()),
        _ => strip(value, &[':']),
    }
}

/// `+01:00` -> `+0100`, `+01:30:45` -> `+013045` (exact inverse of the reading side).
pub(crate) fn utc_offset_to_ical(value: &str) -> String {
    let u = Utf16::new(value);
    let parts = if u.len() <= 6 {
        split_fixed(&u, &[3, 2], &[':'])
    } else {
        split_fixed(&u, &[3, 2, 2], &[':', ':'])
    };
    match parts {
        Some(p) => p.concat(),
        None => strip(value, &[':']),
    }
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
            ("20260301T10", "2026-03-01T10::"),
        ] {
            assert_eq!(date_time_from_ical(ical), jcal);
            assert_eq!(date_time_to_ical(jcal), ical);
        }
        // The 9th character is dropped on reading (it should be `T`); writing puts a `T` there.
        for (ical, jcal, back) in [
            ("INVALID-DATE", "INVA-LI-D-TAT:E:", "INVALID-TATE"),
            (
                "$now.year.1:00:00",
                "$now-.y-eaT.1::0:0:",
                "$now.yeaT.1:00:",
            ),
        ] {
            assert_eq!(date_time_from_ical(ical), jcal);
            assert_eq!(date_time_to_ical(jcal), back);
            assert_eq!(date_time_from_ical(back), jcal);
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
        assert_eq!(utc_offset_to_ical("-01:30:45"), "-013045");
        assert_eq!(utc_offset_to_ical("+01:00"), "+0100");
    }

    #[test]
    fn inverse_is_exact_on_malformed_values() {
        for raw in [
            "", "2", "+1", "+01", "+0100", "+01000", "-0:0:0:", "x:y", "+013045", "+0130451",
        ] {
            let j = utc_offset_from_ical(raw);
            assert_eq!(utc_offset_from_ical(&utc_offset_to_ical(&j)), j, "{raw}");
        }
        for raw in [
            "",
            "2026",
            "2026-03",
            "202603011",
            "20260301T1000000Z",
            "-0011130T100000",
            "a-b:c",
        ] {
            let j = date_time_from_ical(raw);
            assert_eq!(date_time_from_ical(&date_time_to_ical(&j)), j, "{raw}");
            let j = date_from_ical(raw);
            assert_eq!(date_from_ical(&date_to_ical(&j)), j, "{raw}");
            let j = time_from_ical(raw);
            assert_eq!(time_from_ical(&time_to_ical(&j)), j, "{raw}");
        }
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
