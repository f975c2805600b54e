"""Injected faults, body and route limits, and the request log."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from githubkit.exception import PrimaryRateLimitExceeded, RequestFailed, SecondaryRateLimitExceeded

from tests.sandbox.conftest import RepoHandle, push


@pytest.fixture(autouse=True)
def _no_faults_left(control: httpx.Client) -> Any:
    yield
    control.delete("/_sandbox/faults")


def test_secondary_rate_limit_served_once(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    control.post("/_sandbox/faults", json={"method": "GET", "path_regex": f"^/repos/{repo.full_name}$",
                                           "status": 403, "count": 1, "retry_after": 7, "kind": "secondary"})
    with pytest.raises(SecondaryRateLimitExceeded) as err:
        repo.gh.rest.repos.get(repo.owner, repo.name)
    assert err.value.retry_after.total_seconds() == 7
    assert "secondary rate limit" in err.value.response.json()["message"]
    assert repo.gh.rest.repos.get(repo.owner, repo.name).status_code == 200


def test_primary_rate_limit(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    control.post("/_sandbox/faults", json={"path_regex": "/pulls$", "status": 429, "count": 2,
                                           "kind": "primary", "retry_after": 30})
    for _ in range(2):
        with pytest.raises(PrimaryRateLimitExceeded) as err:
            repo.gh.rest.pulls.list(repo.owner, repo.name)
        assert err.value.response.headers["x-ratelimit-remaining"] == "0"
    assert repo.gh.rest.pulls.list(repo.owner, repo.name).parsed_data == []


def test_server_error_then_delete(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    control.post("/_sandbox/faults", json={"path_regex": "^/repos/", "status": 502, "count": 5,
                                           "kind": "server"})
    with pytest.raises(RequestFailed) as err:
        repo.gh.rest.repos.get(repo.owner, repo.name)
    assert err.value.response.status_code == 502
    assert len(control.get("/_sandbox/faults").json()) == 1
    control.delete("/_sandbox/faults")
    assert repo.gh.rest.repos.get(repo.owner, repo.name).status_code == 200


def test_bad_fault_definition(control: httpx.Client) -> None:
    resp = control.post("/_sandbox/faults", json={"path_regex": ".*", "status": 500, "kind": "secondary"})
    assert resp.status_code == 422


def test_unknown_route_and_oversized_body(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    resp = control.get("/nope/nothing")
    assert resp.status_code == 404 and resp.json()["message"] == "Not Found"
    resp = control.post(f"/repos/{repo.full_name}/pulls", content=b"x" * (6 * 1024 * 1024))
    assert resp.status_code == 413


def test_request_log_records_calls(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    repo.gh.rest.repos.get(repo.owner, repo.name)
    log = control.get("/_sandbox/requests").json()
    mine = [r for r in log if r["path"] == f"/repos/{repo.full_name}"]
    assert mine[-1] == {"method": "GET", "path": f"/repos/{repo.full_name}", "query": "", "status": 200}


def test_a_performed_fault_does_the_work_and_still_answers_502(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    sha = push(control, repo, "feature", {"app.py": "changed\n"})
    control.post("/_sandbox/faults", json={"method": "POST", "path_regex": f"^/repos/{repo.full_name}/check-runs$",
                                           "status": 502, "kind": "server", "perform": True})
    with pytest.raises(RequestFailed) as err:
        repo.gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha=sha)
    assert err.value.response.status_code == 502
    runs = repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, sha).parsed_data.check_runs
    assert [r.name for r in runs] == ["prodready"], "GitHub did the work despite the 502"
    bad = control.post("/_sandbox/faults", json={"kind": "server", "perform": "yes"})
    assert bad.status_code == 422


def test_latency_is_added_to_api_requests_only(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    assert control.get("/_sandbox/latency").json() == {"ms": 0}
    for bad in (-1, 10_001, "100", True, None):
        assert control.put("/_sandbox/latency", json={"ms": bad}).status_code == 422
    try:
        assert control.put("/_sandbox/latency", json={"ms": 1500}).json() == {"ms": 1500}
        started = time.monotonic()
        repo.gh.rest.repos.get(repo.owner, repo.name)
        api_s = time.monotonic() - started
        started = time.monotonic()
        control.get("/_sandbox/faults")
        setup_s = time.monotonic() - started
    finally:
        control.put("/_sandbox/latency", json={"ms": 0})
    # Lower bound only: the added wait is certain, the rest of the time is the machine's.
    assert api_s >= 1.5
    assert setup_s < 1.0
    assert control.get("/_sandbox/latency").json() == {"ms": 0}
