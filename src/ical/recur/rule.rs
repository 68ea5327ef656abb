//! The RECUR value type (RFC 5545 3.3.10): parsing, canonical formatting, semantic equality.
//!
//! Parsing is case-insensitive and accepts the parts in any order. Decisions:
//! - an unknown part is an error (`PARSE`), except `X-` parts, which are kept (and compared);
//! - `RSCALE=GREGORIAN` and `SKIP=OMIT` (RFC 7529, the defaults) are accepted and dropped; any
//!   other RSCALE/SKIP is an error, since this expander only knows the Gregorian calendar;
//! - a part given twice, COUNT together with UNTIL, COUNT=0 or INTERVAL=0 are errors;
//! - list parts are sets: they are sorted and de-duplicated, so `BYDAY=WE,MO` equals `BYDAY=MO,WE`;
//! - INTERVAL defaults to 1 and WKST to MO, so writing the default is not a difference;
//! - ASCII whitespace around parts, names, values and list items is tolerated (seen in real
//!   files: `BYDAY=MO, TU`, a trailing space) and dropped by the canonical form.

use super::keys::sort_keys;
use crate::error::{Error, ErrorCode, Result};
use crate::ical::datetime::{DateOrDateTime, Weekday};
use std::fmt;

/// The FREQ rule part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Frequency {
    /// `SECONDLY`.
    Secondly,
    /// `MINUTELY`.
    Minutely,
    /// `HOURLY`.
    Hourly,
    /// `DAILY`.
    Daily,
    /// `WEEKLY`.
    Weekly,
    /// `MONTHLY`.
    Monthly,
    /// `YEARLY`.
    Yearly,
}

impl Frequency {
    const ALL: [Frequency; 7] = [
        Frequency::Secondly,
        Frequency::Minutely,
        Frequency::Hourly,
        Frequency::Daily,
        Frequency::Weekly,
        Frequency::Monthly,
        Frequency::Yearly,
    ];

    /// The RFC 5545 name.
    pub fn name(self) -> &'static str {
        match self {
            Frequency::Secondly => "SECONDLY",
            Frequency::Minutely => "MINUTELY",
            Frequency::Hourly => "HOURLY",
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        }
    }

    /// `true` for SECONDLY, MINUTELY and HOURLY.
    pub fn is_sub_daily(self) -> bool {
        self < Frequency::Daily
    }
}

/// A BYDAY entry: a weekday with an optional ordinal (`2TU`, `-1SU`, `MO`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WeekdayNum {
    /// `None` for every such weekday; otherwise 1..=53 or -53..=-1.
    pub ordinal: Option<i8>,
    /// The weekday.
    pub weekday: Weekday,
}

impl fmt::Display for WeekdayNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(n) = self.ordinal {
            write!(f, "{n}")?;
        }
        f.write_str(self.weekday.code())
    }
}

/// A parsed RRULE value. Build it with [`RecurRule::parse`]; `Display` writes the canonical form
/// (FREQ first, then the other parts in RFC order, defaults omitted).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecurRule {
    /// FREQ (required).
    pub freq: Frequency,
    /// INTERVAL, at least 1 (default 1).
    pub interval: u32,
    /// COUNT, at least 1.
    pub count: Option<u32>,
    /// UNTIL in the form written (DATE, UTC or — invalid but common — floating DATE-TIME).
    pub until: Option<DateOrDateTime>,
    /// BYSECOND (0-60).
    pub by_second: Vec<u8>,
    /// BYMINUTE (0-59).
    pub by_minute: Vec<u8>,
    /// BYHOUR (0-23).
    pub by_hour: Vec<u8>,
    /// BYDAY.
    pub by_day: Vec<WeekdayNum>,
    /// BYMONTHDAY (1..=31 or -31..=-1).
    pub by_month_day: Vec<i8>,
    /// BYYEARDAY (1..=366 or -366..=-1).
    pub by_year_day: Vec<i16>,
    /// BYWEEKNO (1..=53 or -53..=-1).
    pub by_week_no: Vec<i8>,
    /// BYMONTH (1-12).
    pub by_month: Vec<u8>,
    /// BYSETPOS (1..=366 or -366..=-1).
    pub by_set_pos: Vec<i16>,
    /// WKST (default Monday).
    pub wkst: Weekday,
    /// `X-` parts as `(UPPER-CASE NAME, value)`, sorted by name.
    pub extensions: Vec<(String, String)>,
}

fn parse_err(rule: &str, why: impl fmt::Display) -> Error {
    Error::new(ErrorCode::Parse, format!("invalid RRULE {rule:?}: {why}"))
}

/// Parses a comma list of signed integers within `min..=max`, excluding 0 when `nonzero`;
/// sorted and de-duplicated.
fn int_list(
    rule: &str,
    name: &str,
    value: &str,
    min: i64,
    max: i64,
    nonzero: bool,
) -> Result<Vec<i64>> {
    let mut keys = Vec::new();
    for item in value.split(',').map(str::trim_ascii) {
        let digits = item.strip_prefix(['+', '-']).unwrap_or(item);
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(parse_err(
                rule,
                format_args!("{name} value {item:?} is not a number"),
            ));
        }
        let n: i64 = item
            .parse()
            .map_err(|_| parse_err(rule, format_args!("{name} value {item:?}")))?;
        if n < min || n > max || (nonzero && n == 0) {
            return Err(parse_err(
                rule,
                format_args!("{name} value {n} out of range"),
            ));
        }
        keys.push(n);
    }
    sort_keys(&mut keys);
    Ok(keys)
}

// Narrowing after `int_list` checked the range (one non-generic parser keeps wasm small).
fn to_u8(v: Vec<i64>) -> Vec<u8> {
    v.into_iter().map(|n| n as u8).collect()
}

fn to_i8(v: Vec<i64>) -> Vec<i8> {
    v.into_iter().map(|n| n as i8).collect()
}

fn to_i16(v: Vec<i64>) -> Vec<i16> {
    v.into_iter().map(|n| n as i16).collect()
}

/// A sort key for a BYDAY entry: plain weekdays first, then by ordinal, then by weekday.
fn weekday_num_key(w: &WeekdayNum) -> i64 {
    let ordinal = w.ordinal.map_or(0, |n| i64::from(n) + 100);
    ordinal * 8 + i64::from(w.weekday.index())
}

/// Sorts `(name, value)` pairs in place (insertion sort: X- parts are few).
fn sort_extensions(v: &mut [(String, String)]) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v.get(j - 1) > v.get(j) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

fn parse_weekday_num(rule: &str, item: &str) -> Result<WeekdayNum> {
    let split = item.len().saturating_sub(2);
    let (num, day) = (
        item.get(..split).unwrap_or_default(),
        item.get(split..).unwrap_or_default(),
    );
    let weekday =
        Weekday::parse(day).map_err(|_| parse_err(rule, format_args!("BYDAY {item:?}")))?;
    let ordinal = if num.is_empty() {
        None
    } else {
        let v = int_list(rule, "BYDAY", num, -53, 53, true)?;
        v.first().map(|n| *n as i8)
    };
    Ok(WeekdayNum { ordinal, weekday })
}

impl RecurRule {
    /// Parses an RRULE value (the text after `RRULE:`), see the module doc for the rules.
    pub fn parse(s: &str) -> Result<RecurRule> {
        let mut freq = None;
        let mut rule = RecurRule {
            freq: Frequency::Daily,
            interval: 1,
            count: None,
            until: None,
            by_second: Vec::new(),
            by_minute: Vec::new(),
            by_hour: Vec::new(),
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_year_day: Vec::new(),
            by_week_no: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
            wkst: Weekday::Monday,
            extensions: Vec::new(),
        };
        let mut seen: Vec<String> = Vec::new();
        for part in s.split(';') {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| parse_err(s, format_args!("part {part:?} has no '='")))?;
            let name = name.trim_ascii().to_ascii_uppercase();
            let value = value.trim_ascii();
            if value.is_empty() {
                return Err(parse_err(s, format_args!("{name} has an empty value")));
            }
            if seen.contains(&name) {
                return Err(parse_err(s, format_args!("{name} given twice")));
            }
            seen.push(name.clone());
            let upper = value.to_ascii_uppercase();
            match name.as_str() {
                "FREQ" => {
                    freq = Some(
                        Frequency::ALL
                            .into_iter()
                            .find(|f| f.name() == upper)
                            .ok_or_else(|| parse_err(s, format_args!("FREQ {value:?}")))?,
                    )
                }
                "INTERVAL" => {
                    let v = int_list(s, &name, value, 1, 9999, true)?;
                    if v.len() != 1 || value.contains(',') {
                        return Err(parse_err(s, "INTERVAL takes one number"));
                    }
                    rule.interval = v.first().map_or(1, |n| *n as u32);
                }
                "COUNT" => {
                    if value.len() > 9 || !value.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(parse_err(s, format_args!("COUNT {value:?}")));
                    }
                    let n: u32 = value
                        .parse()
                        .map_err(|_| parse_err(s, format_args!("COUNT {value:?}")))?;
                    if n == 0 {
                        return Err(parse_err(s, "COUNT=0"));
                    }
                    rule.count = Some(n);
                }
                "UNTIL" => {
                    rule.until = Some(
                        DateOrDateTime::parse(value)
                            .map_err(|e| parse_err(s, format_args!("UNTIL: {}", e.message)))?,
                    )
                }
                "BYSECOND" => rule.by_second = to_u8(int_list(s, &name, value, 0, 60, false)?),
                "BYMINUTE" => rule.by_minute = to_u8(int_list(s, &name, value, 0, 59, false)?),
                "BYHOUR" => rule.by_hour = to_u8(int_list(s, &name, value, 0, 23, false)?),
                "BYDAY" => {
                    let mut days = value
                        .split(',')
                        .map(|item| parse_weekday_num(s, item.trim_ascii()))
                        .collect::<Result<Vec<_>>>()?;
                    let mut keys: Vec<i64> = days.iter().map(weekday_num_key).collect();
                    sort_keys(&mut keys);
                    days = keys
                        .iter()
                        .filter_map(|k| days.iter().find(|d| weekday_num_key(d) == *k))
                        .copied()
                        .collect();
                    rule.by_day = days;
                }
                "BYMONTHDAY" => {
                    rule.by_month_day = to_i8(int_list(s, &name, value, -31, 31, true)?)
                }
                "BYYEARDAY" => {
                    rule.by_year_day = to_i16(int_list(s, &name, value, -366, 366, true)?)
                }
                "BYWEEKNO" => rule.by_week_no = to_i8(int_list(s, &name, value, -53, 53, true)?),
                "BYMONTH" => rule.by_month = to_u8(int_list(s, &name, value, 1, 12, false)?),
                "BYSETPOS" => rule.by_set_pos = to_i16(int_list(s, &name, value, -366, 366, true)?),
                "WKST" => {
                    rule.wkst = Weekday::parse(value)
                        .map_err(|_| parse_err(s, format_args!("WKST {value:?}")))?
                }
                "RSCALE" if upper == "GREGORIAN" => {}
                "SKIP" if upper == "OMIT" => {}
                "RSCALE" | "SKIP" => {
                    return Err(parse_err(
                        s,
                        format_args!("{name}={value} is not supported (Gregorian only)"),
                    ))
                }
                _ if name.starts_with("X-") => rule.extensions.push((name, value.to_string())),
                _ => return Err(parse_err(s, format_args!("unknown part {name}"))),
            }
        }
        rule.freq = freq.ok_or_else(|| parse_err(s, "FREQ is required"))?;
        if rule.count.is_some() && rule.until.is_some() {
            return Err(parse_err(s, "COUNT and UNTIL must not both be given"));
        }
        sort_extensions(&mut rule.extensions);
        Ok(rule)
    }

    /// Whether WKST can change the instances this rule produces (RFC 5545 3.3.10: it matters for
    /// weekly rules with INTERVAL > 1 or BYSETPOS, and for BYWEEKNO).
    pub fn wkst_matters(&self) -> bool {
        (self.freq == Frequency::Weekly && (self.interval > 1 || !self.by_set_pos.is_empty()))
            || !self.by_week_no.is_empty()
    }

    /// Semantic equality: part order, case, defaults (INTERVAL=1, WKST=MO), list order and a WKST
    /// that cannot change the result are not differences.
    pub fn same_as(&self, other: &RecurRule) -> bool {
        let wkst_equal = self.wkst == other.wkst || (!self.wkst_matters() && !other.wkst_matters());
        wkst_equal
            && RecurRule {
                wkst: Weekday::Monday,
                ..self.clone()
            } == RecurRule {
                wkst: Weekday::Monday,
                ..other.clone()
            }
    }
}

/// Compares two RRULE values semantically ([`RecurRule::same_as`]); when either does not parse,
/// falls back to comparing the texts exactly.
pub fn rrules_equivalent(a: &str, b: &str) -> bool {
    match (RecurRule::parse(a), RecurRule::parse(b)) {
        (Ok(x), Ok(y)) => x.same_as(&y),
        _ => a == b,
    }
}

fn write_list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, name: &str, v: &[T]) -> fmt::Result {
    if v.is_empty() {
        return Ok(());
    }
    write!(f, ";{name}=")?;
    for (i, x) in v.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        write!(f, "{x}")?;
    }
    Ok(())
}

impl fmt::Display for RecurRule {
    /// Canonical form: FREQ, INTERVAL (if not 1), COUNT/UNTIL, BYSECOND ... BYSETPOS, WKST (if not
    /// MO), then X- parts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FREQ={}", self.freq.name())?;
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        if let Some(c) = self.count {
            write!(f, ";COUNT={c}")?;
        }
        if let Some(u) = &self.until {
            write!(f, ";UNTIL={u}")?;
        }
        write_list(f, "BYSECOND", &self.by_second)?;
        write_list(f, "BYMINUTE", &self.by_minute)?;
        write_list(f, "BYHOUR", &self.by_hour)?;
        write_list(f, "BYDAY", &self.by_day)?;
        write_list(f, "BYMONTHDAY", &self.by_month_day)?;
        write_list(f, "BYYEARDAY", &self.by_year_day)?;
        write_list(f, "BYWEEKNO", &self.by_week_no)?;
        write_list(f, "BYMONTH", &self.by_month)?;
        write_list(f, "BYSETPOS", &self.by_set_pos)?;
        if self.wkst != Weekday::Monday {
            write!(f, ";WKST={}", self.wkst.code())?;
        }
        for (name, value) in &self.extensions {
            write!(f, ";{name}={value}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn rule(s: &str) -> TestResult<RecurRule> {
        Ok(RecurRule::parse(s)?)
    }

    #[test]
    fn parses_all_parts() -> TestResult {
        let r = rule("freq=monthly;interval=2;count=10;byday=1su,-1SU;wkst=su")?;
        assert_eq!(r.freq, Frequency::Monthly);
        assert_eq!(r.interval, 2);
        assert_eq!(r.count, Some(10));
        assert_eq!(
            r.by_day,
            vec![
                WeekdayNum {
                    ordinal: Some(-1),
                    weekday: Weekday::Sunday
                },
                WeekdayNum {
                    ordinal: Some(1),
                    weekday: Weekday::Sunday
                }
            ]
        );
        assert_eq!(r.wkst, Weekday::Sunday);
        let r = rule("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1,1;BYYEARDAY=-366,100;BYWEEKNO=-53,20;BYSETPOS=-1;BYHOUR=9,10;BYMINUTE=0,30;BYSECOND=60;UNTIL=20270112T000000Z")?;
        assert_eq!(r.by_month_day, vec![-1, 1]);
        assert_eq!(r.by_year_day, vec![-366, 100]);
        assert_eq!(r.by_week_no, vec![-53, 20]);
        assert_eq!(r.by_set_pos, vec![-1]);
        assert_eq!(r.by_hour, vec![9, 10]);
        assert_eq!(r.by_second, vec![60]);
        assert!(r.until.ok_or("no UNTIL")?.is_utc());
        assert!(rule("FREQ=DAILY;UNTIL=20270112")?
            .until
            .ok_or("no UNTIL")?
            .is_date());
        Ok(())
    }

    #[test]
    fn rejects_bad_rules() -> TestResult {
        for bad in [
            "",
            "RRULE",
            "INTERVAL=2",
            "FREQ=FORTNIGHTLY",
            "FREQ=DAILY;COUNT=0",
            "FREQ=DAILY;COUNT=-1",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;INTERVAL=2,2",
            "FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z",
            "FREQ=DAILY;FREQ=WEEKLY",
            "FREQ=DAILY;BYMONTH=13",
            "FREQ=DAILY;BYMONTH=0",
            "FREQ=DAILY;BYMONTHDAY=0",
            "FREQ=DAILY;BYMONTHDAY=32",
            "FREQ=DAILY;BYDAY=0MO",
            "FREQ=DAILY;BYDAY=54MO",
            "FREQ=DAILY;BYDAY=XX",
            "FREQ=DAILY;BYDAY=",
            "FREQ=DAILY;BYHOUR=24",
            "FREQ=DAILY;BYSETPOS=0",
            "FREQ=DAILY;UNTIL=2027",
            "FREQ=DAILY;FOO=BAR",
            "FREQ=DAILY;;",
            "FREQ=DAILY;RSCALE=HEBREW",
            "FREQ=DAILY;BYMONTH=1,,2",
            "FREQ=DAILY;BYMONTH=1, ,2",
            "FREQ=DAILY;COUNT= ",
        ] {
            assert_eq!(
                RecurRule::parse(bad).err().ok_or("expected an error")?.code,
                ErrorCode::Parse,
                "{bad}"
            );
        }
        Ok(())
    }

    #[test]
    fn formats_canonically() -> TestResult {
        assert_eq!(
            rule("BYDAY=WE,MO;UNTIL=20270301T000000Z;freq=weekly;INTERVAL=1;WKST=MO")?.to_string(),
            "FREQ=WEEKLY;UNTIL=20270301T000000Z;BYDAY=MO,WE"
        );
        assert_eq!(
            rule("FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR;X-FOO=bar")?.to_string(),
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;X-FOO=bar"
        );
        assert_eq!(
            rule(" FREQ=DAILY;BYDAY=MO, TU, WE ;COUNT=3 ")?.to_string(),
            "FREQ=DAILY;COUNT=3;BYDAY=MO,TU,WE"
        );
        assert_eq!(
            rule("RSCALE=GREGORIAN;SKIP=OMIT;FREQ=MONTHLY")?.to_string(),
            "FREQ=MONTHLY"
        );
        Ok(())
    }

    #[test]
    fn semantic_equality() {
        assert!(rrules_equivalent(
            "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270301T000000Z",
            "UNTIL=20270301T000000Z;BYDAY=WE,MO;FREQ=WEEKLY;INTERVAL=1"
        ));
        assert!(rrules_equivalent("FREQ=DAILY;WKST=SU", "FREQ=DAILY"));
        assert!(rrules_equivalent(
            "FREQ=WEEKLY;BYDAY=TU",
            "freq=weekly;byday=tu;wkst=mo"
        ));
        assert!(!rrules_equivalent(
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU"
        ));
        assert!(!rrules_equivalent(
            "FREQ=DAILY;COUNT=5",
            "FREQ=DAILY;COUNT=6"
        ));
        assert!(!rrules_equivalent("FREQ=DAILY;X-A=1", "FREQ=DAILY"));
        assert!(rrules_equivalent("garbage", "garbage"));
        assert!(!rrules_equivalent("garbage", "FREQ=DAILY"));
    }
}
