"""The worker loop: claim a job, run it, complete or retry it with backoff. Errors stop here."""

from __future__ import annotations

import threading

from github_app import logs, metrics
from github_app.failclosed import Attempt
from github_app.github import ConfigurationError, RateLimited
from github_app.pipeline import Deps, run_job
from github_app.queue import MAX_ATTEMPTS, Claimed, Queue

POLL_S = 0.5
BACKOFF_BASE_S = 30.0
BACKOFF_MAX_S = 900.0


def backoff_s(attempts: int) -> float:
    return float(min(BACKOFF_BASE_S * 2 ** max(attempts - 1, 0), BACKOFF_MAX_S))


def handle(queue: Queue, claimed: Claimed, deps: Deps) -> str:
    log = logs.get().bind(delivery=claimed.job.delivery_id, repo=claimed.job.repo, pr=claimed.job.pr_number,
                          head_sha=claimed.job.head_sha, attempt=claimed.attempts)
    # The review reports its own failure on the check (retrying or given up), so it is told which try this is.
    attempt = Attempt(claimed.attempts, getattr(queue, "max_attempts", MAX_ATTEMPTS), backoff_s(claimed.attempts))
    try:
        outcome = run_job(claimed.job, deps, attempt)
    except ConfigurationError as exc:
        # Wrong APP_ID, key or installation: said once, and not retried (it cannot get better by itself).
        queue.fail(claimed.id, error=str(exc))
        metrics.JOBS.labels("dead").inc()
        log.error("job.configuration_error", error=str(exc), will_retry=False)
        return "configuration_error"
    except RateLimited as exc:
        alive = queue.retry(claimed.id, delay_s=exc.retry_after_s + 1, error=str(exc))
        metrics.JOBS.labels("rate_limited").inc()
        log.warning("job.rate_limited", retry_in_s=int(exc.retry_after_s), will_retry=alive)
        return "rate_limited"
    except Exception as exc:  # the worker loop is the edge: log, count, retry with backoff
        delay = backoff_s(claimed.attempts)
        alive = queue.retry(claimed.id, delay_s=delay, error=f"{type(exc).__name__}: {exc}")
        metrics.JOBS.labels("failed" if alive else "dead").inc()
        log.error("job.failed", error=str(exc), error_type=type(exc).__name__, retry_in_s=delay, will_retry=alive,
                  exc_info=True)
        return "failed"
    queue.complete(claimed.id)
    metrics.JOBS.labels(outcome).inc()
    return outcome


def run_once(queue: Queue, deps: Deps) -> str | None:
    claimed = queue.claim()
    return handle(queue, claimed, deps) if claimed else None


def work(queue: Queue, deps: Deps, stop: threading.Event, poll_s: float = POLL_S) -> None:
    logs.get().info("worker.started")
    while not stop.is_set():
        if run_once(queue, deps) is None:
            stop.wait(poll_s)
    logs.get().info("worker.stopped")
