"""The sandbox's records: plain data the state holds and the payload builders read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Actor:
    login: str
    id: int

    @property
    def type(self) -> str:
        return "Bot" if self.login.endswith("[bot]") else "User"


@dataclass
class Installation:
    id: int
    account: Actor
    created_at: float


@dataclass
class Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None


@dataclass
class Repo:
    id: int
    owner: Actor
    name: str
    path: Path
    default_branch: str
    installation_id: int
    created_at: float
    pushed_at: float
    labels: dict[str, Label] = field(default_factory=dict)  # lower-case name -> label
    next_number: int = 1
    fork_of: Repo | None = None  # a fork shares its parent's git directory (routes_forks.py)

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"


@dataclass
class Pull:
    id: int
    number: int
    repo: Repo
    title: str
    body: str | None
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    user: Actor
    draft: bool
    created_at: float
    updated_at: float
    state: str = "open"
    closed_at: float | None = None
    labels: list[Label] = field(default_factory=list)
    # Totals of the current diff, refreshed whenever head or base moves.
    commits: int = 0
    additions: int = 0
    deletions: int = 0
    changed_files: int = 0
    comments: int = 0
    review_comments: int = 0
    head_repo: Repo | None = None  # a fork, for a PR from one; head_ref is then its git branch


@dataclass
class Review:
    id: int
    pull: Pull
    user: Actor
    body: str
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | PENDING
    commit_id: str
    submitted_at: float | None


@dataclass
class ReviewComment:
    id: int
    review: Review
    path: str
    body: str
    line: int | None
    side: str
    start_line: int | None
    start_side: str | None
    position: int | None
    diff_hunk: str
    commit_id: str
    created_at: float
    in_reply_to_id: int | None = None
    subject_type: str = "line"  # line | file
    updated_at: float | None = None


@dataclass
class IssueComment:
    id: int
    pull: Pull
    user: Actor
    body: str
    created_at: float
    updated_at: float


@dataclass
class CheckRun:
    id: int
    suite_id: int
    repo: Repo
    name: str
    head_sha: str
    status: str
    conclusion: str | None
    started_at: float
    completed_at: float | None
    external_id: str | None
    details_url: str | None
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    annotations: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)  # buttons; GitHub does not echo them


@dataclass
class Fault:
    method: str | None
    path_regex: re.Pattern[str]
    status: int
    remaining: int
    kind: str  # secondary | primary | server
    retry_after: int | None
    perform: bool = False
    """Handle the request as usual, then answer with the fault anyway (GitHub's 502 after a create)."""


@dataclass
class Delivery:
    guid: str
    event: str
    action: str | None
    payload: dict[str, Any] = field(repr=False)
    url: str | None
    status_code: int | None = None
    attempts: int = 0
    error: str | None = None
    delivered_at: float | None = None
    # For an App registered through the manifest flow: its own secret and id (None: the sandbox's App).
    secret: str | None = field(default=None, repr=False)
    target_id: int | None = None


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    query: str
    status: int
    at: float


@dataclass
class RegisteredApp:
    """An App created through the manifest flow (routes_manifest.py)."""

    id: int
    slug: str
    name: str
    owner: Actor
    manifest: dict[str, Any]
    pem: str
    public_key_pem: str
    webhook_secret: str
    client_id: str
    client_secret: str
    created_at: float


@dataclass
class ManifestRegistry:
    apps: dict[int, RegisteredApp] = field(default_factory=dict)
    codes: dict[str, tuple[int, float]] = field(default_factory=dict)  # code -> (app id, issued at)
