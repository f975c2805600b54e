"""`prodready review` end to end on git repositories built by the tests, with real Semgrep."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from github_app.cli import main
from tests.conftest import GitRepo

OLD = "import requests\n\n\ndef old():\n    return requests.get('http://a')\n"
NEW_FN = "\n\ndef new():\n    return requests.get('http://b')\n"


def review(capsys: pytest.CaptureFixture[str], repo: GitRepo, rules: Path, *extra: str) -> tuple[int, Any, str]:
    code = main(["review", "--repo", str(repo.root), "--base", "main", "--head", "feature",
                 "--format", "json", "--rules", str(rules), *extra])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


@pytest.fixture
def repo(git_repo: Callable[[], GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit({"svc.py": OLD, "notes.txt": "hello\n", "logo.bin": b"\x00\x01"}, "init")
    r.git("checkout", "-q", "-b", "feature")
    return r


def test_only_the_added_line_is_reported(capsys: pytest.CaptureFixture[str], repo: GitRepo,
                                         fixture_rules: Path) -> None:
    repo.commit({"svc.py": OLD + NEW_FN}, "add new()")
    code, data, _ = review(capsys, repo, fixture_rules)
    assert [(f["rule_id"], f["path"], f["start_line"]) for f in data["findings"]] == [
        ("t-requests-no-timeout", "svc.py", 9)
    ]
    assert data["not_reported"] == 1  # the same issue on the untouched line 5
    # A human change: advisory by default.
    assert code == 0 and data["conclusion"] == "neutral" and data["authorship"]["ai"] is False


def test_ai_authored_change_blocks(capsys: pytest.CaptureFixture[str], repo: GitRepo, fixture_rules: Path) -> None:
    repo.commit({"svc.py": OLD + NEW_FN}, "Add new()\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    code, data, _ = review(capsys, repo, fixture_rules)
    assert code == 1
    assert data["findings"][0]["blocking"] is True
    assert data["authorship"]["ai"] is True and data["authorship"]["agent"] == "Claude Code"


SUGGESTION = "Apply suggestion\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n"


def test_a_committed_copilot_suggestion_is_assisted_and_advisory_by_default(
        capsys: pytest.CaptureFixture[str], repo: GitRepo, fixture_rules: Path) -> None:
    repo.commit({"svc.py": OLD + NEW_FN}, SUGGESTION)
    code, data, _ = review(capsys, repo, fixture_rules)
    assert code == 0 and data["conclusion"] == "neutral"
    assert data["authorship"]["ai"] is False and data["authorship"]["assisted"] is True
    assert "175728472+Copilot" in data["authorship"]["assisted_signal"]


def test_policy_can_count_assisted_commits_as_ai(capsys: pytest.CaptureFixture[str],
                                                 git_repo: Callable[[], GitRepo], fixture_rules: Path) -> None:
    r = git_repo()
    r.commit({"svc.py": OLD, ".github/prodready.yml": "authorship: {assisted: ai}\n"}, "init")
    r.git("checkout", "-q", "-b", "feature")
    r.commit({"svc.py": OLD + NEW_FN}, SUGGESTION)
    code, data, _ = review(capsys, r, fixture_rules)
    assert code == 1 and data["findings"][0]["blocking"] is True
    assert data["authorship"]["ai"] is True and data["authorship"]["assisted"] is True
    assert data["authorship"]["agent"] == "GitHub Copilot code review suggestion"


def test_fail_on_overrides_the_gate(capsys: pytest.CaptureFixture[str], repo: GitRepo, fixture_rules: Path) -> None:
    repo.commit({"svc.py": OLD + NEW_FN}, "add new()")
    assert review(capsys, repo, fixture_rules, "--fail-on", "ERROR")[0] == 1
    assert review(capsys, repo, fixture_rules, "--fail-on", "none")[0] == 0


def test_awkward_files_get_a_review_or_a_reason(capsys: pytest.CaptureFixture[str], repo: GitRepo,
                                                fixture_rules: Path) -> None:
    repo.git("mv", "notes.txt", "renamed notes.txt")
    repo.commit({
        "logo.bin": b"\x00\x02\x03",                            # binary
        "svc.py": None,                                         # deleted
        "dir with space/é.py": "import requests\nrequests.post('u')",  # no trailing newline, non-ASCII
        "crlf.py": "import requests\r\nrequests.put('u')\r\n",  # CRLF
        "broken.py": "def f(:\n    print(1)\n)))))\n",          # Semgrep cannot parse all of it
        "huge.py": "x = 1\n" * 300_000,                         # over the size cap
    }, "awkward")
    _, data, err = review(capsys, repo, fixture_rules)
    found = {(f["path"], f["start_line"]) for f in data["findings"]}
    assert ("dir with space/é.py", 2) in found
    assert ("crlf.py", 2) in found
    assert ("broken.py", 2) in found
    reasons = {s["path"]: s["reason"] for s in data["skipped"]}
    assert reasons["logo.bin"] == "binary file"
    assert reasons["svc.py"] == "deleted by the change"
    assert reasons["huge.py"].startswith("larger than")
    assert reasons["broken.py"].startswith("partly unparsed")
    assert "renamed from notes.txt" in reasons["renamed notes.txt"]
    for path in reasons:
        assert f"skipped {path}:" in err  # and each on stderr, one line


def test_empty_change_says_so(capsys: pytest.CaptureFixture[str], repo: GitRepo, fixture_rules: Path) -> None:
    code, data, _ = review(capsys, repo, fixture_rules)
    assert code == 0 and data["findings"] == []
    assert data["notes"] == ["The change is empty: nothing to review."]


def test_text_output_reads_like_a_review(capsys: pytest.CaptureFixture[str], repo: GitRepo,
                                         fixture_rules: Path) -> None:
    repo.commit({"svc.py": OLD + NEW_FN}, "add new()")
    main(["review", "--repo", str(repo.root), "--base", "main", "--head", "feature", "--rules", str(fixture_rules)])
    out = capsys.readouterr().out
    assert "svc.py\n  9: ERROR [resilience] t-requests-no-timeout\n      |     return requests.get('http://b')" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--repo", "/nonexistent/x"], "no such directory"),
        (["--base", "no-such-ref"], "unknown ref: no-such-ref"),
        (["--format", "xml"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys: pytest.CaptureFixture[str], repo: GitRepo, args: list[str],
                                      message: str) -> None:
    argv = ["review", "--repo", str(repo.root), *args]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_not_a_git_repository(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["review", "--repo", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"prodready: error: not a git repository: {tmp_path}"


def test_console_script_runs_as_a_process(repo: GitRepo, fixture_rules: Path) -> None:
    repo.commit({"svc.py": OLD + NEW_FN}, "add new()")
    exe = Path(sys.executable).parent / "prodready"
    done = subprocess.run([str(exe), "review", "--repo", str(repo.root), "--base", "main", "--format", "sarif",
                           "--rules", str(fixture_rules)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    sarif = json.loads(done.stdout)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "t-requests-no-timeout"


def test_cli_export_formats_match_the_exporter() -> None:
    from github_app.cli import EXPORT_FORMATS
    from github_app.export import FORMATS

    assert EXPORT_FORMATS == FORMATS


def test_sandbox_gets_its_own_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["sandbox", "--help"])
    assert exc.value.code == 0
    assert "--public-key-path" in capsys.readouterr().out


def test_ai_flag_applies_the_agents_gate(capsys: pytest.CaptureFixture[str], repo: GitRepo,
                                         fixture_rules: Path) -> None:
    """--ai: an agent checking its own change is judged by the gate its PR will get."""
    repo.commit({"svc.py": OLD + NEW_FN}, "add new()")  # no agent signal: advisory by default
    assert review(capsys, repo, fixture_rules)[0] == 0
    code, data, _ = review(capsys, repo, fixture_rules, "--ai")
    assert code == 1 and data["findings"][0]["blocking"] is True


def test_a_relative_rules_folder_is_taken_from_the_callers_directory(
        capsys: pytest.CaptureFixture[str], repo: GitRepo, fixture_rules: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Semgrep runs in a temporary tree of the head: `--rules rules` used to reach it as a path relative
    # to that tree, and the review failed with "semgrep exited 7 without JSON".
    repo.commit({"svc.py": OLD + NEW_FN}, "add new()")
    monkeypatch.chdir(fixture_rules.parent)
    _, data, err = review(capsys, repo, Path(fixture_rules.name))
    assert data is not None, err
    assert [f["rule_id"] for f in data["findings"]] == ["t-requests-no-timeout"]
