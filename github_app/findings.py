"""The one finding type every step speaks, from the scanner to every renderer."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from enum import IntEnum

CONCERNS: tuple[str, ...] = (
    "secrets",
    "resilience",
    "error-handling",
    "observability",
    "access-control",
    "performance",
    "infrastructure",
    "supply-chain",
    "cost",
    "maintainability",
)


class Severity(IntEnum):
    """Ordered so that a gate can say "this severity or worse"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        # Semgrep also emits LOW/MEDIUM/HIGH/CRITICAL in newer rule formats; map them onto ours.
        aliases = {"LOW": "INFO", "MEDIUM": "WARNING", "HIGH": "ERROR", "CRITICAL": "ERROR",
                   "NOTE": "INFO", "WARN": "WARNING", "ERR": "ERROR"}
        key = text.strip().upper()
        key = aliases.get(key, key)
        try:
            return cls[key]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use ERROR, WARNING or INFO)") from None


@dataclass(frozen=True)
class Finding:
    rule_id: str
    concern: str
    severity: Severity
    path: str
    start_line: int
    end_line: int
    message: str
    code: str = ""
    start_col: int = 1
    end_col: int = 1
    fix: str | None = None
    """The full replacement text for lines start_line..end_line, when the rule has a safe fix."""
    confidence: str = "MEDIUM"
    references: tuple[str, ...] = ()
    blocking: bool = False
    suppressed_by: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule_id, self.path, self.code)

    def with_(self, **changes: object) -> Finding:
        return replace(self, **changes)  # type: ignore[arg-type]


_WS = re.compile(r"\s+")


def normalise_code(code: str) -> str:
    """Whitespace-insensitive, so a re-indent or a moved line keeps the same fingerprint."""
    return _WS.sub(" ", code).strip()


def fingerprint(rule_id: str, path: str, code: str) -> str:
    digest = hashlib.sha256(f"{rule_id}\0{path}\0{normalise_code(code)}".encode())
    return digest.hexdigest()[:20]


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (rule, path, lines): Semgrep can report the same match twice via pattern-either."""
    seen: set[tuple[str, str, int, int]] = set()
    out: list[Finding] = []
    for f in sorted(findings, key=sort_key):
        key = (f.rule_id, f.path, f.start_line, f.end_line)
        if key not in seen:
            seen.add(key)
            out.append(f)
    # One problem, one comment: a rule marked generic (a secret found by the name it is assigned to)
    # gives way to a more specific rule of the same concern on the same lines (the provider-key format).
    specific = [f for f in out if f.extra.get("generic") != "true"]
    return [f for f in out if f.extra.get("generic") != "true" or not any(
        o.path == f.path and o.concern == f.concern and o.start_line <= f.end_line and f.start_line <= o.end_line
        for o in specific)]


_TOKENISH = re.compile(r"[A-Za-z0-9_\-+/=.:@]{8,}")


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


def _is_name_in(token: str, code: str) -> bool:
    """The token is what the code assigns to (LEDGER_API_KEY = ..., password: ..., "api_key": ...),
    not the value: a message that names the variable is fine; one that repeats the value is not."""
    return bool(_NAME.fullmatch(token)) and re.search(
        rf"(?<![A-Za-z0-9_]){re.escape(token)}[\"']?\s*(?::|=(?!=))", code) is not None


def redact_secret(message: str, code: str) -> str:
    """Mask any credential-like token that a rule's message copied from the matched code.

    A PR comment or check summary that repeats a leaked key would leak it again, to everyone who
    can read the PR and to every notification e-mail.
    """

    def mask(m: re.Match[str]) -> str:
        token = m.group(0)
        # A sentence's own full stop or colon after the value is not part of it.
        core = token if token in code else token.rstrip(".,:;")
        if len(core) < 8 or core not in code or _is_name_in(core, code):
            return token
        return core[:4] + "…(redacted)" + token[len(core):]

    return _TOKENISH.sub(mask, message)


def sort_key(f: Finding) -> tuple[str, int, int, str]:
    return (f.path, f.start_line, -int(f.severity), f.rule_id)


ON_REMOVAL = "on_removal"
"""Finding.extra key set by analyzers that report what a change removed (analyzers/removed_guards.py): such a
finding belongs to the change even on an unchanged line (filtering.py)."""


def fold_removals(findings: list[Finding]) -> list[Finding]:
    """One problem, one comment: a removed guard (extra[ON_REMOVAL]) that a rule also reports on the same line
    and concern (the timeout the PR removed, which a rule sees missing) is told in that rule's finding,
    which keeps its severity and fix; the removal's own finding goes."""
    removals = [f for f in findings if f.extra.get(ON_REMOVAL)]
    if not removals:
        return findings
    out: list[Finding] = []
    folded: set[int] = set()
    for f in findings:
        if f.extra.get(ON_REMOVAL):
            continue
        same = [r for r in removals if r.path == f.path and r.concern == f.concern and r.start_line == f.start_line]
        for r in same:
            folded.add(id(r))
        out.append(f.with_(message=f"{f.message} {' '.join(r.message for r in same)}") if same else f)
    return out + [r for r in removals if id(r) not in folded]
