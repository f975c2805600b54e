"""Environment -> one frozen Settings, read once at start-up. Secrets never reach a repr or a log."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from github_app.datasources import SourceConfig, SourceConfigError


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it and never echoes a secret."""


class Secret:
    """A string that will not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# The REST API version every GitHub Enterprise Server release knows (docs.github.com, "API Versions");
# githubkit's own default (2026-03-10) is newer than most GHES servers, which answer 400 to it.
GHES_API_VERSION = "2022-11-28"
PUBLIC_API_HOST = "api.github.com"


@dataclass(frozen=True)
class Settings:
    app_id: int
    private_key: Secret
    webhook_secret: Secret
    github_api_url: str = "https://api.github.com"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_format: str = "json"
    data_dir: Path = field(default_factory=lambda: Path(".prodready-data"))
    queue_url: str = ""
    app_slug: str = "prodready"
    github_api_version: str = ""
    """X-GitHub-Api-Version sent on every call; empty: githubkit's default."""
    sources: SourceConfig = field(default_factory=SourceConfig)
    """Registry and OSV URLs (mirrors) and the lookup cache, for dependency review."""
    lease_s: float = 30.0
    """A claimed job's lease (renewed while it runs): how soon a killed worker's job runs again."""
    shutdown_s: float = 20.0
    """On SIGTERM, how long a worker lets its job finish before handing it back."""
    max_jobs_per_installation: int = 2
    """Running jobs one installation may have at once, across all workers (queue.py's round-robin claim)."""
    writes_per_minute: int = 80
    """GitHub's limits for one installation (github-api-facts.md §6), from which the queue's per-installation
    claim budget is derived; 0: the server has no such limit (a GHES with rate limiting off)."""
    writes_per_hour: int = 500
    reads_per_hour: int = 5000
    mutation_interval_s: float = 1.0
    """Spacing between one installation's mutating requests (GitHub's advice against secondary limits)."""

    @property
    def bot_login(self) -> str:
        return f"{self.app_slug}[bot]"


def _int(env: Mapping[str, str], name: str, default: int | None = None, lo: int = 1, hi: int = 2**31) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        if default is None:
            raise ConfigError(f"{name} is not set")
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw[:20]!r}") from None
    if not lo <= value <= hi:
        raise ConfigError(f"{name} must be between {lo} and {hi}")
    return value


def _private_key(env: Mapping[str, str]) -> Secret:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    inline = env.get("PRIVATE_KEY", "").strip()
    path = env.get("PRIVATE_KEY_PATH", "").strip()
    if inline and path:
        raise ConfigError("set PRIVATE_KEY or PRIVATE_KEY_PATH, not both")
    name = "PRIVATE_KEY" if inline else "PRIVATE_KEY_PATH"
    if inline:
        # Platforms that store env vars on one line often turn newlines into a literal "\n".
        pem = inline.replace("\\n", "\n")
    elif path:
        try:
            pem = Path(path).read_text()
        except OSError as exc:
            raise ConfigError(f"PRIVATE_KEY_PATH: cannot read {path}: {exc.strerror}") from None
    else:
        raise ConfigError("PRIVATE_KEY or PRIVATE_KEY_PATH is not set (the GitHub App's private key)")
    try:
        load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ConfigError(f"{name}: not a PEM private key") from None
    return Secret(pem)


def from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    app_id = _int(env, "APP_ID")
    key = _private_key(env)
    secret = env.get("WEBHOOK_SECRET", "")
    if not secret:
        raise ConfigError("WEBHOOK_SECRET is not set (the secret configured on the App's webhook)")
    api = env.get("GITHUB_API_URL", "https://api.github.com").strip().rstrip("/")
    parsed = urlparse(api)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"GITHUB_API_URL must be an http(s) URL, got {api[:80]!r}")
    version = env.get("GITHUB_API_VERSION", "").strip()
    if version and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", version):
        raise ConfigError(f"GITHUB_API_VERSION must be a date like 2022-11-28, got {version[:20]!r}")
    if not version and parsed.hostname != PUBLIC_API_HOST:
        version = GHES_API_VERSION
    level = env.get("LOG_LEVEL", "INFO").strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    fmt = env.get("LOG_FORMAT", "json").strip().lower()
    if fmt not in ("json", "console"):
        raise ConfigError("LOG_FORMAT must be json or console")
    data_dir = Path(env.get("PRODREADY_DATA_DIR", ".prodready-data"))
    queue_url = env.get("PRODREADY_QUEUE_URL", "").strip() or f"sqlite:///{data_dir / 'queue.sqlite3'}"
    if not queue_url.startswith(("sqlite:///", "redis://", "rediss://")):
        raise ConfigError("PRODREADY_QUEUE_URL must start with sqlite:/// or redis://")
    from github_app.scan import engine_from_env, jobs_from_env

    # The scanner reads these per scan; checking them here stops a bad value at start-up, not per job.
    engine_from_env(env)
    jobs_from_env(env)
    try:
        sources = SourceConfig.from_env(env, data_dir)
    except SourceConfigError as exc:
        raise ConfigError(str(exc)) from None
    return Settings(
        app_id=app_id,
        private_key=key,
        webhook_secret=Secret(secret),
        github_api_url=api,
        host=env.get("HOST", "127.0.0.1").strip() or "127.0.0.1",
        port=_int(env, "PORT", 8000, lo=0, hi=65535),
        log_level=level,
        log_format=fmt,
        data_dir=data_dir,
        queue_url=queue_url,
        app_slug=env.get("PRODREADY_APP_SLUG", "prodready").strip() or "prodready",
        github_api_version=version,
        sources=sources,
        lease_s=float(_int(env, "PRODREADY_LEASE_S", 30, lo=2, hi=3600)),
        shutdown_s=float(_int(env, "PRODREADY_SHUTDOWN_S", 20, lo=0, hi=3600)),
        max_jobs_per_installation=_int(env, "PRODREADY_MAX_JOBS_PER_INSTALLATION", 2, lo=1, hi=1000),
        writes_per_minute=_int(env, "PRODREADY_WRITES_PER_MINUTE", 80, lo=0, hi=10**6),
        writes_per_hour=_int(env, "PRODREADY_WRITES_PER_HOUR", 500, lo=0, hi=10**7),
        reads_per_hour=_int(env, "PRODREADY_READS_PER_HOUR", 5000, lo=0, hi=10**7),
        mutation_interval_s=_int(env, "PRODREADY_MUTATION_INTERVAL_MS", 1000, lo=0, hi=60_000) / 1000,
    )
