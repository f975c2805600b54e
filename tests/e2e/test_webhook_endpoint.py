"""POST /webhooks against the real server: signatures, dedupe, bad input, and jobs that go stale.

The sandbox here records its deliveries without sending them; the tests forward them (so they pick the
delivery ids) and run the queued jobs in this thread with the worker's own run_once.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from github_app.events import route, sign
from github_app.httpthread import ThreadedServer
from github_app.server import create_app
from tests.e2e.conftest import AI_TRAILER, SECRET, Env, Repo, unique

SHARED = Path(__file__).resolve().parents[3] / "shared"
WEBHOOK_FIXTURES = SHARED / "github" / "webhooks"
CODE = "import requests\n\n\ndef ping(url: str) -> int:\n    return requests.get(url).status_code\n"


@pytest.fixture(autouse=True)
def empty_queue(manual_env: Env) -> Iterator[None]:
    """Every test starts and ends with nothing ready in the queue."""
    manual_env.drain()
    yield


def _opened(env: Env, *, ai: bool = True) -> tuple[Repo, Any, dict[str, Any]]:
    repo = env.make_repo({"README.md": "hi\n"})
    branch = unique("feature")
    env.push(repo, branch, {"svc/ping.py": CODE}, message=f"Add ping\n\n{AI_TRAILER}\n" if ai else "Add ping")
    pr = env.open_pr(repo, branch)
    delivery = env.delivery_for(repo, "pull_request", "opened")
    return repo, pr, delivery


def test_invalid_signature_is_401_and_nothing_is_queued(manual_env: Env) -> None:
    env = manual_env
    _, _, delivery = _opened(env)
    body = json.dumps(delivery["payload"]).encode()
    counts = env.queue.counts()

    for bad in ("sha256=" + "0" * 64, "", sign("not-the-secret", body), "sha1=" + sign(SECRET, body)[7:]):
        resp = env.post_webhook("pull_request", body, signature=bad)
        assert resp.status_code == 401, bad
        assert resp.json()["outcome"] == "bad_signature"
    # A valid signature over different bytes is as bad as none.
    resp = env.post_webhook("pull_request", body + b" ", signature=sign(SECRET, body))
    assert resp.status_code == 401

    assert env.queue.counts() == counts
    assert env.queue.claim() is None


def test_duplicate_delivery_is_answered_but_reviewed_once(manual_env: Env) -> None:
    env = manual_env
    repo, pr, delivery = _opened(env)
    guid = str(uuid.uuid4())

    first = env.post_webhook("pull_request", delivery["payload"], delivery=guid)
    second = env.post_webhook("pull_request", delivery["payload"], delivery=guid)

    assert (first.status_code, first.json()["outcome"], first.json()["jobs"]) == (202, "queued", 1)
    assert (second.status_code, second.json()["outcome"]) == (202, "duplicate")
    assert env.drain() == ["failure"]
    assert env.review_posts(repo, pr.number) == 1
    run = env.completed_run(repo, pr.head.sha, timeout=5)
    assert run.conclusion == "failure"


def test_webhook_fixture_from_the_shared_data_routes_and_is_accepted(manual_env: Env) -> None:
    path = WEBHOOK_FIXTURES / "pull_request.opened.json"
    if not path.is_file():
        pytest.skip(f"shared webhook fixtures not found at {WEBHOOK_FIXTURES}")
    body = path.read_bytes()
    payload = json.loads(body)
    pr = payload["pull_request"]

    routed = route("pull_request", payload, "fixture-1", bot_login="prodready[bot]")
    assert routed.outcome == "queued", routed.reason
    [job] = routed.jobs
    assert (job.installation_id, job.repo, job.pr_number, job.head_sha) == (
        payload["installation"]["id"], payload["repository"]["full_name"], pr["number"], pr["head"]["sha"])

    resp = manual_env.post_webhook("pull_request", body)
    assert resp.status_code == 202 and resp.json()["outcome"] == "queued", resp.text
    # The job names a repository the sandbox does not have: take it off the queue unrun.
    claimed = manual_env.queue.claim()
    assert claimed is not None and claimed.job.key == job.key
    manual_env.queue.complete(claimed.id)


def test_malformed_json_is_400(manual_env: Env) -> None:
    for body in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        resp = manual_env.post_webhook("pull_request", body)
        assert resp.status_code == 400, body
        assert resp.json()["outcome"] == "bad_json"
    assert manual_env.queue.claim() is None


def test_oversized_body_is_413(manual_env: Env) -> None:
    env = manual_env
    server = ThreadedServer(create_app(env.settings, env.queue, env.deps, embedded_worker=False, max_payload=1024))
    server.start()
    try:
        body = json.dumps({"action": "opened", "pad": "x" * 2048}).encode()
        with httpx.Client(base_url=server.url, timeout=10.0) as client:
            resp = client.post("/webhooks", content=body, headers={
                "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": str(uuid.uuid4()),
                "X-Hub-Signature-256": sign(SECRET, body)})
            small = json.dumps({"action": "labeled"}).encode()
            ok = client.post("/webhooks", content=small, headers={
                "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": str(uuid.uuid4()),
                "X-Hub-Signature-256": sign(SECRET, small)})
    finally:
        server.stop()
    assert resp.status_code == 413 and resp.json()["outcome"] == "too_large"
    assert ok.status_code == 202, "a body under the limit still goes through"


def test_unknown_event_is_202_and_ignored(manual_env: Env) -> None:
    env = manual_env
    _, _, delivery = _opened(env)
    for event, payload in (("star", {"action": "created", **delivery["payload"]}),
                           ("pull_request", {**delivery["payload"], "action": "labeled"})):
        resp = env.post_webhook(event, payload)
        assert resp.status_code == 202 and resp.json()["outcome"] == "ignored", (event, resp.text)
    assert env.queue.claim() is None


def test_event_from_our_own_bot_is_ignored(manual_env: Env) -> None:
    env = manual_env
    _, _, delivery = _opened(env)
    payload = {**delivery["payload"], "sender": {"login": "prodready[bot]", "type": "Bot", "id": 1}}
    resp = env.post_webhook("pull_request", payload)
    assert resp.status_code == 202 and resp.json()["outcome"] == "ignored", resp.text
    assert "own bot" in resp.json()["detail"]
    assert env.queue.claim() is None
    # The same payload from a person is queued: the ignore above is about the sender.
    human = {**payload, "sender": {"login": "hana-human", "type": "User", "id": 2}}
    assert env.post_webhook("pull_request", human).json()["outcome"] == "queued"
    assert env.drain() == ["failure"]


def test_pr_closed_before_its_job_runs_is_not_reviewed(manual_env: Env) -> None:
    env = manual_env
    repo, pr, delivery = _opened(env)
    assert env.post_webhook("pull_request", delivery["payload"]).json()["outcome"] == "queued"
    repo.gh.rest.pulls.update(repo.owner, repo.name, pr.number, data={"state": "closed"})

    assert env.drain() == ["closed"]
    assert env.queue.claim() is None, "the job was completed, not left to retry"
    assert env.review_posts(repo, pr.number) == 0
    runs = repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, pr.head.sha).parsed_data.check_runs
    assert runs == []


def test_job_for_an_old_head_is_superseded(manual_env: Env) -> None:
    env = manual_env
    repo, pr, delivery = _opened(env)
    assert env.post_webhook("pull_request", delivery["payload"]).json()["outcome"] == "queued"
    new_sha = env.push(repo, pr.head.ref, {"svc/other.py": "X = 1\n"}, message="More")
    assert new_sha != pr.head.sha

    assert env.drain() == ["superseded"]
    assert env.queue.claim() is None
    assert env.review_posts(repo, pr.number) == 0
    assert repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, pr.head.sha).parsed_data.check_runs == []


def test_primary_rate_limit_keeps_the_check_in_progress_and_retries_later_on_the_same_run(manual_env: Env) -> None:
    env = manual_env
    repo, pr, delivery = _opened(env)
    fault = {"method": "GET", "path_regex": f"^/repos/{repo.full_name}/pulls/{pr.number}/files$", "status": 403,
             "kind": "primary", "retry_after": 1, "count": 1}
    assert env.http.post("/_sandbox/faults", json=fault).status_code == 201
    assert env.post_webhook("pull_request", delivery["payload"]).json()["outcome"] == "queued"

    assert env.drain() == ["rate_limited"], "the job gives up at once instead of sleeping until the reset"
    # Fail closed: a required check must neither pass nor look finished while the review is owed.
    [run] = repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, pr.head.sha, filter_="all").parsed_data.check_runs
    assert run.status == "in_progress" and run.conclusion is None
    summary = run.output.summary or ""
    assert "Attempt 1 of 5 failed" in summary and "rate limit" in summary and "will try again at about" in summary
    assert env.review_posts(repo, pr.number) == 0
    assert env.queue.counts().get("queued") == 1, "the job waits in the queue for the limit to reset"

    deadline = time.monotonic() + 10
    outcomes: list[str] = []
    while not outcomes and time.monotonic() < deadline:
        time.sleep(0.2)
        outcomes = env.drain()
    assert outcomes == ["failure"], "after the reset the review runs and blocks the AI-authored change"
    runs = repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, pr.head.sha, filter_="all").parsed_data.check_runs
    assert [(r.id, r.conclusion) for r in runs] == [(run.id, "failure")], "one run per head, updated"
    assert env.review_posts(repo, pr.number) == 1
