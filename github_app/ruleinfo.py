"""One rule, explained: its message, concern, severity, references and the examples from its test file.
Pure but for reading the rule folder."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

from github_app.policy import iter_rules

MAX_EXAMPLES = 3
MAX_EXAMPLE_LINES = 8
# `semgrep test` annotations: "# ruleid: a, b" / "// ok: a" (todoruleid/todook are known misses, left out).
_ANNOTATION = re.compile(r"^\s*(?:#|//|--|;|/\*|<!--)\s*(ruleid|ok):\s*([\w.,\s-]+?)\s*(?:\*/|-->)?\s*$")


class UnknownRule(LookupError):
    pass


def examples(text: str, rule_id: str) -> dict[str, list[str]]:
    """The code under each `ruleid:` (flagged) and `ok:` (accepted) annotation for rule_id."""
    out: dict[str, list[str]] = {"flagged": [], "accepted": []}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _ANNOTATION.match(line)
        if not m or rule_id not in {r.strip() for r in m.group(2).split(",")}:
            continue
        bucket = out["flagged" if m.group(1) == "ruleid" else "accepted"]
        if len(bucket) >= MAX_EXAMPLES:
            continue
        body: list[str] = []
        for nxt in lines[i + 1 : i + 1 + MAX_EXAMPLE_LINES]:
            if not nxt.strip() or _ANNOTATION.match(nxt):
                break
            body.append(nxt)
        if body:
            bucket.append(textwrap.dedent("\n".join(body)))
    return out


def _test_file(rule_file: Path) -> Path | None:
    for candidate in sorted(rule_file.parent.glob(f"{rule_file.stem}.*")):
        if candidate.suffix not in {".yaml", ".yml"} and ".fixed" not in candidate.suffixes:
            return candidate
    return None


def explain(rule_id: str, rules_dir: Path) -> dict[str, Any]:
    known = iter_rules(rules_dir)
    for rel, rule in known:
        if rule.get("id") != rule_id:
            continue
        meta = rule.get("metadata") or {}
        test = _test_file(rules_dir / rel)
        return {
            "id": rule_id,
            "message": " ".join(str(rule.get("message", "")).split()),
            "concern": meta.get("concern"),
            "severity": rule.get("severity"),
            "confidence": meta.get("confidence"),
            "languages": list(rule.get("languages") or []),
            "references": [str(r) for r in meta.get("references") or []],
            "autofix": rule.get("fix"),
            "examples": examples(test.read_text(errors="replace"), rule_id) if test else
                        {"flagged": [], "accepted": []},
            "source": rel,
        }
    near = sorted(str(r.get("id")) for _, r in known if rule_id.lower() in str(r.get("id", "")).lower())
    hint = f"; did you mean {', '.join(near[:5])}?" if near else ""
    raise UnknownRule(f"no rule {rule_id!r} in {len(known)} rules{hint}")
