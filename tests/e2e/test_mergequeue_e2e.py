"""The merge queue over real HTTP: a merge group of two PRs gets one `prodready` check on its head."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import AI_TRAILER, Env, Repo, unique, wait_for

GOOD = "def add(a: int, b: int) -> int:\n    return a + b\n"
CLIENT = """import requests


def fetch_status(url: str) -> int:
    resp = requests.get(url)
    return resp.status_code
"""


def _runs(repo: Repo, sha: str) -> list[Any]:
    return list(repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, sha, check_name="prodready",
                                                 filter_="all").parsed_data.check_runs)


def _pr(env: Env, repo: Repo, files: dict[str, str | None], message: str) -> Any:
    branch = unique("feature")
    env.push(repo, branch, files, message=message)
    pr = env.open_pr(repo, branch)
    env.completed_run(repo, pr.head.sha)
    return pr


def test_a_merge_group_of_two_prs_gets_one_prodready_check_on_its_head(env: Env) -> None:
    repo = env.make_repo({"README.md": "# svc\n"})
    first = _pr(env, repo, {"svc/math.py": GOOD}, "Add math")
    second = _pr(env, repo, {"svc/client.py": CLIENT}, f"Add a client\n\n{AI_TRAILER}\n")

    resp = env.http.post(f"/_sandbox/repos/{repo.full_name}/merge-queue", json={"pulls": [first.number,
                                                                                          second.number]})
    assert resp.status_code == 201, resp.text
    groups = resp.json()["groups"]
    combined = groups[-1]
    assert combined["head_ref"].startswith(f"refs/heads/gh-readonly-queue/main/pr-{second.number}-")
    delivery = env.delivery_for(repo, "merge_group", "checks_requested")
    assert delivery["payload"]["merge_group"]["head_sha"] == combined["head_sha"]

    def done(sha: str) -> Any:
        return lambda: next((r for r in _runs(repo, sha) if r.status == "completed"), None)

    run = wait_for(done(combined["head_sha"]), "the check on the combined merge group")
    assert len(_runs(repo, combined["head_sha"])) == 1, "one prodready check on the group head"
    summary = run.output.summary or ""
    assert f"#{first.number}, #{second.number}" in summary and "combined change against `main`" in summary
    assert run.conclusion == "failure", "the AI-authored PR's finding blocks the group"
    annotations = repo.gh.rest.checks.list_annotations(repo.owner, repo.name, run.id).parsed_data
    assert {a.path for a in annotations} == {"svc/client.py"}

    # The first entry's group holds only the first PR: its check passes on its own head.
    alone = wait_for(done(groups[0]["head_sha"]), "the check on the first merge group")
    assert alone.conclusion == "success", alone.output.summary
