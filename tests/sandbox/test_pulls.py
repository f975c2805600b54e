"""Pull requests through githubkit: create, read, diff, files and commits (paginated), edit, labels."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from githubkit.exception import RequestFailed
from githubkit.webhooks import parse, verify

from tests.sandbox.conftest import SECRET, Receiver, RepoHandle, push


def _events(server: Any, receiver: Receiver, repo: RepoHandle, action: str | None = None,
            event: str = "pull_request") -> list[Any]:
    assert server.wait_for_deliveries()
    return [r for r in receiver.events(event)
            if r.json["repository"]["full_name"] == repo.full_name
            and (action is None or r.json["action"] == action)]


def _open(repo: RepoHandle, head: str = "feature", **extra: Any) -> Any:
    return repo.gh.rest.pulls.create(repo.owner, repo.name, title="A change", head=head, base="main",
                                     **extra).parsed_data


def test_create_and_get_pull(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"app.py": "changed\n"})
    created = repo.gh.rest.pulls.create(repo.owner, repo.name, title="T", head=f"{repo.owner}:feature",
                                        base="main", body="why", draft=True,
                                        headers={"X-Sandbox-User": "devin-ai-integration[bot]"})
    assert created.status_code == 201
    pr = created.parsed_data
    assert pr.draft is True and pr.user is not None and pr.user.type == "Bot"
    got = repo.gh.rest.pulls.get(repo.owner, repo.name, pr.number).parsed_data
    assert got.head.sha == pr.head.sha and got.base.ref == "main" and got.body == "why"
    listed = repo.gh.rest.pulls.list(repo.owner, repo.name, head=f"{repo.owner}:feature").parsed_data
    assert [p.number for p in listed] == [pr.number]


def test_create_pull_validation(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    with pytest.raises(RequestFailed) as err:
        _open(repo, head="missing")
    assert err.value.response.status_code == 422
    push(control, repo, "feature", {"x.py": "1\n"})
    _open(repo)
    with pytest.raises(RequestFailed) as err:
        _open(repo)
    assert "already exists" in err.value.response.text


def test_diff_media_type_is_three_dot(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"feature.py": "f = 1\n"})
    push(control, repo, "main", {"README.md": "moved on\n"})  # base moves: not part of the PR diff
    pr = _open(repo)
    resp = repo.gh.rest.pulls.get(repo.owner, repo.name, pr.number,
                                  headers={"Accept": "application/vnd.github.diff"})
    assert resp.headers["content-type"].startswith("application/vnd.github.diff")
    assert "feature.py" in resp.text and "README.md" not in resp.text


def test_diff_too_large_is_406(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {f"f{i:03}.txt": "x\n" for i in range(301)})
    pr = _open(repo)
    with pytest.raises(RequestFailed) as err:
        repo.gh.rest.pulls.get(repo.owner, repo.name, pr.number,
                               headers={"Accept": "application/vnd.github.diff"})
    body = err.value.response.json()
    assert err.value.response.status_code == 406
    assert body["message"].startswith("Sorry, the diff exceeded the maximum number of files (300).")
    assert body["errors"][0]["code"] == "too_large"


def test_files_paginate_with_link_header(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    files: dict[str, Any] = {f"src/f{i:02}.py": f"v = {i}\n" for i in range(45)}
    files["logo.png"] = {"base64": base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00binary").decode()}
    push(control, repo, "feature", files)
    pr = _open(repo)
    first = repo.gh.rest.pulls.list_files(repo.owner, repo.name, pr.number, per_page=20)
    assert len(first.parsed_data) == 20
    assert 'rel="next"' in first.headers["link"] and 'rel="last"' in first.headers["link"]
    assert "page=3" in first.headers["link"]
    every = list(repo.gh.rest.paginate(repo.gh.rest.pulls.list_files, owner=repo.owner, repo=repo.name,
                                       pull_number=pr.number, per_page=20))
    assert len(every) == 46
    binary = next(f for f in every if f.filename == "logo.png")
    assert not binary.patch  # omitted for binary files, as on GitHub
    text = next(f for f in every if f.filename == "src/f00.py")
    assert text.patch == "@@ -0,0 +1 @@\n+v = 0" and text.status == "added" and text.additions == 1


def test_files_list_stops_at_3000(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {f"d/f{i:04}": "x\n" for i in range(3005)})
    pr = _open(repo)
    assert pr.changed_files == 3005
    last = repo.gh.rest.pulls.list_files(repo.owner, repo.name, pr.number, per_page=100, page=30)
    assert len(last.parsed_data) == 100 and 'rel="next"' not in last.headers.get("link", "")
    beyond = repo.gh.rest.pulls.list_files(repo.owner, repo.name, pr.number, per_page=100, page=31)
    assert beyond.parsed_data == []


def test_commits_paginate_and_keep_messages(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    message = "Add x\n\nGenerated with Claude Code\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
    push(control, repo, "feature", {"a.py": "1\n"}, message=message, login="dev1")
    for i in range(4):
        push(control, repo, "feature", {"a.py": f"{i}\n"}, message=f"step {i}")
    pr = _open(repo)
    commits = list(repo.gh.rest.paginate(repo.gh.rest.pulls.list_commits, owner=repo.owner, repo=repo.name,
                                         pull_number=pr.number, per_page=2))
    assert len(commits) == 5 and pr.commits == 5
    assert commits[0].commit.message == message
    assert commits[0].author is not None and commits[0].author.login == "dev1"  # type: ignore[union-attr]
    assert commits[-1].sha == pr.head.sha


def test_push_delivers_synchronize_with_before_after(make_repo: Any, control: httpx.Client, server: Any,
                                                     receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    first = push(control, repo, "feature", {"a.py": "1\n"})
    pr = _open(repo)
    second = push(control, repo, "feature", {"a.py": "2\n"})
    syncs = _events(server, receiver, repo, "synchronize")
    assert len(syncs) == 1
    assert syncs[0].json["before"] == first and syncs[0].json["after"] == second
    assert verify(SECRET, syncs[0].body, syncs[0].headers["x-hub-signature-256"])
    event = parse("pull_request", syncs[0].body)
    assert event.action == "synchronize"
    assert repo.gh.rest.pulls.get(repo.owner, repo.name, pr.number).parsed_data.head.sha == second


def test_put_contents_commits_and_synchronizes(make_repo: Any, control: httpx.Client, server: Any,
                                               receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"a.py": "1\n"})
    pr = _open(repo)
    created = repo.gh.rest.repos.create_or_update_file_contents(
        repo.owner, repo.name, "b.py", message="Add b", content=base64.b64encode(b"b = 1\n").decode(),
        branch="feature")
    assert created.status_code == 201
    sha = created.parsed_data.content.sha  # type: ignore[union-attr]
    updated = repo.gh.rest.repos.create_or_update_file_contents(
        repo.owner, repo.name, "b.py", message="Edit b", content=base64.b64encode(b"b = 2\n").decode(),
        branch="feature", sha=sha)
    assert updated.status_code == 200
    with pytest.raises(RequestFailed) as err:
        repo.gh.rest.repos.create_or_update_file_contents(
            repo.owner, repo.name, "b.py", message="Stale", content="eA==", branch="feature", sha=sha)
    assert err.value.response.status_code == 409
    syncs = _events(server, receiver, repo, "synchronize")
    assert [s.json["after"] for s in syncs][-1] == updated.parsed_data.commit.sha
    assert len(syncs) == 2
    assert repo.gh.rest.pulls.get(repo.owner, repo.name, pr.number).parsed_data.changed_files == 2


def test_edit_base_close_reopen_events(make_repo: Any, control: httpx.Client, server: Any,
                                       receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "develop", {"d.py": "1\n"})
    push(control, repo, "feature", {"a.py": "1\n"}, base="develop")
    pr = _open(repo)
    edited = repo.gh.rest.pulls.update(repo.owner, repo.name, pr.number, base="develop").parsed_data
    assert edited.base.ref == "develop" and edited.changed_files == 1
    repo.gh.rest.pulls.update(repo.owner, repo.name, pr.number, state="closed")
    repo.gh.rest.pulls.update(repo.owner, repo.name, pr.number, state="open")
    got = _events(server, receiver, repo)
    assert [e.json["action"] for e in got] == ["opened", "edited", "closed", "reopened"]
    assert got[1].json["changes"]["base"]["ref"]["from"] == "main"
    for e in got:
        parse("pull_request", e.body)


def test_labels_deliver_labeled(make_repo: Any, control: httpx.Client, server: Any,
                                receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"a.py": "1\n"})
    pr = _open(repo)
    labels = repo.gh.rest.issues.add_labels(repo.owner, repo.name, pr.number, labels=["ai-generated", "x"])
    assert {lab.name for lab in labels.parsed_data} == {"ai-generated", "x"}
    listed = repo.gh.rest.issues.list_labels_on_issue(repo.owner, repo.name, pr.number).parsed_data
    assert len(listed) == 2
    got = _events(server, receiver, repo, "labeled")
    assert [e.json["label"]["name"] for e in got] == ["ai-generated", "x"]
    parse("pull_request", got[0].body)
    assert repo.gh.rest.pulls.get(repo.owner, repo.name,
                                  pr.number).parsed_data.labels[0].name == "ai-generated"


def test_issue_comments_and_event(make_repo: Any, control: httpx.Client, server: Any,
                                  receiver: Receiver) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"a.py": "1\n"})
    pr = _open(repo)
    human = repo.gh.rest.issues.create_comment(repo.owner, repo.name, pr.number, body="/prodready recheck",
                                               headers={"X-Sandbox-User": "alice"}).parsed_data
    assert human.user is not None and human.user.login == "alice"
    bot = repo.gh.rest.issues.create_comment(repo.owner, repo.name, pr.number, body="summary").parsed_data
    assert bot.user is not None and bot.user.login == "prodready[bot]" and bot.user.type == "Bot"
    edited = repo.gh.rest.issues.update_comment(repo.owner, repo.name, bot.id, body="summary v2").parsed_data
    assert edited.body == "summary v2"
    comments = repo.gh.rest.issues.list_comments(repo.owner, repo.name, pr.number).parsed_data
    assert [c.body for c in comments] == ["/prodready recheck", "summary v2"]
    got = _events(server, receiver, repo, "created", event="issue_comment")
    assert got[0].json["comment"]["body"] == "/prodready recheck"
    assert got[0].json["issue"]["pull_request"]["url"].endswith(f"/pulls/{pr.number}")
    for e in got:
        parse("issue_comment", e.body)


def test_contents_json_raw_dir_missing_and_large(make_repo: Any, control: httpx.Client) -> None:
    big = "x" * (1024 * 1024 + 10)
    repo: RepoHandle = make_repo(files={"a/b.txt": "hello\n", "big.txt": big, "README.md": "r\n"})
    gh = repo.gh
    f = gh.rest.repos.get_content(repo.owner, repo.name, "a/b.txt").parsed_data
    assert base64.b64decode(f.content) == b"hello\n"  # type: ignore[union-attr]
    raw = gh.rest.repos.get_content(repo.owner, repo.name, "a/b.txt",
                                    headers={"Accept": "application/vnd.github.raw+json"})
    assert raw.content == b"hello\n"
    listing = gh.rest.repos.get_content(repo.owner, repo.name, "a").parsed_data
    assert [i.name for i in listing] == ["b.txt"]  # type: ignore[union-attr]
    large = gh.rest.repos.get_content(repo.owner, repo.name, "big.txt").parsed_data
    assert large.encoding == "none" and large.content == ""  # type: ignore[union-attr]
    raw_large = gh.rest.repos.get_content(repo.owner, repo.name, "big.txt",
                                          headers={"Accept": "application/vnd.github.raw"})
    assert len(raw_large.content) == len(big)
    with pytest.raises(RequestFailed) as err:
        gh.rest.repos.get_content(repo.owner, repo.name, "nope.txt")
    assert err.value.response.status_code == 404 and err.value.response.json()["message"] == "Not Found"


def test_refs_and_commit(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    gh = repo.gh
    main = gh.rest.git.get_ref(repo.owner, repo.name, "heads/main").parsed_data
    made = gh.rest.git.create_ref(repo.owner, repo.name, ref="refs/heads/topic", sha=main.object_.sha)
    assert made.status_code == 201 and made.parsed_data.ref == "refs/heads/topic"
    with pytest.raises(RequestFailed) as err:
        gh.rest.git.create_ref(repo.owner, repo.name, ref="refs/heads/topic", sha=main.object_.sha)
    assert err.value.response.json()["message"] == "Reference already exists"
    refs = gh.rest.git.list_matching_refs(repo.owner, repo.name, "heads/").parsed_data
    assert {r.ref for r in refs} == {"refs/heads/main", "refs/heads/topic"}
    commit = gh.rest.repos.get_commit(repo.owner, repo.name, "main").parsed_data
    assert commit.sha == main.object_.sha and commit.files is not None and len(commit.files) == 2
    assert gh.rest.repos.get(repo.owner, repo.name).parsed_data.default_branch == "main"


def test_rename_delete_and_oversized_patches(make_repo: Any, control: httpx.Client) -> None:
    body = "".join(f"def f{i}():\n    return {i}\n" for i in range(50))
    repo: RepoHandle = make_repo(files={"old_name.py": body, "gone.txt": "bye\n", "README.md": "r\n"})
    wide = "".join(f"{i:06} " + "y" * 93 + "\n" for i in range(6000))  # 600 KB in 6,000 lines
    push(control, repo, "feature", {"old_name.py": None, "new_name.py": body + "# moved\n", "gone.txt": None,
                                    "wide.txt": wide})
    pr = _open(repo)
    files = {f.filename: f for f in repo.gh.rest.paginate(
        repo.gh.rest.pulls.list_files, owner=repo.owner, repo=repo.name, pull_number=pr.number)}
    assert files["new_name.py"].status == "renamed"
    assert files["new_name.py"].previous_filename == "old_name.py"
    assert files["gone.txt"].status == "removed" and files["gone.txt"].deletions == 1
    assert files["wide.txt"].additions == 6000 and not files["wide.txt"].patch  # over 500 KB: no patch


def test_diff_over_20000_lines_is_406(make_repo: Any, control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"long.txt": "x\n" * 20_001})
    pr = _open(repo)
    with pytest.raises(RequestFailed) as err:
        repo.gh.rest.pulls.get(repo.owner, repo.name, pr.number,
                               headers={"Accept": "application/vnd.github.diff"})
    assert err.value.response.status_code == 406
    assert "maximum number of lines (20000)" in err.value.response.json()["message"]
