"""github.py, the one module that talks to GitHub: headers and error mapping, on a mocked transport.

The end-to-end tests drive it against the sandbox over real HTTP; these check what those cannot see.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from githubkit import GitHub

from github_app.github import GitHubError, Installation, RateLimited

BASE = "https://ghe.example.com/api/v3/"


def client(handler: Any) -> GitHub[Any]:
    return GitHub("ghs_test", base_url=BASE, transport=httpx.MockTransport(handler), timeout=5.0,
                  http_cache=False, auto_retry=False)


@pytest.mark.parametrize(("version", "sent"), [("2022-11-28", "2022-11-28"), ("", None)])
def test_the_configured_api_version_goes_on_every_call(version: str, sent: str | None) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/contents/a.py"):
            return httpx.Response(200, content=b"x = 1\n")
        return httpx.Response(200, json={})

    gh = Installation(client(handler), version)
    assert gh.file_at("acme/api", "a.py", "abc") == b"x = 1\n"
    gh.update_check_run("acme/api", 5, {"status": "in_progress"})
    assert len(seen) == 2
    assert seen[0].headers["accept"] == "application/vnd.github.raw+json"
    for request in seen:
        got = request.headers.get("x-github-api-version")
        assert got == sent if sent else got not in (None, "2022-11-28")


def test_a_missing_file_is_none_and_other_errors_name_the_status() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "missing" in request.url.path:
            return httpx.Response(404, json={"message": "Not Found"})
        return httpx.Response(422, json={"message": "Validation Failed", "errors": [{"code": "invalid"}]})

    gh = Installation(client(handler))
    assert gh.file_at("acme/api", "missing.py", "abc") is None
    with pytest.raises(GitHubError, match="GitHub answered 422: Validation Failed") as info:
        gh.file_at("acme/api", "other.py", "abc")
    assert info.value.status == 422


def test_a_primary_rate_limit_is_raised_for_a_later_retry_not_slept_through() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"message": "API rate limit exceeded for installation."}, headers={
            "x-ratelimit-remaining": "0", "x-ratelimit-reset": "9999999999"})

    gh = Installation(client(handler))
    with pytest.raises(RateLimited) as info:
        gh.file_at("acme/api", "a.py", "abc")
    assert info.value.retry_after_s > 3600
