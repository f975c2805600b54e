"""Which base `prodready review` compares with when no --base is given (pure, from the environment).

In GitHub Actions the event says what the change is compared with: a pull request's base branch
(GITHUB_BASE_REF), a merge group's base commit, or for a push the repository's default branch.
Elsewhere it is the remote's default branch. Never the branch's own upstream: on a pushed branch that
is the branch itself, and the review would find an empty change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCAL_CANDIDATES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


class EventError(Exception):
    """GITHUB_EVENT_PATH names a file that cannot be read as JSON; the message is one line."""


@dataclass(frozen=True)
class BaseChoice:
    candidates: tuple[str, ...]
    """Refs or commit ids to try, in order; the first one present in the clone is the base."""
    source: str
    """Where the choice came from, for messages (e.g. 'GITHUB_BASE_REF=main')."""
    branch: str | None = None
    """The base branch's name when the CI event names one (then a missing base needs a fetch)."""


def _branch(ref: str) -> str:
    return ref.removeprefix("refs/heads/")


def _remote_first(branch: str) -> tuple[str, ...]:
    # actions/checkout fetches the base as a remote-tracking branch; a local branch of that name may be stale.
    return (f"origin/{branch}", branch)


def choose_base(env: Mapping[str, str], event: Mapping[str, Any] | None) -> BaseChoice:
    if env.get("GITHUB_ACTIONS") == "true":
        base_ref = env.get("GITHUB_BASE_REF", "").strip()
        if base_ref:
            pr = (event or {}).get("pull_request") or {}
            sha = (pr.get("base") or {}).get("sha") if isinstance(pr, dict) else None
            extra = (str(sha),) if isinstance(sha, str) and sha else ()
            return BaseChoice((*_remote_first(_branch(base_ref)), *extra), f"GITHUB_BASE_REF={base_ref}",
                              _branch(base_ref))
        group = (event or {}).get("merge_group")
        if env.get("GITHUB_EVENT_NAME") == "merge_group" and isinstance(group, dict):
            branch = _branch(str(group.get("base_ref") or "")) or None
            sha = str(group.get("base_sha") or "")
            candidates = ((sha,) if sha else ()) + (_remote_first(branch) if branch else ())
            if candidates:
                return BaseChoice(candidates, "the merge group's base", branch or sha[:12])
        default = ((event or {}).get("repository") or {}).get("default_branch")
        if isinstance(default, str) and default:
            return BaseChoice(_remote_first(default), f"the repository's default branch ({default})", default)
    return BaseChoice(LOCAL_CANDIDATES, "the remote's default branch")


def fetch_hint(branch: str | None) -> str:
    name = branch or "main"
    return f"fetch the base: `fetch-depth: 0` in actions/checkout, or `git fetch origin {name}`"


def load_event(env: Mapping[str, str]) -> dict[str, Any] | None:
    """The Actions event payload (GITHUB_EVENT_PATH), or None outside Actions or without one."""
    if env.get("GITHUB_ACTIONS") != "true" or not env.get("GITHUB_EVENT_PATH"):
        return None
    path = Path(env["GITHUB_EVENT_PATH"])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EventError(f"cannot read GITHUB_EVENT_PATH {path}: {exc}") from None
    return data if isinstance(data, dict) else None
