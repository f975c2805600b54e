"""Check runs: create, update with appended annotations, GitHub's limits, list for a ref."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from githubkit import AppAuthStrategy, GitHub
from githubkit.exception import RequestFailed

from tests.sandbox.conftest import RepoHandle, push


def _ann(i: int) -> dict[str, Any]:
    return {"path": "app.py", "start_line": i + 1, "end_line": i + 1, "annotation_level": "warning",
            "message": f"finding {i}"}


@pytest.fixture
def head(make_repo: Any, control: httpx.Client) -> tuple[RepoHandle, str]:
    repo: RepoHandle = make_repo()
    sha = push(control, repo, "feature", {"app.py": "changed\n"})
    repo.gh.rest.pulls.create(repo.owner, repo.name, title="T", head="feature", base="main")
    return repo, sha


def test_create_update_and_read(head: tuple[RepoHandle, str]) -> None:
    repo, sha = head
    gh = repo.gh
    created = gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha=sha,
                                    status="in_progress",
                                    external_id="job-1", details_url="https://example.com/x")
    assert created.status_code == 201
    run = created.parsed_data
    assert run.status == "in_progress" and run.conclusion is None and run.app is not None
    assert [p.number for p in run.pull_requests] == [1]
    gh.rest.checks.update(repo.owner, repo.name, run.id,
                          output={"title": "t", "summary": "s", "annotations": [_ann(i) for i in range(50)]})
    done = gh.rest.checks.update(repo.owner, repo.name, run.id, conclusion="failure",
                                 output={"title": "t", "summary": "s2",
                                         "annotations": [_ann(50)]}).parsed_data
    assert done.status == "completed" and done.conclusion == "failure" and done.completed_at is not None
    assert done.output.annotations_count == 51 and done.output.summary == "s2"
    assert gh.rest.checks.get(repo.owner, repo.name, run.id).parsed_data.output.annotations_count == 51
    anns = list(gh.rest.paginate(gh.rest.checks.list_annotations, owner=repo.owner, repo=repo.name,
                                 check_run_id=run.id, per_page=100))
    assert len(anns) == 51 and anns[-1].message == "finding 50"


def test_annotation_and_output_limits(head: tuple[RepoHandle, str], server: Any,
                                      app_key: tuple[str, str]) -> None:
    repo, sha = head
    # githubkit refuses 51 annotations client-side; switch that off to see GitHub's answer.
    app = GitHub(AppAuthStrategy(4242, app_key[0]), base_url=server.url, timeout=httpx.Timeout(10.0),
                 http_cache=False, auto_retry=False, rest_api_validate_body=False)
    gh = app.with_auth(app.auth.as_installation(repo.installation_id))
    run = gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha=sha).parsed_data
    with pytest.raises(RequestFailed) as err:
        gh.rest.checks.update(repo.owner, repo.name, run.id,
                              output={"title": "t", "summary": "s",
                                      "annotations": [_ann(i) for i in range(51)]})
    assert err.value.response.status_code == 422
    assert err.value.response.json()["message"] == (
        "Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.")
    emoji = "\U0001f600" * 16384  # 16,384 characters, 65,536 bytes
    with pytest.raises(RequestFailed) as err:
        gh.rest.checks.update(repo.owner, repo.name, run.id, output={"title": "t", "summary": emoji})
    assert err.value.response.status_code == 422
    assert err.value.response.json()["errors"][0]["message"] == "summary exceeds a maximum bytesize of 65535"
    assert gh.rest.checks.get(repo.owner, repo.name, run.id).parsed_data.output.annotations_count == 0


def test_unknown_head_sha_is_422(head: tuple[RepoHandle, str]) -> None:
    repo, _ = head
    with pytest.raises(RequestFailed) as err:
        repo.gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha="0" * 40)
    assert err.value.response.status_code == 422
    assert err.value.response.json()["message"] == f"No commit found for SHA: {'0' * 40}"


def test_list_for_ref_filters(head: tuple[RepoHandle, str]) -> None:
    repo, sha = head
    gh = repo.gh
    gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha=sha)
    newest = gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha=sha).parsed_data
    gh.rest.checks.create(repo.owner, repo.name, name="other", head_sha=sha)
    latest = gh.rest.checks.list_for_ref(repo.owner, repo.name, sha, check_name="prodready").parsed_data
    assert latest.total_count == 1 and latest.check_runs[0].id == newest.id
    every = gh.rest.checks.list_for_ref(repo.owner, repo.name, "feature", filter_="all").parsed_data
    assert every.total_count == 3


def test_list_for_ref_finds_runs_in_any_state_and_refuses_unknown_filters(head: tuple[RepoHandle, str]) -> None:
    repo, sha = head
    gh = repo.gh
    done = gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha=sha, status="completed",
                                 conclusion="success").parsed_data
    latest = gh.rest.checks.list_for_ref(repo.owner, repo.name, sha, check_name="prodready").parsed_data
    assert [(r.id, r.status) for r in latest.check_runs] == [(done.id, "completed")]
    queued = gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha=sha).parsed_data
    every = gh.rest.checks.list_for_ref(repo.owner, repo.name, sha, check_name="prodready",
                                        filter_="all").parsed_data
    assert [r.id for r in every.check_runs] == [queued.id, done.id]
    only_done = gh.rest.checks.list_for_ref(repo.owner, repo.name, sha, check_name="prodready", filter_="all",
                                            status="completed").parsed_data
    assert [r.id for r in only_done.check_runs] == [done.id]
    for bad in ({"filter": "newest"}, {"status": "finished"}):
        with pytest.raises(RequestFailed) as err:
            gh.request("GET", f"/repos/{repo.owner}/{repo.name}/commits/{sha}/check-runs", params=bad)
        assert err.value.response.status_code == 422
