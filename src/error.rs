//! The one error type of the core, with a stable `code` from a closed set (see API.md).
//!
//! Every fallible core function returns [`Result`]. The wasm boundary maps an [`Error`] to a JS
//! `Error` (a `SyntaxError`, `TypeError` or `RangeError`) carrying `code` and `line`.

use std::fmt;

/// The closed set of error codes. Extend deliberately: JS callers switch on these strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// Unparseable iCalendar (bad content line, BEGIN/END mismatch, missing END, invalid UTF-8).
    Parse,
    /// Input exceeds a configured limit (size, nesting depth, line count, parameters).
    TooLarge,
    /// The object has no ORGANIZER: it is not a scheduling object resource.
    NotSchedulingObject,
    /// None of `me` is an ATTENDEE of the object.
    NotAnAttendee,
    /// `me` is the ORGANIZER, so an attendee reply makes no sense.
    IsOrganizer,
    /// The RECURRENCE-ID names no instance of the series.
    NoSuchInstance,
    /// Two copies that must describe the same object have different UIDs.
    UidMismatch,
    /// An option is missing, has the wrong type or an impossible combination.
    InvalidOption,
    /// An entity tag (ETag / Schedule-Tag) is malformed or unusable for this purpose.
    BadEntityTag,
    /// A value would inject a line or header (CR, LF or another control character).
    UnsafeValue,
}

/// Which built-in JS error class a code maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Unparseable input data (`SyntaxError`).
    Syntax,
    /// Wrong option type or a missing option (`TypeError`).
    Type,
    /// An option or input outside what is allowed (`RangeError`).
    Range,
    /// Any other failure (`Error`).
    Other,
}

impl ErrorCode {
    /// The stable string JS sees as `error.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Parse => "PARSE",
            ErrorCode::TooLarge => "TOO_LARGE",
            ErrorCode::NotSchedulingObject => "NOT_SCHEDULING_OBJECT",
            ErrorCode::NotAnAttendee => "NOT_AN_ATTENDEE",
            ErrorCode::IsOrganizer => "IS_ORGANIZER",
            ErrorCode::NoSuchInstance => "NO_SUCH_INSTANCE",
            ErrorCode::UidMismatch => "UID_MISMATCH",
            ErrorCode::InvalidOption => "INVALID_OPTION",
            ErrorCode::BadEntityTag => "BAD_ENTITY_TAG",
            ErrorCode::UnsafeValue => "UNSAFE_VALUE",
        }
    }

    /// The JS error class for this code.
    pub fn kind(self) -> ErrorKind {
        match self {
            ErrorCode::Parse => ErrorKind::Syntax,
            ErrorCode::InvalidOption => ErrorKind::Type,
            ErrorCode::TooLarge | ErrorCode::BadEntityTag | ErrorCode::UnsafeValue => {
                ErrorKind::Range
            }
            ErrorCode::NotSchedulingObject
            | ErrorCode::NotAnAttendee
            | ErrorCode::IsOrganizer
            | ErrorCode::NoSuchInstance
            | ErrorCode::UidMismatch => ErrorKind::Other,
        }
    }
}

/// A core error: a stable code, a message naming the problem, and the 1-based input line if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    pub line: Option<usize>,
}

impl Error {
    /// An error without a line.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            line: None,
        }
    }

    /// An error pointing at a 1-based input line; the message gets a "line N: " prefix.
    pub fn at(code: ErrorCode, line: usize, message: impl Into<String>) -> Self {
        Error {
            code,
            message: format!("line {line}: {}", message.into()),
            line: Some(line),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

/// Result with the core [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Something tolerated and reported rather than thrown (a bad fold, an unknown parameter value...).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Warning {
    /// A stable upper-case code, e.g. `UNKNOWN_SCHEDULE_AGENT`.
    pub code: String,
    pub message: String,
    /// 1-based input line, when the warning points into the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub line: Option<usize>,
}

impl Warning {
    /// A warning with an optional line.
    pub fn new(code: &str, message: impl Into<String>, line: Option<usize>) -> Self {
        Warning {
            code: code.to_string(),
            message: message.into(),
            line,
        }
    }
}
