"""The sandbox's App manifest flow: GitHub's pages and the code exchange, with GitHub's answers."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from githubkit import GitHub

from github_app.sandbox import SandboxServer

MANIFEST: dict[str, Any] = {
    "name": "flow-test", "url": "https://example.org", "redirect_url": "http://127.0.0.1:9/callback?x=1",
    "hook_attributes": {"url": "http://127.0.0.1:9/webhooks", "active": False},
    "default_events": ["pull_request"], "default_permissions": {"checks": "write"},
}


def create(control: httpx.Client, manifest: dict[str, Any], name: str) -> httpx.Response:
    page = control.post("/settings/apps/new?state=s1", data={"manifest": json.dumps(manifest)})
    assert page.status_code == 200, page.text
    assert re.search(r"name='state' value='s1'", page.text)
    return control.post("/settings/apps/new/confirm", data={"manifest": json.dumps(manifest), "state": "s1",
                                                            "owner": "octo", "name": name})


def code_of(resp: httpx.Response) -> str:
    assert resp.status_code == 302, resp.text
    location = urlsplit(resp.headers["location"])
    query = parse_qs(location.query)
    assert (location.path, query["x"], query["state"]) == ("/callback", ["1"], ["s1"])
    return query["code"][0]


def test_the_conversion_parses_as_githubkit_models_it_and_is_single_use(server: SandboxServer,
                                                                       control: httpx.Client) -> None:
    code = code_of(create(control, MANIFEST, "flow-test-one"))
    gh = GitHub(base_url=server.url + "/", timeout=httpx.Timeout(10.0), http_cache=False, auto_retry=False)
    app = gh.rest.apps.create_from_manifest(code).parsed_data
    assert app.slug == "flow-test-one" and app.pem.startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert app.webhook_secret is None  # an inactive webhook gets no secret
    assert app.events == ["pull_request"] and app.owner is not None and app.owner.login == "octo"
    again = control.post(f"/app-manifests/{code}/conversions")
    assert again.status_code == 404 and again.json()["message"] == "Not Found"


def test_a_code_expires_after_an_hour(control: httpx.Client) -> None:
    code = code_of(create(control, MANIFEST, "flow-test-two"))
    control.post("/_sandbox/clock", json={"seconds": 3601})
    try:
        assert control.post(f"/app-manifests/{code}/conversions").status_code == 404
    finally:
        control.post("/_sandbox/clock", json={"seconds": -3601})


def test_a_bad_manifest_or_a_taken_name_is_refused(control: httpx.Client) -> None:
    no_hook = {k: v for k, v in MANIFEST.items() if k != "hook_attributes"}
    assert control.post("/settings/apps/new", data={"manifest": json.dumps(no_hook)}).status_code == 422
    assert control.post("/settings/apps/new", data={"manifest": "{not json"}).status_code == 422
    assert control.post("/settings/apps/new", data={}).status_code == 422
    code_of(create(control, MANIFEST, "flow-test-three"))
    taken = create(control, MANIFEST, "Flow Test Three")
    assert taken.status_code == 422 and "already in use" in taken.text
