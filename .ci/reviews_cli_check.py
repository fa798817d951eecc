"""`warden reviews` and `warden smart-actions` against a live server.

Creates a workflow and a certification, imports 12,000 rows from NDJSON in three calls, checks that
`reviews results` and `reviews export` return the same rows in the same order, applies a smart
action (dry run first), checks the rows and undoes it, and records one decision.

usage: python3 .ci/reviews_cli_check.py WARDEN_BINARY URL TOKEN [--insecure]
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile


def main(warden, url, token, extra):
    env = dict(os.environ, WARDEN_URL=url, WARDEN_TOKEN=token)

    def run(*args):
        done = subprocess.run([warden, *args, *extra], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"FAIL: warden {' '.join(args)}:\n{done.stderr}")
        return done.stdout

    workflow = run("reviews", "create-workflow", "CI review").strip()
    certification = run("reviews", "create", "--workflow", workflow, "--name", "CI").strip()
    departments = ["eng", "sales", "ops"]
    with tempfile.TemporaryDirectory() as folder:
        rows = os.path.join(folder, "rows.ndjson")
        with open(rows, "w") as out:
            for n in range(12_000):
                out.write(json.dumps({"source": {"name": f"user {n:05}", "dept": departments[n % 3], "is_active": n % 5 != 0},
                                      "destination": {"name": f"app {n % 7}"}, "concrete_permissions": ["read"]}) + "\n")
        run("reviews", "import", certification, rows, "--batch", "5000")

        flt = 'source.dept eq "eng" and source.is_active eq false'
        listed = [r["result_id"] for r in json.loads(run("reviews", "results", certification, "--filter", flt,
                                                          "--order-by", "source.name desc", "--output", "json"))]
        exported = os.path.join(folder, "export.csv")
        run("reviews", "export", certification, "--filter", flt, "--order-by", "source.name desc", "--out", exported)
        with open(exported, newline="") as file:
            from_export = [int(r["result_id"]) for r in csv.DictReader(file)]
        assert listed and listed == from_export, f"results ({len(listed)}) and export ({len(from_export)}) differ"
        print(f"cli: reviews import of 12000 rows in 3 calls; results == export for {flt!r}: {len(listed)} rows")

        definition = run("smart-actions", "create", "--name", "Reject inactive engineers", "--filter", flt, "--decision", "REJECTED").strip()
        preview = run("smart-actions", "apply", certification, definition, "--dry-run")
        assert f"would change {len(listed)} of {len(listed)}" in preview, preview
        applied = run("smart-actions", "apply", certification, definition)
        batch = re.search(r"batch (\S+)", applied).group(1)
        rejected = json.loads(run("reviews", "results", certification, "--filter", 'decision eq "RESULT_DECISION_REJECTED"', "--output", "json"))
        assert sorted(r["result_id"] for r in rejected) == sorted(listed), "the apply changed other rows than the dry run showed"
        assert all(r["action_log"]["entries"][-1]["smart_action_batch_id"] == batch for r in rejected)
        assert batch in run("smart-actions", "batches", certification)
        undone = run("smart-actions", "undo", certification, batch)
        assert f"restored {len(listed)} rows" in undone, undone
        print(f"cli: smart-actions apply --dry-run, apply, batches, undo: {len(listed)} rows each way")

        run("reviews", "decide", certification, str(listed[0]), "--decision", "ACCEPTED", "--notes", "checked", "--sign-off")
        row = json.loads(run("reviews", "results", certification, "--filter", f"result_id eq {listed[0]}", "--output", "json"))[0]
        assert row["decision"] == "RESULT_DECISION_ACCEPTED" and row["signed_off_state"] == "SIGNED_OFF", row
        assert definition in run("smart-actions", "list")
        run("smart-actions", "delete", definition)
        print("cli: reviews decide --sign-off; smart-actions list and delete")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
