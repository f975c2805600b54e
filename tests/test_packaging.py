"""pyproject.toml lists its packages by hand (so rules/ can ship as github_app.rules): keep it whole."""

from __future__ import annotations

import tomllib
from pathlib import Path

from github_app.scan import find_rules_dir

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_subpackage_is_listed() -> None:
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "github_app").rglob("__init__.py")
             if "data" not in p.relative_to(ROOT).parts}  # the demo's sample app ships as package data
    assert found <= set(CONFIG["packages"])
    assert CONFIG["package-dir"] == {"github_app.rules": "rules"}
    assert CONFIG["package-data"]["github_app.rules"] == ["**/*"]


def test_rules_dir_is_the_checkouts_here_and_the_environment_wins(tmp_path: Path) -> None:
    assert find_rules_dir({}) == ROOT / "rules"
    assert find_rules_dir({"PRODREADY_RULES_DIR": str(tmp_path)}) == tmp_path
