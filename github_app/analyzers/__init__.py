"""The analyzer seam (design.md, "Analyzers"): each analyzer takes the change, returns findings.

The Semgrep scan runs inside review.py; every other analyzer (dependencies now; removed guards,
clones and settings later) implements `Analyzer` and is passed to `review_change`, so the filter,
gate, renderers and posting treat all their findings alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from github_app import logs
from github_app.diff import FileDiff
from github_app.findings import Finding
from github_app.policy import EffectivePolicy
from github_app.repotree import RepoTree
from github_app.scan import Skipped

FileReader = Callable[[Sequence[str]], Mapping[str, bytes | None]]
"""Returns the bytes of the given paths at one side of the change (None: absent there)."""


def _absent(paths: Sequence[str]) -> Mapping[str, bytes | None]:
    return dict.fromkeys(paths)


@dataclass(frozen=True)
class ChangeView:
    """What an analyzer sees: the parsed diff, both sides' contents, and the policy in force."""

    diffs: Mapping[str, FileDiff]
    targets: tuple[str, ...]
    """Head paths with added lines that are safe to read and not ignored by policy."""
    read_head: FileReader
    read_base: FileReader = _absent
    policy: EffectivePolicy | None = None
    base_tree: RepoTree | None = None
    head_tree: RepoTree | None = None
    """Every file of each side (repotree.py), for analyzers that look past the diff; None: not available.
    Reading one may raise TreeUnavailable, which the analyzer reports as a note."""


    def section(self, key: str) -> dict[str, Any]:
        """The analyzer's own policy section (`dependencies`, `clones`, ...); {} without a policy."""
        data = self.policy.data.get(key) if self.policy is not None else None
        return dict(data) if isinstance(data, Mapping) else {}


@dataclass
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Sentences for the summary: what could not be checked and why, counts of what was left out."""

    def extend(self, other: Analysis) -> None:
        self.findings += other.findings
        self.skipped += other.skipped
        self.errors += other.errors
        self.notes += other.notes


class Analyzer(Protocol):
    name: str

    def analyze(self, change: ChangeView) -> Analysis: ...


def run_analyzers(analyzers: Sequence[Analyzer], change: ChangeView) -> Analysis:
    """Run each analyzer; one that fails is reported as an error and the others still run."""
    total = Analysis()
    for analyzer in analyzers:
        try:
            total.extend(analyzer.analyze(change))
        except Exception as exc:  # noqa: BLE001 -- an analyzer bug must not sink the whole review; it is reported
            logs.get().error("analyzer.failed", analyzer=analyzer.name, error=str(exc), exc_info=True)
            total.errors.append(f"{analyzer.name} analyzer failed: {type(exc).__name__}: {exc}")
    return total
