"""github.py, the one module that talks to GitHub: headers and error mapping, on a mocked transport.

The end-to-end tests drive it against the sandbox over real HTTP; these check what those cannot see.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
import pytest
import structlog
from githubkit import GitHub

from github_app import logs
from github_app.authorship import ChangeFacts, detect
from github_app.github import GitHubError, Installation, RateLimited, retry_decision

BASE = "https://ghe.example.com/api/v3/"


def client(handler: Any, *, retry: Any = False) -> GitHub[Any]:
    return GitHub("ghs_test", base_url=BASE, transport=httpx.MockTransport(handler), timeout=5.0,
                  http_cache=False, auto_retry=retry)


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


def test_a_server_error_is_retried_once_with_a_structured_line_carrying_the_job(
        capsys: pytest.CaptureFixture[str], reset_logs: None) -> None:
    logs.configure("INFO", "json")  # here, so that it writes to the stream capsys captures
    answers = iter([httpx.Response(502, json={"message": "Server Error"}), httpx.Response(200, content=b"ok")])

    gh = Installation(client(lambda request: next(answers), retry=retry_decision))
    with structlog.contextvars.bound_contextvars(delivery="d-7", repo="acme/api"):
        assert gh.file_at("acme/api", "a.py", "abc") == b"ok"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    [retry] = [line for line in lines if line["event"] == "github.retry"]
    assert (retry["kind"], retry["status"], retry["attempt"], retry["wait_s"]) == ("server_error", 502, 1, 1.0)
    assert (retry["delivery"], retry["repo"]) == ("d-7", "acme/api")
    assert retry["path"] == "/api/v3/repos/acme/api/contents/a.py"


RECORDED_PR_COMMITS = "github/api/decoded/github3.py-cassettes/PullRequest_commits.json"


def test_pr_commits_keep_the_author_and_committer_account_ids() -> None:
    """The ids tell Copilot's accounts apart (docs/agents.md); a real recorded answer, with one commit made
    the shape github.com writes for a committed Copilot code-review suggestion."""
    from tests.conftest import SHARED

    path = SHARED / RECORDED_PR_COMMITS
    if not path.exists():
        pytest.skip("../shared absent: no recorded PR commits")
    [body] = [i["response"]["body"] for i in json.loads(path.read_text())["interactions"]
              if i["request"]["uri"].split("?")[0].endswith("/commits")]
    real = body[0]
    suggestion = json.loads(json.dumps(real))
    suggestion["sha"] = "c" * 40
    suggestion["commit"]["message"] = ("Potential fix for pull request finding\n\n"
                                       "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>")
    suggestion["committer"] = {**real["committer"], "login": "web-flow", "id": 19864447}
    answers = [real, suggestion]
    gh = Installation(client(lambda request: httpx.Response(200, json=answers)))
    got = gh.commits("acme/api", 7)
    assert [(c.author_login, c.author_id, c.committer_id) for c in got] == [
        (real["author"]["login"], real["author"]["id"], real["committer"]["id"]),
        (real["author"]["login"], real["author"]["id"], 19864447),
    ]
    assert all(isinstance(c.author_id, int) for c in got)
    seen = detect(ChangeFacts(commits=tuple(got)))
    assert (seen.ai, seen.assisted) == (False, True)
    assert seen.assisted_signal == "commit ccccccc trailer Copilot <175728472+Copilot@users.noreply.github.com>"


def test_mutating_requests_of_one_installation_are_spaced_and_reads_are_not() -> None:
    from github_app.github import MutationPacer

    interval = 0.2
    stamps: list[tuple[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        import time

        stamps.append((request.method, time.monotonic()))
        return httpx.Response(200, content=b"x") if request.method == "GET" else httpx.Response(200, json={})

    pacer = MutationPacer(interval)
    gh: GitHub[Any] = GitHub("ghs_test", base_url=BASE, transport=httpx.MockTransport(handler), timeout=5.0,
                             http_cache=False, auto_retry=False, event_hooks={"request": [pacer.hook(1)]})
    inst = Installation(gh)
    for _ in range(3):
        inst.update_check_run("acme/api", 5, {"status": "in_progress"})
        inst.file_at("acme/api", "a.py", "abc")
    patches = [t for m, t in stamps if m == "PATCH"]
    gets = [t for m, t in stamps if m == "GET"]
    assert len(patches) == 3 and len(gets) == 3
    assert all(b - a >= interval * 0.95 for a, b in itertools.pairwise(patches))
    # Another installation has its own slot.
    assert pacer.wait(2) == 0.0


def test_the_app_paces_per_installation_with_the_interval_it_is_given() -> None:
    from github_app.github import MUTATION_INTERVAL_S, GitHubApp
    from github_app.sandbox import generate_app_key

    assert MUTATION_INTERVAL_S == 1.0, "GitHub's guidance: at least a second between mutating requests"
    app = GitHubApp(1, generate_app_key()[0], BASE, mutation_interval_s=0.05)
    assert app.pacer.interval_s == 0.05 and app.key_problem is None
    hooks = app.installation(7).gh.config.event_hooks
    assert hooks is not None and len(hooks["request"]) == 1
