"""`prodready register`: create the GitHub App from app.yml through GitHub's manifest flow.

A page on loopback posts the manifest to GitHub; GitHub sends the browser back to this server with a
code (and the state we sent); the code is exchanged once for the App id, private key and webhook
secret, which go to an env file (mode 0600) and a key file (mode 0600), never to stdout.
docs: https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest
"""

from __future__ import annotations

import html
import json
import os
import secrets
import threading
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from github_app import logs
from github_app.github import GitHubError, RegisteredApp, convert_manifest
from github_app.httpthread import ThreadedServer

APP_YML = Path(__file__).resolve().parents[1] / "app.yml"
# docs: the code expires after one hour; nobody waits that long at a browser, 15 minutes is plenty.
WAIT_S = 15 * 60.0


class RegisterError(Exception):
    """The flow can't go on; the message is one line for the user."""


@dataclass(frozen=True)
class Options:
    github_url: str = "https://github.com"
    api_url: str | None = None
    org: str | None = None
    webhook_url: str | None = None
    env_file: Path = Path("prodready.env")
    name: str | None = None
    manifest_path: Path = APP_YML
    open_browser: bool = True
    wait_s: float = WAIT_S


def api_url_for(github_url: str) -> str:
    """GitHub's REST API for a web URL: api.github.com for github.com, /api/v3 on GitHub Enterprise Server."""
    host = urlsplit(github_url).netloc.lower()
    if host in {"github.com", "www.github.com"}:
        return "https://api.github.com"
    return github_url.rstrip("/") + "/api/v3"


def build_manifest(app_yml: str, *, redirect_url: str, webhook_url: str | None, name: str | None
                   ) -> dict[str, Any]:
    manifest: dict[str, Any] = yaml.safe_load(app_yml)
    if not isinstance(manifest, dict):
        raise RegisterError("app.yml is not a mapping")
    hook = dict(manifest.get("hook_attributes") or {})
    if webhook_url:
        hook.update(url=webhook_url, active=True)
    else:
        hook["active"] = False  # no URL yet: GitHub still needs one, and must not deliver to a placeholder
    manifest["hook_attributes"] = hook
    manifest["redirect_url"] = redirect_url
    if name:
        manifest["name"] = name
    return manifest


def form_action(github_url: str, org: str | None, state: str) -> str:
    base = github_url.rstrip("/")
    path = f"/organizations/{org}/settings/apps/new" if org else "/settings/apps/new"
    return f"{base}{path}?state={state}"


def start_page(action: str, manifest: dict[str, Any]) -> str:
    value = html.escape(json.dumps(manifest), quote=True)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Register prodready</title></head><body>"
        f"<form id='register' method='post' action='{html.escape(action, quote=True)}'>"
        f"<input type='hidden' name='manifest' value='{value}'>"
        "<p>This sends prodready's App manifest (app.yml) to GitHub, where you name the App and create it.</p>"
        "<button type='submit'>Create the GitHub App</button></form>"
        "<script>document.getElementById('register').submit()</script></body></html>"
    )


def env_text(app: RegisteredApp, key_path: Path, api_url: str) -> str:
    return (
        f"# prodready App {app.slug}, registered through the manifest flow ({app.html_url}).\n"
        f"APP_ID={app.id}\n"
        f"PRIVATE_KEY_PATH={key_path}\n"
        f"WEBHOOK_SECRET={app.webhook_secret or ''}\n"
        f"GITHUB_API_URL={api_url}\n"
    )


def _write_private(path: Path, text: str) -> None:
    """Create path with mode 0600 (never readable by others, not even for a moment); refuse to overwrite."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def write_credentials(app: RegisteredApp, env_file: Path, api_url: str) -> Path:
    # The id in the name: a second App of the same name never meets an old key file.
    key_path = (env_file.parent / f"{app.slug}-{app.id}.private-key.pem").resolve()
    try:
        _write_private(key_path, app.pem)
        _write_private(env_file, env_text(app, key_path, api_url))
    except OSError as exc:
        raise RegisterError(f"cannot write the credentials: {exc.strerror}: {exc.filename} (App {app.slug} "
                            f"exists: generate a new private key and webhook secret in its settings, {app.html_url})"
                            ) from None
    return key_path


class Flow:
    """The loopback server's state: one flow, one outcome (an App or a one-line error)."""

    def __init__(self, opts: Options, api_url: str) -> None:
        self.opts = opts
        self.api_url = api_url
        self.state = secrets.token_urlsafe(24)
        self.done = threading.Event()
        self.app: RegisteredApp | None = None
        self.error: str | None = None
        self.manifest_text = opts.manifest_path.read_text(encoding="utf-8")
        try:  # fail before the browser is involved, not in the page handler
            build_manifest(self.manifest_text, redirect_url="http://127.0.0.1/callback", webhook_url=None, name=None)
        except yaml.YAMLError as exc:
            raise RegisterError(f"{opts.manifest_path} is not valid YAML: {exc}".splitlines()[0]) from None

    def finish(self, app: RegisteredApp | None, error: str | None) -> None:
        if not self.done.is_set():
            self.app, self.error = app, error
            self.done.set()

    def routes(self) -> Starlette:
        action = form_action(self.opts.github_url, self.opts.org, self.state)

        async def start(request: Request) -> HTMLResponse:
            # GitHub sends the browser back to the address it used to reach this page.
            manifest = build_manifest(self.manifest_text, redirect_url=f"{request.base_url}callback",
                                      webhook_url=self.opts.webhook_url, name=self.opts.name)
            return HTMLResponse(start_page(action, manifest))

        async def healthz(_: Request) -> PlainTextResponse:
            return PlainTextResponse("ok")

        def callback_sync(code: str | None, state: str | None) -> tuple[int, str]:
            if self.done.is_set():
                return 409, "This registration has already finished; run prodready register again."
            if not state or not secrets.compare_digest(state, self.state):
                reason = "the redirect's state does not match the one sent: not this registration's redirect"
            elif not code:
                reason = "the redirect has no code: GitHub did not create the App"
            else:
                try:
                    app = convert_manifest(code, self.api_url)
                except GitHubError as exc:
                    hint = " (the code is unknown, used already or older than an hour)" if exc.status == 404 else ""
                    reason = f"GitHub refused the code: {exc}{hint}"
                else:
                    try:
                        write_credentials(app, self.opts.env_file, self.api_url)
                    except RegisterError as exc:
                        self.finish(None, str(exc))
                        return 500, str(exc)
                    self.finish(app, None)
                    return 200, f"{app.slug} is registered; its credentials are in {self.opts.env_file}."
            self.finish(None, reason)
            return 400, reason

        async def callback(request: Request) -> HTMLResponse:
            import anyio.to_thread

            q = request.query_params
            status, text = await anyio.to_thread.run_sync(callback_sync, q.get("code"), q.get("state"))
            return HTMLResponse(f"<!doctype html><p>{html.escape(text)}</p>", status_code=status)

        return Starlette(routes=[Route("/", start), Route("/callback", callback), Route("/healthz", healthz)])


def register(opts: Options, out: Any) -> RegisteredApp:
    """Run the flow; print only where to go and what was written (no secret) to `out`."""
    level = os.environ.get("LOG_LEVEL", "WARNING").upper()
    logs.configure(level if level in {"DEBUG", "INFO", "WARNING", "ERROR"} else "WARNING", "console")  # stderr
    if opts.env_file.exists():
        raise RegisterError(f"{opts.env_file} exists: remove it or pass another --env-file")
    if not opts.env_file.parent.is_dir():
        raise RegisterError(f"no such directory for --env-file: {opts.env_file.parent}")
    if urlsplit(opts.github_url).scheme not in {"http", "https"}:
        raise RegisterError(f"--github-url must be an http(s) URL: {opts.github_url}")
    api_url = opts.api_url or api_url_for(opts.github_url)
    try:
        flow = Flow(opts, api_url)
    except OSError as exc:
        raise RegisterError(f"cannot read the manifest {opts.manifest_path}: {exc.strerror}") from None
    server = ThreadedServer(flow.routes())
    server.start()
    try:
        print(f"Open {server.url}/ in a browser signed in to {opts.github_url} to create the App.", file=out,
              flush=True)
        if not opts.webhook_url:
            print("No --webhook-url: the App's webhook starts inactive; set its URL in the App's settings.",
                  file=out, flush=True)
        if opts.open_browser:
            webbrowser.open(f"{server.url}/")
        if not flow.done.wait(opts.wait_s):
            raise RegisterError(f"no redirect from GitHub within {opts.wait_s:g} s; run prodready register again")
    finally:
        server.stop()
    if flow.app is None:
        raise RegisterError(flow.error or "the registration did not finish")
    logs.get().info("register.done", app_id=flow.app.id, slug=flow.app.slug)
    install = f"{opts.github_url.rstrip('/')}/apps/{flow.app.slug}/installations/new"
    print(f"Registered {flow.app.slug} (App id {flow.app.id}); credentials written to {opts.env_file} "
          f"(mode 0600). Install it: {install}", file=out, flush=True)
    return flow.app
