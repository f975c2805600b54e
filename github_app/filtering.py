"""Findings x diff -> in or out, by mode. Nothing is dropped silently: every 'out' carries its reason."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from github_app.diff import FileDiff
from github_app.findings import ON_REMOVAL, Finding, dedupe, normalise_code

# A finding is "on the change" when one of its first lines is. A rule that matches a whole function
# (a route with no auth) should fire when the function is added, not when one line deep inside an
# old function is edited; a call spread over a few lines should fire when any of its lines changes.
HEAD_LINES = 5


class FilterMode(StrEnum):
    NEW = "new"
    """On added or modified lines, and not already in the base version (see split_preexisting)."""
    ADDED = "added"
    DIFF_CONTEXT = "diff_context"
    FILE = "file"
    NOFILTER = "nofilter"


@dataclass(frozen=True)
class Placed:
    finding: Finding
    anchor: int | None
    """A head-side line GitHub accepts an inline comment on, or None (then: summary only)."""
    anchor_start: int | None = None
    """First line of a multi-line comment, when the whole finding sits inside one hunk."""


@dataclass(frozen=True)
class FilterResult:
    kept: list[Placed] = field(default_factory=list)
    out: list[tuple[Finding, str]] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [p.finding for p in self.kept]


def _head(f: Finding) -> range:
    return range(f.start_line, min(f.end_line, f.start_line + HEAD_LINES - 1) + 1)


def anchor_for(f: Finding, fd: FileDiff) -> tuple[int | None, int | None]:
    """Where an inline comment on this finding can go: (line, start_line or None)."""
    if f.start_line < f.end_line and fd.same_hunk(f.start_line, f.end_line):
        return f.end_line, f.start_line
    for line in _head(f):
        if line in fd.added_lines:
            return line, None
    for line in range(f.start_line, f.end_line + 1):
        if line in fd.commentable_lines:
            return line, None
    return None, None


def filter_findings(
    findings: Iterable[Finding], diffs: Mapping[str, FileDiff], mode: FilterMode = FilterMode.ADDED
) -> FilterResult:
    result = FilterResult()
    for f in dedupe(list(findings)):
        fd = diffs.get(f.path)
        if fd is None:
            if mode is FilterMode.NOFILTER:
                result.kept.append(Placed(f, None))
            else:
                result.out.append((f, "file not in the change"))
            continue
        head = _head(f)
        if f.extra.get(ON_REMOVAL) and mode is not FilterMode.NOFILTER:
            # About what the change removed (analyzers/removed_guards.py): on the change wherever it sits,
            # inline when a line of it is in a hunk, else in the summary.
            line, start = anchor_for(f, fd)
            result.kept.append(Placed(f, line, start))
            continue
        if mode in (FilterMode.ADDED, FilterMode.NEW):
            inside = any(line in fd.added_lines for line in head)
            reason = "on a line the change did not add or modify"
        elif mode is FilterMode.DIFF_CONTEXT:
            inside = any(line in fd.commentable_lines for line in head)
            reason = "outside the diff's hunks"
        else:
            inside, reason = True, ""
        if not inside:
            result.out.append((f, reason))
            continue
        line, start = anchor_for(f, fd)
        result.kept.append(Placed(f, line, start))
    return result


PREEXISTING = "already there before this change"


def preexisting_key(f: Finding) -> tuple[str, str]:
    """A finding is "the same" in base and head when its rule and normalised code are (lines move)."""
    return f.rule_id, normalise_code(f.code)


def split_preexisting(kept: Iterable[Placed], base: Mapping[str, set[tuple[str, str]]]) -> FilterResult:
    """Kept findings whose rule and code the base version of their file already had move out."""
    result = FilterResult()
    for p in kept:
        if preexisting_key(p.finding) in base.get(p.finding.path, set()):
            result.out.append((p.finding, PREEXISTING))
        else:
            result.kept.append(p)
    return result
