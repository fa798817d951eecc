"""Provisioning through SCIM end to end: HR files in, accounts and group memberships out, in a real SCIM server.

Starts PyPI's scim2-server (in memory, bearer token) behind scripts/fault-proxy.py, and `warden serve`
with the harness of lifecycle_e2e_check.py; then drives Warden with the CLI and the API and reads the
SCIM server's own /Users and /Groups to check what it holds.

  jml     joiners, a mover file and a leaver file: exactly the expected users, memberships and `active`
          flags, no duplicate user; the activity log names every change. Then CREATE_ACCESS_REVIEW for
          everyone left; rejecting and signing off one row removes that membership and marks the row FIXED
  faults  500s for a while (retried, recovered), answers lost after the target acted (no duplicate), the
          target down past the retry budget (ERRORED with its message) and stopped (connection refused);
          `warden actions retry` then completes every task and the target ends right

usage: python3 .ci/scim_e2e_check.py WARDEN_BINARY [SCENARIO ...]
"""
import argparse
import collections
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from lifecycle_e2e_check import INSECURE, ROOT, Harness, fail, free_port, read_port, wait_for

TOKEN = "scim-e2e-target-token"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


class SCIMTarget:
    """scim2-server on a free port, reached through the fault proxy."""

    def __init__(self, work):
        self.work = work
        self.server_port = free_port()
        self.server = subprocess.Popen(
            ["scim2-server", "--port", str(self.server_port), "--bearer-token", TOKEN],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "scim2-server.err"), "w"))
        self.direct = f"http://127.0.0.1:{self.server_port}"
        wait_for("scim2-server to listen", self.listening, 30, 0.1)
        self.proxy_port = None
        self.proxy = None
        self.start_proxy()
        self.url = f"http://127.0.0.1:{self.proxy_port}"

    def listening(self):
        if self.server.poll() is not None:
            fail(f"scim2-server exited with status {self.server.returncode}")
        try:
            self.call("GET", "/ServiceProviderConfig")
            return True
        except (urllib.error.URLError, ConnectionError, OSError):
            return False

    def start_proxy(self):
        """Starts the proxy, on the port it had before when it is restarted."""
        port_file = os.path.join(self.work, "proxy.port")
        if os.path.exists(port_file):
            os.remove(port_file)
        self.proxy = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "scripts/fault-proxy.py"), "--target", self.direct,
             "--port", str(self.proxy_port or 0), "--port-file", port_file],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work, "proxy.err"), "a"))
        self.proxy_port = read_port(port_file, self.proxy, "the fault proxy")

    def stop_proxy(self):
        """From Warden's side the target is stopped: every connection is refused."""
        self.proxy.kill()
        self.proxy.wait()

    def call(self, method, path, body=None, base=None):
        request = urllib.request.Request((base or self.direct) + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            data = response.read()
            return json.loads(data) if data else None

    def control(self, **settings):
        return self.call("POST", "/_control", settings, base=self.url)

    def stats(self):
        return self.call("GET", "/_stats", base=self.url)

    def users(self):
        return self.call("GET", "/Users?count=1000")["Resources"]

    def groups(self):
        """Group display name → the user names of its members."""
        names = {user["id"]: user["userName"] for user in self.users()}
        return {group["displayName"]: sorted(names.get(member["value"], member["value"]) for member in group.get("members", []))
                for group in self.call("GET", "/Groups?count=1000")["Resources"]}

    def create_group(self, name):
        self.call("POST", "/Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": name})

    def stop(self):
        for process in (self.proxy, self.server):
            process.kill()
            process.wait()


def set_up(h, name, retry_count=10, serve_extra=()):
    """A Warden server, a SCIM target behind the proxy, its connector, three groups and two access profiles."""
    target = SCIMTarget(h.work)
    h.cleanups.append(target.stop)
    h.server(name, h.database(name), serve_extra)
    h.ok("POST", "/connectors", {
        "name": "app", "type": "SCIM", "base_url": target.url, "bearer_token": TOKEN, "timeout_seconds": 10,
        "attribute_mapping": {"userName": "{email}", "displayName": "{display_name}", "emails[type eq \"work\"].value": "{email}",
                              f"{ENTERPRISE}:department": "{department}"}})
    for group in ("engineering", "sales", "vpn"):
        target.create_group(group)
    h.ok("POST", "/access_profiles", {"name": "Engineering-Base", "connector": "app", "groups": ["engineering", "vpn"]})
    h.ok("POST", "/access_profiles", {"name": "Sales-Base", "connector": "app", "groups": ["sales", "vpn"]})
    source = h.source("hr")
    policy = h.policy(name, JML_POLICY.format(source=source, retry_count=retry_count))
    reviews(h, "POST", "/workflows", {"name": "Quarterly", "remediation": {"policy_id": policy, "workflow": "Remediate"}})
    return target, policy


def reviews(h, method, path, body=None):
    """A call to the access reviews API (/api/preview/awf) with the harness's admin key."""
    request = urllib.request.Request(f"{h.url}/api/preview/awf{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {h.token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60, context=INSECURE) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        fail(f"{method} /api/preview/awf{path} answered {error.code}: {error.read().decode()[:500]}")


JML_POLICY = """name: Accounts in the app
datasource_ids: [{source}]
retry_count: {retry_count}
config:
  workflows:
    - name: Joiner
      trigger: {{changes: [JOINED]}}
      conditions_on_success:
        - name: everyone
          condition_type: ANY
          actions_to_run: [{{name: Sync account}}]
          conditions_on_success:
            - {{name: engineers, condition_string: 'department eq "Engineering"', actions_to_run: [{{name: Engineering access}}]}}
            - {{name: sales, condition_string: 'department eq "Sales"', actions_to_run: [{{name: Sales access}}]}}
    - name: Mover
      trigger: {{changes: [CHANGED], attributes: [department]}}
      conditions_on_success:
        - name: everyone
          condition_type: ANY
          actions_to_run: [{{name: Sync account}}]
          conditions_on_success:
            - {{name: to engineering, condition_string: 'department eq "Engineering"', actions_to_run: [{{name: Move to engineering}}]}}
            - {{name: to sales, condition_string: 'department eq "Sales"', actions_to_run: [{{name: Move to sales}}]}}
    - name: Leaver
      trigger: {{changes: [LEFT]}}
      conditions_on_success:
        - {{name: everyone, condition_type: ANY, actions_to_run: [{{name: Revoke access}}, {{name: Disable account}}]}}
    - name: Review
      trigger: {{changes: [CHANGED], attributes: [review_cycle]}}
      conditions_on_success:
        - {{name: everyone, condition_type: ANY, actions_to_run: [{{name: Review access}}]}}
    - name: Remediate
      state: DISABLED
      conditions_on_success:
        - {{name: everyone, condition_type: ANY, actions_to_run: [{{name: Remove rejected group}}]}}
  actions:
    - {{name: Sync account, type: SYNC_IDENTITIES, config: {{connector: app}}}}
    - {{name: Engineering access, type: MANAGE_RELATIONSHIPS, config: {{connector: app, grant_profiles: [Engineering-Base]}}}}
    - {{name: Sales access, type: MANAGE_RELATIONSHIPS, config: {{connector: app, grant_profiles: [Sales-Base]}}}}
    - {{name: Move to engineering, type: MANAGE_RELATIONSHIPS,
        config: {{connector: app, grant_profiles: [Engineering-Base], revoke_profiles: [Sales-Base]}}}}
    - {{name: Move to sales, type: MANAGE_RELATIONSHIPS,
        config: {{connector: app, grant_profiles: [Sales-Base], revoke_profiles: [Engineering-Base]}}}}
    - {{name: Revoke access, type: MANAGE_RELATIONSHIPS,
        config: {{connector: app, revoke_profiles: [Engineering-Base, Sales-Base]}}}}
    - {{name: Disable account, type: DEPROVISION_IDENTITY, config: {{connector: app}}}}
    - {{name: Review access, type: CREATE_ACCESS_REVIEW,
        config: {{connector: app, review_workflow: Quarterly, reviewer: "{{manager_email}}", name: "Access of {{display_name}}"}}}}
    - {{name: Remove rejected group, type: MANAGE_RELATIONSHIPS, config: {{connector: app, revoke_groups: ["{{entitlement.name}}"]}}}}
"""


def import_with_review_cycle(h, name, people, cycle):
    """An HR file like Harness.identities writes, with a review_cycle column."""
    path = os.path.join(h.work, f"{name}.csv")
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee_id", "display_name", "email", "department", "manager_email", "review_cycle"])
        writer.writerows(employee(n, d) + [cycle] for n, d in people.items())
    h.import_file(path, "hr")


def employee(number, department):
    return [f"E{number:05d}", f"Person {number}", f"person{number}@example.com", department, "boss@example.com"]


def email(number):
    return f"person{number}@example.com"


def expect_users(target, active, inactive, departments=None):
    """The target holds exactly these users, each once, with these `active` flags (and departments)."""
    users = target.users()
    counts = collections.Counter(user["userName"] for user in users)
    duplicates = {name: count for name, count in counts.items() if count > 1}
    if duplicates:
        fail(f"the SCIM server holds duplicate users: {duplicates}")
    expected = {email(n) for n in active} | {email(n) for n in inactive}
    if set(counts) != expected:
        fail(f"the SCIM server holds users {sorted(counts)}, expected {sorted(expected)}")
    for user in users:
        number = int(user["userName"][len("person"):].split("@")[0])
        if (user.get("active") is False) != (number in inactive):
            fail(f"{user['userName']} has active {user.get('active')}, expected {number not in inactive}")
        if departments and user.get(ENTERPRISE, {}).get("department") != departments.get(number):
            fail(f"{user['userName']} has department {user.get(ENTERPRISE, {}).get('department')}, expected {departments.get(number)}")
    return users


def expect_groups(target, expected):
    groups = target.groups()
    wanted = {name: sorted(email(n) for n in numbers) for name, numbers in expected.items()}
    if groups != wanted:
        fail(f"the SCIM server's groups are {groups}, expected {wanted}")


def all_completed(h, tasks):
    bad = [t for t in tasks if t["state"] != "COMPLETED"]
    if bad:
        fail(f"{len(bad)} tasks did not complete; first: {bad[0]['workflow']} of {bad[0]['identity_name']} "
             f"is {bad[0]['state']}: {bad[0]['messages']}")


def scenario_jml(h, args):
    """Joiners, a mover file and a leaver file; the SCIM server holds exactly what the HR files say."""
    target, policy = set_up(h, "jml")
    departments = {1: "Engineering", 2: "Engineering", 3: "Engineering", 4: "Engineering", 5: "Sales", 6: "Sales"}
    h.import_file(h.identities("joiners", [employee(n, d) for n, d in departments.items()]), "hr")
    all_completed(h, h.wait_finished(policy, 6, 120))
    expect_users(target, active=range(1, 7), inactive=(), departments=departments)
    expect_groups(target, {"engineering": [1, 2, 3, 4], "sales": [5, 6], "vpn": range(1, 7)})
    print("jml: 6 joiners: 6 users, each once, in engineering/sales and vpn by department")

    departments.update({2: "Sales", 5: "Engineering"})
    h.import_file(h.identities("movers", [employee(n, d) for n, d in departments.items()]), "hr")
    all_completed(h, h.wait_finished(policy, 8, 120))
    expect_users(target, active=range(1, 7), inactive=(), departments=departments)
    expect_groups(target, {"engineering": [1, 3, 4, 5], "sales": [2, 6], "vpn": range(1, 7)})
    print("jml: 2 movers: their department changed in place, groups swapped, vpn kept, no new user")

    leavers = (4, 6)
    h.import_file(h.identities("leavers", [employee(n, d) for n, d in departments.items() if n not in leavers]), "hr")
    tasks = h.wait_finished(policy, 10, 120)
    all_completed(h, tasks)
    expect_users(target, active=(1, 2, 3, 5), inactive=leavers, departments=departments)
    expect_groups(target, {"engineering": [1, 3, 5], "sales": [2], "vpn": [1, 2, 3, 5]})
    print("jml: 2 leavers: active false, every membership of theirs removed; 6 users in all, none duplicated")

    by_workflow = collections.Counter(t["workflow"] for t in tasks)
    if by_workflow != {"Joiner": 6, "Mover": 2, "Leaver": 2}:
        fail(f"tasks by workflow: {dict(by_workflow)}")
    events = h.all_pages("/events", f'policy_name eq "Accounts in the app"')
    kinds = collections.Counter((e["event_type"], e["success"]) for e in events)
    expected = {("SYNC_IDENTITY", True): 8, ("ADD_RELATIONSHIP", True): 8, ("REMOVE_RELATIONSHIP", True): 2, ("DISABLE_IDENTITY", True): 2}
    for kind, count in expected.items():
        if kinds.get(kind) != count:
            fail(f"the activity log has {kinds.get(kind)} {kind[0]} events (success {kind[1]}), expected {count}; all: {dict(kinds)}")
    if any(not success for _, success in kinds):
        fail(f"the activity log has failed lifecycle events: {dict(kinds)}")
    disabled = {e["identity_entity_name"] for e in events if e["event_type"] == "DISABLE_IDENTITY"}
    if disabled != {"Person 4", "Person 6"}:
        fail(f"DISABLE_IDENTITY events name {disabled}, expected Person 4 and Person 6")
    jobs = h.all_pages("/job_events", f'policy_id eq "{policy}"')
    if not jobs or any(j["state"] != "COMPLETED" for j in jobs):
        fail(f"job events: {collections.Counter(j['state'] for j in jobs)}")
    print(f"jml: the activity log has {len(events)} lifecycle events ({', '.join(f'{k[0]} {v}' for k, v in sorted(kinds.items()))}) "
          f"and {len(jobs)} completed SCIM jobs")

    staying = {n: d for n, d in departments.items() if n not in leavers}
    import_with_review_cycle(h, "review", staying, "2026-Q4")
    tasks = h.wait_finished(policy, 14, 120)
    all_completed(h, tasks)
    certifications = {c["name"]: c for c in reviews(h, "GET", "/certifications")["values"]}
    expected_rows = {n: sorted([staying[n].lower(), "vpn"]) for n in staying}
    for n, groups in expected_rows.items():
        certification = certifications.get(f"Access of Person {n}")
        if not certification:
            fail(f"no certification named \"Access of Person {n}\"; there are {sorted(certifications)}")
        rows = reviews(h, "GET", f"/certifications/{certification['certification_id']}/results")["values"]
        if sorted(r["destination"]["name"] for r in rows) != groups:
            fail(f"Person {n}'s review has rows {[r['destination']['name'] for r in rows]}, expected {groups}")
    print(f"jml: CREATE_ACCESS_REVIEW made {len(expected_rows)} certifications, one row per group the SCIM server says each is in")

    certification = certifications["Access of Person 1"]["certification_id"]
    rows = {r["destination"]["name"]: r for r in reviews(h, "GET", f"/certifications/{certification}/results")["values"]}
    for group, decision in (("vpn", "REJECTED"), ("engineering", "ACCEPTED")):
        reviews(h, "PUT", f"/certifications/{certification}/results",
                {"value": {"result_id": rows[group]["result_id"], "decision": decision, "signed_off_state": "SIGNED_OFF"}})

    def fixed():
        row = {r["destination"]["name"]: r for r in reviews(h, "GET", f"/certifications/{certification}/results")["values"]}["vpn"]
        return row if row["decision"] == "RESULT_DECISION_FIXED" else None
    row = wait_for("the rejected row to become FIXED", fixed, 120, 1)
    tasks = h.wait_finished(policy, 15, 60)
    remediation = [t for t in tasks if t["workflow"] == "Remediate"]
    if len(remediation) != 1 or remediation[0]["state"] != "COMPLETED" or remediation[0]["identity_name"] != "Person 1":
        fail(f"remediation tasks: {[(t['identity_name'], t['state']) for t in remediation]}")
    notes = " | ".join(str(entry.get("note", "")) for entry in row["action_log"]["entries"])
    if remediation[0]["id"] not in notes:
        fail(f"the FIXED row's action log does not name task {remediation[0]['id']}: {notes}")
    expect_groups(target, {"engineering": [1, 3, 5], "sales": [2], "vpn": [2, 3, 5]})
    logged = [(e["event_type"], e["identity_entity_name"], e["success"])
              for e in h.all_pages("/events", f'policy_task eq "{remediation[0]["id"]}"')]
    if logged != [("REMOVE_RELATIONSHIP", "Person 1", True)]:
        fail(f"the activity log of the remediation task: {logged}")
    accepted = {r["destination"]["name"]: r for r in reviews(h, "GET", f"/certifications/{certification}/results")["values"]}["engineering"]
    if accepted["decision"] != "RESULT_DECISION_ACCEPTED":
        fail(f"the accepted row became {accepted['decision']}")
    print(f"jml: rejecting and signing off Person 1's vpn row ran task {remediation[0]['id']}: the membership is gone from "
          f"the SCIM server, the row is RESULT_DECISION_FIXED and its action log names the task; the accepted row is untouched")


def scenario_faults(h, args):
    """500s, lost answers, a target down past the retry budget and a stopped one; retries never duplicate."""
    target, policy = set_up(h, "faults", retry_count=5, serve_extra=["--retry-backoff", "100ms"])
    people = {n: "Engineering" for n in range(1, 6)}

    target.control(down_until=time.time() + 1.5, status=500)
    h.import_file(h.identities("first", [employee(n, d) for n, d in people.items()]), "hr")
    tasks = h.wait_finished(policy, 5, 120)
    all_completed(h, tasks)
    failed = target.stats()["failed"]
    failed_jobs = [j for j in h.all_pages("/job_events", f'policy_id eq "{policy}"') if j["state"] != "COMPLETED"]
    if failed == 0 or len(failed_jobs) != failed:
        fail(f"the proxy failed {failed} requests and Warden recorded {len(failed_jobs)} failed jobs; expected the same, more than 0")
    expect_users(target, active=people, inactive=())
    expect_groups(target, {"engineering": people, "sales": [], "vpn": people})
    print(f"faults: the target answering 500 for 1.5 s: {failed} failed attempts, each a job, retried; all 5 joiners provisioned once")

    people.update({n: "Engineering" for n in range(6, 11)})
    target.control(lose_next=5, method="POST")
    h.import_file(h.identities("second", [employee(n, d) for n, d in people.items()]), "hr")
    all_completed(h, h.wait_finished(policy, 10, 120))
    if target.stats()["lost"] != 5:
        fail(f"the proxy lost {target.stats()['lost']} answers, expected 5")
    expect_users(target, active=people, inactive=())
    expect_groups(target, {"engineering": people, "sales": [], "vpn": people})
    print("faults: 5 creates whose answers were lost after the target acted: retried, found, no duplicate user")

    people.update({n: "Sales" for n in range(11, 16)})
    target.control(down_until=time.time() + 3600, status=500)
    h.import_file(h.identities("third", [employee(n, d) for n, d in people.items()]), "hr")
    down = [t for t in h.wait_finished(policy, 15, 120) if t["identity_name"] in {f"Person {n}" for n in range(11, 16)}]
    events = [h.ok("GET", f"/action_events/{t['id']}/Sync%20account")["value"] for t in down]
    if any(t["state"] != "ERRORED" for t in down) or any("fault proxy: the target is unavailable (500)" not in e["message"] for e in events):
        fail(f"with the target answering 500 past retry_count 5: tasks {[t['state'] for t in down]}, messages {[e['message'] for e in events][:2]}")
    print(f"faults: the target answering 500 past retry_count 5: 5 tasks ERRORED with \"{events[0]['message']}\"")

    target.control(reset=True)
    target.stop_proxy()
    retry_all(h, down)
    stopped = wait_for("the retried tasks to error against the stopped target",
                       lambda: all_finished(h, down, "ERRORED"), 120, 1)
    events = [h.ok("GET", f"/action_events/{t['id']}/Sync%20account")["value"] for t in stopped]
    if any("refused" not in e["message"].lower() and "connect" not in e["message"].lower() for e in events):
        fail(f"with the target stopped the actions' messages do not say the connection failed: {[e['message'] for e in events][:2]}")
    print(f"faults: the target stopped: the retried tasks ERRORED again with \"{events[0]['message']}\"")

    target.start_proxy()
    retry_all(h, stopped)
    all_completed(h, h.wait_finished(policy, 15, 120))
    expect_users(target, active=people, inactive=())
    expect_groups(target, {"engineering": range(1, 11), "sales": range(11, 16), "vpn": people})
    print("faults: after recovery `warden actions retry` completed all 5; the target holds 15 users, none duplicated, "
          "each in its groups")


def retry_all(h, tasks):
    for task in tasks:
        answer = json.loads(h.cli("actions", "retry", task["id"], "Sync account"))
        if answer["state"] != "PENDING":
            fail(f"warden actions retry printed a task in state {answer['state']}")


def all_finished(h, tasks, state):
    """The tasks, fetched again, once every one is in `state`; None while any is not."""
    fresh = [h.ok("GET", f"/workflow_tasks/{t['id']}")["value"] for t in tasks]
    return fresh if all(t["state"] == state for t in fresh) else None


SCENARIOS = {"jml": scenario_jml, "faults": scenario_faults}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("warden")
    parser.add_argument("scenarios", nargs="*", help=", ".join(SCENARIOS))
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    work = tempfile.mkdtemp(prefix="warden-scim-e2e.")
    try:
        for name in args.scenarios or list(SCENARIOS):
            os.makedirs(os.path.join(work, name))
            harness = Harness(os.path.abspath(args.warden), os.path.join(work, name), None)
            started = time.monotonic()
            try:
                SCENARIOS[name](harness, args)
            finally:
                harness.close()
            print(f"{name}: passed in {time.monotonic() - started:.1f} s", flush=True)
    except SystemExit:
        print(f"logs kept in {work}", file=sys.stderr)
        raise
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
