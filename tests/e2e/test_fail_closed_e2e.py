"""A check you can trust, end to end over the sandbox: fail closed, one run per head, nothing doubled,
hostile policy files and wrong App settings. Jobs are run by the test (manual_env) so it sees each try."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from github_app.events import Job
from github_app.failclosed import RERUN_IDENTIFIER
from github_app.github import ConfigurationError
from github_app.pipeline import Deps
from github_app.policy import POLICY_PATH
from github_app.queue import SqliteQueue
from github_app.render import CHECK_NAME
from github_app.sandbox import generate_app_key
from github_app.settings import Secret
from github_app.worker import run_once
from tests.e2e.conftest import AI_TRAILER, E2E_MUTATION_INTERVAL_S, Env, Repo, fingerprints, unique
from tests.test_policy import billion_laughs

CODE = """import requests


def fetch_status(url: str) -> int:
    resp = requests.get(url)
    return resp.status_code
"""


@pytest.fixture(autouse=True)
def empty_queue(manual_env: Env) -> Iterator[None]:
    manual_env.drain()
    yield
    manual_env.http.delete("/_sandbox/faults")


def _opened(env: Env, files: dict[str, str] | None = None) -> tuple[Repo, Any, dict[str, Any]]:
    repo = env.make_repo({"README.md": "hi\n", **(files or {})})
    branch = unique("feature")
    env.push(repo, branch, {"svc/client.py": CODE}, message=f"Add a client\n\n{AI_TRAILER}\n")
    pr = env.open_pr(repo, branch)
    return repo, pr, env.delivery_for(repo, "pull_request", "opened")


def _runs(repo: Repo, sha: str) -> list[Any]:
    return list(repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, sha, check_name=CHECK_NAME,
                                                 filter_="all").parsed_data.check_runs)


def _rate_limit(env: Env, repo: Repo, pr: Any, count: int) -> None:
    # A primary limit fails a try at once (no in-job sleeping), so five tries take seconds.
    fault = {"method": "GET", "path_regex": f"^/repos/{repo.full_name}/pulls/{pr.number}/files$", "status": 403,
             "kind": "primary", "retry_after": 0, "count": count}
    assert env.http.post("/_sandbox/faults", json=fault).status_code == 201


def _drain_until_idle(env: Env, seconds: float = 20.0) -> list[str]:
    """Run jobs as they become ready (retries wait a second or so) until none is left."""
    outcomes: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        outcomes += env.drain()
        counts = env.queue.counts()
        if not counts.get("queued") and not counts.get("running"):
            return outcomes
        time.sleep(0.2)
    pytest.fail(f"jobs still pending after {seconds} s: {env.queue.counts()}")


@pytest.mark.parametrize("on_error", ["failure", "neutral"])
def test_retries_exhausted_fail_closed_with_a_rerun_action_that_requeues(manual_env: Env, on_error: str) -> None:
    env = manual_env
    policy = {POLICY_PATH: "on_error: neutral\n"} if on_error == "neutral" else {}
    repo, pr, delivery = _opened(env, policy)
    _rate_limit(env, repo, pr, count=5)
    env.post_webhook("pull_request", delivery["payload"])

    assert env.drain() == ["rate_limited"]
    [retrying] = _runs(repo, pr.head.sha)
    assert retrying.status == "in_progress" and "Attempt 1 of 5 failed" in (retrying.output.summary or "")

    assert _drain_until_idle(env) == ["rate_limited"] * 4
    [run] = _runs(repo, pr.head.sha)
    summary = run.output.summary or ""
    assert (run.id, run.status, run.conclusion) == (retrying.id, "completed", on_error)
    assert "after 5 attempts" in summary and "Nothing was judged" in summary, summary
    assert env.review_posts(repo, pr.number) == 0

    # The Re-run button: GitHub sends check_run.requested_action, and the job runs again on the same run.
    clicked = env.http.post(f"/_sandbox/repos/{repo.full_name}/check-runs/{run.id}/requested_action",
                            json={"identifier": RERUN_IDENTIFIER})
    assert clicked.status_code == 201
    action = env.delivery_for(repo, "check_run", "requested_action")
    assert env.post_webhook("check_run", action["payload"]).json()["outcome"] == "queued"
    assert env.drain() == ["failure"]
    [again] = _runs(repo, pr.head.sha)
    assert (again.id, again.conclusion) == (run.id, "failure"), "reviewed for real now: the AI change blocks"
    assert "Nothing was judged" not in (again.output.summary or "")
    assert env.review_posts(repo, pr.number) == 1


def test_retried_then_successful_review_and_redeliveries_leave_one_run(manual_env: Env) -> None:
    env = manual_env
    repo, pr, delivery = _opened(env)
    _rate_limit(env, repo, pr, count=1)
    env.post_webhook("pull_request", delivery["payload"])

    assert _drain_until_idle(env) == ["rate_limited", "failure"]
    [run] = _runs(repo, pr.head.sha)
    assert run.conclusion == "failure"
    # A redelivery (new id, say a second receiver) and a synchronize-like event reuse the completed run.
    env.post_webhook("pull_request", delivery["payload"])
    assert env.drain() == ["failure"]
    assert [r.id for r in _runs(repo, pr.head.sha)] == [run.id]
    prints = fingerprints(env.comments(repo, pr.number))
    assert prints and len(prints) == len(set(prints)), "nothing commented twice"

    # GitHub's own Re-run is the one case GitHub models as a new run; its retries reuse that new run.
    repo.gh.rest.checks.rerequest_run(repo.owner, repo.name, run.id)
    rerun = env.delivery_for(repo, "check_run", "rerequested")
    _rate_limit(env, repo, pr, count=1)
    env.post_webhook("check_run", rerun["payload"])
    assert _drain_until_idle(env) == ["rate_limited", "failure"]
    runs = _runs(repo, pr.head.sha)
    assert len(runs) == 2 and runs[1].id == run.id and runs[0].conclusion == "failure"


def test_a_review_github_created_despite_a_502_is_not_posted_twice(manual_env: Env) -> None:
    env = manual_env
    repo, pr, delivery = _opened(env)
    fault = {"method": "POST", "path_regex": f"^/repos/{repo.full_name}/pulls/{pr.number}/reviews$",
             "status": 502, "kind": "server", "perform": True, "count": 1}
    assert env.http.post("/_sandbox/faults", json=fault).status_code == 201
    env.post_webhook("pull_request", delivery["payload"])

    assert env.drain() == ["failure"]
    reviews = repo.gh.rest.pulls.list_reviews(repo.owner, repo.name, pr.number).parsed_data
    assert len(reviews) == 1, "the 502 was answered after the review was created: it is not posted again"
    prints = fingerprints(env.comments(repo, pr.number))
    assert prints and len(prints) == len(set(prints))
    path = f"/repos/{repo.full_name}/pulls/{pr.number}/reviews"
    posts = [r for r in env.requests_log() if r["method"] == "POST" and r["path"] == path]
    assert [r["status"] for r in posts] == [502]


def test_a_yaml_bomb_policy_is_rejected_named_and_the_defaults_apply(manual_env: Env) -> None:
    env = manual_env
    repo, pr, delivery = _opened(env, {POLICY_PATH: "gate: {ai: none}\n" + billion_laughs()})
    env.post_webhook("pull_request", delivery["payload"])

    started = time.monotonic()
    assert env.drain() == ["failure"], "the defaults' gate applies, not the file's gate: none"
    assert time.monotonic() - started < 60
    [run] = _runs(repo, pr.head.sha)
    summary = run.output.summary or ""
    assert f"{repo.full_name}@" in summary and "rejected: expands to more than 50,000 values" in summary, summary
    assert "from prodready defaults" in summary


def _wrong_deps(env: Env, *, app_id: int | None = None, key: str | None = None) -> Deps:
    settings = env.settings
    cfg = dataclasses.replace(settings, app_id=app_id or settings.app_id,
                              private_key=Secret(key or settings.private_key.get()))
    return Deps.from_settings(cfg, mutation_interval_s=E2E_MUTATION_INTERVAL_S)


EC_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgevZzL1gdAFr88hb2
OF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r
1RTwjmYSi9R/zpBnuQ4EiMnCqfMPWiZqB4QdbAd0E7oH50VpuZ1P087G
-----END PRIVATE KEY-----
"""


@pytest.mark.parametrize("case", ["wrong-app-id", "wrong-key", "not-installed", "key-cannot-sign"])
def test_a_configuration_error_is_named_once_and_not_retried(manual_env: Env, tmp_path: Path, case: str) -> None:
    env = manual_env
    repo, pr, _ = _opened(env)
    inst = repo.installation_id
    if case == "wrong-app-id":
        deps, expect = _wrong_deps(env, app_id=env.settings.app_id + 500), "APP_ID is probably not this App's id"
    elif case == "wrong-key":
        # A different app id too: githubkit caches JWTs per app id, and the right one is cached.
        deps, expect = _wrong_deps(env, app_id=env.settings.app_id + 600, key=generate_app_key()[0]), "PRIVATE_KEY"
    elif case == "not-installed":
        deps, expect, inst = env.deps, "knows no installation 987654 of this App", 987654
    else:
        deps, expect = _wrong_deps(env, key=EC_KEY), "PRIVATE_KEY cannot sign the App's JWT"
    queue = SqliteQueue(tmp_path / "q.sqlite3")
    job = dataclasses.replace(_job(repo, pr), installation_id=inst)
    assert queue.enqueue(job)

    assert run_once(queue, deps) == "configuration_error"
    assert queue.claim() is None and queue.counts() == {"dead": 1}, "dead at once, not retried five times"
    error = queue._conn().execute("SELECT last_error FROM jobs").fetchone()[0]
    assert expect in error, error
    with pytest.raises(ConfigurationError, match=r"APP_ID|PRIVATE_KEY|installation"):
        deps.app.installation(inst).pull_request(repo.full_name, pr.number)


def _job(repo: Repo, pr: Any) -> Job:
    return Job(repo.installation_id, repo.full_name, pr.number, pr.head.sha, unique("delivery"), "test")


def test_a_pr_that_cannot_even_be_read_still_gets_a_failing_check_on_its_head(manual_env: Env) -> None:
    env = manual_env
    repo, pr, delivery = _opened(env)
    fault = {"method": "GET", "path_regex": f"^/repos/{repo.full_name}/pulls/{pr.number}$", "status": 403,
             "kind": "primary", "retry_after": 0, "count": 5}
    assert env.http.post("/_sandbox/faults", json=fault).status_code == 201
    env.post_webhook("pull_request", delivery["payload"])

    assert env.drain() == ["rate_limited"]
    [run] = _runs(repo, pr.head.sha)
    assert run.status == "in_progress" and "Attempt 1 of 5 failed" in (run.output.summary or "")
    assert _drain_until_idle(env) == ["rate_limited"] * 4
    [run] = _runs(repo, pr.head.sha)
    assert (run.status, run.conclusion) == ("completed", "failure")
    assert "Nothing was judged" in (run.output.summary or "")
