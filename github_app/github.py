"""All GitHub I/O, on githubkit: app and installation auth, PR data, contents, reviews, check runs.

Every call has a timeout; network errors and 5xx are retried a bounded number of times with
backoff; a secondary rate limit is honoured when its retry-after is short; a primary limit is never
slept through (that can be an hour) but raised as RateLimited so the job is retried later.
"""

from __future__ import annotations

import contextvars
import dataclasses
import io
import math
import re
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
from githubkit import AppAuthStrategy, GitHub
from githubkit.exception import (
    GitHubException,
    GraphQLFailed,
    PrimaryRateLimitExceeded,
    RateLimitExceeded,
    RequestError,
    RequestFailed,
    RequestTimeout,
)
from githubkit.typing import RetryOption

from github_app import logs, metrics
from github_app.archive import ArchiveLimits, Extracted, extract, megabytes
from github_app.authorship import Commit
from github_app.repotree import TreeUnavailable

# Limits (github-api-facts.md §3, §5).
MAX_PR_FILES = 3000
MAX_PR_COMMITS = 250
PER_PAGE = 100
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# Between chunks of an archive being streamed, not for the whole of it.
ARCHIVE_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
NETWORK_RETRIES = 3
NETWORK_BACKOFF_S = 0.5
MAX_SECONDARY_WAIT = timedelta(minutes=2)
SECONDARY_RETRIES = 3
SERVER_RETRIES = 3
# GitHub's best practices for secondary limits: at least one second between mutating requests
# (POST/PATCH/PUT/DELETE) of one integration (github-api-facts.md §6). Paced per installation, in
# this process; tests pass a shorter interval to GitHubApp.
MUTATION_INTERVAL_S = 1.0
MUTATING = frozenset({"POST", "PATCH", "PUT", "DELETE"})

T = TypeVar("T")

# Set while a request must not be repeated blindly (a create-review POST): the caller checks what
# GitHub did before it tries again.
_NO_SERVER_RETRY: contextvars.ContextVar[bool] = contextvars.ContextVar("no_server_retry", default=False)
_TOKEN_PATH = re.compile(r"/app/installations/(\d+)/access_tokens$")


class GitHubError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"GitHub answered {status}: {message}")
        self.status = status


class ConfigurationError(Exception):
    """The App's own settings are wrong (APP_ID, key, installation): retrying cannot help."""


class RateLimited(Exception):
    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"GitHub's rate limit is exhausted; retry in {math.ceil(retry_after_s)} s")
        self.retry_after_s = retry_after_s


def _retrying(kind: str, exc: RequestFailed, count: int, wait: timedelta) -> RetryOption:
    # Structured, and without the traceback githubkit's own retry helper logs through stdlib logging.
    logs.get().warning("github.retry", kind=kind, status=exc.response.status_code, method=exc.request.method,
                       path=exc.request.url.path, attempt=count + 1, wait_s=wait.total_seconds())
    return RetryOption(True, wait)


def retry_decision(exc: GitHubException, count: int) -> RetryOption:
    """githubkit's hook: secondary limits with a short retry-after and 5xx, a few times, with backoff."""
    if isinstance(exc, PrimaryRateLimitExceeded):
        return RetryOption(False)
    if isinstance(exc, RateLimitExceeded):
        if count < SECONDARY_RETRIES and exc.retry_after <= MAX_SECONDARY_WAIT:
            return _retrying("secondary_rate_limit", exc, count,
                             max(exc.retry_after, timedelta(seconds=1)) * (2**count))
        return RetryOption(False)
    if _NO_SERVER_RETRY.get():
        return RetryOption(False)
    if isinstance(exc, RequestFailed) and exc.response.status_code >= 500 and count < SERVER_RETRIES:
        # (n+1)^2 s, as githubkit's RetryServerError and octokit's retry plugin do.
        return _retrying("server_error", exc, count, timedelta(seconds=(count + 1) ** 2))
    return RetryOption(False)


def _message(exc: RequestFailed) -> str:
    try:
        body = exc.response.json()
        msg = str(body.get("message", ""))
        errors = body.get("errors")
        if errors:
            msg += f" {errors}"
        return msg[:300]
    except Exception:  # noqa: BLE001 - a non-JSON error body is still an error to report
        return exc.response.text[:300]


def token_problem(status: int, path: str, message: str) -> str | None:
    """The likely cause, in words, of a refused installation-token request; None for other requests."""
    m = _TOKEN_PATH.search(path)
    if m is None or status not in (401, 403, 404):
        return None
    inst = m.group(1)
    if status == 401:
        return (f"GitHub refused the App's JWT when asking for a token for installation {inst} (401: {message}): "
                "APP_ID is probably not this App's id, or PRIVATE_KEY is not this App's private key "
                "(or this machine's clock is minutes off)")
    if status == 404:
        return (f"GitHub knows no installation {inst} of this App (404: {message}): the App is not installed on "
                "that account or repository any more, or APP_ID names a different App")
    return f"GitHub will not issue a token for installation {inst} (403: {message}): is the installation suspended?"


@contextmanager
def no_server_retry() -> Iterator[None]:
    """Within the block, a 5xx or network error is raised at once instead of being retried."""
    token = _NO_SERVER_RETRY.set(True)
    try:
        yield
    finally:
        _NO_SERVER_RETRY.reset(token)


def call(fn: Callable[[], T]) -> T:
    """Run one GitHub request (or a whole pagination) with network retries and error mapping."""
    retries = 0 if _NO_SERVER_RETRY.get() else NETWORK_RETRIES
    for attempt in range(retries + 1):
        try:
            return fn()
        except PrimaryRateLimitExceeded as exc:
            metrics.GITHUB_ERRORS.labels("rate_limit").inc()
            raise RateLimited(exc.retry_after.total_seconds()) from None
        except RateLimitExceeded as exc:
            metrics.GITHUB_ERRORS.labels("secondary_rate_limit").inc()
            raise RateLimited(exc.retry_after.total_seconds()) from None
        except RequestFailed as exc:
            status = exc.response.status_code
            metrics.GITHUB_ERRORS.labels(str(status)).inc()
            problem = token_problem(status, exc.request.url.path, _message(exc))
            if problem is not None:
                raise ConfigurationError(problem) from None
            raise GitHubError(status, _message(exc)) from None
        # githubkit's RequestFailed and rate-limit errors subclass RequestError: they are handled above.
        except (RequestTimeout, RequestError) as exc:
            refused = exc.__cause__
            if isinstance(refused, RequestFailed):
                # The installation-token request inside githubkit's auth flow failed: GitHub answered,
                # so this is no network error (and retrying it would only repeat the answer).
                message = _message(refused)
                metrics.GITHUB_ERRORS.labels(str(refused.response.status_code)).inc()
                problem = token_problem(refused.response.status_code, refused.request.url.path, message)
                if problem is not None:
                    raise ConfigurationError(problem) from None
                raise GitHubError(refused.response.status_code, message) from None
            if attempt == retries:
                metrics.GITHUB_ERRORS.labels("network").inc()
                cause = exc.__cause__ or exc
                raise GitHubError(0, f"network error or timeout: {type(cause).__name__}: {cause}"[:300]) from None
            wait = NETWORK_BACKOFF_S * (2**attempt)
            logs.get().warning("github.retry", kind="network", error=type(exc.__cause__ or exc).__name__,
                               attempt=attempt + 1, wait_s=wait)
            time.sleep(wait)
    raise AssertionError("unreachable")


class MeteredTransport(httpx.BaseTransport):
    """Counts every request to GitHub (retries and token requests too) and keeps the rate-limit headroom."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self.inner.handle_request(request)
        except httpx.TransportError:
            metrics.GITHUB_REQUESTS.labels(request.method, "network_error").inc()
            raise
        metrics.GITHUB_REQUESTS.labels(request.method, str(response.status_code)).inc()
        remaining = response.headers.get("x-ratelimit-remaining", "")
        if remaining.isdigit():
            resource = response.headers.get("x-ratelimit-resource", "core")[:20]
            metrics.GITHUB_RATE_REMAINING.labels(resource).set(int(remaining))
        return response

    def close(self) -> None:
        """Kept open: githubkit closes the transport with each client context, but this one is shared by
        every installation's client for the life of the process (its pool is the connection reuse)."""

class MutationPacer:
    """At most one mutating request per `interval_s` per key (an installation), across threads."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._next: dict[int, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: int) -> float:
        """Block until this key may mutate again; returns the seconds waited."""
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next.get(key, 0.0))
            self._next[key] = at + self.interval_s  # the slot is taken before sleeping, so waiters queue up
        if at > now:
            time.sleep(at - now)
        return max(at - now, 0.0)

    def hook(self, key: int) -> Callable[[httpx.Request], None]:
        def before(request: httpx.Request) -> None:
            if request.method in MUTATING:
                self.wait(key)

        return before


def key_problem(private_key: str) -> str | None:
    """Why this key cannot sign the App's RS256 JWT, or None (settings only checked that it parses)."""
    import jwt

    try:
        jwt.encode({"iss": "0", "iat": 0, "exp": 60}, private_key, algorithm="RS256")
    except Exception as exc:  # noqa: BLE001 - PyJWT and cryptography raise several types for an unusable key
        return (f"PRIVATE_KEY cannot sign the App's JWT (RS256 needs the App's RSA private key): "
                f"{type(exc).__name__}")
    return None


def app_client(app_id: int, private_key: str, base_url: str) -> GitHub[Any]:
    return GitHub(
        AppAuthStrategy(app_id=app_id, private_key=private_key),
        base_url=base_url.rstrip("/") + "/",
        timeout=TIMEOUT,
        http_cache=False,
        auto_retry=retry_decision,
        user_agent="prodready",
        transport=MeteredTransport(),
    )


@dataclass(frozen=True)
class PullRequest:
    number: int
    state: str
    draft: bool
    title: str
    author_login: str
    head_sha: str
    head_ref: str
    base_sha: str
    base_ref: str
    labels: tuple[str, ...]
    changed_files: int
    default_branch: str
    repo_size_kb: int = 0
    """The base repository's size as GitHub reports it (KB, history included); 0 when unknown."""


@dataclass(frozen=True)
class CheckRunRef:
    id: int
    status: str


@dataclass(frozen=True)
class FileEntry:
    filename: str
    status: str
    previous_filename: str | None
    patch: str | None


class ConditionalCache:
    """ETag and bytes of small files read again and again (policy files, org defaults), per installation,
    for conditional requests: a 304 costs no primary rate limit (docs "best practices for using the REST
    API"). Bounded (least recently used out) and shared by the worker's threads."""

    def __init__(self, max_entries: int = 4096, max_bytes: int = 256 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[int, str, str], tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str, str]) -> tuple[str, bytes] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple[int, str, str], etag: str, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        with self._lock:
            self._items[key] = (etag, data)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)


class Installation:
    """GitHub calls for one installation (one owner's repositories)."""

    def __init__(self, gh: GitHub[Any], api_version: str = "", *, app_id: int | None = None,
                 installation_id: int = 0, cache: ConditionalCache | None = None) -> None:
        self.gh = gh
        self.api_version = api_version
        self.app_id = app_id
        self.installation_id = installation_id
        self.cache = cache

    def _h(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Per-call headers: githubkit sends its own API version on every call unless one is given,
        and GitHub Enterprise Server answers 400 to a version it does not know."""
        headers = dict(extra or {})
        if self.api_version:
            headers["X-GitHub-Api-Version"] = self.api_version
        return headers

    def __enter__(self) -> Installation:
        self.gh.__enter__()  # type: ignore[no-untyped-call]
        return self

    def __exit__(self, *exc: object) -> None:
        self.gh.__exit__(*exc)  # type: ignore[arg-type]

    def pull_request(self, repo: str, number: int) -> PullRequest:
        owner, name = repo.split("/", 1)
        pr = call(lambda: self.gh.rest.pulls.get(owner, name, number, headers=self._h())).parsed_data
        return PullRequest(
            number=pr.number,
            state=pr.state,
            draft=bool(pr.draft),
            title=pr.title,
            author_login=pr.user.login,
            head_sha=pr.head.sha,
            head_ref=pr.head.ref,
            base_sha=pr.base.sha,
            base_ref=pr.base.ref,
            labels=tuple(label.name for label in pr.labels),
            changed_files=int(pr.changed_files),
            default_branch=pr.base.repo.default_branch,
            repo_size_kb=int(pr.base.repo.size or 0),
        )

    def _collect(self, method: Any, convert: Callable[[Any], T | None], *, cap: int, **params: Any) -> list[T]:
        """Follow pagination (Link headers) up to `cap` items; None from `convert` skips an item."""

        def fetch() -> list[T]:
            out: list[T] = []
            for item in self.gh.rest.paginate(method, per_page=PER_PAGE, headers=self._h(), **params):
                converted = convert(item)
                if converted is not None:
                    out.append(converted)
                if len(out) >= cap:
                    break
            return out

        return call(fetch)

    def files(self, repo: str, number: int) -> list[FileEntry]:
        owner, name = repo.split("/", 1)

        def entry(f: Any) -> FileEntry:
            patch = f.patch if isinstance(f.patch, str) else None
            prev = f.previous_filename if isinstance(f.previous_filename, str) else None
            return FileEntry(f.filename, f.status, prev, patch)

        return self._collect(self.gh.rest.pulls.list_files, entry, cap=MAX_PR_FILES, owner=owner, repo=name,
                             pull_number=number)

    def commits(self, repo: str, number: int) -> list[Commit]:
        owner, name = repo.split("/", 1)

        def commit(c: Any) -> Commit:
            author, committer = c.commit.author, c.commit.committer
            return Commit(
                sha=c.sha,
                message=c.commit.message,
                author_name=(author.name or "") if author else "",
                author_email=(author.email or "") if author else "",
                author_login=c.author.login if c.author and hasattr(c.author, "login") else None,
                committer_name=(committer.name or "") if committer else "",
                committer_email=(committer.email or "") if committer else "",
                committer_login=c.committer.login if c.committer and hasattr(c.committer, "login") else None,
                # The account id tells Copilot's accounts apart (they share the login 'Copilot').
                author_id=c.author.id if c.author and isinstance(getattr(c.author, "id", None), int) else None,
                committer_id=(c.committer.id if c.committer and isinstance(getattr(c.committer, "id", None), int)
                              else None),
            )

        return self._collect(self.gh.rest.pulls.list_commits, commit, cap=MAX_PR_COMMITS, owner=owner, repo=name,
                             pull_number=number)

    def file_at(self, repo: str, path: str, ref: str | None, *, conditional: bool = False) -> bytes | None:
        """Raw bytes of a file at ref (None: the default branch); None when absent. `conditional`: a small
        file read on every review (policy), asked for with If-None-Match when its ETag is known."""
        owner, name = repo.split("/", 1)
        raw = self._h({"Accept": "application/vnd.github.raw+json"})
        # Not keyed on ref: the ETag stands for the bytes, so the same file at a new base SHA still gets a 304.
        key = (self.installation_id, repo, path)
        hit = self.cache.get(key) if conditional and self.cache is not None else None
        if hit is not None:
            raw["If-None-Match"] = hit[0]
        try:
            if ref:
                resp = call(lambda: self.gh.rest.repos.get_content(owner, name, path, ref=ref, headers=raw))
            else:
                resp = call(lambda: self.gh.rest.repos.get_content(owner, name, path, headers=raw))
        except GitHubError as exc:
            if exc.status == 404:
                return None
            raise
        if resp.status_code == 304 and hit is not None:
            metrics.CONDITIONAL.labels("not_modified").inc()
            return hit[1]
        etag = resp.headers.get("etag")
        if conditional and self.cache is not None and etag:
            metrics.CONDITIONAL.labels("modified" if hit else "first").inc()
            self.cache.put(key, etag, resp.content)
        return resp.content

    def list_dir(self, repo: str, path: str, ref: str) -> list[str]:
        owner, name = repo.split("/", 1)
        try:
            resp = call(lambda: self.gh.rest.repos.get_content(owner, name, path, ref=ref, headers=self._h()))
        except GitHubError as exc:
            if exc.status == 404:
                return []
            raise
        data = resp.json()
        if not isinstance(data, list):
            return []
        return [str(item["path"]) for item in data if item.get("type") == "file"]

    def posted_review_bodies(self, repo: str, number: int, bot_login: str) -> list[str]:
        owner, name = repo.split("/", 1)

        def ours(c: Any) -> str | None:
            return str(c.body) if c.user is not None and c.user.login.lower() == bot_login.lower() else None

        return self._collect(self.gh.rest.pulls.list_review_comments, ours, cap=100_000, owner=owner, repo=name,
                             pull_number=number)

    def create_review(self, repo: str, number: int, *, commit_id: str, body: str,
                      comments: list[dict[str, Any]]) -> int:
        owner, name = repo.split("/", 1)
        data = {"commit_id": commit_id, "body": body, "event": "COMMENT", "comments": comments}
        # Never repeated blindly: GitHub sometimes creates the review and still answers 502, so the
        # caller reads back what was posted before it tries again (pipeline.post_review).
        with no_server_retry():
            resp = call(lambda: self.gh.rest.pulls.create_review(owner, name, number, data=data, headers=self._h()))  # type: ignore[call-overload]
        return int(resp.parsed_data.id)

    def find_check_run(self, repo: str, head_sha: str, name_: str) -> int | None:
        """An unfinished run of ours on this head, so a re-run job reuses it instead of adding another."""
        owner, name = repo.split("/", 1)
        resp = call(lambda: self.gh.rest.checks.list_for_ref(owner, name, head_sha, check_name=name_,
                                                             filter_="latest", headers=self._h()))
        for run in resp.parsed_data.check_runs:
            if run.status != "completed":
                return int(run.id)
        return None

    def latest_check_run(self, repo: str, head_sha: str, name_: str) -> CheckRunRef | None:
        """The newest run of ours with this name on this head, in any state (completed included)."""
        owner, name = repo.split("/", 1)
        extra: dict[str, Any] = {"app_id": self.app_id} if self.app_id is not None else {}
        resp = call(lambda: self.gh.rest.checks.list_for_ref(owner, name, head_sha, check_name=name_,
                                                             filter_="latest", headers=self._h(), **extra))
        runs = sorted(resp.parsed_data.check_runs, key=lambda r: r.id, reverse=True)
        return CheckRunRef(int(runs[0].id), str(runs[0].status)) if runs else None

    def create_check_run(self, repo: str, head_sha: str, name_: str, *, details: dict[str, Any]) -> int:
        owner, name = repo.split("/", 1)
        data = {"name": name_, "head_sha": head_sha, **details}
        resp = call(lambda: self.gh.rest.checks.create(owner, name, data=data, headers=self._h()))  # type: ignore[call-overload]
        return int(resp.parsed_data.id)

    def update_check_run(self, repo: str, run_id: int, data: dict[str, Any]) -> None:
        owner, name = repo.split("/", 1)
        call(lambda: self.gh.rest.checks.update(owner, name, run_id, data=data, headers=self._h()))  # type: ignore[call-overload]


    def archive_link(self, repo: str, ref: str) -> str:
        """The short-lived codeload URL GitHub redirects the tarball request to (one API request)."""
        owner, name = repo.split("/", 1)
        # A client that does not follow the redirect: the archive is streamed separately, under caps.
        gh: GitHub[Any] = GitHub(self.gh.auth, config=dataclasses.replace(self.gh.config, follow_redirects=False))
        resp = call(lambda: gh.rest.repos.download_tarball_archive(owner, name, ref, headers=self._h()))
        location = str(resp.headers.get("location", ""))
        if resp.status_code not in (301, 302, 307) or not location.startswith(("http://", "https://")):
            raise GitHubError(resp.status_code, "the tarball request gave no archive link")
        return location

    def fetch_archive(self, repo: str, ref: str, dest: Path, limits: ArchiveLimits | None = None) -> Extracted:
        """The repository at ref, extracted into dest under archive.py's checks; raises TreeUnavailable."""
        limits = limits or ArchiveLimits()
        try:
            link = self.archive_link(repo, ref)
        except (GitHubError, RateLimited, ConfigurationError) as exc:
            raise TreeUnavailable(f"no repository archive for {ref[:12]} ({exc})") from None
        for attempt in range(NETWORK_RETRIES + 1):
            try:
                # The link carries its own token: no Authorization header goes to codeload.
                with httpx.Client(timeout=ARCHIVE_TIMEOUT, transport=MeteredTransport()) as client, \
                        client.stream("GET", link) as resp:
                    if resp.status_code != 200:
                        raise TreeUnavailable(f"the repository archive answered HTTP {resp.status_code}")
                    body = io.BufferedReader(_ByteStream(resp.iter_raw(), limits.max_total_bytes))
                    return extract(body, dest, ref, limits)
            except httpx.TransportError as exc:
                if attempt == NETWORK_RETRIES:
                    raise TreeUnavailable(f"the repository archive could not be fetched ({type(exc).__name__})") \
                        from None
                shutil.rmtree(dest, ignore_errors=True)
                dest.mkdir(parents=True)
                time.sleep(NETWORK_BACKOFF_S * (2**attempt))
        raise AssertionError("unreachable")


class _ByteStream(io.RawIOBase):
    """A file object over an HTTP body, for tarfile's stream mode; more than `cap` compressed bytes is refused."""

    def __init__(self, chunks: Iterator[bytes], cap: int) -> None:
        self._chunks = chunks
        self._buf = b""
        self._read = 0
        self._cap = cap

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._read += len(chunk)
            if self._read > self._cap:
                raise TreeUnavailable(f"the repository archive is over {megabytes(self._cap)}")
            self._buf = chunk
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


class GitHubApp:
    def __init__(self, app_id: int, private_key: str, base_url: str, *, api_version: str = "",
                 mutation_interval_s: float = MUTATION_INTERVAL_S) -> None:
        self.gh = app_client(app_id, private_key, base_url)
        self.app_id = app_id
        self.api_version = api_version
        self.pacer = MutationPacer(mutation_interval_s)
        self.key_problem = key_problem(private_key)
        self.cache = ConditionalCache()

    def installation(self, installation_id: int) -> Installation:
        if self.key_problem is not None:
            raise ConfigurationError(self.key_problem)
        # The copy of the config gets its own request hook, so pacing is per installation.
        config = dataclasses.replace(self.gh.config, event_hooks={"request": [self.pacer.hook(installation_id)]})
        gh: GitHub[Any] = GitHub(self.gh.auth.as_installation(installation_id), config=config)
        return Installation(gh, self.api_version, app_id=self.app_id, installation_id=installation_id,
                            cache=self.cache)


@dataclass(frozen=True)
class RegisteredApp:
    """What the manifest conversion hands back once: the new App and its credentials."""

    id: int
    slug: str
    html_url: str
    pem: str
    webhook_secret: str | None

    def __repr__(self) -> str:  # the key and secret never reach a log or a traceback
        return f"RegisteredApp(id={self.id}, slug={self.slug!r})"


def convert_manifest(code: str, api_url: str) -> RegisteredApp:
    """POST /app-manifests/{code}/conversions: no auth, the single-use code is the credential."""
    gh: GitHub[Any] = GitHub(base_url=api_url.rstrip("/") + "/", timeout=TIMEOUT, http_cache=False,
                             auto_retry=retry_decision, user_agent="prodready")
    app = call(lambda: gh.rest.apps.create_from_manifest(code)).parsed_data
    return RegisteredApp(id=app.id, slug=app.slug or str(app.id), html_url=app.html_url, pem=app.pem,
                         webhook_secret=app.webhook_secret)
# -- review threads, triage and the merge queue (threads.py, triage.py, mergequeue.py) -------------

# GraphQL `first` is at most 100 (docs "rate-limits-and-query-limits-for-the-graphql-api").
GRAPHQL_PAGE = 100
# pageInfo must follow the first object field at each level, and the cursor must be `$cursor`
# (github-api-facts.md surprise 7): repository -> pullRequest -> reviewThreads.
THREADS_QUERY = """
query($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        nodes {
          id isResolved path line
          comments(first: 100) { totalCount nodes { databaseId body author { login } } }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""
RESOLVE_MUTATION = """
mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { thread { id isResolved } } }
"""


@dataclass(frozen=True)
class ThreadComment:
    database_id: int
    author: str
    body: str


@dataclass(frozen=True)
class ReviewThread:
    id: str
    is_resolved: bool
    path: str
    line: int | None
    comments: tuple[ThreadComment, ...]


def _graphql_message(exc: GraphQLFailed) -> str:
    errors = exc.response.errors or []
    return "; ".join(f"{e.type or 'ERROR'}: {e.message}" for e in errors)[:300] or "GraphQL error"


def graphql_call(fn: Callable[[], T]) -> T:
    """call() for GraphQL: errors inside an HTTP 200 become GitHubError(200, ...)."""
    try:
        return call(fn)
    except GraphQLFailed as exc:
        metrics.GITHUB_ERRORS.labels("graphql").inc()
        raise GitHubError(200, _graphql_message(exc)) from None


def review_threads(inst: Installation, repo: str, number: int) -> list[ReviewThread]:
    owner, name = repo.split("/", 1)

    def fetch() -> list[ReviewThread]:
        out: list[ReviewThread] = []
        for page in inst.gh.graphql.paginate(THREADS_QUERY, {"owner": owner, "name": name, "number": number}):
            conn = page["repository"]["pullRequest"]["reviewThreads"]
            for node in conn["nodes"] or []:
                comments = tuple(
                    ThreadComment(int(c["databaseId"] or 0), str((c.get("author") or {}).get("login", "")),
                                  str(c["body"]))
                    for c in node["comments"]["nodes"] or [])
                out.append(ReviewThread(str(node["id"]), bool(node["isResolved"]), str(node["path"]),
                                        node.get("line"), comments))
        return out

    return graphql_call(fetch)


def resolve_thread(inst: Installation, thread_id: str) -> None:
    graphql_call(lambda: inst.gh.graphql(RESOLVE_MUTATION, {"id": thread_id}))


def reply_to_review_comment(inst: Installation, repo: str, number: int, comment_id: int, body: str) -> int:
    owner, name = repo.split("/", 1)
    resp = call(lambda: inst.gh.rest.pulls.create_reply_for_review_comment(
        owner, name, number, comment_id, body=body, headers=inst._h()))
    return int(resp.parsed_data.id)


def create_issue_comment(inst: Installation, repo: str, number: int, body: str) -> int:
    owner, name = repo.split("/", 1)
    resp = call(lambda: inst.gh.rest.issues.create_comment(owner, name, number, body=body, headers=inst._h()))
    return int(resp.parsed_data.id)


def _comment(c: Any) -> ThreadComment:
    return ThreadComment(int(c.id), c.user.login if c.user else "", str(c.body or ""))


def issue_comments(inst: Installation, repo: str, number: int) -> list[ThreadComment]:
    owner, name = repo.split("/", 1)
    return inst._collect(inst.gh.rest.issues.list_comments, _comment, cap=100_000, owner=owner, repo=name,
                         issue_number=number)


def review_comments(inst: Installation, repo: str, number: int) -> list[ThreadComment]:
    owner, name = repo.split("/", 1)
    return inst._collect(inst.gh.rest.pulls.list_review_comments, _comment, cap=100_000, owner=owner, repo=name,
                         pull_number=number)


def collaborator_permission(inst: Installation, repo: str, login: str) -> str:
    """admin | maintain | write | triage | read | none (role_name; `permission` folds maintain into
    write and triage into read, so role_name is the one that tells them apart)."""
    owner, name = repo.split("/", 1)
    try:
        resp = call(lambda: inst.gh.rest.repos.get_collaborator_permission_level(
            owner, name, login, headers=inst._h()))
    except GitHubError as exc:
        if exc.status == 404:
            return "none"  # not a collaborator (or no such user)
        raise
    data = resp.json()
    return str(data.get("role_name") or data.get("permission") or "none")


def pulls_for_commit(inst: Installation, repo: str, sha: str) -> list[int]:
    owner, name = repo.split("/", 1)
    resp = call(lambda: inst.gh.rest.repos.list_pull_requests_associated_with_commit(
        owner, name, sha, headers=inst._h()))
    return [int(p["number"]) for p in resp.json() if p.get("state") == "open"]


def compare_files(inst: Installation, repo: str, base: str, head: str) -> tuple[list[FileEntry], list[str], str]:
    """The files, commit messages and merge base of base...head (a merge group against its base).
    GitHub lists at most 300 files here (docs "compare two commits"); beyond that is not reviewed."""
    owner, name = repo.split("/", 1)
    resp = call(lambda: inst.gh.rest.repos.compare_commits(owner, name, f"{base}...{head}", headers=inst._h()))
    data = resp.json()
    files = [FileEntry(str(f["filename"]), str(f["status"]), f.get("previous_filename"), f.get("patch"))
             for f in data.get("files") or []]
    messages = [str(c["commit"]["message"]) for c in data.get("commits") or []]
    return files, messages, str(data["merge_base_commit"]["sha"])



