"""The route table: GitHub's paths and methods, and the credential each one takes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from github_app.sandbox import (
    routes_app,
    routes_archive,
    routes_checks,
    routes_collaborators,
    routes_forks,
    routes_graphql,
    routes_manifest,
    routes_mergequeue,
    routes_pulls,
    routes_registry,
    routes_repos,
    routes_reviews,
    routes_sandbox,
)
from github_app.sandbox.api import Ctx, Resp

Handler = Callable[[Ctx], Resp]


@dataclass(frozen=True)
class Route:
    method: str
    regex: re.Pattern[str]
    handler: Handler
    auth: str  # "jwt" (app JWT), "token" (installation token), "none" (/_sandbox/)


def _compile(pattern: str) -> re.Pattern[str]:
    def repl(m: re.Match[str]) -> str:
        name, _, kind = m.group(1).partition(":")
        body = {"path": ".+", "int": r"\d+", "": "[^/]+"}[kind]
        return f"(?P<{name}>{body})"

    return re.compile("^" + re.sub(r"\{([^}]+)\}", repl, pattern) + "/?$")


R = "/repos/{owner}/{repo}"
PR = R + "/pulls/{number:int}"
ISSUE = R + "/issues/{number:int}"

_TABLE: list[tuple[str, str, Handler, str]] = [
    ("GET", "/app", routes_app.get_app, "jwt"),
    ("GET", "/app/installations", routes_app.list_installations, "jwt"),
    ("GET", "/app/installations/{installation_id:int}", routes_app.get_installation, "jwt"),
    ("POST", "/app/installations/{installation_id:int}/access_tokens", routes_app.create_access_token, "jwt"),
    ("GET", R + "/installation", routes_app.get_repo_installation, "jwt"),
    ("GET", R, routes_repos.get_repo, "token"),
    ("GET", R + "/tarball", routes_archive.tarball, "token"),
    ("GET", R + "/tarball/{ref:path}", routes_archive.tarball, "token"),
    # codeload: the redirect's own token in the query is the credential, as on GitHub.
    ("GET", "/_codeload/{owner}/{repo}/legacy.tar.gz/{sha}", routes_archive.codeload, "none"),
    ("GET", R + "/contents", routes_repos.get_content, "token"),
    ("GET", R + "/contents/{path:path}", routes_repos.get_content, "token"),
    ("PUT", R + "/contents/{path:path}", routes_repos.put_content, "token"),
    ("GET", R + "/commits/{ref:path}/check-runs", routes_checks.list_for_ref, "token"),
    ("GET", R + "/commits/{commit_sha}/pulls", routes_forks.pulls_for_commit, "token"),
    ("GET", R + "/commits/{ref:path}", routes_repos.get_commit, "token"),
    ("GET", R + "/git/ref/{ref:path}", routes_repos.get_ref, "token"),
    ("GET", R + "/git/refs", routes_repos.list_refs, "token"),
    ("GET", R + "/git/refs/{ref:path}", routes_repos.list_refs, "token"),
    ("GET", R + "/git/matching-refs/{ref:path}", routes_repos.matching_refs, "token"),
    ("POST", R + "/git/refs", routes_repos.create_ref, "token"),
    ("GET", R + "/pulls", routes_pulls.list_pulls, "token"),
    ("POST", R + "/pulls", routes_pulls.create_pull, "token"),
    ("GET", PR, routes_pulls.get_pull_request, "token"),
    ("PATCH", PR, routes_pulls.update_pull, "token"),
    ("GET", PR + "/files", routes_pulls.list_files, "token"),
    ("GET", PR + "/commits", routes_pulls.list_commits, "token"),
    ("GET", PR + "/reviews", routes_reviews.list_reviews, "token"),
    ("POST", PR + "/reviews", routes_reviews.create_review, "token"),
    ("GET", PR + "/reviews/{review_id:int}", routes_reviews.get_review, "token"),
    ("POST", PR + "/reviews/{review_id:int}/events", routes_reviews.submit_review, "token"),
    ("GET", PR + "/reviews/{review_id:int}/comments", routes_reviews.list_review_comments_of_review, "token"),
    ("GET", PR + "/comments", routes_reviews.list_review_comments, "token"),
    ("POST", PR + "/comments", routes_reviews.create_review_comment, "token"),
    ("POST", PR + "/comments/{comment_id:int}/replies", routes_reviews.reply_to_comment, "token"),
    ("GET", R + "/pulls/comments/{comment_id:int}", routes_reviews.get_review_comment, "token"),
    ("PATCH", R + "/pulls/comments/{comment_id:int}", routes_reviews.update_review_comment, "token"),
    ("DELETE", R + "/pulls/comments/{comment_id:int}", routes_reviews.delete_review_comment, "token"),
    ("GET", ISSUE + "/labels", routes_pulls.list_labels, "token"),
    ("POST", ISSUE + "/labels", routes_pulls.add_labels, "token"),
    ("DELETE", ISSUE + "/labels/{name}", routes_pulls.remove_label, "token"),
    ("GET", ISSUE + "/comments", routes_pulls.list_issue_comments, "token"),
    ("POST", ISSUE + "/comments", routes_pulls.create_issue_comment, "token"),
    ("GET", R + "/issues/comments/{comment_id:int}", routes_pulls.get_issue_comment, "token"),
    ("PATCH", R + "/issues/comments/{comment_id:int}", routes_pulls.update_issue_comment, "token"),
    ("DELETE", R + "/issues/comments/{comment_id:int}", routes_pulls.delete_issue_comment, "token"),
    ("POST", R + "/check-runs", routes_checks.create_check_run, "token"),
    ("GET", R + "/check-runs/{check_run_id:int}", routes_checks.get_check_run, "token"),
    ("PATCH", R + "/check-runs/{check_run_id:int}", routes_checks.update_check_run, "token"),
    ("GET", R + "/check-runs/{check_run_id:int}/annotations", routes_checks.list_annotations, "token"),
    ("POST", R + "/check-runs/{check_run_id:int}/rerequest", routes_checks.rerequest_run, "token"),
    ("POST", R + "/check-suites/{check_suite_id:int}/rerequest", routes_checks.rerequest_suite, "token"),
    ("GET", R + "/git/blobs/{file_sha}", routes_repos.get_blob, "token"),
    ("GET", R + "/git/trees/{tree_sha:path}", routes_repos.get_tree, "token"),
    ("GET", R + "/compare/{basehead:path}", routes_repos.compare, "token"),
    ("GET", "/installation/repositories", routes_repos.installation_repositories, "token"),
    ("GET", "/rate_limit", routes_repos.rate_limit, "token"),
    # The manifest flow: two browser pages (form posts), then the code exchange (no auth, as on GitHub).
    ("POST", "/settings/apps/new", routes_manifest.new_app, "none"),
    ("POST", "/organizations/{org}/settings/apps/new", routes_manifest.new_app, "none"),
    ("POST", "/settings/apps/new/confirm", routes_manifest.confirm, "none"),
    ("POST", "/app-manifests/{code}/conversions", routes_manifest.conversion, "none"),
    ("POST", "/graphql", routes_graphql.graphql, "token"),
    ("GET", R + "/collaborators/{username}/permission", routes_collaborators.get_permission, "token"),
    ("GET", "/_sandbox/health", routes_sandbox.health, "none"),
    ("POST", "/_sandbox/repos", routes_sandbox.create_repo, "none"),
    ("POST", "/_sandbox/repos/{owner}/{repo}/commits", routes_sandbox.push_commit, "none"),
    ("POST", "/_sandbox/repos/{owner}/{repo}/pulls/{number:int}/draft", routes_pulls.set_draft, "none"),
    ("POST", "/_sandbox/repos/{owner}/{repo}/check-runs/{check_run_id:int}/requested_action",
     routes_checks.requested_action, "none"),
    ("PUT", "/_sandbox/repos/{owner}/{repo}/collaborators/{username}", routes_collaborators.set_permission,
     "none"),
    ("POST", "/_sandbox/repos/{owner}/{repo}/forks", routes_forks.create_fork, "none"),
    ("POST", "/_sandbox/repos/{owner}/{repo}/merge-queue", routes_mergequeue.enqueue, "none"),
    ("GET", "/_sandbox/faults", routes_sandbox.list_faults, "none"),
    ("POST", "/_sandbox/faults", routes_sandbox.add_fault, "none"),
    ("DELETE", "/_sandbox/faults", routes_sandbox.clear_faults, "none"),
    ("GET", "/_sandbox/latency", routes_sandbox.get_latency, "none"),
    ("PUT", "/_sandbox/latency", routes_sandbox.set_latency, "none"),
    ("GET", "/_sandbox/deliveries", routes_sandbox.list_deliveries, "none"),
    ("POST", "/_sandbox/webhook", routes_sandbox.set_webhook, "none"),
    ("GET", "/_sandbox/requests", routes_sandbox.list_requests, "none"),
    ("POST", "/_sandbox/clock", routes_sandbox.advance_clock, "none"),
    # Registries and OSV for dependency review (routes_registry.py); no credential, as on the real services.
    ("GET", "/_registry/pypi/{name}/json", routes_registry.pypi_project, "none"),
    ("GET", "/_registry/go/{module:path}/@v/list", routes_registry.go_list, "none"),
    ("GET", "/_registry/go/{module:path}/@v/{version}.info", routes_registry.go_info, "none"),
    ("GET", "/_registry/maven/{path:path}/maven-metadata.xml", routes_registry.maven_metadata, "none"),
    ("POST", "/_registry/osv/v1/querybatch", routes_registry.osv_querybatch, "none"),
    ("GET", "/_registry/osv/v1/vulns/{id}", routes_registry.osv_vuln, "none"),
    ("GET", "/_registry/npm/{name:path}", routes_registry.npm_package, "none"),
]

ROUTES = [Route(method, _compile(pattern), handler, auth) for method, pattern, handler, auth in _TABLE]


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    for route in ROUTES:
        if route.method != method:
            continue
        m = route.regex.match(path)
        if m:
            return route, m.groupdict()
    return None
