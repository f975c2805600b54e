"""The app's own endpoints (JWT auth): the app, its installations, installation tokens."""

from __future__ import annotations

from github_app.sandbox import payloads
from github_app.sandbox.api import ApiError, Ctx, Resp, bad_json, not_found, paginated
from github_app.sandbox.auth import TOKEN_LIFETIME
from github_app.sandbox.records import Installation

_LEVEL = {"read": 1, "write": 2, "admin": 3}


def get_app(ctx: Ctx) -> Resp:
    registered = ctx.state.manifests.apps.get(ctx.app_id or -1)
    if registered is not None:
        from github_app.sandbox.routes_manifest import app_payload

        return Resp(200, app_payload(ctx.base, registered))
    return Resp(200, payloads.app(ctx.base, ctx.state.app, ctx.state.app_created))


def list_installations(ctx: Ctx) -> Resp:
    items = sorted(ctx.state.installations.values(), key=lambda i: i.id)
    return paginated(ctx, items, lambda i: payloads.installation(ctx.base, i, ctx.state.app))


def _installation(ctx: Ctx) -> Installation:
    inst = ctx.state.installations.get(ctx.int_param("installation_id"))
    if inst is None:
        raise not_found()
    return inst


def get_installation(ctx: Ctx) -> Resp:
    return Resp(200, payloads.installation(ctx.base, _installation(ctx), ctx.state.app))


def create_access_token(ctx: Ctx) -> Resp:
    inst = _installation(ctx)
    data = ctx.json()
    requested = data.get("permissions")
    granted = dict(payloads.APP_PERMISSIONS)
    if requested is not None:
        if not isinstance(requested, dict):
            raise bad_json()
        for name, level in requested.items():
            if _LEVEL.get(str(level), 9) > _LEVEL.get(granted.get(name, ""), 0):
                raise ApiError(422, "The permissions requested are not granted to this installation.")
        if requested:
            granted = {k: str(v) for k, v in requested.items()}
    expires = int(ctx.state.now()) + TOKEN_LIFETIME
    token = ctx.state.minter.mint(inst.id, expires)
    return Resp(201, payloads.installation_token(token, expires, granted))


def get_repo_installation(ctx: Ctx) -> Resp:
    repo = ctx.state.find_repo(ctx.params["owner"], ctx.params["repo"])
    if repo is None:
        raise not_found()
    inst = ctx.state.installations[repo.installation_id]
    return Resp(200, payloads.installation(ctx.base, inst, ctx.state.app))
