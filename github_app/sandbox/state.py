"""Everything the sandbox remembers, behind one lock.

Handlers run one at a time under `lock` (throughput is irrelevant here; a consistent
view of git refs and records is not). Git objects are immutable, so diffs are cached
by (repo, base sha, head sha).
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path

from github_app.sandbox import gitrepo
from github_app.sandbox.auth import TokenMinter
from github_app.sandbox.payloads import AppInfo
from github_app.sandbox.records import (
    Actor,
    CheckRun,
    Delivery,
    Fault,
    Installation,
    IssueComment,
    ManifestRegistry,
    Pull,
    Repo,
    RequestRecord,
    Review,
    ReviewComment,
)

# docs "rate-limits-for-the-rest-api": 5,000 requests an hour per installation.
RATE_LIMIT = 5000
RATE_WINDOW = 3600
MAX_REQUEST_LOG = 20_000
DIFF_CACHE_SIZE = 256
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass
class Diff:
    base: str  # the merge base the diff starts from
    head: str
    text: str
    files: list[gitrepo.RawChange]


class SandboxState:
    def __init__(self, *, data_dir: Path, app: AppInfo, public_key_pem: str,
                 webhook_url: str | None, webhook_secret: str) -> None:
        self.lock = threading.RLock()
        self.data_dir = data_dir
        self.app = app
        self.app_created = time.time()
        self.public_key_pem = public_key_pem
        self.minter = TokenMinter.for_app(app.id, public_key_pem)
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.clock_offset = 0.0
        self._ids = itertools.count(1000)
        self._user_ids: dict[str, Actor] = {}
        self.repos: dict[tuple[str, str], Repo] = {}
        self.installations: dict[int, Installation] = {}
        self.pulls: dict[int, list[Pull]] = {}  # repo id -> PRs in number order
        self.reviews: list[Review] = []
        self.review_comments: list[ReviewComment] = []
        self.issue_comments: list[IssueComment] = []
        self.check_runs: list[CheckRun] = []
        self.resolved_threads: dict[int, Actor] = {}  # root review comment id -> who resolved its thread
        self.permissions: dict[tuple[int, str], str] = {}  # (repo id, lower login) -> collaborator permission
        self._suites: dict[tuple[int, str], int] = {}
        self.commit_logins: dict[str, Actor] = {}  # commit sha -> GitHub account of its author
        self.faults: list[Fault] = []
        self.latency_ms = 0
        self.archive_links: dict[str, tuple[int, str, float]] = {}  # codeload token -> (repo id, sha, expiry)
        """Added to every API request (not /_sandbox/ set-up), to model GitHub's round trip in benchmarks."""
        self.deliveries: list[Delivery] = []
        self.requests: deque[RequestRecord] = deque(maxlen=MAX_REQUEST_LOG)
        self._rate: dict[str, tuple[float, int]] = {}
        self._diffs: OrderedDict[tuple[int, str, str], Diff] = OrderedDict()
        self.manifests = ManifestRegistry()  # Apps registered through the manifest flow

    # -- clock, ids, accounts ---------------------------------------------------

    def now(self) -> float:
        return time.time() + self.clock_offset

    def next_id(self) -> int:
        return next(self._ids)

    def actor(self, login: str) -> Actor:
        if login == self.app.bot.login:
            return self.app.bot
        key = login.lower()
        if key not in self._user_ids:
            self._user_ids[key] = Actor(login, 100_000 + len(self._user_ids) * 7 + 1)
        return self._user_ids[key]

    def rate_limit(self, key: str) -> tuple[int, int, int]:
        """Count one request for a credential: (remaining, used, reset epoch)."""
        now = self.now()
        start, used = self._rate.get(key, (now, 0))
        if now - start >= RATE_WINDOW:
            start, used = now, 0
        used += 1
        self._rate[key] = (start, used)
        return max(RATE_LIMIT - used, 0), used, int(start + RATE_WINDOW)

    def rate_peek(self, key: str) -> tuple[int, int, int]:
        now = self.now()
        start, used = self._rate.get(key, (now, 0))
        if now - start >= RATE_WINDOW:
            start, used = now, 0
        return max(RATE_LIMIT - used, 0), used, int(start + RATE_WINDOW)

    # -- repositories -------------------------------------------------------------

    def find_repo(self, owner: str, name: str) -> Repo | None:
        return self.repos.get((owner.lower(), name.lower()))

    def installation_for(self, owner: str) -> Installation | None:
        for inst in self.installations.values():
            if inst.account.login.lower() == owner.lower():
                return inst
        return None

    def create_repo(self, owner: str, name: str, *, default_branch: str, files: dict[str, bytes],
                    author: gitrepo.Person, message: str = "Initial commit") -> Repo:
        if not _NAME.match(owner) or not _NAME.match(name) or name in (".", ".."):
            raise ValueError("owner and name may hold letters, digits, '-', '_' and '.'")
        if self.find_repo(owner, name) is not None:
            raise FileExistsError(f"{owner}/{name} exists")
        account = self.actor(owner)
        inst = self.installation_for(owner)
        if inst is None:
            inst = Installation(self.next_id(), account, self.now())
            self.installations[inst.id] = inst
        path = self.data_dir / "repos" / owner / f"{name}.git"
        gitrepo.init(path, default_branch)
        now = self.now()
        repo = Repo(self.next_id(), account, name, path, default_branch, inst.id, now, now)
        if files:
            gitrepo.commit(path, branch=default_branch, parent=None, files=files, message=message,
                           author=author, committer=author)
        self.repos[(owner.lower(), name.lower())] = repo
        self.pulls[repo.id] = []
        return repo

    def push(self, repo: Repo, *, branch: str, start: str | None, files: dict[str, bytes | None],
             message: str, author: gitrepo.Person, committer: gitrepo.Person,
             login: Actor | None) -> tuple[str | None, str]:
        """Commit onto branch (created from `start` if missing): (old tip, new sha)."""
        old = gitrepo.branch_sha(repo.path, branch)
        parent = old or start
        sha = gitrepo.commit(repo.path, branch=branch, parent=parent, files=files, message=message,
                             author=author, committer=committer)
        if login is not None:
            self.commit_logins[sha] = login
        repo.pushed_at = self.now()
        return old, sha

    # -- diffs ----------------------------------------------------------------------

    def diff(self, repo: Repo, base_sha: str, head_sha: str) -> Diff:
        """The three-dot diff base...head: from their merge base to head, as GitHub shows a PR."""
        key = (repo.id, base_sha, head_sha)
        cached = self._diffs.get(key)
        if cached is not None:
            self._diffs.move_to_end(key)
            return cached
        start = gitrepo.merge_base(repo.path, base_sha, head_sha) or base_sha
        result = Diff(start, head_sha, gitrepo.diff(repo.path, start, head_sha),
                      gitrepo.changes(repo.path, start, head_sha))
        self._diffs[key] = result
        if len(self._diffs) > DIFF_CACHE_SIZE:
            self._diffs.popitem(last=False)
        return result

    # -- pull requests ------------------------------------------------------------

    def pull(self, repo: Repo, number: int) -> Pull | None:
        for pr in self.pulls.get(repo.id, []):
            if pr.number == number:
                return pr
        return None

    def refresh_pull(self, pr: Pull) -> None:
        """Re-read base tip and diff totals after head or base moved."""
        base_sha = gitrepo.branch_sha(pr.repo.path, pr.base_ref)
        if base_sha:
            pr.base_sha = base_sha
        d = self.diff(pr.repo, pr.base_sha, pr.head_sha)
        pr.commits = len(gitrepo.rev_list(pr.repo.path, pr.head_sha, d.base, limit=10**6))
        pr.additions = sum(f.additions for f in d.files)
        pr.deletions = sum(f.deletions for f in d.files)
        pr.changed_files = len(d.files)

    def check_suite_id(self, repo: Repo, head_sha: str) -> int:
        key = (repo.id, head_sha)
        if key not in self._suites:
            self._suites[key] = self.next_id()
        return self._suites[key]

    def pulls_with_head(self, repo: Repo, sha: str) -> list[Pull]:
        # A fork PR is not listed in the parent's check payloads (github-api-facts.md surprise 8).
        return [pr for pr in self.pulls.get(repo.id, []) if pr.head_sha == sha and pr.state == "open"
                and pr.head_repo is None]

    # -- faults ---------------------------------------------------------------------

    def take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.remaining <= 0:
                continue
            if fault.method and fault.method.upper() != method.upper():
                continue
            if fault.path_regex.search(path):
                fault.remaining -= 1
                return fault
        self.faults = [f for f in self.faults if f.remaining > 0]
        return None
