"""Signature check, event parsing and routing. Pure: no I/O; the server feeds it bytes and headers."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

# GitHub does not deliver payloads over 25 MB (github-api-facts.md §1).
MAX_PAYLOAD_BYTES = 25 * 1024 * 1024

REVIEW = "review"
LOG_ONLY = "log"

# Routing is data: (event, action) -> what to do. app.yml must subscribe to every event here
# (tests/test_app_manifest.py checks it).
ROUTES: dict[tuple[str, str], str] = {
    ("pull_request", "opened"): REVIEW,
    ("pull_request", "synchronize"): REVIEW,
    ("pull_request", "reopened"): REVIEW,
    ("pull_request", "ready_for_review"): REVIEW,
    ("pull_request", "edited"): REVIEW,  # only when the base branch changed (see route())
    ("check_run", "rerequested"): REVIEW,
    ("check_run", "requested_action"): REVIEW,
    ("check_suite", "rerequested"): REVIEW,
    ("issue_comment", "created"): REVIEW,  # only a "/prodready ..." command on a PR (triage.py)
    ("pull_request_review_comment", "created"): REVIEW,  # only a "/prodready ..." reply (triage.py)
    ("merge_group", "checks_requested"): REVIEW,  # the merge queue (mergequeue.py)
    ("installation", "created"): LOG_ONLY,
    ("installation", "deleted"): LOG_ONLY,
    ("installation", "suspend"): LOG_ONLY,
    ("installation", "unsuspend"): LOG_ONLY,
    ("installation", "new_permissions_accepted"): LOG_ONLY,
    ("installation_repositories", "added"): LOG_ONLY,
    ("installation_repositories", "removed"): LOG_ONLY,
}
COMMAND = "/prodready review"
COMMAND_PREFIX = "/prodready"


@dataclass(frozen=True)
class Job:
    installation_id: int
    repo: str
    """owner/name"""
    pr_number: int
    head_sha: str
    """The head the event saw; empty when the event does not say (a comment command)."""
    delivery_id: str
    reason: str = ""
    comment_id: int = 0
    """The command comment a triage job answers (issue or review comment, by `reason`); 0 otherwise."""
    base_ref: str = ""
    """A merge group's base branch (mergequeue.py); its pr_number is the queue entry's PR."""
    pushed_at: str = ""
    """The PR's updated_at in a pull_request event (ISO 8601): a later one supersedes this PR's queued
    jobs for older heads (queue.py); empty for other events, which supersede nothing and are not superseded."""

    @property
    def supersedes(self) -> bool:
        return bool(self.pushed_at and self.head_sha and self.pr_number and not self.comment_id
                    and not self.base_ref)

    @property
    def pr_key(self) -> str:
        return f"{self.repo}#{self.pr_number}"

    @property
    def key(self) -> str:
        # Each command is its own job: two commands in a row must not collapse into one.
        suffix = f"/c{self.comment_id}" if self.comment_id else ""
        return f"{self.repo}#{self.pr_number}@{self.head_sha}{suffix}"

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Job:
        data = json.loads(text)
        return cls(**data)


@dataclass(frozen=True)
class Routed:
    outcome: str
    """queued | ignored | logged"""
    reason: str
    jobs: list[Job] = field(default_factory=list)


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """X-Hub-Signature-256 over the raw body, compared in constant time."""
    if not header or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.strip())


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _is_own_bot(payload: Mapping[str, Any], bot_login: str) -> bool:
    sender = payload.get("sender") or {}
    return sender.get("type") == "Bot" and str(sender.get("login", "")).lower() == bot_login.lower()


def _repo(payload: Mapping[str, Any]) -> str:
    return str((payload.get("repository") or {}).get("full_name", ""))


def _installation(payload: Mapping[str, Any]) -> int | None:
    inst = payload.get("installation") or {}
    value = inst.get("id")
    return int(value) if isinstance(value, int) else None


# Check run buttons (render.check_actions): both review the head again.
CHECK_ACTIONS = ("rereview", "rerun")
_EXTERNAL_ID = re.compile(r"^(?P<repo>[^#@\s]+/[^#@\s]+)#(?P<number>\d+)@(?P<sha>[0-9a-f]{7,64})$")


# GitHub's timestamps, as in updated_at: they compare correctly as strings.
_ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

# The merge queue's temporary branch: gh-readonly-queue/<base>/pr-<number>-<sha>.
_QUEUE_REF = re.compile(r"^(?:refs/heads/)?gh-readonly-queue/(?P<base>.+)/pr-(?P<number>\d+)-[0-9a-f]{7,64}$")


def external_id(repo: str, number: int, head_sha: str) -> str:
    """What prodready's check runs carry, so a payload without pull_requests still leads to the PR."""
    return f"{repo}#{number}@{head_sha}"


def parse_external_id(value: str, repo: str) -> tuple[int, str] | None:
    m = _EXTERNAL_ID.match(value)
    if m is None or m["repo"].lower() != repo.lower():
        return None  # another format (an older run's delivery id) or another repository's run
    return int(m["number"]), m["sha"]


def is_command(body: str) -> bool:
    first = body.strip().split(None, 1)
    return bool(first) and first[0].lower() == COMMAND_PREFIX


def route(event: str, payload: Mapping[str, Any], delivery_id: str, *, bot_login: str) -> Routed:
    action = str(payload.get("action", ""))
    kind = ROUTES.get((event, action))
    if kind is None:
        return Routed("ignored", f"{event}.{action or '-'} is not handled")
    if _is_own_bot(payload, bot_login):
        return Routed("ignored", "sent by prodready's own bot")
    if kind == LOG_ONLY:
        return Routed("logged", f"{event}.{action}")
    inst = _installation(payload)
    repo = _repo(payload)
    if inst is None or not repo:
        return Routed("ignored", "no installation or repository in the payload")
    reason = f"{event}.{action}"

    def job(number: int, sha: str) -> Job:
        return Job(inst, repo, number, sha, delivery_id, reason)

    if event == "pull_request":
        pr = payload.get("pull_request") or {}
        if action == "edited" and "base" not in (payload.get("changes") or {}):
            return Routed("ignored", "pull_request.edited without a base change")
        if pr.get("state") == "closed":
            return Routed("ignored", "pull request is closed")
        updated = pr.get("updated_at")
        pushed_at = updated if isinstance(updated, str) and _ISO_TIME.match(updated) else ""
        return Routed("queued", reason, [replace(job(int(pr["number"]), str(pr["head"]["sha"])),
                                                 pushed_at=pushed_at)])
    if event in ("check_run", "check_suite"):
        obj = payload.get(event) or {}
        prs = obj.get("pull_requests") or []
        sha = str(obj.get("head_sha", ""))
        if action == "requested_action":
            identifier = str((payload.get("requested_action") or {}).get("identifier", ""))
            if identifier not in CHECK_ACTIONS:
                return Routed("ignored", f"unknown check run action {identifier!r}")
        if not prs:
            # Fork PRs carry no pull_requests here (github-api-facts.md surprise 8): the run's
            # external_id names the PR, or the worker finds it from the head SHA (pr_number 0).
            found = parse_external_id(str(obj.get("external_id") or ""), repo)
            return Routed("queued", reason, [job(found[0] if found else 0, sha)])
        return Routed("queued", reason, [job(int(p["number"]), sha) for p in prs])
    if event in ("issue_comment", "pull_request_review_comment"):
        comment = payload.get("comment") or {}
        body = str(comment.get("body", "")).strip()
        if event == "issue_comment":
            issue = payload.get("issue") or {}
            if not issue.get("pull_request"):
                return Routed("ignored", "comment on an issue, not a pull request")
            number = int(issue["number"])
        else:
            number = int((payload.get("pull_request") or {}).get("number", 0))
        if not is_command(body):
            return Routed("ignored", "comment is not a prodready command")
        # The worker re-reads the comment (it may be edited or deleted by then) and checks permission.
        return Routed("queued", "command", [Job(inst, repo, number, "", delivery_id, reason,
                                                comment_id=int(comment.get("id", 0)))])
    if event == "merge_group":
        group = payload.get("merge_group") or {}
        head_ref = str(group.get("head_ref", ""))
        m = _QUEUE_REF.match(head_ref)
        sha = str(group.get("head_sha", ""))
        if m is None or not sha:
            return Routed("ignored", f"merge group ref {head_ref!r} is not gh-readonly-queue/<base>/pr-<n>-<sha>")
        base = str(group.get("base_ref", "")).removeprefix("refs/heads/") or m["base"]
        return Routed("queued", reason, [Job(inst, repo, int(m["number"]), sha, delivery_id, reason,
                                             base_ref=base)])
    return Routed("ignored", f"{event}.{action} has no handler")
