"""Signature check, event parsing and routing. Pure: no I/O; the server feeds it bytes and headers."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    ("issue_comment", "created"): REVIEW,  # only a "/prodready review" command on a PR
    ("installation", "created"): LOG_ONLY,
    ("installation", "deleted"): LOG_ONLY,
    ("installation", "suspend"): LOG_ONLY,
    ("installation", "unsuspend"): LOG_ONLY,
    ("installation", "new_permissions_accepted"): LOG_ONLY,
    ("installation_repositories", "added"): LOG_ONLY,
    ("installation_repositories", "removed"): LOG_ONLY,
}
COMMAND = "/prodready review"


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

    @property
    def key(self) -> str:
        return f"{self.repo}#{self.pr_number}@{self.head_sha}"

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
        return Routed("queued", reason, [job(int(pr["number"]), str(pr["head"]["sha"]))])
    if event in ("check_run", "check_suite"):
        obj = payload.get(event) or {}
        if action == "requested_action" and (payload.get("requested_action") or {}).get("identifier") != "rerun":
            return Routed("ignored", "check_run.requested_action for a button prodready does not offer")
        prs = obj.get("pull_requests") or []
        sha = str(obj.get("head_sha", ""))
        if not prs:
            # Fork PRs carry no pull_requests here (github-api-facts.md surprise 8).
            return Routed("ignored", f"{event} has no pull request attached")
        return Routed("queued", reason, [job(int(p["number"]), sha) for p in prs])
    if event == "issue_comment":
        issue = payload.get("issue") or {}
        body = str((payload.get("comment") or {}).get("body", "")).strip()
        if not issue.get("pull_request"):
            return Routed("ignored", "comment on an issue, not a pull request")
        if not body.lower().startswith(COMMAND):
            return Routed("ignored", "comment is not a prodready command")
        return Routed("queued", "command", [job(int(issue["number"]), "")])
    return Routed("ignored", f"{event}.{action} has no handler")
