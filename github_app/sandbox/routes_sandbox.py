"""/_sandbox/: what GitHub has no endpoint for (set-up, faults, inspection). No auth."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from github_app.sandbox import gitrepo, routes_forks
from github_app.sandbox.api import ApiError, Ctx, Resp, bad_json, not_found
from github_app.sandbox.records import Fault
from github_app.sandbox.routes_pulls import USER_HEADER, announce_push

FAULT_KINDS = {"secondary": (403, 429), "primary": (403, 429), "server": (500, 502, 503)}
DEFAULT_AUTHOR = {"name": "Octo Cat", "email": "octocat@example.com"}


def _files(raw: Any) -> dict[str, bytes | None]:
    """{path: text | null | {"base64": ...}}: text, delete, or binary content."""
    if not isinstance(raw, dict):
        raise ApiError(422, "files must be an object of path -> text")
    out: dict[str, bytes | None] = {}
    for path, value in raw.items():
        clean = str(path).strip("/")
        if not clean or ".." in clean.split("/"):
            raise ApiError(422, f"bad path: {path!r}")
        if value is None:
            out[clean] = None
        elif isinstance(value, str):
            out[clean] = value.encode()
        elif isinstance(value, dict) and isinstance(value.get("base64"), str):
            try:
                out[clean] = base64.b64decode(value["base64"], validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ApiError(422, f"bad base64 for {path!r}") from exc
        else:
            raise ApiError(422, f"bad content for {path!r}")
    return out


def _person(ctx: Ctx, raw: Any) -> gitrepo.Person:
    who = raw if isinstance(raw, dict) else DEFAULT_AUTHOR
    name, email = who.get("name"), who.get("email")
    if not isinstance(name, str) or not isinstance(email, str):
        raise ApiError(422, "author needs name and email")
    return gitrepo.Person(name, email, int(ctx.state.now()))


def create_repo(ctx: Ctx) -> Resp:
    data = ctx.json()
    owner, name = data.get("owner"), data.get("name")
    if not isinstance(owner, str) or not isinstance(name, str):
        raise ApiError(422, "owner and name are required")
    branch = data.get("default_branch") or "main"
    files = {k: v for k, v in _files(data.get("files") or {}).items() if v is not None}
    try:
        repo = ctx.state.create_repo(owner, name, default_branch=branch, files=files,
                                     author=_person(ctx, data.get("author")),
                                     message=data.get("message") or "Initial commit")
    except FileExistsError as exc:
        raise ApiError(422, str(exc)) from exc
    except ValueError as exc:
        raise ApiError(422, str(exc)) from exc
    return Resp(201, {"full_name": repo.full_name, "installation_id": repo.installation_id,
                      "path": str(repo.path), "default_branch": repo.default_branch,
                      "id": repo.id})


def push_commit(ctx: Ctx) -> Resp:
    repo = ctx.state.find_repo(ctx.params["owner"], ctx.params["repo"])
    if repo is None:
        raise not_found()
    data = ctx.json()
    branch, message = data.get("branch"), data.get("message")
    if not isinstance(branch, str) or not branch or not isinstance(message, str):
        raise ApiError(422, "branch and message are required")
    if repo.fork_of is not None:  # a push to a fork lands in the shared git (routes_forks.py)
        branch, repo = routes_forks.git_branch(repo, branch), repo.fork_of
    start: str | None = None
    if gitrepo.branch_sha(repo.path, branch) is None:
        base = data.get("base") or repo.default_branch
        start = gitrepo.rev_parse(repo.path, base)
        if start is None:
            raise ApiError(422, f"base {base!r} not found")
    author = _person(ctx, data.get("author"))
    committer = _person(ctx, data["committer"]) if data.get("committer") else author
    raw_author = data.get("author")
    login_name = raw_author.get("login") if isinstance(raw_author, dict) else None
    login = ctx.state.actor(login_name) if isinstance(login_name, str) and login_name else None
    old, new = ctx.state.push(repo, branch=branch, start=start, files=_files(data.get("files") or {}),
                              message=message, author=author, committer=committer, login=login)
    sender = ctx.state.actor(ctx.headers.get(USER_HEADER) or (login.login if login else "octocat"))
    announce_push(ctx, repo, branch=branch, old=old, new=new, sender=sender)
    return Resp(201, {"sha": new, "before": old, "branch": branch})


def add_fault(ctx: Ctx) -> Resp:
    data = ctx.json()
    kind = data.get("kind", "server")
    status = data.get("status")
    if kind not in FAULT_KINDS:
        raise ApiError(422, f"kind must be one of {sorted(FAULT_KINDS)}")
    if status is None:
        status = FAULT_KINDS[kind][0]
    if status not in FAULT_KINDS[kind]:
        raise ApiError(422, f"status for kind {kind} must be one of {FAULT_KINDS[kind]}")
    try:
        pattern = re.compile(str(data.get("path_regex", ".*")))
    except re.error as exc:
        raise ApiError(422, f"bad path_regex: {exc}") from exc
    count = data.get("count", 1)
    retry_after = data.get("retry_after")
    if not isinstance(count, int) or count < 1:
        raise ApiError(422, "count must be a positive integer")
    if retry_after is not None and not isinstance(retry_after, int):
        raise ApiError(422, "retry_after must be an integer")
    method = data.get("method")
    verb = method.upper() if isinstance(method, str) else None
    perform = data.get("perform", False)
    if not isinstance(perform, bool):
        raise ApiError(422, "perform must be true or false")
    fault = Fault(verb, pattern, status, count, kind, retry_after, perform)
    ctx.state.faults.append(fault)
    return Resp(201, _fault_json(fault))


def _fault_json(f: Fault) -> dict[str, Any]:
    return {"method": f.method, "path_regex": f.path_regex.pattern, "status": f.status,
            "remaining": f.remaining, "kind": f.kind, "retry_after": f.retry_after, "perform": f.perform}


def list_faults(ctx: Ctx) -> Resp:
    return Resp(200, [_fault_json(f) for f in ctx.state.faults if f.remaining > 0])


MAX_LATENCY_MS = 10_000  # ten seconds already outlasts the App's per-request timeout; more is a typo


def get_latency(ctx: Ctx) -> Resp:
    return Resp(200, {"ms": ctx.state.latency_ms})


def set_latency(ctx: Ctx) -> Resp:
    ms = ctx.json().get("ms")
    if isinstance(ms, bool) or not isinstance(ms, int) or not 0 <= ms <= MAX_LATENCY_MS:
        raise ApiError(422, f"ms must be an integer from 0 to {MAX_LATENCY_MS}")
    ctx.state.latency_ms = ms
    return Resp(200, {"ms": ms})


def clear_faults(ctx: Ctx) -> Resp:
    ctx.state.faults.clear()
    return Resp(204)


def list_deliveries(ctx: Ctx) -> Resp:
    with_payload = ctx.query.get("payload", "1") not in ("0", "false")
    out = []
    for d in ctx.state.deliveries:
        item: dict[str, Any] = {"id": d.guid, "guid": d.guid, "event": d.event, "action": d.action,
                                "url": d.url, "status_code": d.status_code, "attempts": d.attempts,
                                "error": d.error}
        if with_payload:
            item["payload"] = d.payload
        out.append(item)
    return Resp(200, out)


def set_webhook(ctx: Ctx) -> Resp:
    data = ctx.json()
    url = data.get("url")
    if url is not None and not isinstance(url, str):
        raise bad_json()
    ctx.state.webhook_url = url or None
    return Resp(200, {"url": ctx.state.webhook_url})


def list_requests(ctx: Ctx) -> Resp:
    return Resp(200, [{"method": r.method, "path": r.path, "query": r.query, "status": r.status}
                      for r in ctx.state.requests])


def advance_clock(ctx: Ctx) -> Resp:
    """Move the sandbox clock forward, to expire tokens and JWTs without waiting."""
    seconds = ctx.json().get("seconds")
    if not isinstance(seconds, int | float):
        raise ApiError(422, "seconds must be a number")
    ctx.state.clock_offset += float(seconds)
    return Resp(200, {"offset": ctx.state.clock_offset})


def health(ctx: Ctx) -> Resp:
    return Resp(200, {"ok": True})
