"""The sandbox's merge queue, forks and collaborator permissions: shapes and refusals."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from githubkit.exception import RequestFailed

from tests.sandbox.conftest import push, unique


def _pr(repo: Any, control: httpx.Client, files: dict[str, str]) -> int:
    branch = unique("b")
    push(control, repo, branch, files)
    return int(repo.gh.rest.pulls.create(repo.owner, repo.name, data={"title": "t", "head": branch,
                                                                     "base": "main"}).parsed_data.number)


def test_merge_groups_stack_in_queue_order_on_readonly_branches(make_repo: Any, control: httpx.Client) -> None:
    repo = make_repo()
    a, b = _pr(repo, control, {"a.txt": "a\n"}), _pr(repo, control, {"b.txt": "b\n"})
    resp = control.post(f"/_sandbox/repos/{repo.full_name}/merge-queue", json={"pulls": [a, b]})
    assert resp.status_code == 201, resp.text
    first, second = resp.json()["groups"]
    assert second["base_sha"] == first["head_sha"]
    assert first["head_ref"] == f"refs/heads/gh-readonly-queue/main/pr-{a}-{first['base_sha']}"
    cmp = repo.gh.rest.repos.compare_commits(repo.owner, repo.name, f"main...{second['head_sha']}").json()
    assert {f["filename"] for f in cmp["files"]} == {"a.txt", "b.txt"}
    assert [c["commit"]["message"].splitlines()[0] for c in cmp["commits"] if len(c["parents"]) == 2] == [
        f"Merge pull request #{a} from acme:{repo_branch(repo, a)}", f"Merge pull request #{b} from acme:"
        f"{repo_branch(repo, b)}"]


def repo_branch(repo: Any, number: int) -> str:
    return str(repo.gh.rest.pulls.get(repo.owner, repo.name, number).parsed_data.head.ref)


def test_merge_queue_refusals(make_repo: Any, control: httpx.Client) -> None:
    repo = make_repo()
    a = _pr(repo, control, {"same.txt": "one\n"})
    b = _pr(repo, control, {"same.txt": "two\n"})
    url = f"/_sandbox/repos/{repo.full_name}/merge-queue"
    assert control.post(url, json={"pulls": []}).status_code == 422
    assert control.post(url, json={"pulls": [999]}).status_code == 422
    conflict = control.post(url, json={"pulls": [a, b]})
    assert conflict.status_code == 422 and "conflicts" in conflict.json()["message"]


def test_collaborator_permission_shapes(make_repo: Any, control: httpx.Client) -> None:
    repo = make_repo()
    assert control.put(f"/_sandbox/repos/{repo.full_name}/collaborators/wes", json={"permission": "maintain"}
                       ).status_code == 200
    assert control.put(f"/_sandbox/repos/{repo.full_name}/collaborators/wes", json={"permission": "boss"}
                       ).status_code == 422
    got = repo.gh.rest.repos.get_collaborator_permission_level(repo.owner, repo.name, "wes").parsed_data
    assert (got.permission, got.role_name, got.user.login if got.user else None) == ("write", "maintain", "wes")
    owner = repo.gh.rest.repos.get_collaborator_permission_level(repo.owner, repo.name, repo.owner).parsed_data
    assert owner.role_name == "admin"
    other = repo.gh.rest.repos.get_collaborator_permission_level(repo.owner, repo.name, "nobody").parsed_data
    assert other.role_name == "read"


def test_a_fork_pr_has_the_fork_as_head_repo_and_no_pr_on_its_checks(make_repo: Any, control: httpx.Client) -> None:
    repo = make_repo()
    forker = unique("forker")
    assert control.post(f"/_sandbox/repos/{repo.full_name}/forks", json={"owner": forker}).status_code == 201
    assert control.post(f"/_sandbox/repos/{repo.full_name}/forks", json={"owner": forker}).status_code == 422
    resp = control.post(f"/_sandbox/repos/{forker}/{repo.name}/commits", json={
        "branch": "fix", "message": "m", "files": {"x.txt": "x\n"}})
    sha = resp.json()["sha"]
    pr = repo.gh.rest.pulls.create(repo.owner, repo.name, data={"title": "t", "head": f"{forker}:fix",
                                                                "base": "main"}).parsed_data
    assert pr.head.repo is not None and pr.head.repo.full_name == f"{forker}/{repo.name}"
    assert (pr.head.ref, pr.head.label, pr.head.sha) == ("fix", f"{forker}:fix", sha)
    assert pr.base.repo.full_name == repo.full_name
    run = repo.gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha=sha).parsed_data
    assert run.pull_requests == []
    pulls = repo.gh.rest.repos.list_pull_requests_associated_with_commit(repo.owner, repo.name, sha).json()
    assert [p["number"] for p in pulls] == [pr.number]
    # The fork is not the app's: its token cannot read it.
    with pytest.raises(RequestFailed) as err:
        repo.gh.rest.repos.get(forker, repo.name)
    assert err.value.response.status_code == 403
