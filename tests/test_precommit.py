"""The hook in .pre-commit-hooks.yaml, run by pre-commit itself in a repository built here, configured
with the README's three lines pointed at this checkout's HEAD commit. pre-commit installs the hook's
venv from the checkout (its dependencies from the package index, as for any `language: python` hook):
that is the slow part, done once (the rev is the same for every run)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import GitRepo

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
POLICY = "gate:\n  human: WARNING\n"
BAD = "import requests\n\n\ndef fetch():\n    return requests.get('http://b')\n"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


CONFIG = """repos:
  - repo: {root}
    rev: {rev}
    hooks: [{{id: prodready}}]
"""


def run_hook(repo: GitRepo, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "SEMGREP_SEND_METRICS": "off",
           "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    for name in ("GITHUB_ACTIONS", "GITHUB_BASE_REF", "GITHUB_EVENT_PATH", "PRODREADY_RULES_DIR"):
        env.pop(name, None)
    return subprocess.run([str(PRE_COMMIT), "run", "--verbose"], cwd=repo.root,
                          env=env, capture_output=True, text=True, timeout=900)


def test_the_hook_blocks_a_staged_finding_and_skips_an_empty_commit(
        git_repo: Callable[[], GitRepo], pre_commit_home: Path) -> None:
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (the dev extras have it)")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("the checkout is not a git repository: pre-commit needs a rev to install from")
    rev = head.stdout.strip()
    repo = git_repo()
    repo.commit({".github/prodready.yml": POLICY, "README.md": "x\n",
                 ".pre-commit-config.yaml": CONFIG.format(root=ROOT, rev=rev)}, "policy: warnings block")
    nothing = run_hook(repo, pre_commit_home)
    assert nothing.returncode == 0, nothing.stdout + nothing.stderr
    assert "(no files to check)Skipped" in nothing.stdout

    repo.write({"svc.py": BAD})
    repo.git("add", "svc.py")
    blocked = run_hook(repo, pre_commit_home)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "prodready" in blocked.stdout and "Failed" in blocked.stdout
    assert "py-requests-no-timeout" in blocked.stdout and "svc.py" in blocked.stdout

    repo.write({"svc.py": BAD.replace("'http://b')", "'http://b', timeout=5)")})
    repo.git("add", "svc.py")
    fixed = run_hook(repo, pre_commit_home)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout
