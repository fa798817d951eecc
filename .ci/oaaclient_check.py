"""Veza's own Python client against a live Warden over HTTPS.

Pages through /action_events with several filters and checks that each returns exactly the events
that match, each once. Expected sets come from the unfiltered listing, filtered here in Python.
Then creates, lists (with and without workflow_id), updates and deletes smart action definitions
with the seed page's payloads, verbatim.

usage: VEZA_UNSAFE_HTTPS=true python3 .ci/oaaclient_check.py https://127.0.0.1:PORT API_KEY
"""
import sys
from urllib.parse import quote

from oaaclient.client import OAAClient, OAAResponseError

PATH = "/api/private/lifecycle_management/action_events"


def key(event):
    return (event["policy_task"], event["action_name"])


def main(url, token):
    client = OAAClient(url=url, token=token)
    everything = client.api_get(PATH, params={"page_size": "1000"})
    keys = [key(e) for e in everything]
    assert len(keys) > 1000, f"expected a seeded log of more than one page, got {len(keys)} events"
    assert len(keys) == len(set(keys)), "the unfiltered listing returned an event twice"
    cut = sorted(e["started_at"] for e in everything if e["started_at"])[len(everything) // 2]

    cases = [
        ('state eq "ERRORED"', lambda e: e["state"] == "ERRORED"),
        ('state eq "ERRORED" and action_type eq "MANAGE_RELATIONSHIPS"',
         lambda e: e["state"] == "ERRORED" and e["action_type"] == "MANAGE_RELATIONSHIPS"),
        ('identity_name co "ada"', lambda e: "ada" in e["identity_name"].lower()),
        (f'started_at ge "{cut}"', lambda e: e["started_at"] is not None and e["started_at"] >= cut),
        ('(state eq "ERRORED" or state eq "SKIPPED") and not (workflow_name eq "Leaver")',
         lambda e: e["state"] in ("ERRORED", "SKIPPED") and e["workflow_name"] != "Leaver"),
        ('action_name eq "notify it" and any_changes eq false',
         lambda e: e["action_name"].lower() == "notify it" and not e["any_changes"]),
    ]
    for filter_text, predicate in cases:
        got = client.api_get(PATH, params={"filter": filter_text, "page_size": "50"})
        got_keys = [key(e) for e in got]
        expected = {key(e) for e in everything if predicate(e)}
        assert len(got_keys) == len(set(got_keys)), f"{filter_text}: an event came twice"
        assert set(got_keys) == expected, f"{filter_text}: {len(set(got_keys) ^ expected)} events differ"
        assert expected, f"{filter_text}: matched nothing, so it proves nothing"
        print(f"oaaclient: {filter_text!r}: {len(got_keys)} events over {-(-len(got_keys) // 50)} pages, each once")

    sample = next(e for e in everything if " " in e["action_name"])
    one = client.api_get(f"{PATH}/{sample['policy_task']}/{quote(sample['action_name'])}")
    assert one == sample, "get returned a different event than the list"
    print("oaaclient: get by task and URL-encoded action name returns the listed event")

    check_documented_examples(client)
    check_smart_action_definitions(client)


def check_documented_examples(client):
    """Each sibling list answers its documented example filter with exactly the matching records."""
    base = "/api/private/lifecycle_management"
    tasks = client.api_get(f"{base}/workflow_tasks", params={"page_size": "1000"})
    policy = tasks[0]["policy_id"]
    examples = [
        ("workflow_tasks", "id", f'state eq "ERRORED" and policy_id eq "{policy}"',
         lambda t: t["state"] == "ERRORED" and t["policy_id"] == policy),
        ("job_events", "job_id", 'state eq "ERRORED" and action_type eq "MANAGE_RELATIONSHIPS"',
         lambda j: j["state"] == "ERRORED" and j["action_type"] == "MANAGE_RELATIONSHIPS"),
        ("events", "id", 'event_type eq "CREATE_IDENTITY" and success eq true',
         lambda e: e["event_type"] == "CREATE_IDENTITY" and e["success"]),
    ]
    for resource, id_field, filter_text, predicate in examples:
        everything = client.api_get(f"{base}/{resource}", params={"page_size": "1000"})
        expected = {r[id_field] for r in everything if predicate(r)}
        got = [r[id_field] for r in client.api_get(f"{base}/{resource}", params={"filter": filter_text, "page_size": "25"})]
        assert expected, f"{resource} {filter_text}: matched nothing, so it proves nothing"
        assert len(got) == len(set(got)) and set(got) == expected, f"{resource} {filter_text}: results differ"
        one = client.api_get(f"{base}/{resource}/{got[0]}")
        assert one[id_field] == got[0], f"{resource}: get returned another record"
        print(f"oaaclient: {resource} {filter_text!r}: {len(got)} records, each once; get agrees")


SMART_ACTIONS = "/api/preview/awf/smart_action_definitions"
# The two example payloads of the Smart Action Definitions page, verbatim.
REJECT_INACTIVE = {
    "apply_to_all_rows": "false",
    "description": "Reject users where the user `is active` value is not `true`",
    "filter": "source.is_active ne \"true\"",
    "mutable_fields": {
        "decision": "RESULT_DECISION_REJECTED"
    },
    "mutable_filter": "",
    "name": "Reject inactive users",
    "workflow_id": ""
}
SIGN_OFF_REJECTED = {
    "apply_to_all_rows": "false",
    "description": "Sign off on all rejected rows",
    "filter": "",
    "mutable_fields": {
        "signed_off_state": "SIGNED_OFF"
    },
    "mutable_filter": "decision eq \"RESULT_DECISION_REJECTED\"",
    "name": "Sign off rejected rows",
    "workflow_id": ""
}


def check_smart_action_definitions(client):
    """Create, list with both workflow_id cases, update and delete, as Veza documents them."""
    reject = client.api_post(SMART_ACTIONS, data=REJECT_INACTIVE)["id"]
    sign_off = client.api_post(SMART_ACTIONS, data=SIGN_OFF_REJECTED)["id"]
    scoped = client.api_post(SMART_ACTIONS, data=dict(SIGN_OFF_REJECTED, name="Scoped", workflow_id="wf-ci"))["id"]
    other = client.api_post(SMART_ACTIONS, data=dict(REJECT_INACTIVE, name="Elsewhere", workflow_id="wf-other"))["id"]
    ids = lambda values: [d["id"] for d in values]

    everything = client.api_get(SMART_ACTIONS)
    assert ids(everything) == [reject, sign_off, scoped, other], f"list without workflow_id: {ids(everything)}"
    assert ids(client.api_get(SMART_ACTIONS, params={"workflow_id": ""})) == ids(everything)
    in_workflow = client.api_get(SMART_ACTIONS, params={"workflow_id": "wf-ci"})
    assert ids(in_workflow) == [reject, sign_off, scoped], f"list with workflow_id: {ids(in_workflow)}"
    first = everything[0]
    assert first["apply_to_all_rows"] is False and first["filter"] == REJECT_INACTIVE["filter"]
    assert first["mutable_fields"] == {"decision": "RESULT_DECISION_REJECTED"}
    print("oaaclient: smart action definitions: the seed payloads create; list honours workflow_id both ways")

    assert client.api_put(SMART_ACTIONS, data={"value": {"id": reject, "name": "Reject inactive users (v2)"}}) == {}
    updated = next(d for d in client.api_get(SMART_ACTIONS) if d["id"] == reject)
    assert updated["name"] == "Reject inactive users (v2)" and updated["filter"] == REJECT_INACTIVE["filter"]
    try:
        client.api_post(SMART_ACTIONS, data=dict(REJECT_INACTIVE, filter=""))
        raise AssertionError("a definition that can never match was accepted")
    except OAAResponseError as error:
        assert error.status_code == 400 and "can never match" in error.message, error.message
    print("oaaclient: smart action definitions: update replaces the fields sent; a never-matching definition gets a 400")

    for definition in (reject, sign_off, scoped, other):
        assert client.api_delete(f"{SMART_ACTIONS}/{definition}") == {}
    assert client.api_get(SMART_ACTIONS) == []
    print("oaaclient: smart action definitions: delete returns {} and removes them")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
