"""A server killed with SIGKILL in the middle of a smart action apply leaves all of the batch or none.

Seeds a demo certification, then several times: starts `warden serve`, sends an apply, kills the
server while the apply runs, restarts it and checks through the API (a dry run and the batch list)
that either every row the apply would change changed, with its batch recorded, or none did.

usage: python3 .ci/smart_action_crash_check.py WARDEN_BINARY PORT (--data-dir DIR | --database-url URL)
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

ROWS = 100_000


def main(warden, port, db_args):
    subprocess.run([warden, "demo", "seed", "--results", str(ROWS), "--seed", "3", "--log-level", "warning", *db_args],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    key = subprocess.run([warden, "token", "create", "--name", "crash-check", "--role", "admin", "--log-level", "warning", *db_args],
                         check=True, capture_output=True, text=True).stdout.strip()
    base = f"http://127.0.0.1:{port}/api/preview/awf"

    def call(method, path, body=None, timeout=120):
        request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)

    def start():
        server = subprocess.Popen([warden, "serve", "--port", str(port), "--log-level", "warning", *db_args],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                return server
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise SystemExit("FAIL: the server did not start")

    server = start()
    certification = call("GET", "/certifications?order_by=created_at%20desc")["values"][0]["certification_id"]
    definition = call("POST", "/smart_action_definitions", {
        "name": "Reject engineering", "filter": 'source.department eq "Engineering"', "mutable_fields": {"decision": "REJECTED"}})["id"]
    apply_path = f"/certifications/{certification}/results:apply_smart_action"
    started = time.monotonic()
    before = call("POST", apply_path, {"smart_action_definition_id": definition, "dry_run": True})["value"]
    scan = time.monotonic() - started
    assert before["changed"] > 10_000, f"the apply would change only {before['changed']} rows, too few to interrupt"

    killed_before_answer = 0
    for attempt, fraction in enumerate([1.0, 1.5, 2.0, 3.0, 0.5]):
        answered = []

        def send():
            try:
                answered.append(call("POST", apply_path, {"smart_action_definition_id": definition}))
            except Exception:
                pass

        sender = threading.Thread(target=send)
        sender.start()
        time.sleep(scan * fraction)
        server.send_signal(signal.SIGKILL)
        server.wait()
        sender.join()
        server = start()
        after = call("POST", apply_path, {"smart_action_definition_id": definition, "dry_run": True})["value"]
        batches = [b for b in call("GET", f"/certifications/{certification}/smart_action_batches")["values"] if b["undone_at"] is None]
        if after["changed"] == before["changed"] and not batches:
            outcome = "none of the batch"
        elif after["changed"] == 0 and after["unchanged"] == before["unchanged"] + before["changed"] \
                and len(batches) == 1 and batches[0]["changed"] == before["changed"]:
            outcome = "all of the batch"
            undone = call("POST", f"/certifications/{certification}/smart_action_batches/{batches[0]['batch_id']}:undo")["value"]
            assert undone["restored"] == before["changed"], f"undo restored {undone['restored']} of {before['changed']}"
        else:
            raise SystemExit(f"FAIL: after the kill, a dry run would change {after['changed']} of {before['changed']} rows "
                             f"and {len(batches)} batches are recorded: part of the batch was applied")
        if not answered:
            killed_before_answer += 1
        print(f"crash: attempt {attempt + 1}: killed {scan * fraction:.2f} s into the apply "
              f"({'before' if not answered else 'after'} it answered): {outcome} ({before['changed']} rows)")
    server.send_signal(signal.SIGTERM)
    server.wait()
    if killed_before_answer == 0:
        raise SystemExit("FAIL: every apply finished before the kill, so nothing was interrupted")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
