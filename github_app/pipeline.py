"""review(job): fetch, diff, scan, filter, decide, render, post -- in that order, on one PR head."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

from github_app import github, logs, metrics, threads, triage
from github_app.analyzers import Analyzer
from github_app.analyzers.registry import default_analyzers
from github_app.authorship import ChangeFacts, detect
from github_app.contents import ARCHIVE_MIN_FILES, SideReader
from github_app.events import Job, external_id
from github_app.failclosed import Attempt, given_up_output, now_utc, retrying_output, wants_new_run
from github_app.github import (
    MAX_PR_COMMITS,
    MAX_PR_FILES,
    ConfigurationError,
    FileEntry,
    GitHubApp,
    GitHubError,
    Installation,
    RateLimited,
    ThreadComment,
)
from github_app.policy import (
    EXTRA_RULES_DIR,
    POLICY_PATH,
    EffectivePolicy,
    Layer,
    default_policy,
    load_policy,
    rule_ids,
    should_review,
    signals_from,
)
from github_app.render import (
    CHECK_NAME,
    FINGERPRINT_RE,
    annotated,
    batches,
    capped_annotations,
    check_actions,
    check_annotations,
    check_output,
    headline,
    plan_comments,
)
from github_app.result import ReviewResult
from github_app.review import Change, review_change
from github_app.scan import CAP, RULES_DIR, Skipped
from github_app.settings import Settings
from github_app.suppressions import WITHOUT_REASON_RULE

# A create-review POST is tried at most this often within one job, reading back what GitHub posted
# between tries; a job that still fails is retried by the worker, which reads it back again.
REVIEW_POST_ATTEMPTS = 3
REVIEW_POST_BACKOFF_S = 1.0


@dataclass(frozen=True)
class Deps:
    app: GitHubApp
    bot_login: str
    rules_dir: Path = RULES_DIR
    analyzers: tuple[Analyzer, ...] = ()
    archive_min_files: int = ARCHIVE_MIN_FILES
    """A side read of this many files or more comes from the repository archive (contents.py); 0: never."""

    @classmethod
    def from_settings(cls, cfg: Settings, *, mutation_interval_s: float | None = None) -> Deps:
        app = GitHubApp(cfg.app_id, cfg.private_key.get(), cfg.github_api_url, api_version=cfg.github_api_version,
                        mutation_interval_s=cfg.mutation_interval_s if mutation_interval_s is None
                        else mutation_interval_s)
        return cls(app=app, bot_login=cfg.bot_login, analyzers=default_analyzers(cfg.sources))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def diff_from_files(files: Sequence[FileEntry]) -> tuple[str, list[Skipped]]:
    """A git-style unified diff rebuilt from the PR files API's patches (no 300-file/20k-line 406)."""
    parts: list[str] = []
    skipped: list[Skipped] = []
    for f in files:
        old = f.previous_filename or f.filename
        if f.patch is None or (f.patch == "" and f.status != "renamed"):
            if f.status == "removed":
                skipped.append(Skipped(f.filename, "deleted by the change"))
            elif f.status == "renamed":
                skipped.append(Skipped(f.filename, f"renamed from {old} with no changed lines"))
            else:
                skipped.append(Skipped(f.filename, "GitHub sent no patch (a binary file or too large a diff)", CAP))
            continue
        header = [f"diff --git a/{old} b/{f.filename}"]
        if f.status == "added":
            header += ["new file mode 100644", "--- /dev/null", f"+++ b/{f.filename}"]
        elif f.status == "removed":
            header += ["deleted file mode 100644", f"--- a/{f.filename}", "+++ /dev/null"]
        else:
            if f.status == "renamed":
                header += [f"rename from {old}", f"rename to {f.filename}"]
            header += [f"--- a/{old}", f"+++ b/{f.filename}"]
        patch = f.patch if f.patch.endswith("\n") or not f.patch else f.patch + "\n"
        parts.append("\n".join(header) + "\n" + patch)
    return "".join(parts), skipped


def _text(data: bytes | None) -> str | None:
    return data.decode("utf-8", errors="replace") if data is not None else None


def load_layers(gh: Installation, repo: str, base_sha: str) -> list[Layer]:
    owner = repo.split("/", 1)[0]
    layers: list[Layer] = []
    org_repo = f"{owner}/.github"
    if repo != org_repo:
        try:
            org = gh.file_at(org_repo, POLICY_PATH, None, conditional=True)
        except GitHubError as exc:
            if exc.status not in (403, 404):
                raise
            org = None  # the installation may not include the .github repository
        layers.append(Layer(f"{org_repo}:{POLICY_PATH}", _text(org)))
    layers.append(Layer(f"{repo}@{base_sha[:12]}:{POLICY_PATH}",
                        _text(gh.file_at(repo, POLICY_PATH, base_sha, conditional=True))))
    return layers


def review_pr(gh: Installation, job: Job, deps: Deps, head_sha: str, pr: Any,
              on_policy: Callable[[EffectivePolicy], None] | None = None,
              review_comments: Sequence[ThreadComment] | None = None) -> tuple[ReviewResult, list[str]]:
    policy = load_policy(load_layers(gh, job.repo, pr.base_sha))
    if on_policy is not None:
        on_policy(policy)  # so a failure later on is reported under this policy's on_error
    files = gh.files(job.repo, job.pr_number)
    commits = gh.commits(job.repo, job.pr_number)
    notes: list[str] = []
    if pr.changed_files > len(files):
        notes.append(f"GitHub lists at most {MAX_PR_FILES:,} files of a PR; {pr.changed_files - len(files)} "
                     "more files were not reviewed.")
    truncated = len(commits) >= MAX_PR_COMMITS
    if truncated:
        notes.append(f"GitHub lists at most {MAX_PR_COMMITS} commits of a PR; authorship signals were read "
                     "from those only.")
    facts = ChangeFacts(author_login=pr.author_login, head_branch=pr.head_ref, labels=pr.labels,
                        commits=tuple(commits), commits_truncated=truncated)
    authorship = detect(facts, signals_from(policy))
    go, why = should_review(policy, authorship=authorship, draft=pr.draft, base_branch=pr.base_ref)
    if not go:
        return _not_reviewed(policy, authorship, why), notes
    diff_text, skipped = diff_from_files(files)
    extra: dict[str, str] = {}
    for path in gh.list_dir(job.repo, EXTRA_RULES_DIR, pr.base_sha):
        if path.endswith((".yml", ".yaml")):
            extra[path] = _text(gh.file_at(job.repo, path, pr.base_sha, conditional=True)) or ""

    # Each job has its own folder for the archives it extracts, gone when the review is.
    with tempfile.TemporaryDirectory(prefix="prodready-job-") as tmp:
        head, base = (_side_reader(gh, job.repo, side, sha, Path(tmp) / side, pr.repo_size_kb, deps)
                      for side, sha in (("head", head_sha), ("base", pr.base_sha)))
        change = Change(diff_text=diff_text, read_head=head, policy=policy, facts=facts,
                        extra_rules=extra, notes=tuple(notes), skipped=tuple(skipped),
                        unlisted=max(pr.changed_files - len(files), 0), read_base=base,
                        head_tree=head.tree, base_tree=base.tree)
        result = review_change(change, rules_dir=deps.rules_dir, analyzers=deps.analyzers)
    result.notes += [*head.notes, *base.notes]
    result = triage.apply(result, triage.load(gh, job.repo, job.pr_number, deps.bot_login, review_comments))
    # Files GitHub sent without a patch or did not list at all still belong to the change.
    result.files_changed = max(result.files_changed, pr.changed_files)
    return result, notes


def _side_reader(gh: Installation, repo: str, side: str, sha: str, dest: Path, size_kb: int,
                 deps: Deps) -> SideReader:
    return SideReader(side, sha, dest, fetch_file=lambda p: gh.file_at(repo, p, sha),
                      fetch_archive=lambda d: gh.fetch_archive(repo, sha, d),
                      repo_size_kb=size_kb, min_files=deps.archive_min_files)


def _not_reviewed(policy: Any, authorship: Any, why: str) -> ReviewResult:
    return ReviewResult(placed=[], out_of_change=[], skipped=[], errors=[], authorship=authorship, policy=policy,
                        gate=None, conclusion="skipped", notes=[f"Not reviewed: {why}."])


def _fingerprints(bodies: Iterable[str]) -> frozenset[str]:
    return frozenset(fp for body in bodies for fp in FINGERPRINT_RE.findall(body))


def _posted(gh: Installation, job: Job, deps: Deps) -> frozenset[str]:
    return _fingerprints(gh.posted_review_bodies(job.repo, job.pr_number, deps.bot_login))


def post_review(gh: Installation, job: Job, deps: Deps, head_sha: str, body: str,
                comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Create the review; after a 5xx or network error, read back what is posted before trying again,
    since GitHub sometimes creates the review and still answers 502. Returns the comments posted now."""
    pending = comments
    for attempt in range(REVIEW_POST_ATTEMPTS):
        try:
            gh.create_review(job.repo, job.pr_number, commit_id=head_sha, body=body, comments=pending)
            return pending
        except GitHubError as exc:
            if 0 < exc.status < 500:
                raise
            if attempt == REVIEW_POST_ATTEMPTS - 1:
                raise
            time.sleep(REVIEW_POST_BACKOFF_S * 2**attempt)
            posted = _posted(gh, job, deps)
            left = [c for c in pending if not set(FINGERPRINT_RE.findall(c["body"])) <= posted]
            logs.get().warning("review.post_uncertain", status=exc.status, attempt=attempt + 1,
                               already_posted=len(pending) - len(left), left=len(left))
            if not left:
                return []  # GitHub created it despite the error: nothing to post twice
            pending = left
    raise AssertionError("unreachable")


def post(gh: Installation, job: Job, deps: Deps, head_sha: str, run_id: int, result: ReviewResult,
         review_comments: Sequence[ThreadComment] | None = None) -> dict[str, int]:
    """Post the review and complete the check; `review_comments` is the PR's review comments as read
    before this review (read here when not given)."""
    # Policy report: annotations posts no inline comment; the annotations carry every finding.
    limit = 0 if result.policy.report == "annotations" else result.policy.max_inline_comments
    if review_comments is None:
        review_comments = github.review_comments(gh, job.repo, job.pr_number)
    earlier = [c.body for c in review_comments if c.author.lower() == deps.bot_login.lower()]
    comments, unanchored, over_cap, repeated = plan_comments(
        result.placed, limit=limit, already_posted=_fingerprints(earlier))
    if comments:
        body = (f"**prodready**: {headline(result)}. Details and the policy in force are in the "
                f"`{CHECK_NAME}` check.")
        try:
            comments = post_review(gh, job, deps, head_sha, body, comments)
        except GitHubError as exc:
            if exc.status != 422:
                raise
            # Should not happen (anchors come from the parsed diff), but never lose the findings.
            logs.get().warning("review.rejected", status=exc.status, error=str(exc))
            unanchored = unanchored + [p.finding for p in result.placed if p.anchor is not None]
            comments = []
    present = {f.fingerprint for f in [*result.findings, *result.dismissed, *(f for f, _ in result.out_of_change)]}
    if earlier:  # with no comment of ours from before this review there is no thread to follow up
        result.notes += threads.follow_up(gh, job.repo, job.pr_number, head_sha, bot_login=deps.bot_login,
                                          present=present, unscanned={s.path for s in result.skipped},
                                          partial=bool(result.errors) or result.conclusion == "skipped")
    chosen, more = capped_annotations(annotated(result.policy.report, result.findings, [*unanchored, *over_cap]))
    if more is not None:
        result.notes.append(more)
    anns = check_annotations(chosen)
    if result.policy.report == "annotations":
        over_cap = []  # not "over the cap": annotations are where policy wants them
    output = check_output(result, unanchored=unanchored, over_cap=over_cap, repeated=repeated)
    chunks = batches(anns) or [[]]
    for chunk in chunks[:-1]:
        gh.update_check_run(job.repo, run_id, {"output": {**output, "annotations": chunk}})
    gh.update_check_run(job.repo, run_id, {
        "status": "completed", "conclusion": result.conclusion, "completed_at": _now(),
        "output": {**output, "annotations": chunks[-1]}, "actions": check_actions(errored=False),
    })
    return {"comments": len(comments), "repeated": repeated, "annotations": len(anns)}


def run_job(job: Job, deps: Deps, attempt: Attempt | None = None) -> str:
    """Review one PR head; returns the outcome. Raises for the worker to retry (after reporting)."""
    # Bound for the whole job, so lines logged deeper down (GitHub retries, say) carry them too.
    with structlog.contextvars.bound_contextvars(delivery=job.delivery_id, repo=job.repo, pr=job.pr_number,
                                                 head_sha=job.head_sha):
        return _run_job(job, deps, attempt or Attempt())


def open_check_run(gh: Installation, job: Job, head_sha: str, attempt: Attempt) -> int:
    """The one run of ours on this head: found in any state and reused, or created (also for
    GitHub's own Re-run, which GitHub models as a new run)."""
    latest = gh.latest_check_run(job.repo, head_sha, CHECK_NAME)
    if latest is not None and not wants_new_run(job.reason, attempt, latest.status):
        if latest.status != "completed":
            gh.update_check_run(job.repo, latest.id, {"status": "in_progress", "output": {
                "title": "Reviewing", "summary": "prodready is reviewing the changed lines."}})
        # A completed run keeps its conclusion until the new one replaces it: GitHub does not reliably
        # take a completed run back to in progress (atlantis#265), and the old verdict is the safe one.
        return latest.id
    return gh.create_check_run(job.repo, head_sha, CHECK_NAME, details={
        "status": "in_progress", "started_at": _now(),
        "external_id": external_id(job.repo, job.pr_number, head_sha),
        "output": {"title": "Reviewing", "summary": "prodready is reviewing the changed lines."}})


def _run_job(job: Job, deps: Deps, attempt: Attempt) -> str:
    log = logs.get()
    started = time.monotonic()
    with deps.app.installation(job.installation_id) as gh:
        if not job.pr_number:
            # A check_run/check_suite payload without pull_requests (a fork PR): find it from the head.
            numbers = github.pulls_for_commit(gh, job.repo, job.head_sha)
            if not numbers:
                log.info("job.skipped", reason="no open pull request has this head")
                return "no_pull_request"
            job = replace(job, pr_number=numbers[0])
            structlog.contextvars.bind_contextvars(pr=job.pr_number)
        try:
            pr = gh.pull_request(job.repo, job.pr_number)
        except (GitHubError, RateLimited) as exc:
            _report_without_pr(gh, job, exc, attempt, log)
            raise
        if job.comment_id:
            outcome = _command(gh, job, deps, pr)
            if outcome != triage.RERUN:
                return outcome
        if pr.state != "open":
            log.info("job.skipped", reason="pull request is closed")
            return "closed"
        if job.head_sha and pr.head_sha != job.head_sha:
            # Force-pushed or a new commit since the event: the newer head has (or will get) its own job.
            log.info("job.superseded", current_head=pr.head_sha)
            return "superseded"
        head_sha = pr.head_sha
        structlog.contextvars.bind_contextvars(head_sha=head_sha)
        run_id = open_check_run(gh, job, head_sha, attempt)
        log.info("review.started", check_run=run_id, reason=job.reason, attempt=attempt.number)
        seen: list[EffectivePolicy] = []
        try:
            # Read once: triage replays dismissals from them and posting skips what is already there.
            earlier = github.review_comments(gh, job.repo, job.pr_number)
            result, _ = review_pr(gh, job, deps, head_sha, pr, on_policy=seen.append, review_comments=earlier)
            counts = post(gh, job, deps, head_sha, run_id, result, earlier)
        except Exception as exc:
            report_failure(gh, job, run_id, exc, attempt, seen[-1] if seen else default_policy(), log)
            raise
    elapsed = time.monotonic() - started
    metrics.REVIEWS.labels(result.conclusion).inc()
    metrics.REVIEW_SECONDS.observe(elapsed)
    log.info("review.completed", conclusion=result.conclusion, findings=len(result.findings),
             blocking=len(result.blocking), seconds=round(elapsed, 2), **counts)
    return result.conclusion


def _command(gh: Installation, job: Job, deps: Deps, pr: Any) -> str:
    """A `/prodready` comment (triage.py); the policy and authorship are read only if needed."""

    def policy() -> Any:
        return load_policy(load_layers(gh, job.repo, pr.base_sha))

    def ai_authored(p: Any) -> bool:
        commits = gh.commits(job.repo, job.pr_number)
        facts = ChangeFacts(author_login=pr.author_login, head_branch=pr.head_ref, labels=pr.labels,
                            commits=tuple(commits), commits_truncated=len(commits) >= MAX_PR_COMMITS)
        return detect(facts, signals_from(p)).ai

    known = rule_ids(deps.rules_dir) | {WITHOUT_REASON_RULE}
    return triage.run_command(gh, job, pr, bot_login=deps.bot_login, policy=policy, ai_authored=ai_authored,
                              known_rules=known)


def _report_without_pr(gh: Installation, job: Job, exc: Exception, attempt: Attempt, log: Any) -> None:
    """The PR could not even be read: still show the failure on the head the event named, so a required
    check neither waits silently nor passes (best effort: GitHub may be refusing everything)."""
    if not job.head_sha:
        return
    try:
        run_id = open_check_run(gh, job, job.head_sha, attempt)
    except Exception as report_exc:  # the original error is re-raised by the caller
        log.error("review.report_failed", error=str(report_exc), exc_info=True)
        return
    report_failure(gh, job, run_id, exc, attempt, default_policy(), log)


def retry_delay_s(exc: Exception, attempt: Attempt) -> float:
    """When the worker will try again (worker.handle uses the same rule)."""
    return exc.retry_after_s + 1 if isinstance(exc, RateLimited) else attempt.backoff_s


def report_failure(gh: Installation, job: Job, run_id: int, exc: Exception, attempt: Attempt,
                   policy: EffectivePolicy, log: Any) -> None:
    """Fail closed, visibly: in progress with the next try's time while retries remain; then completed
    with the policy's on_error, a summary saying nothing was judged, and a Re-run button."""
    error = f"{exc}" if isinstance(exc, GitHubError | ConfigurationError) else f"{type(exc).__name__}: {exc}"
    permanent = isinstance(exc, ConfigurationError)
    if attempt.final or permanent:
        data: dict[str, Any] = {
            "status": "completed", "conclusion": policy.on_error, "completed_at": _now(),
            "output": given_up_output(error, attempt, on_error=policy.on_error, permanent=permanent),
            "actions": check_actions(errored=True)}
    else:
        data = {"output": retrying_output(error, attempt, retry_in_s=retry_delay_s(exc, attempt), now=now_utc())}
    try:
        gh.update_check_run(job.repo, run_id, data)
    except Exception as report_exc:  # the original error is re-raised by the caller
        log.error("review.report_failed", error=str(report_exc), exc_info=True)
    log.error("review.failed", error=error, error_type=type(exc).__name__, attempt=attempt.number,
              final=attempt.final or permanent)
