"""The Claude Code Stop hook: what it tells the agent, on reports from real reviews of real repositories."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from github_app.agent_hook import EXIT_BLOCK, EXIT_OK, EXIT_REPORT, feedback
from github_app.render import render_json
from github_app.uncommitted import open_repo, review_uncommitted
from tests.conftest import GitRepo

NO_TIMEOUT = "import requests\n\n\ndef fetch(u):\n    return requests.get(u)\n"


def _worktree_supported() -> bool:
    done = subprocess.run([sys.executable, "-m", "github_app.cli", "review", "--help"], capture_output=True,
                          text=True, timeout=60)
    return "--worktree" in done.stdout


def hook(stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "github_app.cli", "claude-hook"], input=stdin, cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def dirty(git_repo: Callable[[], GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit({"README.md": "x\n"}, "init")
    r.write({"svc/fetch.py": NO_TIMEOUT})  # untracked, as an agent's new file is
    return r


def test_blocking_findings_block_the_stop_with_what_to_fix(dirty: GitRepo) -> None:
    report = render_json(review_uncommitted(open_repo(dirty.root), "worktree"))
    code, text = feedback(report, already_continued=False)
    assert code == EXIT_BLOCK
    first, *items = text.splitlines()
    assert first.startswith("prodready found 1 blocking finding(s) in the working tree")
    assert items[0].startswith("- svc/fetch.py:5 [ERROR] py-requests-no-timeout: ")
    assert "timeout" in items[0]


def test_after_one_continuation_it_reports_instead_of_looping(dirty: GitRepo) -> None:
    report = render_json(review_uncommitted(open_repo(dirty.root), "worktree"))
    code, text = feedback(report, already_continued=True)
    assert code == EXIT_REPORT and "py-requests-no-timeout" in text


def test_a_clean_tree_lets_the_agent_stop(git_repo: Callable[[], GitRepo]) -> None:
    r = git_repo()
    r.commit({"README.md": "x\n"}, "init")
    r.write({"svc/fetch.py": NO_TIMEOUT.replace("get(u)", "get(u, timeout=(3, 30))")})
    report = render_json(review_uncommitted(open_repo(r.root), "worktree"))
    assert feedback(report, already_continued=False) == (EXIT_OK, "")


def test_scanner_errors_are_shown_not_swallowed() -> None:
    code, text = feedback({"findings": [], "errors": ["semgrep timed out on a.py"]}, already_continued=False)
    assert code == EXIT_REPORT and text == "prodready: scanner error: semgrep timed out on a.py"


def test_prodready_failing_is_reported_to_the_user_and_never_blocks(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    done = hook(json.dumps({"hook_event_name": "Stop", "cwd": str(plain), "stop_hook_active": False}), tmp_path)
    assert done.returncode == EXIT_REPORT
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("prodready hook: ")
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not _worktree_supported(), reason="needs `prodready review --worktree` (issue 14, part A)")
def test_the_hook_blocks_through_the_cli(dirty: GitRepo) -> None:
    done = hook(json.dumps({"hook_event_name": "Stop", "cwd": str(dirty.root), "stop_hook_active": False}),
                dirty.root)
    assert done.returncode == EXIT_BLOCK, done.stderr
    assert "svc/fetch.py:5 [ERROR] py-requests-no-timeout" in done.stderr
