#!/usr/bin/env python3
"""The web UI in a real browser: Debian's chromium driven by selenium, against a live `warden serve`
(HTTPS) over a database filled by `warden demo seed`, signed in through a real OpenID Connect
provider (oidc-provider-mock) started here. axe-core checks every page visited; a screenshot of each is
saved. Any failed step fails the run.

    browser_check.py WARDEN_BINARY [--screenshots DIR]
"""
import argparse
import csv
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
import json

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE

OPERATOR = {"sub": "olivia", "email": "olivia@corp.example", "email_verified": True, "name": "Olivia Ops", "groups": ["warden-operators"]}
REVIEWER = {"sub": "manager1", "email": "manager1@corp.example", "email_verified": True, "name": "Manager One", "groups": ["managers"]}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def step(message):
    print(f"  - {message}", flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what, predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    fail(f"timed out after {timeout} s waiting for {what}")


def answers(url, context=None):
    try:
        urllib.request.urlopen(url, timeout=1, context=context)
        return True
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


class Run:
    def __init__(self, warden, work, screenshots):
        self.warden, self.work, self.screenshots = warden, work, screenshots
        self.processes = []
        self.downloads = os.path.join(work, "downloads")
        os.makedirs(self.downloads)
        os.makedirs(screenshots, exist_ok=True)
        self.checked_pages = 0

    def start(self, name, args):
        process = subprocess.Popen(args, stdout=open(os.path.join(self.work, f"{name}.out"), "w"),
                                   stderr=open(os.path.join(self.work, f"{name}.err"), "w"))
        self.processes.append(process)
        return process

    def stop_all(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()

    def set_up(self):
        provider_port = free_port()
        self.issuer = f"http://127.0.0.1:{provider_port}"
        self.start("provider", [sys.executable, "-W", "ignore", "-m", "oidc_provider_mock", "--port", str(provider_port),
                                "--user-claims", json.dumps(OPERATOR), "--user-claims", json.dumps(REVIEWER)])
        wait_for("the OpenID Connect provider", lambda: answers(f"{self.issuer}/.well-known/openid-configuration"), 30)

        data = os.path.join(self.work, "data")
        seeded = subprocess.run([self.warden, "demo", "seed", "--data-dir", data, "--events", "3000", "--results", "2000", "--seed", "7",
                                 "--log-level", "warning"], capture_output=True, text=True)
        if seeded.returncode != 0:
            fail(f"warden demo seed failed: {seeded.stderr}")
        self.certification = re.search(r"Wrote certification (\S+)", seeded.stdout).group(1)

        cert, key = os.path.join(self.work, "cert.pem"), os.path.join(self.work, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        self.base = f"https://127.0.0.1:{port}"
        self.server = self.start("warden", [
            self.warden, "serve", "--data-dir", data, "--port", str(port), "--tls-cert", cert, "--tls-key", key,
            "--runner-concurrency", "0", "--log-level", "warning", "--public-url", self.base,
            "--oidc-issuer", self.issuer, "--oidc-client-id", "warden-ci", "--oidc-client-secret", "ci-secret",
            "--oidc-role-claim", "groups", "--oidc-role", "warden-operators=operator", "--oidc-role", "managers=reviewer"])
        wait_for("warden to start", lambda: self.server.poll() is not None or answers(f"{self.base}/healthz", INSECURE), 60)
        if self.server.poll() is not None:
            fail(f"warden serve exited with {self.server.returncode}: {open(os.path.join(self.work, 'warden.err')).read()}")
        self.admin_key = self.read_admin_key()

        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800", "--ignore-certificate-errors",
                         "--lang=en-US"]:
            options.add_argument(argument)
        options.add_experimental_option("prefs", {"download.default_directory": self.downloads, "download.prompt_for_download": False})
        self.driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(60)
        self.wait = WebDriverWait(self.driver, 30)

    def read_admin_key(self):
        path = os.path.join(self.work, "warden.out")
        wait_for("the initial admin key", lambda: re.search(r"^wdn_\S+", open(path).read(), re.M) is not None, 30)
        return re.search(r"^wdn_\S+", open(path).read(), re.M).group(0)

    def api(self, path, key=None):
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {key or self.admin_key}"})
        with urllib.request.urlopen(request, context=INSECURE, timeout=60) as response:
            return json.loads(response.read())

    # Pages

    def open(self, path):
        self.driver.get(self.base + path)

    def check_page(self, name):
        """axe finds no serious or critical violation; the page is saved as a screenshot."""
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        if bad:
            details = "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['html'][:160]}" for v in bad)
            fail(f"axe found serious or critical violations on {name} ({self.driver.current_url}): {details}")
        self.driver.execute_script("window.scrollTo(0, 0)")
        self.driver.save_screenshot(os.path.join(self.screenshots, f"{name}.png"))
        self.checked_pages += 1

    def element(self, by, value):
        return self.wait.until(expected_conditions.presence_of_element_located((by, value)))

    def sign_in(self, user):
        self.open("/ui")
        self.wait.until(lambda d: "/ui/sign_in" in d.current_url)
        self.check_page("sign-in")
        self.element(By.ID, "sign-in-oidc").click()
        self.wait.until(lambda d: d.current_url.startswith(self.issuer))
        field = self.element(By.NAME, "sub")
        field.clear()
        field.send_keys(user["sub"])
        self.driver.find_element(By.XPATH, "//button[normalize-space()='Authorize']").click()
        self.wait.until(lambda d: d.current_url.startswith(self.base + "/ui/") and "/ui/sign_in" not in d.current_url)
        who = self.element(By.CSS_SELECTOR, "form.user .who").text
        if user["name"] not in who:
            fail(f"signed in as {user['sub']}, the page header shows {who!r}")

    def sign_out(self):
        self.open("/ui")
        self.element(By.ID, "sign-out").click()
        self.wait.until(lambda d: "/ui/sign_in" in d.current_url)
        self.open("/ui/activity/action_events")
        if "/ui/sign_in" not in self.driver.current_url:
            fail("after signing out, the Activity Log still opened")

    def submit_filter(self, text, page_size=None):
        field = self.element(By.ID, "filter")
        field.clear()
        field.send_keys(text)
        if page_size:
            Select(self.driver.find_element(By.ID, "page-size")).select_by_value(str(page_size))
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.ID, "filter-form").submit()
        self.wait.until(expected_conditions.staleness_of(old))

    def table_keys(self):
        """The (task, action) key of each row of the Workflow Actions table."""
        keys = []
        for row in self.driver.find_elements(By.CSS_SELECTOR, "#activity-table tbody tr[data-href]"):
            _, _, task, action = row.get_attribute("data-href").split("/", 4)[1:]
            keys.append((task, urllib.parse.unquote(action)))
        return keys

    # The scenario

    def operator_works_the_activity_log(self):
        self.sign_in(OPERATOR)
        step("signed in through the OpenID Connect provider as an operator")
        self.open("/ui/activity/action_events")
        self.check_page("activity-workflow-actions")

        self.submit_filter('state eq "ERRORED"', page_size=1000)
        states = [cell.get_attribute("data-state") for cell in self.driver.find_elements(By.CSS_SELECTOR, "#activity-table tbody [data-state]")]
        if not states or set(states) != {"ERRORED"}:
            fail(f'filtering Workflow Actions by state eq "ERRORED" showed states {sorted(set(states))} ({len(states)} rows)')
        shown = self.table_keys()
        api = self.api("/api/private/lifecycle_management/action_events?" + urllib.parse.urlencode({"filter": 'state eq "ERRORED"', "page_size": 1000}))
        if len(shown) != len(api["values"]) or api["has_more"]:
            fail(f"the page shows {len(shown)} errored actions, the API lists {len(api['values'])}")
        self.check_page("activity-workflow-actions-errored")
        step(f'typed state eq "ERRORED": {len(shown)} rows, all ERRORED, as many as the API lists')

        self.element(By.ID, "export-csv").click()
        path = os.path.join(self.downloads, "action_events.csv")
        wait_for("the CSV download", lambda: os.path.exists(path) and not os.path.exists(path + ".crdownload") and os.path.getsize(path) > 0, 30)
        with open(path, newline="") as file:
            exported = [(row["policy_task"], row["action_name"]) for row in csv.DictReader(file)]
        if exported != shown:
            fail(f"the CSV holds {len(exported)} rows, the page showed {len(shown)}; first difference at "
                 f"{next((i for i, (a, b) in enumerate(zip(exported, shown)) if a != b), min(len(exported), len(shown)))}")
        step(f"Export CSV downloaded the same {len(exported)} rows in the same order")

        self.submit_filter('state eq "ERRORED" and')
        message = self.element(By.ID, "filter-error").text
        if "invalid filter" not in message:
            fail(f"a broken filter showed {message!r} beside the box")
        if self.driver.find_elements(By.CSS_SELECTOR, "#activity-table tbody tr[data-href]"):
            fail("a broken filter still showed rows")
        self.check_page("activity-filter-error")
        step(f"a broken filter shows the API's message beside the box: {message!r}")

        self.submit_filter('state eq "ERRORED"')
        self.driver.find_element(By.CSS_SELECTOR, "#activity-table tbody tr[data-href] a").click()
        self.element(By.ID, "detail-message")
        self.element(By.ID, "retry-action")
        self.check_page("action-event-detail")
        step("an errored action's page shows its message and offers Retry")

        for tab in ["events", "job_events", "workflow_tasks"]:
            self.open(f"/ui/activity/{tab}")
            self.element(By.ID, "activity-table")
            name = tab.replace("_", "-")
            self.check_page(f"activity-{name}")
            self.driver.find_element(By.CSS_SELECTOR, "#activity-table tbody tr[data-href] a").click()
            self.element(By.ID, "detail-fields")
            self.check_page(f"{name}-detail")
        self.open("/ui/policies")
        self.check_page("policies")
        self.open("/ui/smart_actions")
        self.check_page("smart-action-definitions")
        self.element(By.CSS_SELECTOR, "#definitions-table tr[data-definition-id] a").click()
        self.element(By.ID, "definition-form")
        self.check_page("smart-action-definition")
        self.open("/ui/workflow_tasks/no-such-task")
        self.element(By.ID, "error-message")
        self.check_page("not-found")
        step("Events, Jobs, Workflow Tasks (with a record of each), Policies, Smart Actions and an error page pass axe")
        self.sign_out()
        step("signed out")

    def reviewer_applies_and_undoes_a_prepared_action(self):
        self.sign_in(REVIEWER)
        step("signed back in as a reviewer")
        self.open("/ui/reviews")
        self.check_page("reviews")
        self.element(By.CSS_SELECTOR, f"a[href='/ui/reviews/{self.certification}']").click()
        self.element(By.ID, "results-table")
        self.check_page("review")

        reviewer_key = subprocess.run(
            [self.warden, "token", "create", "--data-dir", os.path.join(self.work, "data"), "--name", "browser-check-reviewer", "--role", "reviewer",
             "--email", REVIEWER["email"], "--log-level", "warning"], capture_output=True, text=True, check=True).stdout.strip()
        theirs = self.api(f"/api/preview/awf/certifications/{self.certification}/results?page_size=2000", key=reviewer_key)
        theirs_ids = {str(row["result_id"]) for row in theirs["values"]}
        shown = self.result_decisions(all_pages=True)
        if set(shown) != theirs_ids:
            fail(f"the reviewer sees {len(shown)} rows (e.g. {sorted(shown)[:2]}); the API gives their key {len(theirs_ids)} (e.g. {sorted(theirs_ids)[:2]}) "
                 f"({len(set(shown) - theirs_ids)} shown that are not theirs)")
        step(f"the reviewer sees only the {len(shown)} rows assigned to them")

        self.open(f"/ui/reviews/{self.certification}")
        self.element(By.CSS_SELECTOR, "#results-table tr[data-result-id] a").click()
        self.element(By.ID, "result-details")
        self.check_page("review-result")
        self.open(f"/ui/reviews/{self.certification}")
        before = self.result_decisions(all_pages=True)
        self.open(f"/ui/reviews/{self.certification}")
        self.element(By.CSS_SELECTOR, "#smart-action-menu summary").click()
        links = self.element(By.ID, "prepared-actions").find_elements(By.CSS_SELECTOR, "a[data-definition-id]")
        if not links:
            fail("Smart Action > Prepared Actions lists no definition for the demo certification")
        links[0].click()
        self.element(By.ID, "preview")
        matched = int(self.element(By.ID, "preview-matched").text.strip())
        changed = int(self.element(By.ID, "preview-changed").text.strip())
        if changed == 0:
            fail(f"the prepared action's preview changes nothing (matched {matched}); the check needs one that does")
        self.check_page("smart-action-preview")
        step(f"Smart Action > Prepared Actions > a definition previews {matched} matched, {changed} changed")

        self.element(By.ID, "apply-smart-action").click()
        self.element(By.ID, "undo-batch")
        self.check_page("review-after-apply")
        after = self.result_decisions(all_pages=True)
        differing = [row for row in before if before[row] != after.get(row)]
        if len(differing) != changed:
            fail(f"applying changed {len(differing)} rows on the page; the preview said {changed}")
        step(f"applied: {len(differing)} rows show their new decision")

        self.element(By.ID, "undo-batch").click()
        self.wait.until(lambda d: "/ui/reviews/" in d.current_url)
        self.element(By.ID, "results-table")
        restored = self.result_decisions(all_pages=True)
        if restored != before:
            fail(f"after Undo, {sum(1 for row in before if before[row] != restored.get(row))} rows still differ from before")
        step("undone: every row is as it was")

        self.driver.set_window_size(390, 844)
        for name, path in [("mobile-review", f"/ui/reviews/{self.certification}"), ("mobile-reviews", "/ui/reviews")]:
            self.open(path)
            width = self.driver.execute_script("return document.documentElement.scrollWidth")
            if width > 390:
                fail(f"{path} is {width} pixels wide on a 390-pixel screen")
            self.check_page(name)
        self.driver.set_window_size(1280, 800)
        step("the review pages fit a 390-pixel-wide screen")

    def result_decisions(self, all_pages=False):
        """Result id → the decision its row shows, across every page when asked."""
        decisions = {}
        while True:
            for row in self.driver.find_elements(By.CSS_SELECTOR, "#results-table tr[data-result-id]"):
                decisions[row.get_attribute("data-result-id")] = row.find_element(By.CSS_SELECTOR, "td.decision").text.strip()
            following = self.driver.find_elements(By.ID, "next-page")
            if not all_pages or not following:
                return decisions
            old = self.driver.find_element(By.TAG_NAME, "html")
            following[0].click()
            self.wait.until(expected_conditions.staleness_of(old))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("warden")
    parser.add_argument("--screenshots", default=None)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="warden-browser-")
    run = Run(os.path.abspath(args.warden), work, args.screenshots or os.path.join(work, "screenshots"))
    try:
        run.set_up()
        run.operator_works_the_activity_log()
        run.reviewer_applies_and_undoes_a_prepared_action()
        errors = [line for line in open(os.path.join(work, "warden.err")) if re.search(r" (error|critical) ", line)]
        if errors:
            fail("the server logged errors: " + "".join(errors[:5]))
        print(f"browser check passed: {run.checked_pages} pages checked by axe, screenshots in {run.screenshots}")
    finally:
        if getattr(run, "driver", None):
            run.driver.quit()
        run.stop_all()


if __name__ == "__main__":
    main()
