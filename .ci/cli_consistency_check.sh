#!/usr/bin/env bash
# For several filters and orders, `warden events list --output csv` (all pages of the list API) and
# `warden events export` (an export job's file) must hold the same rows in the same order.
#   usage: .ci/cli_consistency_check.sh WARDEN_BINARY URL TOKEN [--insecure]
set -euo pipefail
warden=$1
export WARDEN_URL=$2 WARDEN_TOKEN=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
check() {
  local filter=$1 order=$2
  shift 2
  "$warden" events list "$@" --filter "$filter" --order-by "$order" --output csv >"$dir/list.csv" 2>"$dir/list.err" || { cat "$dir/list.err" >&2; exit 1; }
  "$warden" events export "$@" --filter "$filter" --order-by "$order" --out "$dir/export.csv" 2>"$dir/export.err" || { cat "$dir/export.err" >&2; exit 1; }
  if ! cmp -s "$dir/list.csv" "$dir/export.csv"; then
    echo "FAIL: list and export differ for filter '$filter' order '$order'" >&2
    diff "$dir/list.csv" "$dir/export.csv" | head -n 5 >&2
    exit 1
  fi
  echo "cli: '$filter' by '$order': $(($(wc -l <"$dir/list.csv") - 1)) rows, list == export"
}
extra=("$@")
check 'state eq "ERRORED"' 'started_at desc' "${extra[@]}"
check 'identity_name sw "a" or workflow_name co "over"' 'identity_name asc, action_name desc' "${extra[@]}"
check 'not (state eq "COMPLETED")' 'completed_at asc' "${extra[@]}"
