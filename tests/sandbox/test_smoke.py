"""The lead's first path: repo, push, PR opened with a signed webhook, files, diff, contents."""

from __future__ import annotations

import httpx
from githubkit.webhooks import parse, verify

from tests.sandbox.conftest import SECRET, Receiver, RepoHandle, push


def test_open_pr_delivers_signed_opened_and_serves_files(
        make_repo: object, control: httpx.Client, receiver: Receiver, server: object) -> None:
    repo: RepoHandle = make_repo()  # type: ignore[operator]
    push(control, repo, "feature", {"app.py": "changed\n", "new.py": "x = 1\n"}, message="Add x")
    gh = repo.gh
    pr = gh.rest.pulls.create(repo.owner, repo.name, title="Add x", head="feature", base="main").parsed_data
    assert pr.number == 1 and pr.head.ref == "feature" and pr.changed_files == 2
    assert server.wait_for_deliveries()  # type: ignore[attr-defined]
    opened = [r for r in receiver.events("pull_request")
              if r.json["repository"]["full_name"] == repo.full_name and r.json["action"] == "opened"]
    assert len(opened) == 1
    assert verify(SECRET, opened[0].body, opened[0].headers["x-hub-signature-256"])
    event = parse("pull_request", opened[0].body)
    assert event.pull_request.head.sha == pr.head.sha  # type: ignore[union-attr]
    files = gh.rest.pulls.list_files(repo.owner, repo.name, 1).parsed_data
    assert sorted(f.filename for f in files) == ["app.py", "new.py"]
    diff = gh.rest.pulls.get(repo.owner, repo.name, 1, headers={"Accept": "application/vnd.github.diff"}).text
    assert diff.startswith("diff --git a/app.py b/app.py")
    content = gh.rest.repos.get_content(repo.owner, repo.name, "new.py", ref="feature").parsed_data
    assert content.path == "new.py"  # type: ignore[union-attr]
