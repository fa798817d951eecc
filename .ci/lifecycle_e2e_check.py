"""The lifecycle engine end to end: HR files in, REST calls, webhooks and e-mails out, against live servers.

Starts its own HTTP receiver (scripts/test-receiver.py), SMTP sink (scripts/smtp-sink.py) and
`warden serve` processes (HTTPS, self-signed) on free ports under a temporary folder, drives them
with the `warden` CLI and the API, and checks what the receiver and the sink got and what the
activity log says. Each scenario prints what it proved and how long it took.

  jml       joiners, a mover file and a leaver file (full mode) on SQLite; activity log read with oaaclient
  faults    503s then recovery (attempts visible, nothing applied twice); down past retry_count, then
            `warden actions retry`
  crash     SIGKILL while 5,000 tasks are in flight, restart: every task ends, each key applied once
  two       two servers on one PostgreSQL, 20,000 joiners: every action exactly once (needs --database-url)
  safety    5,000 leavers against max_changes_absolute 100: BLOCKED; unblock 10 with RUN, ABANDON the rest
  badinput  a malformed policy file, a bad import row, a bad unblock request: each a 400 naming the problem

usage: python3 .ci/lifecycle_e2e_check.py WARDEN_BINARY [--database-url URL] [SCENARIO ...]
"""
import argparse
import base64
import collections
import csv
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = "/api/private/lifecycle_management"
UNFINISHED = ("INITIAL", "PENDING", "RUNNING", "SCHEDULED")
INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE


def fail(message):
    raise SystemExit(f"FAIL: {message}")


def wait_for(what, predicate, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def read_port(path, process, name):
    def ready():
        if process.poll() is not None:
            fail(f"{name} exited with status {process.returncode}")
        return os.path.exists(path) and open(path).read().strip()
    return int(wait_for(f"{name} to listen", ready, 30, 0.1))


class Receiver:
    """scripts/test-receiver.py: records requests, applies each Idempotency-Key once."""

    def __init__(self, work, name):
        port_file = os.path.join(work, f"{name}.port")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "scripts/test-receiver.py"), "--port", "0", "--port-file", port_file],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"{name}.err"), "w"))
        self.url = f"http://127.0.0.1:{read_port(port_file, self.process, name)}"

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)

    def control(self, **settings):
        self.call("POST", "/_control", settings)

    def applied(self):
        return self.call("GET", "/_applied")

    def requests(self):
        return self.call("GET", "/_requests")

    def stop(self):
        self.process.terminate()
        self.process.wait()


class MailSink:
    """scripts/smtp-sink.py: a real SMTP server (aiosmtpd) that keeps every message."""

    def __init__(self, work):
        self.directory = os.path.join(work, "mail")
        os.makedirs(self.directory)
        port_file = os.path.join(work, "smtp.port")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "scripts/smtp-sink.py"), "--dir", self.directory, "--port-file", port_file],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "smtp.err"), "w"))
        self.port = read_port(port_file, self.process, "the SMTP sink")

    def messages(self):
        path = os.path.join(self.directory, "messages.jsonl")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]

    def stop(self):
        self.process.terminate()
        self.process.wait()


class Warden:
    """One `warden serve` process over HTTPS, with the CLI and API pointed at it."""

    def __init__(self, harness, name, db_args, extra=()):
        self.harness, self.name, self.db_args, self.extra = harness, name, db_args, list(extra)
        self.process = None
        self.port = None

    def start(self):
        self.port = free_port() if self.port is None else self.port
        out = open(os.path.join(self.harness.work, f"{self.name}.out"), "a")
        err = open(os.path.join(self.harness.work, f"{self.name}.err"), "a")
        self.process = subprocess.Popen(
            [self.harness.warden, "serve", "--port", str(self.port), "--tls-cert", self.harness.cert, "--tls-key", self.harness.key,
             "--log-level", "warning", *self.db_args, *self.extra], stdout=out, stderr=err)
        self.url = f"https://127.0.0.1:{self.port}"

        def healthy():
            if self.process.poll() is not None:
                fail(f"{self.name} exited with status {self.process.returncode}; see {err.name}")
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1, context=INSECURE)
                return True
            except (urllib.error.URLError, ConnectionError, OSError):
                return False
        wait_for(f"{self.name} to start", healthy, 60, 0.1)
        return self

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            if self.process.wait(timeout=60) != 0:
                fail(f"{self.name} exited with status {self.process.returncode} on SIGTERM")

    def metric(self, label, having=""):
        """The sum of the series of a metric in this process's /metrics whose labels contain `having`."""
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=30, context=INSECURE) as response:
            text = response.read().decode()
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(label + "{") and having in line)


class Harness:
    def __init__(self, warden, work, database_url):
        self.warden, self.work, self.database_url = warden, work, database_url
        self.cert, self.key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", self.key, "-out", self.cert],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.token = None
        self.url = None
        self.serve_args = []
        self.cleanups = []

    def database(self, name, postgres=False):
        """Database arguments for a fresh SQLite data dir (or the PostgreSQL URL), with an admin key made for it.
        PostgreSQL outlives this run: its servers share a fixed test key for connector secrets, so a rerun can read them."""
        args = ["--data-dir", os.path.join(self.work, name)]
        if postgres:
            key_file = os.path.join(self.work, "secret.keys")
            with open(key_file, "w") as handle:
                handle.write("e2e:" + base64.b64encode(hashlib.sha256(b"warden lifecycle e2e check").digest()).decode() + "\n")
            args = ["--database-url", self.database_url, "--data-dir", os.path.join(self.work, name)]
            self.serve_args = ["--secret-key-file", key_file]
        self.token = subprocess.run([self.warden, "token", "create", "--name", f"e2e-{name}", "--role", "admin", "--log-level", "warning", *args],
                                    check=True, capture_output=True, text=True).stdout.strip()
        return args

    def server(self, name, db_args, extra=()):
        server = Warden(self, name, db_args, [*self.serve_args, *extra]).start()
        self.cleanups.append(server.stop)
        self.url = server.url
        return server

    def receiver(self, name):
        receiver = Receiver(self.work, name)
        self.cleanups.append(receiver.stop)
        return receiver

    def cli(self, *args, expect_failure=False):
        env = dict(os.environ, WARDEN_URL=self.url, WARDEN_TOKEN=self.token)
        done = subprocess.run([self.warden, *args, "--insecure"], env=env, capture_output=True, text=True)
        if expect_failure:
            if done.returncode == 0:
                fail(f"warden {' '.join(args[:3])} succeeded but should have failed:\n{done.stdout}")
            return done.stderr + done.stdout
        if done.returncode != 0:
            fail(f"warden {' '.join(args[:4])} exited with {done.returncode}:\n{done.stderr}")
        return done.stdout

    def api(self, method, path, body=None, query=None):
        url = self.url + BASE + path + ("?" + urllib.parse.urlencode(query) if query else "")
        request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=300, context=INSECURE) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def ok(self, method, path, body=None, query=None):
        status, answer = self.api(method, path, body, query)
        if status >= 300:
            fail(f"{method} {path} answered {status}: {answer}")
        return answer

    def all_pages(self, path, filter_text):
        records, token = [], ""
        while True:
            query = {"filter": filter_text, "page_size": "1000"}
            if token:
                query["page_token"] = token
            page = self.ok("GET", path, query=query)
            records += page["values"]
            if not page["has_more"]:
                return records
            token = page["next_page_token"]

    def any_task(self, policy, states):
        """Whether some task of the policy is in one of the states (one small query)."""
        return bool(self.ok("GET", "/workflow_tasks", query={"filter": tasks_in(policy, states), "page_size": "1"})["values"])

    def tasks(self, policy):
        return self.all_pages("/workflow_tasks", f'policy_id eq "{policy}"')

    def wait_finished(self, policy, expected, timeout):
        """Waits until the policy has `expected` tasks and none unfinished; returns them."""
        def finished():
            if self.any_task(policy, UNFINISHED):
                return None
            tasks = self.tasks(policy)
            return tasks if len(tasks) >= expected else None
        return wait_for(f"{expected} tasks of policy {policy} to finish", finished, timeout, 1)

    def connectors(self, receiver=None, mail=None):
        if receiver:
            self.ok("POST", "/connectors", {"name": "hr-api", "type": "REST", "base_url": receiver.url + "/api",
                                            "secret_headers": {"Authorization": "Bearer receiver-secret"}, "timeout_seconds": 10})
            self.ok("POST", "/connectors", {"name": "hooks", "type": "WEBHOOK", "url": receiver.url + "/hooks/lifecycle"})
        if mail:
            self.ok("POST", "/connectors", {"name": "mail", "type": "SMTP", "host": "127.0.0.1", "port": mail.port, "starttls": "NONE",
                                            "from": "warden@example.com"})

    def source(self, name):
        return self.cli("sources", "create", name, "--id-attribute", "employee_id", "--name-attribute", "display_name").strip()

    def policy(self, name, body):
        """Creates a policy from a YAML file with the CLI, publishes it and sets it RUNNING; returns its id."""
        path = os.path.join(self.work, f"{name}.yaml")
        with open(path, "w") as handle:
            handle.write(body)
        policy = self.cli("policies", "create", path, "--publish").strip()
        self.cli("policies", "resume", policy)
        return policy

    def identities(self, name, rows):
        path = os.path.join(self.work, f"{name}.csv")
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["employee_id", "display_name", "email", "department", "manager_email"])
            writer.writerows(rows)
        return path

    def import_file(self, path, source, mode="full"):
        return self.cli("identities", "import", path, "--source", source, "--mode", mode)

    def close(self):
        for cleanup in reversed(self.cleanups):
            cleanup()
        self.cleanups = []


def tasks_in(policy, states):
    """A workflow_tasks filter: the policy's tasks in one of the states."""
    return f'policy_id eq "{policy}" and (' + " or ".join(f'state eq "{state}"' for state in states) + ")"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def person(number, department="Engineering"):
    return [f"E{number:05d}", f"Person {number}", f"person{number}@example.com", department, f"boss{number % 7}@example.com"]


def one_rest_action_policy(name, source, trigger, method, path, body=None, extra=""):
    settings = {"connector": "hr-api", "method": method, "path": path}
    if body is not None:
        settings["body"] = body
    return f"""name: {name}
datasource_ids: [{source}]
{extra}
config:
  workflows:
    - name: {name} workflow
      trigger: {{changes: [{trigger}]}}
      conditions_on_success:
        - {{name: everyone, condition_type: ANY, actions_to_run: [{{name: Call}}]}}
  actions:
    - name: Call
      type: SEND_REST_PAYLOAD
      config: {json.dumps(settings)}
"""


JML_POLICY = """name: Joiners movers leavers
datasource_ids: [{source}]
config:
  workflows:
    - name: Joiner
      trigger: {{changes: [JOINED]}}
      conditions_on_success:
        - {{name: everyone, condition_type: ANY,
            actions_to_run: [{{name: Create account}}, {{name: Welcome mail}}, {{name: Joiner notice}}]}}
    - name: Mover
      trigger: {{changes: [CHANGED], attributes: [department]}}
      conditions_on_success:
        - {{name: everyone, condition_type: ANY, actions_to_run: [{{name: Move account}}]}}
    - name: Leaver
      trigger: {{changes: [LEFT]}}
      conditions_on_success:
        - {{name: everyone, condition_type: ANY, actions_to_run: [{{name: Deprovision account}}, {{name: Tell manager}}]}}
  actions:
    - name: Create account
      type: SEND_REST_PAYLOAD
      config:
        connector: hr-api
        method: POST
        path: /users
        body: {{userName: "{{email | LOWER}}", employeeId: "{{employee_id}}", displayName: "{{display_name}}", department: "{{department}}"}}
    - name: Welcome mail
      type: SEND_NOTIFICATION
      config: {{connector: mail, to: ["{{email}}"], subject: "Welcome, {{display_name}}", body: "Your account is {{actions.Create account.id}}."}}
    - name: Joiner notice
      type: SEND_NOTIFICATION
      config: {{connector: hooks, body: {{event: joined, employee: "{{employee_id}}", account: "{{actions.Create account.id}}"}}}}
    - name: Move account
      type: SEND_REST_PAYLOAD
      config: {{connector: hr-api, method: PATCH, path: "/users/{{employee_id}}", body: {{department: "{{department}}"}}}}
    - name: Deprovision account
      type: SEND_REST_PAYLOAD
      config: {{connector: hr-api, method: DELETE, path: "/users/{{employee_id}}"}}
    - name: Tell manager
      type: SEND_NOTIFICATION
      config: {{connector: mail, to: ["{{manager_email}}"], subject: "{{display_name}} has left", body: "{{display_name}} left {{department}}."}}
"""


def scenario_jml(h, args):
    """Joiners, a mover file, a leaver file; the receiver, the sink and the activity log (oaaclient) agree."""
    from oaaclient.client import OAAClient

    receiver, mail = h.receiver("jml-receiver"), MailSink(h.work)
    h.cleanups.append(mail.stop)
    h.server("jml", h.database("jml"))
    h.connectors(receiver, mail)
    source = h.source("hr")
    policy = h.policy("jml", JML_POLICY.format(source=source))
    joiners = [person(n) for n in range(1, 6)]
    h.import_file(h.identities("joiners", joiners), "hr")
    h.wait_finished(policy, 5, 60)
    movers = [person(n, "Sales" if n in (2, 3) else "Engineering") for n in range(1, 6)]
    h.import_file(h.identities("movers", movers), "hr")
    h.wait_finished(policy, 7, 60)
    leavers = movers[:3]
    h.import_file(h.identities("leavers", leavers), "hr")
    tasks = h.wait_finished(policy, 9, 60)

    by_workflow = collections.defaultdict(dict)
    for task in tasks:
        if task["state"] != "COMPLETED":
            fail(f"task {task['id']} ({task['workflow']} of {task['identity_name']}) is {task['state']}: {task['messages']}")
        by_workflow[task["workflow"]][task["identity_name"]] = task["id"]
    expected_tasks = {"Joiner": {f"Person {n}" for n in range(1, 6)}, "Mover": {"Person 2", "Person 3"},
                      "Leaver": {"Person 4", "Person 5"}}
    if {w: set(names) for w, names in by_workflow.items()} != expected_tasks:
        fail(f"tasks by workflow: {dict(by_workflow)}, expected {expected_tasks}")

    expected = {}
    for n in range(1, 6):
        task = by_workflow["Joiner"][f"Person {n}"]
        expected[f"{task}:Create account"] = ("POST", "/api/users", {"userName": f"person{n}@example.com", "employeeId": f"E{n:05d}",
                                                                      "displayName": f"Person {n}", "department": "Engineering"})
        expected[f"{task}:Joiner notice"] = ("POST", "/hooks/lifecycle", {"event": "joined", "employee": f"E{n:05d}"})
    for n in (2, 3):
        expected[f"{by_workflow['Mover'][f'Person {n}']}:Move account"] = ("PATCH", f"/api/users/E{n:05d}", {"department": "Sales"})
    for n in (4, 5):
        expected[f"{by_workflow['Leaver'][f'Person {n}']}:Deprovision account"] = ("DELETE", f"/api/users/E{n:05d}", None)
    applied = receiver.applied()
    if set(applied) != set(expected):
        fail(f"applied keys differ from the expected: extra {set(applied) - set(expected)}, missing {set(expected) - set(applied)}")
    for key, (method, path, body) in expected.items():
        got = applied[key]
        if key.endswith(":Joiner notice"):
            # The notice carries the id the receiver answered to the task's Create account, as a number.
            body = dict(body, account=applied[key.replace(":Joiner notice", ":Create account")]["answer"]["id"])
        if (got["method"], got["path"], got["body"]) != (method, path, body):
            fail(f"{key}: applied {got['method']} {got['path']} {got['body']}, expected {method} {path} {body}")
    requests = receiver.requests()
    if len(requests) != len(expected) or any(r["replayed"] for r in requests):
        fail(f"the receiver got {len(requests)} requests for {len(expected)} actions (replays: {sum(r['replayed'] for r in requests)})")
    if any(r["headers"].get("Authorization") != "Bearer receiver-secret" for r in requests if r["path"].startswith("/api/")):
        fail("a REST request lacked the connector's secret header")
    print(f"jml: the receiver applied exactly {len(expected)} payloads (5 POST /api/users with templated bodies, 5 webhooks, "
          f"2 PATCH for the movers, 2 DELETE for the leavers), one request per Idempotency-Key (task:action)")

    mails = sorted((tuple(m["rcpt_tos"]), m["subject"]) for m in mail.messages())
    expected_mails = sorted([((f"person{n}@example.com",), f"Welcome, Person {n}") for n in range(1, 6)]
                            + [((f"boss{n % 7}@example.com",), f"Person {n} has left") for n in (4, 5)])
    if mails != expected_mails:
        fail(f"the SMTP sink got {mails}, expected {expected_mails}")
    print(f"jml: the SMTP sink got exactly {len(mails)} mails: 5 welcomes to the joiners, 2 leaver notices to their managers")

    os.environ["VEZA_UNSAFE_HTTPS"] = "true"
    client = OAAClient(url=h.url, token=h.token)
    listed = client.api_get(f"{BASE}/workflow_tasks", params={"filter": f'policy_id eq "{policy}" and state eq "COMPLETED"', "page_size": "4"})
    if len(listed) != 9:
        fail(f"oaaclient listed {len(listed)} COMPLETED tasks of the policy, expected 9")
    task_ids = {t["id"] for t in listed}
    actions = [e for e in client.api_get(f"{BASE}/action_events", params={"page_size": "5"}) if e["policy_task"] in task_ids]
    states = collections.Counter((e["action_name"], e["state"]) for e in actions)
    expected_actions = collections.Counter({("Create account", "COMPLETED"): 5, ("Welcome mail", "COMPLETED"): 5,
                                            ("Joiner notice", "COMPLETED"): 5, ("Move account", "COMPLETED"): 2,
                                            ("Deprovision account", "COMPLETED"): 2, ("Tell manager", "COMPLETED"): 2})
    if states != expected_actions:
        fail(f"action events: {dict(states)}, expected {dict(expected_actions)}")
    jobs = [j for j in client.api_get(f"{BASE}/job_events", params={"page_size": "7", "details": "true"}) if j["policy_task"] in task_ids]
    job_states = collections.Counter(j["state"] for j in jobs)
    if len(jobs) != 21 or job_states != {"COMPLETED": 21}:
        fail(f"job events: {len(jobs)} {dict(job_states)}, expected 21 COMPLETED (one per action)")
    leaked = [j["job_id"] for j in jobs if "receiver-secret" in json.dumps(j.get("job_request"))]
    if leaked:
        fail(f"job requests show the connector's secret header: {leaked}")
    events = [e for e in client.api_get(f"{BASE}/events", params={"page_size": "10"}) if e["policy_task"] in task_ids]
    failed = [e for e in events if not e["success"]]
    if len(events) < 21 or failed:
        fail(f"lifecycle events: {len(events)} for the policy's tasks, {len(failed)} unsuccessful: {failed[:3]}")
    types = collections.Counter(e["event_type"] for e in events)
    one = client.api_get(f"{BASE}/action_events/{actions[0]['policy_task']}/{urllib.parse.quote(actions[0]['action_name'])}")
    if one["state"] != "COMPLETED":
        fail(f"oaaclient get of one action event: {one}")
    shown = json.loads(h.cli("actions", "get", one["policy_task"], one["action_name"]))
    if (shown["policy_task"], shown["action_name"], shown["state"]) != (one["policy_task"], one["action_name"], "COMPLETED"):
        fail(f"warden actions get showed {shown}")
    print(f"jml: oaaclient reads 9 COMPLETED tasks, 21 COMPLETED action events, 21 COMPLETED jobs (secrets redacted) "
          f"and {len(events)} successful lifecycle events ({dict(types)})")


def scenario_faults(h, args):
    """503s then recovery; then down past the retry budget, ERRORED with the 503, and `warden actions retry`."""
    receiver = h.receiver("faults-receiver")
    h.server("faults", h.database("faults"), ["--retry-backoff", "100ms"])
    h.connectors(receiver)
    recovering = h.policy("recovering", one_rest_action_policy(
        "Recovering", h.source("recovering"), "JOINED", "POST", "/users", {"id": "{employee_id}"}))
    receiver.control(fail_next=25, status=503)
    h.import_file(h.identities("recovering", [person(n) for n in range(1, 11)]), "recovering")
    tasks = h.wait_finished(recovering, 10, 120)
    bad = [t for t in tasks if t["state"] != "COMPLETED"]
    if bad:
        fail(f"{len(bad)} tasks did not complete after the receiver recovered: {bad[0]['messages']}")
    ids = {t["id"] for t in tasks}
    jobs = [j for j in h.all_pages("/job_events", f'policy_id eq "{recovering}"') if j["policy_task"] in ids]
    job_states = collections.Counter(j["state"] for j in jobs)
    requests = receiver.requests()
    failed = sum(1 for r in requests if r["status"] == 503)
    applied = receiver.applied()
    if failed != 25 or len(applied) != 10 or any(r["replayed"] for r in requests):
        fail(f"the receiver answered {failed} 503s (expected 25), applied {len(applied)} keys (expected 10), "
             f"replayed {sum(r['replayed'] for r in requests)}")
    if len(jobs) != 35 or job_states.get("COMPLETED") != 10:
        fail(f"job events: {len(jobs)} ({dict(job_states)}), expected 35 attempts of which 10 COMPLETED")
    print(f"faults: 25 answers of 503 then recovery: 35 attempts visible as job events ({dict(job_states)}), "
          f"all 10 actions COMPLETED, 10 keys applied once each, no replay")

    down = h.policy("down", one_rest_action_policy(
        "Down", h.source("down"), "JOINED", "POST", "/users", {"id": "{employee_id}"}, "retry_count: 2"))
    receiver.control(reset=True)
    receiver.control(down_until=time.time() + 3600, status=503)
    h.import_file(h.identities("down", [person(n) for n in range(1, 11)]), "down")
    tasks = h.wait_finished(down, 10, 120)
    events = [h.ok("GET", f"/action_events/{t['id']}/Call")["value"] for t in tasks]
    errored = [e for e in events if e["state"] == "ERRORED" and "503" in e["message"]]
    if len(errored) != 10 or any(t["state"] != "ERRORED" for t in tasks):
        fail(f"with the receiver down, {len(errored)} of 10 actions ERRORED naming the 503: {[e['message'] for e in events][:2]}")
    attempts = len(receiver.requests())
    if attempts != 30:
        fail(f"the receiver saw {attempts} attempts with retry_count 2, expected 30 (3 per action)")
    print(f"faults: receiver down past retry_count 2: 30 attempts, 10 actions ERRORED with \"{errored[0]['message']}\"")
    receiver.control(down_until=0)
    for task in tasks:
        answer = json.loads(h.cli("actions", "retry", task["id"], "Call"))
        if answer["state"] != "PENDING":
            fail(f"warden actions retry printed a task in state {answer['state']}")
    tasks = h.wait_finished(down, 10, 60)
    if any(t["state"] != "COMPLETED" for t in tasks):
        fail(f"after warden actions retry: {dict(collections.Counter(t['state'] for t in tasks))}")
    applied = receiver.applied()
    if sorted(applied) != sorted(f"{t['id']}:Call" for t in tasks) or any(r["replayed"] for r in receiver.requests()):
        fail(f"after the retries the receiver applied {len(applied)} keys, expected the 10 tasks' keys once each")
    print("faults: after the receiver came back, `warden actions retry TASK Call` completed all 10, each key applied once")


def scenario_crash(h, args):
    """SIGKILL with 5,000 tasks in flight; after a restart every task ends and each key was applied once."""
    total = 5_000
    receiver = h.receiver("crash-receiver")
    db = h.database("crash")
    server = h.server("crash", db)
    h.connectors(receiver)
    source = h.source("crash")
    policy = h.policy("crash", one_rest_action_policy("Crash", source, "JOINED", "POST", "/users", {"id": "{employee_id}"}))
    receiver.control(delay_next=total, seconds=0.05)
    started = time.monotonic()
    h.import_file(h.identities("crash", [person(n) for n in range(1, total + 1)]), "crash")
    imported = time.monotonic() - started
    wait_for("some tasks to complete", lambda: len(receiver.applied()) >= 500, 120, 0.2)
    if not h.any_task(policy, UNFINISHED):
        fail("every task finished before the kill, so nothing was interrupted")
    receiver.control(delay_next=300, seconds=2)
    time.sleep(1)
    server.kill()
    killed_at = time.monotonic()
    applied_at_kill = len(receiver.applied())
    server.start()
    unfinished = collections.Counter(t["state"] for t in h.all_pages("/workflow_tasks", tasks_in(policy, UNFINISHED)))
    print(f"crash: import of {total} joiners took {imported:.1f} s; killed with {applied_at_kill} keys applied and "
          f"{sum(unfinished.values())} tasks unfinished ({dict(unfinished)}); restarted on the same data dir")
    tasks = h.wait_finished(policy, total, 240)
    states = collections.Counter(t["state"] for t in tasks)
    if len(tasks) != total or set(states) - {"COMPLETED", "ERRORED"}:
        fail(f"after the restart: {len(tasks)} tasks, {dict(states)}")
    applied = receiver.applied()
    requests = receiver.requests()
    keys = collections.Counter(r["idempotency_key"] for r in requests)
    expected = {f"{t['id']}:Call" for t in tasks}
    if set(applied) != expected:
        fail(f"applied keys: {len(applied)}, expected {len(expected)}; missing {len(expected - set(applied))}, extra {len(set(applied) - expected)}")
    print(f"crash: {len(tasks)} tasks, {dict(states)}, none RUNNING/INITIAL/PENDING, {time.monotonic() - killed_at:.0f} s after the kill; "
          f"{len(applied)} keys applied once each ({len(requests)} requests, {sum(r['replayed'] for r in requests)} replays "
          f"answered from the first application, {sum(1 for c in keys.values() if c > 1)} keys sent more than once)")


def scenario_two(h, args):
    """Two servers on one PostgreSQL work one extraction of 20,000 joiners: every action exactly once."""
    if not h.database_url:
        fail("the two-process scenario needs --database-url")
    total = 20_000
    tag = f"{int(time.time())}"
    receiver = h.receiver("two-receiver")
    db = h.database("postgres", postgres=True)
    first = h.server("pg-first", db)
    if any(c["name"] == "hr-api" for c in h.ok("GET", "/connectors")["values"]):
        h.ok("PATCH", "/connectors/hr-api", {"base_url": receiver.url + "/api"})
    else:
        h.connectors(receiver)
    second = h.server("pg-second", db)
    source = h.source(f"two-{tag}")
    policy = h.policy(f"two-{tag}", one_rest_action_policy(f"Two {tag}", source, "JOINED", "POST", "/users", {"id": "{employee_id}"}))
    path = h.identities("two", [person(n) for n in range(1, total + 1)])
    started = time.monotonic()
    h.import_file(path, source)
    imported = time.monotonic() - started
    tasks = h.wait_finished(policy, total, 600)
    ran = time.monotonic() - started - imported
    states = collections.Counter(t["state"] for t in tasks)
    requests = receiver.requests()
    keys = {r["idempotency_key"] for r in requests}
    expected = {f"{t['id']}:Call" for t in tasks}
    label = "warden_lifecycle_connector_attempts_total"
    shares = [int(server.metric(label, 'outcome="succeeded"')) for server in (first, second)]
    transient = [int(server.metric(label, 'outcome="transient"')) for server in (first, second)]
    if len(tasks) != total or states != {"COMPLETED": total}:
        fail(f"{len(tasks)} tasks: {dict(states)}")
    if len(requests) != total or keys != expected:
        fail(f"the receiver got {len(requests)} requests with {len(keys)} distinct keys for {total} actions")
    if sum(shares) != total or 0 in shares:
        fail(f"the two processes' attempt counters are {shares}, expected two non-zero shares of {total} "
             f"(transient failures: {transient})")
    print(f"two: import of {total} joiners {imported:.1f} s, runners {ran:.1f} s ({total / ran:.0f} tasks/s); "
          f"{total} tasks COMPLETED, the receiver got exactly {len(requests)} requests with {len(keys)} distinct keys (no replays); "
          f"the processes made {shares[0]} and {shares[1]} of the successful calls (their /metrics attempt counters; "
          f"transient failures retried: {transient[0]} and {transient[1]})")


def scenario_safety(h, args):
    """5,000 leavers against max_changes_absolute 100: BLOCKED; RUN 10, ABANDON the rest."""
    total = 5_000
    receiver = h.receiver("safety-receiver")
    h.server("safety", h.database("safety"))
    h.connectors(receiver)
    source = h.source("safety")
    h.import_file(h.identities("safety-all", [person(n) for n in range(1, total + 1)]), "safety")
    policy = h.policy("safety", one_rest_action_policy("Safety", source, "LEFT", "DELETE", "/users/{employee_id}",
                                                       extra="safety_limit_settings: {max_changes_absolute: 100}"))
    h.import_file(h.identities("safety-none", []), "safety")
    blocked = h.all_pages("/workflow_tasks", tasks_in(policy, ["BLOCKED"]))
    if len(blocked) != total or len(h.tasks(policy)) != total:
        fail(f"{len(blocked)} BLOCKED tasks after {total} left, expected {total}")
    if receiver.requests():
        fail("a blocked task called the receiver")
    print(f"safety: all {total} identities left against max_changes_absolute 100: {total} tasks BLOCKED "
          f"(\"{blocked[0]['messages'][-1][:80]}...\"), nothing called")
    ids = [t["id"] for t in blocked]
    h.cli("tasks", "unblock", *ids[:10])
    wait_for("the 10 unblocked tasks to complete", lambda: all(
        h.ok("GET", f"/workflow_tasks/{i}")["value"]["state"] == "COMPLETED" for i in ids[:10]), 60, 0.5)
    status, answer = h.api("POST", "/workflow_tasks:unblock", {"task_ids": ids[10:1011], "action": "ABANDON"})
    if status != 400 or "1000" not in json.dumps(answer):
        fail(f"an unblock of 1001 ids answered {status}: {answer}")
    for start in range(10, total, 1000):
        h.cli("tasks", "unblock", "--abandon", *ids[start:start + 1000])
    states = collections.Counter(t["state"] for t in h.tasks(policy))
    if states != {"COMPLETED": 10, "ABANDONED": total - 10}:
        fail(f"after unblocking: {dict(states)}")
    applied = receiver.applied()
    if sorted(applied) != sorted(f"{i}:Call" for i in ids[:10]):
        fail(f"the receiver applied {len(applied)} keys, expected the 10 run tasks'")
    print(f"safety: `warden tasks unblock` ran 10 (COMPLETED, 10 DELETEs applied); `--abandon` in calls of 1,000 ended "
          f"{states['ABANDONED']} ABANDONED; 1,001 ids in one call is a 400 naming the limit")


def scenario_badinput(h, args):
    """A malformed policy file, a bad import row and a bad action request each get a 400 naming the problem."""
    h.server("badinput", h.database("badinput"))
    source = h.source("bad")
    path = os.path.join(h.work, "bad-policy.yaml")
    with open(path, "w") as handle:
        handle.write(f"""name: Bad
datasource_ids: [{source}]
config:
  workflows:
    - name: W
      trigger: {{changes: [JOINED], filter: "department eq"}}
      conditions_on_success:
        - {{name: all, condition_type: ANY, actions_to_run: [{{name: Sync}}, {{name: Missing}}]}}
  actions:
    - {{name: Sync, type: ACCESS_PLAN, config: {{}}}}
    - {{name: Sync, type: SEND_REST_PAYLOAD, config: {{connector: nowhere, method: POST, path: /x}}}}
""")
    message = h.cli("policies", "create", path, expect_failure=True)
    for needle in ("400", "trigger", "ACCESS_PLAN", "Missing", "nowhere", "Sync"):
        if needle not in message:
            fail(f"the malformed policy's error does not name {needle!r}:\n{message}")
    print(f"badinput: a malformed policy file: one 400 naming every problem (filter, unknown type, duplicate name, "
          f"missing action, missing connector; {len(message.splitlines())} lines)")
    path = os.path.join(h.work, "bad-rows.csv")
    with open(path, "w") as handle:
        handle.write("employee_id,display_name,email\nE1,One,one@example.com\nE2,Two,two@example.com,extra\nE3,Three,three@example.com\n")
    message = h.cli("identities", "import", path, "--source", "bad", "--mode", "full", expect_failure=True)
    if "400" not in message or "line 3" not in message:
        fail(f"the bad import row's error does not name line 3:\n{message}")
    if h.ok("GET", "/identities", query={"page_size": "10"})["values"]:
        fail("an import with a bad row loaded identities")
    print(f"badinput: a bad import row: 400 naming line 3, nothing loaded (\"{message.strip().splitlines()[-1][:100]}\")")
    status, answer = h.api("POST", "/workflow_tasks:unblock", {"task_ids": ["x"], "action": "EXPLODE"})
    if status != 400 or "action" not in json.dumps(answer):
        fail(f"an unblock with action EXPLODE answered {status}: {answer}")
    message = h.cli("actions", "retry", "no-such-task", "Call", expect_failure=True)
    if "no-such-task" not in message:
        fail(f"retry of an unknown task does not name it:\n{message}")
    print("badinput: an unblock with action EXPLODE: 400 naming action; `warden actions retry` of an unknown task names it")


SCENARIOS = {"jml": scenario_jml, "faults": scenario_faults, "crash": scenario_crash, "two": scenario_two,
             "safety": scenario_safety, "badinput": scenario_badinput}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("warden")
    parser.add_argument("--database-url", help="PostgreSQL for the two-process scenario")
    parser.add_argument("scenarios", nargs="*", help=", ".join(SCENARIOS))
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    names = args.scenarios or [name for name in SCENARIOS if name != "two" or args.database_url]
    work = tempfile.mkdtemp(prefix="warden-e2e.")
    timings = []
    try:
        for name in names:
            os.makedirs(os.path.join(work, name))
            harness = Harness(os.path.abspath(args.warden), os.path.join(work, name), args.database_url)
            started = time.monotonic()
            try:
                SCENARIOS[name](harness, args)
            finally:
                harness.close()
            timings.append((name, time.monotonic() - started))
            print(f"{name}: passed in {timings[-1][1]:.1f} s", flush=True)
    except SystemExit:
        print(f"logs kept in {work}", file=sys.stderr)
        raise
    shutil.rmtree(work)
    print("timings: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings))


if __name__ == "__main__":
    main()
