"""Threads follow the code, over real HTTP: a fixed finding's thread is resolved, the rest stay open."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import AI_TRAILER, HUMAN, Env, Repo, unique

CLIENT = """import requests


def fetch_status(url: str) -> int:
    resp = requests.get(url{get_args})
    return resp.status_code


def post_event(url: str, body: dict) -> int:
    resp = requests.post(url, json=body)
    return resp.status_code
"""
RULE = "py-requests-no-timeout"
THREADS = """
query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) { pullRequest(number: $number) {
    reviewThreads(first: 100) { nodes { id isResolved path line
      comments(first: 100) { nodes { databaseId body author { login } } } } } } }
}
"""


def _msg(title: str) -> str:
    return f"{title}\n\n{AI_TRAILER}\n"


def threads(repo: Repo, number: int) -> list[dict[str, Any]]:
    data = repo.gh.graphql(THREADS, {"owner": repo.owner, "name": repo.name, "number": number})
    nodes: list[dict[str, Any]] = data["repository"]["pullRequest"]["reviewThreads"]["nodes"]
    return nodes


def _timeout_threads(repo: Repo, number: int) -> dict[int, dict[str, Any]]:
    """line of the root comment -> thread, for the timeout rule's threads."""
    return {t["line"]: t for t in threads(repo, number) if f"`{RULE}`" in t["comments"]["nodes"][0]["body"]}


def _open_two_findings(env: Env) -> tuple[Repo, Any]:
    repo = env.make_repo({"README.md": "# svc\n"})
    branch = unique("feature")
    env.push(repo, branch, {"svc/client.py": CLIENT.format(get_args="")}, message=_msg("Add a client"))
    pr = env.open_pr(repo, branch)
    env.completed_run(repo, pr.head.sha)
    return repo, pr


def test_a_push_that_fixes_one_of_two_findings_resolves_exactly_that_thread(env: Env) -> None:
    repo, pr = _open_two_findings(env)
    before = _timeout_threads(repo, pr.number)
    assert sorted(before) == [5, 10] and not any(t["isResolved"] for t in before.values())

    fix = env.push(repo, pr.head.ref, {"svc/client.py": CLIENT.format(get_args=", timeout=5")},
                   message=_msg("Bound the status call"))
    run = env.completed_run(repo, fix)

    after = {t["id"]: t for t in threads(repo, pr.number)}
    fixed, kept = after[before[5]["id"]], after[before[10]["id"]]
    assert fixed["isResolved"] and not kept["isResolved"]
    replies = fixed["comments"]["nodes"][1:]
    assert [c["author"]["login"] for c in replies] == ["prodready[bot]"]
    assert replies[0]["body"].startswith(f"Fixed in {fix[:7]}")
    assert len(kept["comments"]["nodes"]) == 1, "the open thread got no reply"
    assert "Resolved 1 earlier thread(s)" in (run.output.summary or "")
    # Every other thread (other rules on the unchanged post line) is untouched too.
    assert [t["id"] for t in after.values() if t["isResolved"]] == [fixed["id"]]


def test_a_thread_with_a_human_reply_survives_a_fix_unedited(env: Env) -> None:
    repo, pr = _open_two_findings(env)
    root = _timeout_threads(repo, pr.number)[5]["comments"]["nodes"][0]
    human = repo.gh.rest.pulls.create_reply_for_review_comment(
        repo.owner, repo.name, pr.number, root["databaseId"], body="We rely on the session default here.",
        headers={"X-Sandbox-User": HUMAN}).parsed_data
    bodies = {c.id: c.body for c in env.comments(repo, pr.number)}

    fix = env.push(repo, pr.head.ref, {"svc/client.py": CLIENT.format(get_args=", timeout=5")},
                   message=_msg("Bound the status call"))
    env.completed_run(repo, fix)

    now = {c.id: c for c in env.comments(repo, pr.number)}
    assert all(now[cid].body == body for cid, body in bodies.items()), "no comment was edited or deleted"
    assert now[human.id].user.login == HUMAN
    thread = next(t for t in threads(repo, pr.number) if t["comments"]["nodes"][0]["databaseId"] == root["databaseId"])
    assert thread["isResolved"]
    assert [c["author"]["login"] for c in thread["comments"]["nodes"]] == ["prodready[bot]", HUMAN, "prodready[bot]"]

    # A second review of the same head resolves nothing again and replies nothing again.
    again = len(env.comments(repo, pr.number))
    env.push(repo, pr.head.ref, {"README.md": "# svc\n\nMore.\n"}, message=_msg("Docs"))
    env.completed_run(repo, env.push(repo, pr.head.ref, {"docs/a.md": "a\n"}, message=_msg("Docs 2")))
    assert len(env.comments(repo, pr.number)) == again
