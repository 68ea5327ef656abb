//! A recurrence set (RFC 5545 3.8.5): DTSTART, RRULEs, RDATEs minus EXDATEs, expanded lazily in
//! instant order under hard limits, and the instance test the reply and merge helpers need.

use super::expand::{RuleIter, Stop};
use super::keys::sort_keys;
use super::rule::RecurRule;
use crate::error::{Error, ErrorCode, Result};
use crate::ical::datetime::{Date, DateOrDateTime, DateTime, Instant, LocalDateTime, Time};
use crate::ical::timezone::{Frame, TimeValue};

/// Two days: larger than any offset difference, so a search may stop this far past its target
/// even though DST gaps make instants of consecutive wall-clock times slightly non-monotonic.
const SEARCH_SLACK: i64 = 2 * 86_400;

/// Bounds on an expansion so that an unbounded or pathological rule always ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpansionLimits {
    /// At most this many instances are produced (default 100 000).
    pub max_instances: usize,
    /// Each rule examines at most this many periods (years, months, weeks, days...; default
    /// 1 000 000), so a rule that matches nothing (`BYMONTH=2;BYMONTHDAY=30`) ends.
    pub max_periods: u64,
    /// Stop after this instant (inclusive bound), if given.
    pub end: Option<Instant>,
}

impl Default for ExpansionLimits {
    fn default() -> Self {
        ExpansionLimits {
            max_instances: 100_000,
            max_periods: 1_000_000,
            end: None,
        }
    }
}

/// One instance: its start in the form of the series' DTSTART (DATE, UTC, or wall-clock in the
/// DTSTART zone / floating), and its instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instance {
    /// The original start, in DTSTART's value form (use it as a RECURRENCE-ID value).
    pub start: DateOrDateTime,
    /// The instant (DATE and floating read as UTC).
    pub instant: Instant,
}

/// The outcome of looking a RECURRENCE-ID up in a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceMatch {
    /// The id names this instance.
    Found(Instance),
    /// The id names no instance (it is not generated, or it is excluded by EXDATE).
    NotFound,
    /// The expansion limits were reached before the id was passed: no verdict.
    Undecided,
}

/// UNTIL, resolved against the series.
#[derive(Debug, Clone, Copy)]
enum UntilBound {
    /// A DATE: instances whose wall-clock date is on or before it.
    Date(Date),
    /// A floating DATE-TIME (invalid with a zoned DTSTART but common in VTIMEZONEs): wall clock.
    Local(LocalDateTime),
    /// A UTC DATE-TIME: instants.
    Instant(Instant),
}

/// One RRULE with COUNT and UNTIL applied: `(wall-clock, instant)` pairs after DTSTART.
pub(crate) struct RuleSource<'z> {
    iter: RuleIter,
    frame: Frame<'z>,
    start: LocalDateTime,
    count_left: Option<u32>,
    until: Option<UntilBound>,
    done: bool,
}

impl<'z> RuleSource<'z> {
    /// A rule started at `start` (a wall-clock value in `frame`). DTSTART itself is not produced
    /// but counts as the first occurrence for COUNT (RFC 5545 3.3.10).
    pub(crate) fn new(
        rule: &RecurRule,
        start: LocalDateTime,
        date_only: bool,
        frame: Frame<'z>,
        max_periods: u64,
    ) -> RuleSource<'z> {
        let until = rule.until.map(|u| match u {
            DateOrDateTime::Date(d) => UntilBound::Date(d),
            DateOrDateTime::DateTime(dt) if dt.utc => {
                UntilBound::Instant(dt.local.as_utc_seconds())
            }
            DateOrDateTime::DateTime(dt) => UntilBound::Local(dt.local),
        });
        RuleSource {
            iter: RuleIter::new(rule, start, date_only, max_periods),
            frame,
            start,
            count_left: rule.count.map(|c| c.saturating_sub(1)),
            until,
            done: false,
        }
    }

    /// `true` when the rule stopped on its period budget rather than its own end.
    pub(crate) fn truncated(&self) -> bool {
        self.iter.stop() == Stop::Truncated
    }
}

impl Iterator for RuleSource<'_> {
    type Item = (LocalDateTime, Instant);

    fn next(&mut self) -> Option<(LocalDateTime, Instant)> {
        loop {
            if self.done || self.count_left == Some(0) {
                return None;
            }
            let Some(local) = self.iter.next() else {
                self.done = true;
                return None;
            };
            if local == self.start {
                continue;
            }
            let instant = self.frame.to_instant(local);
            let within = match self.until {
                None => true,
                Some(UntilBound::Date(d)) => local.date <= d,
                Some(UntilBound::Local(l)) => local <= l,
                Some(UntilBound::Instant(u)) => instant <= u,
            };
            if !within {
                self.done = true;
                return None;
            }
            if let Some(c) = self.count_left.as_mut() {
                *c -= 1;
            }
            return Some((local, instant));
        }
    }
}

/// A recurrence set: the master component's DTSTART, RRULE(s), RDATEs and EXDATEs.
#[derive(Debug, Clone)]
pub struct RecurrenceSet<'z> {
    dtstart: TimeValue<'z>,
    rules: Vec<RecurRule>,
    rdates: Vec<TimeValue<'z>>,
    exdates: Vec<TimeValue<'z>>,
    limits: ExpansionLimits,
}

impl<'z> RecurrenceSet<'z> {
    /// A set holding only DTSTART (a non-recurring component has exactly that instance).
    pub fn new(dtstart: TimeValue<'z>) -> RecurrenceSet<'z> {
        RecurrenceSet {
            dtstart,
            rules: Vec::new(),
            rdates: Vec::new(),
            exdates: Vec::new(),
            limits: ExpansionLimits::default(),
        }
    }

    /// Adds an RRULE value (several are deprecated by RFC 5545 but still met). Errors with
    /// `PARSE` on a bad rule, or a SECONDLY/MINUTELY/HOURLY rule on a DATE DTSTART.
    pub fn add_rrule(&mut self, rrule: &str) -> Result<()> {
        self.add_rule(RecurRule::parse(rrule)?)
    }

    /// Adds a parsed rule (see [`RecurrenceSet::add_rrule`]).
    pub fn add_rule(&mut self, rule: RecurRule) -> Result<()> {
        if self.dtstart.value.is_date() && rule.freq.is_sub_daily() {
            return Err(Error::new(
                ErrorCode::Parse,
                format!("FREQ={} needs a DATE-TIME DTSTART", rule.freq.name()),
            ));
        }
        self.rules.push(rule);
        Ok(())
    }

    /// Adds an RDATE value.
    pub fn add_rdate(&mut self, rdate: TimeValue<'z>) {
        self.rdates.push(rdate);
    }

    /// Adds an EXDATE value.
    pub fn add_exdate(&mut self, exdate: TimeValue<'z>) {
        self.exdates.push(exdate);
    }

    /// Replaces the expansion limits.
    pub fn set_limits(&mut self, limits: ExpansionLimits) {
        self.limits = limits;
    }

    /// The expansion limits in force.
    pub fn limits(&self) -> ExpansionLimits {
        self.limits
    }

    /// The DTSTART the set was built from.
    pub fn dtstart(&self) -> TimeValue<'z> {
        self.dtstart
    }

    /// `true` when DTSTART is a DATE (an all-day series).
    fn date_only(&self) -> bool {
        self.dtstart.value.is_date()
    }

    /// The instant of a value as this series reads it: floating values in the series' frame,
    /// DATE values at midnight floating.
    fn instant_in_series(&self, v: &TimeValue<'_>) -> Instant {
        if v.is_floating() {
            self.dtstart.frame().to_instant(v.value.local())
        } else {
            v.instant()
        }
    }

    /// An instance from a wall-clock value in the series frame.
    fn instance_at(&self, local: LocalDateTime, instant: Instant) -> Instance {
        let start = if self.date_only() {
            DateOrDateTime::Date(local.date)
        } else {
            DateOrDateTime::DateTime(DateTime {
                local,
                utc: self.dtstart.value.is_utc(),
            })
        };
        Instance { start, instant }
    }

    /// The instances in instant order, lazily, within the limits.
    pub fn instances(&self) -> Instances<'_, 'z> {
        let frame = if self.date_only() {
            Frame::Floating
        } else {
            self.dtstart.frame()
        };
        let start = self.dtstart.value.local();
        let first = self.instance_at(start, frame.to_instant(start));
        let sources = self
            .rules
            .iter()
            .map(|r| {
                let mut s =
                    RuleSource::new(r, start, self.date_only(), frame, self.limits.max_periods);
                let head = s.next();
                (s, head)
            })
            .collect();
        // RDATEs and EXDATEs become sorted i64 keys (instants, day numbers): see super::keys.
        let mut rdates: Vec<Instant> = self
            .rdates
            .iter()
            .map(|r| {
                if self.date_only() {
                    Frame::Floating.to_instant(LocalDateTime::new(r.value.date(), Time::MIDNIGHT))
                } else {
                    self.instant_in_series(r)
                }
            })
            .collect();
        sort_keys(&mut rdates);
        let mut ex_instants = Vec::new();
        let mut ex_days = Vec::new();
        for x in &self.exdates {
            match x.value {
                DateOrDateTime::Date(d) => ex_days.push(d.day_number()),
                DateOrDateTime::DateTime(dt) if self.date_only() => {
                    ex_days.push(dt.local.date.day_number())
                }
                DateOrDateTime::DateTime(_) => ex_instants.push(self.instant_in_series(x)),
            }
        }
        sort_keys(&mut ex_instants);
        sort_keys(&mut ex_days);
        Instances {
            first: Some(first),
            sources,
            rdates,
            rdate_pos: 0,
            ex_instants,
            ex_days,
            last: None,
            emitted: 0,
            limits: self.limits,
            hit_limit: false,
            set: self,
        }
    }

    /// Looks a RECURRENCE-ID up, comparing as the issue asks: DATE ids by date (against the
    /// wall-clock date of the instance in the DTSTART zone), DATE-TIME ids by instant (UTC and
    /// TZID forms of one instant are the same instance; a floating id is read in the DTSTART
    /// zone). On a DATE series a DATE-TIME id matches by the date it is written with. Stops as
    /// soon as the instances have passed the id.
    pub fn find_instance(&self, id: &TimeValue<'_>) -> InstanceMatch {
        let mut it = self.instances();
        let series_date = self.date_only();
        let id_instant = self.instant_in_series(id);
        let id_date = id.value.date();
        let by_date = series_date || id.value.is_date();
        let stop_date = id_date.add_days(1).unwrap_or(id_date);
        for inst in it.by_ref() {
            if by_date {
                let d = inst.start.date();
                if d == id_date {
                    return InstanceMatch::Found(inst);
                }
                if d > stop_date {
                    return InstanceMatch::NotFound;
                }
            } else {
                if inst.instant == id_instant {
                    return InstanceMatch::Found(inst);
                }
                if inst.instant > id_instant.saturating_add(SEARCH_SLACK) {
                    return InstanceMatch::NotFound;
                }
            }
        }
        if it.truncated() {
            InstanceMatch::Undecided
        } else {
            InstanceMatch::NotFound
        }
    }

    /// The end of `instance` for a master whose end is given by DTEND/DUE `end`: the same exact
    /// duration as the master (RFC 5545 3.8.5.3), written in `end`'s own form and zone. All-day
    /// masters (DATE DTSTART and DATE end) keep the same number of days. `None` out of range.
    ///
    /// Two edge cases: a DATE-TIME end on an all-day series (RFC 5545 wants the same type, but it
    /// is met) moves by whole days and stays a DATE-TIME; an end whose wall-clock time occurs
    /// twice in its zone and means the second occurrence (the fall-back hour) is written in UTC,
    /// since a local time there reads as the first one (RFC 5545 §3.3.5).
    pub fn instance_end(&self, end: &TimeValue<'z>, instance: &Instance) -> Option<TimeValue<'z>> {
        // Whole days from the series' first day to this instance's.
        let days = instance.start.date().day_number() - self.dtstart.value.date().day_number();
        if end.value.is_date() {
            let date = end.value.date().add_days(days)?;
            return Some(TimeValue::new(DateOrDateTime::Date(date), None));
        }
        if self.date_only() {
            let local = end.value.local();
            let moved = LocalDateTime::new(local.date.add_days(days)?, local.time);
            let value = DateOrDateTime::DateTime(DateTime {
                local: moved,
                utc: end.value.is_utc(),
            });
            return Some(TimeValue::new(value, end.zone));
        }
        let exact = self.instant_in_series(end) - self.dtstart.instant();
        let instant = instance.instant.checked_add(exact)?;
        if end.is_floating() {
            // Floating stays floating, read on the series' own wall clock.
            let local = self.dtstart.frame().to_local(instant)?;
            let value = DateOrDateTime::DateTime(DateTime { local, utc: false });
            return Some(TimeValue::new(value, None));
        }
        TimeValue::at_instant(instant, end.frame(), end.value.is_utc(), end.zone)
    }

    /// `true` when `id` names an instance ([`RecurrenceSet::find_instance`] found it).
    pub fn is_instance(&self, id: &TimeValue<'_>) -> bool {
        matches!(self.find_instance(id), InstanceMatch::Found(_))
    }

    /// The instant that identifies the instance `id` names, for use as a matching key (the
    /// merge's "TZID vs UTC vs DATE forms of the same instance are the same key"); `None` when
    /// `id` names no instance or the limits left it undecided.
    pub fn instance_key(&self, id: &TimeValue<'_>) -> Option<Instant> {
        match self.find_instance(id) {
            InstanceMatch::Found(i) => Some(i.instant),
            _ => None,
        }
    }
}

/// The lazy iterator of [`RecurrenceSet::instances`].
pub struct Instances<'s, 'z> {
    first: Option<Instance>,
    sources: Vec<(RuleSource<'z>, Option<(LocalDateTime, Instant)>)>,
    /// RDATE instants, sorted.
    rdates: Vec<Instant>,
    rdate_pos: usize,
    ex_instants: Vec<Instant>,
    /// EXDATE day numbers, sorted.
    ex_days: Vec<i64>,
    last: Option<Instant>,
    emitted: usize,
    limits: ExpansionLimits,
    hit_limit: bool,
    set: &'s RecurrenceSet<'z>,
}

impl Instances<'_, '_> {
    /// `true` when the expansion stopped on a limit (`max_instances` or `max_periods`) rather
    /// than on the end of the set or `limits.end`: later instances may exist.
    pub fn truncated(&self) -> bool {
        self.hit_limit || self.sources.iter().any(|(s, _)| s.truncated())
    }

    fn excluded(&self, inst: &Instance) -> bool {
        let day = inst.start.date().day_number();
        self.ex_days.binary_search(&day).is_ok()
            || (!self.set.date_only() && self.ex_instants.binary_search(&inst.instant).is_ok())
    }

    /// The next candidate in instant order, before EXDATE and limits.
    fn next_candidate(&mut self) -> Option<Instance> {
        loop {
            let rule_best = self
                .sources
                .iter()
                .enumerate()
                .filter_map(|(i, (_, head))| head.map(|(_, instant)| (instant, i)))
                .min();
            let rdate = self.rdates.get(self.rdate_pos).copied();
            let first = self.first.map(|f| f.instant);
            // DTSTART first on ties, then rule instances, then RDATEs (which may precede DTSTART).
            let best = [first, rule_best.map(|(t, _)| t), rdate]
                .into_iter()
                .flatten()
                .min()?;
            if first == Some(best) {
                return self.first.take();
            }
            if let Some((instant, i)) = rule_best.filter(|(t, _)| *t == best) {
                let (source, head) = self.sources.get_mut(i)?;
                let (local, _) = head.take()?;
                *head = source.next();
                return Some(self.set.instance_at(local, instant));
            }
            self.rdate_pos += 1;
            let frame = if self.set.date_only() {
                Frame::Floating
            } else {
                self.set.dtstart.frame()
            };
            // An RDATE whose wall clock falls outside years 0-9999 is dropped.
            if let Some(local) = frame.to_local(best) {
                return Some(self.set.instance_at(local, best));
            }
        }
    }
}

impl Iterator for Instances<'_, '_> {
    type Item = Instance;

    fn next(&mut self) -> Option<Instance> {
        loop {
            if self.emitted >= self.limits.max_instances {
                self.hit_limit = true;
                return None;
            }
            let inst = self.next_candidate()?;
            if self.limits.end.is_some_and(|end| inst.instant > end) {
                self.sources.clear();
                self.rdate_pos = self.rdates.len();
                return None;
            }
            if self.last == Some(inst.instant) || self.excluded(&inst) {
                continue;
            }
            self.last = Some(inst.instant);
            self.emitted += 1;
            return Some(inst);
        }
    }
}
