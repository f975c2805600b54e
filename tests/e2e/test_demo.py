"""`prodready demo`, the Quick start's first command, end to end: sandbox, App, AI-authored PR, review."""

from __future__ import annotations

import io
import re

import pytest

from github_app.demo import run_demo


@pytest.mark.slow
def test_demo_shows_the_review_as_a_reader_on_github_would_see_it(reset_logs: None) -> None:
    out = io.StringIO()
    assert run_demo(out) == 0  # it configures console logging for the user
    text = out.getvalue()
    assert "acme/payments-service  pull request #1: Add refunds endpoint" in text
    # Inline comments under the lines they are about, for the oversights the sample PR makes.
    for rule in ("secret-stripe-live-key", "py-requests-no-timeout", "py-retry-loop-unbounded", "py-except-pass",
                 "py-flask-route-no-auth", "docker-curl-pipe-shell", "deps-known-vulnerability",
                 "deps-no-such-package"):
        assert f"`{rule}`" in text, rule
    assert re.search(r"── app/refunds\.py ─+\n(?:.*\n)*?\s+\d+ │ .*requests\.post\(", text)
    # A safe fix is offered as a suggestion block, unwrapped, with the rest of the call kept.
    assert re.search(r"```suggestion\n +resp = requests\.post\(.*, timeout=\(3\.05, 30\)\)\n +```", text)
    # The PR's requirements.txt pins a PyYAML with a known advisory and adds a package that does not exist.
    assert re.search(r"── requirements\.txt ─+\n(?:.*\n)*?\s+4 │ PyYAML==5\.3\n", text)
    assert "GHSA-8q59-q68h-6hv4" in text and re.search(r"```suggestion\n +PyYAML==5\.4\n +```", text)
    assert "`stripe-refunds-sdk`: no such package on PyPI" in text
    assert "Check run `prodready`: completed, conclusion: FAILURE" in text
    assert "Authorship: AI-authored (Claude Code)" in text
    # The comment names the leaked key without repeating it.
    comment = text.split("`secret-stripe-live-key`", 1)[1].split("References:", 1)[0]
    assert "(sk_l…(redacted))" in comment and "sk_live_51Qx7" not in comment
    assert re.search(r"\n(\d+) inline comments; the `prodready` check concluded failure", text)
