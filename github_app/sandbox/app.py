"""The Starlette app: one catch-all endpoint that authenticates, injects faults,
dispatches to the route table, adds GitHub's headers and logs the request.

A catch-all (instead of Starlette routes) keeps unknown paths and wrong methods on
GitHub's JSON 404 rather than Starlette's plain-text 404/405.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from github_app.bodies import read_limited
from github_app.sandbox import gitrepo, routes
from github_app.sandbox.api import DOCS, ApiError, Ctx, Resp, not_found
from github_app.sandbox.auth import AuthError, jwt_issuer, verify_app_jwt
from github_app.sandbox.config import SandboxConfig
from github_app.sandbox.payloads import AppInfo
from github_app.sandbox.records import Actor, Fault, RequestRecord
from github_app.sandbox.state import RATE_LIMIT, SandboxState
from github_app.sandbox.webhooks import Deliverer

log = logging.getLogger(__name__)

# GitHub's request-size cap is not documented for these endpoints; a few MB covers
# every body the app sends (a review of 50 comments is tens of KB). /_sandbox/ set-up
# calls may carry large fixture files.
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_SANDBOX_BODY_BYTES = 256 * 1024 * 1024
API_VERSION = "2022-11-28"
DOCS_RATE = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID {rid}."
)
SERVER_MESSAGES = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass(frozen=True)
class Incoming:
    method: str
    path: str
    query: QueryParams
    headers: Headers
    body: bytes
    base: str
    url: str


def create_app(config: SandboxConfig) -> Starlette:
    state = SandboxState(
        data_dir=config.data_dir,
        app=AppInfo(config.app_id, config.app_slug,
                    Actor(f"{config.app_slug}-owner", 90_000 + config.app_id)),
        public_key_pem=config.app_public_key_pem,
        webhook_url=config.webhook_url,
        webhook_secret=config.webhook_secret,
    )
    deliverer = Deliverer(state)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await anyio.to_thread.run_sync(deliverer.stop)

    async def endpoint(request: Request) -> Response:
        path = request.scope["path"]
        limit = MAX_SANDBOX_BODY_BYTES if path.startswith("/_sandbox/") else MAX_BODY_BYTES
        body = await read_limited(request, limit)
        rid = _request_id()
        if body is None:
            resp = Resp(413, {"message": "Request body too large", "documentation_url": DOCS,
                              "status": "413"})
            state.requests.append(RequestRecord(request.method, path, request.url.query, 413, state.now()))
            return _to_response(resp, rid)
        if state.latency_ms and not path.startswith("/_sandbox/"):
            # Waits without holding a thread, so concurrent requests each see the latency, as on GitHub.
            await anyio.sleep(state.latency_ms / 1000)
        incoming = Incoming(request.method, path, request.query_params, request.headers, body,
                            f"{request.url.scheme}://{request.url.netloc}", str(request.url))
        resp = await anyio.to_thread.run_sync(handle_and_announce, state, deliverer, incoming, rid)
        return _to_response(resp, rid)

    app = Starlette(
        routes=[Route("/{rest:path}", endpoint, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])],
        lifespan=lifespan,
    )
    app.state.sandbox = state
    app.state.deliverer = deliverer
    return app


def _request_id() -> str:
    return ":".join(secrets.token_hex(n).upper() for n in (2, 2, 4, 4, 4))


def handle_and_announce(state: SandboxState, deliverer: Deliverer, req: Incoming, rid: str) -> Resp:
    """Handle the request, then queue its webhooks (after the lock, off the event loop)."""
    resp, events = handle(state, req, rid)
    for event, payload in events:
        deliverer.enqueue(event, payload)
    return resp


def handle(state: SandboxState, req: Incoming, rid: str) -> tuple[Resp, list[tuple[str, dict[str, object]]]]:
    """Run one request under the state lock: (response, webhooks to send after it)."""
    ctx: Ctx | None = None
    with state.lock:
        is_api = not req.path.startswith("/_sandbox/")
        credential = "anonymous"
        try:
            fault = state.take_fault(req.method, req.path) if is_api else None
            if fault is not None and not fault.perform:
                resp = _fault_response(state, fault, rid)
            else:
                found = routes.match(req.method, req.path)
                if found is None:
                    raise not_found()
                route, params = found
                ctx = Ctx(state, req.method, req.path, params, req.query, req.headers, req.body,
                          req.base, req.url)
                credential = _authenticate(state, route.auth, req.headers, ctx)
                resp = route.handler(ctx)
                if fault is not None:  # done, and its webhooks sent, but the client hears a failure
                    resp = _fault_response(state, fault, rid)
        except ApiError as exc:
            resp = Resp(exc.status, exc.body, dict(exc.headers))
            if ctx is not None:
                ctx.events.clear()  # a refused request changes nothing and announces nothing
        except gitrepo.GitError as exc:
            log.exception("sandbox git failure on %s %s", req.method, req.path)
            resp = Resp(500, {"message": "Server Error", "documentation_url": DOCS,
                              "detail": str(exc)})
        except Exception:
            # A sandbox bug must still answer like a server error, not kill the connection.
            log.exception("sandbox failure on %s %s", req.method, req.path)
            resp = Resp(500, {"message": "Server Error", "documentation_url": DOCS})
        if is_api and "x-ratelimit-remaining" not in resp.headers:
            # GitHub does not count GET /rate_limit against the limit it reports.
            count = state.rate_peek if req.path == "/rate_limit" or resp.status == 304 else state.rate_limit
            remaining, used, reset = count(credential)
            resp.headers.update({
                "x-ratelimit-limit": str(RATE_LIMIT),
                "x-ratelimit-remaining": str(remaining),
                "x-ratelimit-used": str(used),
                "x-ratelimit-reset": str(reset),
                "x-ratelimit-resource": "core",
            })
        state.requests.append(RequestRecord(req.method, req.path, str(req.query), resp.status, state.now()))
    return resp, list(ctx.events) if ctx is not None else []


def _authenticate(state: SandboxState, kind: str, headers: Headers, ctx: Ctx) -> str:
    """Check the credential a route takes; the rate-limit bucket it counts against."""
    if kind == "none":
        return "sandbox"
    scheme, _, value = headers.get("authorization", "").partition(" ")
    scheme, value = scheme.lower(), value.strip()
    if kind == "jwt":
        if scheme != "bearer" or not value:
            raise ApiError(401, "A JSON web token could not be decoded")
        # An App registered through the manifest flow signs with its own key; its `iss` says which.
        other = state.manifests.apps.get(jwt_issuer(value) or -1)
        app_id, key = (other.id, other.public_key_pem) if other else (state.app.id, state.public_key_pem)
        try:
            verify_app_jwt(value, public_key_pem=key, app_id=app_id, now=state.now())
        except AuthError as exc:
            raise ApiError(401, str(exc)) from exc
        ctx.app_id = app_id
        return "app" if other is None else f"app:{app_id}"
    if scheme not in ("token", "bearer") or not value:
        raise ApiError(401, "Bad credentials")
    try:
        ctx.installation_id = state.minter.check(value, state.now())
    except AuthError as exc:
        raise ApiError(401, "Bad credentials") from exc
    if ctx.installation_id not in state.installations:
        raise ApiError(401, "Bad credentials")
    return f"installation:{ctx.installation_id}"


def _fault_response(state: SandboxState, fault: Fault, rid: str) -> Resp:
    now = int(state.now())
    wait = fault.retry_after if fault.retry_after is not None else 60
    if fault.kind == "secondary":
        return Resp(fault.status, {"message": SECONDARY_MESSAGE.format(rid=rid),
                                   "documentation_url": DOCS_RATE + "#about-secondary-rate-limits",
                                   "status": str(fault.status)},
                    {"retry-after": str(wait)})
    if fault.kind == "primary":
        return Resp(fault.status, {
            "message": "API rate limit exceeded for installation. If you reach out to GitHub Support "
                       f"for help, please include the request ID {rid}.",
            "documentation_url": DOCS_RATE, "status": str(fault.status)},
            {"x-ratelimit-limit": str(RATE_LIMIT), "x-ratelimit-remaining": "0",
             "x-ratelimit-used": str(RATE_LIMIT), "x-ratelimit-reset": str(now + wait),
             "x-ratelimit-resource": "core"})
    return Resp(fault.status, {"message": SERVER_MESSAGES.get(fault.status, "Server Error"),
                               "documentation_url": DOCS, "status": str(fault.status)})


def _to_response(resp: Resp, rid: str) -> Response:
    headers = {"x-github-request-id": rid, "x-github-api-version-selected": API_VERSION,
               "x-github-media-type": "github.v3; format=json"}
    headers.update(resp.headers)
    if resp.status in (204, 304):
        return Response(status_code=resp.status, headers=headers)
    if isinstance(resp.body, bytes | str):
        return Response(resp.body, status_code=resp.status, headers=headers, media_type=resp.media)
    content = json.dumps(resp.body, ensure_ascii=False).encode()
    return Response(content, status_code=resp.status, headers=headers,
                    media_type="application/json; charset=utf-8")
