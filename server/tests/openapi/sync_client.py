"""The Sync API as a generic tool sees it: `/sync/openapi.json` must validate
(openapi-spec-validator), a client generator must build a client from it
(openapi-python-client), and through that client the worked example of
`shared/spec/rules.md` must hold against a running server.

Run by `scripts/test.sh --only openapi`, which starts the server on a fresh database
with six users named "User 1" to "User 6" and no tags, creates an API client with
every scope, and passes its token. Any failure raises: the exit code is not 0.

    python sync_client.py --base-url http://127.0.0.1:PORT --token TOKEN \
        --example shared/tests/data/rules-example.json --workdir DIR
"""

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from openapi_spec_validator import validate

PACKAGE = "marktchat_sync"
STARTED = time.monotonic()


def say(text):
    print(f"    [{time.monotonic() - STARTED:5.1f} s] {text}", flush=True)


def fetch_description(base_url, workdir):
    with urllib.request.urlopen(f"{base_url}/sync/openapi.json", timeout=30) as res:
        text = res.read().decode()
    path = workdir / "openapi.json"
    path.write_text(text)
    return json.loads(text), path


def generate_client(path, workdir):
    """openapi-python-client, failing on any warning (a skipped operation is one)."""
    out = workdir / PACKAGE
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    subprocess.run(
        [bin_dir / "openapi-python-client", "generate", "--path", str(path),
         "--output-path", str(out), "--meta", "none", "--overwrite", "--fail-on-warning"],
        check=True, env=env,
    )
    sys.path.insert(0, str(workdir))
    return importlib.import_module(PACKAGE)


class Api:
    """The generated operations, each called with the client and checked for its status."""

    def __init__(self, package, base_url, token):
        self.client = package.AuthenticatedClient(
            base_url=base_url, token=token, raise_on_unexpected_status=True)
        self.ops = {}
        for area in ("rules", "users"):
            folder = Path(package.__file__).parent / "api" / area
            for file in folder.glob("*.py"):
                if file.stem != "__init__":
                    self.ops[file.stem] = importlib.import_module(
                        f"{PACKAGE}.api.{area}.{file.stem}")
        self.models = importlib.import_module(f"{PACKAGE}.models")

    def call(self, operation, status, client=None, **kwargs):
        res = self.ops[operation].sync_detailed(client=client or self.client, **kwargs)
        assert res.status_code == status, (
            f"{operation}: expected {status}, got {res.status_code}: {res.content!r}")
        return res.parsed


def worked_example(api, example):
    m = api.models

    # The six users, found by name, a page of four at a time.
    people, page = {}, 0
    while True:
        listed = api.call("list_users", 200, page=page, page_size=4)
        people.update({u.display_name: u for u in listed.users})
        if (page + 1) * 4 >= listed.total:
            break
        page += 1
    users = {e["user"]: people[f"User {e['user']}"] for e in example["users"]}
    assert len(people) == listed.total == len(users), f"expected the six users: {list(people)}"
    ids = {n: u.user_id for n, u in users.items()}
    number = {str(v): n for n, v in ids.items()}

    # Tags: user 1 named by email, 2 to 5 by id in one batch; user 6 on its own.
    tags = {e["user"]: e["tags"] for e in example["users"]}
    entries = [m.BatchEntry(tags=tags[1], email=users[1].email)]
    entries += [m.BatchEntry(tags=tags[n], user_id=ids[n]) for n in range(2, 6)]
    assert api.call("set_tags_many", 200, body=m.BatchIn(users=entries)).updated == 5
    six = api.call("set_user_tags", 200, user_id=ids[6], body=m.TagsIn(tags=tags[6]))
    assert sorted(six.tags) == sorted(tags[6]), six
    for u in api.call("list_users", 200, page_size=1000).users:
        assert sorted(u.tags) == sorted(tags[number[str(u.user_id)]]), u
    say("tags of the six users set (a batch and one by one) and read back")

    # The four rules; R2 with the description of sync-api.md.
    described = "Users from Berlin and Munich can interact with the users from Stuttgart."
    rule_ids = {}
    for r in example["rules"]:
        body = m.RuleIn(condition=r["condition"], outcome=r["outcome"])
        if r["id"] == "R2":
            body.description = described
        stored = api.call("create_rule", 200, body=body)
        assert (stored.condition, stored.outcome) == (r["condition"], r["outcome"]), stored
        rule_ids[r["id"]] = str(stored.rule_id)
    names = {v: k for k, v in rule_ids.items()}
    listed = api.call("list_rules", 200).rules
    assert [names[str(r.rule_id)] for r in listed] == ["R1", "R2", "R3", "R4"], listed
    assert [r.description for r in listed if r.description] == [described], listed
    assert api.call("get_restrictions", 200).enabled is False
    assert api.call("set_restrictions", 200, body=m.Restrictions(enabled=True)).enabled is True
    assert api.call("get_restrictions", 200).enabled is True
    say("four rules created and listed in order; restrictions on")

    # Every ordered pair: who may start a conversation with whom, and by which rules.
    only_by = {}
    for e in example["users"]:
        a = e["user"]
        allowed, holding = [], set()
        for b in users:
            check = api.call("check_interaction", 200, from_=ids[a], to=ids[b])
            if check.allowed:
                allowed.append(b)
                assert check.reason == "rule" and check.rule_ids, (a, b, check)
                holding.update(names[i] for i in check.rule_ids)
                only_by[(a, b)] = {names[i] for i in check.rule_ids}
            else:
                assert check.reason == ("same_user" if a == b else "no_rule"), (a, b, check)
                assert check.rule_ids == [], (a, b, check)
        assert allowed == e["may_contact"], f"user {a} may contact {allowed}, not {e['may_contact']}"
        assert sorted(holding) == e["rules_holding"], f"user {a}: rules {sorted(holding)}"
    say("interaction-check: the worked example holds for all 36 pairs, with its rules")

    # Whom each may contact, two at a time, ascending by id.
    for e in example["users"]:
        listed, cursor = [], None
        while True:
            kwargs = {"cursor": cursor} if cursor else {}
            page = api.call("list_contactable", 200, user_id=ids[e["user"]], limit=2, **kwargs)
            listed += [str(u.user_id) for u in page.users]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert listed == sorted(listed), f"user {e['user']}: not ascending"
        assert sorted(number[i] for i in listed) == e["may_contact"], (e["user"], listed)
    say("contactable, page by page, says the same for every user")

    # Preview: the same rules change nothing; without R2 exactly the pairs only R2 allowed
    # are lost. Nothing is saved.
    pairs = sum(len(e["may_contact"]) for e in example["users"])
    rules = [m.RuleIn(condition=r["condition"], outcome=r["outcome"]) for r in example["rules"]]
    same = api.call("preview_rules", 200, body=m.PreviewIn(rules=rules))
    assert (same.allowed_pairs_before, same.allowed_pairs_after) == (pairs, pairs), same
    assert same.gained == [] and same.lost == [], same
    without = [r for r, e in zip(rules, example["rules"]) if e["id"] != "R2"]
    less = api.call("preview_rules", 200, body=m.PreviewIn(rules=without))
    lost = sorted((number[str(p.from_)], number[str(p.to)]) for p in less.lost)
    assert lost == sorted(p for p, by in only_by.items() if by == {"R2"}), lost
    assert less.allowed_pairs_after == pairs - len(lost) and less.gained == [], less
    assert len(api.call("list_rules", 200).rules) == 4
    say(f"preview: {pairs} pairs either way with the same rules, {len(lost)} lost without R2")
    return ids, rule_ids


def changes_and_errors(api, package, base_url, ids, rule_ids):
    m = api.models
    # Replacing R2 without a description keeps its id and leaves it without one.
    r2 = rule_ids["R2"]
    body = m.RuleIn(condition="any(hasTag(Berlin), hasTag(Munich))", outcome=["Stuttgart"])
    replaced = api.call("replace_rule", 200, rule_id=r2, body=body)
    assert str(replaced.rule_id) == r2 and not replaced.description, replaced
    check = api.call("check_interaction", 200, from_=ids[3], to=ids[2])
    assert check.allowed and check.rule_ids == [r2], check

    # A rule created and deleted; deleting it twice is a 404.
    extra = api.call("create_rule", 200,
                     body=m.RuleIn(condition="hasTag(Nobody)", outcome=["Nobody"]))
    assert api.call("delete_rule", 204, rule_id=extra.rule_id) is None
    gone = api.call("delete_rule", 404, rule_id=extra.rule_id)
    assert gone.error.code == "not_found", gone

    # Errors arrive as the described ErrorBody.
    bad = api.call("create_rule", 400,
                   body=m.RuleIn(condition="any(hasTag(Berlin) hasTag(Munich))", outcome=["X"]))
    assert (bad.error.code, bad.error.position, bad.error.field) == (
        "invalid_condition", 19, "condition"), bad
    unknown = api.call("check_interaction", 404, from_=ids[1], to=uuid.uuid4())
    assert unknown.error.code == "not_found", unknown
    stranger = package.AuthenticatedClient(base_url=base_url, token="mct_not_a_token",
                                           raise_on_unexpected_status=True)
    refused = api.call("list_rules", 401, client=stranger)
    assert refused.error.code == "unauthorized", refused

    # Off: everyone may, and says why.
    assert api.call("set_restrictions", 200, body=m.Restrictions(enabled=False)).enabled is False
    check = api.call("check_interaction", 200, from_=ids[1], to=ids[2])
    assert (check.allowed, check.reason) == (True, "restrictions_disabled"), check
    say("replace, delete, errors (400, 401, 404) and the switch off, through the client")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--example", required=True, type=Path)
    parser.add_argument("--workdir", required=True, type=Path)
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")

    doc, path = fetch_description(base_url, args.workdir)
    validate(doc)
    say(f"openapi-spec-validator: the description is valid OpenAPI {doc['openapi']}")
    package = generate_client(path, args.workdir)
    say(f"openapi-python-client built a client of {len(doc['paths'])} paths")

    api = Api(package, base_url, args.token)
    example = json.loads(args.example.read_text())
    ids, rule_ids = worked_example(api, example)
    changes_and_errors(api, package, base_url, ids, rule_ids)
    say("ok: the worked example holds through the generated client")


if __name__ == "__main__":
    main()
