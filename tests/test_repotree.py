"""RepoTree: a whole side of a change, from git or from an extracted directory."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from github_app.repotree import DirTree, GitTree, LazyTree, TreeUnavailable


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e"}
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True, env=env).stdout


def test_git_tree_lists_regular_files_with_sizes_and_reads_them(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("print('hi')\n")
    (tmp_path / "ünï.txt").write_text("x")
    os.symlink("app/main.py", tmp_path / "link.py")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "one")
    sha = _git(tmp_path, "rev-parse", "HEAD").strip()
    tree = GitTree(tmp_path, sha)
    assert tree.key == sha
    assert tree.paths() == ["app/main.py", "ünï.txt"]  # the symlink is not a file to read
    assert tree.sizes()["app/main.py"] == len("print('hi')\n")
    got = tree.read(["app/main.py", "missing.py", "link.py"])
    assert got == {"app/main.py": b"print('hi')\n", "missing.py": None, "link.py": None}


def test_git_tree_of_an_unknown_ref_is_unavailable_with_a_reason(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    with pytest.raises(TreeUnavailable, match="cannot read"):
        GitTree(tmp_path, "0" * 40).paths()


def test_dir_tree_reads_only_listed_safe_paths(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(b"a")
    (tmp_path.parent / "outside.txt").write_bytes(b"secret")
    tree = DirTree(tmp_path, "k", {"a.py": 1, "../outside.txt": 6})
    assert tree.read(["a.py", "../outside.txt", "b.py"]) == {"a.py": b"a", "../outside.txt": None, "b.py": None}


def test_lazy_tree_builds_once_and_remembers_a_failure() -> None:
    calls: list[int] = []

    def failing() -> DirTree:
        calls.append(1)
        raise TreeUnavailable("archive over the 200 MB cap")

    lazy = LazyTree("k", failing)
    for _ in range(2):
        with pytest.raises(TreeUnavailable, match="200 MB"):
            lazy.paths()
    assert calls == [1] and not lazy.built


def test_a_blob_missing_from_a_partial_clone_is_not_listed(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "kept.py").write_text("x = 1\n")
    (tmp_path / "big.bin").write_bytes(b"\1" * 1000)
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "one")
    blob = _git(tmp_path, "rev-parse", "HEAD:big.bin").strip()
    (tmp_path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # as a partial clone leaves it
    tree = GitTree(tmp_path, _git(tmp_path, "rev-parse", "HEAD").strip())
    assert tree.paths() == ["kept.py"]
    assert tree.read(["kept.py", "big.bin"]) == {"kept.py": b"x = 1\n", "big.bin": None}
