//! A VTIMEZONE: observances, the transitions they generate, and local <-> UTC conversion.

use std::cell::OnceCell;

use crate::error::{Error, ErrorCode, Result};
use crate::ical::datetime::{
    days_from_civil, DateOrDateTime, Instant, LocalDateTime, Period, UtcOffset, SECONDS_PER_DAY,
};
use crate::ical::recur::{sort_keys, RecurRule, RuleSource};
use crate::ical::timezone::Frame;

/// Transitions are computed up to January 1 of this year; later instants keep the last offset.
pub const TRANSITION_HORIZON_YEAR: i32 = 2400;

/// A zone first computes its transitions only up to January 1 of this year, enough for every
/// instant before it (the first transitions do not depend on the horizon); the table to
/// [`TRANSITION_HORIZON_YEAR`] is built only when a later instant is read. Expanding yearly
/// rules is most of the cost of a zone, and calendar data is mostly about this century.
const NEAR_HORIZON_YEAR: i32 = 2100;

/// Bound on the onsets one observance may generate (a hostile DAILY rule stays cheap).
const MAX_ONSETS_PER_OBSERVANCE: usize = 2_000;

/// Bound on the periods one observance rule may examine.
const MAX_PERIODS_PER_RULE: u64 = 20_000;

/// STANDARD or DAYLIGHT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObservanceKind {
    /// A `STANDARD` sub-component.
    Standard,
    /// A `DAYLIGHT` sub-component.
    Daylight,
}

/// One STANDARD or DAYLIGHT sub-component. Its onsets are DTSTART, the RRULE instances and the
/// RDATEs, all wall-clock values in TZOFFSETFROM (RFC 5545 3.6.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observance {
    /// STANDARD or DAYLIGHT.
    pub kind: ObservanceKind,
    /// The first onset, local time in `offset_from`.
    pub dtstart: LocalDateTime,
    /// TZOFFSETFROM.
    pub offset_from: UtcOffset,
    /// TZOFFSETTO.
    pub offset_to: UtcOffset,
    /// RRULE values (normally zero or one).
    pub rrules: Vec<RecurRule>,
    /// RDATE onsets, local time in `offset_from`.
    pub rdates: Vec<LocalDateTime>,
}

impl Observance {
    /// Builds an observance from the property values as written. Each `rdates` entry may be a
    /// comma list; a PERIOD contributes its start. Tolerated because real files have them: a `Z`
    /// on DTSTART/RDATE (the value is still read as local time), a DATE DTSTART/RDATE (midnight),
    /// and the offset `-0000` (read as `+0000`).
    pub fn parse(
        kind: ObservanceKind,
        dtstart: &str,
        offset_from: &str,
        offset_to: &str,
        rrules: &[&str],
        rdates: &[&str],
    ) -> Result<Observance> {
        let dtstart = DateOrDateTime::parse(dtstart)?.local();
        let mut parsed_rdates = Vec::new();
        for list in rdates {
            for item in list.split(',') {
                let value = if item.contains('/') {
                    Period::parse(item)?.start.local
                } else {
                    DateOrDateTime::parse(item)?.local()
                };
                parsed_rdates.push(value);
            }
        }
        let offset = |s: &str| match s {
            "-0000" | "-000000" => Ok(UtcOffset::ZERO),
            _ => UtcOffset::parse(s),
        };
        Ok(Observance {
            kind,
            dtstart,
            offset_from: offset(offset_from)?,
            offset_to: offset(offset_to)?,
            rrules: rrules
                .iter()
                .map(|r| RecurRule::parse(r))
                .collect::<Result<Vec<_>>>()?,
            rdates: parsed_rdates,
        })
    }

    /// The onsets as UTC instants, ascending, up to `horizon`.
    fn onsets(&self, horizon: Instant) -> Vec<Instant> {
        let frame = Frame::Fixed(self.offset_from);
        let mut out = vec![frame.to_instant(self.dtstart)];
        out.extend(self.rdates.iter().map(|r| frame.to_instant(*r)));
        for rule in &self.rrules {
            let source = RuleSource::new(rule, self.dtstart, false, frame, MAX_PERIODS_PER_RULE);
            out.extend(
                source
                    .map(|(_, instant)| instant)
                    .take_while(|i| *i < horizon)
                    .take(MAX_ONSETS_PER_OBSERVANCE),
            );
        }
        sort_keys(&mut out);
        out.truncate(MAX_ONSETS_PER_OBSERVANCE * (1 + self.rrules.len()));
        out
    }
}

/// A change of offset at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The instant of the change.
    pub at: Instant,
    /// The offset in force just before (the previous transition's `offset_after`).
    pub offset_before: UtcOffset,
    /// The offset from `at` on.
    pub offset_after: UtcOffset,
    /// The observance that starts.
    pub kind: ObservanceKind,
}

/// A VTIMEZONE with its transitions up to [`TRANSITION_HORIZON_YEAR`], computed on first use
/// (a zone no value is read in costs nothing: expanding a yearly rule to the horizon is most of
/// the work of a small call).
#[derive(Debug, Clone)]
pub struct TimeZone {
    tzid: String,
    observances: Vec<Observance>,
    /// The transitions up to [`NEAR_HORIZON_YEAR`], filled on first use.
    near: OnceCell<Table>,
    /// The transitions up to [`TRANSITION_HORIZON_YEAR`], filled on first use past the near one.
    table: OnceCell<Table>,
}

/// The precomputed transitions of a zone.
#[derive(Debug, Clone)]
struct Table {
    transitions: Vec<Transition>,
    /// The offset before the first transition (TZOFFSETFROM of the earliest onset).
    initial: UtcOffset,
}

/// Zones are equal when their TZIDs and observances are: the transitions follow from those.
impl PartialEq for TimeZone {
    fn eq(&self, other: &TimeZone) -> bool {
        self.tzid == other.tzid && self.observances == other.observances
    }
}

impl Eq for TimeZone {}

impl Table {
    /// Merges the observances' onsets into transitions up to January 1 of `year`.
    fn of(observances: &[Observance], year: i32) -> Table {
        let horizon = days_from_civil(year, 1, 1) * SECONDS_PER_DAY;
        // Merge the observances' sorted onsets (no sort of pairs: see recur::keys).
        let mut lists: Vec<(
            std::iter::Peekable<std::vec::IntoIter<Instant>>,
            &Observance,
        )> = observances
            .iter()
            .map(|o| (o.onsets(horizon).into_iter().peekable(), o))
            .collect();
        let mut raw: Vec<(Instant, &Observance)> = Vec::new();
        loop {
            let best = lists
                .iter_mut()
                .enumerate()
                .filter_map(|(i, (l, _))| l.peek().map(|at| (*at, i)))
                .min();
            let Some((at, i)) = best else { break };
            if let Some((l, o)) = lists.get_mut(i) {
                l.next();
                raw.push((at, *o));
            }
        }
        let initial = raw.first().map(|(_, o)| o.offset_from).unwrap_or_default();
        let mut transitions: Vec<Transition> = Vec::with_capacity(raw.len());
        let mut before = initial;
        for (at, o) in raw {
            transitions.push(Transition {
                at,
                offset_before: before,
                offset_after: o.offset_to,
                kind: o.kind,
            });
            before = o.offset_to;
        }
        Table {
            transitions,
            initial,
        }
    }
}

impl TimeZone {
    /// A time zone; at least one observance is required (RFC 5545 3.6.5), otherwise `PARSE`.
    pub fn new(tzid: impl Into<String>, observances: Vec<Observance>) -> Result<TimeZone> {
        let tzid = tzid.into();
        if observances.is_empty() {
            return Err(Error::new(
                ErrorCode::Parse,
                format!("VTIMEZONE {tzid:?} has no STANDARD or DAYLIGHT component"),
            ));
        }
        Ok(TimeZone {
            tzid,
            observances,
            near: OnceCell::new(),
            table: OnceCell::new(),
        })
    }

    /// The whole transitions table, computed on first use.
    fn table(&self) -> &Table {
        self.table
            .get_or_init(|| Table::of(&self.observances, TRANSITION_HORIZON_YEAR))
    }

    /// A table that is exact around `instant` (two days either side): the near one when the
    /// instant is well before its horizon, else the whole one.
    fn table_for(&self, instant: Instant) -> &Table {
        let near_horizon = days_from_civil(NEAR_HORIZON_YEAR, 1, 1) * SECONDS_PER_DAY;
        if instant < near_horizon - 2 * SECONDS_PER_DAY {
            self.near
                .get_or_init(|| Table::of(&self.observances, NEAR_HORIZON_YEAR))
        } else {
            self.table()
        }
    }

    /// Finds the zone with this TZID (exact match, as RFC 5545 TZID parameters refer to it).
    /// `None` is the "unknown TZID" outcome the caller must report.
    pub fn find<'a>(zones: &'a [TimeZone], tzid: &str) -> Option<&'a TimeZone> {
        zones.iter().find(|z| z.tzid == tzid)
    }

    /// The TZID.
    pub fn tzid(&self) -> &str {
        &self.tzid
    }

    /// The observances as given.
    pub fn observances(&self) -> &[Observance] {
        &self.observances
    }

    /// The transitions, ascending by instant.
    pub fn transitions(&self) -> &[Transition] {
        &self.table().transitions
    }

    /// The offset in force at an instant.
    pub fn offset_at(&self, instant: Instant) -> UtcOffset {
        let table = self.table_for(instant);
        let idx = table.transitions.partition_point(|t| t.at <= instant);
        idx.checked_sub(1)
            .and_then(|i| table.transitions.get(i))
            .map_or(table.initial, |t| t.offset_after)
    }

    /// The offset of period `k` (0 = before the first transition) of `table`.
    fn period_offset(table: &Table, k: usize) -> UtcOffset {
        k.checked_sub(1)
            .and_then(|i| table.transitions.get(i))
            .map_or(table.initial, |t| t.offset_after)
    }

    /// The UTC instant of a wall-clock time in this zone (RFC 5545 3.3.5): an ambiguous time
    /// (overlap) is its first occurrence; a nonexistent time (gap) is read with the offset
    /// before the transition, so 02:30 in a 02:00->03:00 gap becomes 03:30.
    pub fn to_utc(&self, local: LocalDateTime) -> Instant {
        let l = local.as_utc_seconds();
        let table = self.table_for(l);
        let transitions = &table.transitions;
        let lo = transitions.partition_point(|t| t.at < l - SECONDS_PER_DAY);
        let hi = transitions.partition_point(|t| t.at <= l + SECONDS_PER_DAY);
        // Period k spans [transitions[k-1].at, transitions[k].at).
        for k in lo..=hi {
            let o = i64::from(Self::period_offset(table, k).seconds());
            let t = l - o;
            let after_start = k
                .checked_sub(1)
                .and_then(|i| transitions.get(i))
                .is_none_or(|tr| t >= tr.at);
            let before_end = transitions.get(k).is_none_or(|tr| t < tr.at);
            if after_start && before_end {
                return t;
            }
        }
        for tr in transitions.get(lo..hi).unwrap_or_default() {
            let from = i64::from(tr.offset_before.seconds());
            let to = i64::from(tr.offset_after.seconds());
            if l >= tr.at + from && l < tr.at + to {
                return l - from;
            }
        }
        l - i64::from(self.offset_at(l).seconds())
    }

    /// The wall-clock time in this zone of an instant (`None` outside years 0-9999).
    pub fn to_local(&self, instant: Instant) -> Option<LocalDateTime> {
        LocalDateTime::from_utc_seconds(instant + i64::from(self.offset_at(instant).seconds()))
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
pub(crate) mod tests {
    use super::*;
    use crate::ical::datetime::DateTime;

    use crate::test_support::TestResult;

    /// America/New_York as Apple and the RFC write it (two yearly rules since 2007).
    pub(crate) fn new_york() -> TestResult<TimeZone> {
        Ok(TimeZone::new(
            "America/New_York",
            vec![
                Observance::parse(
                    ObservanceKind::Daylight,
                    "19670430T020000",
                    "-0500",
                    "-0400",
                    &["FREQ=YEARLY;BYMONTH=4;BYDAY=-1SU;UNTIL=19730429T070000Z"],
                    &[],
                )?,
                Observance::parse(
                    ObservanceKind::Standard,
                    "19671029T020000",
                    "-0400",
                    "-0500",
                    &["FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z"],
                    &[],
                )?,
                Observance::parse(
                    ObservanceKind::Daylight,
                    "19740106T020000",
                    "-0500",
                    "-0400",
                    &[],
                    &["19740106T020000,19750223T020000"],
                )?,
                Observance::parse(
                    ObservanceKind::Daylight,
                    "19760425T020000",
                    "-0500",
                    "-0400",
                    &["FREQ=YEARLY;BYMONTH=4;BYDAY=-1SU;UNTIL=19860427T070000Z"],
                    &[],
                )?,
                Observance::parse(
                    ObservanceKind::Daylight,
                    "19870405T020000",
                    "-0500",
                    "-0400",
                    &["FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z"],
                    &[],
                )?,
                Observance::parse(
                    ObservanceKind::Daylight,
                    "20070311T020000",
                    "-0500",
                    "-0400",
                    &["FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"],
                    &[],
                )?,
                Observance::parse(
                    ObservanceKind::Standard,
                    "20071104T020000",
                    "-0400",
                    "-0500",
                    &["FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"],
                    &[],
                )?,
            ],
        )?)
    }

    /// Europe/Berlin as Outlook/Google write it (one pair of rules).
    pub(crate) fn berlin() -> TestResult<TimeZone> {
        Ok(TimeZone::new(
            "Europe/Berlin",
            vec![
                Observance::parse(
                    ObservanceKind::Daylight,
                    "19810329T020000",
                    "+0100",
                    "+0200",
                    &["FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"],
                    &[],
                )?,
                Observance::parse(
                    ObservanceKind::Standard,
                    "19961027T030000",
                    "+0200",
                    "+0100",
                    &["FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"],
                    &[],
                )?,
            ],
        )?)
    }

    fn local(s: &str) -> TestResult<LocalDateTime> {
        Ok(DateTime::parse(s)?.local)
    }

    fn utc(s: &str) -> TestResult<Instant> {
        Ok(DateTime::parse(s)?.local.as_utc_seconds())
    }

    #[test]
    fn new_york_plain_times() -> TestResult {
        let tz = new_york()?;
        assert_eq!(
            tz.to_utc(local("19970902T090000")?),
            utc("19970902T130000Z")?
        );
        assert_eq!(
            tz.to_utc(local("19971224T090000")?),
            utc("19971224T140000Z")?
        );
        assert_eq!(
            tz.to_utc(local("20270112T090000")?),
            utc("20270112T140000Z")?
        );
        assert_eq!(
            tz.to_utc(local("20270712T090000")?),
            utc("20270712T130000Z")?
        );
        // 1974/1975 RDATE observance: DST in January 1974.
        assert_eq!(
            tz.to_utc(local("19740201T120000")?),
            utc("19740201T160000Z")?
        );
        assert_eq!(tz.offset_at(utc("19740201T160000Z")?).seconds(), -4 * 3600);
        // Before the first onset: the earliest TZOFFSETFROM.
        assert_eq!(
            tz.to_utc(local("19500101T000000")?),
            utc("19500101T050000Z")?
        );
        // Beyond the horizon: the last offset stays.
        assert_eq!(tz.offset_at(utc("25000101T000000Z")?).seconds(), -5 * 3600);
        Ok(())
    }

    #[test]
    fn new_york_gap_and_overlap() -> TestResult {
        let tz = new_york()?;
        // 2027-03-14 02:00 EST -> 03:00 EDT: 02:30 does not exist, read with -05:00.
        assert_eq!(
            tz.to_utc(local("20270314T023000")?),
            utc("20270314T073000Z")?
        );
        assert_eq!(
            tz.to_local(utc("20270314T073000Z")?)
                .ok_or("no local time")?,
            local("20270314T033000")?
        );
        assert_eq!(
            tz.to_utc(local("20270314T015959")?),
            utc("20270314T065959Z")?
        );
        assert_eq!(
            tz.to_utc(local("20270314T030000")?),
            utc("20270314T070000Z")?
        );
        // 2027-11-07 02:00 EDT -> 01:00 EST: 01:30 happens twice, the first one (EDT) wins.
        assert_eq!(
            tz.to_utc(local("20271107T013000")?),
            utc("20271107T053000Z")?
        );
        assert_eq!(
            tz.to_local(utc("20271107T063000Z")?)
                .ok_or("no local time")?,
            local("20271107T013000")?
        );
        assert_eq!(
            tz.to_utc(local("20271107T020000")?),
            utc("20271107T070000Z")?
        );
        // Old rules: 1997 last Sunday of October (Oct 26), first Sunday of April (Apr 6).
        assert_eq!(
            tz.to_utc(local("19971026T013000")?),
            utc("19971026T053000Z")?
        );
        assert_eq!(
            tz.to_utc(local("19970406T023000")?),
            utc("19970406T073000Z")?
        );
        assert_eq!(tz.offset_at(utc("19971026T060000Z")?).seconds(), -5 * 3600);
        assert_eq!(tz.offset_at(utc("19971026T055959Z")?).seconds(), -4 * 3600);
        Ok(())
    }

    #[test]
    fn berlin_gap_and_overlap() -> TestResult {
        let tz = berlin()?;
        assert_eq!(
            tz.to_utc(local("20270112T100000")?),
            utc("20270112T090000Z")?
        );
        assert_eq!(
            tz.to_utc(local("20270712T100000")?),
            utc("20270712T080000Z")?
        );
        // 2027-03-28 02:00 CET -> 03:00 CEST.
        assert_eq!(
            tz.to_utc(local("20270328T023000")?),
            utc("20270328T013000Z")?
        );
        assert_eq!(
            tz.to_local(utc("20270328T013000Z")?)
                .ok_or("no local time")?,
            local("20270328T033000")?
        );
        // 2027-10-31 03:00 CEST -> 02:00 CET: 02:30 twice, CEST first.
        assert_eq!(
            tz.to_utc(local("20271031T023000")?),
            utc("20271031T003000Z")?
        );
        assert_eq!(
            tz.to_local(utc("20271031T013000Z")?)
                .ok_or("no local time")?,
            local("20271031T023000")?
        );
        assert_eq!(
            tz.to_utc(local("20271031T030000")?),
            utc("20271031T020000Z")?
        );
        let t = tz.transitions();
        assert!(t.windows(2).all(|w| w[0].at < w[1].at));
        let since_1997 = utc("19970101T000000Z")?;
        assert!(t
            .iter()
            .filter(|x| x.at > since_1997)
            .all(|x| x.offset_before != x.offset_after));
        Ok(())
    }

    #[test]
    fn outlook_1601_start_is_cheap_and_right() -> TestResult {
        let tz = TimeZone::new(
            "W. Europe Standard Time",
            vec![
                Observance::parse(
                    ObservanceKind::Standard,
                    "16010101T030000",
                    "+0200",
                    "+0100",
                    &["FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"],
                    &[],
                )?,
                Observance::parse(
                    ObservanceKind::Daylight,
                    "16010101T020000",
                    "+0100",
                    "+0200",
                    &["FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"],
                    &[],
                )?,
            ],
        )?;
        assert_eq!(
            tz.to_utc(local("20270712T100000")?),
            utc("20270712T080000Z")?
        );
        assert_eq!(
            tz.to_utc(local("20270112T100000")?),
            utc("20270112T090000Z")?
        );
        assert!(tz.transitions().len() < 2 * 2_000);
        Ok(())
    }

    #[test]
    fn the_near_table_agrees_with_the_whole_one() -> TestResult {
        for tz in [new_york()?, berlin()?] {
            let whole = tz.table();
            let offset = |t: Instant| {
                let i = whole.transitions.partition_point(|tr| tr.at <= t);
                i.checked_sub(1)
                    .and_then(|i| whole.transitions.get(i))
                    .map_or(whole.initial, |tr| tr.offset_after)
            };
            let start = days_from_civil(1960, 1, 1) * SECONDS_PER_DAY;
            let end = days_from_civil(2110, 1, 1) * SECONDS_PER_DAY;
            // Every 13 hours across the near horizon, so both tables and the switch are read.
            let mut t = start;
            while t < end {
                assert_eq!(tz.offset_at(t), offset(t), "{} at {t}", tz.tzid());
                t += 13 * 3600;
            }
            assert!(tz.near.get().is_some() && tz.table.get().is_some());
        }
        Ok(())
    }

    #[test]
    fn find_and_errors() -> TestResult {
        let zones = vec![berlin()?, new_york()?];
        assert_eq!(
            TimeZone::find(&zones, "America/New_York")
                .ok_or("zone not found")?
                .tzid(),
            "America/New_York"
        );
        assert!(TimeZone::find(&zones, "Mars/Olympus").is_none());
        assert_eq!(
            TimeZone::new("X", vec![])
                .err()
                .ok_or("expected an error")?
                .code,
            ErrorCode::Parse
        );
        assert!(
            Observance::parse(ObservanceKind::Standard, "1997", "+0100", "+0200", &[], &[])
                .is_err()
        );
        assert!(Observance::parse(
            ObservanceKind::Standard,
            "19970101T000000",
            "+01",
            "+0200",
            &[],
            &[]
        )
        .is_err());
        assert!(Observance::parse(
            ObservanceKind::Standard,
            "19970101T000000",
            "+0100",
            "+0200",
            &["FREQ=NEVER"],
            &[]
        )
        .is_err());
        assert!(Observance::parse(
            ObservanceKind::Standard,
            "19970101T000000",
            "+0100",
            "+0200",
            &[],
            &["1997"]
        )
        .is_err());
        let o = Observance::parse(
            ObservanceKind::Standard,
            "19970101T000000",
            "+0100",
            "+0200",
            &[],
            &["19980101T000000/PT1H"],
        )?;
        assert_eq!(o.rdates.len(), 1);
        Ok(())
    }

    #[test]
    fn hostile_daily_rule_is_bounded() -> TestResult {
        let tz = TimeZone::new(
            "Hostile",
            vec![Observance::parse(
                ObservanceKind::Standard,
                "19000101T000000",
                "+0100",
                "+0200",
                &["FREQ=SECONDLY"],
                &[],
            )?],
        )?;
        assert!(tz.transitions().len() <= 2 * 2_000);
        assert_eq!(tz.offset_at(utc("20270101T000000Z")?).seconds(), 7200);
        Ok(())
    }
}
