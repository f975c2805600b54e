"""The arithmetic of bench/agent_prs.py report, on a tiny triage file written here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("agent_prs", ROOT / "bench" / "agent_prs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["agent_prs"] = mod  # dataclasses resolve their module by name
    spec.loader.exec_module(mod)
    return mod


ap = _load()

HEADER = "kind\tchange\tlocation\trule_id\tconcern\tblocking\tverdict\treason\n"
ROWS = [
    # tune set: change a (python) and b (go)
    "reviewed\ta\t-\t-\t-\t-\t-\tread",
    "finding\ta\tapp/x.py:3\tpy-r1\tresilience\tyes\tTP\tright",
    "finding\ta\tapp/x.py:9\tpy-r2\tresilience\tyes\tFP\twrong",
    "finding\ta\tapp/x.py:12\tpy-r3\tobservability\tno\tTP-pre-existing\twas there before",
    "finding\ta\tapp/x.py:20\tpy-r1\tresilience\tno\tTP\tright again",
    "problem\ta\tapp/x.py:3\tpy-r1\tresilience\t-\t-\tno timeout",
    "problem\ta\tapp/x.py:30\t-\tcost\t-\t-\tpaid call in a loop",
    "reviewed\tb\t-\t-\t-\t-\t-\tread",
    "problem\tb\tmain.go:5\t-\terror-handling\t-\t-\terror dropped",
    # check set: change c, plus d which is not marked reviewed and so does not count
    "reviewed\tc\t-\t-\t-\t-\t-\tread",
    "finding\tc\tDockerfile:1\tdf-r\tsupply-chain\tyes\tTP\tunpinned",
    "problem\tc\tDockerfile:1\tdf-r\tsupply-chain\t-\t-\tunpinned base image",
    "finding\td\tweb/a.ts:1\tjs-r\tresilience\tyes\tFP\tnot counted: d is not reviewed",
]
ITEMS = [ap.Item(i, "o/r", "0" * 40, "claude-code", "x", s) for i, s in
         (("a", "tune"), ("b", "tune"), ("c", "check"), ("d", "check"))]


@pytest.fixture
def rows(tmp_path: Path) -> list:
    path = tmp_path / "agent-prs.tsv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n")
    return ap.read_tsv(path)


def test_overall_figures_per_set(rows: list) -> None:
    tune = [r for r in rows if r.change in ("a", "b")]
    t = ap.tally(tune, "all")["all"]
    assert (t.findings, t.tp, t.pre, t.blocking, t.blocking_tp) == (4, 2, 1, 2, 1)
    assert t.precision == pytest.approx(0.5)  # a pre-existing finding is not a TP for the change
    assert t.blocking_precision == pytest.approx(0.5)
    assert (t.problems, t.caught) == (3, 1)
    assert t.coverage == pytest.approx(1 / 3)


def test_language_and_concern_groups(rows: list) -> None:
    by_lang = ap.tally(rows, "language")
    assert by_lang["python"].findings == 4
    assert by_lang["go"].problems == 1 and by_lang["go"].coverage == 0
    assert by_lang["infrastructure"].caught == 1
    assert by_lang["js/ts"].blocking == 1
    by_concern = ap.tally(rows, "concern")
    assert by_concern["resilience"].findings == 4  # 3 in a, 1 in d
    assert by_concern["cost"].coverage == 0


def test_report_separates_sets_and_checks_targets(rows: list) -> None:
    md, missed = ap.render_report(rows, ITEMS)
    assert "## tune set: 2 of 2 changes triaged" in md
    assert "## check set: 1 of 2 changes triaged" in md
    assert any(m.startswith("coverage 33 %") for m in missed["tune"])
    assert missed["check"] == []  # c alone: 1/1 blocking TP, 1/1 TP, 1/1 caught; d is not reviewed
    assert "`b` main.go:5 [error-handling]: error dropped" in md
    assert "not counted" not in md


def test_bad_rows_are_one_line_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + "finding\ta\tx.py:1\tr\tresilience\tyes\tMAYBE\twhy\n")
    with pytest.raises(ap.BenchError, match=r"bad.tsv:2: verdict must be one of"):
        ap.read_tsv(path)
    path.write_text(HEADER + "problem\ta\tx.py:1\t-\tvibes\t-\t-\twhy\n")
    with pytest.raises(ap.BenchError, match="unknown concern 'vibes'"):
        ap.read_tsv(path)


def test_check_draw_is_a_seeded_quarter() -> None:
    ids = [f"c{i}" for i in range(60)]
    first = ap.check_draw(ids, 7)
    assert len(first) == 15 and len(set(first)) == 15
    assert first == ap.check_draw(ids, 7)
    assert first != ap.check_draw(ids, 8)


def test_committed_data_file_agrees_with_its_draw() -> None:
    items = ap.load_items()
    assert len(items) >= 60
    assert len({i.repo for i in items}) >= 20
    assert len({i.agent for i in items}) >= 8
    original = [i for i in items if i.batch == 1]
    # The seeded quarter of the original changes, plus every later addition (kept for checking only).
    assert sum(i.set == "check" for i in original) == len(original) // 4
    assert all(i.set == "check" for i in items if i.batch != 1)


@pytest.mark.parametrize(("extra", "message"), [
    ('set = "tune"\nbatch = 2', "must have set"),
    ('set = "check"\nbatch = 3', "unknown batch"),
])
def test_a_later_batch_must_be_check_only(tmp_path: Path, extra: str, message: str) -> None:
    data = ap.DATA.read_text(encoding="utf-8") + (
        '\n[[change]]\nid = "late-1"\nrepo = "o/r"\nsha = "' + "a" * 40 + '"\nagent = "aider"\n'
        'evidence = "Author: x (aider) <x@example.com>"\n' + extra + "\n")
    path = tmp_path / "agent_prs.toml"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(ap.BenchError, match=message):
        ap.load_items(path)


def _git(repo: Path, *args: str) -> str:
    import subprocess

    env = {"GIT_AUTHOR_NAME": "Copilot", "GIT_AUTHOR_EMAIL": "198982749+Copilot@users.noreply.github.com",
           "GIT_COMMITTER_NAME": "GitHub", "GIT_COMMITTER_EMAIL": "noreply@github.com", "HOME": str(repo),
           "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def test_fetch_extracts_base_and_head_of_the_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A real git repository standing in for a snapshot under the mirror: a rename, a delete, an add, an edit.
    src = tmp_path / "mirror" / "o+r" / "repo"
    src.mkdir(parents=True)
    _git(src, "init", "-q")
    (src / "app.py").write_text("x = 1\n")
    (src / "old.py").write_text("y = 2\n")
    (src / "gone.txt").write_text("bye\n")
    (src / "untouched.md").write_text("not part of the change\n")
    _git(src, "add", "-A")
    _git(src, "commit", "-qm", "base")
    (src / "app.py").write_text("x = 2\n")
    _git(src, "mv", "old.py", "new.py")
    _git(src, "rm", "-q", "gone.txt")
    (src / "added.go").write_text("package main\n")
    _git(src, "add", "-A")
    _git(src, "commit", "-qm", "agent change\n\nCo-authored-by: Claude <noreply@anthropic.com>")
    sha = _git(src, "rev-parse", "HEAD")
    monkeypatch.setattr(ap, "MIRROR", tmp_path / "mirror")
    item = ap.Item("o-1", "o/r", sha, "claude-code", "Co-authored-by: Claude <noreply@anthropic.com>", "tune")
    dest = tmp_path / "corpus" / "o-1"
    assert ap.build_change(item, dest) == "fetched"
    assert _git(dest, "show", "base:app.py") == "x = 1"
    assert _git(dest, "show", "head:app.py") == "x = 2"
    assert sorted(_git(dest, "ls-tree", "--name-only", "base").split()) == ["app.py", "gone.txt", "old.py"]
    assert sorted(_git(dest, "ls-tree", "--name-only", "head").split()) == ["added.go", "app.py", "new.py"]
    assert "noreply@anthropic.com" in _git(dest, "log", "-1", "--format=%B", "head")
    assert ap.build_change(item, dest) == "present"
    # A wrong evidence line, or a repository with no snapshot, is a one-line error.
    with pytest.raises(ap.BenchError, match="evidence line is not in"):
        ap.build_change(ap.Item("o-1", "o/r", sha, "cursor", "Made-with: Cursor", "tune"), dest)
    with pytest.raises(ap.BenchError, match=r'fetch\("github:o/missing"\)'):
        ap.build_change(ap.Item("o-2", "o/missing", sha, "cursor", "x", "tune"), tmp_path / "corpus" / "o-2")
