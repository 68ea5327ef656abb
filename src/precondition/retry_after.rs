//! `Retry-After` (RFC 9110 §10.2.3): `HTTP-date / delay-seconds`, turned into seconds.
//!
//! Decisions:
//! - delay-seconds is `1*DIGIT`; values beyond `u32::MAX` are capped (a century is "later").
//! - An HTTP-date is measured against the response's own `Date` header (RFC 9110 §6.6.1), so the
//!   answer does not depend on the client's clock; a date in the past gives 0. Without a usable
//!   `Date` the delay cannot be computed and the caller reports a warning instead.

use super::http_date::parse_http_date;

/// Seconds to wait, or a message saying why the value cannot be used.
pub(crate) fn parse_retry_after(
    value: &str,
    date_header: Option<&str>,
) -> std::result::Result<u32, String> {
    let value = value.trim_matches(|c| c == ' ' || c == '\t');
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Ok(u32::try_from(seconds).unwrap_or(u32::MAX));
    }
    let Some(at) = parse_http_date(value) else {
        return Err(format!(
            "Retry-After {value:?} is neither delay-seconds nor an HTTP-date (RFC 9110 §10.2.3)"
        ));
    };
    let Some(now) = date_header.and_then(parse_http_date) else {
        return Err(format!(
            "Retry-After {value:?} is an HTTP-date but the response has no usable Date header to \
             measure it against; wait until that time"
        ));
    };
    let seconds = at.saturating_sub(now).max(0);
    Ok(u32::try_from(seconds).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn delay_seconds() {
        assert_eq!(parse_retry_after("120", None), Ok(120));
        assert_eq!(parse_retry_after(" 0 ", None), Ok(0));
        assert_eq!(
            parse_retry_after("99999999999999999999999", None),
            Ok(u32::MAX)
        );
    }

    #[test]
    fn http_date_against_the_date_header() {
        assert_eq!(
            parse_retry_after(
                "Fri, 31 Dec 1999 23:59:59 GMT",
                Some("Fri, 31 Dec 1999 23:58:59 GMT")
            ),
            Ok(60)
        );
        assert_eq!(
            parse_retry_after(
                "Fri, 31 Dec 1999 23:00:00 GMT",
                Some("Fri, 31 Dec 1999 23:58:59 GMT")
            ),
            Ok(0)
        );
    }

    #[test]
    fn unusable_values_explain_themselves() -> TestResult {
        assert!(parse_retry_after("Fri, 31 Dec 1999 23:59:59 GMT", None)
            .err()
            .ok_or("expected an error")?
            .contains("Date header"));
        assert!(parse_retry_after("soon", None)
            .err()
            .ok_or("expected an error")?
            .contains("neither"));
        assert!(parse_retry_after("-5", None).is_err());
        assert!(parse_retry_after("", None).is_err());
        Ok(())
    }
}
