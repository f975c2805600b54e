"""A review cut short is never success: what the policy's `partial` makes of it. Pure.

Two causes, each with its own policy default: a cap (a file over the size limit, beyond GitHub's file
listing, sent without a patch, partly unparsable) is deterministic and known, so by default the review
is judged on what was scanned; a timeout, the memory limit or a scanner error can hide anything, so
by default the check fails.
"""

from __future__ import annotations

from collections.abc import Sequence

from github_app.findings import Severity
from github_app.policy import EffectivePolicy
from github_app.scan import CAP, TIMEOUT, Skipped

_STRICTNESS = {"judge": 0, "neutral": 1, "failure": 2}


def judge_partial(
    conclusion: str,
    *,
    skipped: Sequence[Skipped],
    errors: Sequence[str],
    unlisted: int,
    policy: EffectivePolicy,
    gate: Severity | None,
) -> tuple[str, str | None]:
    """-> (the conclusion, a sentence for the summary when the review was partial)."""
    timeouts = len({s.path for s in skipped if s.kind == TIMEOUT}) + (1 if errors else 0)
    caps = len({s.path for s in skipped if s.kind == CAP}) + unlisted
    if conclusion == "skipped" or not (timeouts or caps):
        return conclusion, None
    kinds = [k for k, n in (("timeouts", timeouts), ("caps", caps)) if n]
    kind = max(kinds, key=lambda k: _STRICTNESS[policy.partial(k)])
    mode = policy.partial(kind)
    if mode == "failure":
        verdict = "failure"
    elif mode == "neutral":
        verdict = "neutral"
    else:
        verdict = "neutral" if conclusion == "success" else conclusion
    if gate is None and verdict == "failure":
        verdict = "neutral"  # an advisory review (gate: none) never blocks, however partial
    parts = []
    if timeouts:
        what = f"{timeouts:,} file{'s' * (timeouts != 1)}" if timeouts - bool(errors) else "the scan"
        parts.append(f"{what} cut short by a timeout, the memory limit or a scanner error")
    if caps:
        parts.append(f"{caps:,} file{'s' * (caps != 1)} left out by a limit")
    note = (f"This review is partial ({'; '.join(parts)}; listed below), so it is never success: policy "
            f"partial.{kind} is {mode}, and the check is {verdict}.")
    return verdict, note
