"""The App fetches a repository archive from the sandbox over loopback: one API request and the download."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from github_app.archive import ArchiveLimits
from github_app.repotree import TreeUnavailable
from github_app.worker import run_once
from tests.e2e.conftest import Env, unique


def _archive_calls(env: Env, repo_name: str) -> list[tuple[str, int]]:
    def kind(path: str) -> str:
        return path.split("/")[1] if path.startswith("/_") else path.split("/")[4]

    return [(kind(r["path"]), r["status"]) for r in env.requests_log()
            if repo_name in r["path"] and ("tarball" in r["path"] or "codeload" in r["path"])]


def test_fetch_archive_extracts_the_head_tree(manual_env: Env, tmp_path: Path) -> None:
    env = manual_env
    repo = env.make_repo({"app/main.py": "import os\n", "README.md": "# r\n"})
    sha = env.push(repo, "feature", {"app/new.py": "print(1)\n", "README.md": None})
    inst = env.deps.app.installation(repo.installation_id)
    got = inst.fetch_archive(repo.full_name, sha, tmp_path / "head")
    assert got.tree.paths() == ["app/main.py", "app/new.py"]
    assert got.tree.read(["app/new.py"]) == {"app/new.py": b"print(1)\n"}
    assert _archive_calls(env, repo.name) == [("tarball", 302), ("_codeload", 200)]


def test_archive_over_the_cap_or_of_an_unknown_ref_is_unavailable(manual_env: Env, tmp_path: Path) -> None:
    env = manual_env
    repo = env.make_repo({"big.txt": "x" * 50_000, "b.txt": "y" * 50_000})
    inst = env.deps.app.installation(repo.installation_id)
    with pytest.raises(TreeUnavailable, match=r"over 0\.0572 MB"):
        inst.fetch_archive(repo.full_name, "main", tmp_path / "a", ArchiveLimits(max_total_bytes=60_000))
    with pytest.raises(TreeUnavailable, match="no repository archive for"):
        inst.fetch_archive(repo.full_name, "0" * 40, tmp_path / "b")


def _review(env: Env, repo_files: dict[str, str], head_files: dict[str, str | None],
            archive_min_files: int) -> tuple[Any, list[Any], list[dict[str, Any]], str]:
    repo = env.make_repo(repo_files)
    branch = unique("feature")
    env.push(repo, branch, head_files)
    pr = env.open_pr(repo, branch)
    env.post_webhook("pull_request", env.delivery_for(repo, "pull_request", "opened")["payload"])
    deps = dataclasses.replace(env.deps, archive_min_files=archive_min_files)
    while run_once(env.queue, deps) is not None:
        pass
    run = env.completed_run(repo, pr.head.sha)
    log = [r for r in env.requests_log() if f"/{repo.name}/" in r["path"]]
    return run, env.comments(repo, pr.number), log, repo.name


def test_a_wide_pr_is_read_from_the_archives_with_the_same_review_as_file_by_file(manual_env: Env) -> None:
    env = manual_env
    untimed = "import requests\n\n\ndef get(url):\n    return requests.get(url).json()\n"
    base = {f"svc/m{i}.py": f"def f{i}(x):\n    return x\n" for i in range(4)}
    head: dict[str, str | None] = {p: text + "\n\ndef more(x):\n    return x * 2\n" for p, text in base.items()}
    for i in range(5):  # pre-existing findings, re-indented by the PR: filter new reads five base files
        base[f"svc/old{i}.py"] = untimed
        head[f"svc/old{i}.py"] = ("import requests\n\n\nclass C:\n    def get(self, url):\n"
                                  "        return requests.get(url).json()\n")
    head["svc/new.py"] = untimed
    head["svc/m0.py"] = None

    runs = {mode: _review(env, base, head, n) for mode, n in (("archive", 5), ("per-file", 0))}
    (a_run, a_comments, a_log, _), (p_run, p_comments, p_log, _) = runs["archive"], runs["per-file"]

    assert a_run.conclusion == p_run.conclusion
    assert sorted((c.path, c.line) for c in a_comments) == sorted((c.path, c.line) for c in p_comments)
    assert [(c.path, c.line) for c in a_comments] == [("svc/new.py", 5)] * 2  # no timeout, status unchecked
    for run in (a_run, p_run):
        assert "10 finding(s) were already there before this change" in (run.output.summary or "")
    tarballs = [r["path"].rsplit("/", 1)[-1] for r in a_log if "/tarball/" in r["path"]]
    assert len(tarballs) == 2 and len(set(tarballs)) == 2  # the head and the base, once each
    assert not [r for r in a_log if "/contents/svc/" in r["path"]]
    assert not [r for r in p_log if "/tarball/" in r["path"]]
    assert len([r for r in p_log if "/contents/svc/" in r["path"]]) >= 9


def test_policy_files_are_read_again_with_a_conditional_request(manual_env: Env) -> None:
    env = manual_env
    policy = "review:\n  ignore_paths: [\"docs/**\"]\n"
    repo = env.make_repo({".github/prodready.yml": policy, "app.py": "x = 1\n"})
    shas = []
    for n in range(3):
        if n == 2:  # the policy changes on the base branch: the next read gets the new bytes
            env.push(repo, "main", {".github/prodready.yml": policy.replace('"docs/**"', '"docs/**", "gen/**"')})
        branch = unique("feature")
        env.push(repo, branch, {f"m{n}.py": "y = 2\n"})
        pr = env.open_pr(repo, branch)
        env.post_webhook("pull_request", env.delivery_for(repo, "pull_request", "opened")["payload"])
        env.drain()
        run = env.completed_run(repo, pr.head.sha)
        assert f"{repo.full_name}@" in (run.output.summary or "")  # the repository's policy applied
        shas.append(re.search(r"sha256 `([0-9a-f]+)`", run.output.summary or ""))
    reads = [r["status"] for r in env.requests_log()
             if r["path"] == f"/repos/{repo.full_name}/contents/.github/prodready.yml"]
    assert reads == [200, 304, 200]  # the second read is a 304, free of rate limit; the changed file is read
    assert all(shas) and shas[0][1] == shas[1][1] != shas[2][1]
