"""The merge queue: review a merge group's head against its base branch and report `prodready` on it.

GitHub builds each queue entry's merge group on a temporary branch (gh-readonly-queue/<base>/pr-<n>-<sha>)
holding the base branch plus every PR ahead of it in the queue, then asks for checks with
`merge_group.checks_requested`. A repository that requires `prodready` needs the check on that head,
or the queue waits for ever. The group is judged on its whole change against the base branch (the
three-dot compare from their merge base), under the base branch's policy; a group is AI-authored when
any of its PRs is. Merge groups get no inline comments (nobody reads a temporary branch's review):
every finding goes to the check's annotations and summary.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import structlog

from github_app import github, logs, metrics
from github_app.authorship import ChangeFacts, detect
from github_app.events import Job
from github_app.github import MAX_PR_COMMITS, Installation
from github_app.pipeline import Deps, diff_from_files, load_layers
from github_app.policy import EXTRA_RULES_DIR, EffectivePolicy, load_policy, signals_from
from github_app.render import CHECK_NAME, batches, check_actions, check_annotations, check_output, clip_bytes
from github_app.result import ReviewResult
from github_app.review import Change, review_change


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# GitHub's merge queue commit message for each PR it merges into a group.
_MERGED_PR = re.compile(r"^Merge pull request #(\d+)\b", re.M)


def group_prs(messages: Sequence[str], entry: int) -> list[int]:
    """The PRs a merge group combines, in queue order (its own entry last). Pure."""
    found: list[int] = []
    for message in messages:
        for n in _MERGED_PR.findall(message):
            if int(n) not in found:
                found.append(int(n))
    if entry not in found:
        found.append(entry)
    return found


def group_note(prs: Sequence[int], base_ref: str) -> str:
    listed = ", ".join(f"#{n}" for n in prs)
    return (f"Merge group of {len(prs)} pull request(s) ({listed}), judged on their combined change against "
            f"`{base_ref}` under its policy.")


def _facts(gh: Installation, repo: str, prs: Sequence[int], policy: EffectivePolicy) -> ChangeFacts:
    """The facts of the first AI-authored PR of the group (or of its last PR when none is)."""
    chosen = ChangeFacts()
    for n in prs:
        pr = gh.pull_request(repo, n)
        commits = gh.commits(repo, n)
        facts = ChangeFacts(author_login=pr.author_login, head_branch=pr.head_ref, labels=pr.labels,
                            commits=tuple(commits), commits_truncated=len(commits) >= MAX_PR_COMMITS)
        if detect(facts, signals_from(policy)).ai:
            return facts
        chosen = facts
    return chosen


def review_group(gh: Installation, job: Job, deps: Deps) -> tuple[ReviewResult, list[int]]:
    files, messages, base_sha = github.compare_files(gh, job.repo, job.base_ref, job.head_sha)
    policy = load_policy(load_layers(gh, job.repo, base_sha))
    prs = group_prs(messages, job.pr_number)
    diff_text, skipped = diff_from_files(files)
    extra = {p: (gh.file_at(job.repo, p, base_sha) or b"").decode("utf-8", "replace")
             for p in gh.list_dir(job.repo, EXTRA_RULES_DIR, base_sha) if p.endswith((".yml", ".yaml"))}

    def read_head(paths: Sequence[str]) -> Mapping[str, bytes | None]:
        return {p: gh.file_at(job.repo, p, job.head_sha) for p in paths}

    note = group_note(prs, job.base_ref)
    change = Change(diff_text=diff_text, read_head=read_head, policy=policy,
                    facts=_facts(gh, job.repo, prs, policy), extra_rules=extra, notes=(note,))
    result = review_change(change, rules_dir=deps.rules_dir)
    result.skipped = skipped + result.skipped
    return result, prs


def run_group(job: Job, deps: Deps) -> str:
    with structlog.contextvars.bound_contextvars(delivery=job.delivery_id, repo=job.repo, merge_group=job.head_sha):
        log = logs.get()
        started = time.monotonic()
        with deps.app.installation(job.installation_id) as gh:
            run_id = gh.find_check_run(job.repo, job.head_sha, CHECK_NAME) or gh.create_check_run(
                job.repo, job.head_sha, CHECK_NAME, details={
                    "status": "in_progress", "started_at": _now(), "external_id": f"{job.repo}@{job.head_sha}",
                    "output": {"title": "Reviewing", "summary": "prodready is reviewing the merge group."}})
            try:
                result, prs = review_group(gh, job, deps)
            except Exception as exc:
                summary = clip_bytes(f"prodready could not review this merge group: {exc}\n\nThe job will be "
                                     "retried automatically.")
                gh.update_check_run(job.repo, run_id, {"output": {"title": "Review did not complete",
                                                                  "summary": summary}})
                log.error("merge_group.failed", error=str(exc), error_type=type(exc).__name__)
                raise  # the worker retries; the run stays in progress, so a required check does not pass
            output = check_output(result, unanchored=result.findings)
            chunks = batches(check_annotations(result.findings)) or [[]]
            for chunk in chunks[:-1]:
                gh.update_check_run(job.repo, run_id, {"output": {**output, "annotations": chunk}})
            gh.update_check_run(job.repo, run_id, {
                "status": "completed", "conclusion": result.conclusion, "completed_at": _now(),
                "output": {**output, "annotations": chunks[-1]}, "actions": check_actions(errored=False)})
        metrics.REVIEWS.labels(result.conclusion).inc()
        log.info("merge_group.completed", conclusion=result.conclusion, prs=prs, findings=len(result.findings),
                 seconds=round(time.monotonic() - started, 2))
        return result.conclusion
