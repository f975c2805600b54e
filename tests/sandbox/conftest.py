"""A session-wide sandbox on loopback, a webhook receiver, and githubkit clients for it."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from githubkit import AppAuthStrategy, GitHub

from github_app.sandbox import SandboxConfig, SandboxServer, generate_app_key

APP_ID = 4242
SECRET = "sandbox-test-secret"
_names = itertools.count(1)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    status: int = 202
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self, event: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.received if event is None or r.headers.get("x-github-event") == event]

    def clear(self) -> None:
        with self.lock:
            self.received.clear()


@pytest.fixture(scope="session")
def app_key() -> tuple[str, str]:
    return generate_app_key()


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    holder: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            rec = holder["r"]
            with rec.lock:
                rec.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                status = rec.status
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["r"] = Receiver(f"http://127.0.0.1:{httpd.server_address[1]}/webhooks")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield holder["r"]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def server(app_key: tuple[str, str], receiver: Receiver, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[SandboxServer]:
    config = SandboxConfig(
        data_dir=Path(tmp_path_factory.mktemp("sandbox")),
        app_id=APP_ID,
        app_public_key_pem=app_key[1],
        webhook_url=receiver.url,
        webhook_secret=SECRET,
    )
    srv = SandboxServer(config)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def control(server: SandboxServer) -> Iterator[httpx.Client]:
    """Plain HTTP to the sandbox, for /_sandbox/ set-up calls and raw checks."""
    with httpx.Client(base_url=server.url, timeout=10.0) as client:
        yield client


@pytest.fixture
def app_gh(server: SandboxServer, app_key: tuple[str, str]) -> GitHub[AppAuthStrategy]:
    return GitHub(AppAuthStrategy(APP_ID, app_key[0]), base_url=server.url, timeout=httpx.Timeout(10.0),
                  http_cache=False, auto_retry=False)


@dataclass
class RepoHandle:
    owner: str
    name: str
    installation_id: int
    gh: GitHub[Any]

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


def unique(prefix: str) -> str:
    return f"{prefix}{next(_names)}"


@pytest.fixture
def make_repo(control: httpx.Client, app_gh: GitHub[AppAuthStrategy]) -> Any:
    def make(files: dict[str, Any] | None = None, owner: str = "acme", branch: str = "main") -> RepoHandle:
        name = unique("repo")
        resp = control.post("/_sandbox/repos", json={
            "owner": owner, "name": name, "default_branch": branch,
            "files": files if files is not None else {"README.md": "hello\n", "app.py": BASE_APP_PY},
        })
        assert resp.status_code == 201, resp.text
        inst = resp.json()["installation_id"]
        return RepoHandle(owner, name, inst, app_gh.with_auth(app_gh.auth.as_installation(inst)))

    return make


def push(control: httpx.Client, repo: RepoHandle, branch: str, files: dict[str, Any], *,
         message: str = "change", base: str | None = None, login: str | None = None) -> str:
    author: dict[str, str] = {"name": "Dev", "email": "dev@example.com"}
    if login:
        author["login"] = login
    body: dict[str, Any] = {"branch": branch, "message": message, "files": files, "author": author}
    if base:
        body["base"] = base
    resp = control.post(f"/_sandbox/repos/{repo.full_name}/commits", json=body)
    assert resp.status_code == 201, resp.text
    sha: str = resp.json()["sha"]
    return sha


BASE_APP_PY = "".join(f"line {i}\n" for i in range(1, 41))
