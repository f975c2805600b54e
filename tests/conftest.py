from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


class GitRepo:
    """A throwaway git repository built by a test, one commit at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "dev@example.com")
        self.git("config", "user.name", "Dev")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, text=True).stdout

    def write(self, files: dict[str, str | bytes | None]) -> None:
        for path, content in files.items():
            full = self.root / path
            if content is None:
                full.unlink()
                continue
            full.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                full.write_bytes(content)
            else:
                full.write_text(content)

    def commit(self, files: dict[str, str | bytes | None], message: str = "change") -> str:
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def git_repo(tmp_path: Path) -> Callable[[], GitRepo]:
    counter = iter(range(1000))

    def make() -> GitRepo:
        root = tmp_path / f"repo{next(counter)}"
        root.mkdir()
        return GitRepo(root)

    return make


@pytest.fixture
def fixture_rules() -> Path:
    return FIXTURES / "rules"


@pytest.fixture
def reset_logs() -> Iterator[None]:
    """For a test that configures structlog: put the defaults back afterwards."""
    yield
    structlog.reset_defaults()


NOWHERE = "http://127.0.0.1:9"
"""The discard port: nothing listens, so a lookup a test did not point at the sandbox fails fast, offline."""


@pytest.fixture(autouse=True)
def _no_public_registries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Tests never reach the public registries or OSV, and never share a lookup cache."""
    from github_app.datasources import ENV_NAMES

    for name in ENV_NAMES.values():
        monkeypatch.setenv(name, NOWHERE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("PRODREADY_DATA_DIR", raising=False)
    yield
    structlog.reset_defaults()  # `prodready review` configures logging for the user


ANALYZERS_ON = "new_settings:\n  enabled: true\nremoved_guards:\n  enabled: true\nclones:\n  enabled: true\n"


def git_change(repo: GitRepo, base: str, head: str, policy_yaml: str | None = None) -> Any:
    """The ChangeView an analyzer sees for base..head of a test's repository, both trees from git."""
    from github_app.analyzers import ChangeView
    from github_app.diff import parse_diff
    from github_app.policy import Layer, load_policy
    from github_app.repotree import GitTree

    diffs = parse_diff(repo.git("diff", "-M", f"{base}..{head}"))
    head_tree, base_tree = GitTree(repo.root, head), GitTree(repo.root, base)
    targets = tuple(p for p, d in diffs.items() if d.status != "deleted" and d.added_lines and not d.is_binary)
    # The change-aware analyzers are opt-in; their tests turn them on, then apply the test's own policy.
    layers = [Layer("analyzers on", ANALYZERS_ON)] + ([Layer("test", policy_yaml)] if policy_yaml is not None else [])
    return ChangeView(diffs, targets, head_tree.read, base_tree.read, load_policy(layers),
                      base_tree=base_tree, head_tree=head_tree)
