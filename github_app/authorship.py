"""Was this change written by a coding agent? Pure: callers pass the PR's facts in.

The built-in table below lists, per agent, the exact spellings it leaves on GitHub; docs/agents.md
gives the evidence and the confidence for each. Matching is exact (logins, e-mail addresses) or
anchored (branch prefixes end in '/' or are agent-specific, and where a prefix is also a first name
that people use for their own branches, 'claude/' or 'devin/', only the agent's full branch shape
counts; trailers are parsed as trailers and matched on the address, the key, or the whole line;
"Generated with" only at the start of a line), so that a colleague's ordinary `Co-authored-by:`, a
person called Claude or Devin, or a commit message that merely mentions an agent does not count.
A login that several GitHub accounts share ('Copilot') is told apart by the account id where one is
known. Some entries are AI-assisted, not agent-authored (a person committed a Copilot suggestion):
they are reported as such, and policy decides whether they count.
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
    author_id: int | None = None
    """GitHub account ids from the API's commit data (None when unknown, e.g. a local review)."""
    committer_id: int | None = None


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
    assisted: bool = False
    """An AI-assisted signal matched: a person committed an AI suggestion (a Copilot code-review
    suggestion, Copilot Autofix). Whether that alone makes `ai` true is policy (authorship.assisted)."""
    assisted_signal: str | None = None
    """The first AI-assisted signal, e.g. 'commit 1a2b3c4 trailer Copilot <175728472+Copilot@...>'."""


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
    """E-mail addresses of agents (commit author, committer, or a Co-authored-by or Assisted-by trailer)."""
    builtin: bool = True
    """Also use the built-in agent table."""
    assisted: str = "ignore"
    """'ignore': AI-assisted commits alone do not make a change AI-authored (they are reported);
    'ai': they count as AI-authored for the gate."""


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
    account_ids: tuple[tuple[str, int], ...] = ()
    """(login, GitHub account id) for a login that several accounts share: 'Copilot' is the coding
    agent (198982749), the code-review bot whose suggestions people commit (175728472) and Copilot CLI's
    co-author (223556219). Where an id is known (the API's commit author/committer, or the '<id>+' of a
    no-reply address), such a login matches only with its id."""
    ids_required: bool = False
    """The logins in `account_ids` match only when an id is known and agrees (not on the login alone)."""
    assisted: bool = False
    """AI-assisted, not agent-authored: a person accepted this tool's suggestion."""


# Evidence and confidence for every entry: docs/agents.md. Keep the two in step.
BUILTIN_AGENTS: tuple[Agent, ...] = (
    Agent("GitHub Copilot coding agent",
          logins=("Copilot", "copilot-swe-agent[bot]", "copilot-swe-agent"),
          email_logins=("Copilot", "copilot-swe-agent[bot]"),
          account_ids=(("Copilot", 198982749),),
          branch_prefixes=("copilot/",),
          generated_with=("github copilot", "copilot coding agent")),
    Agent("GitHub Copilot CLI",
          email_logins=("Copilot",),
          account_ids=(("Copilot", 223556219),),
          ids_required=True),
    # AI-assisted, not agent-authored: github.com writes these when a person commits a suggestion.
    Agent("GitHub Copilot code review suggestion",
          logins=("Copilot", "copilot-pull-request-reviewer[bot]"),
          email_logins=("Copilot", "copilot-pull-request-reviewer[bot]"),
          account_ids=(("Copilot", 175728472), ("copilot-pull-request-reviewer[bot]", 175728472)),
          ids_required=True, assisted=True),
    Agent("Copilot Autofix for code scanning",
          email_logins=("github-advanced-security[bot]",),
          account_ids=(("github-advanced-security[bot]", 62310815),),
          ids_required=True, assisted=True),
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
          emails=("openhands@all-hands.dev", "openhands@openhands.dev"),
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
          emails=("droid@factory.ai",),
          email_logins=("factory-droid[bot]",)),
    Agent("OpenCode",
          logins=("opencode-agent[bot]",),
          emails=("noreply@opencode.ai",),
          email_logins=("opencode-agent[bot]",),
          generated_with=("opencode",)),
    Agent("Replit Agent",
          trailer_lines=("replit-commit-author: agent", "replit-commit-author: assistant")),
    Agent("Lovable",
          # 'gpt-engineer-app[bot]' is the App's earlier name, still on its commits; the login is now lovable-dev[bot].
          logins=("lovable-dev[bot]", "gpt-engineer-app[bot]"),
          emails=("noreply@lovable.dev",),
          email_logins=("gpt-engineer-app[bot]", "lovable-dev[bot]")),
    Agent("v0",
          logins=("v0[bot]",),
          email_logins=("v0[bot]",)),
    Agent("Warp",
          emails=("agent@warp.dev", "oz-agent@warp.dev")),
    Agent("Crush",
          emails=("crush@charm.land",),
          generated_with=("crush",)),
    Agent("Qwen Code",
          emails=("qwen-coder@alibabacloud.com",)),
    Agent("TRAE CLI",
          emails=("traecli@bytedance.com",)),
    Agent("Roomote (Roo Code cloud agent)",
          logins=("roomote[bot]", "roomote-v0[bot]"),
          emails=("roomote@roocode.com",),
          email_logins=("roomote[bot]", "roomote-v0[bot]")),
    Agent("Kiro",
          logins=("kiro-agent[bot]",),
          email_logins=("kiro-agent[bot]",)),
    Agent("Codegen",
          logins=("codegen-sh[bot]",),
          email_logins=("codegen-sh[bot]",)),
    Agent("Tembo",
          logins=("tembo[bot]",),
          email_logins=("tembo[bot]",)),
    Agent("Charlie",
          logins=("charliecreates[bot]",),
          email_logins=("charliecreates[bot]",)),
    Agent("Mistral Vibe",
          emails=("vibe@mistral.ai",),
          generated_with=("mistral vibe",)),
)

_NOREPLY = re.compile(r"^(?:(?P<id>\d+)\+)?(?P<login>[^@]+)@users\.noreply\.github\.com$", re.I)
# A trailer: 'Key: value' at the start of a line in the message's last paragraph(s). Git's own rule is
# "the last paragraph"; agents and web UIs sometimes leave a blank line between trailers, so every line
# of the message that has the trailer shape counts, which is harmless because values are matched exactly.
_TRAILER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9-]*)\s*:\s*(?P<value>\S.*?)\s*$", re.M)
# Trailers that name a person or tool by address: Crush, for one, writes 'Assisted-by: ... <crush@charm.land>'.
_PERSON_TRAILERS = frozenset({"co-authored-by", "assisted-by"})
_PERSON = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>\s]+)>$")
# '🤖 Generated with [Claude Code](https://claude.com/claude-code)', 'Generated with Aider', at the
# start of a line (after emoji or punctuation only): prose that mentions a tool mid-sentence does not count.
_GENERATED = re.compile(r"^[^\w\n]*generated\s+(?:with|by|using)\s+\[?(?P<tool>[^\]\n(]+)", re.I | re.M)


def _lower(items: Sequence[str]) -> set[str]:
    return {x.strip().lower() for x in items if x.strip()}


def _noreply(email: str) -> tuple[str | None, int | None]:
    """(login, account id) inside a GitHub no-reply address; (None, None) for any other address."""
    m = _NOREPLY.match(email.strip())
    if not m:
        return None, None
    return m.group("login").lower(), int(m.group("id")) if m.group("id") else None


def _account_matches(agent: Agent, login: str, account_id: int | None) -> bool:
    """Is `login` (already in one of the agent's login lists) this agent's account, given its id?"""
    ids = {i for name, i in agent.account_ids if name.lower() == login}
    if not ids:
        return True
    if account_id is None:
        return not agent.ids_required
    return account_id in ids


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
    assisted: bool = False


@dataclass(frozen=True)
class _Person:
    role: str
    """author, committer or trailer"""
    name: str
    email: str
    login: str | None = None
    account_id: int | None = None


def _person_hits(p: _Person, agents: Sequence[Agent], extra: Signals, where: str) -> Iterator[_Hit]:
    who, name, email, login = p.role, p.name, p.email, p.login
    shown = f"{name} <{email}>" if email else name
    email_l = email.strip().lower()
    noreply, noreply_id = _noreply(email_l)
    login_l = (login or "").lower()
    bots, emails = _lower(extra.bots), _lower(extra.emails)
    # The API's account id is authoritative; else the id in the no-reply address, when there is one.
    login_id = p.account_id if p.account_id is not None else (noreply_id if noreply == login_l else None)
    for agent in agents:
        if login_l and login_l in _lower(agent.logins) and _account_matches(agent, login_l, login_id):
            yield _Hit(agent.name, f"{where} {who} account {login}", agent.assisted)
        elif email_l in _lower(agent.emails) or (
                noreply and noreply in _lower(agent.email_logins) and _account_matches(agent, noreply, noreply_id)):
            yield _Hit(agent.name, f"{where} {who} {shown}", agent.assisted)
        elif any(name.lower().endswith(s) for s in agent.name_suffixes):
            yield _Hit(agent.name, f"{where} {who} name {name!r}", agent.assisted)
    if (login_l and login_l in bots) or (noreply and noreply in bots):
        yield _Hit(None, f"{where} {who} {login or shown} (policy authorship.bots)")
    elif email_l and email_l in emails:
        yield _Hit(None, f"{where} {who} {shown} (policy authorship.emails)")


def _commit_hits(commit: Commit, agents: Sequence[Agent], extra: Signals) -> Iterator[_Hit]:
    where = f"commit {commit.sha[:7]}"
    yield from _person_hits(_Person("author", commit.author_name, commit.author_email, commit.author_login,
                                    commit.author_id), agents, extra, where)
    yield from _person_hits(_Person("committer", commit.committer_name, commit.committer_email,
                                    commit.committer_login, commit.committer_id), agents, extra, where)
    subject = commit.message.split("\n", 1)[0]
    for agent in agents:
        for prefix in agent.message_prefixes:
            if subject.lower().startswith(prefix):
                yield _Hit(agent.name, f"{where} subject {subject[:80]!r}")
    policy_trailers = [t.strip().lower() for t in extra.trailers if t.strip()]
    for key, value in trailers(commit.message):
        line = f"{key}: {value}"
        key_l = key.lower()
        if key_l in _PERSON_TRAILERS:
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
            if login.lower() in _lower(agent.logins) and _account_matches(agent, login.lower(), None):
                yield _Hit(agent.name, f"PR author {login}", agent.assisted)
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
    then labels. The agent is named by the first hit that identifies one. AI-assisted signals (a
    committed Copilot suggestion) make it AI-authored only when policy says so (`extra.assisted`);
    they are always reported in `assisted` / `assisted_signal`."""
    table = agents if extra.builtin else ()
    hits = list(_all_hits(facts, extra, table))
    if not hits:
        return Authorship(False)
    authored = [h for h in hits if not h.assisted]
    assisted = [h for h in hits if h.assisted]
    counted = authored or (assisted if extra.assisted == "ai" else [])
    # Agent-authored signals first, then the assisted ones, each group strongest first.
    evidence = tuple(dict.fromkeys(h.signal for h in [*authored, *assisted]))
    assisted_signal = assisted[0].signal if assisted else None
    if not counted:
        return Authorship(False, evidence=evidence, assisted=True, assisted_signal=assisted_signal)
    agent = next((h.agent for h in counted if h.agent), None)
    return Authorship(True, agent, counted[0].signal, evidence, bool(assisted), assisted_signal)
