"""Re-runs (check_run / check_suite webhooks), draft toggling, blobs, trees, compare, rate limit."""

from __future__ import annotations

import base64
import io
import tarfile
from typing import Any

import httpx
from githubkit.webhooks import parse

from tests.sandbox.conftest import Receiver, RepoHandle, push


def _mine(server: Any, receiver: Receiver, repo: RepoHandle, event: str) -> list[Any]:
    assert server.wait_for_deliveries()
    return [r for r in receiver.events(event) if r.json["repository"]["full_name"] == repo.full_name]


def test_rerequest_and_requested_action_deliver_check_events(make_repo: Any, control: httpx.Client,
                                                             server: Any, receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    sha = push(control, repo, "feature", {"a.py": "1\n"})
    repo.gh.rest.pulls.create(repo.owner, repo.name, title="T", head="feature", base="main")
    run = repo.gh.rest.checks.create(repo.owner, repo.name, name="prodready", head_sha=sha,
                                     conclusion="failure", output={"title": "t", "summary": "s"},
                                     actions=[{"label": "Re-run", "description": "Retry", "identifier": "rerun"}],
                                     ).parsed_data
    assert repo.gh.rest.checks.rerequest_run(repo.owner, repo.name, run.id).status_code == 201
    resp = control.post(f"/_sandbox/repos/{repo.full_name}/check-runs/{run.id}/requested_action",
                        json={"identifier": "rerun"})
    assert resp.status_code == 201
    repo.gh.rest.checks.rerequest_suite(repo.owner, repo.name, run.check_suite.id)  # type: ignore[union-attr]
    runs = _mine(server, receiver, repo, "check_run")
    assert [r.json["action"] for r in runs] == ["rerequested", "requested_action"]
    for r in runs:
        event = parse("check_run", r.body)
        assert event.check_run.head_sha == sha  # type: ignore[union-attr]
    assert runs[1].json["requested_action"]["identifier"] == "rerun"
    assert runs[0].json["check_run"]["check_suite"]["head_branch"] == "feature"
    suites = _mine(server, receiver, repo, "check_suite")
    assert len(suites) == 1
    assert parse("check_suite", suites[0].body).action == "rerequested"


def test_draft_toggle_delivers_ready_for_review(make_repo: Any, control: httpx.Client, server: Any,
                                                receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"a.py": "1\n"})
    pr = repo.gh.rest.pulls.create(repo.owner, repo.name, title="T", head="feature", base="main",
                                   draft=True).parsed_data
    resp = control.post(f"/_sandbox/repos/{repo.full_name}/pulls/{pr.number}/draft", json={"draft": False})
    assert resp.json()["draft"] is False
    got = _mine(server, receiver, repo, "pull_request")
    assert [r.json["action"] for r in got] == ["opened", "ready_for_review"]
    assert parse("pull_request", got[1].body).action == "ready_for_review"


def test_blob_tree_compare_installation_repos_rate_limit(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo(files={"src/a.py": "a\n", "README.md": "r\n"})
    push(control, repo, "feature", {"src/a.py": "b\n"}, message="Change a")
    gh = repo.gh
    tree = gh.rest.git.get_tree(repo.owner, repo.name, "feature", recursive="1").parsed_data
    blob_sha = next(t.sha for t in tree.tree if t.path == "src/a.py")
    blob = gh.rest.git.get_blob(repo.owner, repo.name, blob_sha).parsed_data
    assert base64.b64decode(blob.content) == b"b\n"
    cmp = gh.rest.repos.compare_commits(repo.owner, repo.name, "main...feature").parsed_data
    assert cmp.status == "ahead" and cmp.ahead_by == 1 and cmp.files is not None
    assert cmp.files[0].filename == "src/a.py"
    diff = gh.rest.repos.compare_commits(repo.owner, repo.name, "main...feature",
                                         headers={"Accept": "application/vnd.github.diff"}).text
    assert "+b" in diff
    listed = gh.rest.apps.list_repos_accessible_to_installation().parsed_data
    assert repo.full_name in [r.full_name for r in listed.repositories]
    limits = gh.rest.rate_limit.get().parsed_data
    assert limits.resources.core.limit == 5000


def test_tarball_redirects_to_a_short_lived_codeload_archive(make_repo: Any, control: httpx.Client) -> None:
    repo = make_repo({"app/main.py": "print('hi')\n", "README.md": "# r\n"})
    resp = repo.gh.rest.repos.download_tarball_archive(repo.owner, repo.name, "main")
    assert resp.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(resp.content), mode="r:gz") as tar:
        names = sorted(m.name for m in tar.getmembers() if m.isfile())
    top = {n.split("/", 1)[0] for n in names}
    assert len(top) == 1 and next(iter(top)).startswith(f"{repo.owner}-{repo.name}-")
    assert [n.split("/", 1)[1] for n in names] == ["README.md", "app/main.py"]
    log = [r for r in control.get("/_sandbox/requests").json() if repo.name in r["path"]]
    tar_calls = [(r["path"].split("/")[4 if r["path"].startswith("/repos/") else 1], r["status"]) for r in log
                 if "tarball" in r["path"] or "codeload" in r["path"]]
    assert tar_calls == [("tarball", 302), ("_codeload", 200)]
    link = next(r for r in log if r["path"].startswith("/_codeload/"))
    assert control.get(link["path"], params=link["query"]).status_code == 200  # no credential needed
    control.post("/_sandbox/clock", json={"seconds": 301})
    assert control.get(link["path"], params=link["query"]).status_code == 404  # the link has expired
    # The API needs the installation token; the codeload link needs only its own, valid token.
    assert control.get(f"/repos/{repo.owner}/{repo.name}/tarball/main").status_code == 401
    assert control.get(f"/_codeload/{repo.owner}/{repo.name}/legacy.tar.gz/{'0' * 40}?token=nope").status_code == 404
