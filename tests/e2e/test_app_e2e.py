"""The whole App end to end: sandbox -> signed webhook -> app -> queue -> worker -> githubkit -> sandbox."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import AI_TRAILER, Env, Repo, fingerprints, unique, wait_for

BASE = {"README.md": "# service\n"}
CLIENT_PY = """import requests


def fetch_status(url: str) -> int:
    resp = requests.get(url)
    return resp.status_code
"""
GET_LINE = 5
CLIENT_PY_V2 = CLIENT_PY + """

def post_event(url: str, body: dict) -> int:
    resp = requests.post(url, json=body)
    return resp.status_code
"""
POST_LINE = 10
TIMEOUT_RULE = "py-requests-no-timeout"


def _ai_message(title: str) -> str:
    return f"{title}\n\nWritten with an agent.\n\n{AI_TRAILER}\n"


def _open(env: Env, *, ai: bool, files: dict[str, str | None] | None = None) -> tuple[Repo, Any]:
    repo = env.make_repo(BASE)
    branch = unique("feature")
    env.push(repo, branch, dict(files or {"svc/client.py": CLIENT_PY}),
             message=_ai_message("Add a status client") if ai else "Add a status client")
    return repo, env.open_pr(repo, branch)


def _timeout_comments(comments: list[Any]) -> list[Any]:
    return [c for c in comments if f"`{TIMEOUT_RULE}`" in c.body]


def test_ai_authored_pr_fails_with_inline_comments_and_names_the_signal(env: Env) -> None:
    repo, pr = _open(env, ai=True)
    run = env.completed_run(repo, pr.head.sha)

    assert run.conclusion == "failure", run.output.summary
    summary = run.output.summary or ""
    assert "AI-authored" in summary
    assert "signal:" in summary and "trailer" in summary and "noreply@anthropic.com" in summary
    comments = env.comments(repo, pr.number)
    hits = _timeout_comments(comments)
    assert [(c.path, c.line) for c in hits] == [("svc/client.py", GET_LINE)]
    assert "blocks merge" in hits[0].body
    assert all(c.user.login == "prodready[bot]" for c in comments)
    assert all(c.path == "svc/client.py" and 1 <= c.line <= CLIENT_PY.count("\n") for c in comments)


def test_same_change_by_a_human_is_neutral_with_the_same_comments(env: Env) -> None:
    repo, pr = _open(env, ai=False)
    run = env.completed_run(repo, pr.head.sha)

    assert run.conclusion == "neutral", run.output.summary
    summary = run.output.summary or ""
    assert "no AI-authorship signal matched" in summary
    hits = _timeout_comments(env.comments(repo, pr.number))
    assert [(c.path, c.line) for c in hits] == [("svc/client.py", GET_LINE)]
    assert "blocks merge" not in hits[0].body


def test_synchronize_comments_only_the_new_finding(env: Env) -> None:
    repo, pr = _open(env, ai=True)
    env.completed_run(repo, pr.head.sha)
    before = env.comments(repo, pr.number)
    assert before

    new_sha = env.push(repo, pr.head.ref, {"svc/client.py": CLIENT_PY_V2},
                       message=_ai_message("Post events too"))
    run = env.completed_run(repo, new_sha)

    assert run.conclusion == "failure"
    after = env.comments(repo, pr.number)
    prints = fingerprints(after)
    assert len(prints) == len(after), "every comment carries one fingerprint"
    assert len(set(prints)) == len(prints), f"a finding was commented twice: {prints}"
    assert set(fingerprints(before)) < set(prints)
    new = [c for c in after if c.id not in {b.id for b in before}]
    assert [(c.path, c.line) for c in _timeout_comments(new)] == [("svc/client.py", POST_LINE)]
    assert all(c.commit_id == new_sha for c in new)
    assert "already commented on in an earlier review were not repeated" in (run.output.summary or "")


def test_a_committed_copilot_suggestion_is_reported_as_assisted_and_stays_advisory(env: Env) -> None:
    repo = env.make_repo(BASE)
    branch = unique("feature")
    env.push(repo, branch, {"svc/client.py": CLIENT_PY}, message=(
        "Potential fix for pull request finding\n\n"
        "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n"))
    pr = env.open_pr(repo, branch)
    run = env.completed_run(repo, pr.head.sha)

    assert run.conclusion == "neutral", run.output.summary
    summary = run.output.summary or ""
    assert "human-authored, AI-assisted" in summary and "175728472+Copilot" in summary


@pytest.mark.parametrize("fault", [
    {"method": "GET", "path_regex": r"/pulls/\d+/commits$", "status": 403, "kind": "secondary", "retry_after": 1,
     "count": 1},
    {"method": "GET", "path_regex": r"/pulls/\d+/files$", "status": 502, "kind": "server", "count": 1},
], ids=["secondary-rate-limit-403", "server-error-502"])
def test_review_survives_a_transient_fault(env: Env, fault: dict[str, Any]) -> None:
    repo = env.make_repo(BASE)
    branch = unique("feature")
    env.push(repo, branch, {"svc/client.py": CLIENT_PY}, message=_ai_message("Add a status client"))
    # Scoped to this repository, so nothing else (and not this test's own calls) trips it.
    scoped = {**fault, "path_regex": f"^/repos/{re.escape(repo.full_name)}" + fault["path_regex"]}
    assert env.http.post("/_sandbox/faults", json=scoped).status_code == 201
    pr = env.open_pr(repo, branch)
    run = env.completed_run(repo, pr.head.sha)

    assert run.conclusion == "failure", run.output.summary
    assert [(c.path, c.line) for c in _timeout_comments(env.comments(repo, pr.number))] == [
        ("svc/client.py", GET_LINE)]
    statuses = [r["status"] for r in env.requests_log() if re.search(scoped["path_regex"], r["path"])]
    assert statuses[0] == fault["status"], "the fault was injected"
    assert 200 in statuses[1:], "and the request was retried and succeeded"
    assert env.http.get("/_sandbox/faults").json() == []


def _sample(metrics: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in metrics.splitlines():
        if line.startswith(f"{name}{{{want}}} "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_health_readiness_and_metrics(env: Env) -> None:
    assert env.app_http.get("/healthz").status_code == 200
    ready = env.app_http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"
    before = env.app_http.get("/metrics").text
    reviews_before = _sample(before, "prodready_reviews_total", conclusion="failure")

    repo, pr = _open(env, ai=True)
    env.completed_run(repo, pr.head.sha)

    def counted() -> str | None:
        text = env.app_http.get("/metrics").text
        return text if _sample(text, "prodready_reviews_total", conclusion="failure") > reviews_before else None

    text = wait_for(counted, "prodready_reviews_total to count the review", timeout=10)
    assert _sample(text, "prodready_webhook_deliveries_total", event="pull_request", outcome="queued") >= 1
    assert "prodready_review_duration_seconds_count" in text
    assert _sample(text, "prodready_queue_jobs", state="done") >= 1


@pytest.mark.slow
def test_pr_over_3000_files_and_files_without_patch_are_reviewed_as_far_as_possible(env: Env) -> None:
    # Generated files beyond the first 3,000 are not listed by GitHub; the policy keeps the listed
    # ones out of the scan, so the test stays quick while the pipeline still walks the full list.
    repo = env.make_repo({**BASE, ".github/prodready.yml": "review:\n  ignore_paths: [\"gen/**\"]\n"})
    branch = unique("feature")
    wide = "".join(f"{i:06} " + "y" * 93 + "\n" for i in range(6000))  # 600 KB: GitHub sends no patch
    files: dict[str, str | None] = {"a/client.py": CLIENT_PY, "b/wide.txt": wide}
    files.update({f"gen/f{i:04}.txt": f"{i}\n" for i in range(3003)})
    env.push(repo, branch, files, message=_ai_message("Vendor generated files"))
    pr = env.open_pr(repo, branch)
    run = env.completed_run(repo, pr.head.sha, timeout=120)

    summary = run.output.summary or ""
    assert run.conclusion == "failure", summary
    assert "GitHub lists at most 3,000 files of a PR; 5 more files were not reviewed." in summary
    assert "Scanned 1 of 3,005 changed files" in summary
    assert "- `b/wide.txt`: GitHub sent no patch" in summary
    assert "- ... and 2,978 more: ignored by policy (review.ignore_paths)" in summary
    assert "clipped" not in summary
    assert [(c.path, c.line) for c in _timeout_comments(env.comments(repo, pr.number))] == [
        ("a/client.py", GET_LINE)]


def test_preexisting_finding_is_counted_not_commented_and_does_not_block(env: Env) -> None:
    """filter: new in the App, as in `prodready review`: the base's own untimed call, re-indented by the PR."""
    repo = env.make_repo({**BASE, "svc/client.py": CLIENT_PY})
    branch = unique("feature")
    wrapped = ("import requests\n\n\nclass Status:\n    def fetch_status(self, url: str) -> int:\n"
               "        resp = requests.get(url)\n        return resp.status_code\n")
    env.push(repo, branch, {"svc/client.py": wrapped}, message=_ai_message("Wrap the client in a class"))
    pr = env.open_pr(repo, branch)
    run = env.completed_run(repo, pr.head.sha)

    assert run.conclusion == "success", run.output.summary
    assert "1 finding(s) were already there before this change" in (run.output.summary or "")
    assert _timeout_comments(env.comments(repo, pr.number)) == []
