//! jCal (RFC 7265): iCalendar as JSON, exactly as ical.js's `ICAL.parse` gives it, and back.
//!
//! [`to_jcal`] turns a [`Document`] into a [`JcalValue`] whose serde serialisation is the JSON of
//! `ICAL.parse(text)` for the same text (ical.js 2.x): `["vcalendar", [properties],
//! [components]]`, each property `[name, {params}, type, value...]` with lower-case names,
//! ical.js's default type per property (see `value_type`), VALUE= as the type (and dropped from
//! the parameters), dates as `2026-03-01`, date-times as `2026-03-01T10:00:00Z`, UTC offsets as
//! `+01:00`, periods as `[start, end-or-duration]`, RECUR as an object, one element per value of
//! CATEGORIES / RESOURCES / EXDATE / RDATE / FREEBUSY, GEO as two floats, TEXT unescaped,
//! numbers and booleans as JSON numbers and booleans, and unregistered properties as `unknown`
//! with their raw value. A stream with several top-level components gives an array of them.
//! [`from_jcal`] is the inverse and writes canonical iCalendar.
//!
//! # Where ical.js (and so this module) deviates from RFC 7265
//! - Parameter values are TEXT-unescaped (`\,` `\;` `\\` `\n`), except CAL-ADDRESS ones (SENT-BY,
//!   DELEGATED-FROM, DELEGATED-TO, MEMBER); written back, such backslashes are doubled.
//! - Only DELEGATED-FROM, DELEGATED-TO and MEMBER are multi-valued parameters (an array when
//!   there are several values). Any other parameter is one string: unquoted `a,b` stays `"a,b"`;
//!   of DQUOTEd `"a","b"` only the first value is kept.
//! - A repeated parameter: the last occurrence wins, in the position of the first; repeated
//!   multi-valued parameters are merged into one array (a later list nested as an array).
//! - RECUR: WKST is a number (SU=1 ... SA=7), BY-parts with one value are scalars, duplicate
//!   BY-values are merged, numbers lose a leading `+` or zeros, INTERVAL below 1 becomes 1.
//! - RDATE's type is guessed from the value (`/` period, no `T` date), whatever VALUE= says.
//! - BOOLEAN: only `TRUE` is true (case-sensitive); INTEGER/FLOAT use JS `parseInt`/`parseFloat`
//!   (`1e3` is 1, garbage is 0).
//! - RFC 7986 properties (COLOR, IMAGE, CONFERENCE, NAME, REFRESH-INTERVAL, SOURCE) are not
//!   registered in ical.js, so they are `unknown` with their raw value.
//! - Values that break their type's grammar are sliced at fixed positions like ical.js does
//!   (DTSTART without VALUE=DATE holding `20260301` gives `2026-03-01T::`); writing back undoes
//!   that. Where ical.js throws on a RECUR part (unknown FREQ, bad BYDAY/WKST, non-numeric
//!   numbers) we keep the part as a string instead, and a PERIOD without `/` is a 1-element array.
//! - Names and VALUE types are lower-cased in ASCII only (ical.js uses Unicode `toLowerCase`):
//!   they differ only for a non-ASCII name, which RFC 5545 §3.1 does not allow, and the Unicode
//!   case tables would cost the package ~16 KB gzip.
//!
//! # What jCal cannot carry (lost in iCalendar -> jCal -> iCalendar)
//! The round trip keeps every component, property, parameter and value (content-equal); what it
//! loses is presentation, plus the ical.js choices above:
//! - Line folding and line endings (output is CRLF, folded at 75 octets), a byte-order mark,
//!   blank lines.
//! - Case of property, parameter and component names and of the VALUE type (output upper case).
//! - Parameter quoting (DQUOTEs are written only where needed or for URI parameters) and
//!   RFC 6868 / TEXT escape spelling (`\N` becomes `\n`, unknown escapes such as `\:` become
//!   `\\:`, i.e. they are kept as literal backslashes).
//! - The position of VALUE= among the parameters, and VALUE= itself when it names the default
//!   type (`DTSTART;VALUE=DATE-TIME:` becomes `DTSTART:`); a VALUE= on RDATE.
//! - Order of properties relative to sub-components (all properties come first).
//! - Repeated parameters (see above) and the split of a multi-valued parameter over several
//!   occurrences; several values of another parameter become one DQUOTEd value.
//! - Number and date spelling: `+5`/`05` become `5`, `1.50` becomes `1.5`, a non-UTF-16-safe or
//!   otherwise malformed DATE/TIME value may be shortened the way ical.js slices it.
//! - RECUR parts ical.js does not model: the RFC 7529 leap-month suffix (`BYMONTH=5L` becomes
//!   `5`).
//! - Non-`TRUE` BOOLEANs become `FALSE`; non-numeric or empty INTEGER/FLOAT values become 0
//!   (an empty RDATE of such a type then reads back as a DATE, its type being guessed).
//! - In a multi-valued or structured value of a non-TEXT type (EXDATE, RDATE, FREEBUSY, GEO), a
//!   value ending in a backslash escapes the separator written after it (as with ical.js).
//! - A malformed DATE/TIME value is sliced in UTF-16 units like ical.js does; an astral character
//!   cut in half becomes U+FFFD (ical.js keeps a lone surrogate).
//! - Control characters other than HTAB and LF in TEXT values (RFC 5545 §3.3.11 forbids them):
//!   written TEXT drops them (CR becomes `\n`); in other types they are refused (`UNSAFE_VALUE`).
//! - vCard: only the iCalendar value-type table is used (ical.js switches tables for VCARD).
//!
//! # Where our jCal differs from `ICAL.parse` (bugs or limits of ical.js's line scanner)
//! - A backslash before `;` or `:` in an unquoted parameter value (Apple writes
//!   `X-TITLE=Main St 1\; Linz`): our content-line scanner keeps it inside the value; ical.js
//!   ends the value there and invents a parameter named after the rest.
//! - A DQUOTEd multi-valued parameter (DELEGATED-TO, DELEGATED-FROM, MEMBER) with several values
//!   as the last parameter: ical.js miscounts where the property value starts (3 characters per
//!   extra value) and, when that lands before a `:` inside the last address, cuts the value there.
//! - Where ical.js throws (BOM, invalid RECUR parts, PERIOD without `/`, ...) we return jCal.
//! - A BEGIN line with trailing spaces: ical.js keeps them in the component name.

mod date_time;
mod decimal;
mod ical_to_jcal;
mod jcal_to_ical;
mod js;
mod recur;
mod tree;
mod value_type;

pub use tree::{BoundedJcal, JcalValue};

/// How deep the arrays and objects of a jCal value may nest for `limits`: a component at
/// nesting `maxDepth` lies 2 × `maxDepth` arrays deep (each level adds its own array and its
/// components list), its deepest values (a PERIOD, a RECUR's BYDAY list, a multi-valued
/// parameter) 4 more; the rest is margin.
///
/// ```js
/// toIcal({ data: deep, limits: { maxDepth: 40 } }) // jCal up to 88 arrays deep is read
/// ```
pub fn nesting(limits: &Limits) -> usize {
    limits.max_depth.saturating_mul(2).saturating_add(8)
}

use super::component::Node;
use super::document::Document;
use super::limits::Limits;
use crate::error::{Error, ErrorCode, Result};

/// The jCal of a document, equal to ical.js's `ICAL.parse(text)`: one component array, or an
/// array of them when the stream has several top-level components.
///
/// ```js
/// toJcal({ data: ics }) // ["vcalendar", [["version", {}, "text", "2.0"], ...], [["vevent", ...]]]
/// ```
pub fn to_jcal(doc: &Document) -> Result<JcalValue> {
    let mut components: Vec<JcalValue> = doc
        .components()
        .map(ical_to_jcal::component_to_jcal)
        .collect();
    Ok(match components.len() {
        1 => components.pop().unwrap_or(JcalValue::Null),
        _ => JcalValue::Array(components),
    })
}

/// A document from jCal: one component (`["vcalendar", ...]`) or an array of components. Every
/// line is written canonically. Malformed jCal is a `PARSE` error naming the path, e.g.
/// `jCal components[2].properties[3]: value type must be a string`; a value with a control
/// character is `UNSAFE_VALUE`.
///
/// ```js
/// toIcal({ data: ["vcalendar", [["version", {}, "text", "2.0"]], []] }) // "BEGIN:VCALENDAR\r\n..."
/// ```
pub fn from_jcal(value: &JcalValue) -> Result<Document> {
    from_jcal_with(value, &Limits::default())
}

/// [`from_jcal`] with explicit [`Limits`]: nesting deeper than `max_depth` is `TOO_LARGE`.
pub fn from_jcal_with(value: &JcalValue, limits: &Limits) -> Result<Document> {
    limits.check_max_depth()?;
    let single = value
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|first| first.as_str().is_some());
    let nodes = if single {
        vec![Node::Component(jcal_to_ical::component_from_jcal(
            value,
            "",
            limits.max_depth,
        )?)]
    } else {
        let list = value.as_array().ok_or_else(|| {
            Error::new(
                ErrorCode::Parse,
                format!(
                    "jCal: expected a component array [\"vcalendar\", ...] or an array of them, got {}",
                    value.kind()
                ),
            )
        })?;
        list.iter()
            .enumerate()
            .map(|(i, c)| {
                jcal_to_ical::component_from_jcal(c, &format!("[{i}]"), limits.max_depth)
                    .map(Node::Component)
            })
            .collect::<Result<Vec<_>>>()?
    };
    if nodes.is_empty() {
        return Err(Error::new(ErrorCode::Parse, "jCal: no component"));
    }
    Ok(Document::from_nodes(nodes))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20260301\r\nSUMMARY:a\\, b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn document_round_trip() -> TestResult {
        let doc = Document::parse(ICS.as_bytes())?;
        let jcal = to_jcal(&doc)?;
        assert_eq!(
            serde_json::to_string(&jcal)?,
            r#"["vcalendar",[["version",{},"text","2.0"],["prodid",{},"text","-//x//y//EN"]],[["vevent",[["uid",{},"text","1"],["dtstart",{},"date","2026-03-01"],["summary",{},"text","a, b"]],[]]]]"#
        );
        let back = from_jcal(&jcal)?;
        assert_eq!(String::from_utf8(back.to_bytes())?, ICS);
        Ok(())
    }

    #[test]
    fn several_top_level_components() -> TestResult {
        let two = format!("{ICS}{ICS}");
        let doc = Document::parse(two.as_bytes())?;
        let jcal = to_jcal(&doc)?;
        assert_eq!(jcal.as_array().map(<[JcalValue]>::len), Some(2));
        assert_eq!(from_jcal(&jcal)?.to_bytes(), two.as_bytes());
        Ok(())
    }

    #[test]
    fn nesting_is_limited() -> TestResult {
        let mut v = JcalValue::Array(vec![
            JcalValue::string("x-leaf"),
            JcalValue::Array(vec![]),
            JcalValue::Array(vec![]),
        ]);
        for _ in 0..40 {
            v = JcalValue::Array(vec![
                JcalValue::string("x-nest"),
                JcalValue::Array(vec![]),
                JcalValue::Array(vec![v]),
            ]);
        }
        let e = from_jcal(&v).err().ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::TooLarge);
        let deep = Limits {
            max_depth: 64,
            ..Limits::default()
        };
        assert!(from_jcal_with(&v, &deep).is_ok());
        Ok(())
    }

    #[test]
    fn top_level_errors() -> TestResult {
        let e = from_jcal(&JcalValue::string("x"))
            .err()
            .ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::Parse);
        assert!(from_jcal(&JcalValue::Array(vec![])).is_err());
        let v: JcalValue = serde_json::from_str(
            r#"["vcalendar",[],[["vevent",[],[]],["vtodo",[["uid",{},"text"],["x",{},"text",5]],[]]]]"#,
        )?;
        let e = from_jcal(&v).err().ok_or("expected an error")?;
        assert!(
            e.message
                .starts_with("jCal components[1].properties[1].values[0]: "),
            "{}",
            e.message
        );
        Ok(())
    }
}
