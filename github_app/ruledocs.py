"""Rule YAML by id, for renderers that describe rules rather than findings (SARIF's rule table)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from github_app.policy import iter_rules


def rule_docs(rules_dir: Path, extra_rules: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """id -> rule, built-in rules first; the repository's extra rules (path -> YAML text) after them."""
    docs: dict[str, dict[str, Any]] = {}
    for _, rule in iter_rules(rules_dir):
        if isinstance(rule.get("id"), str):
            docs[rule["id"]] = rule
    for text in extra_rules.values():
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            continue  # check_extra_rules already reported the file and left it out of the scan
        for rule in doc.get("rules", []) if isinstance(doc, dict) else []:
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                docs.setdefault(rule["id"], rule)
    return docs
