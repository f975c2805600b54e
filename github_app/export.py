"""The effective policy and the enabled rules -> an instruction file for coding agents. Pure but for
reading the rule files.

The point: the bar the review enforces is what the agent is told before it writes code. Each rule
becomes one line, "what to do, and why", taken from the rule's own message (whose last sentence is
the fix and whose middle sentences are the reason, by the rules' convention: what, why, fix).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from github_app.findings import CONCERNS, Severity
from github_app.policy import EffectivePolicy, check_extra_rules, iter_rules
from github_app.suppressions import WITHOUT_REASON_RULE

FORMATS = ("agents-md", "copilot-instructions", "cursor-rules")
# Where each format is read from by its agent (stated in the file's header for the user).
TARGET_PATHS = {
    "agents-md": "AGENTS.md",
    "copilot-instructions": ".github/copilot-instructions.md",
    "cursor-rules": ".cursor/rules/prodready.mdc",
}

CONCERN_TITLES = {
    "secrets": "Secrets",
    "resilience": "Resilience (timeouts, retries)",
    "error-handling": "Error handling",
    "observability": "Observability (logging)",
    "access-control": "Access control",
    "performance": "Performance",
    "infrastructure": "Infrastructure",
    "supply-chain": "Supply chain",
    "cost": "Cost",
    "maintainability": "Maintainability",
}

CONCERN_INTROS = {
    "secrets": "Never write credentials into code, configuration or tests; read them from the "
               "environment or a secret store. If one is committed anyway, it is compromised:",
    "resilience": "Every call that leaves the process needs a timeout; every retry, a bound and a backoff.",
    "error-handling": "Never swallow an error: handle it, or log it with context and pass it on.",
    "observability": "Log through the service's logger with context; never log secrets or print to stdout.",
    "access-control": "Every route needs authentication and authorisation; never switch security checks off.",
    "performance": "Keep blocking calls, unbounded reads and per-item round trips off request paths.",
    "infrastructure": "Deploy with least privilege and safe defaults.",
    "supply-chain": "Add dependencies pinned, from trusted sources; never fetch or install code at runtime.",
    "cost": "Bound what a change can spend: batch or cache paid API calls, expire logs, cap scaling.",
    "maintainability": "Reuse the code that exists instead of copying it.",
}

_BREAK = re.compile(r"[.!?][\"')\]]*\s+")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "incl.")
_PAREN_METAVAR = re.compile(r"\s*\(\s*\"?\$[A-Z_][A-Z0-9_]*\"?\s*\)")
_METAVAR = re.compile(r"\$[A-Z_][A-Z0-9_]*(?:\.\$[A-Z_][A-Z0-9_]*)*")


# Semgrep language -> file name suffixes, to tell which rules can apply to a repository's files.
LANGUAGE_SUFFIXES = {
    "python": (".py", ".pyi"),
    "javascript": (".js", ".jsx", ".mjs", ".cjs"),
    "typescript": (".ts", ".tsx", ".mts", ".cts"),
    "go": (".go",),
    "java": (".java",),
    "hcl": (".tf", ".hcl"),
    "yaml": (".yml", ".yaml"),
    "json": (".json",),
}
ANY_FILE = frozenset({"generic", "regex"})
# Provider key formats are many rules with one instruction; the file lists them on one line.
KEY_FORMAT_INSTRUCTION = (
    "Never commit a credential in any file; read it from the environment or a secret store at run "
    "time. Why: whoever can read the repository, or its history, can use it, and a committed key has "
    "to be revoked at the provider."
)


@dataclass(frozen=True)
class RuleLine:
    rule_id: str
    concern: str
    severity: Severity
    languages: tuple[str, ...]
    do: str
    why: str
    include: tuple[str, ...] = ()
    """The rule's `paths.include` globs: it runs only on files that match one."""


@dataclass(frozen=True)
class Scope:
    """Which of the repository's files the listed rules were chosen for (None: all rules listed)."""

    ref: str
    languages: tuple[str, ...]
    left_out: int


def file_languages(path: str) -> set[str]:
    name = PurePosixPath(path).name
    found = {lang for lang, suffixes in LANGUAGE_SUFFIXES.items() if name.lower().endswith(suffixes)}
    if name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(".dockerfile") \
            or name == "Containerfile":
        found.add("dockerfile")
    return found


def applies_to(line: RuleLine, paths: Sequence[str], languages: set[str]) -> bool:
    """Could the rule report anything in a repository with these files?"""
    if not set(line.languages) & (languages | ANY_FILE):
        return False
    if line.include:
        return any(fnmatch.fnmatch(PurePosixPath(p).name, glob) or fnmatch.fnmatch(p, glob)
                   for p in paths for glob in line.include)
    return True


def scope_to_files(lines: Sequence[RuleLine], paths: Sequence[str], ref: str) -> tuple[list[RuleLine], Scope]:
    """Keep the rules that can apply to the repository's files, so the file stays short."""
    languages: set[str] = set()
    for p in paths:
        languages |= file_languages(p)
    kept = [line for line in lines if applies_to(line, paths, languages)]
    return kept, Scope(ref, tuple(sorted(languages)), len(lines) - len(kept))


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = _PAREN_METAVAR.sub("", text)
    return _METAVAR.sub("…", text)


def sentences(text: str) -> list[str]:
    """Split prose into sentences, not inside parentheses or after 'e.g.' and the like."""
    out: list[str] = []
    start = 0
    for m in _BREAK.finditer(text):
        head = text[start : m.start() + 1]
        before = text[: m.start()]
        inside = (before.count("(") > before.count(")") or before.count("{") > before.count("}")
                  or before.count("`") % 2 == 1)
        if inside or head.lower().endswith(_ABBREVIATIONS) or head.endswith(".."):  # "x=..." is code
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def instruction(message: str) -> tuple[str, str]:
    """A rule message ('what. why. fix.') -> (what to do, why)."""
    sentences_ = sentences(_clean(message))
    if not sentences_:
        return "", ""
    if len(sentences_) == 1:
        return sentences_[0], ""
    do = sentences_[-1]
    why = sentences_[1] if len(sentences_) >= 3 else sentences_[0]
    return do, why


def _rule_line(rule: Mapping[str, Any], policy: EffectivePolicy) -> RuleLine | None:
    rid = rule.get("id")
    meta = rule.get("metadata") if isinstance(rule.get("metadata"), dict) else {}
    concern = str((meta or {}).get("concern", ""))
    if not isinstance(rid, str) or concern not in CONCERNS or not policy.enabled(rid, concern):
        return None
    setting = policy.setting(rid, concern)
    try:
        severity = Severity.parse(str(setting.get("severity", rule.get("severity", "WARNING"))))
    except ValueError:
        severity = Severity.WARNING
    do, why = instruction(str(rule.get("message", "")))
    if not do:
        return None
    langs = rule.get("languages") if isinstance(rule.get("languages"), list) else []
    paths = rule.get("paths") if isinstance(rule.get("paths"), dict) else {}
    include = (paths or {}).get("include")
    globs = tuple(str(g) for g in include) if isinstance(include, list) else ()
    return RuleLine(rid, concern, severity, tuple(str(x) for x in langs or ()), do, why, globs)


def collect(
    policy: EffectivePolicy, rules_dir: Path, extra_rules: Mapping[str, str] | None = None
) -> list[RuleLine]:
    """The enabled rules (built-in, then the repository's own), one line each."""
    rules: list[Mapping[str, Any]] = [r for _, r in iter_rules(rules_dir)]
    if extra_rules and policy.extra_rules_enabled:
        good, _ = check_extra_rules(extra_rules)
        for text in good.values():
            doc = yaml.safe_load(text)
            rules += [r for r in doc["rules"] if isinstance(r, dict)]
    seen: set[str] = set()
    out: list[RuleLine] = []
    for rule in rules:
        line = _rule_line(rule, policy)
        if line is not None and line.rule_id not in seen:
            seen.add(line.rule_id)
            out.append(line)
    return out


def _lang(langs: Iterable[str]) -> str:
    shown = [x for x in langs if x not in ANY_FILE]
    return "/".join(shown) if shown else "any file"


def _is_key_format(line: RuleLine) -> bool:
    return line.concern == "secrets" and set(line.languages) <= ANY_FILE


def _gate_sentence(policy: EffectivePolicy) -> str:
    ai, human = policy.gate(True), policy.gate(False)

    def words(gate: Severity | None) -> str:
        return "findings are advisory" if gate is None else f"{gate.name} and above block the merge"

    return (f"For pull requests written by a coding agent, {words(ai)}; for other pull requests, "
            f"{words(human)}.")


def render(policy: EffectivePolicy, lines: list[RuleLine], fmt: str, scope: Scope | None = None) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    ai_gate = policy.gate(True)
    out: list[str] = []
    if fmt == "cursor-rules":
        out += ["---",
                "description: Production-readiness rules that prodready enforces on every pull request",
                "globs:", "alwaysApply: true", "---", ""]
    out += [
        "# Production readiness: what prodready checks",
        "",
        f"<!-- Generated by `prodready policy export --format {fmt}` (save as {TARGET_PATHS[fmt]}) from the "
        f"policy with sha256 {policy.sha256[:16]} ({', '.join(policy.sources)}). Regenerate it after "
        "changing .github/prodready.yml or the rules. -->",
        "",
        "Every pull request in this repository is reviewed by prodready for operational oversights. "
        + _gate_sentence(policy)
        + " Write code that meets the rules below from the start; each says what to do and why.",
        "",
    ]
    require = policy.require_reason_for(True)  # the reader is a coding agent
    out.append("- When a rule does not apply, keep the code and say so on the line or the line above: "
               "`prodready: ignore[rule-id] <reason>` in a comment"
               + (" (the reason is required; a bare suppression is itself reported)." if require else "."))
    ignored = policy.ignore_paths
    if ignored:
        out.append(f"- These paths are not reviewed: {', '.join(f'`{p}`' for p in ignored)}.")
    decorators = policy.names("auth_decorators")
    if decorators and policy.enabled("", "access-control"):
        out.append("- Protect every new HTTP route with this repository's own authentication: "
                   + ", ".join(f"`{d}`" for d in decorators)
                   + ". A route that uses none of them is reported as unauthenticated.")
    for list_name, names in sorted(policy.data["names"].items()):
        if list_name != "auth_decorators" and names:
            out.append(f"- `{list_name}` in this repository: {', '.join(f'`{n}`' for n in names)}.")
    if scope is not None and scope.left_out:
        found = ", ".join(scope.languages) or "no source files"
        out.append(f"- Listed: the rules for the files in this repository at {scope.ref[:12]} ({found}); "
                   f"{scope.left_out} rules for other languages and file kinds are left out. Regenerate "
                   "with `--languages all` to list every rule.")
    by_concern: dict[str, list[RuleLine]] = {}
    for line in lines:
        by_concern.setdefault(line.concern, []).append(line)
    for concern in CONCERNS:
        group = sorted(by_concern.get(concern, []), key=lambda r: (_lang(r.languages), r.rule_id))
        if not group:
            continue
        out += ["", f"## {CONCERN_TITLES[concern]}", "", CONCERN_INTROS[concern], ""]
        formats = [r for r in group if _is_key_format(r)]
        if len(formats) > 1:
            blocking = all(ai_gate is not None and r.severity >= ai_gate for r in formats)
            ids = ", ".join(f"`{r.rule_id}`" for r in formats)
            out.append(f"- Provider keys and tokens, {len(formats)} formats (any file"
                       + (", blocks merge" if blocking else "") + f"): {ids}. {KEY_FORMAT_INSTRUCTION}")
            group = [r for r in group if not _is_key_format(r)]
        for r in group:
            blocks = ai_gate is not None and r.severity >= ai_gate
            tag = _lang(r.languages) + (", blocks merge" if blocks else "")
            why = f" Why: {r.why}" if r.why else ""
            out.append(f"- `{r.rule_id}` ({tag}): {r.do}{why}")
    if require and policy.enabled(WITHOUT_REASON_RULE, "observability"):
        out += ["", "## Suppressions", "",
                "- Give every `prodready: ignore[...]` or `nosemgrep` comment a reason after the marker. "
                f"Why: an unexplained suppression hides a known risk from every later reader "
                f"(`{WITHOUT_REASON_RULE}`)."]
    return "\n".join(out) + "\n"


def export_instructions(
    policy: EffectivePolicy,
    rules_dir: Path,
    fmt: str,
    *,
    extra_rules: Mapping[str, str] | None = None,
    repo_files: Sequence[str] | None = None,
    ref: str = "",
) -> str:
    """The instruction file text for `fmt` (one of FORMATS); with repo_files, only the rules that can
    apply to those files."""
    lines = collect(policy, rules_dir, extra_rules)
    if repo_files is None:
        return render(policy, lines, fmt)
    kept, scope = scope_to_files(lines, repo_files, ref)
    return render(policy, kept, fmt, scope)
