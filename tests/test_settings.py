"""Settings from the environment: each bad setting is named; secrets never print."""

from __future__ import annotations

from pathlib import Path

import pytest

from github_app.sandbox import generate_app_key
from github_app.settings import ConfigError, Settings, from_env

KEY = generate_app_key()[0]
SECRET = "whsec-do-not-print-me"


def _env(**overrides: str) -> dict[str, str]:
    env = {"APP_ID": "1234", "PRIVATE_KEY": KEY, "WEBHOOK_SECRET": SECRET}
    env.update(overrides)
    return {k: v for k, v in env.items() if v != "<unset>"}


def test_a_complete_environment_loads() -> None:
    s = from_env(_env(LOG_LEVEL="debug", PRODREADY_DATA_DIR="/tmp/pr"))
    assert (s.app_id, s.log_level, s.private_key.get(), s.webhook_secret.get()) == (1234, "DEBUG", KEY.strip(), SECRET)
    assert s.queue_url == f"sqlite:///{Path('/tmp/pr') / 'queue.sqlite3'}"


@pytest.mark.parametrize(("env", "name"), [
    (_env(APP_ID="<unset>"), "APP_ID"),
    (_env(APP_ID="twelve"), "APP_ID"),
    (_env(PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----"), "PRIVATE_KEY"),
    (_env(PRIVATE_KEY="<unset>"), "PRIVATE_KEY"),
    (_env(LOG_LEVEL="LOUD"), "LOG_LEVEL"),
    (_env(WEBHOOK_SECRET="<unset>"), "WEBHOOK_SECRET"),
    (_env(PRODREADY_SEMGREP_ENGINE="fast"), "PRODREADY_SEMGREP_ENGINE"),
    (_env(PRODREADY_SEMGREP_JOBS="0"), "PRODREADY_SEMGREP_JOBS"),
    (_env(PRODREADY_SEMGREP_JOBS="two"), "PRODREADY_SEMGREP_JOBS"),
    (_env(GITHUB_API_VERSION="latest"), "GITHUB_API_VERSION"),
], ids=["missing-app-id", "bad-app-id", "malformed-private-key", "missing-private-key", "bad-log-level",
        "missing-webhook-secret", "bad-semgrep-engine", "zero-semgrep-jobs", "bad-semgrep-jobs", "bad-api-version"])
def test_bad_setting_raises_config_error_naming_it(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigError, match=name) as info:
        from_env(env)
    assert SECRET not in str(info.value) and "not a key" not in str(info.value)


def test_private_key_path_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PRIVATE_KEY_PATH"):
        from_env(_env(PRIVATE_KEY="<unset>", PRIVATE_KEY_PATH=str(tmp_path / "missing.pem")))


def test_secrets_never_appear_in_repr_or_str() -> None:
    s = from_env(_env())
    assert isinstance(s, Settings)
    body = KEY.split("-----")[2].strip().splitlines()[1]
    for text in (repr(s), str(s), repr(s.private_key), str(s.webhook_secret), f"{s}"):
        assert SECRET not in text
        assert body not in text and "PRIVATE KEY" not in text


@pytest.mark.parametrize(("env", "version"), [
    (_env(), ""),  # api.github.com: githubkit's own version
    (_env(GITHUB_API_URL="https://ghe.acme.internal/api/v3"), "2022-11-28"),  # GHES
    (_env(GITHUB_API_URL="https://ghe.acme.internal/api/v3", GITHUB_API_VERSION="2026-03-10"), "2026-03-10"),
])
def test_api_version_defaults_to_one_every_ghes_knows(env: dict[str, str], version: str) -> None:
    assert from_env(env).github_api_version == version


def test_lease_and_shutdown_grace_are_settable_and_checked() -> None:
    s = from_env(_env())
    assert (s.lease_s, s.shutdown_s) == (30.0, 20.0)
    s = from_env(_env(PRODREADY_LEASE_S="5", PRODREADY_SHUTDOWN_S="3"))
    assert (s.lease_s, s.shutdown_s) == (5.0, 3.0)
    for name, bad in (("PRODREADY_LEASE_S", "1"), ("PRODREADY_LEASE_S", "soon"), ("PRODREADY_SHUTDOWN_S", "-1")):
        with pytest.raises(ConfigError, match=name):
            from_env(_env(**{name: bad}))


def test_githubs_limits_and_mutation_spacing_are_settable_for_servers_that_differ() -> None:
    s = from_env(_env())
    assert (s.writes_per_minute, s.writes_per_hour, s.reads_per_hour, s.mutation_interval_s) == (80, 500, 5000, 1.0)
    s = from_env(_env(PRODREADY_WRITES_PER_MINUTE="0", PRODREADY_WRITES_PER_HOUR="0", PRODREADY_READS_PER_HOUR="15000",
                      PRODREADY_MUTATION_INTERVAL_MS="250"))
    assert (s.writes_per_minute, s.writes_per_hour, s.reads_per_hour, s.mutation_interval_s) == (0, 0, 15000, 0.25)
    for name, bad in (("PRODREADY_WRITES_PER_MINUTE", "-1"), ("PRODREADY_READS_PER_HOUR", "lots"),
                      ("PRODREADY_MUTATION_INTERVAL_MS", "90000")):
        with pytest.raises(ConfigError, match=name):
            from_env(_env(**{name: bad}))


def test_the_mutation_spacing_setting_reaches_the_github_client() -> None:
    from github_app.pipeline import Deps

    deps = Deps.from_settings(from_env(_env(PRODREADY_MUTATION_INTERVAL_MS="250")))
    assert deps.app.pacer.interval_s == 0.25
