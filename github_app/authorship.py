"""Was this change written by a coding agent? Pure: callers pass the PR's facts in."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Commit:
    sha: str
    message: str
    author_name: str = ""
    author_email: str = ""
    author_login: str | None = None
    committer_name: str = ""
    committer_email: str = ""
    committer_login: str | None = None


@dataclass(frozen=True)
class ChangeFacts:
    author_login: str | None = None
    head_branch: str | None = None
    labels: tuple[str, ...] = ()
    commits: tuple[Commit, ...] = ()
    commits_truncated: bool = False


@dataclass(frozen=True)
class Authorship:
    ai: bool
    agent: str | None = None
    signal: str | None = None
    """What matched, e.g. 'commit 1a2b3c4 trailer Co-authored-by: Claude <noreply@anthropic.com>'."""


@dataclass(frozen=True)
class Signals:
    bots: tuple[str, ...] = ()
    trailers: tuple[str, ...] = ()
    branch_prefixes: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agent:
    name: str
    logins: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    trailer_names: tuple[str, ...] = ()
    branch_prefixes: tuple[str, ...] = ()
    generated_with: tuple[str, ...] = field(default=())


BUILTIN_AGENTS: tuple[Agent, ...] = (
    Agent("Claude Code", logins=("claude[bot]",), emails=("noreply@anthropic.com",),
          trailer_names=("claude",), branch_prefixes=("claude/",), generated_with=("claude code",)),
    Agent("GitHub Copilot coding agent", logins=("copilot-swe-agent[bot]", "Copilot"),
          trailer_names=("copilot",), branch_prefixes=("copilot/",)),
    Agent("OpenAI Codex", logins=("chatgpt-codex-connector[bot]",), branch_prefixes=("codex/",),
          generated_with=("codex",)),
)

_TRAILER = re.compile(r"^co-authored-by:\s*(?P<name>[^<]*?)\s*<(?P<email>[^>]*)>\s*$", re.I | re.M)
_GENERATED = re.compile(r"^.*generated with\s+\[?(?P<tool>[^\]\n(]+)", re.I | re.M)


def detect(facts: ChangeFacts, extra: Signals = Signals(),
           agents: Sequence[Agent] = BUILTIN_AGENTS) -> Authorship:
    login = facts.author_login or ""
    for agent in agents:
        if login.lower() in {x.lower() for x in agent.logins}:
            return Authorship(True, agent.name, f"PR author {login}")
    if login and login.lower() in {x.lower() for x in extra.bots}:
        return Authorship(True, login, f"PR author {login} (policy)")
    branch = facts.head_branch or ""
    for agent in agents:
        for prefix in agent.branch_prefixes:
            if branch.startswith(prefix):
                return Authorship(True, agent.name, f"head branch {branch}")
    for prefix in extra.branch_prefixes:
        if branch.startswith(prefix):
            return Authorship(True, None, f"head branch {branch} (policy prefix {prefix})")
    for label in facts.labels:
        if label.lower() in {x.lower() for x in extra.labels}:
            return Authorship(True, None, f"label {label}")
    for commit in facts.commits:
        short = commit.sha[:7]
        for m in _TRAILER.finditer(commit.message):
            name, email = m.group("name").lower(), m.group("email").lower()
            for agent in agents:
                if email in agent.emails or any(t == name or name.startswith(t + " ") for t in agent.trailer_names):
                    return Authorship(True, agent.name, f"commit {short} trailer {m.group(0).strip()}")
        for m in _GENERATED.finditer(commit.message):
            tool = m.group("tool").strip().lower()
            for agent in agents:
                if any(tool.startswith(g) for g in agent.generated_with):
                    return Authorship(True, agent.name, f"commit {short} line {m.group(0).strip()}")
    return Authorship(False)
