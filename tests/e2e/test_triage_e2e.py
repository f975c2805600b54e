"""Triage from the PR over real HTTP: /prodready ignore by a writer flips the check; others are refused."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import AI_TRAILER, HUMAN, Env, Repo, unique, wait_for

CLIENT = """import requests


def fetch_status(url: str) -> int:
    resp = requests.get(url)
    return resp.status_code
"""
RULE = "py-requests-no-timeout"
WRITER = "rhea-writer"
READER = "rory-reader"


def _open_ai_pr(env: Env) -> tuple[Repo, Any, Any]:
    repo = env.make_repo({"README.md": "# svc\n"})
    branch = unique("feature")
    env.push(repo, branch, {"svc/client.py": CLIENT}, message=f"Add a client\n\n{AI_TRAILER}\n")
    pr = env.open_pr(repo, branch)
    run = env.completed_run(repo, pr.head.sha)
    assert run.conclusion == "failure", run.output.summary
    return repo, pr, run


def _grant(env: Env, repo: Repo, login: str, role: str) -> None:
    resp = env.http.put(f"/_sandbox/repos/{repo.full_name}/collaborators/{login}", json={"permission": role})
    assert resp.status_code == 200, resp.text


def _say(repo: Repo, number: int, login: str, body: str) -> int:
    return int(repo.gh.rest.issues.create_comment(repo.owner, repo.name, number, body=body,
                                                  headers={"X-Sandbox-User": login}).parsed_data.id)


def _bot_reply(env: Env, repo: Repo, number: int, comment_id: int) -> str:
    def probe() -> str | None:
        for c in repo.gh.rest.issues.list_comments(repo.owner, repo.name, number).parsed_data:
            if c.user and c.user.login == "prodready[bot]" and f"answered={comment_id} " in (c.body or ""):
                return c.body
        return None

    return wait_for(probe, f"prodready's answer to comment {comment_id}")


def _runs(repo: Repo, sha: str) -> list[Any]:
    return list(repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, sha, check_name="prodready",
                                                 filter_="all").parsed_data.check_runs)


def test_an_ignore_by_a_writer_reruns_the_check_and_flips_it_to_success(env: Env) -> None:
    repo, pr, first = _open_ai_pr(env)
    rules = {c.body.split("`")[1] for c in env.comments(repo, pr.number)}
    _grant(env, repo, WRITER, "write")
    for rule in sorted(rules):  # dismiss every rule that fired, so nothing is left to block
        cid = _say(repo, pr.number, WRITER, f"/prodready ignore {rule} the SDK session sets a timeout")
        assert "Dismissed `" + rule + "`" in _bot_reply(env, repo, pr.number, cid)

    # One run per head (issue 10): the re-review updates the same run, from failure to success.
    def success() -> Any:
        done = [r for r in _runs(repo, pr.head.sha) if r.status == "completed"]
        return done[0] if done and done[0].conclusion == "success" else None

    run = wait_for(success, "a re-run of the check that succeeds")
    assert run.id == first.id and [r.id for r in _runs(repo, pr.head.sha)] == [first.id]
    summary = run.output.summary or ""
    assert f"`{RULE}` by @{WRITER}" in summary and "the SDK session sets a timeout" in summary

    # unignore brings the finding back.
    cid = _say(repo, pr.number, WRITER, f"/prodready unignore {RULE}")
    assert "Restored `" + RULE + "`" in _bot_reply(env, repo, pr.number, cid)

    def failing_again() -> Any:
        runs = [r for r in _runs(repo, pr.head.sha) if r.status == "completed"]
        return runs[0] if runs and runs[0].conclusion == "failure" else None

    wait_for(failing_again, "the check to fail again after unignore")


def test_an_ignore_by_a_reader_or_by_the_ai_prs_own_author_is_refused_with_a_reply(env: Env) -> None:
    repo, pr, first = _open_ai_pr(env)
    cid = _say(repo, pr.number, READER, f"/prodready ignore {RULE} trust me")
    reply = _bot_reply(env, repo, pr.number, cid)
    assert reply.startswith("Not done:") and "read role" in reply and "triage.allowed" in reply

    _grant(env, repo, HUMAN, "write")  # even with write, the AI-authored PR's own author may not dismiss
    cid = _say(repo, pr.number, HUMAN, f"/prodready ignore {RULE} it is fine")
    reply = _bot_reply(env, repo, pr.number, cid)
    assert reply.startswith("Not done:") and "author of an AI-authored pull request" in reply

    for bad, why in [(f"/prodready ignore {RULE}", "give a reason"), ("/prodready ignore no-such-rule x y",
                     "unknown rule id `no-such-rule`"), ("/prodready ignore this because", "`this` works only")]:
        _grant(env, repo, WRITER, "write")
        cid = _say(repo, pr.number, WRITER, bad)
        assert why in _bot_reply(env, repo, pr.number, cid)
    assert [r.id for r in _runs(repo, pr.head.sha)] == [first.id], "a refused command re-runs nothing"


def test_ignore_this_in_a_reply_on_a_prodready_comment(env: Env) -> None:
    repo, pr, first = _open_ai_pr(env)
    _grant(env, repo, WRITER, "write")
    ours = [c for c in env.comments(repo, pr.number) if f"`{RULE}`" in c.body]
    reply = repo.gh.rest.pulls.create_reply_for_review_comment(
        repo.owner, repo.name, pr.number, ours[0].id, body="/prodready ignore this the caller sets a deadline",
        headers={"X-Sandbox-User": WRITER}).parsed_data

    def answered() -> Any:
        return next((c for c in env.comments(repo, pr.number)
                     if c.user.login == "prodready[bot]" and f"answered={reply.id} " in c.body), None)

    answer = wait_for(answered, "prodready's reply in the thread")
    assert answer.in_reply_to_id == ours[0].id and answer.body.startswith("Dismissed the finding")

    def rerun() -> Any:
        done = [r for r in _runs(repo, pr.head.sha) if r.status == "completed"]
        return done[0] if done and "the caller sets a deadline" in (done[0].output.summary or "") else None

    assert wait_for(rerun, "the re-run").id == first.id  # one run per head: the same run, reviewed again


def _forward(env: Env, repo: Repo, event: str, action: str) -> None:
    d = env.delivery_for(repo, event, action)
    assert env.post_webhook(event, d["payload"], delivery=d["guid"]).status_code == 202


def test_a_redelivered_command_is_answered_and_recorded_once(manual_env: Env) -> None:
    env = manual_env
    repo = env.make_repo({"README.md": "# svc\n"})
    branch = unique("feature")
    env.push(repo, branch, {"svc/client.py": CLIENT}, message=f"Add a client\n\n{AI_TRAILER}\n")
    pr = env.open_pr(repo, branch)
    _forward(env, repo, "pull_request", "opened")
    env.drain()
    _grant(env, repo, WRITER, "write")
    cid = _say(repo, pr.number, WRITER, f"/prodready ignore {RULE} the session sets one")
    d = env.delivery_for(repo, "issue_comment", "created")
    # GitHub redelivers with the same GUID (deduplicated); a second delivery of the same comment under
    # a new GUID (a manual redelivery after the first job finished) must not answer twice either.
    for guid in (d["guid"], d["guid"], "another-guid"):
        env.post_webhook("issue_comment", d["payload"], delivery=guid)
        env.drain()
    answers = [c for c in repo.gh.rest.issues.list_comments(repo.owner, repo.name, pr.number).parsed_data
               if f"answered={cid} " in (c.body or "")]
    assert len(answers) == 1


def test_commands_on_a_closed_pr_and_from_other_bots_are_refused_with_a_reply(manual_env: Env) -> None:
    env = manual_env
    repo = env.make_repo({"README.md": "# svc\n"})
    branch = unique("feature")
    env.push(repo, branch, {"svc/client.py": CLIENT}, message="Add a client")
    pr = env.open_pr(repo, branch)
    cid = _say(repo, pr.number, "dependabot[bot]", f"/prodready ignore {RULE} automated")
    _forward(env, repo, "issue_comment", "created")
    env.drain()
    assert "bot accounts are not accepted" in _bot_reply(env, repo, pr.number, cid)

    repo.gh.rest.pulls.update(repo.owner, repo.name, pr.number, data={"state": "closed"})
    _grant(env, repo, WRITER, "write")
    cid = _say(repo, pr.number, WRITER, "/prodready review")
    _forward(env, repo, "issue_comment", "created")
    assert env.drain() == ["command_refused"]
    assert "this pull request is closed" in _bot_reply(env, repo, pr.number, cid)
