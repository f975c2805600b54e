"""Reviews and review comments: accepted on diff lines, refused with GitHub's 422 texts otherwise."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from githubkit.exception import RequestFailed

from tests.sandbox.conftest import BASE_APP_PY, RepoHandle, push

# Two hunks in app.py: line 3 changed (hunk 1 covers new lines 1-6), line 30 changed
# (hunk 2 covers new lines 27-33); line 15 is outside both.
HEAD_APP_PY = BASE_APP_PY.replace("line 3\n", "line three\n").replace("line 30\n", "line thirty\nextra\n")


@pytest.fixture
def pr(make_repo: Any, control: httpx.Client) -> tuple[RepoHandle, Any]:
    repo: RepoHandle = make_repo()
    push(control, repo, "feature", {"app.py": HEAD_APP_PY})
    made = repo.gh.rest.pulls.create(repo.owner, repo.name, title="T", head="feature",
                                     base="main").parsed_data
    return repo, made


def _review(repo: RepoHandle, number: int, sha: str, comments: list[dict[str, Any]], **kw: Any) -> Any:
    return repo.gh.rest.pulls.create_review(repo.owner, repo.name, number, commit_id=sha, event="COMMENT",
                                            body=kw.pop("body", "prodready review"), comments=comments, **kw)


def test_review_with_inline_comments(pr: tuple[RepoHandle, Any]) -> None:
    repo, p = pr
    resp = _review(repo, p.number, p.head.sha, [
        {"path": "app.py", "line": 3, "side": "RIGHT", "body": "single"},
        {"path": "app.py", "start_line": 28, "line": 31, "side": "RIGHT", "body": "range"},
        {"path": "app.py", "line": 3, "side": "LEFT", "body": "on the deleted line"},
    ])
    review = resp.parsed_data
    assert review.state == "COMMENTED" and review.commit_id == p.head.sha
    assert review.user is not None and review.user.login == "prodready[bot]"
    comments = list(repo.gh.rest.paginate(repo.gh.rest.pulls.list_review_comments, owner=repo.owner,
                                          repo=repo.name, pull_number=p.number, per_page=2))
    assert [(c.line, c.side, c.start_line) for c in comments] == [(3, "RIGHT", None), (31, "RIGHT", 28),
                                                                  (3, "LEFT", None)]
    first = comments[0]
    assert first.pull_request_review_id == review.id and first.commit_id == p.head.sha
    assert first.user.login == "prodready[bot]" and first.user.type == "Bot"  # type: ignore[union-attr]
    assert first.diff_hunk.startswith("@@ -1,6 +1,6 @@") and first.diff_hunk.endswith("+line three")
    reviews = repo.gh.rest.pulls.list_reviews(repo.owner, repo.name, p.number).parsed_data
    assert [r.id for r in reviews] == [review.id]
    of_review = repo.gh.rest.pulls.list_comments_for_review(repo.owner, repo.name, p.number, review.id)
    assert len(of_review.parsed_data) == 3


@pytest.mark.parametrize(("comment", "message"), [
    ({"path": "app.py", "line": 15, "side": "RIGHT"},
     "Pull request review thread line must be part of the diff and Pull request review thread diff hunk "
     "can't be blank"),
    ({"path": "other.py", "line": 1, "side": "RIGHT"}, "Pull request review thread path is invalid"),
    ({"path": "app.py", "start_line": 3, "line": 30, "side": "RIGHT"},
     "Pull request review thread start line must be part of the same hunk as the line."),
    ({"path": "app.py", "start_line": 5, "line": 4, "side": "RIGHT"},
     "Pull request review thread start line must precede the end line."),
])
def test_off_diff_comment_is_422_and_nothing_stored(pr: tuple[RepoHandle, Any], comment: dict[str, Any],
                                                    message: str) -> None:
    repo, p = pr
    good = {"path": "app.py", "line": 3, "side": "RIGHT", "body": "fine"}
    with pytest.raises(RequestFailed) as err:
        _review(repo, p.number, p.head.sha, [good, {**comment, "body": "x"}])
    assert err.value.response.status_code == 422
    body = err.value.response.json()
    assert body["message"] == "Unprocessable Entity" and body["errors"] == [message]
    assert repo.gh.rest.pulls.list_review_comments(repo.owner, repo.name, p.number).parsed_data == []
    assert repo.gh.rest.pulls.list_reviews(repo.owner, repo.name, p.number).parsed_data == []


def test_body_too_long(pr: tuple[RepoHandle, Any]) -> None:
    repo, p = pr
    with pytest.raises(RequestFailed) as err:
        _review(repo, p.number, p.head.sha, [], body="x" * 65537)
    assert err.value.response.json()["errors"] == ["Body is too long (maximum is 65536 characters)"]
    assert _review(repo, p.number, p.head.sha, [], body="x" * 65536).status_code == 200


def test_comment_on_older_commit_uses_that_diff(pr: tuple[RepoHandle, Any], control: httpx.Client) -> None:
    repo, p = pr
    push(control, repo, "feature", {"later.py": "new\n"})
    _review(repo, p.number, p.head.sha, [{"path": "app.py", "line": 3, "body": "old sha"}])
    with pytest.raises(RequestFailed):
        _review(repo, p.number, p.head.sha, [{"path": "later.py", "line": 1, "body": "not in that diff"}])


def test_pending_review_then_submit(pr: tuple[RepoHandle, Any]) -> None:
    repo, p = pr
    pending = repo.gh.rest.pulls.create_review(repo.owner, repo.name, p.number, commit_id=p.head.sha,
                                               comments=[{"path": "app.py", "line": 3,
                                                          "body": "x"}]).parsed_data
    assert pending.state == "PENDING"
    done = repo.gh.rest.pulls.submit_review(repo.owner, repo.name, p.number, pending.id, event="COMMENT",
                                            body="done").parsed_data
    assert done.state == "COMMENTED" and done.body == "done"


def test_single_comment_reply_edit_delete(pr: tuple[RepoHandle, Any]) -> None:
    repo, p = pr
    gh = repo.gh
    with pytest.raises(RequestFailed) as err:
        gh.rest.pulls.create_review_comment(repo.owner, repo.name, p.number, body="x", commit_id=p.head.sha,
                                            path="app.py", line=15, side="RIGHT")
    assert err.value.response.json()["errors"][0]["message"] == "could not be resolved"
    made = gh.rest.pulls.create_review_comment(repo.owner, repo.name, p.number, body="x",
                                               commit_id=p.head.sha,
                                               path="app.py", line=31, side="RIGHT")
    assert made.status_code == 201
    reply = gh.rest.pulls.create_reply_for_review_comment(repo.owner, repo.name, p.number,
                                                          made.parsed_data.id,
                                                          body="why?", headers={"X-Sandbox-User": "alice"})
    assert reply.parsed_data.in_reply_to_id == made.parsed_data.id
    assert reply.parsed_data.user.login == "alice"  # type: ignore[union-attr]
    edited = gh.rest.pulls.update_review_comment(repo.owner, repo.name, made.parsed_data.id, body="y")
    assert edited.parsed_data.body == "y"
    assert gh.rest.pulls.get_review_comment(repo.owner, repo.name, made.parsed_data.id).parsed_data.line == 31
    gh.rest.pulls.delete_review_comment(repo.owner, repo.name, reply.parsed_data.id)
    assert len(gh.rest.pulls.list_review_comments(repo.owner, repo.name, p.number).parsed_data) == 1
