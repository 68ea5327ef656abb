//! The RRULE engine: wall-clock candidates of one rule, period by period (RFC 5545 3.3.10).
//!
//! Works on civil date-times only; zones, COUNT, UNTIL, RDATE and EXDATE are applied by the
//! caller ([`super::set`]). Each period (year, month, week, day, hour, minute or second as FREQ
//! says) yields the days that pass the BYxxx day rules, times from BYHOUR/BYMINUTE/BYSECOND (or
//! DTSTART), then BYSETPOS picks positions in that period's sorted set.
//!
//! Choices: BYDAY ordinals count within the month for MONTHLY and for YEARLY with BYMONTH, within
//! the year for YEARLY otherwise, and are ignored where RFC 5545 forbids them (other FREQs, with
//! BYWEEKNO). BYWEEKNO periods span the week-numbering year (week 1 is the WKST-started week that
//! holds January 4). Parts marked "N/A" in the RFC table (BYYEARDAY for DAILY/WEEKLY/MONTHLY,
//! BYMONTHDAY for WEEKLY, BYWEEKNO outside YEARLY) are ignored.

use super::keys::sort_keys;
use super::rule::{Frequency, RecurRule, WeekdayNum};
use crate::ical::datetime::{
    add_months_to, days_from_civil, days_in_month, days_in_year, Date, LocalDateTime, Time,
    Weekday, MAX_YEAR, SECONDS_PER_DAY,
};
use std::collections::VecDeque;
use std::sync::Arc;

/// Why a [`RuleIter`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Still running.
    Running,
    /// The calendar range (year 9999) ended: the rule is fully enumerated.
    Exhausted,
    /// The period budget ran out: later instances may exist.
    Truncated,
}

/// Wall-clock candidates of one rule at or after `start`, ascending.
pub(crate) struct RuleIter {
    rule: RecurRule,
    start: LocalDateTime,
    date_only: bool,
    /// Times of day for DAILY and longer frequencies, ascending.
    times: Arc<[Time]>,
    /// The period: year, month index (year*12+month-1), first day of the week, day number, or
    /// hour/minute/second index since the epoch, by frequency.
    anchor: i64,
    pending: Pending,
    periods_left: u64,
    stop: Stop,
}

/// Seconds in one period of a sub-daily frequency.
fn unit_seconds(freq: Frequency) -> i64 {
    match freq {
        Frequency::Hourly => 3600,
        Frequency::Minutely => 60,
        _ => 1,
    }
}

/// First day (day number) of the WKST-started week that contains January 4 of `year`.
fn week_one_start(year: i32, wkst: Weekday) -> i64 {
    let jan4 = days_from_civil(year, 1, 4);
    let back = i64::from(Weekday::from_day_number(jan4).index()) - i64::from(wkst.index());
    jan4 - back.rem_euclid(7)
}

/// `true` when `n` (positive from the start, negative from the end) names position `pos`
/// (1-based) in a span of `len` items.
fn matches_position(n: i64, pos: i64, len: i64) -> bool {
    if n > 0 {
        pos == n
    } else {
        pos == len + 1 + n
    }
}

impl RuleIter {
    /// Starts a rule at `start`; `date_only` for a DATE DTSTART (times are then ignored).
    /// `max_periods` bounds the work however sparse the rule is.
    pub(crate) fn new(
        rule: &RecurRule,
        start: LocalDateTime,
        date_only: bool,
        max_periods: u64,
    ) -> RuleIter {
        let mut rule = rule.clone();
        let d = start.date;
        // Information not in the rule comes from DTSTART (RFC 5545 3.3.10).
        let no_day_rule = rule.by_week_no.is_empty()
            && rule.by_year_day.is_empty()
            && rule.by_month_day.is_empty()
            && rule.by_day.is_empty();
        match rule.freq {
            Frequency::Yearly if no_day_rule => {
                rule.by_month_day = vec![d.day() as i8];
                if rule.by_month.is_empty() {
                    rule.by_month = vec![d.month()];
                }
            }
            Frequency::Monthly if rule.by_month_day.is_empty() && rule.by_day.is_empty() => {
                rule.by_month_day = vec![d.day() as i8];
            }
            Frequency::Weekly if rule.by_day.is_empty() => {
                rule.by_day = vec![WeekdayNum {
                    ordinal: None,
                    weekday: d.weekday(),
                }];
            }
            _ => {}
        }
        let times = if date_only {
            vec![Time::MIDNIGHT]
        } else {
            let or_start = |v: &[u8], x: u8| if v.is_empty() { vec![x] } else { v.to_vec() };
            let hours = or_start(&rule.by_hour, start.time.hour());
            let minutes = or_start(&rule.by_minute, start.time.minute());
            let seconds = or_start(&rule.by_second, start.time.second());
            let mut t = Vec::new();
            for h in &hours {
                for m in &minutes {
                    t.extend(seconds.iter().filter_map(|s| Time::new(*h, *m, *s)));
                }
            }
            // Sorted and unique: a product of sorted, de-duplicated lists.
            t
        };
        let anchor = match rule.freq {
            Frequency::Yearly => i64::from(d.year()),
            Frequency::Monthly => i64::from(d.year()) * 12 + i64::from(d.month()) - 1,
            Frequency::Weekly => {
                let back = i64::from(d.weekday().index()) - i64::from(rule.wkst.index());
                d.day_number() - back.rem_euclid(7)
            }
            Frequency::Daily => d.day_number(),
            f => start.as_utc_seconds().div_euclid(unit_seconds(f)),
        };
        RuleIter {
            rule,
            start,
            date_only,
            times: times.into(),
            anchor,
            pending: Pending::List(VecDeque::new()),
            periods_left: max_periods,
            stop: Stop::Running,
        }
    }

    /// Why the iterator stopped (or `Running`).
    pub(crate) fn stop(&self) -> Stop {
        self.stop
    }

    fn month_day_matches(&self, d: Date) -> bool {
        let dim = i64::from(days_in_month(d.year(), d.month()));
        self.rule
            .by_month_day
            .iter()
            .any(|n| matches_position(i64::from(*n), i64::from(d.day()), dim))
    }

    fn year_day_matches(&self, d: Date) -> bool {
        let len = i64::from(days_in_year(d.year()));
        self.rule
            .by_year_day
            .iter()
            .any(|n| matches_position(i64::from(*n), i64::from(d.day_of_year()), len))
    }

    fn week_no_matches(&self, d: Date) -> bool {
        let wkst = self.rule.wkst;
        let dn = d.day_number();
        let mut week_year = d.year();
        if dn >= week_one_start(week_year + 1, wkst) {
            week_year += 1;
        } else if dn < week_one_start(week_year, wkst) {
            week_year -= 1;
        }
        let first = week_one_start(week_year, wkst);
        let weeks = (week_one_start(week_year + 1, wkst) - first) / 7;
        let week = (dn - first) / 7 + 1;
        self.rule
            .by_week_no
            .iter()
            .any(|n| matches_position(i64::from(*n), week, weeks))
    }

    fn by_day_matches(&self, d: Date) -> bool {
        let weekday = d.weekday();
        let dn = d.day_number();
        // The span an ordinal counts in, if ordinals apply.
        let span = match self.rule.freq {
            Frequency::Monthly => Some((d.year(), d.month(), d.month())),
            Frequency::Yearly if !self.rule.by_month.is_empty() => {
                Some((d.year(), d.month(), d.month()))
            }
            Frequency::Yearly if self.rule.by_week_no.is_empty() => Some((d.year(), 1, 12)),
            _ => None,
        };
        self.rule.by_day.iter().any(|w| {
            if w.weekday != weekday {
                return false;
            }
            match (w.ordinal, span) {
                (Some(n), Some((year, m1, m2))) => {
                    let first = days_from_civil(year, m1, 1);
                    let last = days_from_civil(year, m2, days_in_month(year, m2));
                    let n = i64::from(n);
                    if n > 0 {
                        (dn - first) / 7 + 1 == n
                    } else {
                        (last - dn) / 7 + 1 == -n
                    }
                }
                _ => true,
            }
        })
    }

    /// Whether a day passes the day-level rules for this frequency.
    fn day_matches(&self, d: Date) -> bool {
        let r = &self.rule;
        let freq = r.freq;
        (r.by_month.is_empty() || r.by_month.contains(&d.month()))
            && (freq != Frequency::Yearly || r.by_week_no.is_empty() || self.week_no_matches(d))
            && (!(freq == Frequency::Yearly || freq.is_sub_daily())
                || r.by_year_day.is_empty()
                || self.year_day_matches(d))
            && (freq == Frequency::Weekly || r.by_month_day.is_empty() || self.month_day_matches(d))
            && (r.by_day.is_empty() || self.by_day_matches(d))
    }

    /// The day numbers of the current period, or `None` beyond year 9999.
    fn period_days(&self) -> Option<Vec<i64>> {
        let a = self.anchor;
        let range = |from: i64, to: i64| (from..=to).collect::<Vec<_>>();
        let days = match self.rule.freq {
            Frequency::Yearly => {
                let year = i32::try_from(a).ok().filter(|y| *y <= MAX_YEAR)?;
                if !self.rule.by_week_no.is_empty() {
                    let from = week_one_start(year, self.rule.wkst);
                    range(from, week_one_start(year + 1, self.rule.wkst) - 1)
                } else if !self.rule.by_month.is_empty() {
                    let mut v = Vec::new();
                    for m in &self.rule.by_month {
                        let first = days_from_civil(year, *m, 1);
                        v.extend(range(first, first + i64::from(days_in_month(year, *m)) - 1));
                    }
                    v
                } else {
                    range(days_from_civil(year, 1, 1), days_from_civil(year, 12, 31))
                }
            }
            Frequency::Monthly => {
                let (year, month) = add_months_to(0, 1, a)?;
                let first = days_from_civil(year, month, 1);
                range(first, first + i64::from(days_in_month(year, month)) - 1)
            }
            Frequency::Weekly => range(a, a + 6),
            Frequency::Daily => vec![a],
            f => vec![(a * unit_seconds(f)).div_euclid(SECONDS_PER_DAY)],
        };
        // Stop once the period starts beyond the calendar range.
        Date::from_day_number(*days.first()?)?;
        Some(days)
    }

    /// Times of the current sub-daily period, filtered by BYHOUR/BYMINUTE/BYSECOND.
    fn sub_daily_times(&self) -> Vec<Time> {
        let r = &self.rule;
        let secs = self.anchor * unit_seconds(r.freq);
        let t = Time::from_seconds_of_day(secs);
        if !r.by_hour.is_empty() && !r.by_hour.contains(&t.hour()) {
            return Vec::new();
        }
        let minutes = match r.freq {
            Frequency::Hourly if r.by_minute.is_empty() => vec![self.start.time.minute()],
            Frequency::Hourly => r.by_minute.clone(),
            _ if r.by_minute.is_empty() || r.by_minute.contains(&t.minute()) => vec![t.minute()],
            _ => return Vec::new(),
        };
        let seconds = match r.freq {
            Frequency::Secondly if r.by_second.is_empty() || r.by_second.contains(&t.second()) => {
                vec![t.second()]
            }
            Frequency::Secondly => return Vec::new(),
            _ if r.by_second.is_empty() => vec![self.start.time.second()],
            _ => r.by_second.clone(),
        };
        let mut out = Vec::new();
        for m in &minutes {
            out.extend(seconds.iter().filter_map(|s| Time::new(t.hour(), *m, *s)));
        }
        out
    }

    /// Computes the current period's candidates and advances to the next period.
    fn fill(&mut self) {
        let Some(days) = self.period_days() else {
            self.stop = Stop::Exhausted;
            return;
        };
        let freq = self.rule.freq;
        let mut matching: Vec<Date> = Vec::new();
        let mut skip_day = false;
        for dn in days {
            match Date::from_day_number(dn) {
                Some(date) if self.day_matches(date) => matching.push(date),
                Some(_) => skip_day = freq.is_sub_daily(),
                None => {}
            }
        }
        let times: Arc<[Time]> = if freq.is_sub_daily() && !matching.is_empty() {
            self.sub_daily_times().into()
        } else {
            Arc::clone(&self.times)
        };
        // The period's sorted set is the grid days x times, never materialised (a rule with
        // every BYHOUR, BYMINUTE and BYSECOND has 86 400 times a day).
        let grid = Grid {
            days: matching,
            times,
            next: 0,
        };
        if self.rule.by_set_pos.is_empty() {
            let mut grid = grid;
            grid.next = grid.first_at_or_after(self.start);
            self.pending = Pending::Grid(grid);
        } else {
            let len = grid.len();
            let mut positions: Vec<i64> = self
                .rule
                .by_set_pos
                .iter()
                .map(|n| {
                    let n = i64::from(*n);
                    if n > 0 {
                        n - 1
                    } else {
                        len + n
                    }
                })
                .collect();
            sort_keys(&mut positions);
            let picked: VecDeque<LocalDateTime> = positions
                .into_iter()
                .filter_map(|i| grid.get(i))
                .filter(|c| *c >= self.start)
                .collect();
            self.pending = Pending::List(picked);
        }
        let interval = i64::from(self.rule.interval);
        if skip_day {
            // The whole day fails the day rules: jump to the first aligned period of the next day.
            let per_day = SECONDS_PER_DAY / unit_seconds(freq);
            let next_day = (self.anchor.div_euclid(per_day) + 1) * per_day;
            let steps = (next_day - self.anchor + interval - 1) / interval;
            self.anchor += steps.max(1) * interval;
        } else if freq == Frequency::Weekly {
            self.anchor += 7 * interval;
        } else {
            self.anchor += interval;
        }
    }

    /// The next pending candidate of the current period.
    fn pop_pending(&mut self) -> Option<LocalDateTime> {
        match &mut self.pending {
            Pending::Grid(g) => {
                let x = g.get(g.next)?;
                g.next += 1;
                Some(x)
            }
            Pending::List(l) => l.pop_front(),
        }
    }
}

/// A period's candidate set: every matching day at every time, in order.
struct Grid {
    days: Vec<Date>,
    times: Arc<[Time]>,
    /// Index of the next candidate to hand out.
    next: i64,
}

impl Grid {
    fn len(&self) -> i64 {
        (self.days.len() as i64) * (self.times.len() as i64)
    }

    /// The candidate at a position, `None` outside `0..len`.
    fn get(&self, idx: i64) -> Option<LocalDateTime> {
        let per_day = i64::try_from(self.times.len()).ok().filter(|n| *n > 0)?;
        let day = self
            .days
            .get(usize::try_from(idx.div_euclid(per_day)).ok()?)?;
        let time = self
            .times
            .get(usize::try_from(idx.rem_euclid(per_day)).ok()?)?;
        (idx >= 0).then_some(LocalDateTime::new(*day, *time))
    }

    /// The first position whose candidate is at or after `start` (binary search).
    fn first_at_or_after(&self, start: LocalDateTime) -> i64 {
        let (mut lo, mut hi) = (0i64, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.get(mid).is_some_and(|c| c < start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// Candidates of the current period not yet handed out.
enum Pending {
    /// All of a grid from `next` on.
    Grid(Grid),
    /// The BYSETPOS picks.
    List(VecDeque<LocalDateTime>),
}

impl Iterator for RuleIter {
    type Item = LocalDateTime;

    fn next(&mut self) -> Option<LocalDateTime> {
        loop {
            if let Some(x) = self.pop_pending() {
                return Some(if self.date_only {
                    LocalDateTime::new(x.date, Time::MIDNIGHT)
                } else {
                    x
                });
            }
            if self.stop != Stop::Running {
                return None;
            }
            if self.periods_left == 0 {
                self.stop = Stop::Truncated;
                return None;
            }
            self.periods_left -= 1;
            self.fill();
        }
    }
}
