"""Structured logs: one JSON object per line, job context kept, secrets masked wherever they appear."""

from __future__ import annotations

import json

import pytest

from github_app import logs

TOKEN = "ghs_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
PAT = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiI0MiIsImV4cCI6MX0.c2lnbmF0dXJlLXZhbHVl"


def lines(err: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in err.splitlines() if line.strip()]


def test_json_lines_carry_the_bound_job_context(capsys: pytest.CaptureFixture[str], reset_logs: None) -> None:
    logs.configure("INFO", "json")
    log = logs.get().bind(delivery="d-1", repo="acme/api", pr=7, head_sha="abc123")
    log.info("review.started", check_run=5)
    log.debug("hidden at INFO")
    [line] = lines(capsys.readouterr().err)
    assert line["event"] == "review.started" and line["level"] == "info"
    assert (line["delivery"], line["repo"], line["pr"], line["head_sha"], line["check_run"]) == (
        "d-1", "acme/api", 7, "abc123", 5)


def test_secrets_are_masked_by_key_and_by_shape(capsys: pytest.CaptureFixture[str], reset_logs: None) -> None:
    logs.configure("DEBUG", "json")
    log = logs.get()
    log.info("auth", token=TOKEN, password="hunter2", Authorization=f"Bearer {JWT}")
    log.warning("github.error", error=f"401 for token {TOKEN} and {PAT}; jwt {JWT}")
    try:
        raise RuntimeError(f"request failed with {TOKEN}")
    except RuntimeError:
        log.error("job.failed", exc_info=True)
    err = capsys.readouterr().err
    for secret in (TOKEN, PAT, JWT, "hunter2"):
        assert secret not in err
    auth, error, failed = lines(err)
    assert auth["token"] == auth["password"] == auth["Authorization"] == "********"
    assert error["error"] == "401 for token ******** and ********; jwt ********"
    assert "RuntimeError: request failed with ********" in str(failed["exception"])
