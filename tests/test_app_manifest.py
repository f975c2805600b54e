"""app.yml subscribes to every event the app routes and grants every permission the client uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

import github_app.github
from github_app.events import ROUTES

ROOT = Path(__file__).resolve().parents[1]
# GitHub delivers these to every App, subscribed or not.
ALWAYS_DELIVERED = {"installation", "installation_repositories"}
# githubkit namespace.method used by github_app/github.py -> (permission, access) it needs.
NEEDS: dict[str, tuple[str, str]] = {
    "pulls.get": ("pull_requests", "read"),
    "pulls.list_files": ("pull_requests", "read"),
    "pulls.list_commits": ("pull_requests", "read"),
    "pulls.list_review_comments": ("pull_requests", "read"),
    "pulls.create_review": ("pull_requests", "write"),
    "repos.get_content": ("contents", "read"),
    "checks.list_for_ref": ("checks", "read"),
    "checks.create": ("checks", "write"),
    "checks.update": ("checks", "write"),
    # `prodready register`: the manifest conversion is unauthenticated; metadata is every App's floor.
    "apps.create_from_manifest": ("metadata", "read"),
    "pulls.create_reply_for_review_comment": ("pull_requests", "write"),
    # Issue comments on a PR: pull_requests permission suffices (docs: "Create an issue comment").
    "issues.create_comment": ("pull_requests", "write"),
    "issues.list_comments": ("pull_requests", "read"),
    "repos.get_collaborator_permission_level": ("metadata", "read"),
    "repos.list_pull_requests_associated_with_commit": ("contents", "read"),
    "repos.compare_commits": ("contents", "read"),
    # The tarball link for a whole-tree read (docs: "Download a repository archive (tar)").
    "repos.download_tarball_archive": ("contents", "read"),
}
# Events -> the permission that GitHub requires before it will deliver them to an App.
EVENT_PERMISSION = {
    "pull_request": "pull_requests",
    "check_run": "checks",
    "check_suite": "checks",
    "issue_comment": "issues",
    "pull_request_review_comment": "pull_requests",
    "merge_group": "merge_queues",
}
RANK = {"read": 1, "write": 2}


def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "app.yml").read_text())
    return data


def test_every_routed_event_is_subscribed() -> None:
    subscribed = set(_manifest()["default_events"])
    routed = {event for event, _ in ROUTES}
    missing = routed - subscribed - ALWAYS_DELIVERED
    assert not missing, f"app.yml default_events lacks {sorted(missing)}"
    assert subscribed <= routed, f"subscribed but never handled: {sorted(subscribed - routed)}"


def test_every_permission_the_client_uses_is_granted() -> None:
    granted: dict[str, str] = _manifest()["default_permissions"]
    source = Path(github_app.github.__file__).read_text()
    used = set(re.findall(r"\.rest\.(\w+\.\w+)\b", source))
    unknown = used - set(NEEDS)
    assert not unknown, f"github.py calls {sorted(unknown)}: add the permission each needs to NEEDS and app.yml"
    needed = [NEEDS[u] for u in sorted(used)] + [("metadata", "read")]
    needed += [(EVENT_PERMISSION[e], "read") for e, _ in ROUTES if e in EVENT_PERMISSION]
    for perm, access in needed:
        assert perm in granted, f"app.yml default_permissions lacks {perm}"
        assert RANK[granted[perm]] >= RANK[access], f"{perm}: {granted[perm]} granted, {access} needed"


def test_exactly_the_expected_permissions() -> None:
    assert _manifest()["default_permissions"] == {
        "checks": "write", "pull_requests": "write", "contents": "read", "metadata": "read", "issues": "read",
        "merge_queues": "read"}
