"""Webhook deliveries (signed, retried with the same GUID) and payload builders parsed by githubkit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from githubkit.webhooks import parse, verify

from github_app.sandbox import payloads
from github_app.sandbox.records import Actor, IssueComment, Label, Pull, Repo
from github_app.sandbox.webhooks import signature
from tests.sandbox.conftest import SECRET, Receiver, RepoHandle, push

BASE = "http://127.0.0.1:9"


def _records() -> tuple[Repo, Pull]:
    owner = Actor("acme", 100)
    repo = Repo(1, owner, "svc", Path("/nowhere"), "main", 7, 1_700_000_000.0, 1_700_000_100.0)
    pr = Pull(id=2, number=3, repo=repo, title="Add x", body=None, head_ref="feat", head_sha="a" * 40,
              base_ref="main", base_sha="b" * 40, user=Actor("copilot-swe-agent[bot]", 200), draft=False,
              created_at=1_700_000_200.0, updated_at=1_700_000_300.0, labels=[Label(5, "ai")])
    return repo, pr


def test_pull_request_payloads_parse() -> None:
    _, pr = _records()
    sender = Actor("octocat", 101)
    cases: list[tuple[str, dict[str, Any]]] = [
        ("opened", {}),
        ("synchronize", {"before": "c" * 40, "after": "a" * 40}),
        ("edited", {"changes": {"base": {"ref": {"from": "dev"}, "sha": {"from": "d" * 40}}}}),
        ("labeled", {"label": payloads.label(BASE, pr.repo, pr.labels[0])}),
        ("reopened", {}),
    ]
    for action, extra in cases:
        raw = json.dumps(payloads.pull_request_event(BASE, action, pr, sender, **extra))
        event = parse("pull_request", raw)
        assert event.action == action
        assert event.installation is not None and event.installation.id == 7
    pr.state, pr.closed_at = "closed", 1_700_000_400.0
    closed = parse("pull_request", json.dumps(payloads.pull_request_event(BASE, "closed", pr, sender)))
    assert closed.action == "closed"


def test_issue_comment_payload_parses() -> None:
    _, pr = _records()
    comment = IssueComment(9, pr, Actor("alice", 102), "/prodready recheck", 1_700_000_500.0, 1_700_000_500.0)
    event = parse("issue_comment", json.dumps(payloads.issue_comment_event(BASE, "created", comment)))
    assert event.action == "created"
    assert event.issue.pull_request is not None  # type: ignore[union-attr]


def test_delivery_headers_and_signature(make_repo: Any, control: httpx.Client, server: Any,
                                        receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"a.py": "1\n"})
    repo.gh.rest.pulls.create(repo.owner, repo.name, title="T", head="feature", base="main")
    assert server.wait_for_deliveries()
    got = [r for r in receiver.events("pull_request") if r.json["repository"]["full_name"] == repo.full_name]
    assert len(got) == 1
    headers = got[0].headers
    assert headers["user-agent"].startswith("GitHub-Hookshot/")
    assert headers["content-type"] == "application/json"
    assert len(headers["x-github-delivery"]) == 36
    assert headers["x-hub-signature-256"] == signature(SECRET, got[0].body)
    assert verify(SECRET, got[0].body, headers["x-hub-signature-256"])
    listed = control.get("/_sandbox/deliveries").json()
    mine = next(d for d in listed if d["id"] == headers["x-github-delivery"])
    assert mine["event"] == "pull_request" and mine["action"] == "opened"
    assert mine["status_code"] == 202 and mine["attempts"] == 1


def test_failed_delivery_is_retried_with_same_guid(make_repo: Any, control: httpx.Client, server: Any,
                                                   receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"a.py": "1\n"})
    receiver.status = 500
    try:
        repo.gh.rest.pulls.create(repo.owner, repo.name, title="T", head="feature", base="main")
        # The API call returned before the retries (1.2 s of back-off) were done.
        early = [d for d in control.get("/_sandbox/deliveries").json()
                 if d["payload"]["repository"]["full_name"] == repo.full_name]
        assert early[0]["attempts"] < 3
        assert server.wait_for_deliveries()
    finally:
        receiver.status = 202
    got = [r for r in receiver.events("pull_request") if r.json["repository"]["full_name"] == repo.full_name]
    assert len(got) == 3 and len({r.headers["x-github-delivery"] for r in got}) == 1
    listed = control.get("/_sandbox/deliveries", params={"payload": "0"}).json()
    mine = next(d for d in listed if d["id"] == got[0].headers["x-github-delivery"])
    assert mine["attempts"] == 3 and mine["status_code"] == 500 and "payload" not in mine


def test_webhook_url_can_be_switched_off(make_repo: Any, control: httpx.Client, server: Any,
                                         receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"a.py": "1\n"})
    control.post("/_sandbox/webhook", json={"url": None})
    try:
        repo.gh.rest.pulls.create(repo.owner, repo.name, title="T", head="feature", base="main")
        assert server.wait_for_deliveries()
    finally:
        server.set_webhook_url(receiver.url)
    assert not [r for r in receiver.events() if r.json["repository"]["full_name"] == repo.full_name]
    recorded = [d for d in control.get("/_sandbox/deliveries").json()
                if d["payload"]["repository"]["full_name"] == repo.full_name]
    assert len(recorded) == 1 and recorded[0]["status_code"] is None
