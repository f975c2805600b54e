"""What a delivery must look like before it is routed. Pure: headers, bytes and parsed JSON in, reasons out.

A hostile or broken sender gets a one-line reason (401/400), never a 500: the signature header must have
GitHub's exact shape, nesting is bounded, the payload of a routed event must match githubkit's model of
the fields and types routing reads (MODELS), and a repository name must be one GitHub could have.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError

# sha256= and 64 lowercase hex digits, as GitHub sends it (github-api-facts.md §1).
SIGNATURE_RE = re.compile(r"sha256=[0-9a-f]{64}")
# GitHub payloads nest about 10 deep; 64 leaves room and keeps a hostile 1,000-deep document out.
MAX_JSON_DEPTH = 64
# Owners: letters, digits and single hyphens, up to 39; names: letters, digits, '-', '_', '.', up to 100
# (GitHub's sign-up and new-repository forms).
OWNER_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
NAME_RE = re.compile(r"[A-Za-z0-9._-]{1,100}")
# GUIDs in practice; anything printable and short is accepted so a redelivery tool's ids work too.
DELIVERY_RE = re.compile(r"[\x21-\x7e]{1,200}")


class Rejected(Exception):
    """A delivery that cannot be used; the message is the one-line reason sent back."""


def signature_header_ok(header: str | None) -> bool:
    return header is not None and SIGNATURE_RE.fullmatch(header.strip()) is not None


class Signer:
    """HMAC-SHA256 over the body as it streams in, so no body is held before it can be judged."""

    def __init__(self, secret: str) -> None:
        self._mac = hmac.new(secret.encode(), digestmod=hashlib.sha256)

    def update(self, chunk: bytes) -> None:
        self._mac.update(chunk)

    def matches(self, header: str) -> bool:
        return hmac.compare_digest("sha256=" + self._mac.hexdigest(), header.strip())


def _too_deep(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def parse_json(body: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except RecursionError:
        raise Rejected(f"JSON nested deeper than {max_depth} levels") from None
    except ValueError:  # UnicodeDecodeError and JSONDecodeError both
        raise Rejected("body is not a JSON object") from None
    if not isinstance(payload, dict):
        raise Rejected("body is not a JSON object")
    if _too_deep(payload, max_depth):
        raise Rejected(f"JSON nested deeper than {max_depth} levels")
    return payload


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Id(_Loose):
    id: StrictInt


class _Repository(_Loose):
    full_name: StrictStr


class _Sender(_Loose):
    login: StrictStr
    type: StrictStr


class _Envelope(_Loose):
    """What every routed event carries (the installation's id, the repository, the sender)."""

    action: StrictStr
    installation: _Id | None = None  # absent in a repository webhook's delivery: routed as ignored
    sender: _Sender | None = None


class _Head(_Loose):
    sha: StrictStr


class _Pull(_Loose):
    number: StrictInt
    state: StrictStr
    head: _Head


class _PullRequestEvent(_Envelope):
    repository: _Repository
    number: StrictInt
    pull_request: _Pull
    changes: dict[str, Any] | None = None


class _Number(_Loose):
    number: StrictInt


class _Check(_Loose):
    head_sha: StrictStr
    pull_requests: list[_Number]


class _CheckRunEvent(_Envelope):
    repository: _Repository
    check_run: _Check


class _CheckSuiteEvent(_Envelope):
    repository: _Repository
    check_suite: _Check


class _Issue(_Loose):
    number: StrictInt
    pull_request: dict[str, Any] | None = None


class _Comment(_Loose):
    body: StrictStr


class _IssueCommentEvent(_Envelope):
    repository: _Repository
    issue: _Issue
    comment: _Comment


# The fields routing and the job read, with their types. Not githubkit's full webhook models: those
# follow the newest REST schema and reject GitHub's own deliveries (a real pull_request.opened fails
# on pull_request.labels[0].archived_by, tests/e2e/test_webhook_endpoint.py), so they cannot be a gate.
MODELS: dict[str, type[BaseModel]] = {
    "pull_request": _PullRequestEvent,
    "check_run": _CheckRunEvent,
    "check_suite": _CheckSuiteEvent,
    "issue_comment": _IssueCommentEvent,
    "installation": _Envelope,
    "installation_repositories": _Envelope,
}


def model_for(event: str, action: str) -> type[BaseModel] | None:
    """The model a routed event.action must match, or None for an event without one."""
    return MODELS.get(event)


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "payload"


def validate_payload(event: str, payload: Mapping[str, Any]) -> None:
    """Raise Rejected when a payload does not have the fields and types its event and action promise."""
    action = payload.get("action", "")
    if not isinstance(action, str):
        raise Rejected("action: must be a string")
    model = model_for(event, action)
    if model is None:
        return
    try:
        model.model_validate(payload)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise Rejected(f"{event}.{action} payload: {_where(first['loc'])}: {first['msg']}{more}"[:300]) from None


def repo_name_problem(full_name: str) -> str | None:
    owner, _, name = full_name.partition("/")
    if not OWNER_RE.fullmatch(owner) or not NAME_RE.fullmatch(name) or name in (".", ".."):
        return f"repository name {full_name[:120]!r} is not a GitHub owner/name"
    return None


def delivery_ok(delivery: str) -> bool:
    return DELIVERY_RE.fullmatch(delivery) is not None


def warm_up(routes: Iterable[tuple[str, str]]) -> None:
    """Build the routed events' validators now rather than on the first delivery."""
    for event, action in routes:
        model = model_for(event, action)
        if model is not None:
            # {} is no event and fails; the point is only to build the validator.
            with contextlib.suppress(ValidationError):
                model.model_validate({})
