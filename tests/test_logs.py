"""Structured logs: one JSON object per line, job context kept, secrets masked wherever they appear."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


def one_change(tmp: Path, name: str, text: str) -> tuple[Path, dict[str, str]]:
    """A repository whose branch `f` adds one file over `main`, and the environment to review it in a
    process of its own (a fresh interpreter: what is imported there is what the CLI imports)."""
    repo = tmp / "r"
    repo.mkdir()
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": os.environ["PATH"], "HOME": str(tmp),
           "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    for cmd in (["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "base"],
                ["checkout", "-q", "-b", "f"]):
        subprocess.run(["git", *cmd], cwd=repo, check=True, env=env)
    (repo / name).write_text(text)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "c"], cwd=repo, check=True, env=env)
    return repo, env


def test_a_review_that_logs_nothing_never_loads_structlog_or_the_idle_analyzers(tmp_path: Path) -> None:
    # `prodready review` must stay close to the bare Semgrep scan (bench/overhead.py): a logger, an HTTP
    # client and analyzers switched off are loaded only when used.
    repo, env = one_change(tmp_path, "app.py", "import requests\n\ndef f(u):\n    return requests.get(u)\n")
    probe = ("import sys\nfrom github_app.cli import main\n"
             "code = main(['review', '--repo', sys.argv[1], '--base', 'main', '--format', 'json',\n"
             "             '--fail-on', 'none'])\n"
             "heavy = ['structlog', 'httpx', 'stamina', 'prometheus_client', 'github_app.analyzers.clones',\n"
             "         'github_app.analyzers.dependencies', 'github_app.analyzers.removed_guards']\n"
             "print('LOADED', [m for m in heavy if m in sys.modules], code, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(repo)], capture_output=True, text=True, check=False,
                          env=env)
    assert '"py-requests-no-timeout"' in done.stdout or "py-requests-no-timeout" in done.stdout, done.stderr
    assert "LOADED [] 0" in done.stderr, done.stderr


def test_retry_warnings_of_an_unreachable_registry_stay_off_stdout(tmp_path: Path) -> None:
    # stamina logs its retries through structlog; with the logger deferred, an unconfigured structlog
    # printed them to stdout, in front of the review's JSON.
    repo, env = one_change(tmp_path, "requirements.txt", "requests==2.32.3\n")
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused at once
    urls = {f"PRODREADY_{s}_URL": closed for s in ("PYPI", "NPM", "GOPROXY", "MAVEN", "OSV")}
    done = subprocess.run([sys.executable, "-m", "github_app.cli", "review", "--repo", str(repo), "--base", "main",
                           "--format", "json", "--fail-on", "none"], capture_output=True, text=True, check=False,
                          env={**env, **urls, "PRODREADY_DATA_DIR": str(tmp_path / "data")}, timeout=120)
    data = json.loads(done.stdout)  # nothing but the report on stdout
    assert any("unreachable" in note for note in data["notes"]), data["notes"]
    assert "unreachable" in done.stderr
