#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds before a run: the small seeds committed in fuzz/seeds/,
# the test fixtures, and the real-world corpus at ../shared/corpus (or $CALDAV_CORPUS) when it
# exists. Seeds are copied, never moved; what libFuzzer adds to fuzz/corpus/ stays for the next run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${CALDAV_CORPUS:-$root/../shared/corpus}
out=$here/corpus
mkdir -p "$out"/{ical_roundtrip,jcal,attendee_reply,entity_tag,classify_response,merge}

for t in "$here"/seeds/*/; do
  mkdir -p "$out/$(basename "$t")"
  cp -n "$t"* "$out/$(basename "$t")/" 2>/dev/null || true
done

ics_files() {
  find "$root/tests/fixtures" -name '*.ics' -type f
  if [ -d "$shared/ics" ]; then find "$shared/ics" -name '*.ics' -type f; fi
}

# Calendar data: every .ics as is (libFuzzer's -max_len cuts the few big ones).
n=0
while IFS= read -r f; do
  n=$((n + 1))
  cp "$f" "$out/ical_roundtrip/fixture-$n.ics"
  # attendeeReply: 4 option bytes (partstat, attendee index, scope, flags) + the data.
  if grep -qi '^ATTENDEE' "$f"; then
    for opts in '\x00\x00\x00\x00' '\x01\x01\x02\x01' '\x02\x00\x01\x06' '\x03\x02\x03\x19'; do
      { printf "$opts"; cat "$f"; } > "$out/attendee_reply/fixture-$n-${#opts}-$(printf '%s' "$opts" | tr -dc '0-9')"
    done
  fi
done < <(ics_files)

# jCal: the ical.js JSON fixtures.
for f in "$root"/tests/fixtures/jcal/*.json; do
  [ -e "$f" ] && cp "$f" "$out/jcal/$(basename "$f")"
done

# classifyResponse: every recorded server answer.
for f in "$root"/tests/fixtures/server-answers/*.http; do
  [ -e "$f" ] && cp "$f" "$out/classify_response/$(basename "$f")"
done

# Entity tags: every ETag / Schedule-Tag value the servers sent, paired with the next one.
grep -hiE '^< (etag|schedule-tag):' "$root"/tests/fixtures/server-answers/*.http 2>/dev/null \
  | sed -E 's/^< [^:]*: ?//' | sort -u > "$out/entity_tag/.values" || true
prev='"x"'
i=0
while IFS= read -r v; do
  i=$((i + 1))
  printf '%s\n%s' "$v" "$prev" > "$out/entity_tag/recorded-$i"
  prev=$v
done < "$out/entity_tag/.values"
rm -f "$out/entity_tag/.values"

# merge: option byte + local, server and base copies separated by lines of "=====".
merge=$root/tests/fixtures/merge
if [ -f "$merge/seed-local.ics" ]; then
  mkdir -p "$out/merge"
  for s in "$merge"/seed-server-*.ics; do
    for flags in '\x21' '\x20' '\x23' '\x31' '\xf1'; do
      { printf "$flags"; cat "$merge/seed-local.ics"; printf '\n=====\n'; cat "$s"; printf '\n=====\n'; cat "$merge/seed-base.ics"; } \
        > "$out/merge/$(basename "$s" .ics)-$(printf '%s' "$flags" | tr -dc '0-9a-f')"
    done
  done
fi

if [ -d "$shared/ics" ]; then
  echo "seeded from the fixtures and $shared ($n calendar files)"
else
  echo "seeded from the fixtures only ($n calendar files; $shared not found)"
fi
for t in "$out"/*/; do echo "  $(basename "$t"): $(ls -A "$t" | wc -l) inputs"; done
