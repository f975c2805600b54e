"""Package registries and OSV, served offline from fixtures in the real services' shapes.

`/_registry/pypi/`, `/_registry/npm/`, `/_registry/go/`, `/_registry/maven/` and `/_registry/osv/`
stand in for PyPI's JSON API, the npm registry, the Go module proxy, a Maven repository and OSV, so
the App's dependency review runs end to end with its URLs pointed here. Faults (`/_sandbox/faults`)
apply to these paths too, so tests can make a registry answer 429 or 500.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from packaging.utils import canonicalize_name

from github_app.deps.registry import sort_key
from github_app.sandbox.api import Ctx, Resp

_DAYS_AGO = re.compile(r"\{days_ago:(\d+)\}")


def _root() -> Traversable:
    return resources.files("github_app").joinpath("data/registry")


def _read(*parts: str) -> str | None:
    node = _root()
    for part in parts:
        if part in ("", ".", "..") or "\\" in part:
            return None
        node = node.joinpath(part)
    if not node.is_file():
        return None
    text = node.read_text(encoding="utf-8")
    now = datetime.now(UTC)
    return _DAYS_AGO.sub(lambda m: (now - timedelta(days=int(m.group(1)))).strftime("%Y-%m-%dT%H:%M:%S.000Z"), text)


def _not_found_json() -> Resp:
    return Resp(404, {"message": "Not Found"})


def pypi_project(ctx: Ctx) -> Resp:
    text = _read("pypi", f"{canonicalize_name(ctx.params['name'])}.json")
    return Resp(200, text, media="application/json") if text is not None else _not_found_json()


def npm_package(ctx: Ctx) -> Resp:
    text = _read("npm", f"{ctx.params['name'].replace('%2f', '/').replace('%2F', '/').replace('/', '__')}.json")
    return Resp(200, text, media="application/json") if text is not None else Resp(404, {"error": "Not found"})


def _go_unescape(path: str) -> str:
    return re.sub(r"!([a-z])", lambda m: m.group(1).upper(), path)


def go_list(ctx: Ctx) -> Resp:
    text = _read("go", *_go_unescape(ctx.params["module"]).split("/"), "@v", "list")
    if text is None:
        # The proxy answers 404 or 410 with a plain-text reason for a module it cannot find.
        return Resp(404, f"not found: module {ctx.params['module']}: no matching versions", media="text/plain")
    return Resp(200, text, media="text/plain; charset=utf-8")


def go_info(ctx: Ctx) -> Resp:
    module = _go_unescape(ctx.params["module"])
    text = _read("go", *module.split("/"), "@v", f"{_go_unescape(ctx.params['version'])}.info")
    if text is None:
        return Resp(410, f"not found: {module}@{ctx.params['version']}: invalid version", media="text/plain")
    return Resp(200, text, media="application/json")


def maven_metadata(ctx: Ctx) -> Resp:
    text = _read("maven", *ctx.params["path"].split("/"), "maven-metadata.xml")
    if text is None:
        return Resp(404, "Not Found", media="text/plain")
    return Resp(200, text, media="text/xml")


@cache
def _records() -> dict[str, dict[str, Any]]:
    folder = _root().joinpath("osv")
    return {f.name.removesuffix(".json"): json.loads(f.read_text(encoding="utf-8"))
            for f in folder.iterdir() if f.name.endswith(".json")}


def _same_name(ecosystem: str, a: str, b: str) -> bool:
    if ecosystem == "PyPI":
        return canonicalize_name(a) == canonicalize_name(b)
    return a == b


def _affects(record: dict[str, Any], ecosystem: str, name: str, version: str) -> bool:
    """OSV's matching: the version is listed, or falls in an introduced..fixed range of the package."""
    key = sort_key(ecosystem, version)
    for affected in record.get("affected", []):
        pkg = affected.get("package", {})
        if pkg.get("ecosystem") != ecosystem or not _same_name(ecosystem, pkg.get("name", ""), name):
            continue
        if version in affected.get("versions", []):
            return True
        for rng in affected.get("ranges", []):
            start, inside = None, False
            for event in rng.get("events", []):
                if "introduced" in event:
                    start = event["introduced"]
                    inside = start == "0" or sort_key(ecosystem, start) <= key
                elif "fixed" in event and start is not None:
                    if inside and key < sort_key(ecosystem, event["fixed"]):
                        return True
                    inside = False
            if inside:
                return True
    return False


def osv_querybatch(ctx: Ctx) -> Resp:
    body = ctx.json_any()
    queries = body.get("queries") if isinstance(body, dict) else None
    if not isinstance(queries, list):
        return Resp(400, {"code": 3, "message": "Invalid query."})
    results: list[dict[str, Any]] = []
    for q in queries:
        pkg = q.get("package") if isinstance(q, dict) else None
        if not isinstance(pkg, dict) or not isinstance(q.get("version"), str):
            return Resp(400, {"code": 3, "message": "Invalid query."})
        eco, name, version = str(pkg.get("ecosystem")), str(pkg.get("name")), q["version"]
        vulns = [{"id": vid, "modified": r.get("modified")} for vid, r in sorted(_records().items())
                 if _affects(r, eco, name, version)]
        results.append({"vulns": vulns} if vulns else {})
    return Resp(200, {"results": results})


def osv_vuln(ctx: Ctx) -> Resp:
    record = _records().get(ctx.params["id"])
    if record is None:
        return Resp(404, {"code": 5, "message": "Bug not found."})
    return Resp(200, record)
