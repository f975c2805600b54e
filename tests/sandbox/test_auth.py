"""App JWT and installation-token auth, answered like GitHub (401 bodies)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import jwt
import pytest
from githubkit import AppAuthStrategy, GitHub
from githubkit.exception import RequestFailed

from github_app.sandbox import generate_app_key
from tests.sandbox.conftest import APP_ID, RepoHandle


def _jwt(key: str, **claims: Any) -> str:
    now = int(time.time())
    body = {"iat": now - 60, "exp": now + 540, "iss": str(APP_ID), **claims}
    # PyJWT refuses a numeric iss on encode; sign the JSON directly as other clients do.
    return jwt.api_jws.encode(json.dumps(body).encode(), key, algorithm="RS256")


def test_app_endpoints_parse(app_gh: GitHub[AppAuthStrategy], make_repo: Any) -> None:
    repo: RepoHandle = make_repo()
    me = app_gh.rest.apps.get_authenticated().parsed_data
    assert me is not None and me.id == APP_ID and me.slug == "prodready"
    installs = app_gh.rest.apps.list_installations().parsed_data
    assert repo.installation_id in [i.id for i in installs]
    inst = app_gh.rest.apps.get_installation(repo.installation_id).parsed_data
    assert inst.account is not None
    assert app_gh.rest.apps.get_repo_installation(repo.owner,
                                                  repo.name).parsed_data.id == repo.installation_id
    token = app_gh.rest.apps.create_installation_access_token(repo.installation_id)
    assert token.status_code == 201
    assert token.parsed_data.token.startswith("ghs_")
    assert token.parsed_data.repository_selection == "all"


@pytest.mark.parametrize("case", ["other_key", "expired", "other_iss", "too_long", "garbage", "int_iss"])
def test_jwt_checks(case: str, server: Any, app_key: tuple[str, str], control: httpx.Client) -> None:
    now = int(time.time())
    if case == "other_key":
        token = _jwt(generate_app_key()[0])
    elif case == "expired":
        token = _jwt(app_key[0], iat=now - 1200, exp=now - 600)
    elif case == "other_iss":
        token = _jwt(app_key[0], iss="999")
    elif case == "too_long":
        token = _jwt(app_key[0], exp=now + 3600)
    elif case == "int_iss":
        token = _jwt(app_key[0], iss=APP_ID)  # GitHub accepts the app id as a number too
    else:
        token = "not-a-jwt"
    resp = control.get("/app", headers={"Authorization": f"Bearer {token}"})
    if case == "int_iss":
        assert resp.status_code == 200
        return
    assert resp.status_code == 401
    assert resp.json()["documentation_url"]
    if case == "expired":
        assert "'Expiration time' claim ('exp')" in resp.json()["message"]


def test_token_routes_reject_bad_tokens(make_repo: Any, control: httpx.Client, app_key: tuple[str,
                                                                                              str]) -> None:
    repo: RepoHandle = make_repo()
    url = f"/repos/{repo.full_name}"
    for headers in ({}, {"Authorization": "token ghs_nope"}, {"Authorization": f"Bearer {_jwt(app_key[0])}"}):
        resp = control.get(url, headers=headers)
        assert resp.status_code == 401
        assert resp.json()["message"] == "Bad credentials"


def test_installation_token_is_scoped_to_its_owner(make_repo: Any) -> None:
    mine: RepoHandle = make_repo(owner="scoped-a")
    other: RepoHandle = make_repo(owner="scoped-b")
    with pytest.raises(RequestFailed) as err:
        mine.gh.rest.repos.get(other.owner, other.name)
    assert err.value.response.status_code == 403


def test_expired_installation_token_gets_401(make_repo: Any, app_gh: GitHub[AppAuthStrategy],
                                             control: httpx.Client) -> None:
    repo: RepoHandle = make_repo()
    token = app_gh.rest.apps.create_installation_access_token(repo.installation_id).parsed_data.token
    headers = {"Authorization": f"token {token}"}
    assert control.get(f"/repos/{repo.full_name}", headers=headers).status_code == 200
    control.post("/_sandbox/clock", json={"seconds": 3601})
    try:
        resp = control.get(f"/repos/{repo.full_name}", headers=headers)
        assert resp.status_code == 401 and resp.json()["message"] == "Bad credentials"
    finally:
        control.post("/_sandbox/clock", json={"seconds": -3601})


def test_rate_limit_and_request_id_headers(make_repo: Any) -> None:
    repo: RepoHandle = make_repo()
    resp = repo.gh.rest.repos.get(repo.owner, repo.name)
    for header in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset",
                   "x-ratelimit-resource", "x-github-request-id"):
        assert header in resp.headers
    assert resp.headers["content-type"].startswith("application/json")
    assert resp.parsed_data.full_name == repo.full_name
