"""Threads follow the code: on a new head, prodready's threads whose finding is gone are resolved.

Each earlier thread that prodready started carries its finding's fingerprint. When a review of a new
head no longer finds that fingerprint in a file it scanned completely, the thread gets a short reply
naming the head that fixed it and is resolved (GraphQL resolveReviewThread). Nothing is edited or
deleted, so a thread with a human reply keeps every word. A finding whose file was skipped or whose
scan had errors is not called fixed: absence of evidence is not a fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from github_app import github, logs, metrics
from github_app.github import GitHubError, Installation, ReviewThread
from github_app.render import FINGERPRINT_RE

FIXED_MARK = "<!-- prodready:fixed={} -->"
FIXED_RE = re.compile(r"<!-- prodready:fixed=([0-9a-f]{8,64}) -->")


@dataclass(frozen=True)
class Fixed:
    thread: ReviewThread
    fingerprint: str
    root_comment_id: int
    replied: bool
    """A 'Fixed in' reply of ours is already there (an earlier attempt resolved nothing)."""


def fixed_threads(threads: Iterable[ReviewThread], *, bot_login: str, present: set[str],
                  unscanned: set[str], partial: bool) -> list[Fixed]:
    """Open threads prodready started whose finding the new head no longer has. Pure."""
    if partial:
        return []
    out: list[Fixed] = []
    for t in threads:
        if t.is_resolved or not t.comments or t.path in unscanned:
            continue
        root = t.comments[0]
        if root.author.lower() != bot_login.lower():
            continue
        prints = FINGERPRINT_RE.findall(root.body)
        if not prints or prints[0] in present:
            continue
        replied = any(c.author.lower() == bot_login.lower() and prints[0] in FIXED_RE.findall(c.body)
                      for c in t.comments[1:])
        out.append(Fixed(t, prints[0], root.database_id, replied))
    return out


def fixed_reply(head_sha: str, fingerprint: str) -> str:
    return (f"Fixed in {head_sha[:7]}: prodready no longer finds this on the new head, so this thread "
            f"is resolved.\n{FIXED_MARK.format(fingerprint)}")


def follow_up(gh: Installation, repo: str, number: int, head_sha: str, *, bot_login: str,
              present: set[str], unscanned: set[str], partial: bool) -> list[str]:
    """Reply to and resolve each fixed thread; returns summary lines (what was resolved, what failed)."""
    log = logs.get()
    try:
        threads = github.review_threads(gh, repo, number)
    except GitHubError as exc:
        log.warning("threads.read_failed", error=str(exc))
        return [f"Earlier threads were not checked for fixes: reading them failed ({exc})."]
    todo = fixed_threads(threads, bot_login=bot_login, present=present, unscanned=unscanned, partial=partial)
    resolved: list[str] = []
    failed: list[str] = []
    for item in todo:
        try:
            if not item.replied:
                github.reply_to_review_comment(gh, repo, number, item.root_comment_id,
                                               fixed_reply(head_sha, item.fingerprint))
            github.resolve_thread(gh, item.thread.id)
        except GitHubError as exc:
            # One thread failing must not stop the others or the check run; it is retried next review.
            log.warning("threads.resolve_failed", thread=item.thread.id, error=str(exc))
            failed.append(f"`{item.thread.path}` ({exc})")
            continue
        resolved.append(f"`{item.thread.path}`")
    metrics.THREADS.labels("resolved").inc(len(resolved))
    metrics.THREADS.labels("failed").inc(len(failed))
    log.info("threads.followed_up", resolved=len(resolved), failed=len(failed), open=len(threads))
    return summary_lines(resolved, failed, head_sha)


def summary_lines(resolved: Sequence[str], failed: Sequence[str], head_sha: str) -> list[str]:
    lines: list[str] = []
    if resolved:
        lines.append(f"Resolved {len(resolved)} earlier thread(s) whose finding is fixed in {head_sha[:7]}: "
                     + ", ".join(resolved) + ".")
    if failed:
        lines.append(f"{len(failed)} fixed thread(s) could not be resolved and will be tried again on the "
                     "next review: " + "; ".join(failed) + ".")
    return lines
