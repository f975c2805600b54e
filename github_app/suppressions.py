"""Inline suppressions and policy exemptions. Pure: callers pass file texts and the parsed diff in.

Two comment forms silence a finding, on any line of the finding's statement or on comment lines just
above it (above its decorators, too):

    resp = requests.get(url)  # prodready: ignore[py-requests-no-timeout] the SDK's session sets one
    # nosemgrep: py-requests-no-timeout -- the SDK's session sets one

`ignore[a, b]` names several rules; `nosemgrep` without ids silences every rule on that statement.
Semgrep is run with --disable-nosem so that prodready sees (and counts) what `nosemgrep` silences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from github_app.diff import FileDiff
from github_app.findings import Finding, Severity
from github_app.policy import EffectivePolicy

WITHOUT_REASON_RULE = "prodready-suppression-without-reason"
# Observability: the harm of an unexplained suppression is lost visibility. The known risk stops being
# reported, and the next reader, reviewer or auditor cannot tell a considered exception from a
# silenced warning. Nothing about the program's error paths changes, so error-handling would mislead.
WITHOUT_REASON_CONCERN = "observability"

# A finding longer than this is a block (a whole function or class), not a statement: a suppression
# deep inside it is about something else, so only its first HEAD_LINES lines (decorators, signature)
# and the comment lines above it count.
MAX_STATEMENT_LINES = 20
HEAD_LINES = 5

_LEADER = re.compile(r"(?:#|//|/\*|<!--|--|;|^\s*\*)")
_PRODREADY = re.compile(r"\bprodready\s*:\s*ignore\s*\[(?P<ids>[^\]]*)\](?P<rest>.*)$", re.I)
_NOSEM = re.compile(r"\bnosem(?:grep)?\b(?:\s*:\s*(?P<ids>[\w.\-/]+(?:\s*,\s*[\w.\-/]+)*))?(?P<rest>.*)$",
                    re.I)
_CLOSERS = re.compile(r"\s*(?:\*/|-->)\s*$")
_DECORATOR = re.compile(r"^\s*@")


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int
    kind: str
    """'prodready' or 'nosemgrep'."""
    rule_ids: tuple[str, ...]
    """The rules it names; empty: every rule (bare nosemgrep)."""
    reason: str
    standalone: bool
    """The comment is the whole line, so it can apply to the statement below it."""
    text: str

    def covers(self, rule_id: str) -> bool:
        if not self.rule_ids:
            return True
        # Semgrep users write ids qualified by the config path (rules.resilience.python.x): compare the tail.
        return any(r.rsplit(".", 1)[-1].lower() == rule_id.lower() for r in self.rule_ids)

    @property
    def has_reason(self) -> bool:
        return re.search(r"[^\W\d_]{2,}", self.reason) is not None

    @property
    def label(self) -> str:
        ids = ", ".join(self.rule_ids)
        marker = f"prodready: ignore[{ids}]" if self.kind == "prodready" else (
            f"nosemgrep: {ids}" if ids else "nosemgrep")
        return marker + (f" {self.reason}" if self.reason else "")


@dataclass(frozen=True)
class SuppressionSummary:
    suppressed: tuple[Finding, ...] = ()
    """Findings in the scanned files silenced by a suppression comment."""
    exempted: tuple[Finding, ...] = ()
    """Findings exempted by policy (a rule's exempt_if_uses names, e.g. the repo's auth decorators)."""
    added: tuple[Suppression, ...] = ()
    """Suppression comments on lines this change added or modified."""
    without_reason: int = 0
    """Suppressions that give no reason while policy requires one (each is also a finding)."""

    def as_json(self) -> dict[str, object]:
        return {
            "suppressed": len(self.suppressed),
            "exempted": len(self.exempted),
            "added": len(self.added),
            "without_reason": self.without_reason,
            "findings": [{"rule_id": f.rule_id, "path": f.path, "start_line": f.start_line,
                          "by": f.suppressed_by} for f in (*self.suppressed, *self.exempted)],
            "added_comments": [{"path": s.path, "line": s.line, "rules": list(s.rule_ids),
                                "reason": s.reason} for s in self.added],
        }

    def sentence(self) -> str | None:
        """One line for the summary, or None when there is nothing to say."""
        if not (self.suppressed or self.exempted or self.added):
            return None
        parts = [f"this change adds {len(self.added)} suppression comment{'s' * (len(self.added) != 1)}"]
        parts.append(f"{len(self.suppressed)} finding{'s' * (len(self.suppressed) != 1)} in the changed "
                     "files suppressed inline")
        if self.exempted:
            parts.append(f"{len(self.exempted)} exempted by policy names")
        if self.without_reason:
            parts.append(f"{self.without_reason} without the reason policy requires")
        return "Suppressions: " + "; ".join(parts)


def _clean_reason(rest: str) -> str:
    rest = _CLOSERS.sub("", rest)
    return rest.strip().lstrip("-\u2013\u2014:;,.").strip()


def _ids(raw: str | None) -> tuple[str, ...]:
    return tuple(x for x in (p.strip() for p in (raw or "").split(",")) if x)


def parse_line(path: str, number: int, line: str) -> Suppression | None:
    """The suppression comment on this line, if any (a marker inside a string literal does not count)."""
    for kind, regex in (("prodready", _PRODREADY), ("nosemgrep", _NOSEM)):
        m = regex.search(line)
        if m is None or not _LEADER.search(line[: m.start()]):
            continue
        standalone = _LEADER.match(line.lstrip()) is not None
        return Suppression(path=path, line=number, kind=kind, rule_ids=_ids(m.group("ids")),
                           reason=_clean_reason(m.group("rest")), standalone=standalone, text=line.strip())
    return None


def find_suppressions(path: str, text: str) -> list[Suppression]:
    out: list[Suppression] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = parse_line(path, number, line)
        if found is not None:
            out.append(found)
    return out


def _lines_covering(f: Finding, lines: Sequence[str], by_line: Mapping[int, Suppression]) -> list[int]:
    """Lines whose suppression comment applies to this finding, nearest first."""
    span = f.end_line - f.start_line + 1
    last = f.end_line if span <= MAX_STATEMENT_LINES else f.start_line + HEAD_LINES - 1
    candidates = list(range(f.start_line, last + 1))
    # Above the first line: skip decorators/annotations, then every stacked comment-only suppression.
    n = f.start_line - 1
    while n >= 1 and n <= len(lines) and _DECORATOR.match(lines[n - 1]):
        candidates.append(n)
        n -= 1
    while n >= 1 and n in by_line and by_line[n].standalone:
        candidates.append(n)
        n -= 1
    return candidates


def _uses(names: Iterable[str], code: str) -> str | None:
    for name in names:
        if re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", code):
            return name
    return None


def _context(f: Finding, lines: Sequence[str]) -> str:
    """The finding's lines and the decorators/annotations right above it."""
    first = f.start_line
    while first > 1 and first - 2 < len(lines) and _DECORATOR.match(lines[first - 2]):
        first -= 1
    return "\n".join(lines[first - 1 : f.end_line]) or f.code


def _suppressed_by(f: Finding, lines: Sequence[str], here: Mapping[int, Suppression],
                   policy: EffectivePolicy) -> str | None:
    for n in _lines_covering(f, lines, here):
        if n in here and here[n].covers(f.rule_id):
            return f"{here[n].label} (line {n})"
    for list_name, names in policy.exemptions(f.rule_id, f.concern).items():
        used = _uses(names, _context(f, lines))
        if used:
            return f"policy names.{list_name} ({used})"
    return None


def without_reason_finding(s: Suppression, line_text: str) -> Finding:
    return Finding(
        rule_id=WITHOUT_REASON_RULE,
        concern=WITHOUT_REASON_CONCERN,
        severity=Severity.WARNING,
        path=s.path,
        start_line=s.line,
        end_line=s.line,
        message=(f"This suppression (`{s.label}`) gives no reason, and policy (suppressions.require_reason) "
                 "requires one. Without it, the next reader or reviewer cannot tell a considered "
                 "exception from a silenced warning, and the known risk stops being visible. Say why "
                 "the code is safe after the marker, e.g. `prodready: ignore[rule-id] the client sets "
                 "a default timeout`."),
        code=line_text,
        confidence="HIGH",
    )


def apply_suppressions(
    findings: Iterable[Finding],
    sources: Mapping[str, str],
    diffs: Mapping[str, FileDiff],
    policy: EffectivePolicy,
    *,
    ai: bool = False,
) -> tuple[list[Finding], SuppressionSummary]:
    """-> (every finding, suppressed or exempt ones marked with `suppressed_by`, plus one finding per
    suppression that lacks a required reason; the counts for the summary).

    Callers report the findings whose `suppressed_by` is None; the summary counts the rest."""
    require_reason = policy.require_reason_for(ai)
    lines_of = {path: text.splitlines() for path, text in sources.items()}
    sups = {path: find_suppressions(path, text) for path, text in sources.items()}
    by_line = {path: {s.line: s for s in found} for path, found in sups.items()}
    out: list[Finding] = []
    suppressed: list[Finding] = []
    exempted: list[Finding] = []
    for f in findings:
        by = _suppressed_by(f, lines_of.get(f.path, []), by_line.get(f.path, {}), policy)
        if by is None:
            out.append(f)
            continue
        marked = f.with_(suppressed_by=by)
        (exempted if by.startswith("policy ") else suppressed).append(marked)
        out.append(marked)
    added: list[Suppression] = []
    missing = 0
    for path, found in sorted(sups.items()):
        fd = diffs.get(path)
        for s in found:
            if fd is not None and s.line in fd.added_lines:
                added.append(s)
            if require_reason and not s.has_reason:
                missing += 1
                out.append(without_reason_finding(s, lines_of[path][s.line - 1]))
    summary = SuppressionSummary(suppressed=tuple(suppressed), exempted=tuple(exempted), added=tuple(added),
                                 without_reason=missing)
    return out, summary
