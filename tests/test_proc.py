"""proc: the one place subprocesses start. Real child processes, no mocks."""

from __future__ import annotations

import sys

import pytest

from github_app import proc

PRINT_ENV = [sys.executable, "-c", "import json, os; print(json.dumps(dict(os.environ)))"]


def _child_env(**extra: str) -> dict[str, str]:
    import json

    got: dict[str, str] = json.loads(proc.run(PRINT_ENV, timeout=30, env=extra or None).text)
    return got


def test_a_child_gets_no_secrets_only_the_allow_list(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WEBHOOK_SECRET", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "GITHUB_TOKEN", "SEMGREP_APP_TOKEN",
                 "GIT_CONFIG_COUNT", "GIT_ASKPASS", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "s3cr3t-value")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("GIT_INDEX_FILE", "/tmp/index")
    monkeypatch.setenv("SEMGREP_SETTINGS_FILE", "/tmp/settings.yml")

    env = _child_env(SEMGREP_SEND_METRICS="off")

    assert "s3cr3t-value" not in env.values()
    assert env["PATH"] and env["LC_ALL"] == "C.UTF-8"
    assert env["GIT_INDEX_FILE"] == "/tmp/index" and env["SEMGREP_SETTINGS_FILE"] == "/tmp/settings.yml"
    assert env["SEMGREP_SEND_METRICS"] == "off", "what the caller passes explicitly is kept"
    allowed = proc.ENV_ALLOW | proc.GIT_ALLOW | proc.SEMGREP_ALLOW | {"SEMGREP_SEND_METRICS"}
    # The interpreter may add a few of its own (e.g. LC_CTYPE coercion); nothing else gets through.
    assert {k for k in env if k not in allowed and not k.startswith("LC_")} <= {"PYTHONCOERCECLOCALE"}


def test_git_runs_with_the_minimal_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cr3t-value")
    done = proc.git("var", "GIT_EDITOR", cwd=str(tmp_path), check=False)
    assert done.returncode in (0, 128)  # git started, with PATH from the allow-list
    env = proc.minimal_env({"WEBHOOK_SECRET": "x", "PATH": "/bin", "LC_MESSAGES": "C"})
    assert env == {"PATH": "/bin", "LC_MESSAGES": "C"}


def test_a_timeout_is_its_own_error() -> None:
    with pytest.raises(proc.ProcTimeout, match=r"timed out after 0\.5s"):
        proc.run([sys.executable, "-c", "import time; time.sleep(5)"], timeout=0.5)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux only")
def test_the_memory_limit_stops_a_child_that_allocates_too_much() -> None:
    grab = [sys.executable, "-c", "b = bytearray(800 * 1024 * 1024); print('allocated')"]
    assert proc.run(grab, timeout=30).text.strip() == "allocated"
    limited = proc.run(grab, timeout=30, check=False, max_memory_bytes=400 * 1024 * 1024)
    assert limited.returncode != 0 and "MemoryError" in limited.err_text
