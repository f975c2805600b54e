"""GitHub's App manifest flow, as GitHub runs it (docs: "Registering a GitHub App from a manifest").

1. A page POSTs a form field `manifest` (JSON) to /settings/apps/new?state=S (or
   /organizations/ORG/settings/apps/new); GitHub shows a "Create GitHub App" page.
2. The person confirms; GitHub creates the App and redirects to the manifest's redirect_url
   with ?code=C&state=S. The code is single-use and expires after an hour.
3. The App's server exchanges it: POST /app-manifests/C/conversions (no auth) answers 201 with
   the App and its credentials (id, slug, pem, webhook_secret, client_id, client_secret); an
   unknown, used or expired code gets 404.

The sandbox has one signed-in person (the owner of its App) and no login page. Registered Apps
authenticate with their own key afterwards (GET /app answers for them).
"""

from __future__ import annotations

import html
import json
import re
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from github_app.sandbox import payloads
from github_app.sandbox.api import JSON, ApiError, Ctx, Resp, not_found
from github_app.sandbox.auth import generate_app_key
from github_app.sandbox.records import ManifestRegistry, RegisteredApp

# docs (manifest flow): "the code ... expires after one hour".
CODE_LIFETIME_S = 3600
HTML = "text/html; charset=utf-8"


def registry(ctx: Ctx) -> ManifestRegistry:
    return ctx.state.manifests


def _form(ctx: Ctx) -> dict[str, str]:
    parsed = parse_qs(ctx.body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


def _page(status: int, title: str, body: str) -> Resp:
    doc = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
           f"<body><h1>{html.escape(title)}</h1>{body}</body></html>")
    return Resp(status, doc, media=HTML)


def _manifest(text: str) -> JSON:
    """The manifest as GitHub checks it: a JSON object with `url` and `hook_attributes.url`."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ApiError(422, "Invalid manifest: not JSON") from None
    if not isinstance(data, dict):
        raise ApiError(422, "Invalid manifest: not a JSON object")
    if not isinstance(data.get("url"), str) or not data["url"]:
        raise ApiError(422, "Invalid manifest: url is required")
    hook = data.get("hook_attributes")
    if not isinstance(hook, dict) or not isinstance(hook.get("url"), str):
        raise ApiError(422, "Invalid manifest: hook_attributes.url is required")
    return data


def _hidden(name: str, value: str) -> str:
    return f"<input type='hidden' name='{name}' value='{html.escape(value, quote=True)}'>"


def new_app(ctx: Ctx) -> Resp:
    """Step 1: GitHub's "Create GitHub App" page for the posted manifest."""
    form = _form(ctx)
    if "manifest" not in form:
        return _page(422, "Invalid manifest", "<p>The form has no manifest field.</p>")
    try:
        manifest = _manifest(form["manifest"])
    except ApiError as exc:
        return _page(422, "Invalid manifest", f"<p>{html.escape(str(exc))}</p>")
    owner = ctx.params.get("org") or ctx.state.app.owner.login
    name = str(manifest.get("name") or "")
    body = (f"<form method='post' action='/settings/apps/new/confirm'>"
            f"{_hidden('manifest', form['manifest'])}{_hidden('state', ctx.query.get('state', ''))}"
            f"{_hidden('owner', owner)}"
            f"<label>GitHub App name <input name='name' value='{html.escape(name, quote=True)}'></label>"
            f"<button type='submit'>Create GitHub App for {html.escape(owner)}</button></form>")
    return _page(200, f"Create GitHub App for {owner}", body)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "app"


def confirm(ctx: Ctx) -> Resp:
    """Step 2: create the App and send the browser to redirect_url with a fresh code."""
    form = _form(ctx)
    try:
        manifest = _manifest(form.get("manifest", ""))
    except ApiError as exc:
        return _page(422, "Invalid manifest", f"<p>{html.escape(str(exc))}</p>")
    reg = registry(ctx)
    name = (form.get("name") or str(manifest.get("name") or "")).strip()
    if not name:
        return _page(422, "Name can't be blank", "<p>A GitHub App needs a name.</p>")
    slug = _slug(name)
    if any(a.slug == slug for a in reg.apps.values()) or slug == ctx.state.app.slug:
        return _page(422, "Name is already in use", f"<p>{html.escape(name)} is taken.</p>")
    pem, public = generate_app_key()
    app_id = ctx.state.next_id()
    hook = manifest["hook_attributes"]
    # A webhook secret only when a webhook is active, as GitHub does (webhook_secret is nullable).
    active = hook.get("active", True) is not False
    reg.apps[app_id] = RegisteredApp(
        id=app_id, slug=slug, name=name, owner=ctx.state.actor(form.get("owner") or ctx.state.app.owner.login),
        manifest=manifest, pem=pem, public_key_pem=public,
        webhook_secret=secrets.token_hex(20) if active else "",
        client_id=f"Iv23li{secrets.token_hex(7)}", client_secret=secrets.token_hex(20),
        created_at=ctx.state.now())
    code = secrets.token_hex(20)
    reg.codes[code] = (app_id, ctx.state.now())
    redirect = manifest.get("redirect_url")
    if not isinstance(redirect, str) or not redirect:
        return _page(200, f"{name} is registered", f"<p>Code: {code}</p>")
    parts = urlsplit(redirect)
    query = "&".join(q for q in (parts.query, urlencode({"code": code, "state": form.get("state", "")})) if q)
    return Resp(302, b"", {"location": urlunsplit(parts._replace(query=query))}, media=HTML)


def app_payload(base: str, app: RegisteredApp) -> JSON:
    perms = app.manifest.get("default_permissions") or {}
    return {
        "id": app.id,
        "slug": app.slug,
        "node_id": payloads.node_id("Integration", app.id),
        "client_id": app.client_id,
        "owner": payloads.user(base, app.owner),
        "name": app.name,
        "description": str(app.manifest.get("description") or ""),
        "external_url": str(app.manifest["url"]),
        "html_url": f"{base}/apps/{app.slug}",
        "created_at": payloads.iso(app.created_at),
        "updated_at": payloads.iso(app.created_at),
        "permissions": {"metadata": "read", **{str(k): str(v) for k, v in dict(perms).items()}},
        "events": [str(e) for e in app.manifest.get("default_events") or []],
        "installations_count": 0,
    }


def conversion(ctx: Ctx) -> Resp:
    """Step 3: the code -> the App with its credentials, once."""
    reg = registry(ctx)
    entry = reg.codes.pop(ctx.params["code"], None)
    if entry is None or ctx.state.now() - entry[1] > CODE_LIFETIME_S:
        raise not_found()
    app = reg.apps[entry[0]]
    body: dict[str, Any] = app_payload(ctx.base, app)
    body.update({"client_secret": app.client_secret, "pem": app.pem,
                 "webhook_secret": app.webhook_secret or None})
    hook = app.manifest["hook_attributes"]
    if hook.get("active", True) is not False:
        # GitHub pings a new webhook; the sandbox does it once the App's owner holds the secret.
        ctx.events.append(("ping", ping_payload(ctx.base, app)))
    return Resp(201, body)


def ping_payload(base: str, app: RegisteredApp) -> JSON:
    hook_id = app.id * 10
    return {
        "zen": "Design for failure.",
        "hook_id": hook_id,
        "hook": {"type": "App", "id": hook_id, "name": "web", "active": True, "app_id": app.id,
                 "events": [str(e) for e in app.manifest.get("default_events") or []],
                 "config": {"content_type": "json", "insecure_ssl": "0",
                            "url": str(app.manifest["hook_attributes"]["url"])},
                 "created_at": payloads.iso(app.created_at), "updated_at": payloads.iso(app.created_at)},
    }
