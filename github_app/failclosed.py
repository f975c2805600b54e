"""What the check says when a review could not be done: retrying, or given up. Pure.

prodready is a required check, so a review that failed must neither pass the PR nor leave it hanging:
while the job is retried the run stays in progress and says when the next try is; once the retries
are used up it completes with the policy's `on_error` (failure by default) and a Re-run button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from github_app.render import clip_bytes

# GitHub limits the button: label <= 20, description <= 40, identifier <= 20 characters (facts §5).
RERUN_IDENTIFIER = "rerun"
RERUN_ACTION = {"label": "Re-run", "description": "Review this head again", "identifier": RERUN_IDENTIFIER}
# GitHub's own Re-run buttons: GitHub models these as a new run on the head (github-api-facts.md §5).
GITHUB_RERUNS = frozenset({"check_run.rerequested", "check_suite.rerequested"})


@dataclass(frozen=True)
class Attempt:
    """Which try of a job this is, as the worker's queue counts them."""

    number: int = 1
    max_attempts: int = 1
    backoff_s: float = 0.0
    """How long the worker waits before the next try after an ordinary failure."""

    @property
    def final(self) -> bool:
        return self.number >= self.max_attempts


def _clock(at: datetime) -> str:
    return at.strftime("%H:%M:%S UTC")


def retrying_output(error: str, attempt: Attempt, *, retry_in_s: float, now: datetime) -> dict[str, Any]:
    """The in-progress run's output between two tries."""
    at = now + timedelta(seconds=retry_in_s)
    summary = (
        f"Attempt {attempt.number} of {attempt.max_attempts} failed at {_clock(now)}: {error}\n\n"
        f"prodready will try again at about {_clock(at)} (in {round(retry_in_s):,} s). Nothing has been "
        "judged yet, so this check stays in progress until a review completes."
    )
    return {"title": f"Review failed; retrying at {_clock(at)}", "summary": clip_bytes(summary)}


def given_up_output(error: str, attempt: Attempt, *, on_error: str, permanent: bool = False) -> dict[str, Any]:
    """The completed run's output when no review could be done."""
    tries = "" if permanent else f" after {attempt.number} attempt{'s' * (attempt.number != 1)}"
    verdict = ("The check fails because nothing was reviewed (policy on_error: failure)." if on_error == "failure"
               else "The check is neutral because policy on_error is neutral: it does not block, but nothing "
                    "was reviewed.")
    summary = (
        f"prodready could not review this head{tries}: {error}\n\n"
        f"Nothing was judged: no file of this change was checked. {verdict}\n\n"
        "Press **Re-run** to try again once the cause is fixed."
    )
    return {"title": "Review could not be done; nothing was judged", "summary": clip_bytes(summary)}


def wants_new_run(reason: str, attempt: Attempt, latest_status: str | None) -> bool:
    """GitHub's own Re-run asks for a new run; everything else (retries, redeliveries, our Re-run
    button, a new event for the same head) updates the run already on the head, whatever its state."""
    if latest_status is None:
        return True
    # Only the first try of a Re-run job makes the new run; its retries find and reuse that one.
    return reason in GITHUB_RERUNS and attempt.number == 1 and latest_status == "completed"


def now_utc() -> datetime:
    return datetime.now(UTC)
