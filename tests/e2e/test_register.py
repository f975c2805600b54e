"""`prodready register` end to end: the command runs as a process, the sandbox plays GitHub over real HTTP,
and httpx plays the browser (the start page's form, GitHub's create page, the redirect back)."""

from __future__ import annotations

import html
import os
import re
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from github_app.events import verify_signature
from github_app.httpthread import ThreadedServer
from github_app.sandbox import SandboxConfig, SandboxServer, generate_app_key

pytestmark = pytest.mark.slow
TIMEOUT_S = 60.0


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    _, public = generate_app_key()
    srv = SandboxServer(SandboxConfig(data_dir=tmp_path_factory.mktemp("sandbox"), app_id=5150,
                                      app_public_key_pem=public, webhook_url=None, webhook_secret="unused"))
    srv.start()
    yield srv
    srv.stop()


@dataclass
class Hook:
    url: str
    received: list[tuple[dict[str, str], bytes]]


@pytest.fixture(scope="module")
def hook() -> Iterator[Hook]:
    """Where the registered Apps' webhooks point: records what GitHub (the sandbox) sends."""
    received: list[tuple[dict[str, str], bytes]] = []

    async def webhooks(request: Request) -> Response:
        received.append((dict(request.headers), await request.body()))
        return Response(status_code=202)

    async def healthz(_: Request) -> Response:
        return Response("ok")

    srv = ThreadedServer(Starlette(routes=[Route("/webhooks", webhooks, methods=["POST"]),
                                           Route("/healthz", healthz)]))
    srv.start()
    yield Hook(srv.url + "/webhooks", received)
    srv.stop()


@dataclass
class Run:
    proc: subprocess.Popen[str]
    local_url: str
    env_file: Path

    def finish(self) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=TIMEOUT_S)
        return self.proc.returncode, out, err


def start(sandbox: SandboxServer, tmp_path: Path, *extra: str) -> Run:
    env_file = tmp_path / "prodready.env"
    proc = subprocess.Popen(
        [sys.executable, "-m", "github_app.cli", "register", "--github-url", sandbox.url, "--api-url", sandbox.url,
         "--env-file", str(env_file), "--no-browser", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**os.environ, "LOG_LEVEL": "WARNING"})
    killer = threading.Timer(TIMEOUT_S, proc.kill)  # a hung flow fails the test instead of hanging it
    killer.daemon = True
    killer.start()
    assert proc.stdout is not None
    first = proc.stdout.readline()
    m = re.search(r"Open (http://127\.0\.0\.1:\d+)/ ", first)
    assert m, (first, proc.stderr.read() if proc.stderr else "")
    return Run(proc, m.group(1), env_file)


def _fields(page: str) -> dict[str, str]:
    return {n: html.unescape(v) for n, v in re.findall(r"<input type='hidden' name='(\w+)' value='([^']*)'>", page)}


def _action(page: str) -> str:
    m = re.search(r"<form[^>]*action='([^']+)'", page)
    assert m, page
    return html.unescape(m.group(1))


def browse_to_redirect(run: Run, name: str) -> str:
    """The browser's steps up to GitHub's redirect; returns the redirect URL (not yet followed)."""
    with httpx.Client(timeout=10.0, follow_redirects=False) as browser:
        page = browser.get(run.local_url + "/")
        assert page.status_code == 200
        action = _action(page.text)
        github_page = browser.post(action, data=_fields(page.text))
        assert github_page.status_code == 200, github_page.text
        assert "Create GitHub App for" in github_page.text
        confirm = browser.post(urlsplit(action)._replace(path=_action(github_page.text), query="").geturl(),
                               data={**_fields(github_page.text), "name": name})
        assert confirm.status_code == 302, confirm.text
        return confirm.headers["location"]


def test_registers_the_app_and_writes_working_credentials(sandbox: SandboxServer, hook: Hook,
                                                          tmp_path: Path) -> None:
    run = start(sandbox, tmp_path, "--webhook-url", hook.url)
    redirect = browse_to_redirect(run, "prodready-e2e")
    assert redirect.startswith(run.local_url + "/callback?")
    with httpx.Client(timeout=30.0) as browser:
        back = browser.get(redirect)
    assert back.status_code == 200, back.text
    code, out, err = run.finish()
    assert code == 0, err

    assert stat.S_IMODE(run.env_file.stat().st_mode) == 0o600
    env = dict(line.split("=", 1) for line in run.env_file.read_text().splitlines() if "=" in line
               and not line.startswith("#"))
    key_path = Path(env["PRIVATE_KEY_PATH"])
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    pem = key_path.read_text()
    app_id = int(env["APP_ID"])
    registered = sandbox.state.manifests.apps[app_id]
    # The manifest GitHub received is app.yml with the webhook URL and the local redirect filled in.
    assert registered.manifest["hook_attributes"] == {"url": hook.url, "active": True}
    app_yml = yaml.safe_load((Path(__file__).resolve().parents[2] / "app.yml").read_text())
    assert registered.manifest["default_events"] == app_yml["default_events"]
    assert {"pull_request", "check_run", "check_suite", "issue_comment"} <= set(app_yml["default_events"])
    assert registered.manifest["default_permissions"]["checks"] == "write"
    assert env["WEBHOOK_SECRET"] == registered.webhook_secret and len(env["WEBHOOK_SECRET"]) >= 32
    assert env["GITHUB_API_URL"] == sandbox.url

    # The key works: a JWT signed with it authenticates as the new App.
    now = int(time.time())
    token = jwt.encode({"iat": now - 30, "exp": now + 300, "iss": str(app_id)}, pem, algorithm="RS256")
    me = httpx.get(sandbox.url + "/app", headers={"Authorization": f"Bearer {token}"}, timeout=10.0)
    assert me.status_code == 200, me.text
    assert (me.json()["id"], me.json()["slug"]) == (app_id, "prodready-e2e")

    # The secret works: GitHub's ping to the new webhook verifies with it, as `prodready serve` checks it.
    deadline = time.monotonic() + 20
    while not [h for h, _ in hook.received if h.get("x-github-event") == "ping"] and time.monotonic() < deadline:
        time.sleep(0.05)
    pings = [(h, b) for h, b in hook.received if h.get("x-github-event") == "ping"
             and h.get("x-github-hook-installation-target-id") == str(app_id)]
    assert len(pings) == 1
    headers, body = pings[0]
    assert verify_signature(env["WEBHOOK_SECRET"], body, headers["x-hub-signature-256"])
    assert not verify_signature("another-secret", body, headers["x-hub-signature-256"])

    # Nothing secret reached the terminal.
    for secret in (env["WEBHOOK_SECRET"], registered.client_secret, "PRIVATE KEY", pem.splitlines()[1]):
        assert secret not in out and secret not in err
    (said,) = out.strip().splitlines()  # after the "Open ..." line: one line, what was done and where
    assert said.startswith("Registered prodready-e2e (App id ") and f"App id {app_id}" in said
    assert str(run.env_file) in said

    # The code was single-use.
    used = parse_qs(urlsplit(redirect).query)["code"][0]
    again = httpx.post(f"{sandbox.url}/app-manifests/{used}/conversions", timeout=10.0)
    assert again.status_code == 404 and again.json()["message"] == "Not Found"


def test_an_organisation_gets_its_own_create_page(sandbox: SandboxServer, hook: Hook, tmp_path: Path) -> None:
    run = start(sandbox, tmp_path, "--org", "acme", "--webhook-url", hook.url)
    with httpx.Client(timeout=10.0) as browser:
        page = browser.get(run.local_url + "/").text
    assert urlsplit(_action(page)).path == "/organizations/acme/settings/apps/new"
    redirect = browse_to_redirect(run, "prodready-acme")
    with httpx.Client(timeout=30.0) as browser:
        assert browser.get(redirect).status_code == 200
    code, _, err = run.finish()
    assert code == 0, err
    app_id = int(re.findall(r"APP_ID=(\d+)", run.env_file.read_text())[0])
    assert sandbox.state.manifests.apps[app_id].owner.login == "acme"


def _state_of(run: Run) -> str:
    with httpx.Client(timeout=10.0) as browser:
        page = browser.get(run.local_url + "/").text
    return parse_qs(urlsplit(_action(page)).query)["state"][0]


@pytest.mark.parametrize(("query", "reason"), [
    ("state={state}", "prodready: error: the redirect has no code: GitHub did not create the App"),
    ("code=abc&state=forged", "prodready: error: the redirect's state does not match the one sent: "
                              "not this registration's redirect"),
    ("code=0123456789abcdef&state={state}", "prodready: error: GitHub refused the code: GitHub answered 404: "
                                           "Not Found (the code is unknown, used already or older than an hour)"),
])
def test_a_bad_redirect_is_one_line_and_exit_2(sandbox: SandboxServer, tmp_path: Path, query: str,
                                               reason: str) -> None:
    run = start(sandbox, tmp_path)
    state = _state_of(run)
    with httpx.Client(timeout=30.0) as browser:
        back = browser.get(f"{run.local_url}/callback?{query.format(state=state)}")
    assert back.status_code == 400
    code, _, err = run.finish()
    assert (code, err.strip()) == (2, reason)
    assert not run.env_file.exists()


def test_a_reused_code_is_refused(sandbox: SandboxServer, hook: Hook, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    first = start(sandbox, tmp_path / "a", "--webhook-url", hook.url)
    redirect = browse_to_redirect(first, "prodready-reuse")
    with httpx.Client(timeout=30.0) as browser:
        assert browser.get(redirect).status_code == 200
    assert first.finish()[0] == 0
    used = parse_qs(urlsplit(redirect).query)["code"][0]
    (tmp_path / "b").mkdir()
    second = start(sandbox, tmp_path / "b")
    with httpx.Client(timeout=30.0) as browser:
        browser.get(f"{second.local_url}/callback?code={used}&state={_state_of(second)}")
    code, _, err = second.finish()
    assert code == 2 and "GitHub refused the code: GitHub answered 404" in err and "\n" not in err.strip()


def test_an_existing_env_file_is_never_overwritten(sandbox: SandboxServer, tmp_path: Path) -> None:
    (tmp_path / "prodready.env").write_text("APP_ID=1\n")
    done = subprocess.run([sys.executable, "-m", "github_app.cli", "register", "--github-url", sandbox.url,
                           "--env-file", str(tmp_path / "prodready.env"), "--no-browser"],
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"prodready: error: {tmp_path / 'prodready.env'} exists: remove it or pass "
                                   "another --env-file")
    assert (tmp_path / "prodready.env").read_text() == "APP_ID=1\n"
