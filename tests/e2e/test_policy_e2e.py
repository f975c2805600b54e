"""Policy over the sandbox: base branch only, organisation defaults, invalid files, authorship gates."""

from __future__ import annotations

import re
from typing import Any

from github_app.findings import CONCERNS
from github_app.policy import POLICY_PATH
from tests.e2e.conftest import AI_TRAILER, Env, Repo, unique

CODE = """import requests


def fetch_status(url: str) -> int:
    resp = requests.get(url)
    return resp.status_code
"""
TIMEOUT_RULE = "py-requests-no-timeout"
PERMISSIVE = "gate:\n  ai: none\n  human: none\nconcerns:\n" + "".join(
    f"  {c}:\n    enabled: false\n" for c in sorted(CONCERNS))


def _pr(env: Env, repo: Repo, *, ai: bool = False, branch: str | None = None,
        extra: dict[str, str | None] | None = None) -> Any:
    branch = branch or unique("feature")
    message = f"Add a status client\n\n{AI_TRAILER}\n" if ai else "Add a status client"
    env.push(repo, branch, {"svc/client.py": CODE, **(extra or {})}, message=message)
    return env.open_pr(repo, branch)


def _rules_commented(env: Env, repo: Repo, number: int) -> set[str]:
    return {m for c in env.comments(repo, number) for m in re.findall(r"`([a-z0-9-]+)`", c.body)}


def test_head_branch_policy_does_not_judge_its_own_pr(env: Env) -> None:
    repo = env.make_repo({"README.md": "hi\n"})
    pr = _pr(env, repo, ai=True, extra={POLICY_PATH: PERMISSIVE})
    run = env.completed_run(repo, pr.head.sha)

    summary = run.output.summary or ""
    assert run.conclusion == "failure", summary
    assert TIMEOUT_RULE in _rules_commented(env, repo, pr.number)
    assert "takes effect only after merge" in summary
    policy_line = re.search(r"^- Policy: .*$", summary, re.M)
    assert policy_line and policy_line.group(0).endswith("from prodready defaults"), "the head's file is no layer"


def test_org_default_applies_and_the_repository_file_overrides_it(env: Env) -> None:
    owner = unique("org")
    env.make_repo({POLICY_PATH: "gate:\n  human: WARNING\n"}, owner=owner, name=".github")
    plain = env.make_repo({"README.md": "hi\n"}, owner=owner)
    own = env.make_repo({"README.md": "hi\n", POLICY_PATH: "gate:\n  human: none\n"}, owner=owner)
    pr_plain = _pr(env, plain)
    pr_own = _pr(env, own)

    run_plain = env.completed_run(plain, pr_plain.head.sha)
    run_own = env.completed_run(own, pr_own.head.sha)

    summary = run_plain.output.summary or ""
    assert run_plain.conclusion == "failure", summary
    assert "no AI-authorship signal matched" in summary
    assert f"{owner}/.github:{POLICY_PATH}" in summary
    assert "human-authored change: WARNING and above block" in summary
    own_summary = run_own.output.summary or ""
    assert run_own.conclusion == "neutral", own_summary
    assert f"{owner}/.github:{POLICY_PATH}" in own_summary and f"{own.full_name}@" in own_summary
    assert "findings are advisory" in own_summary
    assert TIMEOUT_RULE in _rules_commented(env, own, pr_own.number)


def test_invalid_policy_is_reported_in_the_check_run(env: Env) -> None:
    repo = env.make_repo({"README.md": "hi\n", POLICY_PATH: 'max_inline_comments: "lots"\n'})
    pr = _pr(env, repo, ai=True)
    run = env.completed_run(repo, pr.head.sha)

    summary = run.output.summary or ""
    assert "Policy problems" in summary
    problem = re.search(rf"{re.escape(repo.full_name)}@[0-9a-f]{{12}}:{re.escape(POLICY_PATH)}: "
                        r"max_inline_comments: [^\n]*using 25", summary)
    assert problem, summary
    # The rest of the review goes on under the defaults.
    assert run.conclusion == "failure"
    assert TIMEOUT_RULE in _rules_commented(env, repo, pr.number)


def test_agent_pr_fails_and_the_same_change_by_a_human_is_neutral(env: Env) -> None:
    # The agent's signal here comes from the repository's policy (a branch prefix), not a built-in.
    repo = env.make_repo({"README.md": "hi\n", POLICY_PATH: "authorship:\n  branch_prefixes: [robot/]\n"})
    # Distinct files keep the two head SHAs apart: commits of the same tree in the same second
    # would share a SHA, and check runs are looked up by SHA.
    agent = _pr(env, repo, branch=unique("robot/task"), extra={"NOTES.md": "agent\n"})
    human = _pr(env, repo, branch=unique("feature/task"), extra={"NOTES.md": "human\n"})
    assert agent.head.sha != human.head.sha

    agent_run = env.completed_run(repo, agent.head.sha)
    human_run = env.completed_run(repo, human.head.sha)

    assert agent_run.conclusion == "failure", agent_run.output.summary
    assert "robot/" in (agent_run.output.summary or "")
    assert human_run.conclusion == "neutral", human_run.output.summary
    assert TIMEOUT_RULE in _rules_commented(env, repo, agent.number)
    assert TIMEOUT_RULE in _rules_commented(env, repo, human.number)


ACME_RULE = """rules:
  - id: acme-no-raw-sql
    languages: [python]
    severity: WARNING
    message: Raw SQL. It bypasses the query builder and its escaping. Use db.query() instead.
    metadata:
      concern: performance
    pattern: $CUR.execute(...)
"""
HEAD_RULE = ACME_RULE.replace("acme-no-raw-sql", "acme-head-only").replace("$CUR.execute(...)", "requests.get(...)")
SQL_CODE = ("def load(cur, uid):\n    cur.execute('SELECT * FROM users WHERE id = %s', (uid,))\n"
            "    return cur.fetchone()\n")


def test_repository_rules_come_from_the_base_branch_and_a_bad_file_is_named(env: Env) -> None:
    repo = env.make_repo({"README.md": "hi\n", ".prodready/rules/acme.yaml": ACME_RULE,
                          ".prodready/rules/broken.yaml": "rules: [\n"})
    pr = _pr(env, repo, ai=True, extra={"svc/db.py": SQL_CODE, ".prodready/rules/head.yaml": HEAD_RULE})
    run = env.completed_run(repo, pr.head.sha)

    summary = run.output.summary or ""
    commented = _rules_commented(env, repo, pr.number)
    assert "acme-no-raw-sql" in commented, "the base branch's own rule ran"
    assert "acme-head-only" not in commented, "a rule file added by the PR does not judge it"
    assert re.search(r"Extra rule file \.prodready/rules/broken\.yaml: [^\n]*not valid YAML[^\n]*file not used",
                     summary)
    assert "takes effect only after merge" in summary
    assert run.conclusion == "failure"
