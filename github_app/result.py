"""What one review produced: the data every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from github_app.authorship import Authorship
from github_app.filtering import PREEXISTING, Placed
from github_app.findings import Finding, Severity
from github_app.policy import EffectivePolicy
from github_app.scan import Skipped
from github_app.suppressions import SuppressionSummary


@dataclass
class ReviewResult:
    placed: list[Placed]
    """Findings on the change, each with where an inline comment can go."""
    out_of_change: list[tuple[Finding, str]]
    skipped: list[Skipped]
    errors: list[str]
    authorship: Authorship
    policy: EffectivePolicy
    gate: Severity | None
    conclusion: str
    files_changed: int = 0
    files_scanned: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    """Sentences the summary must carry (policy changed by the PR, commits capped, ...)."""
    suppressions: SuppressionSummary = field(default_factory=SuppressionSummary)
    dismissed: list[Finding] = field(default_factory=list)
    """Findings dismissed from the PR with `/prodready ignore` (triage.py): not counted, still present."""

    @property
    def findings(self) -> list[Finding]:
        return [p.finding for p in self.placed]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def preexisting(self) -> int:
        """Findings on changed lines that the base version already had (filter: new)."""
        return sum(1 for _, reason in self.out_of_change if reason == PREEXISTING)

    @property
    def unchanged(self) -> int:
        return len(self.out_of_change) - self.preexisting
