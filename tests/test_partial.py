"""partial.judge_partial: a review cut short is never success; the policy decides the rest. Pure."""

from __future__ import annotations

import pytest

from github_app.findings import Severity
from github_app.partial import judge_partial
from github_app.policy import Layer, default_policy, load_policy
from github_app.scan import CAP, TIMEOUT, Skipped

CAPPED = [Skipped("big.json", "larger than 1000 kB", CAP)]
TIMED_OUT = [Skipped("slow.py", "timed out", TIMEOUT)]
NOT_PARTIAL = [Skipped("gone.py", "deleted by the change"), Skipped("vendor/x.py", "ignored by policy")]


@pytest.mark.parametrize(
    ("conclusion", "skipped", "errors", "unlisted", "expected"),
    [
        ("success", NOT_PARTIAL, [], 0, "success"),  # nothing was cut short
        ("success", CAPPED, [], 0, "neutral"),  # caps: judge, and never success
        ("failure", CAPPED, [], 0, "failure"),  # judged on what was scanned
        ("success", [], [], 5, "neutral"),  # GitHub listed only 3,000 files
        ("success", TIMED_OUT, [], 0, "failure"),  # timeouts: failure by default
        ("neutral", CAPPED + TIMED_OUT, [], 0, "failure"),  # the stricter of the two causes
        ("success", [], ["Rule parse error: x"], 0, "failure"),  # a scanner error
        ("skipped", TIMED_OUT, [], 0, "skipped"),  # not reviewed at all: not partial
    ],
)
def test_defaults(conclusion: str, skipped: list[Skipped], errors: list[str], unlisted: int, expected: str) -> None:
    got, note = judge_partial(conclusion, skipped=skipped, errors=errors, unlisted=unlisted,
                              policy=default_policy(), gate=Severity.WARNING)
    assert got == expected
    assert (note is None) == (expected == conclusion and conclusion in ("success", "skipped"))


@pytest.mark.parametrize(
    ("text", "conclusion", "expected"),
    [
        ("partial: {timeouts: neutral}\n", "failure", "neutral"),
        ("partial: {timeouts: judge}\n", "success", "neutral"),
        ("partial: {timeouts: judge}\n", "failure", "failure"),
    ],
)
def test_policy_decides_for_timeouts(text: str, conclusion: str, expected: str) -> None:
    got, note = judge_partial(conclusion, skipped=TIMED_OUT, errors=[], unlisted=0,
                              policy=load_policy([Layer("repo", text)]), gate=Severity.WARNING)
    assert got == expected
    assert note is not None and "1 file cut short by a timeout" in note and f"the check is {expected}" in note


def test_an_advisory_review_is_never_failed_by_a_timeout() -> None:
    got, note = judge_partial("neutral", skipped=TIMED_OUT, errors=[], unlisted=0, policy=default_policy(),
                              gate=None)
    assert got == "neutral" and note is not None
