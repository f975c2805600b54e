"""Dependency review in the App: PR -> webhook -> worker -> the sandbox's registries and OSV -> inline
comments on the manifest lines and the check run's summary."""

from __future__ import annotations

from tests.e2e.conftest import AI_TRAILER, Env, unique

BASE = {"README.md": "# service\n", "requirements.txt": "flask==3.0.3\nrequests==2.32.3\n",
        "web/package.json": '{\n  "name": "web",\n  "dependencies": {\n    "express": "^4.18.2"\n  }\n}\n',
        ".github/prodready.yml": "dependencies:\n  private: ['@acme/*']\n"}
HEAD = {"requirements.txt": "flask==3.0.3\nrequests==2.19.0\nstripe-refunds-sdk==1.2.0\nfresh-helpers==0.1.1\n"
                            "gplkit==1.0.0\nreqeusts>=1\n",
        "web/package.json": '{\n  "name": "web",\n  "dependencies": {\n    "express": "^4.18.2",\n'
                            '    "lodash": "4.17.20",\n    "@acme/design": "^2.0.0"\n  }\n}\n',
        "poetry.lock": "# lock\n"}


def test_the_app_comments_every_kind_on_its_manifest_line(env: Env) -> None:
    repo = env.make_repo(BASE)
    branch = unique("claude/deps")
    env.push(repo, branch, dict(HEAD), message=f"Add refund dependencies\n\n{AI_TRAILER}\n")
    pr = env.open_pr(repo, branch)
    run = env.completed_run(repo, pr.head.sha)
    got = {(c.path, c.line, rule) for c in env.comments(repo, pr.number)
           for rule in [c.body.split("`")[1]] if rule.startswith("deps-")}
    assert got == {
        ("requirements.txt", 2, "deps-known-vulnerability"), ("requirements.txt", 3, "deps-no-such-package"),
        ("requirements.txt", 4, "deps-new-package"), ("requirements.txt", 5, "deps-license-denied"),
        ("requirements.txt", 6, "deps-lookalike-name"), ("requirements.txt", 6, "deps-no-such-package"),
        ("web/package.json", 5, "deps-known-vulnerability")}, got
    assert run.conclusion == "failure"
    summary = run.output.summary or ""
    assert "Dependency review: 7 added or changed dependencies in 2 manifest(s)." in summary
    assert "private dependency (dependencies.private) not looked up publicly: @acme/design" in summary
    assert "Lock files changed (poetry.lock)" in summary
    vuln = next(c for c in env.comments(repo, pr.number) if "GHSA-x84v-xcm2-53pg" in c.body)
    assert "```suggestion\nrequests==2.20.0\n```" in vuln.body
