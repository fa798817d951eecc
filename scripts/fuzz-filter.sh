#!/usr/bin/env bash
# Fuzzes the SCIM filter parser with libFuzzer: builds Sources/SCIMFilter/*.swift together with
# Fuzz/FilterFuzzer.swift using `swiftc -sanitize=fuzzer,address`, seeds a corpus with valid filters,
# and runs ${RUNS:-1000000} inputs. Exits non-zero when the fuzzer finds a crash (the crashing
# input is left in $WORK, printed below).
#
#   RUNS=5000000 scripts/fuzz-filter.sh        # more inputs
#   WORK=/tmp/fuzz scripts/fuzz-filter.sh      # keep the binary, corpus and crash files there
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-1000000}"
work="${WORK:-$(mktemp -d -t fuzz-filter.XXXXXX)}"
mkdir -p "$work/corpus"

echo "building the fuzzer in $work"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name SCIMFilterFuzz \
    "$root"/Sources/SCIMFilter/*.swift "$root/Fuzz/FilterFuzzer.swift" -o "$work/filter-fuzzer"

seed=0
while IFS= read -r filter; do
    seed=$((seed + 1))
    printf '%s' "$filter" > "$work/corpus/seed-$seed"
done <<'SEEDS'
state eq "ERRORED"
state eq "ERRORED" and action_type eq "SYNC_IDENTITIES" and started_at ge "2026-01-01T00:00:00Z"
persisted_at GE "2023-09-14T23:59:59.999999999Z"
source.is_active ne "true"
name co "50%_off\\" or code sw "A\u00e9\ud83d\ude42" and not (tags[value ew "x"])
emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]
urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O'Malley"
((a eq null) or (b ne false)) and not (not (c lt -1.5e-3))
title pr and userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")
count gt 2 and score lt 0.5 and active eq "TRUE" and state eq 2
SEEDS

cd "$work"
set +e
./filter-fuzzer -runs="$runs" -max_len=4096 -dict="$root/Fuzz/filter.dict" -print_final_stats=1 corpus 2>&1 | tee fuzz.log
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
    echo "fuzzing failed (exit $status); crash inputs: $(ls "$work"/crash-* 2>/dev/null | tr '\n' ' ')" >&2
    exit "$status"
fi
echo "fuzzing passed: $runs inputs, no crash"
