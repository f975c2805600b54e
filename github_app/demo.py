"""`prodready demo`: the whole App against the local GitHub sandbox, with no account and no network."""

from __future__ import annotations

import re
import secrets
import sys
import tempfile
import textwrap
import time
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import httpx
from githubkit import AppAuthStrategy, GitHub

from github_app import logs
from github_app.datasources import sandbox_config
from github_app.errors import DemoError
from github_app.github import TIMEOUT
from github_app.httpthread import ThreadedServer
from github_app.pipeline import Deps
from github_app.queue import queue_for
from github_app.render import CHECK_NAME
from github_app.sandbox import SandboxConfig, SandboxServer, generate_app_key
from github_app.server import create_app
from github_app.settings import Secret, Settings

APP_ID = 1001
OWNER, REPO = "acme", "payments-service"
BRANCH = "claude/refunds-endpoint"
AUTHOR = "dana-dev"
WAIT_S = 240.0
COMMIT_MESSAGE = """Add refunds endpoint and ledger notification

Adds POST /refunds and GET /refunds/<id>, and tells the ledger about every refund.

🤖 Generated with [Claude Code](https://claude.com/claude-code)

Co-Authored-By: Claude <noreply@anthropic.com>
"""


def _tree(which: str) -> dict[str, str]:
    root = resources.files("github_app").joinpath("data/demo_repo", which)
    out: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        for child in node.iterdir():
            rel = f"{prefix}{child.name}"
            if child.name == "__pycache__":
                continue  # pip byte-compiles the sample's .py files when it installs the wheel
            if child.is_dir():
                walk(child, rel + "/")
            else:
                out[rel] = child.read_text()

    walk(root, "")
    return out


def _changes(base: dict[str, str], head: dict[str, str]) -> dict[str, str | None]:
    changes: dict[str, str | None] = {p: t for p, t in head.items() if base.get(p) != t}
    changes.update({p: None for p in base if p not in head})
    return changes


_HIDDEN = re.compile(r"<!--.*?-->|<sub>.*?</sub>", re.S)


def _comment_text(body: str) -> str:
    text = _HIDDEN.sub("", body).replace("**", "").strip()
    return "\n".join(line.rstrip() for line in text.splitlines())


def show(out: TextIO, gh: GitHub[Any], pr: Any, run: Any, comments: list[Any]) -> None:
    w = out.write
    w(f"\n{'=' * 78}\n{OWNER}/{REPO}  pull request #{pr.number}: {pr.title}\n")
    w(f"{pr.user.login} wants to merge {pr.head.ref} into {pr.base.ref}\n{'=' * 78}\n")
    by_file: dict[str, list[Any]] = {}
    for c in comments:
        by_file.setdefault(c.path, []).append(c)
    for path in sorted(by_file):
        content = gh.rest.repos.get_content(OWNER, REPO, path, ref=pr.head.sha,
                                            headers={"Accept": "application/vnd.github.raw+json"}).text
        lines = content.splitlines()
        w(f"\n── {path} {'─' * max(4, 74 - len(path))}\n")
        for c in sorted(by_file[path], key=lambda x: x.line or 0):
            first = (c.start_line or c.line) - 1
            for n in range(max(first - 1, 0), min(c.line, len(lines))):
                w(f"  {n + 1:4d} │ {lines[n]}\n")
            w(f"       ╰─ 💬 {c.user.login}\n")
            in_code = False
            for para in _comment_text(c.body).splitlines():
                fence = para.startswith("```")
                # Prose is wrapped to the terminal; code (a suggestion) is shown as it would be applied.
                for line in [para] if in_code or fence else textwrap.wrap(para, 70) or [""]:
                    w(f"          {line}\n")
                in_code ^= fence
            w("\n")
    out_ = run.output
    w(f"{'─' * 78}\nCheck run `{run.name}`: {run.status}, conclusion: {str(run.conclusion).upper()}\n")
    w(f"{out_.title}\n\n")
    for line in (out_.summary or "").splitlines():
        w(f"  {line}\n")
    w(f"{'─' * 78}\n")


def run_demo(out: TextIO = sys.stdout) -> int:
    logs.configure("WARNING", "console")
    with tempfile.TemporaryDirectory(prefix="prodready-demo-") as tmp_name:
        tmp = Path(tmp_name)
        private, public = generate_app_key()
        secret = secrets.token_hex(20)
        out.write("Starting the local GitHub sandbox and the prodready App on loopback...\n")
        sandbox = SandboxServer(SandboxConfig(data_dir=tmp / "sandbox", app_id=APP_ID, app_public_key_pem=public,
                                              webhook_url=None, webhook_secret=secret))
        sandbox.start()
        settings = Settings(app_id=APP_ID, private_key=Secret(private), webhook_secret=Secret(secret),
                            github_api_url=sandbox.url, data_dir=tmp / "app",
                            queue_url=f"sqlite:///{tmp / 'app' / 'queue.sqlite3'}",
                            sources=sandbox_config(sandbox.url, tmp / "app" / "deps-cache"))
        queue = queue_for(settings)
        deps = Deps.from_settings(settings)
        server = ThreadedServer(create_app(settings, queue, deps))
        server.start()
        try:
            sandbox.set_webhook_url(server.url + "/webhooks")
            out.write(f"  sandbox (GitHub API): {sandbox.url}\n  app (webhooks):       {server.url}/webhooks\n")
            return _scenario(out, sandbox.url, private)
        finally:
            server.stop()
            sandbox.stop()


def _scenario(out: TextIO, api: str, private: str) -> int:
    # head/ holds only what the PR changes; the rest of the head tree is the base.
    base = _tree("base")
    head = {**base, **_tree("head")}
    with httpx.Client(base_url=api, timeout=30.0) as http:
        made = http.post("/_sandbox/repos", json={"owner": OWNER, "name": REPO, "files": base})
        made.raise_for_status()
        installation_id = int(made.json()["installation_id"])
        http.post(f"/_sandbox/repos/{OWNER}/{REPO}/commits", json={
            "branch": BRANCH, "base": "main", "message": COMMIT_MESSAGE, "files": _changes(base, head),
            "author": {"name": "Dana Developer", "email": "dana@acme.example", "login": AUTHOR},
        }).raise_for_status()
    app_gh: GitHub[Any] = GitHub(AppAuthStrategy(app_id=APP_ID, private_key=private), base_url=api + "/",
                                 timeout=TIMEOUT, http_cache=False)
    gh = app_gh.with_auth(app_gh.auth.as_installation(installation_id))
    out.write(f"Opening an AI-authored pull request on {OWNER}/{REPO} ({BRANCH} -> main)...\n")
    pr = gh.rest.pulls.create(OWNER, REPO, data={
        "title": "Add refunds endpoint", "head": BRANCH, "base": "main",
        "body": "Adds refunds. Written with Claude Code."}, headers={"X-Sandbox-User": AUTHOR}).parsed_data
    out.write("Waiting for prodready's review...\n")
    deadline = time.monotonic() + WAIT_S
    run = None
    while time.monotonic() < deadline:
        runs = gh.rest.checks.list_for_ref(OWNER, REPO, pr.head.sha, check_name=CHECK_NAME).parsed_data.check_runs
        if runs and runs[0].status == "completed":
            run = runs[0]
            break
        time.sleep(0.5)
    if run is None:
        raise DemoError(f"the review did not complete within {WAIT_S:g} s")
    comments: list[Any] = list(gh.rest.paginate(gh.rest.pulls.list_review_comments, owner=OWNER, repo=REPO,
                                     pull_number=pr.number, per_page=100))
    show(out, gh, pr, run, comments)
    out.write(f"{len(comments)} inline comments; the `{CHECK_NAME}` check concluded {run.conclusion}. "
              "A required check with that conclusion blocks the merge.\n" if run.conclusion == "failure" else
              f"{len(comments)} inline comments; the `{CHECK_NAME}` check concluded {run.conclusion}.\n")
    return 0
