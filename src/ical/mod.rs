//! Lossless iCalendar bytes (knows no scheduling).
//!
//! Placeholder so the crate compiles: `src/lib.rs` declares `pub mod ical;` but the skeleton commit
//! carried no file for it (git keeps no empty directories). The foundation work fills this module.
