"""Policy `report` over real HTTP: by default each finding appears once (an inline comment, no annotation)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import AI_TRAILER, Env, fingerprints, unique

CLIENT = """import requests


def fetch_status(url: str) -> int:
    resp = requests.get(url)
    return resp.status_code
"""


@pytest.mark.parametrize(("policy", "comments", "annotations"), [
    ("", True, False), ("report: comments\n", True, False), ("report: both\n", True, True),
    ("report: annotations\n", False, True)], ids=["default", "comments", "both", "annotations"])
def test_report_puts_each_finding_where_policy_says(env: Env, policy: str, comments: bool, annotations: bool) -> None:
    files = {"README.md": "# svc\n"}
    if policy:
        files[".github/prodready.yml"] = policy
    repo = env.make_repo(files)
    branch = unique("feature")
    env.push(repo, branch, {"svc/client.py": CLIENT}, message=f"Add a client\n\n{AI_TRAILER}\n")
    pr = env.open_pr(repo, branch)
    run = env.completed_run(repo, pr.head.sha)

    posted = env.comments(repo, pr.number)
    anns = repo.gh.rest.checks.list_annotations(repo.owner, repo.name, run.id).parsed_data
    assert bool(posted) is comments and bool(anns) is annotations, run.output.summary
    if comments:
        prints = fingerprints(posted)
        assert len(prints) == len(set(prints)), "no finding is commented twice"
    if comments and annotations:
        assert len(anns) == len(posted)
    if not comments:
        assert "py-requests-no-timeout" in {a.title.split(" ")[0] for a in anns if a.title}
