//! HTTP-date (RFC 9110 §5.6.7) to seconds since the Unix epoch.
//!
//! Recipients MUST accept all three formats: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
//! the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
//! (`Sun Nov  6 08:49:37 1994`). The day name is not checked against the date (it carries no
//! information). Decision for RFC 850 two-digit years: 00-69 → 20xx, 70-99 → 19xx (no clock is
//! available here to apply the "more than 50 years in the future" rule).

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_number(name: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| *m == name)
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn number(text: &str, min_len: usize, max_len: usize) -> Option<u32> {
    if text.len() < min_len || text.len() > max_len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn time_of_day(text: &str) -> Option<i64> {
    let mut parts = text.split(':');
    let h = number(parts.next()?, 2, 2)?;
    let m = number(parts.next()?, 2, 2)?;
    let s = number(parts.next()?, 2, 2)?;
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s))
}

fn assemble(year: i64, month: u32, day: u32, time: i64) -> Option<i64> {
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + time)
}

/// Parses an HTTP-date into seconds since the Unix epoch, or `None` when it is not one.
pub(crate) fn parse_http_date(value: &str) -> Option<i64> {
    let tokens: Vec<&str> = value.split_whitespace().collect();
    match tokens.as_slice() {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        [day_name, day, month, year, time, "GMT"] if day_name.ends_with(',') => assemble(
            i64::from(number(year, 4, 4)?),
            month_number(month)?,
            number(day, 2, 2)?,
            time_of_day(time)?,
        ),
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        [day_name, date, time, "GMT"] if day_name.ends_with(',') => {
            let mut parts = date.split('-');
            let day = number(parts.next()?, 2, 2)?;
            let month = month_number(parts.next()?)?;
            let yy = number(parts.next()?, 2, 2)?;
            if parts.next().is_some() {
                return None;
            }
            let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
            assemble(i64::from(year), month, day, time_of_day(time)?)
        }
        // asctime: Sun Nov  6 08:49:37 1994
        [_day_name, month, day, time, year] => assemble(
            i64::from(number(year, 4, 4)?),
            month_number(month)?,
            number(day, 1, 2)?,
            time_of_day(time)?,
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_formats_give_the_same_instant() {
        let expected = Some(784_111_777);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), expected);
    }

    #[test]
    fn epoch_and_leap_day() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Sat, 29 Feb 2020 00:00:00 GMT"),
            Some(1_582_934_400)
        );
    }

    #[test]
    fn invalid_dates_are_none() {
        for bad in [
            "",
            "120",
            "Sun, 30 Feb 2021 00:00:00 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }
}
