"""The App fetches a repository archive from the sandbox over loopback: one API request and the download."""

from __future__ import annotations

from pathlib import Path

import pytest

from github_app.archive import ArchiveLimits
from github_app.repotree import TreeUnavailable
from tests.e2e.conftest import Env


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
