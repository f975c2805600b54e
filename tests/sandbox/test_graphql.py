"""The sandbox's GraphQL subset: review threads and resolveReviewThread, with GitHub's shapes and errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from githubkit.exception import GraphQLFailed

from github_app.github import RESOLVE_MUTATION, THREADS_QUERY
from github_app.sandbox import SandboxServer
from tests.sandbox.conftest import push, unique


def _pr_with_comment(make_repo: Any, control: httpx.Client) -> tuple[Any, int, int]:
    repo = make_repo()
    branch = unique("b")
    push(control, repo, branch, {"app.py": "changed\n" + "".join(f"line {i}\n" for i in range(2, 41))})
    pr = repo.gh.rest.pulls.create(repo.owner, repo.name, data={"title": "t", "head": branch,
                                                                "base": "main"}).parsed_data
    review = repo.gh.rest.pulls.create_review(repo.owner, repo.name, pr.number, data={
        "event": "COMMENT", "body": "b", "comments": [{"path": "app.py", "line": 1, "body": "root"}]})
    assert review.status_code == 200
    root = repo.gh.rest.pulls.list_review_comments(repo.owner, repo.name, pr.number).parsed_data[0]
    return repo, pr.number, root.id


def _threads(repo: Any, number: int) -> list[dict[str, Any]]:
    pages = list(repo.gh.graphql.paginate(THREADS_QUERY, {"owner": repo.owner, "name": repo.name,
                                                          "number": number}))
    return [n for p in pages for n in p["repository"]["pullRequest"]["reviewThreads"]["nodes"]]


def test_threads_list_replies_and_resolve(make_repo: Any, control: httpx.Client) -> None:
    repo, number, root_id = _pr_with_comment(make_repo, control)
    repo.gh.rest.pulls.create_reply_for_review_comment(repo.owner, repo.name, number, root_id, body="reply",
                                                       headers={"X-Sandbox-User": "dana"})
    [thread] = _threads(repo, number)
    assert thread["isResolved"] is False and thread["path"] == "app.py" and thread["line"] == 1
    assert [(c["databaseId"] == root_id, c["author"]["login"]) for c in thread["comments"]["nodes"]] == [
        (True, "prodready[bot]"), (False, "dana")]

    data = repo.gh.graphql(RESOLVE_MUTATION, {"id": thread["id"]})
    assert data == {"resolveReviewThread": {"thread": {"id": thread["id"], "isResolved": True}}}
    assert _threads(repo, number)[0]["isResolved"] is True


def test_unknown_thread_and_repository_are_not_found_inside_a_200(make_repo: Any, control: httpx.Client) -> None:
    repo, number, _ = _pr_with_comment(make_repo, control)
    with pytest.raises(GraphQLFailed) as err:
        repo.gh.graphql(RESOLVE_MUTATION, {"id": "PRRT_nope"})
    [e] = err.value.response.errors
    assert e.type == "NOT_FOUND" and "PRRT_nope" in e.message and e.path == ["resolveReviewThread"]
    with pytest.raises(GraphQLFailed) as err:
        repo.gh.graphql(THREADS_QUERY, {"owner": repo.owner, "name": "missing", "number": number})
    assert err.value.response.errors[0].type == "NOT_FOUND"


def test_bad_token_is_401_and_a_bad_query_is_an_error_list(server: SandboxServer, make_repo: Any,
                                                            control: httpx.Client) -> None:
    resp = httpx.post(server.url + "/graphql", json={"query": "{ viewer { login } }"},
                      headers={"Authorization": "token nope"})
    assert resp.status_code == 401 and resp.json()["message"] == "Bad credentials"
    repo, _, _ = _pr_with_comment(make_repo, control)
    with pytest.raises(GraphQLFailed) as err:
        repo.gh.graphql("{ repository(owner: \"a\", name: \"b\") { nope } }")
    assert "nope" in err.value.response.errors[0].message
