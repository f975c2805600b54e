"""Fork PRs and check-run actions over real HTTP: payloads without pull_requests still reach the PR."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import AI_TRAILER, Env, Repo, unique, wait_for

CLIENT = """import requests


def fetch_status(url: str) -> int:
    resp = requests.get(url)
    return resp.status_code
"""
FORKER = "fern-forker"


def _runs(repo: Repo, sha: str) -> list[Any]:
    return list(repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, sha, check_name="prodready",
                                                 filter_="all").parsed_data.check_runs)


def _open_fork_pr(env: Env) -> tuple[Repo, Any]:
    repo = env.make_repo({"README.md": "# svc\n"})
    assert env.http.post(f"/_sandbox/repos/{repo.full_name}/forks", json={"owner": FORKER}).status_code == 201
    branch = unique("fix")
    resp = env.http.post(f"/_sandbox/repos/{FORKER}/{repo.name}/commits", json={
        "branch": branch, "base": "main", "message": f"Add a client\n\n{AI_TRAILER}\n",
        "files": {"svc/client.py": CLIENT}, "author": {"name": "Fern", "email": "fern@example.com"}})
    assert resp.status_code == 201, resp.text
    pr = repo.gh.rest.pulls.create(repo.owner, repo.name, data={
        "title": "From a fork", "head": f"{FORKER}:{branch}", "base": "main"},
        headers={"X-Sandbox-User": FORKER}).parsed_data
    assert pr.head.repo.full_name == f"{FORKER}/{repo.name}" and pr.head.ref == branch
    return repo, pr


def test_a_fork_prs_rerun_reviews_it_again(env: Env) -> None:
    repo, pr = _open_fork_pr(env)
    first = env.completed_run(repo, pr.head.sha)
    assert first.conclusion == "failure" and first.external_id == f"{repo.full_name}#{pr.number}@{pr.head.sha}"
    assert first.pull_requests == [], "GitHub lists no fork PR on the run"

    resp = repo.gh.rest.checks.rerequest_run(repo.owner, repo.name, first.id)
    assert resp.status_code == 201
    delivery = env.delivery_for(repo, "check_run", "rerequested")
    assert delivery["payload"]["check_run"]["pull_requests"] == []

    def second() -> Any:
        done = [r for r in _runs(repo, pr.head.sha) if r.status == "completed" and r.id != first.id]
        return done[0] if done else None

    run = wait_for(second, "the re-run on the fork PR's head")
    assert run.conclusion == "failure" and run.head_sha == pr.head.sha


def test_the_completed_check_offers_rereview_and_the_button_reviews_again(env: Env) -> None:
    repo, pr = _open_fork_pr(env)
    first = env.completed_run(repo, pr.head.sha)
    # GitHub does not echo actions; the sandbox refuses a click on a button the run does not offer.
    bogus = env.http.post(f"/_sandbox/repos/{repo.full_name}/check-runs/{first.id}/requested_action",
                          json={"identifier": "rerun"})
    assert bogus.status_code == 422, "Re-run is offered only when the review failed"
    def completions() -> int:
        return sum(1 for r in env.requests_log()
                   if r["method"] == "PATCH" and r["path"].endswith(f"/check-runs/{first.id}") and r["status"] == 200)

    before = completions()
    resp = env.http.post(f"/_sandbox/repos/{repo.full_name}/check-runs/{first.id}/requested_action",
                         json={"identifier": "rereview"})
    assert resp.status_code == 201

    # One run per head (issue 10): the button reviews the head again and updates the same run.
    def again() -> Any:
        runs = _runs(repo, pr.head.sha)
        return runs[0] if completions() > before and runs[0].status == "completed" else None

    run = wait_for(again, "the re-review")
    assert run.id == first.id and run.conclusion == "failure" and len(_runs(repo, pr.head.sha)) == 1


def test_a_fork_prs_suite_rerun_finds_the_pr_from_its_head_sha(env: Env) -> None:
    repo, pr = _open_fork_pr(env)
    first = env.completed_run(repo, pr.head.sha)
    assert first.check_suite is not None
    assert repo.gh.rest.checks.rerequest_suite(repo.owner, repo.name, first.check_suite.id).status_code == 201
    assert env.delivery_for(repo, "check_suite", "rerequested")["payload"]["check_suite"]["pull_requests"] == []

    def second() -> Any:
        done = [r for r in _runs(repo, pr.head.sha) if r.status == "completed" and r.id != first.id]
        return done[0] if done else None

    assert wait_for(second, "the suite re-run on the fork PR's head").conclusion == "failure"
    asked = [r for r in env.requests_log() if r["path"] == f"/repos/{repo.full_name}/commits/{pr.head.sha}/pulls"]
    assert asked and asked[-1]["status"] == 200
