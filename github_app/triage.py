"""Triage from the PR: `/prodready ignore|unignore|review` in a PR comment or a reply on a prodready comment.

    /prodready ignore <rule-id | this> <reason>   dismiss a finding for this PR, re-run the check
    /prodready unignore [<rule-id | this>]        undo it (bare, in a PR comment: undo every dismissal)
    /prodready review                             review the current head again

Who may: policy `triage.allowed` (write by default), read from GitHub's collaborator permission API
(not the comment's author_association, which says nothing about maintain or triage roles). The author
of an AI-authored PR may not dismiss findings on it unless `triage.ai_author_may_dismiss` allows.

The record of a dismissal is prodready's own confirmation reply: it carries a hidden marker, and every
review replays the markers of prodready's comments in order. Nothing is stored beside the PR, so a
redeployed or scaled-out app forgets nothing, and only prodready's account can write a marker.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from github_app import github, logs, metrics
from github_app.events import COMMAND_PREFIX, Job
from github_app.filtering import Placed
from github_app.github import GitHubError, Installation, PullRequest, ThreadComment
from github_app.policy import EffectivePolicy, decide
from github_app.render import FINGERPRINT_RE
from github_app.result import ReviewResult

# Hidden markers in prodready's replies: the dismissal record, and which command a reply answered
# (so a retried job does not answer or record a command twice).
RECORD_MARK = "<!-- prodready:triage {} -->"
RECORD_RE = re.compile(r"<!-- prodready:triage (\{.*?\}) -->")
ANSWERED_MARK = "<!-- prodready:answered={} -->"
ANSWERED_RE = re.compile(r"<!-- prodready:answered=(\d+) -->")
# GitHub repository roles, lowest first.
ROLE_RANK = {"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}
MAX_REASON = 300
THIS = "this"
RERUN = "rerun"
_RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")


@dataclass(frozen=True)
class Command:
    verb: str
    """ignore | unignore | review"""
    target: str = ""
    """A rule id, "this", or "" (unignore everything / review)."""
    reason: str = ""


@dataclass(frozen=True)
class Dismissal:
    target: str
    """`rule:<id>` or `fp:<fingerprint>`."""
    by: str
    at: str
    reason: str

    def matches(self, rule_id: str, fingerprint: str) -> bool:
        kind, _, value = self.target.partition(":")
        return value == (rule_id if kind == "rule" else fingerprint)

    def label(self) -> str:
        kind, _, value = self.target.partition(":")
        return f"`{value}`" if kind == "rule" else f"the finding `{value[:12]}`"


def parse(body: str) -> Command | str:
    """The command in a comment's first line, or why it is not one. Pure."""
    line = body.strip().splitlines()[0] if body.strip() else ""
    words = line.split()
    if not words or words[0].lower() != COMMAND_PREFIX:
        return "not a prodready command"
    verb = words[1].lower() if len(words) > 1 else ""
    if verb == "review":
        return Command("review")
    if verb == "unignore":
        return Command("unignore", words[2] if len(words) > 2 else "")
    if verb == "ignore":
        if len(words) < 3:
            return "say what to ignore: `/prodready ignore <rule-id or this> <reason>`"
        if len(words) < 4:
            return "give a reason: `/prodready ignore <rule-id or this> <reason>`"
        # No HTML comment can ride along into the record marker.
        reason = re.sub(r"[<>]", "", " ".join(words[3:]))[:MAX_REASON]
        return Command("ignore", words[2], reason)
    return f"unknown command `{verb or '(none)'}`: use ignore, unignore or review"


def replay(bodies: Iterable[str]) -> list[Dismissal]:
    """The dismissals in force after prodready's records, oldest first. Pure."""
    active: dict[str, Dismissal] = {}
    for body in bodies:
        for raw in RECORD_RE.findall(body):
            try:
                rec = json.loads(raw)
            except ValueError:
                continue
            if rec.get("op") == "ignore":
                active[str(rec["target"])] = Dismissal(str(rec["target"]), str(rec.get("by", "")),
                                                       str(rec.get("at", "")), str(rec.get("reason", "")))
            elif rec.get("op") == "unignore":
                if rec.get("target"):
                    active.pop(str(rec["target"]), None)
                else:
                    active.clear()
    return list(active.values())


def apply(result: ReviewResult, dismissals: Sequence[Dismissal]) -> ReviewResult:
    """Drop dismissed findings and decide again; the summary lists every dismissal. Pure."""
    if not dismissals:
        return result
    kept: list[Placed] = []
    dropped = []
    for p in result.placed:
        if any(d.matches(p.finding.rule_id, p.finding.fingerprint) for d in dismissals):
            dropped.append(p.finding)
        else:
            kept.append(p)
    notes = [f"Dismissed in this PR ({len(dropped)} finding(s) not counted):"]
    notes += [f"  {d.label()} by @{d.by} at {d.at}: {d.reason}" for d in dismissals]
    conclusion = result.conclusion
    if conclusion != "skipped":
        conclusion = decide([p.finding for p in kept], result.gate).conclusion
    return replace(result, placed=kept, conclusion=conclusion, notes=[*result.notes, *notes],
                   dismissed=[*result.dismissed, *dropped])


def refusal(cmd: Command, *, login: str, is_bot: bool, role: str, allowed: str, ai_own_pr: bool,
            may_dismiss: bool, pr_open: bool) -> str | None:
    """Why this person may not run this command, or None. Pure."""
    if not pr_open:
        return "this pull request is closed"
    if is_bot:
        return "commands from bot accounts are not accepted"
    if ROLE_RANK.get(role, 0) < ROLE_RANK[allowed]:
        return (f"@{login} has the {role} role on this repository; policy `triage.allowed` needs {allowed} "
                "or higher")
    if cmd.verb == "ignore" and ai_own_pr and not may_dismiss:
        return ("the author of an AI-authored pull request may not dismiss its findings "
                "(policy `triage.ai_author_may_dismiss`); ask a reviewer")
    return None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Source:
    """The command comment as GitHub has it now (re-read: it may have been edited)."""

    id: int
    author: str
    author_is_bot: bool
    body: str
    thread_root: ThreadComment | None
    """For a reply on a review thread: the thread's first comment."""


def _bot_bodies(gh: Installation, job: Job, bot_login: str,
                review: Sequence[ThreadComment] | None = None) -> list[str]:
    """Our comments on the PR, oldest first; `review` is the PR's review comments when already read."""
    ours = [c for c in github.issue_comments(gh, job.repo, job.pr_number) if c.author.lower() == bot_login.lower()]
    if review is None:
        review = github.review_comments(gh, job.repo, job.pr_number)
    ours += [c for c in review if c.author.lower() == bot_login.lower()]
    return [c.body for c in sorted(ours, key=lambda c: c.database_id)]  # ids grow with time


def load(gh: Installation, repo: str, number: int, bot_login: str,
         review: Sequence[ThreadComment] | None = None) -> list[Dismissal]:
    job = Job(0, repo, number, "", "")
    return replay(_bot_bodies(gh, job, bot_login, review))


def _source(gh: Installation, job: Job) -> Source | None:
    if job.reason.startswith("pull_request_review_comment"):
        for thread in github.review_threads(gh, job.repo, job.pr_number):
            for c in thread.comments:
                if c.database_id == job.comment_id:
                    return Source(c.database_id, c.author, c.author.endswith("[bot]"), c.body, thread.comments[0])
        return None
    for c in github.issue_comments(gh, job.repo, job.pr_number):
        if c.database_id == job.comment_id:
            return Source(c.database_id, c.author, c.author.endswith("[bot]"), c.body, None)
    return None


def _target(cmd: Command, src: Source, bot_login: str, known: set[str]) -> str:
    """`rule:<id>` / `fp:<fp>`, or raise ValueError with what is wrong."""
    if cmd.target.lower() == THIS:
        root = src.thread_root
        prints = FINGERPRINT_RE.findall(root.body) if root and root.author.lower() == bot_login.lower() else []
        if not prints:
            raise ValueError("`this` works only in a reply on a prodready comment; name the rule id instead")
        return f"fp:{prints[0]}"
    if not _RULE_ID.match(cmd.target) or cmd.target not in known:
        raise ValueError(f"unknown rule id `{cmd.target}`")
    return f"rule:{cmd.target}"


def run_command(gh: Installation, job: Job, pr: PullRequest, *, bot_login: str,
                policy: Callable[[], EffectivePolicy], ai_authored: Callable[[EffectivePolicy], bool],
                known_rules: set[str]) -> str:
    """Answer one command comment; RERUN when the check must be reviewed again."""
    outcome = _run_command(gh, job, pr, bot_login=bot_login, policy=policy, ai_authored=ai_authored,
                           known_rules=known_rules)
    metrics.COMMANDS.labels(job.reason.split(".", 1)[0], outcome).inc()
    return outcome


def _run_command(gh: Installation, job: Job, pr: PullRequest, *, bot_login: str,
                 policy: Callable[[], EffectivePolicy], ai_authored: Callable[[EffectivePolicy], bool],
                 known_rules: set[str]) -> str:
    log = logs.get()
    src = _source(gh, job)
    if src is None:
        log.info("command.gone", comment=job.comment_id)
        return "command_deleted"  # deleted before we got to it: nothing to answer
    cmd = parse(src.body)
    if isinstance(cmd, str) and cmd == "not a prodready command":
        log.info("command.edited_away", comment=job.comment_id)
        return "not_a_command"  # edited into something else since it was sent
    bodies = _bot_bodies(gh, job, bot_login)
    if any(str(job.comment_id) in ANSWERED_RE.findall(b) for b in bodies):
        log.info("command.already_answered", comment=job.comment_id)
        return RERUN if isinstance(cmd, Command) and cmd.verb != "review" else "answered"
    if isinstance(cmd, str):
        _answer(gh, job, src, f"Not done: {cmd}.")
        return "command_refused"
    effective = policy()
    role = "none" if src.author_is_bot else github.collaborator_permission(gh, job.repo, src.author)
    ai_own = cmd.verb == "ignore" and src.author.lower() == pr.author_login.lower() and ai_authored(effective)
    why = refusal(cmd, login=src.author, is_bot=src.author_is_bot, role=role, allowed=effective.triage_allowed,
                  ai_own_pr=ai_own, may_dismiss=effective.ai_author_may_dismiss, pr_open=pr.state == "open")
    if why is not None:
        log.info("command.refused", verb=cmd.verb, author=src.author, why=why)
        _answer(gh, job, src, f"Not done: {why}.")
        return "command_refused"
    if cmd.verb == "review":
        _answer(gh, job, src, "Reviewing the current head again; the `prodready` check will update.")
        return RERUN
    try:
        target = _target(cmd, src, bot_login, known_rules) if cmd.target else ""
    except ValueError as exc:
        _answer(gh, job, src, f"Not done: {exc}.")
        return "command_refused"
    if cmd.verb == "ignore":
        record = {"op": "ignore", "target": target, "by": src.author, "at": _now(), "reason": cmd.reason}
        text = (f"Dismissed {Dismissal(target, '', '', '').label()} for this pull request: {cmd.reason} "
                f"(@{src.author}). Re-running the `prodready` check; `/prodready unignore` undoes this.")
    else:
        active = replay(bodies)
        if target and all(d.target != target for d in active):
            _answer(gh, job, src, "Not done: nothing like that is dismissed in this pull request.")
            return "command_refused"
        record = {"op": "unignore", "target": target, "by": src.author, "at": _now()}
        what = Dismissal(target, "", "", "").label() if target else "every dismissal"
        text = f"Restored {what} (@{src.author}). Re-running the `prodready` check."
    _answer(gh, job, src, text, record)
    log.info("command.done", verb=cmd.verb, target=target, author=src.author)
    return RERUN


def _answer(gh: Installation, job: Job, src: Source, text: str, record: dict[str, str] | None = None) -> None:
    body = text + "\n" + ANSWERED_MARK.format(job.comment_id)
    if record is not None:
        body += "\n" + RECORD_MARK.format(json.dumps(record, sort_keys=True))
    try:
        if src.thread_root is not None:
            github.reply_to_review_comment(gh, job.repo, job.pr_number, src.thread_root.database_id, body)
        else:
            github.create_issue_comment(gh, job.repo, job.pr_number, body)
    except GitHubError:
        logs.get().error("command.reply_failed", comment=job.comment_id, exc_info=True)
        raise  # the worker retries the job; the marker keeps the retry from answering twice
