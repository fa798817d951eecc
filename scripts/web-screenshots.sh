#!/usr/bin/env bash
# Refreshes docs/screenshots/ from the browser check (the same run CI makes): builds warden, then
# drives chromium through every page and saves what it saw. Needs chromium, chromium-driver and the
# Python packages in .ci/requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product warden 2>&1 | tail -n 1
python3 -W ignore .ci/browser_check.py .build/debug/warden --screenshots docs/screenshots
