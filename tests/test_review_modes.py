"""`prodready review` as CI and pre-commit run it: the default base, shallow clones, uncommitted work,
--filter, --fail-on none, partial scans and the bad inputs, on git repositories built here (real Semgrep)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from github_app.cibase import LOCAL_CANDIDATES, choose_base
from github_app.cli import main
from tests.conftest import GitRepo

OLD = "import requests\n\n\ndef old():\n    return requests.get('http://a')\n"
NEW_FN = "\n\ndef new():\n    return requests.get('http://b')\n"
AI = "Add new()\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
CI_VARS = ("GITHUB_ACTIONS", "GITHUB_BASE_REF", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH")


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    # These tests set the Actions variables themselves; the machine running them may be in Actions.
    for name in CI_VARS:
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], root: Path, rules: Path, *args: str) -> tuple[int, Any, str]:
    code = main(["review", "--repo", str(root), "--format", "json", "--rules", str(rules), *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def upstream(git_repo: Callable[[], GitRepo]) -> GitRepo:
    """A "GitHub" repository: main with old code, a pushed feature branch that adds a finding."""
    r = git_repo()
    r.commit({"svc.py": OLD}, "init")
    r.git("checkout", "-q", "-b", "feature")
    r.commit({"svc.py": OLD + NEW_FN}, "add new()")
    r.git("checkout", "-q", "main")
    return r


def clone(upstream: GitRepo, dest: Path, *args: str) -> Path:
    git(dest.parent, "clone", "-q", *args, f"file://{upstream.root}", dest.name)
    return dest


def found(data: Any) -> list[tuple[str, int]]:
    return [(f["path"], f["start_line"]) for f in data["findings"]]


# -- the base, chosen from the environment (pure) ------------------------------------------------------------


def test_choose_base_reads_the_actions_event() -> None:
    pr = choose_base({"GITHUB_ACTIONS": "true", "GITHUB_BASE_REF": "release/1.x", "GITHUB_EVENT_NAME": "pull_request"},
                     {"pull_request": {"base": {"sha": "abc123"}}})
    assert pr.candidates == ("origin/release/1.x", "release/1.x", "abc123") and pr.branch == "release/1.x"
    group = choose_base({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "merge_group", "GITHUB_BASE_REF": ""},
                        {"merge_group": {"base_sha": "f00d", "base_ref": "refs/heads/main"}})
    assert group.candidates == ("f00d", "origin/main", "main") and group.branch == "main"
    push = choose_base({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push"},
                       {"repository": {"default_branch": "trunk"}})
    assert push.candidates == ("origin/trunk", "trunk")
    # Outside Actions the same variables mean nothing; the remote's default branch, never @{upstream}.
    local = choose_base({"GITHUB_BASE_REF": "main"}, None)
    assert local.candidates == LOCAL_CANDIDATES and local.branch is None
    assert not any("upstream" in c for c in local.candidates)


# -- the base, end to end ------------------------------------------------------------------------------------


def test_a_pushed_branch_is_compared_with_the_default_branch_not_its_upstream(
        capsys: pytest.CaptureFixture[str], upstream: GitRepo, tmp_path: Path, fixture_rules: Path) -> None:
    work = clone(upstream, tmp_path / "work")
    git(work, "checkout", "-q", "feature")  # tracks origin/feature: the upstream is the branch itself
    assert git(work, "rev-parse", "@{upstream}") == git(work, "rev-parse", "HEAD")
    code, data, _ = run(capsys, work, fixture_rules)
    assert found(data) == [("svc.py", 9)], data["notes"]
    assert code == 0 and data["conclusion"] == "neutral"


def test_actions_pull_request_uses_github_base_ref(capsys: pytest.CaptureFixture[str], upstream: GitRepo,
                                                  tmp_path: Path, fixture_rules: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    work = clone(upstream, tmp_path / "work", "--branch", "feature")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    data = run(capsys, work, fixture_rules)[1]
    assert found(data) == [("svc.py", 9)] and data["files_changed"] == 1
    monkeypatch.setenv("GITHUB_BASE_REF", "feature")  # the variable decides: against itself, nothing changed
    data = run(capsys, work, fixture_rules)[1]
    assert data["files_changed"] == 0


def test_actions_merge_group_uses_the_groups_base_sha(capsys: pytest.CaptureFixture[str], upstream: GitRepo,
                                                     tmp_path: Path, fixture_rules: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    work = clone(upstream, tmp_path / "work", "--branch", "feature")
    base_sha = git(work, "rev-parse", "origin/main").strip()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"merge_group": {"base_sha": base_sha, "base_ref": "refs/heads/main",
                                                 "head_sha": git(work, "rev-parse", "HEAD").strip()}}))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "merge_group")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    assert found(run(capsys, work, fixture_rules)[1]) == [("svc.py", 9)]


def test_a_shallow_clone_without_the_base_says_how_to_fetch_it(
        capsys: pytest.CaptureFixture[str], upstream: GitRepo, tmp_path: Path, fixture_rules: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    work = clone(upstream, tmp_path / "work", "--depth", "1", "--branch", "feature")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    code, data, err = run(capsys, work, fixture_rules)
    assert code == 2 and data is None
    assert err.strip() == ("prodready: error: the base (GITHUB_BASE_REF=main) is not in this clone: fetch the base: "
                           "`fetch-depth: 0` in actions/checkout, or `git fetch origin main`")
    # Outside Actions, too: a depth-1 clone is not "an empty change".
    monkeypatch.delenv("GITHUB_ACTIONS")
    code, _, err = run(capsys, work, fixture_rules)
    assert code == 2 and "fetch-depth: 0" in err and len(err.strip().splitlines()) == 1


def test_a_shallow_clone_with_the_base_tip_but_no_history_says_how_to_fetch(
        capsys: pytest.CaptureFixture[str], upstream: GitRepo, tmp_path: Path, fixture_rules: Path) -> None:
    work = clone(upstream, tmp_path / "work", "--depth", "1", "--no-single-branch", "--branch", "feature")
    code, _, err = run(capsys, work, fixture_rules, "--base", "origin/main")
    assert code == 2
    assert "no common ancestor in this shallow clone: fetch the base: `fetch-depth: 0`" in err
    code, _, err = run(capsys, work, fixture_rules, "--base", "origin/nope")
    assert code == 2 and "unknown ref: origin/nope (this is a shallow clone: fetch the base" in err
    git(work, "fetch", "-q", "--unshallow")
    assert found(run(capsys, work, fixture_rules, "--base", "origin/main")[1]) == [("svc.py", 9)]


# -- the gate, the filter, partial scans ---------------------------------------------------------------------


@pytest.fixture
def feature(git_repo: Callable[[], GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit({"svc.py": OLD}, "init")
    r.git("checkout", "-q", "-b", "feature")
    return r


def test_fail_on_none_makes_a_blocking_review_exit_0(capsys: pytest.CaptureFixture[str], feature: GitRepo,
                                                     fixture_rules: Path) -> None:
    feature.commit({"svc.py": OLD + NEW_FN}, AI)
    assert run(capsys, feature.root, fixture_rules, "--base", "main")[0] == 1
    code, data, _ = run(capsys, feature.root, fixture_rules, "--base", "main", "--fail-on", "none")
    assert code == 0 and data["gate"] is None and data["findings"][0]["blocking"] is False


def test_filter_overrides_the_policy(capsys: pytest.CaptureFixture[str], feature: GitRepo,
                                     fixture_rules: Path) -> None:
    feature.commit({".github/prodready.yml": "filter: added\n"}, "policy")
    feature.git("checkout", "-q", "main")
    feature.git("merge", "-q", "--ff-only", "feature")
    feature.git("checkout", "-q", "feature")
    feature.commit({"svc.py": OLD + NEW_FN}, "add new()")
    data = run(capsys, feature.root, fixture_rules, "--base", "main")[1]
    assert found(data) == [("svc.py", 9)] and data["not_reported"] == 1
    data = run(capsys, feature.root, fixture_rules, "--base", "main", "--filter", "file")[1]
    assert found(data) == [("svc.py", 5), ("svc.py", 9)] and data["not_reported"] == 0
    assert data["policy"]["sources"][-1] == "--filter file"


def test_a_partial_scan_exits_3_unless_allowed(capsys: pytest.CaptureFixture[str], feature: GitRepo,
                                               fixture_rules: Path) -> None:
    feature.commit({"broken.py": "def f(:\n    print(1)\n)))))\n"}, "half a file")
    code, data, err = run(capsys, feature.root, fixture_rules, "--base", "main")
    assert data["skipped"][0]["reason"].startswith("partly unparsed")
    assert code == 3 and "pass --allow-partial" in err
    assert run(capsys, feature.root, fixture_rules, "--base", "main", "--allow-partial")[0] == 0


def test_help_documents_exit_codes_and_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["review", "--help"])
    out = capsys.readouterr().out
    for text in ("exit status:", "  3  the scan was partial", "GITHUB_BASE_REF", "GITHUB_EVENT_PATH",
                 "PRODREADY_RULES_DIR", "--staged", "--worktree", "--allow-partial",
                 "{new,added,diff_context,file,nofilter"):
        assert text in out, text


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from github_app import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out == f"prodready {__version__}\n"


# -- uncommitted work ----------------------------------------------------------------------------------------


def test_staged_reviews_the_index_only(capsys: pytest.CaptureFixture[str], feature: GitRepo,
                                       fixture_rules: Path) -> None:
    feature.write({"svc.py": OLD + NEW_FN})
    feature.git("add", "svc.py")
    feature.write({"svc.py": OLD + NEW_FN + "\n\ndef later():\n    return requests.put('u')\n",
                   "loose.py": "import requests\nrequests.get('x')\n"})
    code, data, _ = run(capsys, feature.root, fixture_rules, "--staged")
    assert found(data) == [("svc.py", 9)]  # not the unstaged lines, not the untracked file
    assert code == 0 and data["files_changed"] == 1
    assert feature.git("diff", "--cached", "--name-only") == "svc.py\n"  # the index is left as it was


def test_worktree_includes_untracked_but_not_ignored_files(capsys: pytest.CaptureFixture[str], feature: GitRepo,
                                                           fixture_rules: Path) -> None:
    feature.commit({".gitignore": "build/\n"}, "ignore build")
    feature.write({"svc.py": OLD + NEW_FN, "new_mod.py": "import requests\nrequests.get('x')\n",
                   "build/gen.py": "import requests\nrequests.get('y')\n"})
    code, data, _ = run(capsys, feature.root, fixture_rules, "--worktree")
    assert found(data) == [("new_mod.py", 2), ("svc.py", 9)]
    assert feature.git("status", "--porcelain") == " M svc.py\n?? new_mod.py\n"  # nothing was staged
    assert code == 0


def test_staged_takes_the_policy_from_head(capsys: pytest.CaptureFixture[str], feature: GitRepo,
                                           fixture_rules: Path) -> None:
    feature.commit({".github/prodready.yml": "gate:\n  human: ERROR\n"}, "strict policy")
    feature.write({"svc.py": OLD + NEW_FN, ".github/prodready.yml": "gate:\n  human: none\n"})
    feature.git("add", "-A")
    code, data, _ = run(capsys, feature.root, fixture_rules, "--staged")
    assert code == 1 and data["gate"] == "ERROR"  # the staged policy edit does not judge its own change


def test_nothing_staged_is_one_line_and_exit_0(capsys: pytest.CaptureFixture[str], feature: GitRepo,
                                               fixture_rules: Path) -> None:
    feature.write({"svc.py": OLD + NEW_FN})  # changed but not staged
    code, data, err = run(capsys, feature.root, fixture_rules, "--staged")
    assert code == 0 and data["findings"] == []
    assert err == "prodready: nothing staged: nothing to review\n"
    feature.git("checkout", "--", "svc.py")
    code, _, err = run(capsys, feature.root, fixture_rules, "--worktree")
    assert code == 0 and err == "prodready: no uncommitted changes: nothing to review\n"


# -- bad input -----------------------------------------------------------------------------------------------


def test_a_repository_with_no_commits(capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo],
                                      fixture_rules: Path) -> None:
    empty = git_repo()
    code, data, err = run(capsys, empty.root, fixture_rules)
    assert code == 2 and data is None
    assert err == ("prodready: error: the repository has no commits yet: commit first, or review the index "
                   "with --staged\n")
    # The first commit's pre-commit run: the index against the empty tree.
    empty.write({"svc.py": OLD})
    empty.git("add", "svc.py")
    code, data, _ = run(capsys, empty.root, fixture_rules, "--staged")
    assert code == 0 and found(data) == [("svc.py", 5)]


def test_a_detached_head_is_reviewed_against_the_default_branch(
        capsys: pytest.CaptureFixture[str], feature: GitRepo, fixture_rules: Path) -> None:
    feature.commit({"svc.py": OLD + NEW_FN}, AI)
    feature.git("checkout", "-q", "--detach", "feature")  # as CI checks out a commit
    code, data, _ = run(capsys, feature.root, fixture_rules)
    assert code == 1 and found(data) == [("svc.py", 9)]
    code, data, _ = run(capsys, feature.root, fixture_rules, "--worktree")
    assert code == 0 and data["files_changed"] == 0


def test_a_missing_base_branch_is_one_line(capsys: pytest.CaptureFixture[str], git_repo: Callable[[], GitRepo],
                                           fixture_rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r = git_repo()
    r.git("checkout", "-q", "-b", "trunk")
    r.commit({"svc.py": OLD}, "init")
    code, _, err = run(capsys, r.root, fixture_rules)
    assert code == 2 and err == ("prodready: error: cannot tell the base branch (no origin/HEAD, origin/main, "
                                 "origin/master, main or master): pass --base\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_BASE_REF", "develop")
    code, _, err = run(capsys, r.root, fixture_rules)
    assert code == 2 and "the base (GITHUB_BASE_REF=develop) is not in this clone" in err
    assert "`git fetch origin develop`" in err


@pytest.mark.parametrize("args", [["--staged"], ["--worktree"], []])
def test_not_a_repository(capsys: pytest.CaptureFixture[str], tmp_path: Path, fixture_rules: Path,
                          args: list[str]) -> None:
    code, _, err = run(capsys, tmp_path, fixture_rules, *args)
    assert code == 2 and err == f"prodready: error: not a git repository: {tmp_path}\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--staged", "--base", "main"], "--staged and --worktree review against HEAD: leave out --base and --head"),
    (["--staged", "--worktree"], "not allowed with argument"),
    (["--filter", "everything"], "invalid choice: 'everything'"),
])
def test_conflicting_options(capsys: pytest.CaptureFixture[str], feature: GitRepo, fixture_rules: Path,
                             args: list[str], message: str) -> None:
    try:
        code = main(["review", "--repo", str(feature.root), "--rules", str(fixture_rules), *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_bad_event_file_is_one_line(capsys: pytest.CaptureFixture[str], feature: GitRepo, tmp_path: Path,
                                      fixture_rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    event = tmp_path / "event.json"
    event.write_text("{not json")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    code, _, err = run(capsys, feature.root, fixture_rules)
    assert code == 2 and err.startswith(f"prodready: error: cannot read GITHUB_EVENT_PATH {event}: ")
    assert len(err.strip().splitlines()) == 1


def test_a_missing_rules_folder_is_one_line(capsys: pytest.CaptureFixture[str], feature: GitRepo,
                                            tmp_path: Path) -> None:
    code, _, err = run(capsys, feature.root, tmp_path / "none", "--base", "main")
    assert code == 2
    assert err == f"prodready: error: no rules folder at {tmp_path / 'none'} (set --rules or PRODREADY_RULES_DIR)\n"
