"""filter: new (the default): a finding the base already had is pre-existing, a new one counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from github_app.cli import main
from tests.conftest import GitRepo

AI = "\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
BASE = "import requests\n\n\ndef old():\n    return requests.get('http://a')\n"
# The same untimed call, re-indented into a class (its lines are "added"), plus a new one.
HEAD = ("import requests\n\n\nclass Client:\n    def old(self):\n        return requests.get('http://a')\n\n"
        "    def new(self):\n        return requests.get('http://b')\n")


def review(capsys: pytest.CaptureFixture[str], repo: GitRepo, rules: Path, *extra: str) -> tuple[int, Any]:
    code = main(["review", "--repo", str(repo.root), "--base", "main", "--head", "feature",
                 "--format", "json", "--rules", str(rules), *extra])
    out, _ = capsys.readouterr()
    return code, json.loads(out)


@pytest.fixture
def repo(git_repo: Callable[[], GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit({"svc.py": BASE}, "init")
    r.git("checkout", "-q", "-b", "feature")
    return r


def test_preexisting_finding_on_a_changed_line_does_not_block(capsys: pytest.CaptureFixture[str], repo: GitRepo,
                                                              fixture_rules: Path) -> None:
    repo.commit({"svc.py": HEAD}, "Wrap in a class" + AI)
    code, data = review(capsys, repo, fixture_rules)
    assert [(f["start_line"], f["blocking"]) for f in data["findings"]] == [(9, True)]
    assert data["preexisting"] == 1 and code == 1


def test_only_preexisting_findings_pass(capsys: pytest.CaptureFixture[str], repo: GitRepo,
                                        fixture_rules: Path) -> None:
    moved = "import requests\n\n\nclass Client:\n    def old(self):\n        return requests.get('http://a')\n"
    repo.commit({"svc.py": moved}, "Wrap in a class" + AI)
    code, data = review(capsys, repo, fixture_rules)
    assert data["findings"] == [] and data["preexisting"] == 1
    assert code == 0 and data["conclusion"] == "success"
    main(["review", "--repo", str(repo.root), "--base", "main", "--head", "feature", "--rules", str(fixture_rules)])
    assert "1 already there before this change" in capsys.readouterr()[0]


def test_a_changed_call_is_new(capsys: pytest.CaptureFixture[str], repo: GitRepo, fixture_rules: Path) -> None:
    repo.commit({"svc.py": BASE.replace("http://a", "http://c")}, "Point at c" + AI)
    code, data = review(capsys, repo, fixture_rules)
    assert [f["start_line"] for f in data["findings"]] == [5] and data["preexisting"] == 0 and code == 1


def test_rename_compares_with_the_old_path(capsys: pytest.CaptureFixture[str], repo: GitRepo,
                                           fixture_rules: Path) -> None:
    # Enough unchanged lines that git sees a rename (similarity over 50 %), not a delete and an add.
    filler = "".join(f"SETTING_{i} = {i}\n" for i in range(30))
    repo.git("checkout", "-q", "main")
    repo.commit({"svc.py": filler + BASE}, "settings")
    repo.git("checkout", "-q", "-B", "feature")
    repo.git("mv", "svc.py", "client.py")
    repo.commit({"client.py": filler + HEAD}, "Move and wrap" + AI)
    _, data = review(capsys, repo, fixture_rules)
    assert [(f["path"], f["start_line"]) for f in data["findings"]] == [("client.py", 39)]
    assert data["preexisting"] == 1


def test_filter_added_reports_preexisting_findings_too(capsys: pytest.CaptureFixture[str], repo: GitRepo,
                                                      fixture_rules: Path) -> None:
    repo.commit({".github/prodready.yml": "filter: added\n"}, "policy")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "feature")
    repo.git("checkout", "-q", "-b", "feature2")
    repo.commit({"svc.py": HEAD}, "Wrap in a class" + AI)
    main(["review", "--repo", str(repo.root), "--base", "main", "--head", "feature2", "--format", "json",
          "--rules", str(fixture_rules)])
    data = json.loads(capsys.readouterr()[0])
    assert [f["start_line"] for f in data["findings"]] == [6, 9] and data["preexisting"] == 0
