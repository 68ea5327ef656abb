//! Native timing of the `make bench` merge workload (a profiling aid, not part of the library).
//!
//! `cargo run --release --example bench_merge -- SERIES.ics [ROUNDS] [merge|reply] [ME]`
//!
//! Builds the three copies the way `tools/bench/bench.mjs` does from the 1,000-override series
//! (`node tools/bench/workloads.mjs` writes it; `/tmp/wl/series.ics`): base = the series,
//! local = base with my answer (attendeeReply ACCEPTED), server = base with every
//! `LOCATION:Raum ` changed to `LOCATION:Room ` (the organizer changed rooms). Then runs
//! `merge({ base, local, server, me })` ROUNDS times (default 20) and prints the median and min
//! in ms. With `reply`, times attendeeReply on the series instead. `ROUNDS` 0 only builds the
//! copies, so `perf stat -e instructions:u` with 0 and with N gives the cost of N calls. `ME`
//! merges as someone else (e.g. `mailto:organizer@example.org` for the organizer role).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use caldav_sched::itip::{attendee_reply, merge, MergeOptions, PartStat, ReplyOptions};
use std::time::Instant;

const ME: &str = "mailto:wilfredo@example.com";
const NOW: &str = "20261126T080000Z";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map_or("/tmp/wl/series.ics", String::as_str);
    let rounds: usize = args
        .get(2)
        .map_or(20, |r| r.parse().expect("ROUNDS is a number"));
    let mode = args.get(3).map_or("merge", String::as_str);
    let base = std::fs::read_to_string(path).expect("readable series file");
    let reply = ReplyOptions::new(&[ME], PartStat::Accepted, NOW);
    let local = attendee_reply(base.as_bytes(), &reply).expect("reply").data;
    let server = base.replace("LOCATION:Raum ", "LOCATION:Room ");
    let merging_as = args.get(4).map_or(ME, String::as_str);
    let options = MergeOptions::new(&local, &server, Some(&base), merging_as);
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        let size = if mode == "reply" {
            attendee_reply(base.as_bytes(), &reply)
                .expect("reply")
                .data
                .len()
        } else {
            let result = merge(&options).expect("merge");
            assert!(
                result.data.contains("LOCATION:Room "),
                "the server's change is missing"
            );
            result.data.len()
        };
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(size);
    }
    if times.is_empty() {
        return;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{mode}: {rounds} rounds, median {:.2} ms, min {:.2} ms",
        times[times.len() / 2],
        times[0]
    );
}
