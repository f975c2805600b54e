"""End-to-end harness: the real sandbox and the real app server on loopback, talking HTTP.

Each test module gets its own sandbox and app (module scope); each test makes fresh repositories.
Nothing is mocked: the app reaches the sandbox with githubkit, the sandbox delivers signed webhooks
to the app, and Semgrep runs the real ruleset.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from githubkit import AppAuthStrategy, GitHub

from github_app.datasources import sandbox_config
from github_app.events import sign
from github_app.github import TIMEOUT
from github_app.httpthread import ThreadedServer
from github_app.pipeline import Deps
from github_app.queue import Queue, SqliteQueue
from github_app.render import CHECK_NAME, FINGERPRINT_RE
from github_app.sandbox import SandboxConfig, SandboxServer, generate_app_key
from github_app.server import create_app
from github_app.settings import GHES_API_VERSION, Secret, Settings
from github_app.worker import run_once

APP_ID_BASE = 7000
SECRET = "e2e-webhook-secret"
WAIT_S = 90.0
POLL_S = 0.1
# GitHub asks for >= 1 s between mutating requests; the sandbox does not, and tests would crawl.
E2E_MUTATION_INTERVAL_S = 0.02
AI_TRAILER = "Co-authored-by: Claude <noreply@anthropic.com>"
HUMAN = "hana-human"

_names = itertools.count(1)
# githubkit caches app JWTs and installation tokens process-wide, keyed by app id (and installation
# id), not by host: each module's sandbox has its own key, so each gets its own app id.
_app_ids = itertools.count(APP_ID_BASE)
T = TypeVar("T")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}-{next(_names)}"


def wait_for(probe: Callable[[], T | None], what: str, timeout: float = WAIT_S) -> T:
    """Poll probe until it returns something truthy, or fail after the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(POLL_S)


@dataclass
class Repo:
    owner: str
    name: str
    installation_id: int
    gh: GitHub[Any]

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Env:
    sandbox: SandboxServer
    server: ThreadedServer
    queue: Queue
    deps: Deps
    settings: Settings
    private_key: str
    http: httpx.Client
    """Plain HTTP to the sandbox (the /_sandbox/ control endpoints)."""
    app_http: httpx.Client
    """Plain HTTP to the app (webhooks, health, metrics)."""
    app_gh: GitHub[Any]

    # -- set-up --------------------------------------------------------------------------------

    def make_repo(self, files: dict[str, str], *, owner: str = "acme", name: str | None = None) -> Repo:
        resp = self.http.post("/_sandbox/repos", json={"owner": owner, "name": name or unique("repo"),
                                                       "files": files})
        assert resp.status_code == 201, resp.text
        data = resp.json()
        inst = int(data["installation_id"])
        o, n = data["full_name"].split("/", 1)
        return Repo(o, n, inst, self.app_gh.with_auth(self.app_gh.auth.as_installation(inst)))

    def push(self, repo: Repo, branch: str, files: dict[str, str | None], *, message: str = "change",
             login: str = HUMAN) -> str:
        resp = self.http.post(f"/_sandbox/repos/{repo.full_name}/commits", json={
            "branch": branch, "base": "main", "message": message, "files": files,
            "author": {"name": "Hana Human", "email": "hana@example.com", "login": login}})
        assert resp.status_code == 201, resp.text
        sha: str = resp.json()["sha"]
        return sha

    def open_pr(self, repo: Repo, branch: str, *, login: str = HUMAN, title: str = "A change") -> Any:
        return repo.gh.rest.pulls.create(repo.owner, repo.name, data={
            "title": title, "head": branch, "base": "main", "body": "Please review."},
            headers={"X-Sandbox-User": login}).parsed_data

    # -- observation ---------------------------------------------------------------------------

    def completed_run(self, repo: Repo, sha: str, timeout: float = WAIT_S) -> Any:
        def probe() -> Any:
            runs = repo.gh.rest.checks.list_for_ref(repo.owner, repo.name, sha,
                                                    check_name=CHECK_NAME).parsed_data.check_runs
            done = [r for r in runs if r.status == "completed"]
            return done[0] if done else None

        return wait_for(probe, f"the {CHECK_NAME} check run on {repo.full_name}@{sha[:8]}", timeout)

    def comments(self, repo: Repo, number: int) -> list[Any]:
        return list(repo.gh.rest.paginate(repo.gh.rest.pulls.list_review_comments, owner=repo.owner,
                                          repo=repo.name, pull_number=number, per_page=100))

    def requests_log(self) -> list[dict[str, Any]]:
        got: list[dict[str, Any]] = self.http.get("/_sandbox/requests").json()
        return got

    def review_posts(self, repo: Repo, number: int) -> int:
        pattern = re.compile(rf"^/repos/{re.escape(repo.full_name)}/pulls/{number}/reviews$")
        return sum(1 for r in self.requests_log() if r["method"] == "POST" and pattern.match(r["path"])
                   and r["status"] < 300)

    def deliveries(self, event: str | None = None, action: str | None = None) -> list[dict[str, Any]]:
        got: list[dict[str, Any]] = self.http.get("/_sandbox/deliveries").json()
        return [d for d in got if (event is None or d["event"] == event)
                and (action is None or d["action"] == action)]

    def delivery_for(self, repo: Repo, event: str, action: str) -> dict[str, Any]:
        """The newest recorded delivery of event.action for repo."""
        found = [d for d in self.deliveries(event, action)
                 if d["payload"]["repository"]["full_name"] == repo.full_name]
        assert found, f"the sandbox recorded no {event}.{action} for {repo.full_name}"
        return found[-1]

    # -- the app's endpoint ----------------------------------------------------------------------

    def post_webhook(self, event: str, payload: dict[str, Any] | bytes, *, delivery: str | None = None,
                     signature: str | None = None) -> httpx.Response:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return self.app_http.post("/webhooks", content=body, headers={
            "X-GitHub-Event": event, "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
            "X-Hub-Signature-256": signature if signature is not None else sign(SECRET, body),
            "Content-Type": "application/json"})

    def drain(self) -> list[str]:
        """Run queued jobs in this thread until none is ready (only for an app without a worker)."""
        outcomes: list[str] = []
        while (outcome := run_once(self.queue, self.deps)) is not None:
            outcomes.append(outcome)
        return outcomes


def fingerprints(comments: list[Any]) -> list[str]:
    return [fp for c in comments for fp in FINGERPRINT_RE.findall(c.body)]


@pytest.fixture(scope="module")
def app_key() -> tuple[str, str]:
    return generate_app_key()


def _start(tmp: Path, key: tuple[str, str], *, embedded_worker: bool, deliver: bool) -> Iterator[Env]:
    private, public = key
    app_id = next(_app_ids)
    sandbox = SandboxServer(SandboxConfig(data_dir=tmp / "sandbox", app_id=app_id, app_public_key_pem=public,
                                          webhook_url=None, webhook_secret=SECRET))
    sandbox.start()
    settings = Settings(app_id=app_id, private_key=Secret(private), webhook_secret=Secret(SECRET),
                        github_api_url=sandbox.url, data_dir=tmp / "app",
                        queue_url=f"sqlite:///{tmp / 'app' / 'queue.sqlite3'}",
                        github_api_version=GHES_API_VERSION,  # as from_env() sets it for a host not api.github.com
                        sources=sandbox_config(sandbox.url, tmp / "app" / "deps-cache"))
    queue = SqliteQueue(tmp / "app" / "queue.sqlite3")
    deps = Deps.from_settings(settings, mutation_interval_s=E2E_MUTATION_INTERVAL_S)
    server = ThreadedServer(create_app(settings, queue, deps, embedded_worker=embedded_worker))
    server.start()
    app_gh: GitHub[Any] = GitHub(AppAuthStrategy(app_id=app_id, private_key=private), base_url=sandbox.url + "/",
                                 timeout=TIMEOUT, http_cache=False, auto_retry=False)
    with httpx.Client(base_url=sandbox.url, timeout=30.0) as http, \
            httpx.Client(base_url=server.url, timeout=30.0) as app_http:
        if deliver:
            http.post("/_sandbox/webhook", json={"url": server.url + "/webhooks"}).raise_for_status()
        try:
            yield Env(sandbox, server, queue, deps, settings, private, http, app_http, app_gh)
        finally:
            server.stop()
            sandbox.stop()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, app_key: tuple[str, str]) -> Iterator[Env]:
    """Sandbox -> webhooks -> app with its embedded worker: the whole App, as deployed."""
    yield from _start(tmp_path_factory.mktemp("e2e"), app_key, embedded_worker=True, deliver=True)


@pytest.fixture(scope="module")
def manual_env(tmp_path_factory: pytest.TempPathFactory, app_key: tuple[str, str]) -> Iterator[Env]:
    """Sandbox that records deliveries without sending them; app without a worker.

    Tests forward deliveries themselves (so they control delivery ids) and run jobs with drain().
    """
    yield from _start(tmp_path_factory.mktemp("e2e-manual"), app_key, embedded_worker=False, deliver=False)
