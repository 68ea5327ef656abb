//! Explicit input limits: exceeding one is a `TOO_LARGE` error, never a crash or an unbounded
//! allocation.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};

/// Limits applied while parsing. Every field has a sane default; callers may raise or lower them.
/// Every export that takes calendar data takes them as `limits` (all fields optional: absent ones
/// keep their defaults). Going over one is `TOO_LARGE` (a `RangeError` in JS), with the line where
/// it applies. `maxBytes` is checked before the JS boundary copies the data in, and `maxDepth`
/// also bounds jCal nesting.
///
/// ```js
/// attendeeReply({ data, me, partstat: "ACCEPTED", limits: { maxBytes: 50_000_000 } })
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Limits {
    /// Largest accepted input in bytes (default 16 MiB).
    pub max_bytes: usize,
    /// Deepest accepted BEGIN nesting, VCALENDAR counting as 1 (default 32, at most
    /// [`MAX_DEPTH_CEILING`], 256).
    pub max_depth: usize,
    /// Most content lines (after unfolding) accepted (default 1,000,000).
    pub max_lines: usize,
    /// Longest accepted content line after unfolding, in bytes (default 4 MiB).
    pub max_line_bytes: usize,
    /// Most parameters accepted on one content line (default 1,000).
    pub max_params: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 32,
            max_lines: 1_000_000,
            max_line_bytes: 4 * 1024 * 1024,
            max_params: 1_000,
        }
    }
}

/// The largest `maxDepth` accepted. Components are read and written recursively, and so is
/// jCal; far deeper nesting would overflow the stack, which in wasm traps and leaves the
/// instance unusable (measured in Node: jCal 2,000 components deep overflowed, 1,000 did not).
/// Real calendars nest 3 or 4 deep.
pub const MAX_DEPTH_CEILING: usize = 256;

impl Limits {
    /// Checks the limits themselves: `maxDepth` at most [`MAX_DEPTH_CEILING`], else
    /// `INVALID_OPTION`.
    pub fn check_max_depth(&self) -> Result<()> {
        if self.max_depth > MAX_DEPTH_CEILING {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                format!(
                    "`limits.maxDepth` is at most {MAX_DEPTH_CEILING} (deeper nesting would \
                     overflow the stack); got {}",
                    self.max_depth
                ),
            ));
        }
        Ok(())
    }

    /// Checks the limits ([`Limits::check_max_depth`]) and an input size against `max_bytes`:
    /// `TOO_LARGE` when it is over. Callers that hold the data somewhere else (the JS boundary)
    /// call this before copying it in, so an oversized input is refused without being copied.
    pub fn check_bytes(&self, len: usize) -> Result<()> {
        self.check_max_depth()?;
        if len > self.max_bytes {
            return Err(Error::new(
                ErrorCode::TooLarge,
                format!(
                    "input is {len} bytes; the limit is {} (limits.maxBytes)",
                    self.max_bytes
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_depth_is_at_most_the_ceiling() {
        let at = Limits {
            max_depth: MAX_DEPTH_CEILING,
            ..Limits::default()
        };
        assert!(at.check_bytes(0).is_ok());
        let over = Limits {
            max_depth: MAX_DEPTH_CEILING + 1,
            ..Limits::default()
        };
        let e = over.check_bytes(0).err();
        assert_eq!(e.map(|e| e.code), Some(ErrorCode::InvalidOption));
    }

    #[test]
    fn check_bytes_accepts_the_limit_and_refuses_one_more() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        assert!(limits.check_bytes(10).is_ok());
        let e = limits.check_bytes(11).err();
        assert_eq!(e.map(|e| e.code), Some(ErrorCode::TooLarge));
    }
}
