"""Policy layers -> the effective policy, and the gate decision. Pure: callers pass file texts in."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from github_app.findings import Finding, Severity

POLICY_PATH = ".github/prodready.yml"
EXTRA_RULES_DIR = ".prodready/rules"
DEFAULT_MAX_INLINE_COMMENTS = 25

DEFAULTS: dict[str, Any] = {
    "review": {"authors": "all", "drafts": False, "base_branches": [], "ignore_paths": []},
    "gate": {"ai": "WARNING", "human": "none"},
    "filter": "added",
    "concerns": {},
    "rules": {},
    "max_inline_comments": DEFAULT_MAX_INLINE_COMMENTS,
    "authorship": {"bots": [], "trailers": [], "branch_prefixes": [], "labels": []},
    "suppressions": {"require_reason": False},
}


@dataclass(frozen=True)
class Layer:
    source: str
    """Where the text came from, e.g. 'acme/.github@main:.github/prodready.yml'."""
    text: str | None


@dataclass(frozen=True)
class EffectivePolicy:
    data: dict[str, Any]
    sources: tuple[str, ...]
    problems: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        canonical = json.dumps(self.data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def max_inline_comments(self) -> int:
        return int(self.data["max_inline_comments"])

    @property
    def filter_mode(self) -> str:
        return str(self.data["filter"])

    def gate(self, ai: bool) -> Severity | None:
        value = str(self.data["gate"]["ai" if ai else "human"])
        return None if value.lower() == "none" else Severity.parse(value)


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_policy(layers: Sequence[Layer]) -> EffectivePolicy:
    """Merge layers over the defaults, lowest precedence first; a broken layer is reported and skipped."""
    data = copy.deepcopy(DEFAULTS)
    sources = ["prodready defaults"]
    problems: list[str] = []
    for layer in layers:
        if layer.text is None:
            continue
        try:
            parsed = yaml.safe_load(layer.text)
        except yaml.YAMLError as exc:
            problems.append(f"{layer.source}: not valid YAML ({' '.join(str(exc).split())[:200]}); ignored")
            continue
        if parsed is None:
            continue
        if not isinstance(parsed, dict):
            problems.append(f"{layer.source}: top level must be a mapping; ignored")
            continue
        data = _merge(data, parsed)
        sources.append(layer.source)
    return EffectivePolicy(data=data, sources=tuple(sources), problems=tuple(problems))


def default_policy() -> EffectivePolicy:
    return load_policy([])


def apply_rule_settings(policy: EffectivePolicy, findings: Iterable[Finding]) -> list[Finding]:
    """Drop disabled rules and concerns; apply severity overrides."""
    rules: Mapping[str, Any] = policy.data.get("rules", {}) or {}
    concerns: Mapping[str, Any] = policy.data.get("concerns", {}) or {}
    out: list[Finding] = []
    for f in findings:
        setting: Mapping[str, Any] = {**(concerns.get(f.concern) or {}), **(rules.get(f.rule_id) or {})}
        if setting.get("enabled", True) is False:
            continue
        if "severity" in setting:
            f = f.with_(severity=Severity.parse(str(setting["severity"])))
        out.append(f)
    return out


@dataclass(frozen=True)
class Decision:
    conclusion: str
    """success | neutral | failure, as a GitHub check run conclusion."""
    gate: Severity | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


def decide(findings: Iterable[Finding], gate: Severity | None) -> Decision:
    """Findings at or above the gate block (failure); findings below it are advice (neutral)."""
    marked = [f.with_(blocking=gate is not None and f.severity >= gate) for f in findings]
    if any(f.blocking for f in marked):
        conclusion = "failure"
    elif marked:
        conclusion = "neutral"
    else:
        conclusion = "success"
    return Decision(conclusion=conclusion, gate=gate, findings=marked)
