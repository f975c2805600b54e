"""Was this change written by a coding agent? Pure: callers pass the PR's facts in.

The built-in table below lists, per agent, the exact spellings it leaves on GitHub; docs/agents.md
gives the evidence and the confidence for each. Matching is exact (logins, e-mail addresses) or
anchored (branch prefixes end in '/' or are agent-specific, and where a prefix is also a first name
that people use for their own branches, 'claude/' or 'devin/', only the agent's full branch shape
counts; trailers are parsed as trailers and matched on the address, the key, or the whole line;
"Generated with" only at the start of a line), so that a colleague's ordinary `Co-authored-by:`, a
person called Claude or Devin, or a commit message that merely mentions an agent does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# GitHub's "list commits on a pull request" endpoint returns at most 250 commits
# (docs.github.com/en/rest/pulls/pulls#list-commits-on-a-pull-request).
MAX_PR_COMMITS = 250
COMMITS_TRUNCATED_NOTE = (
    f"The PR has more than {MAX_PR_COMMITS} commits; only the first {MAX_PR_COMMITS} (GitHub's limit "
    "for a PR's commit list) were read for authorship signals."
)


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
    """What matched first, e.g. 'commit 1a2b3c4 trailer Co-authored-by: Claude <noreply@anthropic.com>'."""
    evidence: tuple[str, ...] = ()
    """Every signal that matched, strongest first (the first is `signal`)."""


@dataclass(frozen=True)
class Signals:
    """Signals added by policy (authorship: in .github/prodready.yml)."""

    bots: tuple[str, ...] = ()
    """GitHub logins of agent accounts (PR author, commit author or committer)."""
    trailers: tuple[str, ...] = ()
    """Trailer lines, matched as case-insensitive prefixes: 'Co-authored-by: Acme Bot', 'X-Agent:'."""
    branch_prefixes: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    """E-mail addresses of agents (commit author, committer or a Co-authored-by trailer)."""
    builtin: bool = True
    """Also use the built-in agent table."""


@dataclass(frozen=True)
class Agent:
    name: str
    logins: tuple[str, ...] = ()
    """GitHub logins, exact (case-insensitive): the PR author or a commit's author/committer account."""
    emails: tuple[str, ...] = ()
    """Exact e-mail addresses on commits (author, committer, Co-authored-by)."""
    email_logins: tuple[str, ...] = ()
    """Logins inside GitHub no-reply addresses, '<id>+<login>@users.noreply.github.com'."""
    branch_prefixes: tuple[str, ...] = ()
    branch_patterns: tuple[str, ...] = ()
    """Regular expressions matched at the start of the head branch (case-insensitive), for agents
    whose prefix alone is a first name: 'claude/issue-12-20250601-1200', not 'claude/fix-login'."""
    generated_with: tuple[str, ...] = ()
    """Tool names in a 'Generated with <tool>' line, matched as whole words at the start."""
    name_suffixes: tuple[str, ...] = ()
    """Suffixes of commit author/committer names, e.g. Aider's ' (aider)'."""
    message_prefixes: tuple[str, ...] = ()
    """Prefixes of a commit's subject line, e.g. Aider's 'aider: '."""
    trailer_keys: tuple[str, ...] = ()
    """Trailer keys only this agent writes, e.g. Amp's 'Amp-Thread-ID'."""
    trailer_lines: tuple[str, ...] = ()
    """Whole trailer lines 'key: value' (case-insensitive) whose key alone is generic, e.g.
    Cursor's 'Made-with: Cursor'."""


# Evidence and confidence for every entry: docs/agents.md. Keep the two in step.
BUILTIN_AGENTS: tuple[Agent, ...] = (
    Agent("GitHub Copilot coding agent",
          logins=("Copilot", "copilot-swe-agent[bot]", "copilot-swe-agent"),
          email_logins=("Copilot", "copilot-swe-agent[bot]"),
          branch_prefixes=("copilot/",),
          generated_with=("github copilot", "copilot coding agent")),
    Agent("Claude Code",
          logins=("claude[bot]",),
          emails=("noreply@anthropic.com",),
          email_logins=("claude[bot]",),
          # claude-code-action: '<prefix><issue|pr>-<n>-<yyyymmdd>-<hhmm>'; Claude Code on the web:
          # '<slug>-<session id>' (the id starts '01' and is 20+ letters and digits).
          branch_patterns=(r"claude/(?:issue|pr)-\d+-\d{8}-\d{4}", r"claude/[a-z0-9-]+-01[0-9a-z]{20,}$"),
          generated_with=("claude code",),
          trailer_keys=("claude-session",)),
    Agent("OpenAI Codex",
          logins=("chatgpt-codex-connector[bot]", "openai-codex[bot]"),
          emails=("noreply@openai.com", "codex@openai.com"),
          email_logins=("chatgpt-codex-connector[bot]", "openai-codex[bot]"),
          branch_prefixes=("codex/",),
          generated_with=("codex",)),
    Agent("Cursor",
          logins=("cursor[bot]",),
          emails=("cursoragent@cursor.com",),
          email_logins=("cursor[bot]",),
          branch_prefixes=("cursor/",),
          generated_with=("cursor",),
          trailer_lines=("made-with: cursor",)),
    Agent("Devin",
          logins=("devin-ai-integration[bot]",),
          email_logins=("devin-ai-integration[bot]",),
          # 'devin/<unix timestamp>-<slug>'
          branch_patterns=(r"devin/\d{10}-",),
          generated_with=("devin",)),
    Agent("Jules",
          logins=("google-labs-jules[bot]",),
          email_logins=("google-labs-jules[bot]",)),
    Agent("Aider",
          emails=("aider@aider.chat", "noreply@aider.chat"),
          name_suffixes=(" (aider)",),
          message_prefixes=("aider: ",),
          generated_with=("aider",)),
    Agent("Amazon Q Developer",
          logins=("amazon-q-developer[bot]",),
          email_logins=("amazon-q-developer[bot]",),
          generated_with=("amazon q",)),
    Agent("OpenHands",
          logins=("openhands-agent", "openhands-ai[bot]"),
          emails=("openhands@all-hands.dev",),
          email_logins=("openhands-agent", "openhands-ai[bot]"),
          branch_prefixes=("openhands-fix-issue-", "openhands-fix-pr-"),
          generated_with=("openhands",)),
    Agent("Amp",
          emails=("amp@ampcode.com",),
          trailer_keys=("amp-thread-id", "amp-thread")),
    Agent("Sweep",
          logins=("sweep-ai[bot]",),
          email_logins=("sweep-ai[bot]",)),
    Agent("Factory Droid",
          logins=("factory-droid[bot]",),
          email_logins=("factory-droid[bot]",)),
    Agent("OpenCode",
          emails=("noreply@opencode.ai",),
          generated_with=("opencode",)),
    Agent("Replit Agent",
          trailer_lines=("replit-commit-author: agent", "replit-commit-author: assistant")),
)

_NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[^@]+)@users\.noreply\.github\.com$", re.I)
# A trailer: 'Key: value' at the start of a line in the message's last paragraph(s). Git's own rule is
# "the last paragraph"; agents and web UIs sometimes leave a blank line between trailers, so every line
# of the message that has the trailer shape counts, which is harmless because values are matched exactly.
_TRAILER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9-]*)\s*:\s*(?P<value>\S.*?)\s*$", re.M)
_PERSON = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>\s]+)>$")
# '🤖 Generated with [Claude Code](https://claude.com/claude-code)', 'Generated with Aider', at the
# start of a line (after emoji or punctuation only): prose that mentions a tool mid-sentence does not count.
_GENERATED = re.compile(r"^[^\w\n]*generated\s+(?:with|by|using)\s+\[?(?P<tool>[^\]\n(]+)", re.I | re.M)


def _lower(items: Sequence[str]) -> set[str]:
    return {x.strip().lower() for x in items if x.strip()}


def _noreply_login(email: str) -> str | None:
    m = _NOREPLY.match(email.strip())
    return m.group("login").lower() if m else None


def _words_start(text: str, name: str) -> bool:
    """Does `text` start with `name` as whole words ('claude code', not 'claude codes' or 'claudette')?"""
    return re.match(rf"{re.escape(name)}(?![\w-])", text, re.I) is not None


def trailers(message: str) -> list[tuple[str, str]]:
    """(key, value) of every trailer-shaped line after the subject."""
    body = message.split("\n", 1)[1] if "\n" in message else ""
    return [(m.group("key"), m.group("value")) for m in _TRAILER.finditer(body)]


@dataclass(frozen=True)
class _Hit:
    agent: str | None
    signal: str


@dataclass(frozen=True)
class _Person:
    role: str
    """author, committer or trailer"""
    name: str
    email: str
    login: str | None = None


def _person_hits(p: _Person, agents: Sequence[Agent], extra: Signals, where: str) -> Iterator[_Hit]:
    who, name, email, login = p.role, p.name, p.email, p.login
    shown = f"{name} <{email}>" if email else name
    email_l = email.strip().lower()
    noreply = _noreply_login(email_l)
    login_l = (login or "").lower()
    bots, emails = _lower(extra.bots), _lower(extra.emails)
    for agent in agents:
        if login_l and login_l in _lower(agent.logins):
            yield _Hit(agent.name, f"{where} {who} account {login}")
        elif email_l in _lower(agent.emails) or (noreply and noreply in _lower(agent.email_logins)):
            yield _Hit(agent.name, f"{where} {who} {shown}")
        elif any(name.lower().endswith(s) for s in agent.name_suffixes):
            yield _Hit(agent.name, f"{where} {who} name {name!r}")
    if (login_l and login_l in bots) or (noreply and noreply in bots):
        yield _Hit(None, f"{where} {who} {login or shown} (policy authorship.bots)")
    elif email_l and email_l in emails:
        yield _Hit(None, f"{where} {who} {shown} (policy authorship.emails)")


def _commit_hits(commit: Commit, agents: Sequence[Agent], extra: Signals) -> Iterator[_Hit]:
    where = f"commit {commit.sha[:7]}"
    yield from _person_hits(_Person("author", commit.author_name, commit.author_email, commit.author_login),
                            agents, extra, where)
    yield from _person_hits(_Person("committer", commit.committer_name, commit.committer_email,
                                    commit.committer_login), agents, extra, where)
    subject = commit.message.split("\n", 1)[0]
    for agent in agents:
        for prefix in agent.message_prefixes:
            if subject.lower().startswith(prefix):
                yield _Hit(agent.name, f"{where} subject {subject[:80]!r}")
    policy_trailers = [t.strip().lower() for t in extra.trailers if t.strip()]
    for key, value in trailers(commit.message):
        line = f"{key}: {value}"
        key_l = key.lower()
        if key_l == "co-authored-by":
            person = _PERSON.match(value)
            if person:
                yield from _person_hits(_Person("trailer", person.group("name"), person.group("email")),
                                        agents, extra, where)
        line_l = f"{key_l}: {' '.join(value.lower().split())}"
        for agent in agents:
            if key_l in agent.trailer_keys or line_l in agent.trailer_lines:
                yield _Hit(agent.name, f"{where} trailer {line[:120]}")
        for wanted in policy_trailers:
            if _trailer_prefix(line.lower(), wanted):
                yield _Hit(None, f"{where} trailer {line[:120]} (policy authorship.trailers)")
    for m in _GENERATED.finditer(commit.message):
        tool = m.group("tool").strip()
        for agent in agents:
            if any(_words_start(tool, g) for g in agent.generated_with):
                line = commit.message[m.start():].split("\n", 1)[0].strip()
                yield _Hit(agent.name, f"{where} line {line[:120]!r}")


def _trailer_prefix(line: str, wanted: str) -> bool:
    """'co-authored-by: acme bot' matches 'Co-authored-by: Acme Bot <bot@acme.dev>' but not 'Acme Botany'."""
    norm = re.sub(r"\s*:\s*", ": ", wanted, count=1)
    if not line.startswith(norm):
        return False
    rest = line[len(norm):]
    return norm.endswith((":", " ", "<", "/")) or not rest or not (rest[0].isalnum() or rest[0] in "-_")


def _all_hits(facts: ChangeFacts, extra: Signals, agents: Sequence[Agent]) -> Iterator[_Hit]:
    login = facts.author_login or ""
    if login:
        for agent in agents:
            if login.lower() in _lower(agent.logins):
                yield _Hit(agent.name, f"PR author {login}")
        if login.lower() in _lower(extra.bots):
            yield _Hit(None, f"PR author {login} (policy authorship.bots)")
    for commit in facts.commits:
        yield from _commit_hits(commit, agents, extra)
    branch = facts.head_branch or ""
    if branch:
        for agent in agents:
            for prefix in agent.branch_prefixes:
                if branch.lower().startswith(prefix.lower()):
                    yield _Hit(agent.name, f"head branch {branch} (prefix {prefix})")
            for pattern in agent.branch_patterns:
                if re.match(pattern, branch, re.I):
                    yield _Hit(agent.name, f"head branch {branch} ({agent.name} branch name)")
        for prefix in extra.branch_prefixes:
            if prefix and branch.lower().startswith(prefix.lower()):
                yield _Hit(None, f"head branch {branch} (policy authorship.branch_prefixes: {prefix})")
    wanted_labels = _lower(extra.labels)
    for label in facts.labels:
        if label.strip().lower() in wanted_labels:
            yield _Hit(None, f"label {label} (policy authorship.labels)")


def detect(facts: ChangeFacts, extra: Signals = Signals(),
           agents: Sequence[Agent] = BUILTIN_AGENTS) -> Authorship:
    """AI-authored when any signal matches. Order of strength: the PR's author account, then commits
    (in the order given: author, committer, trailers, 'Generated with' lines), then the head branch,
    then labels. The agent is named by the first hit that identifies one."""
    table = agents if extra.builtin else ()
    hits = list(_all_hits(facts, extra, table))
    if not hits:
        return Authorship(False)
    evidence = tuple(dict.fromkeys(h.signal for h in hits))
    agent = next((h.agent for h in hits if h.agent), None)
    return Authorship(True, agent, hits[0].signal, evidence)
