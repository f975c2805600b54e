"""prodready follows the rules it enforces: its own code, Dockerfile and CI pass its whole ruleset."""

from __future__ import annotations

from pathlib import Path

from github_app.scan import RULES_DIR, scan

ROOT = Path(__file__).resolve().parents[1]
# The demo's sample service is wrong on purpose: it is what the demo PR is reviewed for.
DEMO = ROOT / "github_app" / "data" / "demo_repo"


def own_files() -> list[str]:
    paths = [p for p in (ROOT / "github_app").rglob("*") if p.is_file() and DEMO not in p.parents
             and p.suffix in {".py", ".json", ".yml", ".yaml"}]
    paths += [ROOT / "Dockerfile", ROOT / "app.yml", ROOT / "pyproject.toml", *sorted((ROOT / "bench").glob("*.py"))]
    # The ways prodready ships: the compose file, the Action and its script, the pre-commit hook.
    paths += [ROOT / "compose.yaml", ROOT / "action.yml", ROOT / ".pre-commit-hooks.yaml", ROOT / "action/review.sh"]
    return sorted(str(p.relative_to(ROOT)) for p in paths)


def test_prodready_has_no_findings_of_its_own_rules() -> None:
    files = own_files()
    assert "github_app/pipeline.py" in files and "Dockerfile" in files
    result = scan(ROOT, files, [RULES_DIR])
    found = [f"{f.path}:{f.start_line} {f.rule_id}: {f.code.strip()}" for f in result.findings]
    assert found == []
    assert result.errors == []
