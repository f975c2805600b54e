"""The App's review pipeline against an in-process sandbox, for the benchmarks that run real reviews."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from githubkit import AppAuthStrategy, GitHub

from github_app.datasources import sandbox_config
from github_app.github import MUTATION_INTERVAL_S
from github_app.pipeline import Deps
from github_app.sandbox import SandboxConfig, SandboxServer, generate_app_key
from github_app.settings import GHES_API_VERSION, Secret, Settings

SECRET = "bench-secret"
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Sandboxed:
    tmp: Path
    deps: Deps
    app_gh: GitHub[Any]
    """The App's own client, to open PRs as the sandbox's user."""
    http: httpx.Client
    """Plain HTTP to the sandbox (its /_sandbox/ endpoints)."""


@contextmanager
def sandboxed(app_id: int, prefix: str, *, mutation_interval_s: float = MUTATION_INTERVAL_S,
              timeout_s: float = 120.0) -> Iterator[Sandboxed]:
    private, public = generate_app_key()
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp_:
        tmp = Path(tmp_)
        sandbox = SandboxServer(SandboxConfig(data_dir=tmp / "sandbox", app_id=app_id, app_public_key_pem=public,
                                              webhook_url=None, webhook_secret=SECRET))
        sandbox.start()
        try:
            settings = Settings(app_id=app_id, private_key=Secret(private), webhook_secret=Secret(SECRET),
                                github_api_url=sandbox.url, data_dir=tmp / "app",
                                queue_url=f"sqlite:///{tmp / 'app' / 'queue.sqlite3'}",
                                github_api_version=GHES_API_VERSION,
                                sources=sandbox_config(sandbox.url, tmp / "app" / "deps-cache"))
            deps = Deps.from_settings(settings, mutation_interval_s=mutation_interval_s)
            app_gh: GitHub[Any] = GitHub(AppAuthStrategy(app_id=app_id, private_key=private),
                                         base_url=sandbox.url + "/", http_cache=False, auto_retry=False)
            with httpx.Client(base_url=sandbox.url, timeout=timeout_s) as http:
                yield Sandboxed(tmp, deps, app_gh, http)
        finally:
            sandbox.stop()


def save_results(out: Path, results: list[dict[str, Any]], **extra: Any) -> None:
    """Write a benchmark's results with the time they were measured, and say where."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **extra,
                               "results": results}, indent=2) + "\n")
    print(f"saved {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
