#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 300) after seeding fuzz/corpus/, then prints
# executions per target. Exits non-zero when any target found a crash (its input is saved in
# fuzz/artifacts/<target>/; turn it into a native regression test and a seed in fuzz/seeds/).
#   fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
seconds=${1:-300}
shift || true
targets=("$@")
# Default: every [[bin]] of fuzz/Cargo.toml.
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(awk '/^\[\[bin\]\]/{b=1} b&&/^name =/{gsub(/"/,"",$3); print $3; b=0}' "$here/Cargo.toml")
# No sanitizer: the crate forbids unsafe code, so ASan finds nothing a panic would not, and it
# costs build time and half the speed. Debug assertions catch integer overflow as a crash.
# Inputs up to 16 KiB: larger ones (a few corpus files) are cut, and small inputs keep the
# executions per second high.
flags=(--sanitizer none --debug-assertions)
"$here/seed.sh"
cargo +nightly fuzz build "${flags[@]}" || exit 1
logs=$here/logs
mkdir -p "$logs"
failed=()
printf '\n%-20s %14s %8s  %s\n' target executions exec/s result
for t in "${targets[@]}"; do
  cargo +nightly fuzz run "${flags[@]}" "$t" "$here/corpus/$t" -- \
    -max_total_time="$seconds" -max_len=16384 -print_final_stats=1 >"$logs/$t.log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$t.log" | tail -n1)
  if [ $rc -eq 0 ]; then result=ok; else result="CRASH (see $logs/$t.log)"; failed+=("$t"); fi
  printf '%-20s %14s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$result"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes in: ${failed[*]}"
  for t in "${failed[@]}"; do
    grep -h -A2 -E 'panicked at|ERROR: libFuzzer' "$logs/$t.log" | sed "s/^/  $t: /" | head -n 6
  done
  exit 1
fi
