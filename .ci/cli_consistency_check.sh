#!/usr/bin/env bash
# For several filters and orders of each activity list, `warden <resource> list --output csv` (all
# pages of the list API) and `warden <resource> export` (an export job's file) must hold the same
# rows in the same order.
#   usage: .ci/cli_consistency_check.sh WARDEN_BINARY URL TOKEN [--insecure]
set -euo pipefail
warden=$1
export WARDEN_URL=$2 WARDEN_TOKEN=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
check() {
  local resource=$1 filter=$2 order=$3
  shift 3
  "$warden" "$resource" list "$@" --filter "$filter" --order-by "$order" --output csv >"$dir/list.csv" 2>"$dir/list.err" || { cat "$dir/list.err" >&2; exit 1; }
  "$warden" "$resource" export "$@" --filter "$filter" --order-by "$order" --out "$dir/export.csv" 2>"$dir/export.err" || { cat "$dir/export.err" >&2; exit 1; }
  if ! cmp -s "$dir/list.csv" "$dir/export.csv"; then
    echo "FAIL: $resource list and export differ for filter '$filter' order '$order'" >&2
    diff "$dir/list.csv" "$dir/export.csv" | head -n 5 >&2
    exit 1
  fi
  rows=$(($(wc -l <"$dir/list.csv") - 1))
  [ "$rows" -gt 0 ] || { echo "FAIL: $resource '$filter' matched nothing, so it proves nothing" >&2; exit 1; }
  echo "cli: $resource '$filter' by '$order': $rows rows, list == export"
}
extra=("$@")
check events 'state eq "ERRORED"' 'started_at desc' "${extra[@]}"
check events 'identity_name sw "a" or workflow_name co "over"' 'identity_name asc, action_name desc' "${extra[@]}"
check events 'not (state eq "COMPLETED")' 'completed_at asc' "${extra[@]}"
check tasks 'state eq "ERRORED" or state eq "BLOCKED"' 't_created_at desc' "${extra[@]}"
check tasks 'workflow co "er"' 'identity_name asc, completed_at desc' "${extra[@]}"
check jobs 'state eq "ERRORED" and action_type eq "MANAGE_RELATIONSHIPS"' 'created_at desc' "${extra[@]}"
check lifecycle-events 'event_type eq "CREATE_IDENTITY" and success eq true' 'timestamp asc' "${extra[@]}"
