"""Checks every rule against prodready's rule contract and Semgrep's own rule schema, offline.

`semgrep --validate` fetches a lint config from the registry and hangs on a closed network, so the
same checks are made here: Semgrep's shipped rule_schema_v1.yaml, then a load through the engine.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from github_app import proc
from github_app.findings import CONCERNS
from github_app.scan import OFFLINE_ENV, semgrep_binary

SEVERITIES = {"ERROR", "WARNING", "INFO"}
CONFIDENCES = {"HIGH", "MEDIUM", "LOW"}
MIN_CASES = 2


def rule_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.y*ml")):
        if path.name.endswith((".test.yaml", ".test.yml")):
            continue
        yield path


@cache
def semgrep_rule_schema() -> dict[str, Any]:
    text = resources.files("semgrep").joinpath("semgrep_interfaces/rule_schema_v1.yaml").read_text()
    schema: dict[str, Any] = yaml.safe_load(text)
    return schema


def test_targets(rule_path: Path) -> list[Path]:
    stem = rule_path.name.rsplit(".", 1)[0]
    return [p for p in rule_path.parent.iterdir()
            if p != rule_path and (p.name.startswith(stem + ".")) and not p.name.endswith((".yaml.bak",))]


def check_rule_file(path: Path, root: Path) -> list[str]:
    rel = path.relative_to(root)
    where = str(rel)
    try:
        doc = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        return [f"{where}: not valid YAML: {' '.join(str(exc).split())[:200]}"]
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        return [f"{where}: must be a mapping with a 'rules' list"]
    problems: list[str] = []
    try:
        jsonschema.validate(doc, semgrep_rule_schema())
    except jsonschema.ValidationError as exc:
        key = "/".join(str(p) for p in exc.absolute_path)
        problems.append(f"{where}: Semgrep rule schema: {key}: {exc.message[:200]}")
    if len(doc["rules"]) != 1:
        problems.append(f"{where}: holds {len(doc['rules'])} rules; one rule per file")
        return problems
    rule = doc["rules"][0]
    rid = str(rule.get("id", ""))
    stem = path.name.rsplit(".", 1)[0]
    if rid != stem:
        problems.append(f"{where}: id {rid!r} differs from the file name {stem!r}")
    if str(rule.get("severity", "")) not in SEVERITIES:
        problems.append(f"{where}: severity must be one of {sorted(SEVERITIES)}")
    message = " ".join(str(rule.get("message", "")).split())
    if len(message) < 40 or message.count(".") < 2:
        problems.append(f"{where}: message must say what is wrong, why it matters and what to do")
    meta = rule.get("metadata") or {}
    concern = meta.get("concern")
    if concern not in CONCERNS:
        problems.append(f"{where}: metadata.concern must be one of {list(CONCERNS)}")
    elif len(rel.parts) >= 3 and rel.parts[0] in CONCERNS and rel.parts[0] != concern:
        problems.append(f"{where}: metadata.concern {concern!r} but the file is under {rel.parts[0]}/")
    if meta.get("confidence") not in CONFIDENCES:
        problems.append(f"{where}: metadata.confidence must be one of {sorted(CONFIDENCES)}")
    refs = meta.get("references")
    if not isinstance(refs, list) or not refs:
        problems.append(f"{where}: metadata.references must be a non-empty list")
    targets = test_targets(path)
    if not targets:
        problems.append(f"{where}: no test file beside it ({stem}.<ext>)")
    else:
        text = "\n".join(t.read_text(errors="replace") for t in targets)
        hits = len(re.findall(rf"\bruleid:\s*{re.escape(rid)}\b", text))
        oks = len(re.findall(rf"\bok:\s*{re.escape(rid)}\b", text))
        if hits < MIN_CASES or oks < MIN_CASES:
            problems.append(f"{where}: test has {hits} ruleid and {oks} ok cases; needs {MIN_CASES} of each")
    return problems


def check_ids_unique(root: Path) -> list[str]:
    seen: dict[str, Path] = {}
    problems = []
    for path in rule_files(root):
        stem = path.name.rsplit(".", 1)[0]
        if stem in seen:
            problems.append(f"{path.relative_to(root)}: id {stem!r} also in {seen[stem].relative_to(root)}")
        seen[stem] = path
    return problems


def engine_load(configs: Sequence[Path]) -> list[str]:
    """Load the rules through Semgrep itself; any rule it rejects is a problem."""
    import json

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "empty.txt"
        target.write_text("")
        cmd = [semgrep_binary(), "scan", "--experimental", "--json", "--metrics=off", "--disable-version-check",
               "--no-git-ignore"]
        for c in configs:
            cmd += ["--config", str(c)]
        done = proc.run([*cmd, str(target)], env=OFFLINE_ENV, timeout=120, check=False)
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        return [f"semgrep could not load the rules: {proc.first_line(done.err_text)}"]
    return [" ".join(str(e.get("message", "")).split())[:300] for e in data.get("errors", [])]


def check_tree(root: Path) -> list[str]:
    problems = check_ids_unique(root)
    for path in rule_files(root):
        problems += check_rule_file(path, root)
    problems += engine_load([root])
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:]) or ["rules"]
    total = 0
    for folder in args:
        root = Path(folder)
        problems = check_tree(root)
        for p in problems:
            print(p)
        total += len(problems)
        count = sum(1 for _ in rule_files(root))
        print(f"{folder}: {count} rules, {len(problems)} problems", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
